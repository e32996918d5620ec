"""The Invoke API through boto3: invocation types, qualifiers, headers, payload checks, context."""
from __future__ import annotations

import base64
import json
import time

import pytest
from botocore.exceptions import ClientError

from .support import invoke, report_of, tail_of

ECHO = """
import os
def handler(event, context):
    print("got", event)
    return {"event": event, "version": os.environ["AWS_LAMBDA_FUNCTION_VERSION"]}
"""


def test_invoke_runs_the_handler_and_returns_its_result(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html: 200, the function's
    response as the payload, X-Amz-Executed-Version."""
    name = make_function({"app.py": ECHO})
    response, payload = invoke(lam, name, {"n": 1})
    assert response["StatusCode"] == 200
    assert "FunctionError" not in response
    assert response["ExecutedVersion"] == "$LATEST"
    assert payload == {"event": {"n": 1}, "version": "$LATEST"}


def test_an_empty_payload_is_an_empty_event(lam, make_function):
    """https://docs.aws.amazon.com/cli/latest/reference/lambda/invoke.html: invoking without a
    payload passes ``{}``."""
    name = make_function({"app.py": ECHO})
    response = lam.invoke(FunctionName=name)
    assert json.loads(response["Payload"].read())["event"] == {}


def test_log_type_tail_returns_the_invocations_log_base64(lam, make_function):
    """API_Invoke.html (LogResult): the last 4 KB of the execution log, base64-encoded, with the
    platform's START, END and REPORT lines (monitoring-cloudwatchlogs.html)."""
    name = make_function({"app.py": ECHO})
    response, _ = invoke(lam, name, {"n": 2}, LogType="Tail")
    lines = tail_of(response).splitlines()
    request_id = response["ResponseMetadata"]["RequestId"]
    assert lines[0] == f"START RequestId: {request_id} Version: $LATEST"
    assert "got {'n': 2}" in lines
    assert lines[-2] == f"END RequestId: {request_id}"
    assert lines[-1].startswith(f"REPORT RequestId: {request_id}\tDuration: ")


def test_the_tail_is_at_most_4_kb(lam, make_function):
    """API_Invoke.html: LogResult holds the last 4 KB of the log."""
    name = make_function({"app.py": "def handler(e, c):\n    print('x' * 20000)\n    return 1\n"})
    response, _ = invoke(lam, name, LogType="Tail")
    tail = base64.b64decode(response["LogResult"])
    assert len(tail) == 4096
    assert tail.decode().rstrip().splitlines()[-1].startswith("REPORT")


def test_no_log_result_without_tail(lam, make_function):
    name = make_function({"app.py": ECHO})
    response, _ = invoke(lam, name)
    assert "LogResult" not in response


def test_event_invocation_answers_202_and_runs_in_the_background(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html: Lambda queues the
    event and answers 202 with an empty body; the function still runs."""
    import helpers

    name = make_function({"app.py": "def handler(e, c):\n    print('async-marker', e['n'])\n"})
    response, payload = invoke(lam, name, {"n": 7}, InvocationType="Event")
    assert response["StatusCode"] == 202
    assert payload is None
    lines = helpers.invocation_log(name, response["ResponseMetadata"]["RequestId"], timeout=20)
    assert "async-marker 7" in lines


def test_dry_run_answers_204_and_runs_nothing(lam, make_function):
    """API_Invoke.html: DryRun validates the parameters and permissions only (204)."""
    import helpers

    name = make_function({"app.py": "def handler(e, c):\n    print('ran')\n"})
    response, _ = invoke(lam, name, InvocationType="DryRun")
    assert response["StatusCode"] == 204
    assert helpers.recent_log_lines(name) == []


def test_qualifiers_run_the_version_or_alias_they_name(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html and
    configuration-aliases.html: a version is an immutable snapshot; an alias points at one."""
    from helpers.packaging import zip_files

    name = make_function({"app.py": "def handler(e, c):\n    return 'one'\n"})
    first = lam.publish_version(FunctionName=name)["Version"]
    lam.update_function_code(FunctionName=name, ZipFile=zip_files({"app.py": "def handler(e, c):\n    return 'two'\n"}))
    lam.create_alias(FunctionName=name, Name="stable", FunctionVersion=first)
    assert invoke(lam, name)[1] == "two"
    response, payload = invoke(lam, name, Qualifier=first)
    assert (payload, response["ExecutedVersion"]) == ("one", first)
    response, payload = invoke(lam, name, Qualifier="stable")
    assert (payload, response["ExecutedVersion"]) == ("one", first)
    assert invoke(lam, f"{name}:stable")[1] == "one"


def test_a_function_arn_names_the_function(lam, make_function):
    """API_Invoke.html: FunctionName may be a name, an ARN or a qualified ARN."""
    name = make_function({"app.py": ECHO})
    arn = lam.get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    assert invoke(lam, arn)[0]["StatusCode"] == 200


def test_an_unknown_function_is_resource_not_found(lam, connected):
    """API_Invoke.html errors: ResourceNotFoundException, HTTP 404."""
    with pytest.raises(ClientError) as caught:
        lam.invoke(FunctionName="lrt-does-not-exist", Payload=b"{}")
    error = caught.value.response
    assert error["Error"]["Code"] == "ResourceNotFoundException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert "lrt-does-not-exist" in error["Error"]["Message"]


def test_a_payload_over_6_mb_is_request_entity_too_large(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html: 6 MB for
    synchronous invocations; Lambda answers 413 RequestEntityTooLargeException."""
    name = make_function({"app.py": ECHO})
    with pytest.raises(ClientError) as caught:
        lam.invoke(FunctionName=name, Payload=json.dumps("x" * (6 * 1024 * 1024)).encode())
    assert caught.value.response["Error"]["Code"] == "RequestEntityTooLargeException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert "6291456 bytes" in caught.value.response["Error"]["Message"]


def test_an_event_payload_over_1_mb_is_too_large(lam, make_function):
    """API_Invoke.html: for asynchronous invocations, the maximum payload size is 1 MB."""
    name = make_function({"app.py": ECHO})
    with pytest.raises(ClientError) as caught:
        lam.invoke(FunctionName=name, InvocationType="Event", Payload=json.dumps("x" * (1024 * 1024)).encode())
    assert caught.value.response["Error"]["Code"] == "RequestEntityTooLargeException"


def test_a_payload_that_is_not_json_is_invalid_request_content(lam, make_function):
    """API_Invoke.html errors: InvalidRequestContentException (400), the body could not be parsed as JSON."""
    name = make_function({"app.py": ECHO})
    with pytest.raises(ClientError) as caught:
        lam.invoke(FunctionName=name, Payload=b"this is not json")
    assert caught.value.response["Error"]["Code"] == "InvalidRequestContentException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "Could not parse request body into json" in caught.value.response["Error"]["Message"]


def test_the_context_object_describes_the_invocation(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/python-context.html"""
    code = """
def handler(event, context):
    return {"name": context.function_name, "version": context.function_version,
            "memory": str(context.memory_limit_in_mb), "request": context.aws_request_id,
            "arn": context.invoked_function_arn, "remaining": context.get_remaining_time_in_millis(),
            "group": context.log_group_name, "stream": context.log_stream_name}
"""
    name = make_function({"app.py": code}, MemorySize=256, Timeout=7)
    response, payload = invoke(lam, name)
    assert payload["name"] == name and payload["version"] == "$LATEST" and payload["memory"] == "256"
    assert payload["request"] == response["ResponseMetadata"]["RequestId"]
    assert payload["arn"].endswith(f":function:{name}")
    assert 5000 < payload["remaining"] <= 7000
    assert payload["group"] == f"/aws/lambda/{name}" and "[$LATEST]" in payload["stream"]


def test_client_context_reaches_the_handler(lam, make_function):
    """API_Invoke.html: ClientContext, base64 JSON, is passed to the function in the context object."""
    name = make_function({"app.py": "def handler(e, c):\n    return c.client_context is not None\n"})
    context = base64.b64encode(json.dumps({"custom": {"who": "test"}}).encode()).decode()
    assert invoke(lam, name, ClientContext=context)[1] is True


def test_the_environment_holds_lambdas_variables_and_the_functions_own(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime"""
    code = """
import os
def handler(event, context):
    keys = ["AWS_LAMBDA_FUNCTION_NAME", "AWS_REGION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "_HANDLER",
            "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_EXECUTION_ENV", "GREETING", "AWS_SESSION_TOKEN",
            "AWS_ACCESS_KEY_ID", "AWS_ENDPOINT_URL", "TZ"]
    return {key: os.environ.get(key) for key in keys} | {"cwd": os.getcwd()}
"""
    name = make_function({"app.py": code}, Environment={"Variables": {"GREETING": "annyeong"}})
    _, env = invoke(lam, name)
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == name
    assert env["AWS_REGION"] == lam.meta.region_name
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "128"
    assert env["AWS_LAMBDA_INITIALIZATION_TYPE"] == "on-demand"
    assert env["_HANDLER"] == "app.handler"
    assert env["AWS_EXECUTION_ENV"].startswith("AWS_Lambda_python")
    assert env["GREETING"] == "annyeong"
    assert env["LAMBDA_TASK_ROOT"] == env["cwd"]
    assert env["AWS_ACCESS_KEY_ID"].startswith("ASIA") and env["AWS_SESSION_TOKEN"]
    assert env["AWS_ENDPOINT_URL"] == lam.meta.endpoint_url
    assert env["TZ"] == ":UTC"


def test_the_handler_calls_aws_with_its_roles_temporary_credentials(lam, make_function, lambda_role):
    """https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html: the
    function acts as an assumed-role session of its execution role."""
    code = """
import boto3
def handler(event, context):
    return boto3.client("sts").get_caller_identity()["Arn"]
"""
    name = make_function({"app.py": code}, Timeout=30)
    response, arn = invoke(lam, name)
    assert "FunctionError" not in response, arn
    assert arn.startswith("arn:aws:sts::") and ":assumed-role/lambda-runtime-tests/" in arn


def test_a_handler_returning_nothing_answers_null(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html: None is serialised as null."""
    name = make_function({"app.py": "def handler(e, c):\n    pass\n"})
    response = lam.invoke(FunctionName=name)
    assert response["Payload"].read() == b"null"


def test_invoke_async_api_runs_the_function(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/api/API_InvokeAsync.html (deprecated): 202."""
    import helpers

    name = make_function({"app.py": "def handler(e, c):\n    print('legacy', e)\n"})
    response = lam.invoke_async(FunctionName=name, InvokeArgs=b'{"k": 1}')
    assert response["Status"] == 202
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and "legacy {'k': 1}" not in helpers.recent_log_lines(name):
        time.sleep(0.05)
    assert "legacy {'k': 1}" in helpers.recent_log_lines(name)
