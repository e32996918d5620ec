"""The platform's log lines and the CloudWatch Logs stream of each environment.

Lambda writes ``START``, ``END`` and ``REPORT`` around every invocation (and
``INIT_START`` when an environment starts) into the log group ``/aws/lambda/<name>``,
one log stream per execution environment, next to whatever the function printed.
``LogType="Tail"`` returns the last 4 KB of one invocation's lines, base64-encoded.
https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html
https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html (LogResult)
"""
from __future__ import annotations

import base64
import logging
import math
import time
import uuid
from datetime import datetime, timezone

log = logging.getLogger("localcloud.lambda")

TAIL_BYTES = 4096
LogLine = tuple[int, str]  # (epoch milliseconds, message)


def now_ms() -> int:
    return int(time.time() * 1000)


def iso_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def stream_name(version: str) -> str:
    """``2024/05/01/[$LATEST]0123…``: the date, the version and a random id, as on Lambda."""
    today = datetime.now(timezone.utc)
    return f"{today:%Y/%m/%d}/[{version}]{uuid.uuid4().hex}"


def init_start_line(runtime_label: str, region: str) -> str:
    return (f"INIT_START Runtime Version: {runtime_label}.local\t"
            f"Runtime Version ARN: arn:aws:lambda:{region}::runtime:local-cloud")


def start_line(request_id: str, version: str) -> str:
    return f"START RequestId: {request_id} Version: {version}"


def end_line(request_id: str) -> str:
    return f"END RequestId: {request_id}"


def billed_ms(duration_ms: float, init_ms: float | None) -> int:
    """Whole milliseconds, rounded up; an on-demand cold start also bills its INIT phase."""
    return math.ceil(duration_ms) + (math.ceil(init_ms) if init_ms is not None else 0)


def report_line(request_id: str, duration_ms: float, memory_mb: int, max_used_mb: int,
                init_ms: float | None = None, billed_init_ms: float | None = None,
                status: str | None = None, error_type: str | None = None) -> str:
    parts = [f"REPORT RequestId: {request_id}", f"Duration: {duration_ms:.2f} ms",
             f"Billed Duration: {billed_ms(duration_ms, billed_init_ms)} ms",
             f"Memory Size: {memory_mb} MB", f"Max Memory Used: {max_used_mb} MB"]
    if init_ms is not None:
        parts.append(f"Init Duration: {init_ms:.2f} ms")
    if status:
        parts.append(f"Status: {status}")
    if error_type:
        parts.append(f"Error Type: {error_type}")
    return "\t".join(parts) + "\t"


def init_report_line(init_ms: float, status: str, error_type: str | None) -> str:
    line = f"INIT_REPORT Init Duration: {init_ms:.2f} ms\tPhase: init\tStatus: {status}"
    return line + (f"\tError Type: {error_type}" if error_type else "")


def timeout_line(request_id: str, timeout_s: int) -> str:
    return f"{iso_now()} {request_id} Task timed out after {timeout_s:.2f} seconds"


def tail(lines: list[LogLine]) -> str:
    """The last 4 KB of the invocation's log text, base64, for the X-Amz-Log-Result header."""
    text = "".join(message + "\n" for _, message in lines).encode("utf-8")
    return base64.b64encode(text[-TAIL_BYTES:]).decode("ascii")


class CloudWatchWriter:
    """Writes environments' lines into moto's CloudWatch Logs backend, in-process."""

    def __init__(self, account: str, region: str):
        from moto.logs.models import logs_backends

        self.backend = logs_backends[account][region]

    def open_stream(self, group: str, stream: str) -> None:
        try:
            self.backend.ensure_log_group(group)
        except AttributeError:  # older moto: create and ignore "already exists"
            try:
                self.backend.create_log_group(group, {})
            except Exception:
                pass
        try:
            self.backend.create_log_stream(group, stream)
        except Exception:
            log.debug("log stream %s already exists", stream)

    def write(self, group: str, stream: str, lines: list[LogLine]) -> None:
        if not lines:
            return
        events, latest = [], 0
        for timestamp, message in lines:  # CloudWatch wants them in order; lines from two sources may cross
            latest = max(latest, timestamp)
            events.append({"timestamp": latest, "message": message})
        try:
            self.backend.put_log_events(group, stream, events)
        except Exception as error:  # e.g. the group was deleted by the learner: recreate once
            log.debug("put_log_events failed (%s); recreating %s", error, stream)
            self.open_stream(group, stream)
            try:
                self.backend.put_log_events(group, stream, events)
            except Exception:
                log.exception("could not write Lambda logs to %s", group)
