"""The analysts' ``session_facts`` view and the report ``reports.session_facts`` are one
definition (the packaged fragment ``store/queries/session_facts_rows.sql``): the same columns
and the same rows, on both engines, for sessions in every state the rows can differ on."""

from __future__ import annotations

import pandas as pd

from tests.factories import at, make_practice
from thera_analytics import reports
from thera_analytics.domain.kinds import EventKind
from thera_analytics.store.sql import migrations, query

ORDER = ["starts_at", "event_id", "client_id"]


def _view(db) -> pd.DataFrame:
    frame = db.df("SELECT * FROM session_facts")
    for column in frame.columns:  # ENUM columns as text, as the report returns them
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame.sort_values(ORDER).reset_index(drop=True)


def test_the_view_and_the_report_give_the_same_rows(db_target):
    tp = make_practice(db_target)
    try:
        p = tp.practice
        first = tp.create()  # direct, planned, marked and signed: complete
        group = tp.create(client_ids=tuple(tp.clients[:2]),
                          start=tp.details().start.replace(day=2),
                          end=tp.details().end.replace(day=2))
        indirect = tp.create(kind=EventKind.CLIENT_TEAM_MEETING, direct=False,
                             start=tp.details().start.replace(day=3),
                             end=tp.details().end.replace(day=3))
        cancelled = tp.create(client_ids=(tp.clients[2],),
                              start=tp.details().start.replace(day=4),
                              end=tp.details().end.replace(day=4))
        tp.create(kind=EventKind.TEAM_MEETING, client_ids=(), service_id=None,
                  start=tp.details().start.replace(day=5), end=tp.details().end.replace(day=5))
        tp.clock.advance(at(24 * 5))
        v = p.save_plan(tp.ann, first, tp.version(first), "CBT worksheet")
        v = p.record_attendance(tp.ann, first, v, {tp.clients[0]: "attended"})
        p.sign(tp.ann, first, v)
        p.record_attendance(tp.ann, group, tp.version(group), {tp.clients[1]: "no_show"})
        p.record_status(tp.ann, indirect, tp.version(indirect), "in_progress")
        p.cancel(tp.ann, cancelled, tp.version(cancelled), reason="client_illness")

        view = _view(tp.db)
        report = reports.session_facts(tp.db).sort_values(ORDER).reset_index(drop=True)
        assert list(view.columns) == list(report.columns)
        assert len(report) == 4  # the cancelled session and the team meeting are not facts
        pd.testing.assert_frame_equal(view, report, check_dtype=False)
        assert report["complete"].tolist() == [True, False, False, False]
        assert report["first_visit"].tolist() == [True, False, True, False]
    finally:
        tp.db.close()


def test_both_are_written_from_one_fragment():
    view = next(sql for _, name, sql in migrations() if "session_facts" in name)
    body = query("session_facts_rows").rstrip().rstrip(";")
    assert body in view
    assert body in query("session_facts", "thera_analytics.reports")
