"""Exercises of notebook 03 (a first Lambda function): the event, the REPORT line, the timeout.

Each check asks the function itself (it invokes it where needed), so the same check passes
on the local cloud and on a real account.
"""
from __future__ import annotations

import json

from . import define

_EVENT_COMMENT = "# The event, as a dict (the check invokes the function with it and shows the answer):\n"


@define(
    "03.1", "The event that says GET",
    hint="The handler reads event.get(\"httpMethod\") and compares it with \"GET\": the key and the value "
         "must be spelled exactly so (API Gateway's proxy event uses httpMethod).",
    solution="from helpers import ____\n\n" + _EVENT_COMMENT + 'event = {"httpMethod": "GET"}',
    mistake="from helpers import ____\n\n" + _EVENT_COMMENT + 'event = {"method": "GET"}',
)
def check_get_event(event, function_name) -> None:
    import boto3

    if not isinstance(event, dict):
        raise AssertionError(f"event should be a dict (JSON object), got {type(event).__name__}")
    answer = boto3.client("lambda").invoke(FunctionName=function_name, Payload=json.dumps(event))
    result = json.loads(answer["Payload"].read())
    print("The function answered:", result)
    if answer.get("FunctionError"):
        raise AssertionError(f"the function failed ({answer['FunctionError']}): {result}")
    if result != {"statusCode": 200, "body": json.dumps("get")}:
        raise AssertionError(f"with {event} the handler answered {result.get('body') if isinstance(result, dict) else result}, "
                             "not \"get\"")


_REPORT_CELL = '''from helpers import ____

answer = lam.invoke(FunctionName=FUNCTION, Payload=json.dumps({"httpMethod": "GET"}), LogType="Tail")
tail = base64.b64decode(answer["LogResult"]).decode()
report = [line for line in tail.splitlines() if line.startswith("REPORT")][0]
print(report)

billed_ms = '''


@define(
    "03.2", "What were you billed for?",
    hint="The REPORT line is tab-separated: find the part after 'Billed Duration: ', cut it at ' ms', and "
         "turn the text into a number with int(...) or float(...).",
    solution=_REPORT_CELL + 'int(report.split("Billed Duration: ")[1].split(" ms")[0])',
    mistake=_REPORT_CELL + 'report.split("Billed Duration: ")[1]',
)
def check_billed(billed_ms, report) -> None:
    from ..logs import parse_report

    if isinstance(billed_ms, bool) or not isinstance(billed_ms, (int, float)):
        raise AssertionError(f"billed_ms should be a number, got {type(billed_ms).__name__} {billed_ms!r}")
    expected = parse_report(report)["billed_duration_ms"]
    if abs(billed_ms - expected) > 1e-9:
        duration = parse_report(report)["duration_ms"]
        why = " (that is the Duration, before rounding up)" if abs(billed_ms - duration) < 1e-9 else ""
        raise AssertionError(f"{billed_ms} is not the billed duration of this REPORT line{why}")


_TIMEOUT_CELL = '''from helpers import ____

# lam.update_function_configuration(FunctionName=..., Timeout=<seconds>)
updated = lam.update_function_configuration(FunctionName=FUNCTION, Timeout={seconds})'''


@define(
    "03.3", "Enough time for a slow request",
    hint="Timeout is in whole seconds. The handler sleeps 2 s, and starting and answering take a little "
         "more: the timeout must be larger than 2 (5 is plenty).",
    solution=_TIMEOUT_CELL.format(seconds=5),
    mistake=_TIMEOUT_CELL.format(seconds=2),
)
def check_timeout(updated) -> None:
    import boto3

    from ..waiting import wait_until_updated

    if not isinstance(updated, dict) or "FunctionName" not in updated:
        raise AssertionError("updated should be the answer of lam.update_function_configuration(...)")
    name = updated["FunctionName"]
    config = wait_until_updated(name)
    answer = boto3.client("lambda").invoke(FunctionName=name, Payload=json.dumps({"sleep": 2, "httpMethod": "GET"}))
    result = json.loads(answer["Payload"].read())
    if answer.get("FunctionError"):
        raise AssertionError(f"with Timeout={config['Timeout']} the 2-second request still failed: "
                             f"{result.get('errorMessage', result)}")
