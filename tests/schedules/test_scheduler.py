"""The scheduler's timing, driven by hand with an injected clock (no threads, no cloud).

AWS behaviour pinned: a rate rule first fires one interval after it is created
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html); a deleted
rule stops firing. The time scale (COURSE_TIME_SCALE) is the course's own demo knob.
"""
from __future__ import annotations

import threading
import time

import pytest

from helpers.schedules.clock import ScaledClock
from helpers.schedules.scheduler import Scheduler


class FakeTime:
    def __init__(self, start: float = 1_800_000_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def wall():
    return FakeTime()


@pytest.fixture
def fired():
    return []


@pytest.fixture
def scheduler(wall, fired):
    return Scheduler(fired.append, ScaledClock(1.0, real=wall))


def test_a_rate_rule_fires_one_interval_after_it_is_created_and_not_before(scheduler, wall, fired):
    scheduler.sync([("warmer", "rate(5 minutes)")])
    wall.advance(299.9)
    assert scheduler.run_due() == []
    wall.advance(0.1)
    [due] = scheduler.run_due()
    assert due.key == "warmer" and due.scheduled_real == wall.now


def test_a_rate_rule_keeps_firing_every_interval(scheduler, wall, fired):
    scheduler.sync([("warmer", "rate(1 minute)")])
    for _ in range(5):
        wall.advance(60)
        scheduler.run_due()
    assert len(fired) == 5
    assert [round(b.scheduled_real - a.scheduled_real) for a, b in zip(fired, fired[1:])] == [60] * 4


def test_missed_firings_are_skipped_not_sent_in_a_burst(scheduler, wall, fired):
    scheduler.sync([("warmer", "rate(1 minute)")])
    wall.advance(600)
    assert len(scheduler.run_due()) == 1
    wall.advance(59)
    assert scheduler.run_due() == []


def test_time_scale_divides_the_real_interval(scheduler, wall, fired):
    scheduler.set_scale(60)
    scheduler.sync([("warmer", "rate(5 minutes)")])
    wall.advance(4.9)
    assert scheduler.run_due() == []
    wall.advance(0.1)
    assert len(scheduler.run_due()) == 1
    wall.advance(5)
    assert len(scheduler.run_due()) == 1


def test_changing_the_scale_mid_interval_keeps_the_share_of_the_interval_left(scheduler, wall, fired):
    scheduler.sync([("warmer", "rate(10 minutes)")])
    wall.advance(300)                      # half-way, at real time
    scheduler.set_scale(60)                # the other 5 minutes now take 5 s
    wall.advance(4.9)
    assert scheduler.run_due() == []
    wall.advance(0.1)
    assert len(scheduler.run_due()) == 1


def test_back_to_scale_one_cron_rules_fire_at_wall_clock_times_again(scheduler, wall, fired):
    scheduler.set_scale(600)
    scheduler.sync([("hourly", "cron(0 * * * ? *)")])
    wall.advance(1)                        # schedule time ran 10 minutes ahead
    scheduler.set_scale(1)
    next_real = scheduler.next_firings()["hourly"]
    assert next_real % 3600 == 0 and 0 < next_real - wall.now <= 3600


def test_a_removed_rule_stops_firing(scheduler, wall, fired):
    scheduler.sync([("warmer", "rate(1 minute)"), ("other", "rate(1 minute)")])
    scheduler.sync([("other", "rate(1 minute)")])
    wall.advance(60)
    assert [d.key for d in scheduler.run_due()] == ["other"]


def test_putting_a_rule_again_with_a_new_expression_restarts_its_schedule(scheduler, wall, fired):
    scheduler.sync([("warmer", "rate(1 minute)")])
    wall.advance(50)
    scheduler.sync([("warmer", "rate(2 minutes)")])
    wall.advance(60)
    assert scheduler.run_due() == []
    wall.advance(60)
    assert len(scheduler.run_due()) == 1


def test_putting_a_rule_again_unchanged_keeps_its_schedule(scheduler, wall, fired):
    scheduler.sync([("warmer", "rate(1 minute)")])
    wall.advance(50)
    scheduler.sync([("warmer", "rate(1 minute)")])
    wall.advance(10)
    assert len(scheduler.run_due()) == 1


def test_a_failing_fire_callback_does_not_stop_the_others(wall):
    seen = []

    def fire(due):
        if due.key == "broken":
            raise RuntimeError("boom")
        seen.append(due.key)

    scheduler = Scheduler(fire, ScaledClock(1.0, real=wall))
    scheduler.sync([("broken", "rate(1 minute)"), ("fine", "rate(1 minute)")])
    wall.advance(60)
    scheduler.run_due()
    assert seen == ["fine"]


def test_the_clock_thread_fires_and_stops():
    """With the real clock at a high scale the thread fires on its own, and stop() ends it."""
    fired = threading.Event()
    scheduler = Scheduler(lambda due: fired.set(), ScaledClock(3600.0))
    scheduler.sync([("fast", "rate(1 minute)")])   # every 1/60 s
    scheduler.start()
    try:
        assert fired.wait(5), "the scheduler thread never fired"
    finally:
        scheduler.stop()
    assert not any(t.name == "schedules" and t.is_alive() for t in threading.enumerate())
    fired.clear()
    time.sleep(0.1)
    assert not fired.is_set()
