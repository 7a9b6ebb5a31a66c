"""The clinician scheduler app: week calendar and three-step event editor (/scheduler)."""
