"""``cron(minutes hours day-of-month month day-of-week year)``: schedules at calendar times (UTC).

AWS's syntax, from https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html:

| field        | values              | wildcards       |
| ------------ | ------------------- | --------------- |
| minutes      | 0-59                | , - * /         |
| hours        | 0-23                | , - * /         |
| day-of-month | 1-31                | , - * ? / L W   |
| month        | 1-12 or JAN-DEC     | , - * /         |
| day-of-week  | 1-7 or SUN-SAT      | , - * ? L #     |
| year         | 1970-2199           | , - * /         |

Exactly one of day-of-month and day-of-week is ``?``. ``L`` is the last day of the month (or,
as ``5L``, the last Thursday); ``3W`` the weekday nearest the 3rd; ``3#2`` the second Tuesday,
and a field with ``#`` holds that one expression only. Day-of-week counts 1 = Sunday.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from .errors import ScheduleExpressionError

_MONTHS = {name: i for i, name in enumerate(
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], start=1)}
_DAYS = {name: i for i, name in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], start=1)}
_CRON = re.compile(r"^cron\((?P<body>.*)\)$")
_FIELD_NAMES = ("minutes", "hours", "day-of-month", "month", "day-of-week", "year")


@dataclass(frozen=True)
class _Range:
    """Which whole numbers a plain field (no L/W/#) allows, within [low, high]."""

    low: int
    high: int
    names: dict[str, int] = field(default_factory=dict)


_PLAIN = {"minutes": _Range(0, 59), "hours": _Range(0, 23), "day-of-month": _Range(1, 31),
          "month": _Range(1, 12, _MONTHS), "day-of-week": _Range(1, 7, _DAYS), "year": _Range(1970, 2199)}


def _number(text: str, spec: _Range, expression: str, field_name: str) -> int:
    token = text.upper()
    if token in spec.names:
        return spec.names[token]
    if not token.isdigit():
        raise ScheduleExpressionError(expression, f"{field_name} has {text!r}, not a number"
                                      + (f" or one of {'/'.join(spec.names)}" if spec.names else ""))
    value = int(token)
    if not spec.low <= value <= spec.high:
        raise ScheduleExpressionError(expression, f"{field_name} takes {spec.low}-{spec.high}, got {value}")
    return value


def _plain_values(text: str, field_name: str, expression: str) -> frozenset[int]:
    """The values of a comma list of ``*``, ``a``, ``a-b`` and ``x/step`` items."""
    spec = _PLAIN[field_name]
    values: set[int] = set()
    for item in text.split(","):
        if not item:
            raise ScheduleExpressionError(expression, f"{field_name} has an empty item in {text!r}")
        base, _, step_text = item.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) < 1:
                raise ScheduleExpressionError(expression, f"{field_name}: the step after / must be a positive number")
            step = int(step_text)
        if base == "*":
            start, end = spec.low, spec.high
        elif "-" in base:
            first, _, last = base.partition("-")
            start, end = _number(first, spec, expression, field_name), _number(last, spec, expression, field_name)
        else:
            start = _number(base, spec, expression, field_name)
            end = spec.high if step_text else start  # "5/15" means from 5, every 15
        span = list(range(start, end + 1)) if start <= end else (
            list(range(start, spec.high + 1)) + list(range(spec.low, end + 1)))  # FRI-MON wraps
        values.update(span[::step])
    return frozenset(values)


def _aws_weekday(day: date) -> int:
    """1 = Sunday … 7 = Saturday, as cron's day-of-week counts."""
    return (day.weekday() + 1) % 7 + 1


def _nearest_weekday(year: int, month: int, target: int) -> int | None:
    """The weekday (Mon-Fri) nearest ``target`` that stays inside the month (the ``W`` rule)."""
    last = calendar.monthrange(year, month)[1]
    if target > last:
        return None
    weekday = date(year, month, target).weekday()
    if weekday == 5:  # Saturday: the Friday before, unless that leaves the month
        return target - 1 if target > 1 else target + 2
    if weekday == 6:  # Sunday: the Monday after, unless that leaves the month
        return target + 1 if target < last else target - 2
    return target


@dataclass(frozen=True)
class _DayOfMonth:
    days: frozenset[int]
    last: bool = False           # L
    last_weekday: bool = False   # LW
    nearest_weekdays: tuple[int, ...] = ()  # 3W

    def matches(self, day: date) -> bool:
        last = calendar.monthrange(day.year, day.month)[1]
        if day.day in self.days or (self.last and day.day == last):
            return True
        if self.last_weekday:
            candidate = last
            while date(day.year, day.month, candidate).weekday() >= 5:
                candidate -= 1
            if day.day == candidate:
                return True
        return any(_nearest_weekday(day.year, day.month, n) == day.day for n in self.nearest_weekdays)


@dataclass(frozen=True)
class _DayOfWeek:
    weekdays: frozenset[int]
    last_of_month: tuple[int, ...] = ()  # 5L: the last Thursday of the month
    nth: tuple[int, int] | None = None   # 3#2: (Tuesday, second)

    def matches(self, day: date) -> bool:
        weekday = _aws_weekday(day)
        if weekday in self.weekdays:
            return True
        if weekday in self.last_of_month and day.day + 7 > calendar.monthrange(day.year, day.month)[1]:
            return True
        return self.nth is not None and self.nth == (weekday, (day.day - 1) // 7 + 1)


def _parse_day_of_month(text: str, expression: str) -> _DayOfMonth:
    plain, last, last_weekday, nearest = [], False, False, []
    for item in text.split(","):
        upper = item.upper()
        if upper == "L":
            last = True
        elif upper == "LW":
            last_weekday = True
        elif upper.endswith("W"):
            nearest.append(_number(upper[:-1], _PLAIN["day-of-month"], expression, "day-of-month"))
        else:
            plain.append(item)
    days = _plain_values(",".join(plain), "day-of-month", expression) if plain else frozenset()
    return _DayOfMonth(days, last, last_weekday, tuple(nearest))


def _parse_day_of_week(text: str, expression: str) -> _DayOfWeek:
    spec = _PLAIN["day-of-week"]
    if "#" in text:
        if "," in text:
            raise ScheduleExpressionError(expression, "a day-of-week with # holds one expression only, e.g. 3#2")
        weekday_text, _, nth_text = text.partition("#")
        weekday = _number(weekday_text, spec, expression, "day-of-week")
        if not nth_text.isdigit() or not 1 <= int(nth_text) <= 5:
            raise ScheduleExpressionError(expression, "after # comes which week of the month, 1-5")
        return _DayOfWeek(frozenset(), nth=(weekday, int(nth_text)))
    plain, last_of_month = [], []
    for item in text.split(","):
        upper = item.upper()
        if upper == "L":
            plain.append("7")  # L alone is the last day of the week, Saturday
        elif upper.endswith("L") and len(upper) > 1:
            last_of_month.append(_number(upper[:-1], spec, expression, "day-of-week"))
        else:
            plain.append(item)
    weekdays = _plain_values(",".join(plain), "day-of-week", expression) if plain else frozenset()
    return _DayOfWeek(weekdays, tuple(last_of_month))


@dataclass(frozen=True)
class CronSchedule:
    minutes: frozenset[int]
    hours: frozenset[int]
    months: frozenset[int]
    years: frozenset[int]
    day_of_month: _DayOfMonth | None  # None when the field is "?"
    day_of_week: _DayOfWeek | None

    def day_matches(self, day: date) -> bool:
        if day.month not in self.months or day.year not in self.years:
            return False
        if self.day_of_month is not None:
            return self.day_of_month.matches(day)
        return self.day_of_week.matches(day)  # type: ignore[union-attr]

    def next_after(self, moment: datetime) -> datetime | None:
        """The first matching minute strictly after ``moment`` (UTC), or None if none is left."""
        start = moment.astimezone(timezone.utc).replace(second=0, microsecond=0) + timedelta(minutes=1)
        day = start.date()
        hours, minutes = sorted(self.hours), sorted(self.minutes)
        while day.year <= 2199:
            if day.year not in self.years:
                day = date(day.year + 1, 1, 1)
                continue
            if day.month not in self.months:
                day = date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)
                continue
            if self.day_matches(day):
                same_day = day == start.date()
                for hour in hours:
                    if same_day and hour < start.hour:
                        continue
                    for minute in minutes:
                        if same_day and hour == start.hour and minute < start.minute:
                            continue
                        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.utc)
            day += timedelta(days=1)
        return None


def parse_cron(expression: str) -> CronSchedule:
    match = _CRON.match(expression)
    if not match:
        raise ScheduleExpressionError(expression, "a cron expression looks like cron(0 10 * * ? *)")
    fields = match.group("body").split()
    if len(fields) != 6:
        raise ScheduleExpressionError(
            expression, f"cron takes six fields (minutes hours day-of-month month day-of-week year), "
                        f"got {len(fields)}; e.g. cron(0 10 * * ? *)")
    minutes, hours, day_of_month, month, day_of_week, year = fields
    if (day_of_month == "?") == (day_of_week == "?"):
        raise ScheduleExpressionError(
            expression, "exactly one of day-of-month and day-of-week must be ?, e.g. cron(0 10 * * ? *) "
                        "or cron(0 10 ? * MON-FRI *)")
    for name, text in zip(_FIELD_NAMES, fields):
        allowed = {"day-of-month": "LW?", "day-of-week": "L#?"}.get(name, "")
        stray = set(re.sub(r"[0-9A-Za-z,\-*/]", "", text)) - set(allowed)
        if stray:
            raise ScheduleExpressionError(expression, f"{name} cannot contain {''.join(sorted(stray))}")
        if "?" in text and text != "?":
            raise ScheduleExpressionError(expression, f"{name}: ? stands alone")
        if name == "day-of-week" and "/" in text:
            raise ScheduleExpressionError(expression, "day-of-week takes no / increments")
    return CronSchedule(
        minutes=_plain_values(minutes, "minutes", expression),
        hours=_plain_values(hours, "hours", expression),
        months=_plain_values(month, "month", expression),
        years=_plain_values(year, "year", expression),
        day_of_month=None if day_of_month == "?" else _parse_day_of_month(day_of_month, expression),
        day_of_week=None if day_of_week == "?" else _parse_day_of_week(day_of_week, expression),
    )
