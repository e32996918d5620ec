"""Reading a function's CloudWatch logs: its latest lines, one invocation's lines, REPORT lines.

Lambda writes to ``/aws/lambda/<function name>``; on AWS the lines arrive a few seconds
after the invocation, so these helpers poll until what they look for is there (in the
local cloud it is there at once). A REPORT line reads
``REPORT RequestId: … Duration: 1.23 ms Billed Duration: 2 ms Memory Size: 128 MB
Max Memory Used: 38 MB Init Duration: 110.52 ms``, the last part on a cold start only.
https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
"""
from __future__ import annotations

import re
import time
from typing import Any

_REPORT_FIELDS = {
    "duration_ms": re.compile(r"\tDuration: ([\d.]+) ms"),
    "billed_duration_ms": re.compile(r"Billed Duration: ([\d.]+) ms"),
    "memory_size_mb": re.compile(r"Memory Size: (\d+) MB"),
    "max_memory_used_mb": re.compile(r"Max Memory Used: (\d+) MB"),
    "init_duration_ms": re.compile(r"Init Duration: ([\d.]+) ms"),
}
_REQUEST_ID = re.compile(r"RequestId: ([0-9a-fA-F-]+)")


def parse_report(line: str) -> dict[str, Any]:
    """A REPORT line as numbers: request_id, duration_ms, billed_duration_ms, memory_size_mb,
    max_memory_used_mb and init_duration_ms (None on a warm start), plus cold (bool)."""
    if not line.startswith("REPORT"):
        raise ValueError(f"not a REPORT line: {line[:60]!r}")
    found: dict[str, Any] = {"request_id": (_REQUEST_ID.search(line) or [None, None])[1]}
    for key, pattern in _REPORT_FIELDS.items():
        match = pattern.search(line)
        found[key] = None if match is None else (float(match.group(1)) if key.endswith("_ms")
                                                 else int(match.group(1)))
    found["cold"] = found["init_duration_ms"] is not None
    status = re.search(r"Status: (\w+)", line)
    found["status"] = status.group(1) if status else "success"
    return found


def _group(function_name: str) -> str:
    return function_name if function_name.startswith("/") else f"/aws/lambda/{function_name.split(':')[-1]}"


def _events(function_name: str, since_ms: int | None, client=None, pages: int = 20) -> list[dict]:
    import boto3

    logs = client or boto3.client("logs")
    arguments: dict[str, Any] = {"logGroupName": _group(function_name)}
    if since_ms is not None:
        arguments["startTime"] = since_ms
    events: list[dict] = []
    try:
        for _ in range(pages):
            answer = logs.filter_log_events(**arguments)
            events += answer.get("events", [])
            if not answer.get("nextToken"):
                break
            arguments["nextToken"] = answer["nextToken"]
    except logs.exceptions.ResourceNotFoundException:
        return []
    events.sort(key=lambda event: (event["timestamp"], event.get("ingestionTime", 0)))
    return events


def recent_log_lines(function_name: str, minutes: float = 15, limit: int = 50, client=None) -> list[str]:
    """The function's last ``limit`` log lines of the past ``minutes``, oldest first."""
    since = int((time.time() - minutes * 60) * 1000)
    return [event["message"].rstrip("\n") for event in _events(function_name, since, client)][-limit:]


def recent_reports(function_name: str, minutes: float = 15, limit: int = 10, client=None) -> list[dict]:
    """The last ``limit`` REPORT lines of the past ``minutes``, parsed (see ``parse_report``)."""
    lines = [line for line in recent_log_lines(function_name, minutes, 10_000, client) if line.startswith("REPORT")]
    return [parse_report(line) for line in lines[-limit:]]


def invocation_log(function_name: str, request_id: str, timeout: float = 60.0, client=None) -> list[str]:
    """The log lines of one invocation, START to REPORT, waiting until its REPORT line has arrived.

    ``request_id`` is ``response["ResponseMetadata"]["RequestId"]`` of the invoke call.
    """
    since = int((time.time() - 3600) * 1000)
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        events = _events(function_name, since, client)
        lines = _lines_of(events, request_id)
        if lines and lines[-1].startswith("REPORT"):
            return lines
        if time.monotonic() > deadline:
            raise TimeoutError(f"no REPORT line for request {request_id} in {_group(function_name)} after "
                               f"{timeout:.0f} s (logs can take a little while on AWS; is the id right?)")
        time.sleep(delay)
        delay = min(delay * 2, 2.0)


def _lines_of(events: list[dict], request_id: str) -> list[str]:
    """START … REPORT of one request, in the stream where it ran."""
    start = f"START RequestId: {request_id}"
    stream = next((event["logStreamName"] for event in events if event["message"].startswith(start)), None)
    if stream is None:
        return []
    lines: list[str] = []
    inside = False
    for event in events:
        if event["logStreamName"] != stream:
            continue
        message = event["message"].rstrip("\n")
        if message.startswith(start):
            inside = True
        if inside:
            lines.append(message)
            if message.startswith("REPORT") and request_id in message:
                break
    return lines
