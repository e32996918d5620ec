"""The notebook helpers around Lambda: zipping, waiting, retrying while a role propagates, reading logs."""
from __future__ import annotations

import json
import time

import pytest

import helpers
from helpers.errors import CourseError

from .support import invoke


def test_wait_until_active_returns_the_configuration(lam, make_function):
    """https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html"""
    name = make_function({"app.py": "def handler(e, c):\n    return 1\n"})
    config = helpers.wait_until_active(name)
    assert config["State"] == "Active" and config["FunctionName"] == name
    assert helpers.wait_until_updated(name)["LastUpdateStatus"] == "Successful"


def test_when_role_ready_returns_the_calls_answer(lam, lambda_role):
    name = f"lrt-ready-{int(time.time() * 1000)}"
    answer = helpers.when_role_ready(lambda: lam.create_function(
        FunctionName=name, Runtime="python3.12", Role=lambda_role, Handler="app.handler",
        Code={"ZipFile": helpers.zip_code("def handler(e, c):\n    return 1\n", "app.py")}))
    lam.delete_function(FunctionName=name)
    assert answer["FunctionName"] == name


def test_when_role_ready_does_not_retry_a_real_trust_problem_offline(lam, connected):
    """Offline, the role exists at once: the same error means the trust policy is wrong, so no retry."""
    import boto3

    iam = boto3.client("iam")
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    try:
        role = iam.create_role(RoleName="lrt-ec2-only-2", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    except iam.exceptions.EntityAlreadyExistsException:
        role = iam.get_role(RoleName="lrt-ec2-only-2")["Role"]["Arn"]
    started = time.monotonic()
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        helpers.when_role_ready(lambda: lam.create_function(
            FunctionName="lrt-never", Runtime="python3.12", Role=role, Handler="app.handler",
            Code={"ZipFile": helpers.zip_code("x = 1\n", "app.py")}))
    assert time.monotonic() - started < 1.5


def test_update_function_configuration_refuses_a_role_lambda_cannot_assume(lam, make_function):
    import boto3

    iam = boto3.client("iam")
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    try:
        role = iam.create_role(RoleName="lrt-ec2-only-3", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    except iam.exceptions.EntityAlreadyExistsException:
        role = iam.get_role(RoleName="lrt-ec2-only-3")["Role"]["Arn"]
    name = make_function({"app.py": "def handler(e, c):\n    return 1\n"})
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.update_function_configuration(FunctionName=name, Role=role)


def test_zip_helpers_say_what_is_wrong(tmp_path):
    with pytest.raises(CourseError, match="non-empty string"):
        helpers.zip_code("")
    with pytest.raises(CourseError, match="does not exist"):
        helpers.zip_path(tmp_path / "missing.py")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CourseError, match="empty folder"):
        helpers.zip_path(tmp_path / "empty")


def test_recent_log_lines_and_reports(lam, make_function):
    name = make_function({"app.py": "def handler(e, c):\n    print('line', e['n'])\n"})
    for n in range(3):
        invoke(lam, name, {"n": n})
    lines = helpers.recent_log_lines(name)
    assert [line for line in lines if line.startswith("line ")] == ["line 0", "line 1", "line 2"]
    reports = helpers.recent_reports(name)
    assert [report["cold"] for report in reports] == [True, False, False]


def test_invocation_log_gives_up_with_a_clear_message(lam, make_function):
    name = make_function({"app.py": "def handler(e, c):\n    return 1\n"})
    with pytest.raises(TimeoutError, match="no REPORT line for request"):
        helpers.invocation_log(name, "00000000-0000-0000-0000-000000000000", timeout=0.2)
