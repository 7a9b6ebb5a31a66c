"""A deterministic, seeded sample practice of any size, for demos, tests and benchmarks."""

from thera_analytics.sample.generator import SampleSummary, generate_practice

__all__ = ["SampleSummary", "generate_practice"]
