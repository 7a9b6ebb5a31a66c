-- Reference tables the analyst views join to. Their rows are written from the domain enums
-- (thera_analytics.store.reference) each time the database is opened for writing, so the
-- Python rules stay the one source of labels, colour families and billing effects.

CREATE TABLE event_kinds (
    kind           event_kind PRIMARY KEY,
    label          VARCHAR NOT NULL,
    event_group    VARCHAR NOT NULL,
    colour_family  VARCHAR NOT NULL
);

CREATE TABLE attendance_values (
    attendance  attendance PRIMARY KEY,
    label       VARCHAR NOT NULL,
    billable    BOOLEAN NOT NULL
);

CREATE TABLE age_buckets (
    bucket     VARCHAR PRIMARY KEY,
    sort_key   INTEGER NOT NULL,
    min_hours  DOUBLE PRECISION NOT NULL,
    max_hours  DOUBLE PRECISION NOT NULL
);

-- One row per live client event: its marks and three dots. Not time-dependent.
CREATE VIEW event_status AS
WITH marks AS (
    SELECT event_id,
           COUNT(*) AS clients,
           COUNT(*) FILTER (WHERE attendance IS NULL) AS unmarked
    FROM event_clients
    GROUP BY event_id
)
SELECT
    e.id AS event_id,
    e.clinician_id,
    e.kind,
    e.starts_at,
    e.ends_at,
    e.local_date,
    e.week_start,
    e.month_key,
    e.direct,
    e.service_id,
    COALESCE(m.clients, 0) AS clients,
    COALESCE(m.unmarked, 0) AS unmarked,
    o.status,
    o.signed_at,
    p.saved_at AS plan_saved_at,
    (e.service_id IS NOT NULL AND COALESCE(m.clients, 0) > 0) AS dot_details,
    (p.event_id IS NOT NULL) AS dot_plan,
    (o.signed_at IS NOT NULL AND CASE WHEN e.direct THEN COALESCE(m.unmarked, 1) = 0
                                      ELSE o.status = 'completed' END) AS dot_outcome
FROM events e
JOIN event_kinds k ON k.kind = e.kind
LEFT JOIN marks m ON m.event_id = e.id
LEFT JOIN plans p ON p.event_id = e.id
LEFT JOIN outcomes o ON o.event_id = e.id
WHERE k.event_group = 'client' AND e.cancelled_at IS NULL;

-- One row per client per live client event.
CREATE VIEW session_facts AS
SELECT
    e.id AS event_id,
    ec.client_id,
    e.clinician_id,
    e.kind,
    k.label AS kind_label,
    k.colour_family,
    e.starts_at,
    e.ends_at,
    e.local_start,
    e.local_date,
    e.week_start,
    e.month_key,
    e.weekday,
    e.duration_minutes,
    e.direct,
    e.service_id,
    sv.name AS service_name,
    ec.attendance,
    s.status,
    av.billable,
    s.signed_at,
    s.dot_details,
    s.dot_plan,
    s.dot_outcome,
    (s.dot_details AND s.dot_plan AND s.dot_outcome) AS complete,
    ROW_NUMBER() OVER (PARTITION BY ec.client_id ORDER BY e.starts_at, e.id) = 1 AS first_visit
FROM event_clients ec
JOIN events e ON e.id = ec.event_id
JOIN event_status s ON s.event_id = e.id
JOIN event_kinds k ON k.kind = e.kind
LEFT JOIN services sv ON sv.id = e.service_id
LEFT JOIN attendance_values av ON av.attendance = ec.attendance;

-- Past client events that are not complete, with their age now and what is missing.
CREATE VIEW note_backlog AS
SELECT
    s.event_id,
    s.clinician_id,
    s.kind,
    s.starts_at,
    s.ends_at,
    s.local_date,
    s.week_start,
    s.direct,
    EXTRACT(EPOCH FROM (CURRENT_TIMESTAMP - s.ends_at)) / 3600.0 AS age_hours,
    b.bucket AS age_bucket,
    b.sort_key AS age_bucket_order,
    (s.direct AND s.unmarked > 0) AS missing_attendance,
    (NOT s.direct AND (s.status IS NULL OR s.status <> 'completed')) AS missing_status,
    (NOT s.dot_plan) AS missing_plan,
    (s.signed_at IS NULL) AS missing_signature,
    CONCAT_WS(', ',
        CASE WHEN s.direct AND s.unmarked > 0 THEN 'attendance' END,
        CASE WHEN NOT s.direct AND (s.status IS NULL OR s.status <> 'completed')
             THEN 'status' END,
        CASE WHEN NOT s.dot_plan THEN 'plan' END,
        CASE WHEN s.signed_at IS NULL THEN 'signature' END) AS missing
FROM event_status s
JOIN age_buckets b
  ON EXTRACT(EPOCH FROM (CURRENT_TIMESTAMP - s.ends_at)) / 3600.0 >= b.min_hours
 AND EXTRACT(EPOCH FROM (CURRENT_TIMESTAMP - s.ends_at)) / 3600.0 < b.max_hours
WHERE s.ends_at < CURRENT_TIMESTAMP
  AND NOT (s.dot_details AND s.dot_plan AND s.dot_outcome);
