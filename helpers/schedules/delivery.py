"""Handing an event to a rule's Lambda targets, and the record of every such delivery.

EventBridge invokes Lambda targets asynchronously (``InvocationType=Event``), so delivery runs
on a small pool of threads: the scheduler's clock thread and ``put_events`` never wait for a
function. Each delivery is logged (when it was due, when it was sent, how it ended) so that a
notebook, a test or the benchmark can see what fired and how late.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any, Callable

from .events import TargetInputError, target_payload
from .lambda_targets import LambdaTarget, parse_lambda_arn, permission_problem

log = logging.getLogger("localcloud.schedules")

# invoke(function_name, qualifier, payload, invocation_type=..., region=...) -> InvocationResult
Invoker = Callable[..., Any]


class NoLambdaRuntime(RuntimeError):
    """The local cloud runs without its Lambda runtime, so nothing can be invoked."""


@dataclass
class Delivery:
    rule: str
    rule_arn: str
    target_id: str
    target_arn: str
    trigger: str                 # "schedule" or "put_events"
    event_id: str
    sent_at: float               # epoch seconds the event was handed to the target
    scheduled_at: float | None = None  # epoch seconds it was due (schedules only)
    status: str = "sending"      # sending → delivered | failed
    reason: str = ""
    request_id: str = ""
    payload: str = ""            # what the function was (or would have been) invoked with

    @property
    def delay_ms(self) -> float | None:
        return None if self.scheduled_at is None else (self.sent_at - self.scheduled_at) * 1000

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "delay_ms": self.delay_ms}


class DeliveryLog:
    """The last few hundred deliveries, newest last."""

    def __init__(self, size: int = 1000):
        self._items: deque[Delivery] = deque(maxlen=size)
        self._lock = threading.Lock()

    def add(self, item: Delivery) -> Delivery:
        with self._lock:
            self._items.append(item)
        return item

    def items(self, rule: str | None = None) -> list[Delivery]:
        with self._lock:
            return [d for d in self._items if rule is None or d.rule == rule]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class LambdaDelivery:
    def __init__(self, invoker: Invoker, deliveries: DeliveryLog,
                 check_permission: Callable[[LambdaTarget, str], str | None] = permission_problem,
                 submit: Callable[[Callable[[], None]], Any] | None = None):
        self._invoker = invoker
        self.deliveries = deliveries
        self._check_permission = check_permission
        self._pool = None if submit else ThreadPoolExecutor(max_workers=4, thread_name_prefix="schedules-deliver")
        self._submit = submit or self._pool.submit  # type: ignore[union-attr]
        self._last_reason: dict[tuple[str, str], str] = {}  # log a failure once, not every firing

    def deliver(self, rule_name: str, rule_arn: str, target: dict[str, Any], event: dict[str, Any],
                trigger: str, scheduled_at: float | None = None) -> Delivery:
        """Record the delivery and shape its payload now; invoke the function on the pool."""
        record = self.deliveries.add(Delivery(rule_name, rule_arn, target.get("Id", ""), target.get("Arn", ""),
                                              trigger, event.get("id", ""), time.time(), scheduled_at))
        function = parse_lambda_arn(record.target_arn)
        try:
            if function is None:
                raise ValueError(f"{record.target_arn} is not a Lambda function ARN")
            payload = target_payload(target, event, rule_arn, rule_name)
        except (TargetInputError, ValueError) as error:
            self._fail(record, str(error))
            return record
        record.payload = payload.decode(errors="replace")
        self._submit(lambda: self._invoke(record, function, payload))
        return record

    def _invoke(self, record: Delivery, function: LambdaTarget, payload: bytes) -> None:
        try:
            problem = self._check_permission(function, record.rule_arn)
            if problem:
                raise PermissionError(problem)
            result = self._invoker(function.function_name, function.qualifier, payload,
                                   invocation_type="Event", region=function.region)
            record.request_id = getattr(result, "request_id", "") or ""
            record.status = "delivered"
            self._last_reason.pop((record.rule, record.target_id), None)
        except (NoLambdaRuntime, PermissionError) as error:
            self._fail(record, str(error))
        except Exception as error:  # the runtime's LambdaServiceError and anything unforeseen
            code = getattr(error, "code", type(error).__name__)
            self._fail(record, f"{code}: {error}")

    def _fail(self, record: Delivery, reason: str) -> None:
        record.status, record.reason = "failed", reason
        if self._last_reason.get((record.rule, record.target_id)) != reason:
            self._last_reason[(record.rule, record.target_id)] = reason
            log.warning("rule %s could not invoke %s: %s", record.rule, record.target_arn, reason)

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
