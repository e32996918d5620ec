"""Execution environments: cold and warm starts, reuse, scale-out, reclaim, retirement, logs."""
from __future__ import annotations

import json
import time

import pytest
import requests

from helpers.localcloud import client as admin

from .support import in_parallel, invoke, report_of, tail_of

STATEFUL = """
import os, time
COUNT = 0
def handler(event, context):
    global COUNT
    COUNT += 1
    path = os.path.join(os.environ["TMPDIR"], "note.txt")
    existed = os.path.exists(path)
    with open(path, "a") as note:
        note.write("x")
    if event.get("sleep"):
        time.sleep(event["sleep"])
    return {"count": COUNT, "tmp_existed": existed, "pid": os.getpid(),
            "init": os.environ["AWS_LAMBDA_INITIALIZATION_TYPE"]}
"""


def environments(url: str, name: str) -> list[dict]:
    return requests.get(f"{url}/_lambda/environments", params={"function": name}, timeout=5).json()["environments"]


def test_the_first_invoke_is_cold_and_the_next_warm(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html: the INIT
    phase runs once per environment; REPORT shows Init Duration on a cold start only."""
    name = make_function({"app.py": STATEFUL})
    cold, _ = invoke(lam, name, LogType="Tail")
    warm, _ = invoke(lam, name, LogType="Tail")
    assert "\tInit Duration: " in report_of(cold)
    assert "Init Duration" not in report_of(warm)


def test_globals_and_tmp_survive_between_warm_invokes(lam, make_function):
    """lambda-runtime-environment.html: a reused environment keeps its global state and /tmp."""
    name = make_function({"app.py": STATEFUL})
    first = invoke(lam, name)[1]
    second = invoke(lam, name)[1]
    assert (first["count"], first["tmp_existed"]) == (1, False)
    assert (second["count"], second["tmp_existed"], second["pid"]) == (2, True, first["pid"])


def test_init_duration_includes_the_handler_modules_own_imports(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-ib:
    Init Duration covers the function's static code: slow imports show up there."""
    slow = "import time\n_started = time.perf_counter()\nwhile time.perf_counter() - _started < 0.25:\n    pass\n"
    name = make_function({"app.py": "import slow_module\ndef handler(e, c):\n    return 1\n",
                          "slow_module.py": slow})
    response, _ = invoke(lam, name, LogType="Tail")
    init_ms = float(report_of(response).split("Init Duration: ")[1].split(" ms")[0])
    assert init_ms >= 250


def test_update_function_code_retires_the_old_environments(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/configuration-function-zip.html: after an update
    the next invoke runs the new code in a new environment."""
    from helpers.packaging import zip_files

    name = make_function({"app.py": "import os\ndef handler(e, c):\n    return ['old', os.getpid()]\n"})
    _, (_, old_pid) = invoke(lam, name)
    lam.update_function_code(FunctionName=name,
                             ZipFile=zip_files({"app.py": "import os\ndef handler(e, c):\n    return ['new', os.getpid()]\n"}))
    response, (code, new_pid) = invoke(lam, name, LogType="Tail")
    assert code == "new" and new_pid != old_pid
    assert "Init Duration" in report_of(response)


def test_update_function_configuration_starts_environments_with_the_new_settings(lam, make_function):
    name = make_function({"app.py": "import os\ndef handler(e, c):\n    return os.environ.get('COLOUR')\n"},
                         Environment={"Variables": {"COLOUR": "blue"}})
    assert invoke(lam, name)[1] == "blue"
    lam.update_function_configuration(FunctionName=name, Environment={"Variables": {"COLOUR": "green"}})
    assert invoke(lam, name)[1] == "green"


def test_idle_environments_are_reclaimed_after_the_idle_time(lam, make_function, local_cloud):
    """COURSE_LAMBDA_IDLE_SECONDS: the local cloud's stand-in for Lambda shutting idle sandboxes down."""
    name = make_function({"app.py": STATEFUL})
    first = invoke(lam, name)[1]
    previous = admin.get_settings(local_cloud.url)["COURSE_LAMBDA_IDLE_SECONDS"]
    admin.set_settings(local_cloud.url, COURSE_LAMBDA_IDLE_SECONDS=0.2)
    try:
        deadline = time.monotonic() + 10
        while environments(local_cloud.url, name) and time.monotonic() < deadline:
            time.sleep(0.05)
        response, again = invoke(lam, name, LogType="Tail")
    finally:
        admin.set_settings(local_cloud.url, COURSE_LAMBDA_IDLE_SECONDS=previous)
    assert again["count"] == 1 and again["pid"] != first["pid"]
    assert "Init Duration" in report_of(response)


def test_concurrent_invokes_scale_out_to_separate_environments(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html: one environment serves
    one request at a time; concurrent requests get more environments."""
    name = make_function({"app.py": STATEFUL})
    started = time.monotonic()
    results = in_parallel(3, lambda _: invoke(lam, name, {"sleep": 0.6})[1])
    assert len({result["pid"] for result in results}) == 3
    assert time.monotonic() - started < 1.7


def test_a_function_that_invokes_itself_does_not_deadlock(lam, make_function):
    """A recursive invoke waits for a second environment, never for its own."""
    code = """
import json, boto3
def handler(event, context):
    depth = event.get("depth", 0)
    if depth == 2:
        return [depth]
    answer = boto3.client("lambda").invoke(FunctionName=context.function_name,
                                           Payload=json.dumps({"depth": depth + 1}))
    return [depth] + json.loads(answer["Payload"].read())
"""
    name = make_function({"app.py": code}, Timeout=30)
    # As on AWS, the execution role needs lambda:InvokeFunction on the function it calls
    # (IAM enforcement is on by default in the local cloud).
    import boto3

    iam = boto3.client("iam")
    role = lam.get_function_configuration(FunctionName=name)["Role"].rsplit("/", 1)[1]
    arn = lam.get_function_configuration(FunctionName=name)["FunctionArn"]
    iam.put_role_policy(RoleName=role, PolicyName=f"invoke-{name}", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": arn}]}))
    try:
        response, payload = invoke(lam, name)
    finally:
        iam.delete_role_policy(RoleName=role, PolicyName=f"invoke-{name}")
    assert payload == [0, 1, 2], payload


def test_reserved_concurrency_throttles_with_429(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html: beyond the
    reserved concurrency, Invoke fails TooManyRequestsException (429),
    Reason ReservedFunctionConcurrentInvocationLimitExceeded."""
    from botocore.exceptions import ClientError

    name = make_function({"app.py": STATEFUL})
    lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=1)

    def call(index):
        time.sleep(0.2 * index)
        try:
            return invoke(lam, name, {"sleep": 0.8})[0]["StatusCode"]
        except ClientError as error:
            return error.response

    outcomes = in_parallel(2, call)
    assert outcomes[0] == 200
    assert outcomes[1]["Error"]["Code"] == "TooManyRequestsException"
    assert outcomes[1]["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert outcomes[1]["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded"
    lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
    with pytest.raises(lam.exceptions.TooManyRequestsException):
        invoke(lam, name)
    lam.delete_function_concurrency(FunctionName=name)
    assert invoke(lam, name)[0]["StatusCode"] == 200


def test_logs_go_to_one_stream_per_environment(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html: log group
    /aws/lambda/<name>, one log stream per execution environment, INIT_START on a cold start."""
    import boto3

    name = make_function({"app.py": STATEFUL})
    in_parallel(2, lambda _: invoke(lam, name, {"sleep": 0.4}))
    logs = boto3.client("logs")
    streams = logs.describe_log_streams(logGroupName=f"/aws/lambda/{name}")["logStreams"]
    assert len(streams) == 2
    assert all("/[$LATEST]" in stream["logStreamName"] for stream in streams)
    messages = [event["message"] for event in
                logs.get_log_events(logGroupName=f"/aws/lambda/{name}",
                                    logStreamName=streams[0]["logStreamName"])["events"]]
    assert messages[0].startswith("INIT_START Runtime Version: python:")
    assert messages[1].startswith("START RequestId: ") and messages[-1].startswith("REPORT RequestId: ")


def test_the_report_line_parses_with_the_log_helpers(lam, make_function):
    import helpers

    name = make_function({"app.py": STATEFUL}, MemorySize=256)
    response, _ = invoke(lam, name)
    lines = helpers.invocation_log(name, response["ResponseMetadata"]["RequestId"])
    report = helpers.parse_report(lines[-1])
    assert report["memory_size_mb"] == 256 and report["cold"] is True
    assert report["duration_ms"] > 0 and report["billed_duration_ms"] >= report["duration_ms"]
    assert helpers.recent_reports(name)[-1]["request_id"] == response["ResponseMetadata"]["RequestId"]


def test_the_environments_endpoint_lists_live_environments(lam, make_function, local_cloud):
    name = make_function({"app.py": STATEFUL})
    invoke(lam, name)
    [env] = environments(local_cloud.url, name)
    assert env["function_name"] == name and env["init_type"] == "on-demand"
    assert env["state"] == "idle" and env["invocations"] == 1 and env["cold_start_ms"] > 0


def test_the_course_python_client_behaves_like_awslambdaric(lam, make_function, local_cloud):
    """The small client used where awslambdaric is missing answers with the same shapes."""
    previous = admin.get_settings(local_cloud.url)["COURSE_LAMBDA_PYTHON_CLIENT"]
    admin.set_settings(local_cloud.url, COURSE_LAMBDA_PYTHON_CLIENT="course")
    try:
        ok = make_function({"app.py": "import logging\ndef handler(e, c):\n    logging.getLogger().warning('careful')\n"
                                      "    return {'id': c.aws_request_id}\n"})
        response, payload = invoke(lam, ok, LogType="Tail")
        assert payload == {"id": response["ResponseMetadata"]["RequestId"]}
        assert f"[WARNING]\t" in tail_of(response) and "careful" in tail_of(response)
        failing = make_function({"app.py": "def handler(e, c):\n    raise KeyError('k')\n"})
        response, error = invoke(lam, failing)
        assert response["FunctionError"] == "Unhandled" and error["errorType"] == "KeyError"
        missing = make_function({"app.py": "x = 1\n"})
        assert invoke(lam, missing)[1]["errorType"] == "Runtime.HandlerNotFound"
    finally:
        admin.set_settings(local_cloud.url, COURSE_LAMBDA_PYTHON_CLIENT=previous)


def test_another_python_version_runs_here_and_says_so_in_its_log(lam, make_function):
    """A function declared for a Python this computer lacks runs on the course's Python, noted once."""
    import helpers

    name = make_function({"app.py": "def handler(e, c):\n    return 1\n"}, runtime="python3.9")
    invoke(lam, name)
    invoke(lam, name)
    notes = [line for line in helpers.recent_log_lines(name) if line.startswith("[local cloud]")]
    assert len(notes) == 1 and "python3.9" in notes[0]


def test_sns_messages_reach_the_handler_through_moto(lam, make_function):
    """moto's event sources call LambdaFunction._invoke_lambda, which now runs the handler
    (https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html)."""
    import boto3

    import helpers

    name = make_function({"app.py": "def handler(e, c):\n    print('sns says', e['Records'][0]['Sns']['Message'])\n"})
    sns = boto3.client("sns")
    topic = sns.create_topic(Name=f"{name}-topic")["TopicArn"]
    arn = lam.get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=arn)
    sns.publish(TopicArn=topic, Message="annyeong")
    deadline = time.monotonic() + 10
    while "sns says annyeong" not in helpers.recent_log_lines(name) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "sns says annyeong" in helpers.recent_log_lines(name)
    sns.delete_topic(TopicArn=topic)


def test_json_payload_round_trips_unicode(lam, make_function):
    name = make_function({"app.py": "def handler(e, c):\n    return {'echo': e}\n"})
    assert invoke(lam, name, {"text": "서버리스"})[1] == {"echo": {"text": "서버리스"}}
