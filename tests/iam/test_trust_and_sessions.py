"""Roles: trust policies, AssumeRole, and what the temporary credentials may do.

moto refused AssumeRole whenever the trust policy named the account root
(``arn:aws:iam::<account>:root``), which AWS allows when the caller's own policy allows
sts:AssumeRole - the account delegates the decision to its IAM policies
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts,
https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html).
"""
from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from helpers.localcloud.identity import ACCOUNT_ID

from .conftest import LAMBDA_TRUST, allow, policy, table_arn, unique

ROOT_TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"}, "Action": "sts:AssumeRole"}]}


def _assume(session, role_arn: str, **extra) -> dict:
    return session.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="test", **extra)["Credentials"]


def _as(make, credentials: dict):
    import boto3

    return boto3.Session(aws_access_key_id=credentials["AccessKeyId"],
                         aws_secret_access_key=credentials["SecretAccessKey"],
                         aws_session_token=credentials["SessionToken"], region_name=make.region)


def test_trust_in_the_account_root_with_an_allowing_policy_assumes_the_role(make):
    role = make.role(ROOT_TRUST)
    _, session = make.user(policy(allow("sts:AssumeRole", role)))
    credentials = _assume(session, role)
    assert credentials["AccessKeyId"] and credentials["SessionToken"] and credentials["Expiration"]


def test_trust_in_the_account_root_without_an_allowing_policy_is_denied(make):
    role = make.role(ROOT_TRUST)
    user_arn, session = make.user(policy(allow("dynamodb:*")))
    with pytest.raises(ClientError) as denied:
        _assume(session, role)
    error = denied.value.response["Error"]
    assert error["Code"] == "AccessDenied"
    assert error["Message"] == f"User: {user_arn} is not authorized to perform: sts:AssumeRole on resource: {role}"


def test_trust_naming_the_user_needs_no_identity_policy(make):
    """A resource-based policy naming the principal allows it within the account on its own
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html)."""
    name = unique("user")
    user_arn = f"arn:aws:iam::{ACCOUNT_ID}:user/{name}"
    _, session = make.user(None, name=name)
    role = make.role({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": user_arn}, "Action": "sts:AssumeRole"}]})
    assert _assume(session, role)["AccessKeyId"]


def test_a_role_for_lambda_cannot_be_assumed_by_a_user(make):
    role = make.role(LAMBDA_TRUST)
    _, session = make.user(policy(allow("sts:AssumeRole")))
    with pytest.raises(ClientError):
        _assume(session, role)


def test_role_session_acts_with_the_role_policies(make, table):
    """Temporary credentials carry the role's permissions and show as assumed-role/<role>/<session>."""
    role = make.role(ROOT_TRUST, policy(allow("dynamodb:GetItem", table_arn(make.region, table))))
    _, session = make.user(policy(allow("sts:AssumeRole", role)))
    as_role = _as(make, _assume(session, role))
    name = role.split("/")[-1]
    assert as_role.client("sts").get_caller_identity()["Arn"] == f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/{name}/test"
    assert as_role.client("dynamodb").get_item(TableName=table, Key={"id": {"N": "1"}})["Item"]
    with pytest.raises(ClientError) as denied:
        as_role.client("dynamodb").put_item(TableName=table, Item={"id": {"N": "2"}})
    assert f"assumed-role/{name}/test is not authorized to perform: dynamodb:PutItem" in \
        denied.value.response["Error"]["Message"]


def test_session_policy_narrows_the_role(make, table):
    """A session policy passed to AssumeRole limits the session to the intersection
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session)."""
    role = make.role(ROOT_TRUST, policy(allow("dynamodb:*")))
    _, session = make.user(policy(allow("sts:AssumeRole", role)))
    narrow = json.dumps({"Version": "2012-10-17", "Statement": [allow("dynamodb:PutItem")]})
    as_role = _as(make, _assume(session, role, Policy=narrow))
    as_role.client("dynamodb").put_item(TableName=table, Item={"id": {"N": "3"}})
    with pytest.raises(ClientError) as denied:
        as_role.client("dynamodb").get_item(TableName=table, Key={"id": {"N": "1"}})
    assert "because no session policy allows" in denied.value.response["Error"]["Message"]
