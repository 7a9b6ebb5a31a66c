"""The three steps of a client event, and which one a reopened event starts on."""

from __future__ import annotations

from enum import StrEnum

from thera_analytics.domain.dots import Dots


class Step(StrEnum):
    DETAILS = "details"
    PLAN = "plan"
    OUTCOME = "outcome"

    @property
    def label(self) -> str:
        return self.value.capitalize()


def next_step(dots: Dots) -> Step:
    """Reopening a saved event opens the first step still to do (outcome once all are done)."""
    if not dots.details:
        return Step.DETAILS
    if not dots.plan:
        return Step.PLAN
    return Step.OUTCOME
