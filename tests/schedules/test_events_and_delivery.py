"""What a Lambda target receives, and how a delivery is made and recorded (fake Lambda runtime).

Scheduled event shape: https://docs.aws.amazon.com/lambda/latest/dg/with-scheduled-events.html
Input / InputPath / InputTransformer: https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html
and https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
EventBridge invokes Lambda asynchronously and needs the function's resource-based policy to allow
events.amazonaws.com: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html
"""
from __future__ import annotations

import json

import pytest

from helpers.lambda_runtime.contract import InvocationResult, LambdaServiceError
from helpers.schedules import events
from helpers.schedules.delivery import DeliveryLog, LambdaDelivery, NoLambdaRuntime
from helpers.schedules.lambda_targets import LambdaTarget, _statement_allows, parse_lambda_arn

RULE_ARN = "arn:aws:events:ap-northeast-2:123456789012:rule/ci-warmer"
FUNCTION_ARN = "arn:aws:lambda:ap-northeast-2:123456789012:function:ci-hello"


def scheduled():
    return events.scheduled_event(RULE_ARN, "123456789012", "ap-northeast-2", 1_764_000_000.4, event_id="e-1")


def test_the_scheduled_event_has_the_fields_aws_sends():
    assert scheduled() == {
        "version": "0", "id": "e-1", "detail-type": "Scheduled Event", "source": "aws.events",
        "account": "123456789012", "time": "2025-11-24T16:00:00Z", "region": "ap-northeast-2",
        "resources": [RULE_ARN], "detail": {}}


def test_without_input_settings_the_whole_event_is_the_payload():
    assert json.loads(events.target_payload({"Id": "t", "Arn": FUNCTION_ARN}, scheduled(), RULE_ARN, "ci-warmer")) == scheduled()


def test_input_replaces_the_event_with_its_constant_json():
    """"Valid JSON text passed to the target. In this case, nothing from the event itself is passed." """
    target = {"Id": "t", "Arn": FUNCTION_ARN, "Input": '{"warmer": true}'}
    assert json.loads(events.target_payload(target, scheduled(), RULE_ARN, "ci-warmer")) == {"warmer": True}


def test_input_path_sends_only_that_part_of_the_event():
    """"InputPath … extracting part of the matched event when passing it to the target" (e.g. $.detail)."""
    target = {"Id": "t", "Arn": FUNCTION_ARN, "InputPath": "$.resources"}
    assert json.loads(events.target_payload(target, scheduled(), RULE_ARN, "ci-warmer")) == [RULE_ARN]


def test_an_input_path_that_matches_nothing_fails_the_delivery():
    target = {"Id": "t", "Arn": FUNCTION_ARN, "InputPath": "$.nothing"}
    with pytest.raises(events.TargetInputError, match="matches nothing"):
        events.target_payload(target, scheduled(), RULE_ARN, "ci-warmer")


def test_an_input_transformer_fills_placeholders_as_json_or_as_text_inside_strings():
    target = {"Id": "t", "Arn": FUNCTION_ARN, "InputTransformer": {
        "InputPathsMap": {"kind": "$.detail-type", "where": "$.resources"},
        "InputTemplate": '{"note": "<kind> from <aws.events.rule-name>", "rules": <where>}'}}
    assert json.loads(events.target_payload(target, scheduled(), RULE_ARN, "ci-warmer")) == {
        "note": "Scheduled Event from ci-warmer", "rules": [RULE_ARN]}


def test_a_put_events_message_from_moto_is_delivered_in_aws_form():
    message = {"version": "0", "id": "x", "detail-type": "order", "source": "shop", "account": "123456789012",
               "time": 1_764_000_000, "region": "ap-northeast-2", "resources": [], "detail": {"n": 1},
               "ingestion-time": 1_764_000_000.5}
    event = events.from_moto_message(message)
    assert event["time"] == "2025-11-24T16:00:00Z" and "ingestion-time" not in event
    assert list(event) == ["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"]


@pytest.mark.parametrize("arn, expected", [
    (FUNCTION_ARN, LambdaTarget("ci-hello", None, "ap-northeast-2", "123456789012")),
    (FUNCTION_ARN + ":prod", LambdaTarget("ci-hello", "prod", "ap-northeast-2", "123456789012")),
    ("arn:aws:sqs:ap-northeast-2:123456789012:queue", None),
])
def test_lambda_target_arns_name_the_function_and_its_qualifier(arn, expected):
    assert parse_lambda_arn(arn) == expected


def allow(source_arn=None, principal="events.amazonaws.com"):
    statement = {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Principal": {"Service": principal},
                 "Resource": FUNCTION_ARN}
    if source_arn:
        statement["Condition"] = {"ArnLike": {"AWS:SourceArn": source_arn}}
    return statement


@pytest.mark.parametrize("statement, allowed", [
    (allow(), True),
    (allow(RULE_ARN), True),
    (allow("arn:aws:events:ap-northeast-2:123456789012:rule/ci-*"), True),
    (allow("arn:aws:events:ap-northeast-2:123456789012:rule/other"), False),
    (allow(principal="apigateway.amazonaws.com"), False),
    ({**allow(), "Effect": "Deny"}, False),
])
def test_the_function_policy_must_let_eventbridge_invoke_it_for_this_rule(statement, allowed):
    """add-permission --principal events.amazonaws.com --source-arn <rule ARN> is what AWS needs."""
    assert _statement_allows(statement, RULE_ARN, "123456789012") is allowed


class FakeRuntime:
    def __init__(self, error: Exception | None = None):
        self.calls, self.error = [], error

    def __call__(self, function_name, qualifier, payload, **options):
        self.calls.append((function_name, qualifier, json.loads(payload), options))
        if self.error:
            raise self.error
        return InvocationResult(request_id="r-1", payload=b"", function_error=None, status_code=202)


def deliver(runtime, target_arn=FUNCTION_ARN + ":prod", permission=None):
    log = DeliveryLog()
    delivery = LambdaDelivery(runtime, log, check_permission=lambda target, rule: permission, submit=lambda job: job())
    record = delivery.deliver("ci-warmer", RULE_ARN, {"Id": "warm", "Arn": target_arn}, scheduled(), "schedule",
                              scheduled_at=1_764_000_000.0)
    return record, log


def test_a_delivery_invokes_the_function_asynchronously_with_the_event():
    runtime = FakeRuntime()
    record, log = deliver(runtime)
    assert runtime.calls == [("ci-hello", "prod", scheduled(), {"invocation_type": "Event", "region": "ap-northeast-2"})]
    assert record.status == "delivered" and record.request_id == "r-1" and log.items("ci-warmer") == [record]
    assert record.delay_ms is not None and json.loads(record.payload) == scheduled()


def test_without_permission_nothing_is_invoked_and_the_delivery_fails_saying_how_to_fix_it():
    runtime = FakeRuntime()
    record, _ = deliver(runtime, permission="EventBridge is not allowed … add_permission(…)")
    assert runtime.calls == [] and record.status == "failed" and "add_permission" in record.reason


def test_a_missing_function_is_a_failed_delivery_with_lambdas_error():
    runtime = FakeRuntime(LambdaServiceError("ResourceNotFoundException", "Function not found: ci-hello", 404))
    record, _ = deliver(runtime)
    assert record.status == "failed" and record.reason.startswith("ResourceNotFoundException")


def test_without_a_lambda_runtime_the_delivery_fails_and_says_so():
    record, _ = deliver(FakeRuntime(NoLambdaRuntime("this local cloud has no Lambda runtime")))
    assert record.status == "failed" and "no Lambda runtime" in record.reason
