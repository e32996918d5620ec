"""Noticing every change to IAM, however it is made.

Policies, users, keys and roles change through the IAM API, but also in-process (the local
identity is recreated on reset; other parts of the local cloud may create roles). Wrapping
the writing methods of moto's IAM backend class catches all of them in one place, so the
decision cache can never serve an answer older than the last IAM change.
"""
from __future__ import annotations

import functools
from typing import Callable

_WRITING_PREFIXES = ("create_", "delete_", "put_", "attach_", "detach_", "update_", "tag_", "untag_", "add_",
                     "remove_", "set_", "upload_", "enable_", "deactivate_", "reset", "change_", "expire_")
_listeners: list[Callable[[], None]] = []
_MARK = "__course_iam_watched__"


def _notify() -> None:
    for listener in list(_listeners):
        listener()


def _wrap(method: Callable) -> Callable:
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        finally:
            _notify()

    setattr(wrapper, _MARK, True)
    return wrapper


def watch(listener: Callable[[], None]) -> None:
    """Call ``listener`` after every write to moto's IAM backend (installs the wrappers once)."""
    from moto.iam.models import IAMBackend

    for name in dir(IAMBackend):
        if not name.startswith(_WRITING_PREFIXES):
            continue
        method = getattr(IAMBackend, name)
        if callable(method) and not getattr(method, _MARK, False):
            setattr(IAMBackend, name, _wrap(method))
    if listener not in _listeners:
        _listeners.append(listener)


def unwatch(listener: Callable[[], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)
