"""The practice's storage, DuckDB or PostgreSQL: migrations, named queries, transactions."""

from thera_analytics.store import postgres_database  # noqa: F401 (registers PostgreSQL)
from thera_analytics.store.database import Database

__all__ = ["Database"]
