"""The practice dashboard's Viewers without a server: lanes, filters, record, panels, downloads."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import panel as pn
import pytest

from dashboards.practice.app import PracticeApp, create_app
from dashboards.practice.attendance import AttendancePanel
from dashboards.practice.backlog import SCOPES, BacklogPanel, clinician_table
from dashboards.practice.completion import CompletionPanel
from dashboards.practice.context import READER, PracticeContext
from dashboards.practice.lanes import KIND_CODE, lane_px_for, lane_view
from dashboards.practice.period import PeriodPicker, preset_period
from dashboards.practice.practice_week import PracticeWeek, codes_html
from dashboards.practice.record import RecordPanel, record_html
from dashboards.shared.messages import OpenEvent
from tests.conftest import _demo_hash
from tests.factories import make_practice
from thera_analytics import reports
from thera_analytics.clock import FixedClock
from thera_analytics.domain import palette
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.outcome_change import OutcomeChange
from thera_analytics.domain.palette import ColourFamily
from thera_analytics.reports import analyst_snapshot
from thera_analytics.reports.source import snapshot_path
from thera_analytics.sample.generator import generate_practice
from thera_analytics.service import accounts, catalog
from thera_analytics.store.database import Database

# Wednesday 25 November 2026, 14:00 in Sydney: the sample's week is half over.
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
MONDAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("practice") / "practice.duckdb"
    with Database(path) as db:
        generate_practice(db, clinicians=4, weeks=6, seed=3, now=NOW,
                          password_hash=_demo_hash())
    return path


@pytest.fixture
def db(sample_file: Path) -> Iterator[Database]:
    with Database(sample_file) as database:
        yield database


@pytest.fixture
def ctx(db: Database) -> PracticeContext:
    return PracticeContext(db=db, actor=accounts.actor_for(db, "manager"),
                           clock=FixedClock(NOW))


# -- lanes (no plotting) ---------------------------------------------------------------------------

def test_each_clinician_gets_a_lane_and_each_event_a_block_inside_it(ctx: PracticeContext
                                                                     ) -> None:
    week = PracticeWeek(context=ctx)
    events = week.events
    view = week._view
    assert len(view.lanes) == 4 and len(view.blocks) == len(events) > 60
    lanes = dict(zip(view.lanes["clinician_id"], view.lanes["lane"], strict=True))
    blocks = view.blocks.set_index("event_id")
    for row in events.itertuples():
        block = blocks.loc[row.event_id]
        assert block["lane"] == lanes[row.clinician_id]
        assert lanes[row.clinician_id] < block["y0"] < block["y1"] < lanes[row.clinician_id] + 1
        day = (row.local_date.date() - MONDAY).days
        assert day < block["x0"] < block["x1"] < day + 1
        assert block["fill"] == palette.FILL[ColourFamily(row.colour_family)]
        x, y = (block["x0"] + block["x1"]) / 2, (block["y0"] + block["y1"]) / 2
        assert view.event_at(x, y) == row.event_id
    assert view.event_at(0.001, 0.01) is None  # Monday before the first hour: empty


def test_a_week_shows_kind_codes_and_a_day_shows_words_and_attendance(ctx: PracticeContext
                                                                     ) -> None:
    week = PracticeWeek(context=ctx)
    codes = set(week._view.labels["text"])
    assert {"S", "V"} <= codes <= set(KIND_CODE.values()) | {"Personal/leave", "Leave"}
    week.day = "Mon"
    day = week._view
    assert day.xlim == (0.0, 1.0)
    assert any(t.startswith("Session\n") for t in day.labels["text"])  # kind, then the client
    assert len(day.marks) > 0 and set(day.marks["colour"]) <= {
        *palette.ATTENDANCE.values(), *palette.STATUS.values()}
    assert [t for _, t in day.x_ticks][:2] == ["08:00", "09:00"]


def test_the_three_dots_follow_the_record(ctx: PracticeContext) -> None:
    view = PracticeWeek(context=ctx)._view
    events = PracticeWeek(context=ctx).events.set_index("event_id")
    dots = view.dots.sort_values(["event_id", "dot"])
    client = events[events["event_group"] == "client"]
    assert set(dots["event_id"]) == set(client.index)
    for event_id, group in dots.groupby("event_id"):
        flags = client.loc[event_id, ["dot_details", "dot_plan", "dot_outcome"]].tolist()
        assert group["colour"].tolist() == [
            palette.DOT_GREEN if f else palette.DOT_GREY for f in flags]


def test_lane_height_shrinks_for_a_large_practice_but_stays_readable() -> None:
    assert lane_px_for(4) == 56 and lane_px_for(8) == 56
    assert lane_px_for(50) == 30 and lane_px_for(200) == 30


def test_overlapping_events_of_one_clinician_share_the_lane() -> None:
    base = {"event_group": "client", "colour_family": "blue", "kind_label": "Client session",
            "kind": "client_session", "title": "", "duration_minutes": 50, "direct": True,
            "client_names": "Cara Cole", "attendance": "-", "status": None,
            "dot_details": True, "dot_plan": False, "dot_outcome": False,
            "clinician_id": 1, "clinician_name": "Ann", "service_name": "Therapy",
            "complete": False}
    rows = [{**base, "event_id": i, "local_start": pd.Timestamp(f"2026-11-23 {h}"),
             "starts_at": pd.Timestamp(f"2026-11-22 {h}", tz="UTC"),
             "ends_at": pd.Timestamp(f"2026-11-22 {h}", tz="UTC") + pd.Timedelta(minutes=50)}
            for i, h in ((1, "09:00"), (2, "09:30"), (3, "11:00"))]
    view = lane_view(pd.DataFrame(rows), pd.DataFrame({"id": [1], "name": ["Ann"]}), MONDAY)
    b = view.blocks.set_index("event_id")
    assert b.loc[1, "y1"] <= b.loc[2, "y0"]  # one above the other
    assert b.loc[3, "y1"] - b.loc[3, "y0"] > 2 * (b.loc[1, "y1"] - b.loc[1, "y0"]) * 0.9


def _ann_rows(*starts: tuple[int, str], names: str = "Cara Cole") -> pd.DataFrame:
    base = {"event_group": "client", "colour_family": "blue", "kind_label": "Client session",
            "kind": "client_session", "title": "", "duration_minutes": 50, "direct": True,
            "client_names": names, "attendance": "-", "status": None,
            "dot_details": True, "dot_plan": False, "dot_outcome": False,
            "clinician_id": 1, "clinician_name": "Ann", "service_name": "Therapy",
            "complete": False}
    return pd.DataFrame([
        {**base, "event_id": i, "local_start": pd.Timestamp(f"2026-11-23 {h}"),
         "starts_at": pd.Timestamp(f"2026-11-22 {h}", tz="UTC"),
         "ends_at": pd.Timestamp(f"2026-11-22 {h}", tz="UTC") + pd.Timedelta(minutes=50)}
        for i, h in starts])


def test_overlapping_events_get_a_row_each_as_tall_as_a_lane() -> None:
    people = pd.DataFrame({"id": [1, 2], "name": ["Ann", "Bo"]})
    frame = _ann_rows((1, "09:00"), (2, "09:15"), (3, "09:30"), (4, "11:00"))
    for focus in (None, 0):
        view = lane_view(frame, people, MONDAY, focus=focus)
        assert view.rows == (3, 1) and view.frame_height == 4 * view.lane_px
        assert [y for y, _ in view.y_ticks] == [1.5, 3.5]  # each name beside its own lane
        b = view.blocks.set_index("event_id")
        for i in (1, 2, 3):  # each of the three at once is nearly a whole lane tall
            assert (b.loc[i, "y1"] - b.loc[i, "y0"]) * view.lane_px >= 0.75 * view.lane_px
            assert 0 < b.loc[i, "y0"] < b.loc[i, "y1"] < 3
        assert b.loc[1, "y1"] <= b.loc[2, "y0"] and b.loc[2, "y1"] <= b.loc[3, "y0"]
    day = lane_view(frame, people, MONDAY, focus=0)
    texts = day.labels["text"].tolist()
    assert len(texts) == 4 and all(t.startswith("Session\nCara Cole") for t in texts)
    assert lane_view(frame, people, MONDAY, focus=1).rows == (1, 1)  # Tuesday: nothing at once


def test_a_long_name_wraps_to_a_second_line_before_it_is_cut() -> None:
    people = pd.DataFrame({"id": [1], "name": ["Ann"]})
    frame = _ann_rows((1, "09:00"), names="Charlotte Johnson")
    text = lane_view(frame, people, MONDAY, focus=0).labels["text"].iloc[0]
    lines = text.split("\n")
    assert lines[0] == "Session" and "…" not in text
    assert " ".join(lines[1:3]) == "Charlotte Johnson"


def test_a_wide_screen_widens_the_week_and_fits_the_text_to_it(ctx: PracticeContext) -> None:
    week = PracticeWeek(context=ctx)
    week.day = "Mon"
    narrow = week._view
    assert narrow.frame_width == 1060
    week.available_width = 1900
    wide = week._view
    assert wide.frame_width == 1900 - 170 - 8 - 20
    longest = max(len(line) for t in wide.labels["text"] for line in t.split("\n"))
    assert longest > max(len(line) for t in narrow.labels["text"] for line in t.split("\n"))
    root = pn.panel(week).get_root()
    [fig] = root.select({"name": "thera-practice-week"})
    assert fig.frame_width == wide.frame_width
    week.available_width = 900  # a narrow window keeps the readable minimum
    assert week._view.frame_width == 1060


# -- filters ---------------------------------------------------------------------------------------

def test_filters_by_clinician_kind_presence_service_and_incomplete(
        ctx: PracticeContext, db: Database) -> None:
    week = PracticeWeek(context=ctx)
    sql = db.df("SELECT e.id, e.clinician_id, e.kind, e.direct, e.service_id FROM events e"
                " WHERE e.week_start = ? AND e.cancelled_at IS NULL", [MONDAY])
    clinician = int(sql["clinician_id"].iloc[0])
    week.clinician_ids = [clinician]
    week.kinds = [EventKind.CLIENT_SESSION.value]
    expected = sql[(sql["clinician_id"] == clinician) & (sql["kind"] == "client_session")]
    assert sorted(week.filtered()["event_id"]) == sorted(expected["id"])
    assert list(week._view.lanes["clinician_id"]) == [clinician]  # one lane
    assert sorted(week._view.blocks["event_id"]) == sorted(expected["id"])
    assert f"<b>{len(expected)}</b> of {len(sql):,} events shown · 1 clinician" in \
        week._summary.object

    week.clear_filters()
    week.presence = "Indirect"
    assert sorted(week.filtered()["event_id"]) == sorted(
        sql[sql["direct"].eq(False).fillna(False)]["id"])
    week.presence = "All"
    service = int(sql["service_id"].dropna().iloc[0])
    week.service_ids = [service]
    assert sorted(week.filtered()["event_id"]) == sorted(sql[sql["service_id"] == service]["id"])
    week.clear_filters()
    week.incomplete_only = True
    kept = week.filtered()
    # The backlog report as of the dashboard's clock (the note_backlog view reads the real
    # clock; the browser test compares with the view itself).
    backlog = reports.backlog_items(db, NOW, start=MONDAY, end=MONDAY + timedelta(days=6))
    assert sorted(kept["event_id"]) == sorted(backlog["event_id"])
    assert f"{len(kept)}</b> of them not complete" in week._summary.object


def test_the_week_follows_the_context_and_keeps_the_filters(ctx: PracticeContext) -> None:
    week = PracticeWeek(context=ctx)
    week.kinds = [EventKind.VIDEO_SESSION.value]
    ctx.shift(-1)
    assert week.events["local_date"].min().date() >= MONDAY - timedelta(days=7)
    assert set(week.filtered()["kind"]) == {"video_session"}
    assert week._view.monday == MONDAY - timedelta(days=7)
    assert week._view.today_index is None  # last week has no today


def test_clicking_an_event_asks_to_open_it_and_outlines_it(ctx: PracticeContext) -> None:
    week = PracticeWeek(context=ctx)
    block = week._view.blocks.iloc[5]
    week._on_tap(x=(block["x0"] + block["x1"]) / 2, y=(block["y0"] + block["y1"]) / 2)
    assert isinstance(week.request, OpenEvent) and week.request.event_id == block["event_id"]
    assert week.selected == block["event_id"]
    week._on_tap(x=0.0005, y=0.02)  # nothing there: nothing asked
    assert week.request.event_id == block["event_id"]


def test_the_codes_legend_names_every_kind() -> None:
    html = codes_html()
    for kind in EventKind:
        assert kind.label in html and f"<code>{KIND_CODE[kind.label]}</code>" in html
    assert len(set(KIND_CODE.values())) == len(EventKind)


# -- the record, read-only -------------------------------------------------------------------------

def test_the_record_is_read_only_and_escapes_what_it_shows() -> None:
    tp = make_practice()
    evil = "<img src=x onerror=alert(1)>Eve"
    client = catalog.add_client(tp.db, evil, tp.clock.now)
    event_id = tp.create(client_ids=(client,))
    tp.clock.set(tp.clock.now + timedelta(hours=3))
    version = tp.practice.save_outcome(tp.ann, event_id, 1,
        OutcomeChange.of(attendance={client: "attended"},
                                       note="<script>x()</script>\nsecond line"))
    version = tp.practice.save_plan(tp.ann, event_id, version, "plan")
    tp.practice.sign(tp.ann, event_id, version)
    context = PracticeContext(db=tp.db, actor=tp.manager, clock=tp.clock)
    panel = RecordPanel(context=context)
    assert panel.show(event_id)
    html = panel._body.object
    assert "<script>" not in html and "&lt;script&gt;x()&lt;/script&gt;\nsecond line" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;Eve" in html
    assert "Signed" in html and "Amendable until" in html
    assert f"/scheduler?event={event_id}" in html
    widgets = [w for w in panel._drawer.select(pn.widgets.Widget)]
    assert [w.label for w in widgets] == ["✕ Close"]  # nothing to edit
    tp.clock.set(tp.clock.now + timedelta(hours=30))
    assert "Locked since" in record_html(panel.record, context)  # type: ignore[arg-type]
    assert not panel.show(999_999) and "no event 999999" in panel._body.object
    panel.hide()
    assert not panel._drawer.visible and panel.event_id is None


def test_the_record_shows_every_stored_value_by_its_label() -> None:
    tp = make_practice()
    ada = catalog.add_client(tp.db, "Ada Lovelace", tp.clock.now)
    bo = catalog.add_client(tp.db, "Bo Diddley", tp.clock.now)
    event_id = tp.create(kind=EventKind.GROUP_SESSION, client_ids=(ada, bo))
    tp.clock.set(tp.clock.now + timedelta(hours=3))
    version = tp.practice.save_outcome(tp.ann, event_id, tp.version(event_id), OutcomeChange.of(
        attendance={ada: "attended", bo: "non_billable"}))
    version = tp.practice.save_plan(tp.ann, event_id, version, "Plan")
    version = tp.practice.sign(tp.ann, event_id, version)
    tp.practice.save_outcome(tp.ann, event_id, version,
        OutcomeChange.of(attendance={ada: "late_cancellation"},
                             reasons={ada: "transport"}, homework_enabled=True))
    context = PracticeContext(db=tp.db, actor=tp.manager, clock=tp.clock)
    panel = RecordPanel(context=context)
    assert panel.show(event_id)
    html = panel._body.object
    assert "Late cancellation" in html and "Non-billable" in html
    assert "Attendance (Ada Lovelace): “Attended” → “Late cancellation”" in html
    assert "Homework enabled: “off” → “on”" in html
    for raw in ("late_cancellation", "non_billable", "homework_enabled", "Non billable"):
        assert raw not in html


# -- report panels ---------------------------------------------------------------------------------

def test_completion_panel_shows_the_report_figures_for_the_week(ctx: PracticeContext,
                                                                db: Database) -> None:
    panel = CompletionPanel(context=ctx)
    weekly = reports.completion_by_week(db, MONDAY, MONDAY + timedelta(days=6), as_of=NOW)
    pd.testing.assert_frame_equal(panel.weekly, weekly)
    assert int(panel._table.value["Incomplete"].sum()) == int(weekly["incomplete"].sum())
    items = reports.backlog_items(db, NOW, start=MONDAY, end=MONDAY + timedelta(days=6))
    assert list(panel._missing.value["Event"]) == list(items["event_id"])
    assert len(items) == int(weekly["incomplete"].sum())  # the missing list is the backlog
    assert f'data-figure="completion-incomplete">{len(items)}<' in panel._figures.object
    share = weekly["complete"].sum() / weekly["ended"].sum()
    assert f'data-figure="completion-complete-share">{100 * share:.1f}%<' in \
        panel._figures.object
    panel._on_row(type("Click", (), {"row": 0})())
    assert panel.request.event_id == int(items["event_id"].iloc[0])


def test_backlog_panel_for_all_open_notes_and_for_the_week(ctx: PracticeContext,
                                                           db: Database) -> None:
    panel = BacklogPanel(context=ctx)
    every = reports.backlog_by_clinician(db, NOW)
    pd.testing.assert_frame_equal(panel.by_clinician, every)
    assert f'data-figure="backlog-total">{int(every["total"].sum()):,}<' in panel._figures.object
    pd.testing.assert_frame_equal(panel._table.value, clinician_table(every))
    panel.scope = SCOPES[1]
    week = reports.backlog_by_clinician(db, NOW, start=MONDAY, end=MONDAY + timedelta(days=6))
    pd.testing.assert_frame_equal(panel.by_clinician, week)
    assert int(week["total"].sum()) < int(every["total"].sum())
    assert len(panel.oldest) <= 25 and panel.oldest["age_hours"].is_monotonic_decreasing
    assert list(panel.signing.columns[:2]) == ["clinician_id", "clinician"]


def test_attendance_panel_follows_its_period(ctx: PracticeContext, db: Database) -> None:
    panel = AttendancePanel(context=ctx)
    period = panel.picker.period
    assert period == reports.Period.weeks_ending(MONDAY, 4)
    total = reports.attendance_by(db, "total", period.start, period.end)
    assert f'data-figure="attendance-attended">{100 * total["attended_rate"].iloc[0]:.1f}%<' \
        in panel._figures.object
    panel.picker.preset = "Last month"
    assert panel.picker.period == reports.Period.month(2026, 10)
    by_service = reports.attendance_by(db, "service", "2026-10-01", "2026-10-31")
    assert list(panel._services.value["Client sessions"]) == list(by_service["sessions"])
    panel.picker._range.value = (date(2026, 11, 2), date(2026, 11, 8))
    assert panel.picker.preset == "Custom"
    assert panel.billing.equals(reports.billing_summary(db, "2026-11-02", "2026-11-08"))


def test_named_periods(ctx: PracticeContext) -> None:
    assert preset_period("Chosen week", ctx) == reports.Period.week(MONDAY)
    assert preset_period("This month", ctx) == reports.Period(date(2026, 11, 1), MONDAY
                                                                  + timedelta(days=2))
    assert preset_period("Last 3 months", ctx) == reports.Period(date(2026, 8, 1),
                                                                     date(2026, 10, 31))
    assert PeriodPicker(context=ctx).period == reports.Period.weeks_ending(MONDAY, 4)


def test_downloads_are_the_report_tables_as_csv(ctx: PracticeContext) -> None:
    panel = CompletionPanel(context=ctx)
    button = panel._week_dl
    assert button.filename == "completion-week-2026-11-23.csv"
    text = button.callback().getvalue().decode("utf-8")
    pd.testing.assert_frame_equal(pd.read_csv(io.StringIO(text)),
                                  pd.read_csv(io.StringIO(panel.weekly.to_csv(index=False))))
    assert text.splitlines()[0].startswith("clinician_id,clinician,week_start,client_events")


# -- the app ---------------------------------------------------------------------------------------

def test_the_app_opens_on_the_week_and_reads_other_tabs_when_opened(db: Database) -> None:
    app = create_app(db, accounts.actor_for(db, "manager"), FixedClock(NOW))
    assert isinstance(app, PracticeApp)
    assert not app.completion.loaded and not app.backlog.loaded and not app.attendance.loaded
    app.show_tab("Backlog")
    assert app.backlog.loaded and not app.completion.loaded
    app.show_tab("Completion")
    app.completion.request = OpenEvent(int(app.completion.missing["event_id"].iloc[0]))
    assert app.record._drawer.visible and app.week.selected == app.record.event_id
    app.record.hide()
    assert app.week.selected is None
    app.context.shift(-1)  # a panel already read follows the week
    assert app.completion.weekly["week_start"].min() == pd.Timestamp(MONDAY - timedelta(7))
    assert 'data-as-of="2026-11-25T03:00:00+00:00">Wed 25 Nov, 14:00</b>' in \
        app._measured.object
    root = pn.panel(app).get_root()
    assert root is not None


def test_a_report_tab_opened_later_sends_its_tables_only_once_they_have_rows(
        db: Database) -> None:
    """The browser's table drops rows that arrive while it is still being built: a tab's tables
    must reach the page after its data is read, not empty and filled a moment later."""
    from bokeh.document import Document

    app = create_app(db, accounts.actor_for(db, "manager"), FixedClock(NOW))
    doc = Document()
    doc.add_root(pn.panel(app).get_root(doc))

    def tables() -> dict[str, int]:
        """The tables on the page, by their class: how many rows each carries."""
        out = {}
        for model in doc.models:
            names = [c for c in getattr(model, "css_classes", []) if c.startswith("thera-table-")]
            if type(model).__name__ == "DataTabulator" and names:
                out[names[0]] = max((len(v) for v in model.source.data.values()), default=0)
        return out

    on_page_when_read: dict[str, dict[str, int]] = {}
    for name, panel in (("Completion", app.completion), ("Backlog", app.backlog)):
        panel.param.watch(lambda _, name=name: on_page_when_read.setdefault(name, tables()),
                          "loaded")
        app.show_tab(name)
    # When each panel read its data, none of its tables was on the page yet (the other tab's
    # were taken off when it was hidden).
    assert on_page_when_read == {"Completion": {}, "Backlog": {}}, on_page_when_read
    drawn = tables()
    for table in ("thera-table-backlog-by-clinician", "thera-table-oldest",
                  "thera-table-signing"):
        assert drawn[table] > 0, drawn  # then they came, with their rows


def test_the_refresh_button_writes_the_analyst_snapshot(sample_file: Path) -> None:
    with Database(sample_file) as db:
        app = create_app(db, accounts.actor_for(db, "manager"), FixedClock(NOW))
        target = snapshot_path(sample_file)
        target.unlink(missing_ok=True)
        # Its own thread: a browser test before this one may leave an event loop running here.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, app._on_snapshot(None)).result(timeout=60)
        assert target.exists() and "Analyst snapshot: <b>" in app._snapshot_status.object
        assert "written in" in app._snapshot_status.object
        taken = analyst_snapshot.last_snapshot_time(db)
        assert taken is not None
        # Its age is read on the app's clock, not the wall clock.
        app.context.clock = FixedClock(taken + timedelta(minutes=7))
        app._show_snapshot()
        assert "(7 min ago)" in app._snapshot_status.object
    with reports.open_for_reading(target) as copy:
        assert copy.is_snapshot and copy.source_name == "practice.duckdb"
        assert copy.df("SELECT count(*) AS n FROM events")["n"].iloc[0] > 0


def test_a_notebook_context_reads_the_file_as_a_manager_who_cannot_write(sample_file: Path
                                                                         ) -> None:
    context = PracticeContext.open(sample_file, as_of=NOW)
    try:
        assert context.actor is READER and context.db.read_only
        assert context.week == MONDAY and context.today == date(2026, 11, 25)
        week = PracticeWeek(context=context)
        record = RecordPanel(context=context, drawer=False)
        assert record.show(int(week.events["event_id"].iloc[0]))
        assert "position" not in record._drawer.styles
    finally:
        context.db.close()


def test_the_drawn_figure_follows_the_lanes_and_the_day(ctx: PracticeContext) -> None:
    week = PracticeWeek(context=ctx)
    root = pn.panel(week).get_root()
    [fig] = root.select({"name": "thera-practice-week"})
    assert (fig.y_range.start, fig.y_range.end) == (4.0, 0.0)  # four lanes, first on top
    assert fig.frame_height == 4 * 56 and fig.frame_width == 1060
    week.clinician_ids = [int(week.lanes()["id"].iloc[0])]
    assert (fig.y_range.start, fig.y_range.end) == (1.0, 0.0) and fig.frame_height == 56
    week.day = "Tue"
    assert (fig.x_range.start, fig.x_range.end) == (1.0, 2.0)
    week.day = "Week"
    assert (fig.x_range.start, fig.x_range.end) == (0.0, 5.0)
    blocks = next(r for r in fig.renderers if "event_id" in r.data_source.data)
    assert blocks.glyph.fill_color.field == "fill" and blocks.glyph.line_color.field == "edge"
    assert set(blocks.data_source.data["fill"]) <= set(palette.FILL.values())


# -- the page header -------------------------------------------------------------------------------

def test_the_header_names_a_user_and_their_role_once() -> None:
    from dashboards.shell import header
    from thera_analytics.domain.actor import Actor, Role

    manager = header(Actor(1, Role.MANAGER, "Practice manager"), "Practice").object
    assert manager.count("Practice manager") == 1
    named = header(Actor(2, Role.MANAGER, "Rosa Diaz"), "Practice").object
    assert "Rosa Diaz" in named and "Practice manager" in named


def test_share_columns_show_the_number_beside_its_bar_not_on_it() -> None:
    from bokeh.models.widgets.tables import HTMLTemplateFormatter

    from dashboards.practice.tables import report_table

    table = report_table(pd.DataFrame({"Share %": [36.4, None]}), percent=("Share %",))
    formatter = table.formatters["Share %"]
    assert isinstance(formatter, HTMLTemplateFormatter)
    template = formatter.template
    # The number in its own span, then the bar as a sibling: never text drawn over the fill.
    assert template.index("thera-bar-value") < template.index("thera-bar\"")
    assert "<%= value %></span>" in template and "isNaN(value)" in template


def test_attendance_panel_at_a_past_instant_shows_the_marks_of_then() -> None:
    tp = make_practice()
    e = tp.create()  # Monday 1 June 2026
    tp.clock.set(datetime(2026, 6, 1, 12, tzinfo=UTC))
    v = tp.practice.record_attendance(tp.ann, e, tp.version(e), {tp.clients[0]: "attended"})
    tp.clock.set(datetime(2026, 6, 2, 12, tzinfo=UTC))
    tp.practice.record_attendance(tp.ann, e, v, {tp.clients[0]: "no_show"})
    then = datetime(2026, 6, 1, 18, tzinfo=UTC)
    ctx = PracticeContext(db=tp.db, actor=READER, clock=FixedClock(then), as_of=then,
                          week=date(2026, 6, 1))
    panel = AttendancePanel(context=ctx)
    assert panel.picker.period.contains(date(2026, 6, 1))
    panel.load()
    total = panel.breakdowns["total"]
    assert (int(total["attended"].iloc[0]), int(total["no_show"].iloc[0])) == (1, 0)
    tp.db.close()
