"""The sample practice: seeded, realistic in its shares, and true to every rule of the schema."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from thera_analytics.domain.details import EventDetails
from thera_analytics.domain.errors import ValidationError
from thera_analytics.domain.kinds import EventKind
from thera_analytics.sample import SampleSummary, generate_practice
from thera_analytics.sample import generator as generator_module
from thera_analytics.service import accounts, outcomes, scheduling
from thera_analytics.store.bulk import bulk_insert, next_free_id, restart_sequence
from thera_analytics.store.database import Database

NOW = datetime(2024, 6, 5, 3, 0, tzinfo=UTC)  # Wednesday 5 June, 13:00 in Sydney
END = date(2024, 6, 5)
TABLES = (
    "practice", "clinicians", "clients", "services", "third_parties", "users", "series",
    "events", "event_clients", "event_team_members", "event_third_parties", "reminders",
    "plans", "outcomes", "amendments", "comments", "audit_log",
)  # fmt: skip
SEQUENCES = {
    "clinician_id_seq": "clinicians",
    "client_id_seq": "clients",
    "service_id_seq": "services",
    "third_party_id_seq": "third_parties",
    "user_id_seq": "users",
    "series_id_seq": "series",
    "event_id_seq": "events",
    "reminder_id_seq": "reminders",
    "amendment_id_seq": "amendments",
    "comment_id_seq": "comments",
    "audit_id_seq": "audit_log",
}
SESSION_KINDS = (
    "('client_session', 'video_session', 'phone_session', 'home_visit', 'group_session')"
)


@cache
def demo_hash() -> str:
    return accounts.hash_password("demo")  # ~0.1-0.3 s, so once for the whole module


def generated(**overrides: object) -> tuple[Database, SampleSummary]:
    db = Database(":memory:")
    args: dict = {"clinicians": 2, "weeks": 3, "seed": 11, "end": END, "now": NOW}
    args["password_hash"] = demo_hash()
    args.update(overrides)
    return db, generate_practice(db, **args)


def dump(db: Database) -> dict[str, pd.DataFrame]:
    """Every table's rows in a stable order."""
    return {t: db.df(f"SELECT * FROM {t} ORDER BY ALL") for t in TABLES}


def scalar(db: Database, sql: str, params: list | None = None) -> object:
    return db.cursor().execute(sql, params or []).fetchone()[0]  # type: ignore[index]


@pytest.fixture(scope="module")
def mid() -> Database:
    """10 clinicians x 12 weeks (+3 ahead), Sydney, generated as of NOW."""
    db = Database(":memory:")
    generate_practice(
        db, clinicians=10, weeks=12, seed=2024, end=END, now=NOW, password_hash=demo_hash()
    )
    return db


# -- determinism and size ----------------------------------------------------------------------


def test_same_seed_end_and_now_give_the_same_database() -> None:
    first, _ = generated()
    second, _ = generated()
    a, b = dump(first), dump(second)
    for table in TABLES:
        pd.testing.assert_frame_equal(a[table], b[table], obj=table)
    # Left to hash the password itself, only the hash's random salt differs.
    fresh, _ = generated(password_hash=None)
    c = dump(fresh)
    for table in TABLES:
        pd.testing.assert_frame_equal(
            a[table].drop(columns="password_hash", errors="ignore"),
            c[table].drop(columns="password_hash", errors="ignore"),
            obj=table,
        )
    assert not a["events"].equals(dump(generated(seed=12)[0])["events"])
    assert not a["events"].equals(dump(generated(now=NOW + timedelta(days=1))[0])["events"])


def test_summary_counts_match_the_tables() -> None:
    db, summary = generated(clinicians=1, weeks=4)
    assert summary.clinicians == scalar(db, "SELECT count(*) FROM clinicians") == 1
    assert summary.clients == scalar(db, "SELECT count(*) FROM clients")
    assert summary.events == scalar(db, "SELECT count(*) FROM events")
    assert summary.session_rows == scalar(db, "SELECT count(*) FROM session_facts")
    assert summary.client_events == scalar(db, "SELECT count(*) FROM event_status")
    assert summary.users == scalar(db, "SELECT count(*) FROM users")
    assert 0 < summary.seconds
    # 4 weeks of history plus 3 booked ahead, about 32 events a week.
    assert scalar(db, "SELECT count(DISTINCT week_start) FROM events") == 7
    assert 7 * 26 <= summary.events <= 7 * 38
    assert db.zone.key == "Australia/Sydney"
    assert scalar(db, "SELECT name FROM practice") == "Sample practice"


def test_history_ends_with_the_week_of_end_and_books_ahead(mid: Database) -> None:
    weeks = db_weeks(mid)
    assert weeks[0] == date(2024, 3, 18)  # 12 weeks ending with the week of Mon 3 June
    assert weeks[-1] == date(2024, 6, 24)  # and three weeks booked ahead
    assert len(weeks) == 15
    future = "SELECT count(*) FROM events WHERE starts_at > ?"
    assert scalar(mid, future, [NOW]) > 0


def db_weeks(db: Database) -> list[date]:
    df = db.df("SELECT DISTINCT week_start FROM events ORDER BY 1")
    return [d.date() for d in pd.to_datetime(df["week_start"])]


# -- realism -------------------------------------------------------------------------------------


def test_each_clinician_week_has_20_to_28_sessions_and_about_8_other_events(mid: Database) -> None:
    per_week = mid.df(
        f"""SELECT clinician_id, week_start,
                   count(*) FILTER (WHERE kind IN {SESSION_KINDS}) AS sessions,
                   count(*) FILTER (WHERE kind IN {SESSION_KINDS} AND direct) AS direct,
                   count(*) FILTER (WHERE NOT COALESCE(direct, FALSE)) AS indirect_or_other
            FROM events GROUP BY clinician_id, week_start"""
    )
    assert len(per_week) == 10 * 15
    assert per_week["sessions"].between(15, 28).all()  # leave takes a few away
    assert 22 <= per_week["sessions"].mean() <= 26
    assert 6 <= per_week["indirect_or_other"].mean() <= 10


def test_kinds_are_mixed_with_groups_video_links_and_leave(mid: Database) -> None:
    kinds = mid.df("SELECT kind::VARCHAR AS kind, count(*) AS n FROM events GROUP BY 1")
    share = kinds.set_index("kind")["n"] / kinds["n"].sum()
    assert set(share.index) == {k.value for k in EventKind}
    assert share["client_session"] > 0.35
    assert 0.08 < share["video_session"] < 0.2
    groups = mid.df(
        "SELECT count(*) AS n FROM event_clients ec JOIN events e ON e.id = ec.event_id"
        " WHERE e.kind = 'group_session' GROUP BY e.id"
    )
    assert groups["n"].between(2, 5).all() and groups["n"].nunique() == 4
    links = mid.df("SELECT kind, video_link FROM events WHERE video_link IS NOT NULL")
    assert (links["kind"] == "video_session").all()
    assert links["video_link"].str.match(r"^https://\S+$").all()
    assert scalar(mid, "SELECT count(*) FROM events WHERE kind = 'video_session'") == len(links)


def test_direct_attendance_is_near_the_practice_mix(mid: Database) -> None:
    counts = mid.df(
        "SELECT attendance::VARCHAR AS a, count(*) AS n FROM event_clients"
        " WHERE attendance IS NOT NULL GROUP BY 1"
    ).set_index("a")["n"]
    share = counts / counts.sum()
    assert counts.sum() > 2000
    expected = {"attended": 0.82, "cancelled": 0.07, "late_cancellation": 0.04,
                "no_show": 0.06, "non_billable": 0.01}  # fmt: skip
    for value, target in expected.items():
        assert share[value] == pytest.approx(target, abs=0.025), value


def test_about_8_percent_of_client_sessions_are_indirect_with_a_status(mid: Database) -> None:
    sessions = mid.df(f"SELECT direct FROM events WHERE kind IN {SESSION_KINDS}")
    assert (~sessions["direct"]).mean() == pytest.approx(0.08, abs=0.02)
    status = mid.df(
        "SELECT o.status::VARCHAR AS s FROM outcomes o JOIN events e ON e.id = o.event_id"
        " WHERE NOT e.direct"
    )["s"]
    assert status.notna().all()
    assert status.value_counts(normalize=True)["completed"] == pytest.approx(0.85, abs=0.05)
    assert {"in_progress", "on_hold"} <= set(status)
    # Client team meetings are indirect client events about one client.
    ctm = mid.df(
        "SELECT e.direct, e.service_id, count(ec.client_id) AS n FROM events e"
        " LEFT JOIN event_clients ec ON ec.event_id = e.id"
        " WHERE e.kind = 'client_team_meeting' GROUP BY e.id, e.direct, e.service_id"
    )
    assert len(ctm) > 0 and (~ctm["direct"]).all() and (ctm["n"] == 1).all()


def test_signing_delay_is_mostly_within_a_day(mid: Database) -> None:
    # Sessions that ended over three weeks before now have had every chance to be signed.
    delays = mid.df(
        """SELECT EXTRACT(EPOCH FROM (o.signed_at - e.ends_at)) / 3600.0 AS hours
           FROM event_status e LEFT JOIN outcomes o ON o.event_id = e.event_id
           WHERE e.ends_at < ? - INTERVAL 22 DAY""",
        [NOW],
    )["hours"]
    assert len(delays) > 1500
    within_day = (delays <= 24).mean()
    one_to_three = ((delays > 24) & (delays <= 72)).mean()
    assert within_day == pytest.approx(0.75, abs=0.03)
    assert one_to_three == pytest.approx(0.20, abs=0.03)
    assert 1 - within_day - one_to_three == pytest.approx(0.05, abs=0.02)
    assert delays.notna().all()  # nothing older than three weeks is left unsigned


def test_a_demo_practice_backlog_is_tens_of_recent_notes() -> None:
    # The demo's size (`thera demo`): 8 clinicians, 26 weeks, as of NOW.
    db, _ = generated(clinicians=8, weeks=26, seed=7)
    ages = db.df(
        "SELECT (epoch(?) - epoch(ends_at)) / 86400.0 AS days FROM event_status"
        " WHERE ends_at < ? AND NOT (dot_details AND dot_plan AND dot_outcome)",
        [NOW, NOW],
    )["days"]
    assert 10 <= len(ages) < 100
    assert ages.max() < 22  # only the last few weeks


def test_couples_and_family_video_sessions_are_direct_with_a_link(mid: Database) -> None:
    shared = mid.df(
        "SELECT e.id, e.direct, e.video_link, s.name AS service, count(*) AS clients"
        " FROM events e JOIN event_clients ec ON ec.event_id = e.id"
        " JOIN services s ON s.id = e.service_id WHERE e.kind = 'video_session'"
        " GROUP BY e.id, e.direct, e.video_link, s.name HAVING count(*) > 1"
    )
    assert len(shared) > 20
    assert shared["direct"].all() and shared["video_link"].notna().all()
    assert set(shared["clients"]) == {2, 3}
    assert set(shared.loc[shared["clients"] == 2, "service"]) == {"Couples therapy"}
    assert set(shared.loc[shared["clients"] == 3, "service"]) == {"Family therapy"}


def test_plans_homework_and_third_parties_have_their_shares(mid: Database) -> None:
    planned = mid.df(
        "SELECT p.event_id IS NOT NULL AS planned, e.signed_at IS NOT NULL AS signed"
        " FROM event_status e LEFT JOIN plans p ON p.event_id = e.event_id WHERE e.ends_at < ?",
        [NOW],
    )
    assert planned.loc[planned["signed"], "planned"].all()
    assert planned.loc[~planned["signed"], "planned"].mean() == pytest.approx(0.90, abs=0.1)
    hw = mid.df("SELECT homework_enabled, homework_shared, homework FROM outcomes")
    assert hw["homework_enabled"].mean() == pytest.approx(0.40, abs=0.03)
    assert hw["homework_shared"].mean() == pytest.approx(0.25, abs=0.03)
    assert (hw["homework_enabled"] == (hw["homework"] != "")).all()
    prefilled = mid.df("SELECT previous_note FROM plans")["previous_note"]
    assert (prefilled != "").mean() > 0.5
    with_tp = scalar(
        mid, "SELECT avg((id IN (SELECT client_id FROM third_parties))::INT) FROM clients"
    )
    assert with_tp == pytest.approx(0.30, abs=0.05)
    tp = mid.df("SELECT name, email, relationship FROM third_parties")
    assert {"GP", "Parent", "Teacher"} <= set(tp["relationship"])
    assert tp["email"].str.match(r"^[^@\s'\"]+@[^@\s]+\.[a-z]+$").all()
    assert scalar(mid, "SELECT count(*) FROM event_third_parties") > 0
    # A client keeps one clinician and comes back.
    visits = mid.df(
        "SELECT client_id, count(DISTINCT clinician_id) AS clinicians, count(*) AS visits"
        " FROM session_facts GROUP BY client_id"
    )
    assert (visits["clinicians"] == 1).all()
    assert visits["visits"].median() >= 4


def test_reminders_are_due_lead_minutes_before_and_sent_once_due(mid: Database) -> None:
    r = mid.df(
        """SELECT r.*, e.starts_at,
                  r.client_id IN (SELECT client_id FROM event_clients WHERE event_id = r.event_id)
                      AS client_ok,
                  r.third_party_id IN (SELECT third_party_id FROM event_third_parties
                                       WHERE event_id = r.event_id) AS third_ok
           FROM reminders r JOIN events e ON e.id = r.event_id"""
    )
    assert len(r) > 1000
    assert set(r["channel"]) == {"email", "browser"} and set(r["lead_minutes"]) == {60, 1440}
    assert (r["due_at"] == r["starts_at"] - pd.to_timedelta(r["lead_minutes"], unit="min")).all()
    assert ((r["state"] == "sent") == (r["due_at"] < NOW)).all()
    assert (r["state"] == "pending").any()
    assert r.loc[r["recipient_kind"] == "client", "client_ok"].all()
    assert r.loc[r["recipient_kind"] == "third_party", "third_ok"].all()
    assert (r["recipient_kind"] == "third_party").any()


def test_demo_users_sign_in_with_demo() -> None:
    db, summary = generated(clinicians=3, weeks=2, password_hash=None)
    users = db.df("SELECT username, role::VARCHAR AS role, clinician_id, client_id FROM users")
    assert summary.users == len(users) == 1 + 3 + 12
    assert users["username"].str.startswith("client").sum() >= 10
    clinician = accounts.authenticate(db, "clinician2", "demo")
    assert clinician is not None and clinician.clinician_id == 2
    assert clinician.display_name == scalar(db, "SELECT name FROM clinicians WHERE id = 2")
    client = accounts.authenticate(db, "client1", "demo")
    assert client is not None and client.client_id is not None
    # Every client login shows something: an active client, a session to come, shared homework.
    portal = db.df(
        """SELECT u.username, c.active,
             (SELECT count(*) FROM event_clients ec JOIN events e ON e.id = ec.event_id
              WHERE ec.client_id = c.id AND e.starts_at > ?) AS upcoming,
             (SELECT count(*) FROM event_clients ec JOIN outcomes o ON o.event_id = ec.event_id
              WHERE ec.client_id = c.id AND o.homework_shared) AS homework
           FROM users u JOIN clients c ON c.id = u.client_id""",
        [NOW],
    )
    assert len(portal) == 12
    assert portal["active"].all(), portal
    assert (portal["upcoming"] > 0).all() and (portal["homework"] > 0).all(), portal
    assert accounts.authenticate(db, "manager", "not demo") is None
    assert scalar(db, "SELECT count(DISTINCT password_hash) FROM users") == 1
    audit = db.df("SELECT action, entity, after FROM audit_log")
    assert list(audit["action"]) == ["generate_sample"]


# -- every rule holds ----------------------------------------------------------------------------

RULES = {
    "attendance on an indirect session": """
        SELECT count(*) FROM event_clients ec JOIN events e ON e.id = ec.event_id
        WHERE NOT e.direct AND ec.attendance IS NOT NULL""",
    "status on a direct session": """
        SELECT count(*) FROM outcomes o JOIN events e ON e.id = o.event_id
        WHERE e.direct AND o.status IS NOT NULL""",
    "signature without the outcome marked": """
        SELECT count(*) FROM event_status WHERE signed_at IS NOT NULL
        AND CASE WHEN direct THEN unmarked > 0 ELSE status IS NULL END""",
    "signed before the session ended or after now": """
        SELECT count(*) FROM outcomes o JOIN events e ON e.id = o.event_id
        WHERE o.signed_at < e.ends_at OR o.signed_at > $now""",
    "outcome or attendance on a session not yet ended": """
        SELECT count(*) FROM events e WHERE e.ends_at >= $now
        AND (e.id IN (SELECT event_id FROM outcomes)
             OR e.id IN (SELECT event_id FROM event_clients WHERE attendance IS NOT NULL))""",
    "attendance missing on a marked direct session": """
        SELECT count(*) FROM event_status s JOIN outcomes o ON o.event_id = s.event_id
        WHERE s.direct AND s.unmarked > 0""",
    "a non-client event with clients, a service, direct, a plan, an outcome or reminders": """
        SELECT count(*) FROM events e JOIN event_kinds k ON k.kind = e.kind
        WHERE k.event_group = 'non_client' AND (e.service_id IS NOT NULL
          OR e.direct IS NOT NULL
          OR e.id IN (SELECT event_id FROM event_clients)
          OR e.id IN (SELECT event_id FROM plans)
          OR e.id IN (SELECT event_id FROM outcomes)
          OR e.id IN (SELECT event_id FROM reminders))""",
    "a client event without a service, a client or direct": """
        SELECT count(*) FROM event_status WHERE NOT dot_details OR direct IS NULL""",
    "a group session with fewer than 2, a video session with more than 3, or another"
    " session with other than 1 client": """
        SELECT count(*) FROM event_status
        WHERE CASE WHEN kind = 'group_session' THEN clients < 2 OR clients > 5
                   WHEN kind = 'video_session' THEN clients < 1 OR clients > 3
                   ELSE clients <> 1 END""",
    "a note signed without a plan": """
        SELECT count(*) FROM event_status WHERE signed_at IS NOT NULL AND NOT dot_plan""",
    "overlapping events of a clinician": """
        SELECT count(*) FROM (
          SELECT starts_at, lag(ends_at) OVER (PARTITION BY clinician_id ORDER BY starts_at)
                 AS previous_end
          FROM events) WHERE previous_end > starts_at""",
    "an end not after the start, or a duration that disagrees": """
        SELECT count(*) FROM events WHERE ends_at <= starts_at
        OR EXTRACT(EPOCH FROM (ends_at - starts_at)) <> duration_minutes * 60""",
    "local keys that are not the practice-zone time of starts_at": """
        SELECT count(*) FROM events e, practice p
        WHERE e.local_start <> timezone(p.time_zone, e.starts_at)
           OR e.local_date <> CAST(e.local_start AS DATE)
           OR e.week_start <> CAST(date_trunc('week', e.local_start) AS DATE)
           OR e.month_key <> year(e.local_start) * 100 + month(e.local_start)
           OR e.weekday <> isodow(e.local_start) - 1""",
    "an event outside Monday-Friday 08:00-18:00 local": """
        SELECT count(*) FROM events WHERE weekday > 4 OR hour(local_start) < 8
        OR local_start + duration_minutes * INTERVAL 1 MINUTE
           > CAST(local_date AS TIMESTAMP) + INTERVAL 18 HOUR""",
    "events not inserted in start order": """
        SELECT count(*) FROM (SELECT starts_at, lag(starts_at) OVER (ORDER BY id) AS prev
                              FROM events) WHERE prev > starts_at""",
    "a record dated after now or after its session": """
        SELECT count(*) FROM events e LEFT JOIN plans p ON p.event_id = e.id
        LEFT JOIN outcomes o ON o.event_id = e.id
        WHERE e.created_at > $now OR e.created_at >= e.starts_at OR e.updated_at > $now
           OR p.saved_at > $now OR p.saved_at < e.created_at OR p.saved_at >= e.starts_at
           OR o.updated_at > $now OR o.updated_at < e.ends_at OR o.signed_at < o.updated_at
              AND e.id NOT IN (SELECT event_id FROM amendments)""",
    "shared homework that is not enabled": """
        SELECT count(*) FROM outcomes WHERE homework_shared AND NOT homework_enabled""",
    "an amendment or comment outside its window": """
        SELECT (SELECT count(*) FROM amendments a JOIN outcomes o USING (event_id)
                WHERE a.amended_at < o.signed_at OR a.amended_at >= o.signed_at + INTERVAL 1 DAY
                   OR a.amended_at > $now)
             + (SELECT count(*) FROM comments c JOIN outcomes o USING (event_id)
                WHERE c.created_at < o.signed_at + INTERVAL 1 DAY OR c.created_at > $now)""",
    "an event not at version 1 or not created by its clinician": """
        SELECT count(*) FROM events e JOIN users u ON u.id = e.created_by
        WHERE e.version <> 1 OR u.clinician_id <> e.clinician_id OR e.updated_by <> e.created_by""",
    "a signature by someone other than the owner": """
        SELECT count(*) FROM outcomes o JOIN events e ON e.id = o.event_id
        JOIN users u ON u.id = o.signed_by WHERE u.clinician_id <> e.clinician_id""",
    "a team meeting member who has another event then": """
        SELECT count(*) FROM event_team_members m JOIN events t ON t.id = m.event_id
        JOIN events e ON e.clinician_id = m.clinician_id
        WHERE e.starts_at < t.ends_at AND e.ends_at > t.starts_at""",
}


@pytest.mark.parametrize("rule", RULES)
def test_every_rule_holds(mid: Database, rule: str) -> None:
    sql = RULES[rule].replace("$now", "?")
    assert scalar(mid, sql, [NOW] * RULES[rule].count("$now")) == 0, rule


def test_outcomes_signatures_and_team_members_exist(mid: Database) -> None:
    assert scalar(mid, "SELECT count(*) FROM outcomes WHERE signed_at IS NOT NULL") > 2000
    assert scalar(mid, "SELECT count(*) FROM amendments") > 0
    assert scalar(mid, "SELECT count(*) FROM comments") > 0
    assert scalar(mid, "SELECT count(*) FROM event_team_members") > 0
    assert scalar(mid, "SELECT count(*) FROM events WHERE kind = 'personal_leave'") > 0


def test_backlog_and_session_facts(mid: Database) -> None:
    backlog = mid.df("SELECT * FROM note_backlog")
    assert len(backlog) > 0
    assert backlog["missing_signature"].any() and backlog["missing_plan"].any()
    assert backlog["missing_attendance"].any() and backlog["missing_status"].any()
    # Recent sessions not yet signed make a backlog as of NOW too.
    recent = scalar(
        mid,
        "SELECT count(*) FROM event_status WHERE signed_at IS NULL"
        " AND ends_at < ? AND ends_at > ? - INTERVAL 2 DAY",
        [NOW, NOW],
    )
    assert recent > 0
    live = scalar(
        mid,
        "SELECT count(*) FROM event_clients ec JOIN events e ON e.id = ec.event_id"
        " JOIN event_kinds k ON k.kind = e.kind"
        " WHERE k.event_group = 'client' AND e.cancelled_at IS NULL",
    )
    assert scalar(mid, "SELECT count(*) FROM session_facts") == live > 0
    assert scalar(mid, "SELECT count(*) FROM session_facts WHERE first_visit") == scalar(
        mid, "SELECT count(*) FROM clients"
    )


# -- daylight saving ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "end", "before", "after"),
    [
        # Sydney leaves daylight saving on Sunday 7 April 2024: +11 h, then +10 h.
        ("Australia/Sydney", date(2024, 4, 10), 11, 10),
        # Sydney starts daylight saving on Sunday 6 October 2024: +10 h, then +11 h.
        ("Australia/Sydney", date(2024, 10, 9), 10, 11),
        # London starts summer time on Sunday 31 March 2024: +0 h, then +1 h.
        ("Europe/London", date(2024, 4, 3), 0, 1),
    ],
)
def test_a_week_across_daylight_saving_keeps_wall_clock_times(
    zone: str, end: date, before: int, after: int
) -> None:
    db, _ = generated(clinicians=3, weeks=2, weeks_ahead=0, time_zone=zone, end=end)
    offsets = db.df(
        """SELECT week_start, hour(local_start) AS hour, minute(local_start) AS minute,
                  EXTRACT(EPOCH FROM (local_start - timezone('UTC', starts_at))) / 3600 AS offset
           FROM events"""
    )
    assert offsets["hour"].between(8, 17).all() and (offsets["minute"] == 0).all()
    by_week = offsets.groupby("week_start")["offset"].unique()
    assert [list(v) for v in by_week] == [[before], [after]]
    # Monday 09:00 local is 09:00 in both weeks, at a different UTC time.
    nine = db.df(
        "SELECT starts_at FROM events WHERE weekday = 0 AND hour(local_start) = 9"
        " ORDER BY starts_at"
    )["starts_at"]
    assert {t.astimezone(db.zone).hour for t in nine} == {9}
    assert len({t.astimezone(UTC).hour for t in nine}) == 2


# -- sequences and the use cases afterwards ----------------------------------------------------


def test_sequences_are_restarted_past_the_loaded_ids(mid: Database) -> None:
    for sequence, table in SEQUENCES.items():
        top = scalar(mid, f"SELECT COALESCE(max(id), 0) FROM {table}")
        assert scalar(mid, f"SELECT nextval('{sequence}')") > top, sequence


def test_the_use_cases_work_on_a_generated_practice() -> None:
    db, _ = generated(clinicians=2, weeks=2)
    actor = accounts.actor_for(db, "clinician1")
    client = scalar(db, "SELECT min(client_id) FROM session_facts WHERE clinician_id = 1")
    saturday = datetime(2024, 6, 8, 10, 0)  # no sample event falls on a weekend
    (event_id,) = scheduling.create_event(
        db,
        actor,
        EventDetails(
            kind=EventKind.CLIENT_SESSION, clinician_id=1, start=saturday,
            end=saturday + timedelta(minutes=50), service_id=1, client_ids=(int(client),),
            direct=True,
        ),
        NOW,
    )  # fmt: skip
    assert event_id == scalar(db, "SELECT max(id) FROM events")
    # A generated session that is marked but unsigned can be signed through the rules.
    row = (
        db.cursor()
        .execute(
            "SELECT event_id FROM event_status WHERE clinician_id = 1 AND signed_at IS NULL"
            " AND direct AND unmarked = 0 AND clients > 0 AND dot_plan"
            " ORDER BY ends_at DESC LIMIT 1"
        )
        .fetchone()
    )
    assert row is not None
    assert outcomes.sign(db, actor, int(row[0]), 1, NOW) == 2
    user = accounts.create_user(
        db, username="late", password="", role="manager", display_name="Late Comer", now=NOW,
        password_hash="not-a-real-hash",
    )  # fmt: skip
    assert user == scalar(db, "SELECT max(id) FROM users")


def test_existing_users_and_services_are_kept() -> None:
    db = Database(":memory:")
    db.init_practice("Harbour Allied Health", "Europe/London", NOW)
    accounts.create_user(
        db, username="manager", password="", role="manager", display_name="Morgan Reid",
        now=NOW, password_hash="kept",
    )  # fmt: skip
    summary = generate_practice(
        db, clinicians=1, weeks=1, seed=3, end=END, now=NOW, password_hash=demo_hash()
    )
    assert db.zone.key == "Europe/London"
    assert scalar(db, "SELECT password_hash FROM users WHERE username = 'manager'") == "kept"
    assert scalar(db, "SELECT count(*) FROM users") == summary.users + 1
    assert scalar(db, "SELECT min(id) FROM users WHERE username = 'clinician1'") == 2


# -- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("clinicians", {"clinicians": 0}),
        ("clinicians", {"clinicians": 1001}),
        ("clinicians", {"clinicians": 2.5}),
        ("weeks", {"weeks": 0}),
        ("weeks", {"weeks": 521}),
        ("weeks_ahead", {"weeks_ahead": -1}),
        ("time_zone", {"time_zone": "Mars/Olympus_Mons"}),
        ("now", {"now": datetime(2024, 6, 5, 3, 0)}),
    ],
)
def test_bad_sizes_are_refused_and_nothing_is_written(field: str, overrides: dict) -> None:
    db = Database(":memory:")
    before = dump(db)
    args: dict = {"clinicians": 1, "weeks": 1, "seed": 1, "end": END, "now": NOW, **overrides}
    with pytest.raises(ValidationError) as caught:
        generate_practice(db, **args)
    assert caught.value.field == field
    after = dump(db)
    for table in TABLES:
        pd.testing.assert_frame_equal(before[table], after[table], obj=table)


def test_a_database_with_events_is_refused_unchanged(tmp_path: Path) -> None:
    with Database(tmp_path / "practice.duckdb") as db:
        generate_practice(
            db, clinicians=1, weeks=1, seed=1, end=END, now=NOW, password_hash=demo_hash()
        )
        before = dump(db)
        with pytest.raises(ValidationError) as caught:
            generate_practice(
                db, clinicians=1, weeks=1, seed=2, end=END, now=NOW, password_hash=demo_hash()
            )
        assert caught.value.field == "database"
        after = dump(db)
    for table in TABLES:
        pd.testing.assert_frame_equal(before[table], after[table], obj=table)


def test_a_failure_while_loading_leaves_no_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    real = generator_module.bulk_insert

    def failing(cur: object, table: str, frame: pd.DataFrame) -> int:
        if table == "reminders":
            raise RuntimeError("disk full")
        return real(cur, table, frame)  # type: ignore[arg-type]

    monkeypatch.setattr(generator_module, "bulk_insert", failing)
    db = Database(":memory:")
    with pytest.raises(RuntimeError, match="disk full"):
        generate_practice(
            db, clinicians=2, weeks=2, seed=1, end=END, now=NOW, password_hash=demo_hash()
        )
    for table in TABLES[1:]:
        assert scalar(db, f"SELECT count(*) FROM {table}") == 0, table
    assert scalar(db, "SELECT nextval('event_id_seq')") == 1
    # The practice row was created first, on its own; a retry then succeeds.
    monkeypatch.setattr(generator_module, "bulk_insert", real)
    assert (
        generate_practice(
            db, clinicians=2, weeks=2, seed=1, end=END, now=NOW, password_hash=demo_hash()
        ).events
        > 0
    )


def test_progress_bar_goes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    generated(clinicians=1, weeks=1, progress=True)
    captured = capsys.readouterr()
    assert "sequences" in captured.err and captured.out == ""


# -- bulk loading --------------------------------------------------------------------------------


def test_bulk_insert_loads_by_column_name_and_refuses_unknown_names() -> None:
    db = Database(":memory:")
    frame = pd.DataFrame({"name": ["Ann Lee", "Ben Ward"], "id": [7, 8]})  # not table order
    with db.transaction() as cur:
        assert bulk_insert(cur, "clinicians", frame) == 2
        restart_sequence(cur, "clinician_id_seq", next_free_id(cur, "clinicians"))
    rows = db.df("SELECT id, name, email, active FROM clinicians ORDER BY id")
    assert rows["id"].tolist() == [7, 8] and rows["active"].all() and rows["email"].isna().all()
    assert scalar(db, "SELECT nextval('clinician_id_seq')") == 9
    with db.transaction() as cur:
        for table, bad in (
            ("nobody", frame),
            ('clinicians"; DROP TABLE clients; --', frame),
            ("clinicians", frame.rename(columns={"name": 'name"); DROP TABLE clients; --'})),
        ):
            with pytest.raises(ValueError, match="bulk_insert"):
                bulk_insert(cur, table, bad)
        with pytest.raises(ValueError, match="restart_sequence"):
            restart_sequence(cur, "no_such_seq", 1)
    assert scalar(db, "SELECT count(*) FROM clients") == 0


def test_thera_demo_lists_every_login_with_who_it_is(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = tmp_path / "demo.duckdb"
    result = subprocess.run([sys.executable, "-m", "thera_app.cli", "demo", "--db",
                             str(db), "--no-serve"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.split()[:2] == ["manager", "Practice"] for line in lines)
    assert any("clinician1 .. clinician8" in line and "the 8 clinicians" in line
               for line in lines)
    clients = [line for line in lines if line.strip().startswith("client")]
    assert len(clients) == 12
    assert all(", client of clinician" in line and line.endswith("/portal") for line in clients)


def test_every_cancellation_has_a_reason_and_realistic_notice(mid: Database) -> None:
    marks = mid.df(
        "SELECT ec.attendance::VARCHAR AS a, c.kind, c.reason_code, c.reason_text,"
        " c.notice_minutes / 60.0 AS hours, c.recorded_at, e.created_at, e.starts_at"
        " FROM event_clients ec JOIN events e ON e.id = ec.event_id"
        " LEFT JOIN cancellations c ON c.event_id = ec.event_id AND c.client_id = ec.client_id"
        " WHERE ec.attendance IN ('cancelled', 'late_cancellation', 'no_show')")
    needing = marks[marks["a"] != "no_show"]
    assert len(needing) > 100 and needing["reason_code"].notna().all()
    assert (needing["kind"] == needing["a"]).all()
    no_show = marks[marks["a"] == "no_show"]
    assert no_show["reason_code"].notna().mean() == pytest.approx(0.4, abs=0.1)
    cancelled = needing[needing["a"] == "cancelled"]["hours"]
    late = needing[needing["a"] == "late_cancellation"]["hours"]
    assert (late < 24).all() and (cancelled >= 23).mean() > 0.9
    assert (marks["recorded_at"].dropna() >= marks.loc[marks["recorded_at"].notna(),
                                                       "created_at"]).all()
    reasons = needing["reason_code"].value_counts(normalize=True)
    assert reasons.index[0] == "client_illness" and len(reasons) >= 8
    other = needing[needing["reason_code"] == "other"]
    assert (other["reason_text"] != "").all()
    known = set(mid.df("SELECT code FROM cancellation_reasons")["code"])
    assert set(marks["reason_code"].dropna()) <= known
