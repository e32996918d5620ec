"""The Lambda engine's ``COURSE_LAMBDA_*`` settings, registered with the course's one registry."""
from __future__ import annotations

import sys

from ..settings import Setting, SettingError, register

START_METHODS = ("auto", "fork", "spawn")


def _parse_start_method(text: str) -> str:
    value = str(text).strip().lower()
    if value not in START_METHODS:
        raise SettingError(f"expected one of {', '.join(START_METHODS)}, got {text!r}")
    if value == "fork" and sys.platform == "win32":
        raise SettingError("fork is not available on Windows; use spawn or auto")
    return value


def _parse_count(text: str) -> int:
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise SettingError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise SettingError(f"expected at least 1, got {value}")
    return value


IDLE_SECONDS = register(Setting(
    "COURSE_LAMBDA_IDLE_SECONDS", 300.0,
    "Seconds an idle Lambda execution environment stays warm before the local cloud reclaims "
    "it (AWS does not publish its own figure; a short value makes cold starts easy to see).",
    float, runtime=True))
START_METHOD = register(Setting(
    "COURSE_LAMBDA_START_METHOD", "auto",
    "How the local cloud starts a Python execution environment: `fork` (from a pre-started "
    "runtime process, a few ms, Linux), `spawn` (a new interpreter, slower, everywhere) or "
    "`auto` (fork on Linux, spawn elsewhere).", parse=_parse_start_method))
MAX_ENVIRONMENTS = register(Setting(
    "COURSE_LAMBDA_MAX_ENVIRONMENTS", 32,
    "Most Lambda execution environments (worker processes) alive at once in the local cloud; "
    "beyond it invokes get TooManyRequestsException, like an account's concurrency quota.",
    int, runtime=True, parse=_parse_count))


PYTHON_CLIENT = register(Setting(
    "COURSE_LAMBDA_PYTHON_CLIENT", "auto",
    "Which Runtime API client runs Python functions: `auto` (AWS's awslambdaric where it is installed, "
    "else the course's own), `awslambdaric` or `course` (the course's small pure-Python client, as on "
    "macOS and Windows). Applies to environments started after a change.", runtime=True,
    parse=lambda text: _parse_choice(text, ("auto", "awslambdaric", "course"))))


def _parse_choice(text: str, choices: tuple[str, ...]) -> str:
    value = str(text).strip().lower()
    if value not in choices:
        raise SettingError(f"expected one of {', '.join(choices)}, got {text!r}")
    return value


def resolved_start_method(value: str) -> str:
    """``auto`` means fork where fork is safe and cheap (Linux), spawn elsewhere."""
    if value == "auto":
        return "fork" if sys.platform.startswith("linux") else "spawn"
    return value
