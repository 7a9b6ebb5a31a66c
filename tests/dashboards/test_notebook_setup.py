"""Notebooks set up their own chart libraries, inlined; importing a module never does."""

from __future__ import annotations

import subprocess
import sys

from dashboards import notebook


def test_no_module_loads_a_notebook_extension_when_imported() -> None:
    """``hv.extension`` or ``pn.extension`` at import time would pick CDN resources before a
    notebook's first cell could ask for inlined ones."""
    code = """
import importlib, pkgutil
import holoviews, panel
calls = []
holoviews.extension = lambda *a, **k: calls.append(("hv.extension", a))
panel.extension = lambda *a, **k: calls.append(("pn.extension", a))
import dashboards
names = [m.name for m in pkgutil.walk_packages(dashboards.__path__, "dashboards.")]
for name in names:
    importlib.import_module(name)
print(len(names), calls)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    count, calls = out.split(" ", 1)
    assert int(count) > 20  # every module of the UI was imported
    assert calls == "[]"


def test_cdn_addresses_are_found_and_blanked() -> None:
    text = ('<link href="https://cdn.holoviz.org/panel/1.9.4/dist/css/x.css">'
            "t.src='https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-svg.js';"
            "import('//esm.sh/@fullcalendar/core@6.1.21') http://127.0.0.1:8888/lab")
    assert len(notebook.names_cdn(text)) == 3
    clean = notebook.without_cdn(text)
    assert notebook.names_cdn(clean) == []
    assert "http://127.0.0.1:8888/lab" in clean
