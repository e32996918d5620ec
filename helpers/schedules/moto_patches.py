"""The few places where moto's EventBridge is told to behave like AWS, patched in-process.

moto 5.2.5 stores rules and targets well but: accepts any ``rate(...)``/``cron(...)`` text
(``rate(5 minute)`` included), never fires schedules, sends ``put_events`` to disabled rules and
to schedule-only rules (an empty pattern matches everything), and raises NotImplementedError
for a Lambda target. Each patch below wraps moto's method and keeps moto's behaviour for the
rest. They are installed once per process and route to whichever schedules extension is active.
"""
from __future__ import annotations

import copy
import logging
import threading
from typing import Any, Protocol

from moto.events.exceptions import ValidationException
from moto.events.models import EventsBackend, Rule

from . import expressions
from .errors import AWS_MESSAGE, ScheduleExpressionError
from .lambda_targets import parse_lambda_arn

log = logging.getLogger("localcloud.schedules")


class Hooks(Protocol):
    def on_rules_changed(self) -> None: ...

    def deliver_to_lambda(self, rule: Rule, target: dict[str, Any], message: dict[str, Any]) -> None: ...


_lock = threading.Lock()
_active: Hooks | None = None
ORIGINALS: dict[str, Any] = {}
_NOTIFYING = ("delete_rule", "enable_rule", "disable_rule", "put_targets", "remove_targets")


def is_lambda_target(target: dict[str, Any]) -> bool:
    return parse_lambda_arn(target.get("Arn", "")) is not None


def _put_rule(self: EventsBackend, name: str, *args: Any, **kwargs: Any) -> Rule:
    expression = kwargs.get("scheduled_expression")
    if expression:
        try:
            expressions.validate(expression)
        except ScheduleExpressionError as error:
            log.info("PutRule %s refused: %s", name, error)
            raise ValidationException(AWS_MESSAGE) from None
    rule = ORIGINALS["put_rule"](self, name, *args, **kwargs)
    _notify()
    return rule


def _notifying(method_name: str):
    original = getattr(EventsBackend, method_name)

    def wrapper(self: EventsBackend, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        _notify()
        return result

    wrapper.__name__ = method_name
    wrapper.__doc__ = original.__doc__
    return wrapper


def _send_to_targets(self: Rule, event: dict[str, Any], transform_input: bool = True) -> None:
    """An event on the bus reaches a rule: AWS skips disabled and schedule-only rules."""
    if self.state != "ENABLED":
        return
    if self.scheduled_expression and not self.event_pattern.get_pattern():
        return
    hooks = _active
    if hooks is None:
        return ORIGINALS["send_to_targets"](self, event, transform_input)
    if not self.event_pattern.matches_event(event):
        return
    for target in [t for t in self.targets if is_lambda_target(t)]:
        hooks.deliver_to_lambda(self, target, event)
    send_to_moto_targets(self, event, transform_input)


def send_to_moto_targets(rule: Rule, message: dict[str, Any], transform_input: bool = True) -> None:
    """Let moto deliver to the targets it supports (SQS, logs, archives, buses): all but Lambda."""
    others = [t for t in rule.targets if not is_lambda_target(t)]
    if others:
        clone = copy.copy(rule)
        clone.targets = others
        ORIGINALS["send_to_targets"](clone, copy.deepcopy(message), transform_input)


def _notify() -> None:
    hooks = _active
    if hooks is not None:
        try:
            hooks.on_rules_changed()
        except Exception:
            log.exception("updating the schedules failed")


def install(hooks: Hooks) -> None:
    """Patch moto (once per process) and route its events to ``hooks``."""
    global _active
    with _lock:
        if not ORIGINALS:
            ORIGINALS["put_rule"] = EventsBackend.put_rule
            ORIGINALS["send_to_targets"] = Rule.send_to_targets
            for name in _NOTIFYING:
                ORIGINALS[name] = getattr(EventsBackend, name)
                setattr(EventsBackend, name, _notifying(name))
            EventsBackend.put_rule = _put_rule  # type: ignore[method-assign]
            Rule.send_to_targets = _send_to_targets  # type: ignore[method-assign]
        _active = hooks


def uninstall(hooks: Hooks) -> None:
    """Stop routing to ``hooks`` and give moto back its own methods."""
    global _active
    with _lock:
        if _active is not hooks:
            return
        _active = None
        EventsBackend.put_rule = ORIGINALS.pop("put_rule")  # type: ignore[method-assign]
        Rule.send_to_targets = ORIGINALS.pop("send_to_targets")  # type: ignore[method-assign]
        for name in _NOTIFYING:
            setattr(EventsBackend, name, ORIGINALS.pop(name))
