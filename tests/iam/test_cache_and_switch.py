"""Decisions are cached per (principal, action, resource) and dropped on any IAM change;
the switch works at run time; the local cloud's own endpoints and the local identity are
never in the way."""
from __future__ import annotations

import json
import urllib.request

import boto3
import pytest
from botocore.exceptions import ClientError

from helpers.localcloud import client

from .conftest import allow, policy, table_arn


def _get(session, table):
    return session.client("dynamodb").get_item(TableName=table, Key={"id": {"N": "1"}})


def test_removing_a_policy_takes_effect_on_the_next_request(make, table):
    user_arn, session = make.user(policy(allow("dynamodb:GetItem", table_arn(make.region, table))))
    user = user_arn.split("/")[-1]
    _get(session, table)
    _get(session, table)  # now cached
    make.iam.delete_user_policy(UserName=user, PolicyName="test")
    with pytest.raises(ClientError):
        _get(session, table)
    make.iam.put_user_policy(UserName=user, PolicyName="again",
                             PolicyDocument=policy(allow("dynamodb:GetItem", table_arn(make.region, table))))
    _get(session, table)


def test_group_membership_change_takes_effect_on_the_next_request(make, table):
    user_arn, session = make.user()
    user = user_arn.split("/")[-1]
    group = f"{user}-group"
    make.iam.create_group(GroupName=group)
    make.iam.put_group_policy(GroupName=group, PolicyName="read", PolicyDocument=policy(allow("dynamodb:GetItem")))
    try:
        with pytest.raises(ClientError):
            _get(session, table)
        make.iam.add_user_to_group(GroupName=group, UserName=user)
        _get(session, table)
        make.iam.remove_user_from_group(GroupName=group, UserName=user)
        with pytest.raises(ClientError):
            _get(session, table)
    finally:
        make.iam.delete_group_policy(GroupName=group, PolicyName="read")
        make.iam.delete_group(GroupName=group)


def test_deactivated_key_is_refused_at_once(make, table):
    user_arn, session = make.user(policy(allow("dynamodb:GetItem")))
    _get(session, table)
    make.iam.update_access_key(UserName=user_arn.split("/")[-1], AccessKeyId=session.get_credentials().access_key,
                               Status="Inactive")
    with pytest.raises(ClientError) as refused:
        _get(session, table)
    assert refused.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_switching_enforcement_off_at_run_time_lets_requests_through(make, table, local_cloud):
    _, session = make.user(policy(allow("dynamodb:PutItem")))
    with pytest.raises(ClientError):
        _get(session, table)
    client.set_settings(local_cloud.url, COURSE_IAM_ENFORCE=False)
    assert _get(session, table)["Item"]
    client.set_settings(local_cloud.url, COURSE_IAM_ENFORCE=True)
    with pytest.raises(ClientError):
        _get(session, table)


def test_local_identity_keeps_working_everywhere(enforcing):
    """The learner's administrator (inline AdministratorAccess) is allowed every service's calls."""
    assert boto3.client("sts").get_caller_identity()["Arn"].endswith(":user/course-admin")
    boto3.client("dynamodb").list_tables()
    boto3.client("lambda").list_functions()
    boto3.client("apigateway").get_rest_apis()
    boto3.client("iam").list_roles()
    boto3.client("logs").describe_log_groups()
    boto3.client("events").list_rules()


def test_admin_endpoints_are_never_enforced(enforcing, local_cloud):
    for path in ("/_localcloud/health", "/_localcloud/settings"):
        with urllib.request.urlopen(local_cloud.url + path, timeout=10) as answer:
            assert answer.status == 200
    assert client.get_settings(local_cloud.url)["COURSE_IAM_ENFORCE"] is True


def test_get_caller_identity_is_never_denied(make):
    """"No permissions are required to perform this operation"
    (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html)."""
    user_arn, session = make.user(policy({"Effect": "Deny", "Action": "*", "Resource": "*"}))
    assert session.client("sts").get_caller_identity()["Arn"] == user_arn
