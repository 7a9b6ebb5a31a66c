"""A deterministic sample practice at any size, built with numpy and bulk-loaded at once.

The calendar is a grid: each clinician-week has 50 one-hour slots (Monday to Friday, starts
08:00 to 17:00 local) and each event takes one slot (50 minutes), except leave, which blocks a
morning, an afternoon or a whole day. Ranking random keys per clinician-week fills the grid with
about 20-28 client sessions and about 8 indirect or non-client events, never overlapping, with
no Python loop per event. Each team of up to 8 clinicians keeps one slot a week for its team
meeting and the next for a case conference, which every member keeps free.

Clients come from caseload "lanes": each clinician has 40 individual lanes and 8 group lanes,
and a lane holds client episodes back to back (a client stays for weeks to a year, then the
next one starts). A session takes a lane that week, so a client sees one clinician, repeatedly,
for the length of their episode; a group session takes 2-5 of the group lanes. A couples or
family video session (direct, one video link, attendance per client) takes two or three group
lanes that belong together (the same lanes each week, so the same clients until an episode ends).

Only what ended before ``now`` has an outcome, and only what ``now`` has reached is signed. Every
note is signed in the end (75% within a day, 20% within three, the rest within three weeks), and
always after its plan, so the backlog holds only the last few weeks' notes: tens for a demo
practice, as a practice that chases its backlog would show.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

import numpy as np
from tqdm import tqdm

from thera_analytics.domain.errors import ValidationError
from thera_analytics.domain.local_time import practice_zone, week_start
from thera_analytics.sample.calendar_grid import _calendar
from thera_analytics.sample.caseload import _clients
from thera_analytics.sample.outcomes import _outcomes
from thera_analytics.sample.shape import MAX_CLINICIANS, MAX_WEEKS, MAX_WEEKS_AHEAD, _Spec
from thera_analytics.sample.tables import _SEQUENCES, _tables
from thera_analytics.service import audit
from thera_analytics.store import derived, history
from thera_analytics.store.bulk import bulk_insert, next_free_id, restart_sequence
from thera_analytics.store.database import Cursor, Database

_TABLES = (
    "services",
    "clinicians",
    "clients",
    "third_parties",
    "users",
    "events",
    "event_clients",
    "event_team_members",
    "event_third_parties",
    "reminders",
    "plans",
    "outcomes",
    "amendments",
    "comments",
    "cancellations",
)


@dataclass(frozen=True)
class SampleSummary:
    """What a generation wrote, and how long it took."""

    clinicians: int
    clients: int
    events: int
    client_events: int
    session_rows: int  # event_clients rows, the rows of session_facts
    users: int
    seconds: float

def generate_practice(
    db: Database,
    *,
    clinicians: int,
    weeks: int,
    seed: int,
    end: date | None = None,
    weeks_ahead: int = 3,
    time_zone: str = "Australia/Sydney",
    progress: bool = False,
    now: datetime | None = None,
    password_hash: str | None = None,
) -> SampleSummary:
    """Fill a practice database that has no events with a realistic, seeded practice.

    History is the ``weeks`` weeks ending with the week of ``end`` (default: today in the
    practice's zone), plus ``weeks_ahead`` weeks booked ahead. ``time_zone`` is used only when
    the database has no practice yet. Every demo account's password is ``demo``; pass
    ``password_hash`` (a hash of it from ``hash_password``) to reuse one, since a new hash has a
    new random salt and is the only thing two generations with the same seed, ``end`` and
    ``now`` do not share. All rows are written in one transaction.
    """
    started = time.perf_counter()
    _check_count("clinicians", clinicians, 1, MAX_CLINICIANS)
    _check_count("weeks", weeks, 1, MAX_WEEKS)
    _check_count("weeks_ahead", weeks_ahead, 0, MAX_WEEKS_AHEAD)
    now = datetime.now(UTC) if now is None else now
    if now.tzinfo is None:
        raise ValidationError("now", "give an aware instant (with a time zone)")
    now = now.astimezone(UTC).replace(microsecond=0)
    practice_zone(time_zone)
    _refuse_events(db.cursor())
    if db.cursor().execute("SELECT 1 FROM practice").fetchone() is None:
        # The practice row is its own use case; a failed generation leaves only that row.
        db.init_practice("Sample practice", time_zone, now)
    zone = db.zone
    end = now.astimezone(zone).date() if end is None else end
    spec = _Spec(
        clinicians=int(clinicians),
        weeks=int(weeks),
        weeks_ahead=int(weeks_ahead),
        first_monday=week_start(end) - timedelta(weeks=int(weeks) - 1),
        zone=zone,
        now=int(now.timestamp()),
    )
    rng = np.random.default_rng(seed)
    stages = 3 + len(_TABLES) + 2
    counts: dict[str, int] = {}
    with (
        tqdm(total=stages, disable=not progress, file=sys.stderr, unit="step") as bar,
        db.transaction() as cur,
    ):
        _refuse_events(cur)
        bar.set_description("calendar")
        ev = _calendar(rng, spec)
        bar.update()
        bar.set_description("clients")
        rows = _clients(rng, spec, ev)
        bar.update()
        bar.set_description("outcomes")
        out = _outcomes(rng, spec, ev, rows)
        bar.update()
        for table, frame in _tables(rng, spec, cur, ev, rows, out, password_hash):
            if table not in counts:
                bar.set_description(table)
                bar.update()
            counts[table] = counts.get(table, 0) + bulk_insert(cur, table, frame)
            del frame  # one frame in memory at a time
        bar.set_description("dots and first visits")
        derived.backfill(cur)
        history.fill_from_rows(cur)  # one version per event, valid from its creation
        history.rebuild_first_visits(cur)
        bar.update()
        summary = SampleSummary(
            clinicians=spec.clinicians,
            clients=counts["clients"],
            events=counts["events"],
            client_events=int(ev.client.sum()),
            session_rows=counts["event_clients"],
            users=counts["users"],
            seconds=0.0,
        )
        details = {k: v for k, v in summary.__dict__.items() if k != "seconds"}
        audit.record(
            cur,
            None,
            now,
            "generate_sample",
            "practice",
            1,
            None,
            {"seed": seed, "weeks": weeks, "weeks_ahead": weeks_ahead, "end": end, **details},
        )
        bar.set_description("sequences")
        for sequence, table in _SEQUENCES:
            restart_sequence(cur, sequence, next_free_id(cur, table))
        bar.update()
    return replace(summary, seconds=time.perf_counter() - started)


def _check_count(field: str, value: int, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValidationError(field, f"must be a whole number, not {value!r}")
    if not low <= value <= high:
        raise ValidationError(field, f"must be {low} to {high}, not {value}")


def _refuse_events(cur: Cursor) -> None:
    row = cur.execute("SELECT count(*) FROM events").fetchone()
    if row and row[0]:
        raise ValidationError(
            "database", f"it already has {row[0]:,} events; generate into an empty database"
        )
