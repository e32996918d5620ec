"""How late a scheduled rule fires against its (scaled) time: the issue's ≤ 100 ms target.

A ``rate(1 minute)`` rule runs with COURSE_TIME_SCALE raised so that it fires every
``60 / scale`` seconds. Two figures:

- *hand-over*: when the local cloud handed the event to the Lambda target, against when it was
  due (recorded by the schedules extension for every firing);
- *handler running*: when a real function's handler started (it prints ``time.time()``), against
  when the firing was due: the hand-over plus the asynchronous invoke of a warm function.
"""
from __future__ import annotations

import json
import time

from .stats import row

TARGET_MS = 100.0
_HANDLER = """import json, time

def handler(event, context):
    print("FIRED " + json.dumps({"at": time.time(), "id": event.get("id")}))
"""


def _collect(name: str, target_arn: str, scale: float, n: int) -> list[dict]:
    import boto3

    from helpers import schedules

    events = boto3.client("events")
    schedules.set_time_scale(scale, quiet=True)
    try:
        events.put_rule(Name=name, ScheduleExpression="rate(1 minute)")
        events.put_targets(Rule=name, Targets=[{"Id": "fn", "Arn": target_arn}])
        period = 60.0 / scale
        deadline = time.monotonic() + period * (n + 2) + 5
        while len(schedules.firings(name)) < n and time.monotonic() < deadline:
            time.sleep(min(0.5, period))
    finally:
        events.remove_targets(Rule=name, Ids=["fn"])
        events.delete_rule(Name=name)
        schedules.set_time_scale(1, quiet=True)
    return schedules.firings(name)[:n]


def handover_delays(scale: float, n: int) -> list[float]:
    import helpers

    connection = helpers.connect("local")
    arn = f"arn:aws:lambda:{connection.region}:{connection.account}:function:{helpers.name('bench-absent')}"
    return [f["delay_ms"] for f in _collect(helpers.name(f"bench-sched-{int(scale)}"), arn, scale, n)]


def handler_delays(scale: float, n: int) -> list[float]:
    """Due time → the handler's first line, for a real function kept warm by the firings themselves."""
    import boto3

    import helpers

    helpers.connect("local")
    from helpers.testing import lambda_execution_role

    iam, lam = boto3.client("iam"), boto3.client("lambda")
    function = helpers.name("bench-sched-fn")
    role_arn = lambda_execution_role(helpers.name("bench-sched-role"), iam)
    arn = lam.create_function(FunctionName=function, Runtime="python3.12", Role=role_arn, Handler="app.handler",
                              Code={"ZipFile": helpers.zip_code(_HANDLER, "app.py")})["FunctionArn"]
    try:
        helpers.wait_until_active(function)
        lam.invoke(FunctionName=function, Payload=b"{}")  # an environment is warm before the first firing
        rule = helpers.name("bench-sched-run")
        region, account = arn.split(":")[3], arn.split(":")[4]
        lam.add_permission(FunctionName=function, StatementId="bench", Action="lambda:InvokeFunction",
                           Principal="events.amazonaws.com",
                           SourceArn=f"arn:aws:events:{region}:{account}:rule/{rule}")
        firings = _collect(rule, arn, scale, n)
        time.sleep(0.3)  # the last asynchronous invocation finishes
        started = {}
        for line in helpers.recent_log_lines(function, limit=100_000):
            if line.startswith("FIRED "):
                record = json.loads(line[len("FIRED "):])
                started[record["id"]] = record["at"]
        return [(started[f["event_id"]] - f["scheduled_at"]) * 1000 for f in firings if f["event_id"] in started]
    finally:
        lam.delete_function(FunctionName=function)


def run(quick: bool) -> list[dict]:
    rows = []
    for scale, n in ([(600.0, 10)] if quick else [(600.0, 300), (60.0, 30)]):
        rows.append(row(f"scheduled rule hands its event over after its scaled time (rate(1 minute) at "
                        f"{scale:g}×, every {60 / scale:g} s)", handover_delays(scale, n), TARGET_MS))
    n = 10 if quick else 200
    rows.append(row("scheduled rule → warm handler running, after its scaled time (600×)",
                    handler_delays(600.0, n), TARGET_MS))
    return rows
