"""Failures as Lambda reports them, and a local cloud that survives every one of them."""
from __future__ import annotations

import json

import pytest
import requests

from .support import invoke, report_of, tail_of


def assert_still_serving(lam, make_function):
    """The local cloud still answers and still runs code."""
    name = make_function({"app.py": "def handler(e, c):\n    return 'alive'\n"})
    assert invoke(lam, name)[1] == "alive"


def test_an_unhandled_exception_is_an_unhandled_function_error(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/python-exceptions.html: FunctionError
    Unhandled, payload {errorMessage, errorType, requestId, stackTrace}; still HTTP 200."""
    code = "def handler(event, context):\n    raise ValueError('bad input: ' + str(event['x']))\n"
    name = make_function({"app.py": code})
    response, error = invoke(lam, name, {"x": 3}, LogType="Tail")
    assert response["StatusCode"] == 200
    assert response["FunctionError"] == "Unhandled"
    assert error["errorType"] == "ValueError"
    assert error["errorMessage"] == "bad input: 3"
    assert error["requestId"] == response["ResponseMetadata"]["RequestId"]
    assert any("app.py" in frame and "handler" in frame for frame in error["stackTrace"])
    assert "[ERROR] ValueError: bad input: 3" in tail_of(response)


@pytest.mark.parametrize("files, handler, error_type, message", [
    ({"app.py": "import not_installed_anywhere\ndef handler(e, c):\n    pass\n"}, "app.handler",
     "Runtime.ImportModuleError", "Unable to import module 'app': No module named 'not_installed_anywhere'"),
    ({"app.py": "def handler(e, c):\n    pass\n"}, "missing.handler",
     "Runtime.ImportModuleError", "Unable to import module 'missing'"),
    ({"app.py": "def other(e, c):\n    pass\n"}, "app.handler",
     "Runtime.HandlerNotFound", "Handler 'handler' missing on module 'app'"),
    ({"app.py": "def handler(e, c)\n    pass\n"}, "app.handler",
     "Runtime.UserCodeSyntaxError", "Syntax error in module 'app'"),
], ids=["import-error", "no-such-module", "handler-not-found", "syntax-error"])
def test_init_failures_name_their_cause(lam, make_function, files, handler, error_type, message):
    """https://docs.aws.amazon.com/lambda/latest/dg/python-exceptions.html and
    https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html#runtimes-api-initerror"""
    name = make_function(files, handler=handler)
    response, error = invoke(lam, name, LogType="Tail")
    assert response["FunctionError"] == "Unhandled"
    assert error["errorType"] == error_type
    assert error["errorMessage"].startswith(message)
    assert f"Error Type: {error_type}" in report_of(response)


def test_a_timeout_stops_the_invocation_and_discards_the_environment(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html: the invocation
    ends with "Task timed out after N.NN seconds" (Sandbox.Timedout); the environment is reset."""
    code = """
import os, time
def handler(event, context):
    if event.get("sleep"):
        time.sleep(event["sleep"])
    return os.getpid()
"""
    name = make_function({"app.py": code}, Timeout=1)
    first_pid = invoke(lam, name)[1]
    response, error = invoke(lam, name, {"sleep": 5}, LogType="Tail")
    request_id = response["ResponseMetadata"]["RequestId"]
    assert response["FunctionError"] == "Unhandled"
    assert error == {"errorMessage": f"RequestId: {request_id} Error: Task timed out after 1.00 seconds",
                     "errorType": "Sandbox.Timedout"}
    assert f"{request_id} Task timed out after 1.00 seconds" in tail_of(response)
    assert "Status: timeout" in report_of(response)
    response, pid = invoke(lam, name, LogType="Tail")
    assert pid != first_pid and "Init Duration" in report_of(response)


def test_going_above_the_memory_size_kills_the_environment(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html: a function over its
    memory is stopped: Runtime.ExitError, "Runtime exited with error: signal: killed"."""
    code = """
def handler(event, context):
    hog = b"x" * (event["mb"] * 1024 * 1024)
    return len(hog)
"""
    name = make_function({"app.py": code}, MemorySize=128)
    assert invoke(lam, name, {"mb": 10})[1] == 10 * 1024 * 1024
    response, error = invoke(lam, name, {"mb": 300}, LogType="Tail")
    request_id = response["ResponseMetadata"]["RequestId"]
    assert response["FunctionError"] == "Unhandled"
    assert error == {"errorType": "Runtime.ExitError",
                     "errorMessage": f"RequestId: {request_id} Error: Runtime exited with error: signal: killed"}
    assert "Max Memory Used: 128 MB" in report_of(response)
    assert "Runtime.ExitError" in tail_of(response)
    assert invoke(lam, name, {"mb": 1})[1] == 1024 * 1024


@pytest.mark.parametrize("ending, reason", [
    ("import sys; sys.exit(3)", "exit status 3"),
    ("import os; os._exit(1)", "exit status 1"),
    ("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)", "signal: segmentation fault"),
], ids=["sys-exit", "os-exit", "segfault"])
def test_a_process_that_dies_is_a_runtime_exit_error(lam, make_function, ending, reason):
    """A crashing runtime is reported as Runtime.ExitError, and the next invoke starts afresh
    (lambda-runtime-environment.html, "Failures during the invoke phase")."""
    name = make_function({"app.py": f"def handler(event, context):\n    if event.get('die'):\n        {ending}\n    return 'ok'\n"})
    response, error = invoke(lam, name, {"die": True})
    assert response["FunctionError"] == "Unhandled"
    assert error["errorType"] == "Runtime.ExitError"
    assert error["errorMessage"].endswith(f"Error: Runtime exited with error: {reason}")
    assert invoke(lam, name)[1] == "ok"


def test_a_response_over_6_mb_is_a_function_error(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html: 6 MB response
    quota; the invocation fails with Function.ResponseSizeTooLarge."""
    name = make_function({"app.py": "def handler(e, c):\n    return 'x' * (7 * 1024 * 1024)\n"})
    response, error = invoke(lam, name)
    assert response["FunctionError"] == "Unhandled"
    assert error["errorType"] == "Function.ResponseSizeTooLarge"


def test_a_module_that_exits_during_init_is_reported(lam, make_function):
    """An init that never reaches the Runtime API fails the invoke with Runtime.ExitError."""
    name = make_function({"app.py": "import os\nos._exit(2)\ndef handler(e, c):\n    pass\n"})
    response, error = invoke(lam, name)
    assert response["FunctionError"] == "Unhandled"
    assert error["errorType"] == "Runtime.ExitError"
    assert "exit status 2" in error["errorMessage"]


def test_the_local_cloud_survives_every_failure(lam, make_function, local_cloud):
    """Crashes, hangs and memory hogs above never took the server down."""
    health = requests.get(f"{local_cloud.url}/_localcloud/health", timeout=5).json()
    assert health["status"] == "ok" and health["pid"] == local_cloud.pid
    assert_still_serving(lam, make_function)


def test_create_function_refuses_a_role_lambda_cannot_assume(lam, connected):
    """https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html: the trust
    policy must allow lambda.amazonaws.com; else InvalidParameterValueException."""
    import boto3

    from helpers.packaging import zip_code

    iam = boto3.client("iam")
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    try:
        role = iam.create_role(RoleName="lrt-ec2-only", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    except iam.exceptions.EntityAlreadyExistsException:
        role = iam.get_role(RoleName="lrt-ec2-only")["Role"]["Arn"]
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as caught:
        lam.create_function(FunctionName="lrt-wrong-role", Runtime="python3.12", Role=role,
                            Handler="app.handler", Code={"ZipFile": zip_code("x = 1", "app.py")})
    assert caught.value.response["Error"]["Message"] == "The role defined for the function cannot be assumed by Lambda."


def test_more_than_five_layers_are_refused(lam, make_function, connected):
    """https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html: 5 layers per function."""
    from helpers.packaging import zip_files

    arn = lam.publish_layer_version(LayerName="lrt-tiny", Content={"ZipFile": zip_files({"python/tiny.py": "x = 1"})})[
        "LayerVersionArn"]
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        make_function({"app.py": "def handler(e, c):\n    pass\n"}, Layers=[arn] * 6)


def test_a_package_over_250_mb_unzipped_is_refused(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html: 250 MB unzipped."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.bin", b"\0" * (251 * 1024 * 1024))
        archive.writestr("app.py", "def handler(e, c):\n    pass\n")
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as caught:
        make_function(buffer.getvalue())
    assert "262144000 bytes" in caught.value.response["Error"]["Message"]
