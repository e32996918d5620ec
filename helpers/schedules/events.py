"""The events EventBridge hands its targets, and what a target's input settings make of them.

A scheduled rule sends (https://docs.aws.amazon.com/lambda/latest/dg/with-scheduled-events.html,
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html)::

    {"version": "0", "id": "…", "detail-type": "Scheduled Event", "source": "aws.events",
     "account": "123456789012", "time": "2015-10-08T16:53:06Z", "region": "us-east-1",
     "resources": ["arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule"], "detail": {}}

A target's ``Input`` (constant JSON: nothing of the event is sent), ``InputPath`` (a JSONPath:
only that part of the event) or ``InputTransformer`` replace the event
(https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html,
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html).
"""
from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timezone
from typing import Any

# moto's own event messages carry these two for its targets; they never reach a Lambda function.
_MOTO_ONLY_KEYS = ("ingestion-time",)
_FIELD_ORDER = ("version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail")


class TargetInputError(ValueError):
    """A target's input settings cannot be applied to this event (the delivery fails)."""


def iso_time(epoch_seconds: float) -> str:
    """AWS's event time: UTC, whole seconds, a Z suffix."""
    return datetime.fromtimestamp(epoch_seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def scheduled_event(rule_arn: str, account: str, region: str, scheduled_at: float,
                    event_id: str | None = None) -> dict[str, Any]:
    return {"version": "0", "id": event_id or str(uuid.uuid4()), "detail-type": "Scheduled Event",
            "source": "aws.events", "account": account, "time": iso_time(scheduled_at), "region": region,
            "resources": [rule_arn], "detail": {}}


def from_moto_message(message: dict[str, Any]) -> dict[str, Any]:
    """The event as AWS delivers it, from the message moto builds in ``put_events``."""
    event = {key: value for key, value in message.items() if key not in _MOTO_ONLY_KEYS}
    if isinstance(event.get("time"), (int, float)):
        event["time"] = iso_time(event["time"])
    ordered = {key: event[key] for key in _FIELD_ORDER if key in event}
    ordered.update({k: v for k, v in event.items() if k not in ordered})
    return ordered


def _json_path(event: dict[str, Any], path: str) -> list[Any]:
    from jsonpath_ng.ext import parse as parse_path

    try:
        return [match.value for match in parse_path(path).find(event)]
    except Exception as error:  # jsonpath_ng raises its own lexer/parser errors
        raise TargetInputError(f"{path!r} is not a JSONPath EventBridge can read ({error})") from None


def _transform(transformer: dict[str, Any], event: dict[str, Any], rule_arn: str, rule_name: str) -> bytes:
    """Fill ``<name>`` placeholders: inside a JSON string as text, elsewhere as JSON values."""
    values: dict[str, Any] = {"aws.events.rule-arn": rule_arn, "aws.events.rule-name": rule_name,
                              "aws.events.event.json": event,
                              "aws.events.event.ingestion-time": event.get("time")}
    for name, path in (transformer.get("InputPathsMap") or {}).items():
        found = _json_path(event, path)
        values[name] = found[0] if found else None
    template = transformer.get("InputTemplate") or ""
    pieces, in_string, position = [], False, 0
    for match in re.finditer(r'\\.|"|<([^<>\s]+)>', template):
        token = match.group(0)
        if token == '"':
            in_string = not in_string
            continue
        if token.startswith("\\") or match.group(1) not in values:
            continue
        value = values[match.group(1)]
        if in_string:
            text = value if isinstance(value, str) else ("" if value is None else json.dumps(value))
            rendered = json.dumps(text)[1:-1]
        else:
            rendered = json.dumps(value)
        pieces.append(template[position:match.start()])
        pieces.append(rendered)
        position = match.end()
    pieces.append(template[position:])
    text = "".join(pieces)
    try:
        json.loads(text)
        return text.encode()
    except ValueError:
        return json.dumps(text).encode()  # a plain-text template reaches a function as a JSON string


def target_payload(target: dict[str, Any], event: dict[str, Any], rule_arn: str, rule_name: str) -> bytes:
    """The bytes a Lambda target receives for ``event``, honouring Input / InputPath / InputTransformer."""
    if target.get("Input") is not None:
        return str(target["Input"]).encode()
    if target.get("InputPath"):
        found = _json_path(event, target["InputPath"])
        if not found:
            raise TargetInputError(f"InputPath {target['InputPath']!r} matches nothing in the event")
        return json.dumps(found[0]).encode()
    if target.get("InputTransformer"):
        return _transform(target["InputTransformer"], event, rule_arn, rule_name)
    return json.dumps(event).encode()
