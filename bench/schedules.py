"""How late a scheduled rule fires against its (scaled) time: the issue's ≤ 100 ms target.

A ``rate(1 minute)`` rule runs with COURSE_TIME_SCALE raised so that it fires every
``60 / scale`` seconds; the local cloud records, for each firing, when it was due and when the
event was handed to the Lambda target. The delay is the difference (the function need not exist:
the hand-over is what is timed, not the function).
"""
from __future__ import annotations

import time

from .stats import row

TARGET_MS = 100.0


def _firing_delays(scale: float, n: int) -> list[float]:
    import boto3

    import helpers
    from helpers import schedules

    connection = helpers.connect("local")
    events = boto3.client("events")
    name = helpers.name(f"bench-sched-{int(scale)}")
    arn = f"arn:aws:lambda:{connection.region}:{connection.account}:function:{helpers.name('bench-absent')}"
    schedules.set_time_scale(scale, quiet=True)
    try:
        events.put_rule(Name=name, ScheduleExpression="rate(1 minute)")
        events.put_targets(Rule=name, Targets=[{"Id": "fn", "Arn": arn}])
        period = 60.0 / scale
        deadline = time.monotonic() + period * (n + 2) + 5
        while len(schedules.firings(name)) < n and time.monotonic() < deadline:
            time.sleep(min(0.5, period))
        firings = schedules.firings(name)[:n]
    finally:
        events.remove_targets(Rule=name, Ids=["fn"])
        events.delete_rule(Name=name)
        schedules.set_time_scale(1, quiet=True)
    return [f["delay_ms"] for f in firings]


def run(quick: bool) -> list[dict]:
    rows = []
    for scale, n in ([(600.0, 10)] if quick else [(600.0, 300), (60.0, 30)]):
        delays = _firing_delays(scale, n)
        rows.append(row(f"scheduled rule fires after its scaled time (rate(1 minute) at {scale:g}×, "
                        f"every {60 / scale:g} s)", delays, TARGET_MS))
    return rows
