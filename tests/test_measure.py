"""The measurement helpers: REPORT lines, the invocation table, CloudWatch Logs look-ups.

REPORT line format (Duration, Billed Duration, Memory Size, Max Memory Used, and Init Duration
on a cold start): https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html; one log
stream per execution environment: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
"""
from __future__ import annotations

import base64
import io
import time

import boto3
import pytest

import helpers
from helpers import measure
from helpers.testing import lambda_execution_role

COLD_TAIL = ("START RequestId: 6d0a1c2e-0000-4000-8000-00000000c01d Version: $LATEST\nhello\nEND RequestId: 6d0a1c2e-0000-4000-8000-00000000c01d\n"
             "REPORT RequestId: 6d0a1c2e-0000-4000-8000-00000000c01d\tDuration: 2.51 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\t"
             "Max Memory Used: 38 MB\tInit Duration: 84.96 ms\t\n")
WARM_TAIL = ("START RequestId: 7e1b2d3f-0000-4000-8000-00000000a3a3 Version: $LATEST\nEND RequestId: 7e1b2d3f-0000-4000-8000-00000000a3a3\n"
             "REPORT RequestId: 7e1b2d3f-0000-4000-8000-00000000a3a3\tDuration: 1.02 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\t"
             "Max Memory Used: 38 MB\t\n")


def test_a_report_line_with_init_duration_is_a_cold_start():
    report = measure.report_of(COLD_TAIL)
    assert (report["duration_ms"], report["billed_duration_ms"], report["memory_size_mb"],
            report["max_memory_used_mb"], report["init_duration_ms"], report["cold"]) == (2.51, 3.0, 128, 38, 84.96, True)


def test_a_report_line_without_init_duration_is_warm():
    report = measure.report_of(WARM_TAIL)
    assert report["init_duration_ms"] is None and report["duration_ms"] == 1.02 and report["cold"] is False


def test_the_report_line_of_the_asked_request_is_the_one_read():
    assert measure.report_of(COLD_TAIL + WARM_TAIL, "7e1b2d3f-0000-4000-8000-00000000a3a3")["duration_ms"] == 1.02
    assert measure.report_of("no report here") is None


class FakeLambda:
    """Answers invoke() like boto3 does, with the log tails given, in order."""

    def __init__(self, tails, fail_with=None):
        self.tails, self.calls, self.fail_with = list(tails), [], fail_with

    def invoke(self, **arguments):
        self.calls.append(arguments)
        if self.fail_with:
            raise self.fail_with
        tail = self.tails.pop(0)
        request_id = tail.split("RequestId: ")[1].split()[0]
        return {"StatusCode": 200, "ExecutedVersion": "$LATEST", "Payload": io.BytesIO(b"{}"),
                "LogResult": base64.b64encode(tail.encode()).decode(),
                "ResponseMetadata": {"RequestId": request_id}}


def test_sequential_invocations_are_measured_one_row_each(monkeypatch):
    fake = FakeLambda([COLD_TAIL, WARM_TAIL])
    monkeypatch.setattr(measure, "_lambda_client", lambda pool_size=10: fake)
    rows = measure.sequential("ci-fn", 2, environments=False, progress=False)
    assert [r["cold"] for r in rows] == [True, False] and [r["n"] for r in rows] == [0, 1]
    assert all(r["latency_ms"] > 0 for r in rows) and rows[0]["init_duration_ms"] == 84.96
    assert rows[0]["response"] == {}
    assert fake.calls[0]["LogType"] == "Tail" and fake.calls[0]["FunctionName"] == "ci-fn"


def test_a_burst_releases_every_invocation_together(monkeypatch):
    started = []

    class Recording(FakeLambda):
        def invoke(self, **arguments):
            started.append(time.perf_counter())
            return super().invoke(**arguments)

    fake = Recording([COLD_TAIL.replace("6d0a1c2e-0000-4000-8000-00000000c01d", f"0000000{i}-0000-4000-8000-000000000000") for i in range(5)])
    monkeypatch.setattr(measure, "_lambda_client", lambda pool_size=10: fake)
    rows = measure.burst("ci-fn", 5, environments=False, progress=False)
    assert len(rows) == 5 and rows.summary()["cold_starts"] == 5
    assert max(started) - min(started) < 1.0   # released by one barrier, not one after another


def test_a_throttled_invocation_is_a_row_with_its_error_not_an_exception(monkeypatch):
    from botocore.exceptions import ClientError

    throttled = ClientError({"Error": {"Code": "TooManyRequestsException", "Message": "Rate Exceeded."},
                             "ResponseMetadata": {"HTTPStatusCode": 429}}, "Invoke")
    monkeypatch.setattr(measure, "_lambda_client", lambda pool_size=10: FakeLambda([], fail_with=throttled))
    [row] = measure.sequential("ci-fn", 1, environments=False, progress=False)
    assert row["error"] == "TooManyRequestsException" and row["status"] == 429
    assert measure.Invocations([row]).summary()["errors"] == 1


def test_the_table_summarises_medians_cold_and_warm_and_renders_html():
    rows = measure.Invocations([
        {"n": 0, "latency_ms": 100.0, "duration_ms": 2.0, "init_duration_ms": 80.0, "cold": True, "environment": "2026/11/25/[$LATEST]aaaa1111"},
        {"n": 1, "latency_ms": 4.0, "duration_ms": 1.0, "init_duration_ms": None, "cold": False, "environment": "2026/11/25/[$LATEST]aaaa1111"},
        {"n": 2, "latency_ms": 6.0, "duration_ms": 1.0, "init_duration_ms": None, "cold": False, "environment": "2026/11/25/[$LATEST]aaaa1111"},
    ])
    summary = rows.summary()
    assert (summary["cold_starts"], summary["environments"], summary["median_latency_warm_ms"],
            summary["median_init_ms"], summary["median_latency_ms"]) == (1, 1, 5.0, 80.0, 6.0)
    page = rows._repr_html_()
    assert "<table>" in page and "cold" in page and "aaaa1111" in page and "1 environment," in page


@pytest.fixture
def function_logs(connected):
    """A log group shaped like Lambda's: one stream per environment, REPORT lines in them."""
    logs = boto3.client("logs")
    function = helpers.name(f"measure-logs-{int(time.time() * 1000) % 100000}")
    group = f"/aws/lambda/{function}"
    logs.create_log_group(logGroupName=group)
    yield logs, function, group
    logs.delete_log_group(logGroupName=group)


def test_environment_ids_are_the_log_streams_of_the_report_lines(function_logs):
    logs, function, group = function_logs
    now = int(time.time() * 1000)
    streams = {"6d0a1c2e-0000-4000-8000-00000000c01d": "2026/11/25/[$LATEST]0f0f0f0f0f0f", "7e1b2d3f-0000-4000-8000-00000000a3a3": "2026/11/25/[$LATEST]0f0f0f0f0f0f",
               "8c2c3e4f-0000-4000-8000-0000000000ff": "2026/11/25/[$LATEST]1e1e1e1e1e1e"}
    other = WARM_TAIL.replace("7e1b2d3f-0000-4000-8000-00000000a3a3", "8c2c3e4f-0000-4000-8000-0000000000ff")
    for stream, tail in ((streams["6d0a1c2e-0000-4000-8000-00000000c01d"], COLD_TAIL + WARM_TAIL), (streams["8c2c3e4f-0000-4000-8000-0000000000ff"], other)):
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
        logs.put_log_events(logGroupName=group, logStreamName=stream,
                            logEvents=[{"timestamp": now, "message": line} for line in tail.splitlines()])
    rows = measure.Invocations([{"request_id": rid, "started": time.time()} for rid in streams])
    measure.fill_from_logs(function, rows, progress=False)
    assert rows.column("environment") == list(streams.values())
    assert rows.column("cold") == [True, False, False] and rows.summary()["environments"] == 2


def test_a_function_without_logs_leaves_the_environment_unknown(connected):
    rows = measure.Invocations([{"request_id": "nope", "started": time.time()}])
    measure.fill_from_logs(helpers.name("never-logged"), rows, timeout=0.2, progress=False)
    assert rows[0].get("environment") is None


# -- against the local cloud's Lambda runtime ---------------------------------------------------
HANDLER = """import os

def handler(event, context):
    return {"init_type": os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE"),
            "stream": os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")}
"""


@pytest.fixture
def function(connected):
    """A fresh stdlib-only function (so no environment of it is warm yet); deleted afterwards."""
    lam = boto3.client("lambda")
    role_arn = lambda_execution_role(helpers.name("measure-role"))
    name = helpers.name(f"measure-{int(time.time() * 1000) % 1_000_000}")
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=role_arn, Handler="app.handler",
                        Code={"ZipFile": helpers.zip_code(HANDLER, "app.py")})
    helpers.wait_until_active(name)
    yield name
    lam.delete_function(FunctionName=name)


def test_the_first_invocation_is_cold_and_the_next_ones_are_warm_in_the_same_environment(function):
    """A new function has no environment: the first invoke pays INIT, later ones reuse it."""
    rows = measure.sequential(function, 4, progress=False)
    assert rows.column("cold") == [True, False, False, False]
    assert rows[0]["init_duration_ms"] > 0 and all(r["duration_ms"] is not None for r in rows)
    [environment] = set(rows.column("environment"))
    assert environment and "[$LATEST]" in environment
    assert rows[0]["response"] == {"init_type": "on-demand", "stream": environment}


def test_a_burst_of_concurrent_invocations_starts_several_environments_each_cold(function):
    """An environment serves one request at a time, so concurrent requests need more of them."""
    rows = measure.burst(function, 5, progress=False)
    cold_environments = {r["environment"] for r in rows if r["cold"]}
    assert not any(r.get("error") for r in rows)
    assert len(cold_environments) >= 2 and len(rows.cold) == len(cold_environments)


def test_after_the_idle_time_the_environment_is_reclaimed_and_the_next_invocation_is_cold(function, connected):
    from helpers.localcloud import client

    first = measure.sequential(function, 2, progress=False, environments=False)
    assert first.column("cold") == [True, False]
    client.set_settings(connected.endpoint, COURSE_LAMBDA_IDLE_SECONDS=0.5)
    try:
        time.sleep(2.0)
        [again] = measure.sequential(function, 1, progress=False, environments=False)
    finally:
        client.set_settings(connected.endpoint, COURSE_LAMBDA_IDLE_SECONDS=300)
    assert again["cold"] is True


def test_invocations_of_a_provisioned_alias_have_no_init_duration(function):
    """Provisioned environments ran INIT before any request; their REPORT lines carry no Init
    Duration (https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html)."""
    lam = boto3.client("lambda")
    version = lam.publish_version(FunctionName=function)["Version"]
    lam.create_alias(FunctionName=function, Name="live", FunctionVersion=version)
    lam.put_provisioned_concurrency_config(FunctionName=function, Qualifier="live", ProvisionedConcurrentExecutions=1)
    measure.wait(10, until=lambda: lam.get_provisioned_concurrency_config(
        FunctionName=function, Qualifier="live")["Status"] == "READY")
    try:
        rows = measure.sequential(function, 2, qualifier="live", progress=False)
        assert rows.column("cold") == [False, False] and rows.column("version") == [version, version]
        assert all(f"[{version}]" in r["environment"] for r in rows)
        assert {r["response"]["init_type"] for r in rows} == {"provisioned-concurrency"}
    finally:
        lam.delete_provisioned_concurrency_config(FunctionName=function, Qualifier="live")
