"""DuckDB storage: packaged schema migrations, named queries and transactions."""

from thera_analytics.store.database import Database

__all__ = ["Database"]
