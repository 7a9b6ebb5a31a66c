"""The house's layers: the composition root on top, the apps, then the core; no arrow back up."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts" / "import_graph.py")
assert _spec and _spec.loader
import_graph = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(import_graph)


def test_no_import_runs_up_a_layer():
    assert import_graph.upward() == []


def test_no_app_imports_another_and_shared_parts_import_no_app():
    # The manager's app no longer borrows the clinician's parts: both use dashboards/shared.
    assert import_graph.across_apps() == []


def test_the_graph_sees_an_import_across_apps(tmp_path):
    for package in ("dashboards", "dashboards/scheduler", "dashboards/practice",
                    "dashboards/shared"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "dashboards" / "scheduler" / "calendar.py").write_text("X = 1\n")
    (tmp_path / "dashboards" / "shared" / "legend.py").write_text("Y = 2\n")
    (tmp_path / "dashboards" / "practice" / "week.py").write_text(
        "from dashboards.scheduler.calendar import X\nfrom dashboards.shared.legend import Y\n")
    (tmp_path / "dashboards" / "shared" / "labels.py").write_text(
        "def f():\n    from dashboards.scheduler import calendar\n")
    assert import_graph.across_apps(tmp_path) == [
        ("dashboards.practice.week", "dashboards.scheduler.calendar"),
        ("dashboards.shared.labels", "dashboards.scheduler.calendar"),
    ]


def test_no_modules_import_each_other():
    assert import_graph.cycles() == []


def test_the_graph_sees_an_upward_import(tmp_path):
    # The check itself: a core module that reaches into the apps is reported.
    for package in import_graph.PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "dashboards" / "view.py").write_text("import thera_analytics.rules\n")
    (tmp_path / "thera_analytics" / "rules.py").write_text(
        "def f():\n    from dashboards import view\n")
    assert import_graph.upward(tmp_path) == [("thera_analytics.rules", "dashboards.view")]
    assert import_graph.cycles(tmp_path) == [["dashboards.view", "thera_analytics.rules"]]


def test_importing_every_core_module_loads_no_ui_library():
    code = (
        "import sys, pkgutil, importlib, thera_analytics\n"
        "for m in pkgutil.walk_packages(thera_analytics.__path__, 'thera_analytics.'):\n"
        "    importlib.import_module(m.name)\n"
        f"ui = {import_graph.UI_LIBRARIES!r}\n"
        "print(','.join(m for m in sys.modules if m.split('.')[0] in ui))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ""


def test_the_core_loads_no_ui_library_even_inside_a_function():
    # Not Panel, HoloViews, Bokeh, a notebook runner or the apps, at import or when called.
    assert import_graph.core_ui_imports() == []


_dup_spec = importlib.util.spec_from_file_location(
    "calendar_duplicates", ROOT / "scripts" / "calendar_duplicates.py")
assert _dup_spec and _dup_spec.loader
calendar_duplicates = importlib.util.module_from_spec(_dup_spec)
_dup_spec.loader.exec_module(calendar_duplicates)


def test_the_two_calendars_share_no_run_of_six_copied_lines():
    assert calendar_duplicates.shared_runs() == []


def test_the_duplicate_check_sees_a_copied_run(tmp_path):
    body = "".join(f"    value_{i} = compute({i})  # a comment is ignored\n" for i in range(7))
    for side in calendar_duplicates.SIDES:
        (tmp_path / side).mkdir(parents=True)
        (tmp_path / side / "part.py").write_text("def f():\n\n" + body)
    assert calendar_duplicates.shared_runs(tmp_path) == [
        ("dashboards/scheduler/part.py", 1, "dashboards/practice/part.py", 1, 8)]
