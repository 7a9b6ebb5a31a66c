"""thera-analytics: practice scheduler rules, DuckDB store and reports for therapy practices."""

__version__ = "0.1.0"
