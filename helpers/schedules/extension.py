"""The local cloud's EventBridge schedules: rules with rate()/cron() fire their targets.

Rules live in moto; this extension keeps a schedule of them (updated whenever a rule or target
changes), fires each one on a clock thread, and hands the event to the Lambda runtime
(``cloud.extension("lambda").invoke(..., invocation_type="Event")``) and to moto's own targets.
``GET /_schedules/rules`` shows what fires next, ``GET /_schedules/firings[?rule=NAME]`` what
was delivered and how late: the local cloud's stand-in for the rule's CloudWatch metrics.
"""
from __future__ import annotations

import logging
import time
import uuid
from typing import Any, Callable
from urllib.parse import parse_qs

from ..localcloud.cloud import json_response
from ..localcloud.extensions import Extension
from . import events, moto_patches
from ..settings import SettingError
from .clock import TIME_SCALE, ScaledClock, parse_time_scale
from .delivery import DeliveryLog, LambdaDelivery, NoLambdaRuntime
from .errors import ScheduleExpressionError
from .expressions import parse
from .scheduler import Due, Scheduler

log = logging.getLogger("localcloud.schedules")
PREFIX = "/_schedules/"

RuleKey = tuple[str, str, str, str]  # account, region, event bus, rule name


def _scheduled_rules() -> list[tuple[RuleKey, str]]:
    """Every rule with a valid schedule expression, in every account and region moto holds."""
    from moto.events.models import events_backends

    found = []
    for account, regions in list(dict.items(events_backends)):
        for region, backend in list(dict.items(regions)):
            for bus_name, bus in list(backend.event_buses.items()):
                for rule in list(bus.rules.values()):
                    if not rule.scheduled_expression:
                        continue
                    try:
                        parse(rule.scheduled_expression)
                    except ScheduleExpressionError as error:
                        log.warning("rule %s never fires: %s", rule.name, error)
                        continue
                    found.append(((account, region, bus_name, rule.name), rule.scheduled_expression))
    return found


def _find_rule(key: RuleKey):
    from moto.events.models import events_backends

    account, region, bus_name, name = key
    regions = dict.get(events_backends, account)
    backend = dict.get(regions, region) if regions is not None else None
    bus = backend.event_buses.get(bus_name) if backend is not None else None
    return bus.rules.get(name) if bus is not None else None


class SchedulesExtension(Extension):
    name = "schedules"
    path_prefixes = (PREFIX,)

    def __init__(self, cloud):
        super().__init__(cloud)
        self.deliveries = DeliveryLog()
        self.scheduler = Scheduler(self._fire, ScaledClock())
        self.lambda_delivery = LambdaDelivery(self._invoke, self.deliveries)

    # -- lifecycle ---------------------------------------------------------------
    def start(self) -> None:
        self.scheduler.set_scale(float(self.cloud.settings.get(TIME_SCALE.name, TIME_SCALE.default)))
        moto_patches.install(self)
        self.on_rules_changed()
        self.scheduler.start()

    def stop(self) -> None:
        self.scheduler.stop()
        self.lambda_delivery.shutdown()
        moto_patches.uninstall(self)

    def on_reset(self) -> None:
        self.scheduler.clear()
        self.deliveries.clear()

    def on_settings_changed(self, changed: dict[str, Any]) -> None:
        if TIME_SCALE.name in changed:
            try:  # a float sent as JSON skips the setting's own parser: check the range here too
                scale = parse_time_scale(str(changed[TIME_SCALE.name]))
            except SettingError as error:
                log.error("ignored %s: %s", TIME_SCALE.name, error)
                self.cloud.settings[TIME_SCALE.name] = self.scheduler.clock.scale
                return
            self.scheduler.set_scale(scale)

    # -- hooks called by the moto patches ---------------------------------------------
    def on_rules_changed(self) -> None:
        self.scheduler.sync(_scheduled_rules())

    def deliver_to_lambda(self, rule, target: dict[str, Any], message: dict[str, Any]) -> None:
        self.lambda_delivery.deliver(rule.name, rule.arn, target, events.from_moto_message(message), "put_events")

    # -- firing -------------------------------------------------------------------------
    def _fire(self, due: Due) -> None:
        rule = _find_rule(due.key)  # type: ignore[arg-type]
        if rule is None:  # deleted (or wiped by a reset) since it was scheduled
            self.on_rules_changed()
            return
        if rule.state != "ENABLED":
            return
        event = events.scheduled_event(rule.arn, rule.account_id, rule.region_name, due.scheduled_real,
                                       event_id=str(uuid.uuid4()))
        for target in list(rule.targets):
            if moto_patches.is_lambda_target(target):
                self.lambda_delivery.deliver(rule.name, rule.arn, target, event, "schedule", due.scheduled_real)
        # moto's targets (SQS, logs, …) take its own message form: epoch time, ingestion-time
        moto_patches.send_to_moto_targets(rule, {**event, "time": due.scheduled_real, "ingestion-time": time.time()})

    def _invoke(self, function_name: str, qualifier: str | None, payload: bytes, **options: Any):
        try:
            runtime = self.cloud.extension("lambda")
        except KeyError:
            raise NoLambdaRuntime("this local cloud has no Lambda runtime (extension 'lambda'), "
                                  "so no function can be invoked") from None
        return runtime.invoke(function_name, qualifier, payload, **options)

    # -- HTTP: what fires next, what was delivered ---------------------------------------
    def handle(self, environ: dict[str, Any], start_response: Callable):
        if environ["REQUEST_METHOD"] != "GET":
            return json_response(start_response, 405, {"message": "only GET is served under " + PREFIX})
        action = environ["PATH_INFO"][len(PREFIX):].strip("/")
        query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if action == "rules":
            return json_response(start_response, 200, self.describe_rules())
        if action == "firings":
            items = [d.to_dict() for d in self.deliveries.items(query.get("rule"))]
            return json_response(start_response, 200, {"time_scale": self.scheduler.clock.scale, "firings": items})
        return json_response(start_response, 404, {"message": f"no {PREFIX}{action}; try rules or firings"})

    def describe_rules(self) -> dict[str, Any]:
        now = time.time()
        rules = []
        for key, next_real in self.scheduler.next_firings().items():
            rule = _find_rule(key)
            if rule is None:
                continue
            rules.append({"name": rule.name, "arn": rule.arn, "region": rule.region_name,
                          "expression": rule.scheduled_expression, "state": rule.state,
                          "next_firing": None if next_real is None else events.iso_time(next_real),
                          "next_firing_in_seconds": None if next_real is None else round(next_real - now, 3)})
        return {"time_scale": self.scheduler.clock.scale, "rules": rules}
