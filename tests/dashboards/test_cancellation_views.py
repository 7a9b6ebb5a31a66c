"""The Cancellations and Changes tabs and the reasons list, without a server."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from dashboards.practice.app import TABS, PracticeApp
from dashboards.practice.cancellations import CancellationsPanel
from dashboards.practice.changes import ChangesPanel
from dashboards.practice.context import PracticeContext
from dashboards.scheduler.calendar import OpenEvent
from tests.factories import make_practice


@pytest.fixture
def tp():
    tp = make_practice()
    cara, dan = tp.clients[0], tp.clients[1]
    first = tp.create(client_ids=(cara, dan))
    tp.clock.advance(timedelta(hours=4))
    tp.practice.record_attendance(tp.ann, first, tp.version(first),
                                  {cara: "attended", dan: "late_cancellation"},
                                  {dan: ("other", "Car trouble")})
    second = tp.create(start=tp.details().start + timedelta(days=1),
                       end=tp.details().end + timedelta(days=1))
    tp.practice.cancel(tp.ann, second, tp.version(second), reason="weather")
    tp.extra.update(first=first, second=second)
    yield tp
    tp.db.close()


def _ctx(tp):
    return PracticeContext(db=tp.db, actor=tp.manager, clock=tp.clock)


def test_the_cancellations_tab_breaks_down_and_opens_a_record(tp):
    panel = CancellationsPanel(context=_ctx(tp))
    assert len(panel.items) == 2
    assert 'data-figure="cancellations-total">2<' in panel._figures.object
    assert "Rebooked within 14 days" in panel._figures.object
    assert panel._table.value["Reason"].tolist() == ["Other", "Weather"]
    panel.by = "By weekday"
    assert panel._table.value["Weekday"].tolist() == ["Monday", "Tuesday"]
    assert panel._table_dl.filename.startswith("cancellations-by-weekday-")
    assert panel._chart.object is not None
    items = panel._items.value
    assert items.loc[0, "Reason"] == "Weather" and items.loc[1, "Reason"] == "Other: Car trouble"
    panel._on_row(type("Click", (), {"row": 1})())
    assert panel.request.event_id == tp.extra["first"]


def test_the_manager_adds_and_retires_reasons_from_the_tab(tp):
    panel = CancellationsPanel(context=_ctx(tp))
    reasons = panel.reasons
    reasons.label.value = "Car broke down"
    reasons.add.clicks += 1
    assert "Added" in reasons.message.object
    assert "Car broke down" in reasons._table.value["Reason"].tolist()
    reasons.label.value = "car broke down"
    reasons.add.clicks += 1
    assert "already a reason" in reasons.message.object
    reasons.retired.value = "weather"
    reasons.retire.clicks += 1
    row = reasons._table.value.set_index("Reason").loc["Weather"]
    assert row["Offered"].startswith("retired ")
    assert "weather" not in reasons.retired.options.values()
    # The cancellation given "Weather" keeps it.
    assert "Weather" in panel._table.value["Reason"].tolist()


def test_the_changes_tab_filters_by_clinician_and_client(tp):
    panel = ChangesPanel(context=_ctx(tp))
    assert panel.picker.preset == "Chosen week"
    whats = panel._rows.value["What"].tolist()
    assert whats == ["Cancelled", "Booked", "Outcome recorded", "Booked"]
    assert "Cara Cole" in panel.client.options
    panel.client.value = "Dan Dale"
    assert panel._rows.value["What"].tolist() == ["Outcome recorded", "Booked"]
    assert "Cancellation reason (Dan Dale): — → Other" in panel._rows.value.loc[0, "Details"]
    panel.client.value = ""
    panel.clinician.value = tp.ben.clinician_id
    assert panel._rows.value.empty
    assert "0 changes" in panel._summary.object
    panel.clinician.value = 0
    csv = panel.table
    assert isinstance(csv, pd.DataFrame) and "details" in csv.columns
    panel._on_row(type("Click", (), {"row": 0})())
    assert panel.request.event_id == tp.extra["second"]


def test_the_dashboard_has_both_tabs():
    assert TABS[-2:] == ("Cancellations", "Changes")
    tp = make_practice()
    app = PracticeApp(context=_ctx(tp), live=False, shell=False)
    app.show_tab("Changes")
    assert app.changes.loaded
    app.changes.request = OpenEvent(999)  # an unknown event: the drawer stays closed
    tp.db.close()
