"""The schedules extension's life in-process: it patches moto while running and cleans up after.

A stand-in cloud object carries the settings; moto's EventBridge backend is used directly.
"""
from __future__ import annotations

import threading

import pytest
from moto.events.models import EventsBackend, Rule, events_backends

from helpers.schedules import moto_patches
from helpers.schedules.extension import SchedulesExtension


class StandInCloud:
    def __init__(self, **settings):
        self.settings = {"COURSE_TIME_SCALE": 1.0, **settings}

    def extension(self, name):
        raise KeyError(name)


@pytest.fixture
def extension():
    ext = SchedulesExtension(StandInCloud())
    ext.start()
    yield ext
    ext.stop()


def schedule_threads():
    return [t for t in threading.enumerate() if t.name == "schedules" and t.is_alive()]


def test_stop_ends_the_clock_thread_and_gives_moto_its_methods_back():
    original_put_rule, original_send = EventsBackend.put_rule, Rule.send_to_targets
    ext = SchedulesExtension(StandInCloud())
    ext.start()
    assert schedule_threads() and EventsBackend.put_rule is not original_put_rule
    ext.stop()
    assert not schedule_threads()
    assert EventsBackend.put_rule is original_put_rule and Rule.send_to_targets is original_send
    assert not moto_patches.ORIGINALS


def test_a_rule_created_while_running_is_scheduled_and_a_reset_forgets_it(extension):
    backend = events_backends["123456789012"]["eu-west-3"]
    backend.put_rule("lifecycle-rule", scheduled_expression="rate(1 hour)")
    try:
        assert [r["name"] for r in extension.describe_rules()["rules"]] == ["lifecycle-rule"]
        extension.on_reset()
        assert extension.describe_rules()["rules"] == []
    finally:
        backend.delete_rule("lifecycle-rule", None)


def test_the_time_scale_setting_reaches_the_clock(extension):
    extension.on_settings_changed({"COURSE_TIME_SCALE": 30.0})
    assert extension.scheduler.clock.scale == 30.0


def test_the_starting_time_scale_comes_from_the_settings():
    ext = SchedulesExtension(StandInCloud(COURSE_TIME_SCALE=12.0))
    ext.start()
    try:
        assert ext.scheduler.clock.scale == 12.0
    finally:
        ext.stop()


@pytest.mark.parametrize("bad", [0.0, -5.0, 1e9])
def test_an_out_of_range_time_scale_sent_as_a_number_is_ignored(extension, bad):
    """JSON numbers reach on_settings_changed unparsed; the clock must never run at 0× or backwards."""
    extension.on_settings_changed({"COURSE_TIME_SCALE": 20.0})
    extension.cloud.settings["COURSE_TIME_SCALE"] = bad
    extension.on_settings_changed({"COURSE_TIME_SCALE": bad})
    assert extension.scheduler.clock.scale == 20.0 and extension.cloud.settings["COURSE_TIME_SCALE"] == 20.0
