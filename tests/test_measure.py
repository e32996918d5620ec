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

COLD_TAIL = ("START RequestId: 6d0a-cold Version: $LATEST\nhello\nEND RequestId: 6d0a-cold\n"
             "REPORT RequestId: 6d0a-cold\tDuration: 2.51 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\t"
             "Max Memory Used: 38 MB\tInit Duration: 84.96 ms\t\n")
WARM_TAIL = ("START RequestId: 7e1b-warm Version: $LATEST\nEND RequestId: 7e1b-warm\n"
             "REPORT RequestId: 7e1b-warm\tDuration: 1.02 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\t"
             "Max Memory Used: 38 MB\t\n")


def test_a_report_line_with_init_duration_is_a_cold_start():
    assert measure.parse_report(COLD_TAIL) == {"request_id": "6d0a-cold", "duration_ms": 2.51, "billed_ms": 3.0,
                                               "memory_mb": 128, "max_memory_mb": 38, "init_ms": 84.96}


def test_a_report_line_without_init_duration_is_warm():
    report = measure.parse_report(WARM_TAIL)
    assert report["init_ms"] is None and report["duration_ms"] == 1.02


def test_the_report_line_of_the_asked_request_is_the_one_read():
    assert measure.parse_report(COLD_TAIL + WARM_TAIL, "7e1b-warm")["request_id"] == "7e1b-warm"
    assert measure.parse_report("no report here") is None


class FakeLambda:
    """Answers invoke() like boto3 does, with the log tails given, in order."""

    def __init__(self, tails, fail_with=None):
        self.tails, self.calls, self.fail_with = list(tails), [], fail_with

    def invoke(self, **arguments):
        self.calls.append(arguments)
        if self.fail_with:
            raise self.fail_with
        tail = self.tails.pop(0)
        request_id = measure.parse_report(tail)["request_id"]
        return {"StatusCode": 200, "ExecutedVersion": "$LATEST", "Payload": io.BytesIO(b"{}"),
                "LogResult": base64.b64encode(tail.encode()).decode(),
                "ResponseMetadata": {"RequestId": request_id}}


def test_sequential_invocations_are_measured_one_row_each(monkeypatch):
    fake = FakeLambda([COLD_TAIL, WARM_TAIL])
    monkeypatch.setattr(measure, "_lambda_client", lambda pool_size=10: fake)
    rows = measure.sequential("ci-fn", 2, environments=False, progress=False)
    assert [r["cold"] for r in rows] == [True, False] and [r["n"] for r in rows] == [0, 1]
    assert all(r["latency_ms"] > 0 for r in rows) and rows[0]["init_ms"] == 84.96
    assert fake.calls[0]["LogType"] == "Tail" and fake.calls[0]["FunctionName"] == "ci-fn"


def test_a_burst_releases_every_invocation_together(monkeypatch):
    started = []

    class Recording(FakeLambda):
        def invoke(self, **arguments):
            started.append(time.perf_counter())
            return super().invoke(**arguments)

    fake = Recording([COLD_TAIL.replace("6d0a-cold", f"id-{i}") for i in range(5)])
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
        {"n": 0, "latency_ms": 100.0, "duration_ms": 2.0, "init_ms": 80.0, "cold": True, "environment": "2026/11/25/[$LATEST]aaaa1111"},
        {"n": 1, "latency_ms": 4.0, "duration_ms": 1.0, "init_ms": None, "cold": False, "environment": "2026/11/25/[$LATEST]aaaa1111"},
        {"n": 2, "latency_ms": 6.0, "duration_ms": 1.0, "init_ms": None, "cold": False, "environment": "2026/11/25/[$LATEST]aaaa1111"},
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
    streams = {"6d0a-cold": "2026/11/25/[$LATEST]0f0f0f0f0f0f", "7e1b-warm": "2026/11/25/[$LATEST]0f0f0f0f0f0f",
               "8c2c-other": "2026/11/25/[$LATEST]1e1e1e1e1e1e"}
    other = WARM_TAIL.replace("7e1b-warm", "8c2c-other")
    for stream, tail in ((streams["6d0a-cold"], COLD_TAIL + WARM_TAIL), (streams["8c2c-other"], other)):
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
