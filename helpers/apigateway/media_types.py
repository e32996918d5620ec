"""Media-type matching for mapping templates and the API's ``binaryMediaTypes``.

"Working with binary media types for REST APIs": a request payload is binary when
its Content-Type matches one of the API's binary media types (``*`` wildcards
allowed, e.g. ``image/*`` or ``*/*``); for responses API Gateway looks at the
*first* media type of the client's ``Accept`` header.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=256)
def essence(content_type: str | None) -> str:
    """``"Application/JSON; charset=utf-8"`` → ``"application/json"``."""
    if not content_type:
        return ""
    return content_type.split(";", 1)[0].strip().lower()


def first_accept(accept: str | None) -> str:
    return essence((accept or "").split(",", 1)[0])


def matches(media_type: str, patterns: tuple[str, ...]) -> bool:
    """Does ``media_type`` (already an essence) match one of the binary media type patterns?"""
    if not media_type or not patterns:
        return False
    kind, _, sub = media_type.partition("/")
    for pattern in patterns:
        p_kind, _, p_sub = pattern.strip().lower().partition("/")
        if p_kind in ("*", kind) and p_sub in ("*", sub):
            return True
    return False
