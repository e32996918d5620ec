"""One entry point for schedule expressions: ``parse("rate(5 minutes)")`` or ``parse("cron(...)")``.

A parsed schedule answers one question, the next firing after a moment, on the scheduler's
(possibly scaled) clock in epoch seconds; cron schedules read that moment as UTC.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from .cron import CronSchedule, parse_cron
from .errors import ScheduleExpressionError
from .rate import RateSchedule, parse_rate


@dataclass(frozen=True)
class Schedule:
    expression: str
    rule: RateSchedule | CronSchedule

    def next_after(self, anchor: float, now: float) -> float | None:
        """Epoch seconds of the next firing after ``now``; rates count from ``anchor``."""
        if isinstance(self.rule, RateSchedule):
            return self.rule.next_after(anchor, now)
        moment = self.rule.next_after(datetime.fromtimestamp(now, timezone.utc))
        return None if moment is None else moment.timestamp()


def parse(expression: str) -> Schedule:
    if not isinstance(expression, str):
        raise ScheduleExpressionError(repr(expression), "a schedule expression is a string")
    if expression.startswith("rate("):
        return Schedule(expression, parse_rate(expression))
    if expression.startswith("cron("):
        return Schedule(expression, parse_cron(expression))
    raise ScheduleExpressionError(expression, "it starts with rate( or cron(, e.g. rate(5 minutes)")


def validate(expression: str) -> None:
    """Raise ScheduleExpressionError if AWS would refuse ``expression`` at PutRule."""
    parse(expression)
