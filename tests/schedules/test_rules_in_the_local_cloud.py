"""EventBridge rules in the local cloud, through boto3: validation, firing, put_events.

Pages: schedule expressions https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html;
PutRule https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html; scheduled rule →
Lambda https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html; event
shape https://docs.aws.amazon.com/lambda/latest/dg/with-scheduled-events.html; targets' Input
https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html.
Timings are not asserted (the benchmark measures them): waits only bound how long a test may hang.
"""
from __future__ import annotations

import json
import time

import boto3
import pytest
from botocore.exceptions import ClientError

import helpers
from helpers import schedules
from helpers.testing import lambda_execution_role

ACCOUNT = "123456789012"


def function_arn(name: str, region: str) -> str:
    return f"arn:aws:lambda:{region}:{ACCOUNT}:function:{name}"


def finished(rule_name: str) -> list[dict]:
    """The rule's deliveries that have ended (delivered or failed), oldest first."""
    return [f for f in schedules.firings(rule_name) if f["status"] != "sending"]


def wait_for(condition, timeout: float = 10.0, every: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    return condition()


@pytest.fixture
def events(connected):
    return boto3.client("events")


@pytest.fixture
def fast_clock(connected):
    """Schedules at 600×: rate(1 minute) fires every 0.1 s. Back to real time afterwards."""
    schedules.set_time_scale(600, quiet=True)
    yield 600
    schedules.set_time_scale(1, quiet=True)


@pytest.fixture
def rule(events):
    """A unique rule name; the rule and its targets are removed after the test."""
    names = []

    def make(base: str) -> str:
        name = helpers.name(f"{base}-{len(names)}-{int(time.time() * 1000) % 100000}")
        names.append(name)
        return name

    yield make
    for name in names:
        try:
            ids = [t["Id"] for t in events.list_targets_by_rule(Rule=name)["Targets"]]
            if ids:
                events.remove_targets(Rule=name, Ids=ids)
            events.delete_rule(Name=name)
        except ClientError:
            pass


@pytest.mark.parametrize("expression", [
    "rate(5 minute)", "rate(1 minutes)", "rate(0 minutes)", "rate(30 seconds)",
    "cron(0 10 * * *)", "cron(7 20 * * 1-7 *)", "cron(0 10 ? * 3#1,6#3 *)", "cron(61 * * * ? *)",
])
def test_put_rule_refuses_an_invalid_schedule_with_a_validation_exception(events, rule, expression):
    """AWS answers 400 ValidationException "Parameter ScheduleExpression is not valid." (moto
    accepts rate(5 minute) and any cron(...) text)."""
    with pytest.raises(ClientError) as raised:
        events.put_rule(Name=rule("bad"), ScheduleExpression=expression)
    error = raised.value.response
    assert error["Error"]["Code"] == "ValidationException"
    assert error["Error"]["Message"] == "Parameter ScheduleExpression is not valid."
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.parametrize("expression", ["rate(1 minute)", "rate(5 minutes)", "cron(0 10 * * ? *)",
                                        "cron(0/5 8-17 ? * MON-FRI *)"])
def test_put_rule_accepts_valid_schedules(events, rule, expression):
    name = rule("ok")
    arn = events.put_rule(Name=name, ScheduleExpression=expression)["RuleArn"]
    assert arn.endswith(f":rule/{name}")
    assert events.describe_rule(Name=name)["ScheduleExpression"] == expression


def test_a_scheduled_rule_sends_the_scheduled_event_to_its_lambda_target(events, rule, fast_clock, connected):
    name = rule("warm")
    rule_arn = events.put_rule(Name=name, ScheduleExpression="rate(1 minute)")["RuleArn"]
    events.put_targets(Rule=name, Targets=[{"Id": "fn", "Arn": function_arn(helpers.name("absent"), connected.region)}])
    [first, *_] = wait_for(lambda: schedules.firings(name))
    event = json.loads(first["payload"])
    assert first["trigger"] == "schedule" and first["scheduled_at"] is not None
    assert set(event) == {"version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"}
    assert (event["version"], event["detail-type"], event["source"], event["detail"]) == ("0", "Scheduled Event", "aws.events", {})
    assert event["resources"] == [rule_arn] and event["account"] == ACCOUNT and event["region"] == connected.region
    assert event["time"].endswith("Z") and len(event["time"]) == len("2015-10-08T16:53:06Z")


def test_a_targets_input_replaces_the_scheduled_event(events, rule, fast_clock, connected):
    name = rule("input")
    events.put_rule(Name=name, ScheduleExpression="rate(1 minute)")
    events.put_targets(Rule=name, Targets=[{"Id": "fn", "Arn": function_arn(helpers.name("absent"), connected.region),
                                            "Input": '{"warmer": true}'}])
    [first, *_] = wait_for(lambda: schedules.firings(name))
    assert json.loads(first["payload"]) == {"warmer": True}


def test_a_disabled_rule_does_not_fire_until_it_is_enabled(events, rule, fast_clock, connected):
    name = rule("off")
    events.put_rule(Name=name, ScheduleExpression="rate(1 minute)", State="DISABLED")
    events.put_targets(Rule=name, Targets=[{"Id": "fn", "Arn": function_arn(helpers.name("absent"), connected.region)}])
    time.sleep(0.6)                                    # six periods at 600×
    assert schedules.firings(name) == []
    events.enable_rule(Name=name)
    assert wait_for(lambda: schedules.firings(name))


def test_removing_the_target_or_deleting_the_rule_stops_the_firings(events, rule, fast_clock, connected):
    name = rule("stop")
    events.put_rule(Name=name, ScheduleExpression="rate(1 minute)")
    events.put_targets(Rule=name, Targets=[{"Id": "fn", "Arn": function_arn(helpers.name("absent"), connected.region)}])
    wait_for(lambda: schedules.firings(name))
    events.remove_targets(Rule=name, Ids=["fn"])
    time.sleep(0.05)                                   # a firing already under way may still land
    count = len(schedules.firings(name))
    time.sleep(0.5)
    assert len(schedules.firings(name)) == count
    events.delete_rule(Name=name)
    assert name not in [r["name"] for r in schedules.next_firings()]


@pytest.fixture
def function(connected):
    """A Lambda function that prints the event it gets; deleted afterwards."""
    lam = boto3.client("lambda")
    role_arn = lambda_execution_role(helpers.name("sched-role"))
    code = helpers.zip_code("import json\n\ndef handler(event, context):\n    print('EVENT ' + json.dumps(event))\n",
                            "app.py")
    name = helpers.name(f"sched-fn-{int(time.time() * 1000) % 1_000_000}")
    function_arn = lam.create_function(FunctionName=name, Runtime="python3.12", Role=role_arn, Handler="app.handler",
                                       Code={"ZipFile": code})["FunctionArn"]
    helpers.wait_until_active(name)
    yield name, function_arn
    lam.delete_function(FunctionName=name)


def printed_events(function_name: str) -> list[dict]:
    return [json.loads(line[len("EVENT "):]) for line in helpers.recent_log_lines(function_name, limit=1000)
            if line.startswith("EVENT ")]


def test_a_scheduled_rule_invokes_the_function_with_the_scheduled_event(events, rule, fast_clock, function):
    """With lambda add-permission for events.amazonaws.com and the rule's ARN, the function runs."""
    name, function_arn = function
    rule_name = rule("runs")
    rule_arn = events.put_rule(Name=rule_name, ScheduleExpression="rate(1 minute)")["RuleArn"]
    boto3.client("lambda").add_permission(FunctionName=name, StatementId="schedule", Action="lambda:InvokeFunction",
                                          Principal="events.amazonaws.com", SourceArn=rule_arn)
    events.put_targets(Rule=rule_name, Targets=[{"Id": "fn", "Arn": function_arn}])
    [event, *_] = wait_for(lambda: printed_events(name))
    assert (event["source"], event["detail-type"], event["resources"]) == ("aws.events", "Scheduled Event", [rule_arn])
    delivered = wait_for(lambda: [f for f in schedules.firings(rule_name) if f["status"] == "delivered"])
    assert delivered and delivered[0]["request_id"]


def test_a_function_whose_policy_does_not_allow_eventbridge_is_not_invoked(events, rule, fast_clock, function):
    """Without lambda add-permission --principal events.amazonaws.com the invocation fails."""
    name, function_arn = function
    rule_name = rule("noperm")
    events.put_rule(Name=rule_name, ScheduleExpression="rate(1 minute)")
    events.put_targets(Rule=rule_name, Targets=[{"Id": "fn", "Arn": function_arn}])
    [first, *_] = wait_for(lambda: finished(rule_name))
    assert first["status"] == "failed" and "add_permission" in first["reason"]
    assert printed_events(name) == []


def test_put_events_reaches_the_lambda_target_of_a_matching_rule(events, rule, connected):
    """moto raises NotImplementedError for a Lambda target; AWS delivers the event."""
    name = rule("orders")
    rule_arn = events.put_rule(Name=name, EventPattern=json.dumps({"source": [helpers.name("shop")]}))["RuleArn"]
    events.put_targets(Rule=name, Targets=[{"Id": "fn", "Arn": function_arn(helpers.name("absent"), connected.region)}])
    answer = events.put_events(Entries=[{"Source": helpers.name("shop"), "DetailType": "order placed",
                                         "Detail": json.dumps({"order": 7})}])
    assert answer["FailedEntryCount"] == 0
    [delivery] = wait_for(lambda: schedules.firings(name))
    event = json.loads(delivery["payload"])
    assert delivery["trigger"] == "put_events" and delivery["rule_arn"] == rule_arn
    assert event["id"] == answer["Entries"][0]["EventId"] and event["detail"] == {"order": 7}
    assert event["detail-type"] == "order placed" and event["time"].endswith("Z") and "ingestion-time" not in event


def test_put_events_skips_disabled_rules_schedule_only_rules_and_non_matching_rules(events, rule, connected):
    source = helpers.name("quiet")
    target = [{"Id": "fn", "Arn": function_arn(helpers.name("absent"), connected.region)}]
    disabled, scheduled, other = rule("disabled"), rule("daily"), rule("other")
    events.put_rule(Name=disabled, EventPattern=json.dumps({"source": [source]}), State="DISABLED")
    events.put_rule(Name=scheduled, ScheduleExpression="rate(1 day)")
    events.put_rule(Name=other, EventPattern=json.dumps({"source": ["somebody-else"]}))
    for name in (disabled, scheduled, other):
        events.put_targets(Rule=name, Targets=target)
    events.put_events(Entries=[{"Source": source, "DetailType": "x", "Detail": "{}"}])
    time.sleep(0.2)
    assert [schedules.firings(n) for n in (disabled, scheduled, other)] == [[], [], []]


def test_a_scheduled_event_reaches_an_sqs_target_too(events, rule, fast_clock, connected):
    sqs = boto3.client("sqs")
    queue = sqs.create_queue(QueueName=helpers.name("sched-queue"))["QueueUrl"]
    try:
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        name = rule("sqs")
        rule_arn = events.put_rule(Name=name, ScheduleExpression="rate(1 minute)")["RuleArn"]
        events.put_targets(Rule=name, Targets=[{"Id": "q", "Arn": queue_arn}])
        messages = wait_for(lambda: sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=0).get("Messages"))
        body = json.loads(messages[0]["Body"])
        assert (body["source"], body["detail-type"], body["resources"]) == ("aws.events", "Scheduled Event", [rule_arn])
    finally:
        sqs.delete_queue(QueueUrl=queue)


def test_the_time_scale_changes_at_run_time_and_refuses_nonsense(events, rule, connected):
    name = rule("scale")
    events.put_rule(Name=name, ScheduleExpression="rate(5 minutes)")
    try:
        schedules.set_time_scale(60, quiet=True)
        [entry] = [r for r in schedules.next_firings() if r["name"] == name]
        assert entry["next_firing_in_seconds"] <= 5.0
        from helpers.localcloud import client

        with pytest.raises(client.AdminError, match="COURSE_TIME_SCALE"):
            client.set_settings(connected.endpoint, COURSE_TIME_SCALE="fast")
    finally:
        schedules.set_time_scale(1, quiet=True)
    [entry] = [r for r in schedules.next_firings() if r["name"] == name]
    assert entry["next_firing_in_seconds"] > 5.0
