"""Every table's rows, built from the calendar, the clients and the outcomes, one frame at a
time with ids after what the database holds."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from thera_analytics.domain.kinds import EventKind
from thera_analytics.sample import names
from thera_analytics.sample.calendar_grid import _Events, _local_keys
from thera_analytics.sample.cancellations import sample_cancellations
from thera_analytics.sample.caseload import _Rows, _third_parties
from thera_analytics.sample.demo_clients import _demo_clients
from thera_analytics.sample.outcomes import _Drawn, _notes, _Outcomes
from thera_analytics.sample.reminders import _reminders
from thera_analytics.sample.shape import (
    _K,
    ADMIN,
    ATTENDANCE,
    CONFERENCE,
    DAY,
    DEVELOPMENT,
    KINDS,
    LEAVE,
    SVC,
    TEAM,
    _chunks,
    _ints,
    _Spec,
    _utc,
)
from thera_analytics.sample.staff import _team_members, _users
from thera_analytics.store.bulk import next_free_id
from thera_analytics.store.database import Cursor

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

    drawn = _Drawn(rng, spec, ev, rows, out, event_id)
    for frame in _events(drawn, clinician_id, service_id, user):
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
    yield from _notes(drawn, user, has_user, base, share)
    # Last, so the draws above (and every table before) stay as they were before reasons.
    yield "cancellations", sample_cancellations(
        rng, out.attendance, ATTENDANCE, ev.starts[rows.event], out.created[rows.event],
        out.marked_at[rows.event], event_id[rows.event], client_id[rows.client],
        _ints(user[rows.event], has_user[rows.event]), base["cancellations"], spec.now)


def _events(
    drawn: _Drawn,
    clinician_id: np.ndarray,
    service_id: np.ndarray,
    user: np.ndarray,
) -> Iterator[pd.DataFrame]:
    """The events table (kind, times, local keys, service, direct, video link) in chunks."""
    rng, spec, ev, rows, out, event_id = (
        drawn.rng, drawn.spec, drawn.ev, drawn.rows, drawn.out, drawn.event_id)
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
