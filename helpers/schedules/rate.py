"""``rate(value unit)``: a schedule that repeats every fixed interval.

AWS's rules, from https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html:
the value is a positive whole number; the unit is minute(s), hour(s) or day(s); a value of 1
takes the singular unit and any other value the plural (``rate(1 hour)``, ``rate(5 hours)``;
``rate(1 hours)`` and ``rate(5 hour)`` are refused). The schedule starts when the rule is
created, so the first event comes one interval after ``put_rule``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ScheduleExpressionError

_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^rate\((?P<body>.*)\)$")
_BODY = re.compile(r"^(?P<value>[0-9]+) +(?P<unit>[a-z]+)$")


@dataclass(frozen=True)
class RateSchedule:
    value: int
    unit: str  # singular: minute, hour or day

    @property
    def interval_seconds(self) -> int:
        return self.value * _SECONDS[self.unit]

    def next_after(self, anchor: float, now: float) -> float:
        """The first firing strictly after ``now`` of a schedule that started at ``anchor``.

        Firings missed while the clock jumped are skipped rather than sent in a burst.
        """
        interval = self.interval_seconds
        if now < anchor + interval:
            return anchor + interval
        elapsed_periods = int((now - anchor) // interval) + 1
        return anchor + elapsed_periods * interval

    def describe(self) -> str:
        return f"every {self.value} {self.unit}{'' if self.value == 1 else 's'}"


def parse_rate(expression: str) -> RateSchedule:
    match = _RATE.match(expression)
    if not match:
        raise ScheduleExpressionError(expression, "a rate expression looks like rate(5 minutes)")
    body = _BODY.match(match.group("body").strip())
    if not body:
        raise ScheduleExpressionError(
            expression, "write a whole number, a space and a unit, e.g. rate(1 minute) or rate(5 minutes)")
    value, unit = int(body.group("value")), body.group("unit")
    if value < 1:
        raise ScheduleExpressionError(expression, "the value must be a positive whole number")
    singular = unit[:-1] if unit.endswith("s") else unit
    if singular not in _SECONDS:
        raise ScheduleExpressionError(expression, "the unit is minute(s), hour(s) or day(s)")
    if value == 1 and unit != singular:
        raise ScheduleExpressionError(expression, f"a value of 1 takes the singular unit: rate(1 {singular})")
    if value > 1 and unit == singular:
        raise ScheduleExpressionError(expression, f"a value above 1 takes the plural unit: rate({value} {singular}s)")
    return RateSchedule(value, singular)
