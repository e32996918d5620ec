"""Exercises of notebook 01 (serverless concepts): GB-seconds, and which workloads fit Lambda.

The checks name the usual slip (milliseconds left unconverted, megabytes taken for
gigabytes, a two-hour job given to a 15-minute function) rather than only saying "wrong".
"""
from __future__ import annotations

import math

from . import define

REQUESTS = 3_000_000
DURATION_MS = 200
MEMORY_MB = 512
EXPECTED_GB_SECONDS = REQUESTS * (DURATION_MS / 1000) * (MEMORY_MB / 1024)  # 300,000

_INPUTS = f'''requests_per_month = {REQUESTS:_}
average_duration_ms = {DURATION_MS}
memory_mb = {MEMORY_MB}
'''


@define(
    "01.1", "GB-seconds of a month of requests",
    hint="GB-seconds = requests × duration in seconds × memory in GB. Convert milliseconds to "
         "seconds (÷ 1000) and megabytes to gigabytes (÷ 1024) first.",
    solution=_INPUTS + "\ngb_seconds = requests_per_month * (average_duration_ms / 1000) * (memory_mb / 1024)",
    mistake=_INPUTS + "\ngb_seconds = requests_per_month * average_duration_ms * (memory_mb / 1024)",
)
def check_gb_seconds(answer) -> None:
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        raise AssertionError(f"expected a number, got a {type(answer).__name__}")

    def near(value: float) -> bool:
        return math.isclose(answer, value, rel_tol=1e-6)

    if near(EXPECTED_GB_SECONDS):
        return
    if near(EXPECTED_GB_SECONDS * 1000):
        raise AssertionError("1000 times too big: the duration is still in milliseconds")
    if near(EXPECTED_GB_SECONDS * 1024) or near(EXPECTED_GB_SECONDS * 1000 * 1024):
        raise AssertionError("far too big: the memory is still in megabytes")
    if near(EXPECTED_GB_SECONDS * 1024 / 1000):
        raise AssertionError("close: 1 GB is 1024 MB here, not 1000")
    raise AssertionError(f"{answer:,} is not the number of GB-seconds of this workload")


WORKLOADS = {
    "A": "an API behind a sign-up form: a few hundred requests a day, arriving in bursts",
    "B": "transcoding each uploaded video, which takes about two hours per file",
    "C": "making a thumbnail of each uploaded photo, about one second each",
    "D": "a multiplayer game server that keeps every player's state in memory and serves a steady, "
         "high load around the clock",
    "E": "sending a reminder e-mail once every morning",
}
GOOD_FITS = {"A", "C", "E"}
_WHY_NOT = {
    "B": "B runs for two hours, and one Lambda invocation stops after at most 15 minutes",
    "D": "D is long-lived, stateful and under steady high load: a server you keep running fits it better",
}
_WHY = {
    "A": "A is short requests with idle time in between: you pay nothing while nobody signs up",
    "C": "C is short work triggered by an event, a textbook fit",
    "E": "E runs for a moment once a day: a schedule can trigger a function",
}


@define(
    "01.2", "Which workloads fit Lambda",
    hint="Ask of each one: is each piece of work short (well under 15 minutes)? Is the load bursty or "
         "idle much of the time? Does it need state kept in memory between requests?",
    solution='good_fits = {"A", "C", "E"}',
    mistake='good_fits = {"A", "B", "C", "E"}',
)
def check_good_fits(answer) -> None:
    if isinstance(answer, str):
        answer = [letter for letter in answer if letter.isalpha()]
    try:
        chosen = {str(item).strip().upper() for item in answer}
    except TypeError:
        raise AssertionError(f'expected a set of letters such as {{"A", "B"}}, got {answer!r}') from None
    unknown = chosen - set(WORKLOADS)
    if unknown:
        raise AssertionError(f"there is no workload {', '.join(sorted(unknown))}; the letters are A to E")
    wrongly_chosen = sorted(chosen - GOOD_FITS)
    if wrongly_chosen:
        raise AssertionError(_WHY_NOT[wrongly_chosen[0]])
    missing = sorted(GOOD_FITS - chosen)
    if missing:
        raise AssertionError(f"one is missing: {_WHY[missing[0]]}")
