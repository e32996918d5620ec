"""Invoke a Lambda function many times and measure each invocation, cold or warm.

``sequential("alice-hello", 10)`` and ``burst("alice-hello", 10)`` (all at once, from threads
released together) return an :class:`Invocations` table, one row per invocation:

- ``latency_ms``: what the caller waited for (client side, the whole round trip);
- ``duration_ms``, ``billed_duration_ms``, ``init_duration_ms``, ``memory_size_mb``,
  ``max_memory_used_mb``: from the invocation's ``REPORT`` line
  (https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html), read from the
  ``LogType=Tail`` answer, else from CloudWatch Logs (parsed by ``helpers.logs.parse_report``);
- ``cold``: an ``Init Duration`` on the REPORT line means this invocation started a new execution
  environment (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html);
- ``response``: what the function returned (JSON-decoded; not shown in the table);
- ``environment``: the log stream the REPORT line is in. Lambda writes one log stream per
  execution environment, so equal stream names mean the same environment served both.

The same code works on the local cloud and on AWS (where CloudWatch Logs lag a few seconds, so
``environments=True`` waits for them, with a progress bar).
"""
from __future__ import annotations

import base64
import html
import json

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterable

COLUMNS = ("n", "request_id", "latency_ms", "duration_ms", "billed_duration_ms", "init_duration_ms", "cold",
           "environment", "memory_size_mb", "max_memory_used_mb", "version", "status", "error")
_REPORT_KEYS = ("duration_ms", "billed_duration_ms", "init_duration_ms", "memory_size_mb", "max_memory_used_mb")


def report_of(log_text: str, request_id: str | None = None) -> dict[str, Any] | None:
    """The parsed REPORT line (``helpers.logs.parse_report``) of ``request_id`` in a log text."""
    from .logs import parse_report

    for line in (log_text or "").splitlines():
        if line.startswith("REPORT RequestId: ") and (request_id is None or request_id in line):
            return parse_report(line)
    return None


class Invocations(list):
    """A list of invocation rows (dicts) that shows itself as a table with medians in Jupyter."""

    def column(self, name: str) -> list[Any]:
        return [row.get(name) for row in self]

    @property
    def cold(self) -> "Invocations":
        return Invocations(r for r in self if r.get("cold") is True)

    @property
    def warm(self) -> "Invocations":
        return Invocations(r for r in self if r.get("cold") is False)

    def median(self, name: str) -> float | None:
        values = [v for v in self.column(name) if isinstance(v, (int, float)) and not isinstance(v, bool)]
        return statistics.median(values) if values else None

    def summary(self) -> dict[str, Any]:
        environments = {e for e in self.column("environment") if e}
        return {"invocations": len(self), "errors": sum(1 for r in self if r.get("error")),
                "cold_starts": len(self.cold), "environments": len(environments) or None,
                "median_latency_ms": self.median("latency_ms"),
                "median_latency_cold_ms": self.cold.median("latency_ms"),
                "median_latency_warm_ms": self.warm.median("latency_ms"),
                "median_duration_ms": self.median("duration_ms"),
                "median_init_ms": self.cold.median("init_duration_ms")}

    def summary_text(self) -> str:
        s = self.summary()
        parts = [f"{s['invocations']} invocations", f"{s['cold_starts']} cold"]
        if s["environments"]:
            parts.append(f"{s['environments']} environment{'s' if s['environments'] != 1 else ''}")
        if s["errors"]:
            parts.append(f"{s['errors']} errors")
        for label, key in (("median latency", "median_latency_ms"), ("cold", "median_latency_cold_ms"),
                           ("warm", "median_latency_warm_ms"), ("median Init Duration", "median_init_ms")):
            if s[key] is not None:
                parts.append(f"{label} {s[key]:.1f} ms")
        return ", ".join(parts)

    def __str__(self) -> str:
        return self.summary_text()

    def _repr_html_(self) -> str:
        def cell(name: str, value: Any) -> str:
            if value is None:
                return "<td style='color:#999'>—</td>"
            if name == "cold":
                return "<td style='color:#c62828'><b>cold</b></td>" if value else "<td style='color:#2e7d32'>warm</td>"
            if name == "environment":
                return f"<td title='{html.escape(str(value))}'><code>…{html.escape(str(value)[-8:])}</code></td>"
            if isinstance(value, float):
                return f"<td style='text-align:right'>{value:.1f}</td>"
            return f"<td>{html.escape(str(value))}</td>"

        shown = [c for c in COLUMNS if c != "request_id" and any(r.get(c) is not None for r in self)]
        head = "".join(f"<th>{html.escape(c)}</th>" for c in shown)
        body = "".join("<tr>" + "".join(cell(c, r.get(c)) for c in shown) + "</tr>" for r in self)
        return (f"<p><b>{html.escape(self.summary_text())}</b></p>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


# -- invoking -----------------------------------------------------------------------------
def _lambda_client(pool_size: int = 10):
    import boto3
    from botocore.config import Config

    # No silent retries: a throttled invocation (TooManyRequestsException) is a result to show.
    return boto3.client("lambda", config=Config(max_pool_connections=max(10, pool_size),
                                                retries={"max_attempts": 1, "mode": "standard"},
                                                read_timeout=905))


def invoke_once(function_name: str, payload: Any = None, qualifier: str | None = None,
                client: Any = None, n: int = 0) -> dict[str, Any]:
    """One RequestResponse invocation with ``LogType=Tail``, measured."""
    client = client or _lambda_client()
    body = payload if isinstance(payload, (bytes, str)) else json.dumps({} if payload is None else payload)
    arguments = {"FunctionName": function_name, "Payload": body, "LogType": "Tail"}
    if qualifier:
        arguments["Qualifier"] = qualifier
    row: dict[str, Any] = {"n": n, "started": time.time()}
    begin = time.perf_counter()
    try:
        answer = client.invoke(**arguments)
        returned = answer["Payload"].read()
    except Exception as error:  # throttling, not found, …: a row that says what happened
        row["latency_ms"] = (time.perf_counter() - begin) * 1000
        response = getattr(error, "response", {}) or {}
        row["status"] = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        row["error"] = response.get("Error", {}).get("Code") or type(error).__name__
        return row
    row["latency_ms"] = (time.perf_counter() - begin) * 1000
    row["status"] = answer.get("StatusCode")
    row["version"] = answer.get("ExecutedVersion")
    row["request_id"] = answer.get("ResponseMetadata", {}).get("RequestId")
    row["error"] = answer.get("FunctionError")
    try:
        row["response"] = json.loads(returned) if returned else None  # what the function returned
    except ValueError:
        row["response"] = returned.decode(errors="replace")
    tail = base64.b64decode(answer.get("LogResult") or "").decode(errors="replace")
    _apply_report(row, report_of(tail, row["request_id"]))
    return row


def _apply_report(row: dict[str, Any], report: dict[str, Any] | None) -> None:
    if not report:
        return
    for key in _REPORT_KEYS:
        row[key] = report.get(key)
    row["cold"] = report.get("init_duration_ms") is not None


def sequential(function_name: str, n: int = 10, *, payload: Any = None, qualifier: str | None = None,
               environments: bool = True, progress: bool = True, pause: float = 0.0) -> Invocations:
    """Invoke ``n`` times, one after the other (``pause`` seconds between), and measure each."""
    client = _lambda_client()
    rows = Invocations()
    with Progress(n, f"invoking {function_name}", enabled=progress) as bar:
        for i in range(n):
            rows.append(invoke_once(function_name, payload, qualifier, client, n=i))
            bar.update(i + 1)
            if pause and i + 1 < n:
                time.sleep(pause)
    return _finish(function_name, rows, environments, progress)


def burst(function_name: str, n: int = 10, *, payload: Any = None, qualifier: str | None = None,
          environments: bool = True, progress: bool = True) -> Invocations:
    """Invoke ``n`` times at once: ``n`` threads are released together, as ``n`` users would."""
    client = _lambda_client(n)
    gate = threading.Barrier(n)

    def one(i: int) -> dict[str, Any]:
        gate.wait()
        return invoke_once(function_name, payload, qualifier, client, n=i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        rows = Invocations(pool.map(one, range(n)))
    return _finish(function_name, rows, environments, progress)


def _finish(function_name: str, rows: Invocations, environments: bool, progress: bool) -> Invocations:
    if environments or any("duration_ms" not in r for r in rows if r.get("request_id")):
        fill_from_logs(function_name, rows, progress=progress)
    return rows


# -- CloudWatch Logs ---------------------------------------------------------------------
def fill_from_logs(function_name: str, rows: Iterable[dict[str, Any]], timeout: float | None = None,
                   progress: bool = True, logs_client: Any = None) -> None:
    """Find each row's REPORT line in the function's log group: its stream names the environment.

    On AWS log events arrive some seconds after the invocation, so this polls (up to 30 s); the
    local cloud writes them at once. Rows whose REPORT never appears keep ``environment=None``.
    """
    import boto3

    wanted = {r["request_id"]: r for r in rows if r.get("request_id")}
    if not wanted:
        return
    logs = logs_client or boto3.client("logs")
    group = f"/aws/lambda/{function_name.split(':')[-1] if function_name.startswith('arn:') else function_name}"
    since = int((min(r["started"] for r in wanted.values()) - 5) * 1000)
    if timeout is None:
        timeout = 2.0 if _is_local() else 30.0
    deadline = time.monotonic() + timeout
    found: set[str] = set()
    with Progress(len(wanted), "reading REPORT lines from CloudWatch Logs", enabled=progress and timeout > 5) as bar:
        while True:
            for event in _report_events(logs, group, since):
                report = report_of(event.get("message", ""))
                if report and report["request_id"] in wanted and report["request_id"] not in found:
                    row = wanted[report["request_id"]]
                    row["environment"] = event.get("logStreamName")
                    if "duration_ms" not in row:
                        _apply_report(row, report)
                    found.add(report["request_id"])
            bar.update(len(found))
            if len(found) == len(wanted) or time.monotonic() >= deadline:
                return
            time.sleep(1.0 if not _is_local() else 0.1)


def _report_events(logs: Any, group: str, since: int) -> list[dict[str, Any]]:
    events, token = [], None
    while True:
        arguments = {"logGroupName": group, "startTime": since, "filterPattern": '"REPORT RequestId"'}
        if token:
            arguments["nextToken"] = token
        try:
            page = logs.filter_log_events(**arguments)
        except Exception as error:
            if getattr(error, "response", {}).get("Error", {}).get("Code") == "ResourceNotFoundException":
                return events  # no log group (yet): nothing to read
            raise
        events += page.get("events", [])
        token = page.get("nextToken")
        if not token:
            return events


def _is_local() -> bool:
    from .backend import current

    connection = current()
    return connection is None or connection.is_local


# -- waiting, with a progress bar ---------------------------------------------------------
class Progress:
    """A progress bar in Jupyter (ipywidgets), nothing elsewhere."""

    def __init__(self, total: int, label: str, enabled: bool = True):
        self.total, self.label, self._bar = total, label, None
        if enabled and total > 1 and _in_notebook():
            import ipywidgets as widgets
            from IPython.display import display

            self._bar = widgets.IntProgress(value=0, min=0, max=total, description="",
                                            layout=widgets.Layout(width="60%"))
            self._text = widgets.HTML(f"{html.escape(label)} 0/{total}")
            display(widgets.HBox([self._bar, self._text]))

    def update(self, done: int) -> None:
        if self._bar is not None:
            self._bar.value = done
            self._text.value = f"{html.escape(self.label)} {done}/{self.total}"

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.bar_style = "success" if exc[0] is None else "danger"


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and shell.__class__.__name__ == "ZMQInteractiveShell"


def wait(seconds: float, label: str = "waiting", until: Callable[[], bool] | None = None) -> bool:
    """Sleep up to ``seconds`` with a progress bar; with ``until``, stop as soon as ``until()`` is true
    (checked every 0.1 s). Returns whether ``until()`` came true (always True without one)."""
    deadline = time.monotonic() + seconds
    ticks = max(1, int(round(seconds)))
    with Progress(ticks, label) as bar:
        while True:
            if until is not None and until():
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return until is None
            time.sleep(min(left, 0.1 if until is not None else 1.0))
            bar.update(min(ticks, int(round(seconds - max(0.0, deadline - time.monotonic())))))
