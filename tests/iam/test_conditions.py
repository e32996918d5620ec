"""Condition blocks are evaluated, not waved through.

moto let a Condition-restricted Allow allow everything it named (it only knew a few trust
policy keys). Operators and keys: IAM User Guide, "Condition operators"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
and "AWS global condition context keys"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
"""
from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from .conftest import allow, deny, policy, table_arn, unique


def _tagged_table(team: str) -> str:
    name = unique(f"table-{team}")
    boto3.client("dynamodb").create_table(
        TableName=name, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"}], BillingMode="PAY_PER_REQUEST",
        Tags=[{"Key": "team", "Value": team}])
    return name


def test_resource_tag_condition_allows_only_matching_tables(make):
    """StringEquals on aws:ResourceTag/<key> compares the tags of the table the request touches."""
    blue, red = _tagged_table("blue"), _tagged_table("red")
    try:
        _, session = make.user(policy(allow("dynamodb:GetItem", "*",
                                            Condition={"StringEquals": {"aws:ResourceTag/team": "blue"}})))
        ddb = session.client("dynamodb")
        ddb.get_item(TableName=blue, Key={"id": {"N": "1"}})
        with pytest.raises(ClientError):
            ddb.get_item(TableName=red, Key={"id": {"N": "1"}})
    finally:
        for name in (blue, red):
            boto3.client("dynamodb").delete_table(TableName=name)


def test_request_tag_condition_requires_the_tag_on_create(make):
    """aws:RequestTag/<key> is the tag sent in the request (CreateTable Tags)."""
    _, session = make.user(policy(allow("dynamodb:CreateTable", "*",
                                        Condition={"StringEquals": {"aws:RequestTag/course": "aws-serverless-notebooks"}})))
    ddb = session.client("dynamodb")
    spec = dict(KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"}])
    with pytest.raises(ClientError):
        ddb.create_table(TableName=unique("untagged"), **spec)
    name = unique("tagged")
    ddb.create_table(TableName=name, Tags=[{"Key": "course", "Value": "aws-serverless-notebooks"}], **spec)
    boto3.client("dynamodb").delete_table(TableName=name)


def test_string_like_condition_on_the_principal(make, table):
    """StringLike with wildcards on aws:username (a single-valued principal key)."""
    _, session = make.user(policy(allow("dynamodb:GetItem", table_arn(make.region, table),
                                        Condition={"StringLike": {"aws:username": "iamt-user-*"}})))
    session.client("dynamodb").get_item(TableName=table, Key={"id": {"N": "1"}})
    _, outsider = make.user(policy(allow("dynamodb:GetItem", table_arn(make.region, table),
                                         Condition={"StringLike": {"aws:username": "admin-*"}})))
    with pytest.raises(ClientError):
        outsider.client("dynamodb").get_item(TableName=table, Key={"id": {"N": "1"}})


def test_arn_like_condition_on_the_principal_arn(make, table):
    """ArnLike matches each colon-separated part of the ARN, wildcards included."""
    _, session = make.user(policy(allow("dynamodb:GetItem", table_arn(make.region, table),
                                        Condition={"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:user/iamt-*"}})))
    session.client("dynamodb").get_item(TableName=table, Key={"id": {"N": "1"}})
    _, outsider = make.user(policy(allow("dynamodb:GetItem", table_arn(make.region, table),
                                         Condition={"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}})))
    with pytest.raises(ClientError):
        outsider.client("dynamodb").get_item(TableName=table, Key={"id": {"N": "1"}})


def test_negated_operator_holds_when_the_key_is_absent(make, table):
    """"If the key ... is not present in the request context ... StringNotLike ... the condition is true":
    a Deny guarded by StringNotEquals on a tag the table lacks applies."""
    _, session = make.user(policy(allow("dynamodb:GetItem"),
                                  deny("dynamodb:GetItem", "*",
                                       Condition={"StringNotEquals": {"aws:ResourceTag/team": "blue"}})))
    with pytest.raises(ClientError) as denied:
        session.client("dynamodb").get_item(TableName=table, Key={"id": {"N": "1"}})
    assert "explicit deny" in denied.value.response["Error"]["Message"]


def test_unsupported_condition_key_never_matches(make, table):
    """A key the local cloud cannot fill (dynamodb:LeadingKeys) makes its statement not apply, never allow."""
    _, session = make.user(policy(allow("dynamodb:GetItem", table_arn(make.region, table),
                                        Condition={"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["1"]}})))
    with pytest.raises(ClientError):
        session.client("dynamodb").get_item(TableName=table, Key={"id": {"N": "1"}})
