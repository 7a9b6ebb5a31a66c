"""Calendar reads: a clinician's week or the practice's week, with the three dots."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from thera_analytics.domain.actor import Actor, Role
from thera_analytics.domain.attendance import Attendance, SessionStatus
from thera_analytics.domain.dots import dots_for
from thera_analytics.domain.errors import PermissionDenied
from thera_analytics.store.database import Database


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_events(db: Database, week: date, clinician_id: int | None = None) -> pd.DataFrame:
    """Events of the local week containing ``week``; one clinician's, or all when None.

    Adds ``dot_details``, ``dot_plan``, ``dot_outcome`` and ``complete`` (False for non-client
    events, which carry no dots), computed by the same rule the editor uses.
    """
    start = monday(week)
    frame = db.named("calendar_week", [start, clinician_id, clinician_id, clinician_id])
    is_client = frame["event_group"].eq("client")
    dots = [
        dots_for(
            details_valid=bool(service is not None and not pd.isna(service) and n > 0),
            plan_saved=bool(plan),
            direct=bool(direct),
            attendance=[None if a == "-" else Attendance(a) for a in att.split(",") if a]
            if att else [],
            status=SessionStatus(status) if isinstance(status, str) else None,
            signed=signed is not None and not pd.isna(signed),
        ).as_tuple() if client else (False, False, False)
        for client, service, n, plan, direct, att, status, signed in zip(
            is_client, frame["service_id"], frame["clients"], frame["plan_saved"],
            frame["direct"], frame["attendance"], frame["status"], frame["signed_at"],
            strict=True,
        )
    ]
    dot_frame = pd.DataFrame(dots, columns=["dot_details", "dot_plan", "dot_outcome"],
                             index=frame.index, dtype=bool)
    frame = pd.concat([frame, dot_frame], axis=1)
    frame["complete"] = frame["dot_details"] & frame["dot_plan"] & frame["dot_outcome"]
    return frame


def week_for(db: Database, actor: Actor, week: date,
             clinician_id: int | None = None) -> pd.DataFrame:
    """The week an actor may see: a clinician their own, a manager anyone's or everyone's."""
    if actor.role is Role.CLINICIAN:
        if clinician_id not in (None, actor.clinician_id):
            raise PermissionDenied("calendar: a clinician sees their own calendar")
        return week_events(db, week, actor.clinician_id)
    if actor.role is Role.MANAGER:
        return week_events(db, week, clinician_id)
    raise PermissionDenied("calendar: clients see their sessions in the portal")
