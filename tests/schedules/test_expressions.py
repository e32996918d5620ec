"""Schedule expressions: what PutRule accepts, and when each accepted one fires.

Rate syntax: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html
Cron syntax: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html
(both also on https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html)
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from helpers.schedules.cron import parse_cron
from helpers.schedules.errors import ScheduleExpressionError
from helpers.schedules.expressions import parse
from helpers.schedules.rate import parse_rate


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.mark.parametrize("expression, seconds", [
    ("rate(1 minute)", 60), ("rate(5 minutes)", 300), ("rate(1 hour)", 3600),
    ("rate(12 hours)", 43200), ("rate(1 day)", 86400), ("rate(7 days)", 604800),
])
def test_rate_expressions_from_the_aws_examples_are_accepted(expression, seconds):
    """The rate reference's examples: rate(1 minute), rate(5 minutes), rate(1 hour), rate(1 day)."""
    assert parse_rate(expression).interval_seconds == seconds


@pytest.mark.parametrize("expression, why", [
    ("rate(5 minute)", "plural"), ("rate(1 minutes)", "singular"), ("rate(1 hours)", "singular"),
    ("rate(5 hour)", "plural"), ("rate(0 minutes)", "positive"), ("rate(-1 minutes)", "whole number"),
    ("rate(1.5 minutes)", "whole number"), ("rate(30 seconds)", "minute(s), hour(s) or day(s)"),
    ("rate(5)", "whole number"), ("rate(minutes)", "whole number"), ("rate 5 minutes", "rate("),
])
def test_rate_expressions_aws_refuses_are_refused_with_the_reason(expression, why):
    """"If the value is equal to 1, then the unit must be singular. If the value is greater than 1,
    the unit must be plural. For example, rate(1 hours) and rate(5 hour) aren't valid.\""""
    with pytest.raises(ScheduleExpressionError, match=re.escape(why)):
        parse(expression)


@pytest.mark.parametrize("expression", [
    "cron(0 10 * * ? *)", "cron(15 12 * * ? *)", "cron(0 18 ? * MON-FRI *)", "cron(0 8 1 * ? *)",
    "cron(0/15 * * * ? *)", "cron(0/10 * ? * MON-FRI *)", "cron(0/5 8-17 ? * MON-FRI *)",
    "cron(0 9 ? * 2#1 *)", "cron(0 10 L * ? *)", "cron(0 10 LW * ? *)", "cron(0 10 3W * ? *)",
    "cron(0 10 ? * 6L *)", "cron(0 0 1 JAN,JUL ? 2027-2030)", "cron(* * * * ? *)",
])
def test_cron_expressions_in_aws_syntax_are_accepted(expression):
    """Six fields; the wildcards , - * / ? L W # where the field table allows them."""
    parse(expression)


@pytest.mark.parametrize("expression, why", [
    ("cron(0 10 * * *)", "six fields"),
    ("cron(0 10 * * ? * *)", "six fields"),
    ("cron(7 20 * * 1-7 *)", "exactly one"),          # both day fields given
    ("cron(0 10 ? * ? *)", "exactly one"),            # neither given
    ("cron(0 10 ? * 3#1,6#3 *)", "one expression"),   # the page's own invalid example
    ("cron(60 10 * * ? *)", "0-59"),
    ("cron(0 24 * * ? *)", "0-23"),
    ("cron(0 10 32 * ? *)", "1-31"),
    ("cron(0 10 ? * 8 *)", "1-7"),
    ("cron(0 10 ? * -1 *)", "not a number"),
    ("cron(0 10 * 13 ? *)", "1-12"),
    ("cron(0 10 * * ? 2200)", "1970-2199"),
    ("cron(0 10 L * ? *)".replace("L", "W"), "not a number"),
    ("cron(0 10 ? * MON/2 *)", "no / increments"),
    ("cron(0 L * * ? *)", "not a number"),
    ("every 5 minutes", "rate( or cron("),
])
def test_cron_expressions_aws_refuses_are_refused_with_the_reason(expression, why):
    """"You can't specify the Day-of-month and Day-of-week fields in the same cron expression. If you
    specify a value or a * in one of the fields, you must use a ? in the other.\""""
    with pytest.raises(ScheduleExpressionError, match=re.escape(why)):
        parse(expression)


@pytest.mark.parametrize("expression, after, expected", [
    ("cron(0 10 * * ? *)", utc(2026, 11, 25, 9, 0), utc(2026, 11, 25, 10, 0)),
    ("cron(0 10 * * ? *)", utc(2026, 11, 25, 10, 0), utc(2026, 11, 26, 10, 0)),   # strictly after
    ("cron(0/15 * * * ? *)", utc(2026, 11, 25, 9, 7, 30), utc(2026, 11, 25, 9, 15)),
    ("cron(1/10 * * * ? *)", utc(2026, 11, 25, 9, 2), utc(2026, 11, 25, 9, 11)),  # "the 11th, 21st…"
    ("cron(0 18 ? * MON-FRI *)", utc(2026, 11, 27, 19, 0), utc(2026, 11, 30, 18, 0)),  # Fri → Mon
    ("cron(0 8 1 * ? *)", utc(2026, 11, 25), utc(2026, 12, 1, 8, 0)),
    ("cron(0 10 L * ? *)", utc(2027, 2, 1), utc(2027, 2, 28, 10, 0)),
    ("cron(0 10 LW * ? *)", utc(2027, 1, 1), utc(2027, 1, 29, 10, 0)),             # Jan 31 2027 is a Sunday
    ("cron(0 10 1W * ? *)", utc(2027, 4, 20), utc(2027, 5, 3, 10, 0)),              # May 1 2027: Sat → Mon 3rd
    ("cron(0 10 15W * ? *)", utc(2026, 11, 1), utc(2026, 11, 16, 10, 0)),           # Nov 15 2026: Sun → Mon
    ("cron(0 10 ? * 3#2 *)", utc(2026, 11, 25), utc(2026, 12, 8, 10, 0)),           # second Tuesday
    ("cron(0 10 ? * 6L *)", utc(2026, 11, 1), utc(2026, 11, 27, 10, 0)),            # last Friday
    ("cron(0 10 ? * 1 *)", utc(2026, 11, 25), utc(2026, 11, 29, 10, 0)),            # 1 = Sunday
    ("cron(0 0 29 FEB ? *)", utc(2026, 3, 1), utc(2028, 2, 29, 0, 0)),
    ("cron(0 0 1 1 ? 1970)", utc(2026, 1, 1), None),                                # no time left
])
def test_cron_next_firing_follows_the_calendar_in_utc(expression, after, expected):
    """Cron schedules are in UTC; 1/10 in minutes means the 1st, 11th, 21st… minute."""
    assert parse_cron(expression).next_after(after) == expected


def test_a_rate_schedule_first_fires_one_interval_after_the_rule_is_created():
    """"A rate expression starts when you create the scheduled event rule, and then it runs on a
    defined schedule." """
    schedule = parse("rate(5 minutes)")
    assert schedule.next_after(anchor=1000.0, now=1000.0) == 1300.0
    assert schedule.next_after(anchor=1000.0, now=1300.0) == 1600.0


def test_a_rate_schedule_skips_firings_it_missed_instead_of_bursting():
    schedule = parse("rate(1 minute)")
    assert schedule.next_after(anchor=0.0, now=610.0) == 660.0
