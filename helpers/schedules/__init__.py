"""EventBridge schedules in the local cloud (the ``schedules`` extension) and its notebook helpers.

``helpers/schedules/extension.py`` is the server side; the functions here are what a notebook
calls to run the demo clock faster and to see what fired. They act on the local cloud only: on a
real account time runs at AWS's pace, and the rule's CloudWatch metrics say what fired.
"""
from __future__ import annotations

from typing import Any

TIME_SCALE_SETTING = "COURSE_TIME_SCALE"


def _local_url() -> str | None:
    from ..backend import current

    connection = current()
    return connection.endpoint if connection is not None and connection.is_local else None


def time_scale() -> float:
    """How much faster than real time schedules run (1.0 on AWS, and by default)."""
    from ..localcloud import client

    url = _local_url()
    return 1.0 if url is None else float(client.get_settings(url).get(TIME_SCALE_SETTING, 1.0))


def set_time_scale(scale: float, quiet: bool = False) -> float:
    """Run the local cloud's schedules ``scale`` times faster; says plainly what that means."""
    from ..localcloud import client

    url = _local_url()
    if url is None:
        if not quiet:
            print("On AWS, schedules run in real time: a rate(5 minutes) rule fires every 5 minutes.")
        return 1.0
    applied = float(client.set_settings(url, **{TIME_SCALE_SETTING: scale})[TIME_SCALE_SETTING])
    if not quiet:
        if applied == 1.0:
            print("Time scale: 1× (real time, as on AWS).")
        else:
            print(f"Time scale: {applied:g}× — the local cloud's schedules run {applied:g} times faster than "
                  f"real time: a rate(5 minutes) rule fires every {300 / applied:.3g} s. "
                  f"On AWS it would fire every 5 minutes.")
    return applied


def firings(rule: str | None = None) -> list[dict[str, Any]]:
    """What the local cloud delivered to Lambda targets (newest last): when due, when sent, how it ended."""
    from ..localcloud import client

    url = _local_url()
    if url is None:
        return []
    from urllib.parse import quote

    path = "/_schedules/firings" + (f"?rule={quote(rule)}" if rule else "")
    return client.request(url, "GET", path)["firings"]


def next_firings() -> list[dict[str, Any]]:
    """Each scheduled rule in the local cloud with its next firing time."""
    from ..localcloud import client

    url = _local_url()
    return [] if url is None else client.request(url, "GET", "/_schedules/rules")["rules"]
