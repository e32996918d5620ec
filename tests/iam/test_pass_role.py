"""iam:PassRole is checked when a request hands a role to Lambda.

moto never checked it, so any user allowed lambda:CreateFunction could give a function any
role. AWS: "To pass a role ... to an AWS service, a user must have permissions to pass the
role to the service" (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
"""
from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from .conftest import LAMBDA_TRUST, allow, handler_zip, policy, unique


def _create(session, role: str, name: str):
    return session.client("lambda").create_function(FunctionName=name, Runtime="python3.12", Role=role,
                                                    Handler="index.handler", Code={"ZipFile": handler_zip()})


def test_create_function_without_pass_role_is_denied(make):
    role = make.role(LAMBDA_TRUST)
    user_arn, session = make.user(policy(allow("lambda:CreateFunction")))
    with pytest.raises(ClientError) as denied:
        _create(session, role, unique("fn"))
    assert denied.value.response["Error"]["Message"] == (
        f"User: {user_arn} is not authorized to perform: iam:PassRole on resource: {role} "
        "because no identity-based policy allows the iam:PassRole action")


def test_create_function_with_pass_role_to_lambda_is_allowed(make):
    role = make.role(LAMBDA_TRUST)
    _, session = make.user(policy(allow("lambda:CreateFunction"),
                                  allow("iam:PassRole", role,
                                        Condition={"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}})))
    name = unique("fn")
    _create(session, role, name)
    boto3.client("lambda").delete_function(FunctionName=name)


def test_pass_role_to_another_service_does_not_count_for_lambda(make):
    role = make.role(LAMBDA_TRUST)
    _, session = make.user(policy(allow("lambda:CreateFunction"),
                                  allow("iam:PassRole", role,
                                        Condition={"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}})))
    with pytest.raises(ClientError):
        _create(session, role, unique("fn"))


def test_update_function_configuration_with_a_role_needs_pass_role(make):
    first, second = make.role(LAMBDA_TRUST), make.role(LAMBDA_TRUST)
    name = unique("fn")
    _create(boto3.Session(), first, name)
    try:
        _, session = make.user(policy(allow("lambda:UpdateFunctionConfiguration")))
        lam = session.client("lambda")
        lam.update_function_configuration(FunctionName=name, Timeout=10)  # no role: no PassRole needed
        with pytest.raises(ClientError) as denied:
            lam.update_function_configuration(FunctionName=name, Role=second)
        assert f"iam:PassRole on resource: {second}" in denied.value.response["Error"]["Message"]
    finally:
        boto3.client("lambda").delete_function(FunctionName=name)
