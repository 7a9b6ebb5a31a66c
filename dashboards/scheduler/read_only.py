"""Read-only (disabled) fields that stay readable.

Bokeh greys a disabled field's text (#747679 on #ebebeb, 4.0:1) and fades a disabled button to
65 % opacity (about 2.5:1): too faint for a record a manager reads or a locked note. These
rules, added to each field's own stylesheets (they live in shadow roots, where page CSS cannot
reach), keep the text at least 4.5:1 while the field still looks read-only (a tinted
background, the not-allowed cursor).
"""

from __future__ import annotations

from collections.abc import Iterable

import panel as pn

READ_ONLY_TEXT = "#32383f"  # 11.0:1 on the tint below
READ_ONLY_FILL = "#f3f5f7"

READ_ONLY_CSS = f"""
:host {{ --disabled-color: {READ_ONLY_TEXT}; --disabled-background-color: {READ_ONLY_FILL};
         --disabled-opacity: 1; }}
.bk-input[disabled], .bk-input.bk-disabled, textarea[disabled], select[disabled] {{
  color: {READ_ONLY_TEXT}; -webkit-text-fill-color: {READ_ONLY_TEXT};
  background-color: {READ_ONLY_FILL}; opacity: 1; }}
.bk-btn[disabled] {{ opacity: 1; }}
.bk-btn[disabled]:not(.bk-active) {{ color: {READ_ONLY_TEXT}; background-color: {READ_ONLY_FILL};
                                     border-color: #afb8c1; }}
.bk-btn.bk-active[disabled] {{ color: #ffffff; background-color: #1d4f86;
                               border-color: #1d4f86; }}
label:has(input[disabled]), .bk-input-group label {{ color: {READ_ONLY_TEXT}; opacity: 1; }}
.choices.is-disabled .choices__inner, .choices.is-disabled .choices__input {{
  background-color: {READ_ONLY_FILL}; }}
.is-disabled .choices__list--multiple .choices__item {{
  background-color: #dde3e9; border-color: #afb8c1; color: #1f2328; }}
"""


def keep_readable(widgets: Iterable[pn.widgets.Widget]) -> None:
    """Give each widget the read-only rules (once)."""
    for widget in widgets:
        if READ_ONLY_CSS not in widget.stylesheets:
            widget.stylesheets = [*widget.stylesheets, READ_ONLY_CSS]
