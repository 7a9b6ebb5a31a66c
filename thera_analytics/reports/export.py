"""Write a report as CSV, Parquet or Markdown; an HTML page through a renderer the caller gives.

``thera report`` calls ``write_report``. What each format holds is ``reports.formats``. The HTML
page is the matching notebook executed and converted to one page: that needs a Jupyter kernel,
papermill and nbconvert, which the core does not load, so the command line passes its renderer
(``thera_app.html_report.render_html``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from thera_analytics.domain.errors import ValidationError
from thera_analytics.reports.defaults import last_complete_month, last_complete_weeks
from thera_analytics.reports.formats import ReportRequest, main_table, report_markdown
from thera_analytics.reports.period import Period
from thera_analytics.reports.source import Source, instant, optional_id

REPORTS: tuple[str, ...] = ("attendance", "backlog", "completion", "cancellations", "changes")
FORMATS: tuple[str, ...] = ("csv", "parquet", "markdown", "html")
DEFAULT_WEEKS = 4


def write_report(
    db: Source,
    name: str,
    fmt: str,
    out: str | Path | None = None,
    *,
    start: date | str | None = None,
    end: date | str | None = None,
    as_of: datetime | str | None = None,
    clinician_id: int | None = None,
    service_id: int | None = None,
    client_id: int | None = None,
    html: Callable[[Source, ReportRequest, Path], Path] | None = None,
) -> Path | None:
    """Write report ``name`` (attendance, backlog, completion) as ``fmt`` to ``out``.

    - ``fmt``: ``csv`` or ``parquet`` write the report's main table: attendance, every
      breakdown stacked (``dimension``, ``group``, counts, rates, billing); backlog, one row
      per incomplete past client event, oldest first, with what is missing; completion, one
      row per clinician per week. ``markdown`` writes the written summary and the summary
      tables. ``html`` executes the matching notebook (``notebooks/attendance_report.ipynb``;
      ``unsigned_notes_backlog.ipynb`` for backlog and completion) for these parameters and
      writes a standalone page whose charts draw without a network.
    - ``out``: the file to write; ``None`` writes csv and markdown to standard output
      (parquet and html need a file).
    - ``start``/``end``: the period, local days included (``date`` or ``YYYY-MM-DD``). By
      default (``reports.defaults``): attendance, the calendar month before the one holding
      the practice's latest session by ``as_of`` (or today); backlog and completion, the four
      whole weeks before the week holding that session.
    - ``as_of``: the instant the report is taken at (aware ``datetime`` or ISO text; naive
      means UTC); default now. Every report reads the practice as it stood then (the event
      history, and the append-only cancellation record), so a report as of a past instant
      gives the figures it gave at that instant.
    - ``clinician_id``/``service_id``: only that clinician's / service's events;
      ``client_id`` (changes only): only changes to that client's events. cancellations:
      one row per cancelled place (reason, notice, rebooked), as it stood at ``as_of``;
      changes: one row per audit entry, newest first (no HTML page).
    - ``html``: the renderer of an HTML page (``thera_app.html_report.render_html``).

    Returns the path written, or None for standard output. ``db`` is a ``Database`` (or
    anything with ``.df``); for html it must be a file database (a read-write one is read
    through a snapshot, so this also works inside the server process).
    """
    if name not in REPORTS:
        raise ValidationError("name", f"unknown report {name!r} (choose from "
                                      f"{', '.join(REPORTS)})")
    if fmt not in FORMATS:
        raise ValidationError("format", f"unknown format {fmt!r} (choose from "
                                        f"{', '.join(FORMATS)})")
    if name == "changes" and fmt == "html":
        raise ValidationError("format", "the changes report is written as csv, parquet or"
                                        " markdown")
    if out is None and fmt in ("parquet", "html"):
        raise ValidationError("out", f"a {fmt} report needs a file to write to")
    moment = instant(as_of)
    request = ReportRequest(name, report_period(db, name, start, end, moment), moment,
                            optional_id(clinician_id, "clinician_id"),
                            optional_id(service_id, "service_id"),
                            optional_id(client_id, "client_id"))
    path = Path(out) if out is not None else None
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        if html is None:
            raise ValidationError("format", "an HTML report is rendered by the command line "
                                            "(`thera report ... --html FILE`)")
        assert path is not None
        return html(db, request, path)
    if fmt == "markdown":
        text = report_markdown(db, request)
        if path is None:
            sys.stdout.write(text)
            return None
        path.write_text(text, encoding="utf-8")
        return path
    table = main_table(db, request)
    if fmt == "parquet":
        assert path is not None
        table.to_parquet(path, index=False)
        return path
    if path is None:
        table.to_csv(sys.stdout, index=False)
        return None
    table.to_csv(path, index=False)
    return path


def report_period(db: Source, name: str, start: date | str | None, end: date | str | None,
                  as_of: datetime) -> Period:
    """The period a report covers: as given, else the practice's own latest data (the same
    defaults as the notebooks: ``reports.defaults``)."""
    if start is None or end is None:
        if name == "attendance":
            default = last_complete_month(db, as_of)
        else:
            default = last_complete_weeks(db, DEFAULT_WEEKS, as_of)
    else:
        default = None
    return Period.coerce(start, end, default=default)
