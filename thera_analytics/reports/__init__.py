"""Reports over the practice database: SQL queries returning small, tidy pandas DataFrames.

The same functions feed the notebooks, ``thera report`` and the dashboard panels. Each takes a
``Database`` (or anything with ``.df(sql, params)``) and plain values; periods are local days
(the stored ``local_date``), ``as_of`` an instant. Charts of these tables live in
``dashboards.charts``: the core never imports a plotting library.
"""

from thera_analytics.reports.attendance import (
    attendance_breakdowns,
    attendance_by,
    attendance_long,
    attendance_trend,
    billing_summary,
    clinician_time,
    rate_table,
    trend_table,
)
from thera_analytics.reports.attendance_headline import AttendanceSummary, attendance_summary
from thera_analytics.reports.backlog import (
    BacklogSummary,
    backlog_by_clinician,
    backlog_items,
    backlog_summary,
    backlog_trend,
    item_table,
    missing_counts,
)
from thera_analytics.reports.completion import (
    completion_by_week,
    completion_summary,
    completion_table,
)
from thera_analytics.reports.defaults import (
    anchor_day,
    last_complete_month,
    last_complete_week,
    last_complete_weeks,
    latest_session_day,
)
from thera_analytics.reports.facts import session_facts, session_facts_as_of
from thera_analytics.reports.location import locate_database
from thera_analytics.reports.period import Period
from thera_analytics.reports.signing import (
    amendable_notes,
    amendable_table,
    signing_delay_distribution,
    signing_table,
    signing_times,
)
from thera_analytics.reports.source import instant, open_for_reading
from thera_analytics.store.database import DatabaseBusy

__all__ = [
    "AttendanceSummary",
    "BacklogSummary",
    "DatabaseBusy",
    "Period",
    "amendable_notes",
    "anchor_day",
    "amendable_table",
    "attendance_breakdowns",
    "attendance_by",
    "attendance_long",
    "attendance_summary",
    "attendance_trend",
    "backlog_by_clinician",
    "backlog_items",
    "backlog_summary",
    "backlog_trend",
    "billing_summary",
    "clinician_time",
    "completion_by_week",
    "completion_summary",
    "completion_table",
    "instant",
    "item_table",
    "last_complete_month",
    "last_complete_week",
    "last_complete_weeks",
    "latest_session_day",
    "locate_database",
    "missing_counts",
    "open_for_reading",
    "rate_table",
    "session_facts",
    "session_facts_as_of",
    "signing_delay_distribution",
    "signing_table",
    "signing_times",
    "trend_table",
]
