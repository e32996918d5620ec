"""When each scheduled rule fires next, and a thread that fires it on time.

The scheduler knows rules only by key and expression; what a firing *does* (look the rule up,
skip it when disabled, build the event, invoke the targets) is the ``fire`` callback's job, so
the timing can be tested with an injected clock and no cloud at all.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Callable, Hashable, Iterable

from .clock import ScaledClock
from .expressions import Schedule, parse
from .rate import RateSchedule

log = logging.getLogger("localcloud.schedules")


@dataclass
class _Entry:
    schedule: Schedule
    anchor: float         # schedule time the rule was created at (rates count from it)
    next_time: float | None  # schedule time of the next firing; None: never again


@dataclass(frozen=True)
class Due:
    key: Hashable
    expression: str
    scheduled_real: float  # the wall-clock moment the firing was due


class Scheduler:
    def __init__(self, fire: Callable[[Due], None], clock: ScaledClock | None = None):
        self._fire = fire
        self.clock = clock or ScaledClock()
        self._entries: dict[Hashable, _Entry] = {}
        self._wake = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None

    # -- what is scheduled ---------------------------------------------------
    def sync(self, rules: Iterable[tuple[Hashable, str]]) -> None:
        """Make the schedule match ``rules`` (key, expression): new ones start now, gone ones stop."""
        wanted = dict(rules)
        with self._wake:
            now = self.clock.now()
            for key in [k for k in self._entries if k not in wanted]:
                del self._entries[key]
            for key, expression in wanted.items():
                current = self._entries.get(key)
                if current is None or current.schedule.expression != expression:
                    schedule = parse(expression)
                    self._entries[key] = _Entry(schedule, now, schedule.next_after(now, now))
            self._wake.notify()

    def clear(self) -> None:
        with self._wake:
            self._entries.clear()
            self._wake.notify()

    def next_firings(self) -> dict[Hashable, float | None]:
        """Wall-clock time of each rule's next firing."""
        with self._wake:
            return {key: None if e.next_time is None else self.clock.real_time_of(e.next_time)
                    for key, e in self._entries.items()}

    def set_scale(self, scale: float) -> None:
        """Change the clock's speed; pending firings keep their place in schedule time."""
        with self._wake:
            jump = self.clock.set_scale(scale)
            if jump:  # back to real time: schedule time re-joined the wall clock
                now = self.clock.now()
                for entry in self._entries.values():
                    entry.anchor += jump
                    if entry.next_time is None:
                        continue
                    if isinstance(entry.schedule.rule, RateSchedule):
                        entry.next_time += jump  # the same share of the interval is left
                    else:
                        entry.next_time = entry.schedule.next_after(entry.anchor, now)
            self._wake.notify()

    # -- firing -----------------------------------------------------------------
    def pop_due(self) -> list[Due]:
        """Every firing whose time has come, each entry moved on to its following firing."""
        due = []
        with self._wake:
            now = self.clock.now()
            for key, entry in self._entries.items():
                if entry.next_time is not None and entry.next_time <= now:
                    due.append(Due(key, entry.schedule.expression, self.clock.real_time_of(entry.next_time)))
                    entry.next_time = entry.schedule.next_after(entry.anchor, max(now, entry.next_time))
        return due

    def run_due(self) -> list[Due]:
        """Fire what is due, in the caller's thread (the tests drive time by hand this way)."""
        due = self.pop_due()
        for item in due:
            self._fire_safely(item)
        return due

    def _fire_safely(self, item: Due) -> None:
        try:
            self._fire(item)
        except Exception:  # one broken target must not stop the clock
            log.exception("firing %s failed", item.key)

    def _seconds_until_next(self) -> float | None:
        times = [e.next_time for e in self._entries.values() if e.next_time is not None]
        if not times:
            return None
        return max(0.0, self.clock.real_time_of(min(times)) - self.clock.real_now())

    def _loop(self) -> None:
        while True:
            with self._wake:
                if self._stopping:
                    return
                wait = self._seconds_until_next()
                if wait is None or wait > 0:
                    self._wake.wait(wait)
                    continue
            self.run_due()

    def start(self) -> None:
        if self._thread is None:
            self._stopping = False
            self._thread = threading.Thread(target=self._loop, name="schedules", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
