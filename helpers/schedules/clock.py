"""The scheduler's clock: wall-clock time, optionally running faster for demos.

``COURSE_TIME_SCALE=60`` makes a minute of schedule time pass in one real second, so a
``rate(5 minutes)`` warmer fires every 5 s. The clock keeps its own "schedule time", which is
continuous when the scale changes (a schedule half-way to its next firing stays half-way);
setting the scale back to 1 re-joins the wall clock, so unscaled schedules fire at AWS's times.
"""
from __future__ import annotations

import threading
import time
from typing import Callable

from .. import settings
from ..settings import Setting, SettingError

MAX_TIME_SCALE = 3600.0  # rate(1 minute) every 16.7 ms: beyond this the firings are a busy loop


def parse_time_scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise SettingError(f"expected a number such as 1 (real time) or 60 (a minute per second), got {text!r}") from None
    if not 0 < value <= MAX_TIME_SCALE:
        raise SettingError(f"expected a number above 0 and at most {MAX_TIME_SCALE:g}, got {value:g}")
    return value


TIME_SCALE = settings.register(Setting(
    "COURSE_TIME_SCALE", 1.0,
    "How much faster than real time EventBridge schedules run in the local cloud: `60` fires a "
    "`rate(5 minutes)` rule every 5 s. `1` is real time, as on AWS.",
    float, runtime=True, parse=parse_time_scale))


class ScaledClock:
    """Schedule time = wall time at the last re-anchoring + real seconds since × scale."""

    def __init__(self, scale: float = 1.0, real: Callable[[], float] = time.time):
        self._real = real
        self._lock = threading.Lock()
        self._anchor_real = self._anchor_schedule = real()
        self.scale = scale

    def now(self) -> float:
        with self._lock:
            return self._anchor_schedule + (self._real() - self._anchor_real) * self.scale

    def real_time_of(self, schedule_time: float) -> float:
        """The wall-clock moment at which the schedule clock will read ``schedule_time``."""
        with self._lock:
            return self._anchor_real + (schedule_time - self._anchor_schedule) / self.scale

    def real_now(self) -> float:
        return self._real()

    def set_scale(self, scale: float) -> float:
        """Change the speed; returns how far schedule time jumped (non-zero only back at 1)."""
        with self._lock:
            real = self._real()
            current = self._anchor_schedule + (real - self._anchor_real) * self.scale
            self._anchor_real = real
            self._anchor_schedule = real if scale == 1.0 else current
            self.scale = scale
            return self._anchor_schedule - current
