"""Charts are built from the report tables with palette colours; the core stays chart-free."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import holoviews as hv
import pandas as pd
import pytest

from dashboards import charts
from tests.notebooks.sample_practice import AS_OF, build_sample
from thera_analytics import reports
from thera_analytics.domain import palette
from thera_analytics.store.database import Database

WEEKS = ("2026-10-26", "2026-11-22")
PALETTE = {c.lower() for c in (
    *palette.ATTENDANCE.values(), *palette.STATUS.values(), *palette.FILL.values(),
    *palette.EDGE.values(), palette.TEXT, palette.GRID, palette.DOT_GREEN, palette.DOT_GREY,
    palette.TODAY)}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = build_sample(Path(tmp_path_factory.mktemp("sample")) / "sample.duckdb")
    with reports.open_for_reading(path) as database:
        yield database


def colours_of(obj: hv.core.Dimensioned) -> set[str]:
    """Every colour a chart's elements were given (``color`` and ``cmap`` options)."""
    found: set[str] = set()
    elements = obj.values() if isinstance(obj, hv.Overlay) else [obj]
    for element in elements:
        opts = hv.Store.lookup_options("bokeh", element, "style").kwargs
        opts |= hv.Store.lookup_options("bokeh", element, "plot").kwargs
        colour = opts.get("color")
        if isinstance(colour, str) and colour.startswith("#"):
            found.add(colour.lower())
        cmap = opts.get("cmap")
        if isinstance(cmap, dict):
            found |= {c.lower() for c in cmap.values()}
        elif isinstance(cmap, list):
            found |= {c.lower() for c in cmap}
    return found


def test_every_chart_takes_its_colours_from_the_palette(db: Database) -> None:
    breakdowns = reports.attendance_breakdowns(db, "2026-10-01", "2026-10-31")
    built = [
        charts.attendance_trend_chart(reports.attendance_trend(db, *WEEKS)),
        charts.attendance_mix_chart(breakdowns["clinician"], "clinician", "clinician"),
        charts.backlog_trend_chart(reports.backlog_trend(db, *WEEKS, as_of=AS_OF)),
        charts.backlog_by_clinician_chart(reports.backlog_by_clinician(db, AS_OF)),
        charts.signing_delay_chart(reports.signing_delay_distribution(db, *WEEKS, as_of=AS_OF)),
        charts.completion_trend_chart(reports.completion_by_week(db, *WEEKS, as_of=AS_OF,
                                                                 by="practice")),
    ]
    for chart in built:
        used = colours_of(chart)
        assert used, chart
        assert used <= PALETTE, used - PALETTE
    # No show is drawn in the palette's no-show grey, late cancellation in its orange.
    assert colours_of(built[0]) == {palette.ATTENDANCE["no_show"],
                                    palette.ATTENDANCE["late_cancellation"]}


def test_charts_render_to_bokeh(db: Database) -> None:
    trend = reports.attendance_trend(db, *WEEKS)
    figure = hv.render(charts.attendance_trend_chart(trend), backend="bokeh")
    assert figure.title.text == "No-show and late-cancellation rates"


def test_importing_the_reports_loads_no_plotting_library() -> None:
    code = ("import sys, thera_analytics.reports, thera_analytics.reports.export; "
            "print(sorted(m for m in ('holoviews', 'panel', 'bokeh', 'nbconvert') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def built_charts(db: Database) -> dict[str, hv.core.Dimensioned]:
    breakdowns = reports.attendance_breakdowns(db, "2026-10-01", "2026-10-31")
    return {
        "attendance trend": charts.attendance_trend_chart(reports.attendance_trend(db, *WEEKS)),
        "attendance mix": charts.attendance_mix_chart(breakdowns["clinician"], "clinician",
                                                      "clinician"),
        "backlog trend": charts.backlog_trend_chart(reports.backlog_trend(db, *WEEKS,
                                                                          as_of=AS_OF)),
        "backlog by clinician": charts.backlog_by_clinician_chart(
            reports.backlog_by_clinician(db, AS_OF)),
        "completion trend": charts.completion_trend_chart(
            reports.completion_by_week(db, *WEEKS, as_of=AS_OF, by="practice")),
    }


def test_legends_sit_beside_the_plot_never_over_the_data(db: Database) -> None:
    from bokeh.models import Legend

    for name, chart in built_charts(db).items():
        figure = hv.render(chart, backend="bokeh")
        inside = [r for r in figure.center if isinstance(r, Legend)]
        beside = [r for side in (figure.right, figure.left, figure.above, figure.below)
                  for r in side if isinstance(r, Legend)]
        assert inside == [], f"{name}: a legend is drawn inside the plot, over the data"
        assert len(beside) == 1, name


def test_the_last_point_of_a_trend_is_inside_the_plot(db: Database) -> None:
    """The x range runs past the last week (and before the first), so the end points and
    their markers are drawn whole, not cut in half by the frame."""
    trend = reports.attendance_trend(db, *WEEKS)
    weekly = reports.completion_by_week(db, *WEEKS, as_of=AS_OF, by="practice")
    for chart, weeks in ((charts.attendance_trend_chart(trend), trend["week_start"]),
                         (charts.completion_trend_chart(weekly), weekly["week_start"])):
        figure = hv.render(chart, backend="bokeh")
        first, last = (pd.Timestamp(w).value / 1e6 for w in (weeks.min(), weeks.max()))
        start, end = (pd.Timestamp(v).value / 1e6 if not isinstance(v, int | float) else v
                      for v in (figure.x_range.start, figure.x_range.end))
        week_ms = 7 * 24 * 3600 * 1000
        assert end - last >= 0.25 * week_ms, (figure.title.text, end, last)
        assert first - start >= 0.25 * week_ms, (figure.title.text, start, first)
