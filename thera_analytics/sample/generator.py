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
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from tqdm import tqdm

from thera_analytics.domain.attendance import Attendance, SessionStatus
from thera_analytics.domain.details import Channel, RecipientKind
from thera_analytics.domain.errors import ValidationError
from thera_analytics.domain.kinds import EventKind
from thera_analytics.domain.local_time import practice_zone, week_start
from thera_analytics.sample import names
from thera_analytics.sample.cancellations import sample_cancellations
from thera_analytics.service import audit
from thera_analytics.service.accounts import hash_password
from thera_analytics.store import derived, history
from thera_analytics.store.bulk import bulk_insert, next_free_id, restart_sequence
from thera_analytics.store.database import Cursor, Database

MAX_CLINICIANS = 1000
MAX_WEEKS = 520
MAX_WEEKS_AHEAD = 52
DEMO_PASSWORD = "demo"

DAYS = 5
HOURS = 10  # slots start 08:00 .. 17:00
FIRST_HOUR = 8
SLOTS = DAYS * HOURS
SESSION_MINUTES = 50
CHUNK = 250_000  # rows of a big table built and loaded at once: bounds the memory used
TEAM_SIZE = 8
IND_LANES = 40
GROUP_LANES = 8
LANES = IND_LANES + GROUP_LANES
HOUR = 3600
DAY = 24 * HOUR

# What a slot holds.
EMPTY, SESSION, CASE, DEVELOPMENT, ADMIN, TEAM, CONFERENCE, LEAVE = range(8)

KINDS = [k.value for k in EventKind]
_K = {k: i for i, k in enumerate(EventKind)}
SESSION_KINDS = np.array(
    [
        _K[EventKind.CLIENT_SESSION],
        _K[EventKind.VIDEO_SESSION],
        _K[EventKind.PHONE_SESSION],
        _K[EventKind.HOME_VISIT],
        _K[EventKind.GROUP_SESSION],
    ]
)
SESSION_KIND_P = [0.58, 0.20, 0.08, 0.08, 0.06]
INDIRECT_SHARE = 0.08  # of client sessions; group sessions are always direct
ATTENDANCE = [a.value for a in Attendance]
ATTENDANCE_P = [0.82, 0.07, 0.04, 0.06, 0.01]
STATUSES = [s.value for s in SessionStatus]
STATUS_P = [0.85, 0.10, 0.05]
SIGNING_P = [0.75, 0.20, 0.05]  # within 24 h, 24-72 h, 3-21 days
LATEST_SIGNING_DAYS = 21
PLAN_SHARE = 0.90  # of the notes not signed yet; a signed note always has its plan
COUPLES_SHARE = 0.20  # of video sessions: a couple (or a family of three) on one call
FAMILY_SHARE = 0.30  # of those, a family of three
HOMEWORK_SHARE = 0.40
SHARED_SHARE = 0.25
SVC = {name: i for i, (name, _) in enumerate(names.SERVICES)}
ROLES = ["clinician", "manager", "client"]
RECIPIENTS = [r.value for r in RecipientKind]
CHANNELS = [c.value for c in Channel]
REMINDER_STATES = ["pending", "sent"]

_SEQUENCES = (
    ("clinician_id_seq", "clinicians"),
    ("client_id_seq", "clients"),
    ("service_id_seq", "services"),
    ("third_party_id_seq", "third_parties"),
    ("user_id_seq", "users"),
    ("series_id_seq", "series"),
    ("event_id_seq", "events"),
    ("reminder_id_seq", "reminders"),
    ("amendment_id_seq", "amendments"),
    ("comment_id_seq", "comments"),
    ("audit_id_seq", "audit_log"),
    ("cancellation_id_seq", "cancellations"),
)
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


@dataclass(frozen=True)
class _Spec:
    clinicians: int
    weeks: int
    weeks_ahead: int
    first_monday: date
    zone: ZoneInfo
    now: int  # UTC epoch seconds

    @property
    def total_weeks(self) -> int:
        return self.weeks + self.weeks_ahead


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


# -- calendar -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Events:
    """One entry per event, in start order (then clinician)."""

    week: np.ndarray
    clinician: np.ndarray  # 0-based
    what: np.ndarray  # SESSION .. LEAVE
    kind: np.ndarray  # index into KINDS
    direct: np.ndarray  # meaningful for client events only
    client: np.ndarray  # a client event
    lane: np.ndarray  # individual lane of a single-client event, else -1
    group_size: np.ndarray  # clients of a group session, else 0
    grid: np.ndarray  # index of the start in the (week, slot) grid
    starts: np.ndarray  # UTC epoch seconds
    minutes: np.ndarray

    @property
    def ends(self) -> np.ndarray:
        return self.starts + self.minutes.astype(np.int64) * 60


def _calendar(rng: np.random.Generator, spec: _Spec) -> _Events:
    """Place every event of every clinician-week on the slot grid."""
    n_weeks, n_clin = spec.total_weeks, spec.clinicians
    shape = (n_weeks, n_clin)
    cl = np.arange(n_clin)
    team = cl // TEAM_SIZE
    team_size = np.bincount(team)[team]
    team_no = np.arange(int(team.max()) + 1)
    team_day = (team_no % DAYS)[team]
    meet_slot = team_day * HOURS + np.where((team_no // DAYS) % 2 == 0, 0, 4)[team]
    conf_slot = meet_slot + 1  # 09:00 or 13:00

    keys = rng.random((*shape, SLOTS), dtype=np.float32)
    hour = np.arange(SLOTS) % HOURS
    keys += np.select([hour == 4, hour == 9], [0.4, 0.2], 0.0).astype(np.float32)  # lunch, late
    blocked = np.zeros((*shape, SLOTS), dtype=bool)
    blocked[:, cl, meet_slot] = True
    blocked[:, cl, conf_slot] = True
    # Occasional leave: a morning, an afternoon or a day, never on the team's meeting day.
    on_leave = rng.random(shape) < 0.06
    leave_day = (team_day[None, :] + 1 + rng.integers(0, DAYS - 1, shape)) % DAYS
    part = rng.choice(3, size=shape, p=[0.4, 0.35, 0.25])
    leave_first = np.array([0, 5, 0])[part]
    leave_hours = np.array([4, 5, 10])[part]
    hours = np.arange(HOURS)
    in_hours = (hours >= leave_first[..., None]) & (hours < (leave_first + leave_hours)[..., None])
    on_day = (np.arange(DAYS) == leave_day[..., None]) & on_leave[..., None]
    blocked |= (on_day[..., None] & in_hours[:, :, None, :]).reshape(*shape, SLOTS)
    keys[blocked] = 9.0
    rank = np.empty((*shape, SLOTS), dtype=np.int8)
    np.put_along_axis(rank, np.argsort(keys, axis=2), np.arange(SLOTS, dtype=np.int8), axis=2)
    del keys

    available = SLOTS - blocked.sum(axis=2)
    del blocked
    n_sess = rng.integers(20, 29, shape) - np.where(on_leave, leave_hours // 2, 0)
    n_case = np.minimum(rng.poisson(1.0, shape), 3)
    n_dev = np.minimum(rng.poisson(1.3, shape), 3)
    n_admin = np.clip(
        rng.poisson(3.0, shape), 0, np.minimum(6, available - n_sess - n_case - n_dev)
    )
    bounds = np.cumsum(np.stack([n_sess, n_case, n_dev, n_admin]), axis=0)[..., None]
    cat = np.select(
        [rank < bounds[0], rank < bounds[1], rank < bounds[2], rank < bounds[3]],
        [SESSION, CASE, DEVELOPMENT, ADMIN],
        EMPTY,
    ).astype(np.int8)
    del rank
    cat[:, cl, meet_slot] = np.where(cl % TEAM_SIZE == 0, TEAM, EMPTY)[None, :]
    # The team's case conference is owned by each member in turn.
    owner = (cl % TEAM_SIZE)[None, :] == np.arange(n_weeks)[:, None] % team_size[None, :]
    cat[:, cl, conf_slot] = np.where(owner, CONFERENCE, EMPTY)
    lw, lc = np.nonzero(on_leave)
    cat[lw, lc, leave_day[lw, lc] * HOURS + leave_first[lw, lc]] = LEAVE

    kind_u = rng.random((*shape, SLOTS), dtype=np.float32)
    session_kind = SESSION_KINDS[
        np.minimum(np.searchsorted(np.cumsum(SESSION_KIND_P), kind_u), len(SESSION_KINDS) - 1)
    ]
    del kind_u
    group = (cat == SESSION) & (session_kind == _K[EventKind.GROUP_SESSION])
    needs_lane = ((cat == SESSION) & ~group) | (cat == CASE) | (cat == CONFERENCE)
    ordinal = np.cumsum(needs_lane, axis=2, dtype=np.int16) - 1
    lane_perm = np.argsort(rng.random((*shape, IND_LANES), dtype=np.float32), axis=2)

    # Read the events out in (week, slot, clinician) order, which is start order.
    w, s, c = np.nonzero(np.ascontiguousarray(cat.transpose(0, 2, 1)))
    flat = (w * n_clin + c) * SLOTS + s
    what = cat.reshape(-1)[flat]
    is_group = group.reshape(-1)[flat]
    kind = np.select(
        [
            what == SESSION,
            (what == CASE) | (what == CONFERENCE),
            what == DEVELOPMENT,
            what == ADMIN,
            what == TEAM,
        ],
        [
            session_kind.reshape(-1)[flat],
            _K[EventKind.CLIENT_TEAM_MEETING],
            _K[EventKind.PROFESSIONAL_DEVELOPMENT],
            _K[EventKind.ADMIN],
            _K[EventKind.TEAM_MEETING],
        ],
        _K[EventKind.PERSONAL_LEAVE],
    ).astype(np.int8)
    n = len(w)
    couples = ((what == SESSION) & (kind == _K[EventKind.VIDEO_SESSION])
               & (rng.random(n) < COUPLES_SHARE))
    couple_size = np.where(rng.random(n) < FAMILY_SHARE, 3, 2)
    client = (what == SESSION) | (what == CASE) | (what == CONFERENCE)
    keep_direct = rng.random(n) >= INDIRECT_SHARE / (1 - SESSION_KIND_P[-1])
    direct = (what == SESSION) & (is_group | couples | keep_direct)
    lane = np.where(
        needs_lane.reshape(-1)[flat],
        lane_perm.reshape(-1, IND_LANES)[
            w * n_clin + c, np.clip(ordinal.reshape(-1)[flat], 0, IND_LANES - 1)
        ],
        -1,
    )
    minutes = np.where(what == LEAVE, np.array([240, 300, 600])[part][w, c], SESSION_MINUTES)
    grid = w.astype(np.int64) * SLOTS + s
    return _Events(
        week=w.astype(np.int32),
        clinician=c.astype(np.int32),
        what=what,
        kind=kind,
        direct=direct,
        client=client,
        lane=lane.astype(np.int32),
        group_size=np.where(is_group, rng.integers(2, 6, n),
                            np.where(couples, couple_size, 0)).astype(np.int8),
        grid=grid,
        starts=_grid_instants(spec)[grid],
        minutes=minutes.astype(np.int32),
    )


def _grid_zoned(spec: _Spec) -> pd.DatetimeIndex:
    """Every (week, slot) wall-clock start placed in the practice's zone.

    Slots are 08:00-17:00, clear of the night-time daylight-saving changes; in a zone that
    changes in the day, a skipped time moves forward and a repeated one takes standard time.
    """
    monday = np.datetime64(spec.first_monday, "D")
    week = np.arange(spec.total_weeks)[:, None]
    slot = np.arange(SLOTS)[None, :]
    day = monday + (week * 7 + slot // HOURS).astype("timedelta64[D]")
    local = day.astype("datetime64[s]") + ((FIRST_HOUR + slot % HOURS) * HOUR).astype(
        "timedelta64[s]"
    )
    index = pd.DatetimeIndex(local.reshape(-1))
    return index.tz_localize(
        spec.zone.key, ambiguous=np.zeros(len(index), dtype=bool), nonexistent="shift_forward"
    )


def _grid_instants(spec: _Spec) -> np.ndarray:
    """UTC epoch seconds of every grid start."""
    utc = _grid_zoned(spec).tz_convert("UTC").tz_localize(None)
    return utc.to_numpy().astype("datetime64[s]").astype(np.int64)


def _local_keys(spec: _Spec, grid: np.ndarray) -> dict[str, np.ndarray]:
    """local_start .. weekday of each event: the wall-clock time its instant shows."""
    local = _grid_zoned(spec).tz_localize(None).to_numpy().astype("datetime64[s]")
    day = local.astype("datetime64[D]")
    weekday = (day.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    month = day.astype("datetime64[M]").astype(np.int64)
    return {
        "local_start": local[grid],
        "local_date": day[grid],
        "week_start": (day - weekday.astype("timedelta64[D]"))[grid],
        "month_key": ((month // 12 + 1970) * 100 + month % 12 + 1).astype(np.int32)[grid],
        "weekday": weekday.astype(np.int16)[grid],
    }


# -- clients ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rows:
    """One entry per (client event, client): the event_clients rows, in event order."""

    event: np.ndarray  # index into _Events
    client: np.ndarray  # client number (id = first free id + number)
    first_row: np.ndarray  # per event: its first row, -1 for a non-client event
    home: np.ndarray  # per client: the clinician whose caseload holds them
    client_first_row: np.ndarray  # per client: the row of their first session
    new_episode: np.ndarray  # per client: their episode began inside the history
    active: np.ndarray  # per client: still in care in the week of ``end``
    service: np.ndarray  # per client: the service of their episode


def _clients(rng: np.random.Generator, spec: _Spec, ev: _Events) -> _Rows:
    """Who each client event is with: lanes, then episodes, then clients."""
    n = len(ev.week)
    is_group = ev.group_size > 0
    count = np.where(is_group, ev.group_size, ev.client).astype(np.int64)
    event = np.repeat(np.arange(n), count)
    pos = np.arange(len(event)) - (np.cumsum(count) - count)[event]
    group_no = np.maximum(np.cumsum(is_group) - 1, 0)
    group_perm = np.argsort(rng.random((max(int(is_group.sum()), 1), GROUP_LANES)), axis=1)
    couple = is_group[event] & (ev.kind[event] == _K[EventKind.VIDEO_SESSION])
    lane = np.where(
        couple,
        IND_LANES + 3 * (ev.lane[event] % 2) + np.minimum(pos, 2),
        np.where(
            is_group[event],
            IND_LANES + group_perm[group_no[event], np.minimum(pos, GROUP_LANES - 1)],
            ev.lane[event],
        ),
    )

    # Each lane holds episodes back to back; the first began before the history.
    n_lanes = spec.clinicians * LANES
    per_lane = (spec.total_weeks + 52) // 6 + 2
    group_lane = np.arange(n_lanes) % LANES >= IND_LANES
    length = np.where(
        group_lane[:, None],
        rng.integers(8, 21, (n_lanes, per_lane)),
        rng.integers(6, 53, (n_lanes, per_lane)),
    )
    ends = np.cumsum(length, axis=1) - rng.integers(0, length[:, 0])[:, None]
    stride = 1 << 20  # past any week number
    key = (np.arange(n_lanes, dtype=np.int64)[:, None] * stride + ends).reshape(-1)
    lane_no = ev.clinician[event].astype(np.int64) * LANES + lane
    episode = np.searchsorted(key, lane_no * stride + ev.week[event], side="right")
    service = rng.choice(
        [SVC["Individual therapy"], SVC["Couples therapy"], SVC["Family therapy"]],
        size=n_lanes * per_lane,
        p=[0.75, 0.12, 0.13],
    )

    seen, first_row, inverse = np.unique(episode, return_index=True, return_inverse=True)
    home = seen // (LANES * per_lane)
    order = np.lexsort((first_row, home))  # clinician 1's clients first, by first visit
    number = np.empty(len(seen), dtype=np.int64)
    number[order] = np.arange(len(seen))
    ep = seen[order]
    event_first = np.full(n, -1, dtype=np.int64)
    event_first[event[::-1]] = np.arange(len(event) - 1, -1, -1)
    return _Rows(
        event=event,
        client=number[inverse],
        first_row=event_first,
        home=home[order],
        client_first_row=first_row[order],
        new_episode=(ends - length).reshape(-1)[ep] >= 0,
        active=ends.reshape(-1)[ep] > spec.weeks - 1,
        service=service[ep],
    )


# -- outcomes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Outcomes:
    created: np.ndarray
    plan: np.ndarray  # a plan was saved
    plan_saved: np.ndarray
    marked: np.ndarray  # attendance or status recorded
    marked_at: np.ndarray
    signed: np.ndarray
    signed_at: np.ndarray
    attendance: np.ndarray  # per row: index into ATTENDANCE, -1 unmarked
    status: np.ndarray  # per event: index into STATUSES, -1 none


def _outcomes(rng: np.random.Generator, spec: _Spec, ev: _Events, rows: _Rows) -> _Outcomes:
    """Booking, planning, marking and signing times, and what ``now`` has reached."""
    n = len(ev.week)
    now = spec.now
    # Booked 2-28 days ahead, and never after now.
    created = np.minimum(
        ev.starts - rng.integers(2 * DAY, 28 * DAY, n), now - rng.integers(60, 6 * HOUR, n)
    )
    plan_saved = np.maximum(ev.starts - rng.integers(HOUR // 2, 72 * HOUR, n), created + 60)

    signing = rng.choice(len(SIGNING_P), size=n, p=SIGNING_P)
    u = rng.random(n)
    delay = np.select(
        [signing == 0, signing == 1],
        [0.1 * HOUR + 23.8 * HOUR * u**1.5, DAY + 2 * DAY * u],
        3 * DAY + (LATEST_SIGNING_DAYS - 3) * DAY * u,
    )
    # Most marks go in within hours; one in ten waits for the note to be written and signed.
    mark_delay = np.where(rng.random(n) < 0.1, delay,
                          np.minimum(delay, 60 + rng.exponential(1.5 * HOUR, n)))
    ends = ev.ends
    marked_at = ends + np.ceil(mark_delay).astype(np.int64)
    signed_at = ends + np.ceil(delay).astype(np.int64)
    marked = ev.client & (ends < now) & (marked_at <= now)
    signed = marked & (signed_at <= now)
    # Signing needs the plan (saved before the session), so only a note not signed by now may
    # still be without one.
    plan = ev.client & (plan_saved <= now) & (signed | (rng.random(n) < PLAN_SHARE))

    mark_row = marked[rows.event] & ev.direct[rows.event]
    attendance = rng.choice(len(ATTENDANCE), size=len(rows.event), p=ATTENDANCE_P)
    status = rng.choice(len(STATUSES), size=n, p=STATUS_P)
    return _Outcomes(
        created=created,
        plan=plan,
        plan_saved=plan_saved,
        marked=marked,
        marked_at=marked_at,
        signed=signed,
        signed_at=signed_at,
        attendance=np.where(mark_row, attendance, -1),
        status=np.where(marked & ~ev.direct, status, -1),
    )


# -- tables -------------------------------------------------------------------------------


def _tables(
    rng: np.random.Generator,
    spec: _Spec,
    cur: Cursor,
    ev: _Events,
    rows: _Rows,
    out: _Outcomes,
    password_hash: str | None,
) -> Iterator[tuple[str, pd.DataFrame]]:
    """Every table's rows in load order, ids after what the database holds, one at a time."""
    base = {t: next_free_id(cur, t) for _, t in _SEQUENCES}
    n, n_clin, n_clients = len(ev.week), spec.clinicians, len(rows.home)
    event_id = base["events"] + np.arange(n, dtype=np.int64)
    clinician_id = base["clinicians"] + np.arange(n_clin, dtype=np.int64)
    client_id = base["clients"] + np.arange(n_clients, dtype=np.int64)

    existing = dict(cur.execute("SELECT name, id FROM services").fetchall())
    missing = [(name, m) for name, m in names.SERVICES if name not in existing]
    new_ids = {name: base["services"] + i for i, (name, _) in enumerate(missing)}
    yield (
        "services",
        pd.DataFrame(
            {
                "id": list(new_ids.values()),
                "name": [name for name, _ in missing],
                "default_minutes": [m for _, m in missing],
            }
        ),
    )
    service_id = np.array([{**existing, **new_ids}[name] for name, _ in names.SERVICES])

    staff = names.pick_people(rng, n_clin)
    yield (
        "clinicians",
        pd.DataFrame(
            {
                "id": clinician_id,
                "name": staff["name"],
                "email": staff["email_user"] + "@practice.example.com",
            }
        ),
    )
    people = names.pick_people(rng, n_clients)
    yield (
        "clients",
        pd.DataFrame(
            {
                "id": client_id,
                "name": people["name"],
                "email": people["email_user"]
                + pd.Series(client_id).astype(str)
                + "@mail.example.net",
                "active": rows.active,
            }
        ),
    )
    third, third_of_client = _third_parties(rng, people, client_id, base["third_parties"])
    yield "third_parties", third
    del third

    taken = {r[0] for r in cur.execute("SELECT username FROM users").fetchall()}
    since = int(out.created.min()) - DAY if n else spec.now
    picked, share = _demo_clients(spec, ev, rows, out)
    users, clinician_user = _users(
        picked, clinician_id, client_id, staff, people, base, taken, password_hash
    )
    users["created_at"] = _utc(np.full(len(users), since))
    yield "users", users
    del users, people
    user = clinician_user[ev.clinician]  # the owner's user id per event, -1 if none
    has_user = user >= 0

    for frame in _events(rng, spec, ev, rows, out, event_id, clinician_id, service_id, user):
        yield "events", frame
    yield (
        "event_clients",
        pd.DataFrame(
            {
                "event_id": event_id[rows.event],
                "client_id": client_id[rows.client],
                "attendance": pd.Categorical.from_codes(out.attendance, categories=ATTENDANCE),
            }
        ),
    )
    yield "event_team_members", _team_members(spec, ev, event_id, clinician_id)

    # Third parties join single-client sessions of their client, mostly indirect ones.
    single = ev.client & (ev.group_size == 0)
    third_party = third_of_client[rows.client[np.maximum(rows.first_row, 0)]]
    joins = single & (third_party >= 0) & (rng.random(n) < np.where(ev.direct, 0.04, 0.6))
    yield (
        "event_third_parties",
        pd.DataFrame({"event_id": event_id[joins], "third_party_id": third_party[joins]}),
    )
    yield (
        "reminders",
        _reminders(rng, spec, ev, rows, event_id, client_id, joins, third_party, base),
    )
    yield from _notes(rng, spec, ev, rows, out, event_id, user, has_user, base, share)
    # Last, so the draws above (and every table before) stay as they were before reasons.
    yield "cancellations", sample_cancellations(
        rng, out.attendance, ATTENDANCE, ev.starts[rows.event], out.created[rows.event],
        out.marked_at[rows.event], event_id[rows.event], client_id[rows.client],
        _ints(user[rows.event], has_user[rows.event]), base["cancellations"], spec.now)


def _events(
    rng: np.random.Generator,
    spec: _Spec,
    ev: _Events,
    rows: _Rows,
    out: _Outcomes,
    event_id: np.ndarray,
    clinician_id: np.ndarray,
    service_id: np.ndarray,
    user: np.ndarray,
) -> Iterator[pd.DataFrame]:
    """The events table (kind, times, local keys, service, direct, video link) in chunks."""
    n = len(ev.week)
    single_direct = ev.client & (ev.group_size == 0) & ev.direct
    episode_service = rows.service[rows.client[np.maximum(rows.first_row, 0)]]
    opens = np.zeros(n, dtype=bool)  # the first session of an episode begun in the history
    opens[rows.event[rows.client_first_row]] = rows.new_episode
    indirect = rng.choice(
        [SVC["Parent/carer consultation"], SVC["Report writing"], SVC["Case conference"]],
        size=n,
        p=[0.5, 0.2, 0.3],
    )
    video = ev.kind == _K[EventKind.VIDEO_SESSION]
    svc = np.select(
        [
            (ev.group_size > 0) & video,
            ev.group_size > 0,
            ev.kind == _K[EventKind.CLIENT_TEAM_MEETING],
            ev.client & ~ev.direct,
            single_direct & opens,
            single_direct,
        ],
        [
            np.where(ev.group_size == 2, SVC["Couples therapy"], SVC["Family therapy"]),
            SVC["Group program"],
            SVC["Case conference"],
            indirect,
            SVC["Assessment"],
            episode_service,
        ],
        -1,
    ).astype(np.int8)
    del indirect, episode_service, opens, single_direct
    titles, title_code = _titles(rng, ev)
    link = np.full(n, None, dtype=object)
    token = pd.Series(rng.integers(10**9, 10**10, int(video.sum()))).astype(str)
    link[video] = ("https://video.example.com/j/" + token).to_numpy()
    del token, video
    for part in _chunks(n):
        created = _utc(out.created[part])
        user_part = user[part]
        svc_part = svc[part]
        yield pd.DataFrame(
            {
                "id": event_id[part],
                "kind": pd.Categorical.from_codes(ev.kind[part], categories=KINDS),
                "clinician_id": clinician_id[ev.clinician[part]],
                "title": pd.Categorical.from_codes(title_code[part], categories=titles),
                "starts_at": _utc(ev.starts[part]),
                "ends_at": _utc(ev.ends[part]),
                "duration_minutes": ev.minutes[part],
                **_local_keys(spec, ev.grid[part]),
                "service_id": _ints(service_id[np.maximum(svc_part, 0)], svc_part >= 0),
                "direct": pd.arrays.BooleanArray(ev.direct[part], ~ev.client[part]),
                "video_link": link[part],
                "version": np.ones(len(user_part), dtype=np.int32),
                "created_at": created,
                "created_by": _ints(user_part, user_part >= 0),
                "updated_at": created,
                "updated_by": _ints(user_part, user_part >= 0),
            }
        )


def _chunks(n: int) -> Iterator[slice]:
    """Slices of at most CHUNK rows: big tables are built and loaded a piece at a time."""
    for start in range(0, max(n, 1), CHUNK):
        yield slice(start, min(start + CHUNK, n))


def _third_parties(
    rng: np.random.Generator, clients: pd.DataFrame, client_id: np.ndarray, base: int
) -> tuple[pd.DataFrame, np.ndarray]:
    """About 30% of clients have a GP, parent, teacher...; also each client's first one."""
    n_clients = len(clients)
    owner = np.repeat(np.arange(n_clients), rng.choice(3, size=n_clients, p=[0.70, 0.25, 0.05]))
    role = rng.choice(len(names.THIRD_PARTY_ROLES), size=len(owner), p=names.THIRD_PARTY_WEIGHTS)
    relationship, prefix, domain = (
        np.array(column, dtype=object)[role]
        for column in zip(*names.THIRD_PARTY_ROLES, strict=True)
    )
    surname = np.array(names.LAST_NAMES, dtype=object)[
        rng.integers(0, len(names.LAST_NAMES), len(owner))
    ]
    family = np.isin(relationship, ["Parent", "Carer"])
    people = names.pick_people(
        rng, len(owner), last=np.where(family, clients["last"].to_numpy()[owner], surname)
    )
    ids = base + np.arange(len(owner), dtype=np.int64)
    frame = pd.DataFrame(
        {
            "id": ids,
            "client_id": client_id[owner],
            "name": prefix + people["name"].to_numpy(),
            "email": people["email_user"].to_numpy() + "@" + domain,
            "relationship": relationship,
        }
    )
    first = np.full(n_clients, -1, dtype=np.int64)
    first[owner[::-1]] = ids[::-1]
    return frame, first


def _demo_clients(
    spec: _Spec, ev: _Events, rows: _Rows, out: _Outcomes
) -> tuple[np.ndarray, np.ndarray]:
    """The clients given a demo login (up to 12, from the first four clinicians' caseloads),
    and the sessions whose homework is shared with them.

    Each is an active client with a session still to come and a past individual session, whose
    latest one shares its homework: a demo portal shows upcoming sessions and homework."""
    n_clients = len(rows.home)
    leads = min(spec.clinicians, 4)
    each = -(-12 // leads)
    start = ev.starts[rows.event]
    upcoming = np.zeros(n_clients, dtype=bool)
    upcoming[rows.client[start > spec.now]] = True
    own = out.marked[rows.event] & ev.direct[rows.event] & (ev.group_size[rows.event] == 0)
    latest = np.full(n_clients, -1, dtype=np.int64)
    np.maximum.at(latest, rows.client[own], rows.event[own])
    eligible = rows.active & upcoming & (latest >= 0) & (rows.home < leads)
    # Clients are numbered by clinician, then first visit: the first ``each`` of every lead.
    counted = np.cumsum(eligible)
    first_of_home = np.searchsorted(rows.home, rows.home)
    before = np.where(first_of_home > 0, counted[np.maximum(first_of_home - 1, 0)], 0)
    picked = np.nonzero(eligible & (counted - before <= each))[0]
    share = np.zeros(len(ev.week), dtype=bool)
    share[latest[picked]] = True
    return picked, share


def _users(
    picked: np.ndarray,
    clinician_id: np.ndarray,
    client_id: np.ndarray,
    staff: pd.DataFrame,
    people: pd.DataFrame,
    base: dict[str, int],
    taken: set[str],
    password_hash: str | None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """A manager, a user per clinician, and a client user for each ``picked`` client.

    Returns the frame and each clinician's user id (-1 where the username was already taken:
    that account is left as it is).
    """
    n_clin = len(clinician_id)
    username = np.array(
        ["manager"]
        + [f"clinician{i + 1}" for i in range(n_clin)]
        + [f"client{i + 1}" for i in range(len(picked))],
        dtype=object,
    )
    role = np.repeat([1, 0, 2], [1, n_clin, len(picked)])
    display = np.concatenate(
        [["Practice manager"], staff["name"].to_numpy(), people["name"].to_numpy()[picked]]
    )
    clinician = np.concatenate([[-1], clinician_id, np.full(len(picked), -1)])
    client = np.concatenate([np.full(1 + n_clin, -1), client_id[picked]])
    keep = ~np.isin(username, sorted(taken))
    user_id = np.full(len(username), -1, dtype=np.int64)
    user_id[keep] = base["users"] + np.arange(int(keep.sum()))
    # Every demo account shares one argon2 hash of the published password: one hash costs
    # 0.1-0.3 s, which for hundreds of accounts would outweigh building the whole practice.
    if password_hash is None:
        password_hash = hash_password(DEMO_PASSWORD) if keep.any() else ""
    frame = pd.DataFrame(
        {
            "id": user_id[keep],
            "username": username[keep],
            "password_hash": password_hash,
            "role": pd.Categorical.from_codes(role[keep], categories=ROLES),
            "display_name": display[keep],
            "clinician_id": _ints(clinician[keep], clinician[keep] >= 0),
            "client_id": _ints(client[keep], client[keep] >= 0),
        }
    )
    return frame, user_id[1 : 1 + n_clin]


def _titles(rng: np.random.Generator, ev: _Events) -> tuple[list[str], np.ndarray]:
    """Titles of non-client events and team case conferences; client events have none."""
    groups = (
        (TEAM, names.TEAM_MEETING_TITLES),
        (DEVELOPMENT, names.DEVELOPMENT_TITLES),
        (ADMIN, names.ADMIN_TITLES),
        (LEAVE, names.LEAVE_TITLES),
        (CONFERENCE, ("Team case conference",)),
    )
    categories = [""]
    u = rng.random(len(ev.what))
    code = np.zeros(len(ev.what), dtype=np.int16)
    for what, titles in groups:  # five groups, not a loop over events
        pick = len(categories) + np.minimum((u * len(titles)).astype(np.int16), len(titles) - 1)
        code = np.where(ev.what == what, pick, code)
        categories.extend(titles)
    return categories, code


def _team_members(
    spec: _Spec, ev: _Events, event_id: np.ndarray, clinician_id: np.ndarray
) -> pd.DataFrame:
    """The rest of the team joins its team meetings and case conferences."""
    idx = np.nonzero((ev.what == TEAM) | (ev.what == CONFERENCE))[0]
    owner = ev.clinician[idx].astype(np.int64)
    member = (owner // TEAM_SIZE * TEAM_SIZE)[:, None] + np.arange(TEAM_SIZE)[None, :]
    e, m = np.nonzero((member < spec.clinicians) & (member != owner[:, None]))
    return pd.DataFrame({"event_id": event_id[idx[e]], "clinician_id": clinician_id[member[e, m]]})


def _reminders(
    rng: np.random.Generator,
    spec: _Spec,
    ev: _Events,
    rows: _Rows,
    event_id: np.ndarray,
    client_id: np.ndarray,
    joins: np.ndarray,
    third_party: np.ndarray,
    base: dict[str, int],
) -> pd.DataFrame:
    """Email or browser reminders a day or an hour ahead, to clients and some third parties."""
    n_rows = len(rows.event)
    email, browser = CHANNELS.index(Channel.EMAIL.value), CHANNELS.index(Channel.BROWSER.value)
    first = ev.direct[rows.event] & (rng.random(n_rows) < 0.6)
    first_channel = np.where(rng.random(n_rows) < 0.75, email, browser)
    first_lead = np.where(rng.random(n_rows) < 0.7, 1440, 60)
    second = first & (first_lead == 1440) & (rng.random(n_rows) < 0.2)
    to_third = np.nonzero(joins & (rng.random(len(joins)) < 0.5))[0]
    r1, r2 = np.nonzero(first)[0], np.nonzero(second)[0]
    event = np.concatenate([rows.event[r1], rows.event[r2], to_third])
    tag = np.repeat([0, 1, 2], [len(r1), len(r2), len(to_third)])
    order = np.lexsort((tag, event))
    none = np.full(len(to_third), -1)
    client = np.concatenate([client_id[rows.client[r1]], client_id[rows.client[r2]], none])[order]
    third = np.concatenate([np.full(len(r1) + len(r2), -1), third_party[to_third]])[order]
    channel = np.concatenate(
        [first_channel[r1], np.full(len(r2), browser), np.full(len(to_third), email)]
    )[order]
    lead = np.concatenate([first_lead[r1], np.full(len(r2), 60), np.full(len(to_third), 1440)])
    lead = lead[order]
    event = event[order]
    due = ev.starts[event] - lead * 60
    sent = due < spec.now
    return pd.DataFrame(
        {
            "id": base["reminders"] + np.arange(len(event), dtype=np.int64),
            "event_id": event_id[event],
            "recipient_kind": pd.Categorical.from_codes(
                np.where(client >= 0, 0, 1), categories=RECIPIENTS
            ),
            "client_id": _ints(client, client >= 0),
            "third_party_id": _ints(third, third >= 0),
            "channel": pd.Categorical.from_codes(channel, categories=CHANNELS),
            "lead_minutes": lead.astype(np.int32),
            "due_at": _utc(due),
            "state": pd.Categorical.from_codes(sent.astype(np.int8), categories=REMINDER_STATES),
            "attempts": sent.astype(np.int32),
            "sent_at": _utc(due, sent),
        }
    )


def _notes(
    rng: np.random.Generator,
    spec: _Spec,
    ev: _Events,
    rows: _Rows,
    out: _Outcomes,
    event_id: np.ndarray,
    user: np.ndarray,
    has_user: np.ndarray,
    base: dict[str, int],
    share: np.ndarray,
) -> Iterator[tuple[str, pd.DataFrame]]:
    """Plans, outcomes (note, homework, signature), amendments and comments; homework is
    shared on the ``share`` sessions (the demo clients' latest)."""
    n = len(ev.week)
    n_notes = len(names.NOTES)
    note = rng.integers(0, n_notes, n)
    hw_enabled = (rng.random(n) < HOMEWORK_SHARE) | share
    hw_shared = hw_enabled & ((rng.random(n) < SHARED_SHARE / HOMEWORK_SHARE) | share)
    homework = np.where(hw_enabled, 1 + rng.integers(0, len(names.HOMEWORK), n), 0)
    amended_at = out.signed_at + rng.integers(10 * 60, 23 * HOUR, n)
    amended = out.signed & has_user & (rng.random(n) < 0.03) & (amended_at <= spec.now)
    final_note = np.where(amended, note + n_notes, note)
    commented_at = out.signed_at + DAY + rng.integers(HOUR, 14 * DAY, n)
    commented = out.signed & has_user & (rng.random(n) < 0.01) & (commented_at <= spec.now)
    comment = rng.integers(0, len(names.COMMENTS), n)
    plan_text = rng.integers(0, len(names.PLAN_TEXTS), n)

    # A plan's previous homework and note come from the client's previous session when its
    # outcome was written before the plan was saved: what the app's pre-fill would show.
    order = np.lexsort((rows.event, rows.client))
    same = rows.client[order][1:] == rows.client[order][:-1]
    prev_of_row = np.full(len(order), -1, dtype=np.int64)
    prev_of_row[order[1:]] = np.where(same, rows.event[order][:-1], -1)
    prev = np.where(rows.first_row >= 0, prev_of_row[np.maximum(rows.first_row, 0)], -1)
    at = np.maximum(prev, 0)
    # The app pre-fills only from a session with exactly the same clients; here that is an
    # individual session after an individual session of the same client.
    single = ev.group_size == 0
    has_prev = ((prev >= 0) & out.marked[at] & (out.marked_at[at] <= out.plan_saved)
                & single & single[at])

    notes = list(names.NOTES) + [t + names.AMENDMENT_SUFFIX for t in names.NOTES]
    homeworks = ["", *names.HOMEWORK]
    p = np.nonzero(out.plan)[0]
    yield (
        "plans",
        pd.DataFrame(
            {
                "event_id": event_id[p],
                "plan_text": pd.Categorical.from_codes(plan_text[p], categories=names.PLAN_TEXTS),
                "previous_homework": pd.Categorical.from_codes(
                    np.where(has_prev[p], homework[at[p]], 0), categories=homeworks
                ),
                "previous_note": pd.Categorical.from_codes(
                    np.where(has_prev[p], 1 + final_note[at[p]], 0), categories=["", *notes]
                ),
                "saved_at": _utc(out.plan_saved[p]),
                "saved_by": _ints(user[p], has_user[p]),
            }
        ),
    )
    o = np.nonzero(out.marked)[0]
    yield (
        "outcomes",
        pd.DataFrame(
            {
                "event_id": event_id[o],
                "status": pd.Categorical.from_codes(out.status[o], categories=STATUSES),
                "note": pd.Categorical.from_codes(final_note[o], categories=notes),
                "homework": pd.Categorical.from_codes(homework[o], categories=homeworks),
                "homework_enabled": hw_enabled[o],
                "homework_shared": hw_shared[o],
                "updated_at": _utc(np.where(amended, amended_at, out.marked_at)[o]),
                "updated_by": _ints(user[o], has_user[o]),
                "signed_at": _utc(out.signed_at[o], out.signed[o]),
                "signed_by": _ints(user[o], out.signed[o] & has_user[o]),
            }
        ),
    )
    a = np.nonzero(amended)[0]
    yield (
        "amendments",
        pd.DataFrame(
            {
                "id": base["amendments"] + np.arange(len(a), dtype=np.int64),
                "event_id": event_id[a],
                "field": "note",
                "previous_value": np.array(notes, dtype=object)[note[a]],
                "new_value": np.array(notes, dtype=object)[note[a] + n_notes],
                "amended_by": user[a],
                "amended_at": _utc(amended_at[a]),
            }
        ),
    )
    c = np.nonzero(commented)[0]
    yield (
        "comments",
        pd.DataFrame(
            {
                "id": base["comments"] + np.arange(len(c), dtype=np.int64),
                "event_id": event_id[c],
                "author_id": user[c],
                "created_at": _utc(commented_at[c]),
                "body": np.array(names.COMMENTS, dtype=object)[comment[c]],
            }
        ),
    )


def _utc(seconds: np.ndarray, present: np.ndarray | None = None) -> pd.DatetimeIndex:
    """UTC instants from epoch seconds; NULL where ``present`` is False."""
    values = np.asarray(seconds, dtype=np.int64).astype("datetime64[s]")
    if present is not None:
        values = np.where(present, values, np.datetime64("NaT", "s"))
    return pd.DatetimeIndex(values).tz_localize("UTC")


def _ints(values: np.ndarray, present: np.ndarray) -> pd.arrays.IntegerArray:
    """A nullable integer column."""
    present = np.asarray(present, dtype=bool)
    return pd.arrays.IntegerArray(np.where(present, values, 0).astype(np.int64), ~present)
