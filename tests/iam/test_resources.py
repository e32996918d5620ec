"""Each request is authorized against the ARN of the resource it touches, not against "*".

moto checked every DynamoDB and Lambda request against resource "*", so a user allowed
``dynamodb:GetItem`` on ``table/ausg`` was denied on ausg itself.
"""
from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from helpers.localcloud.identity import ACCOUNT_ID

from .conftest import LAMBDA_TRUST, allow, handler_zip, policy, table_arn, unique


def test_table_scoped_allow_lets_the_user_read_that_table(make, table):
    """Service Authorization Reference, DynamoDB: GetItem acts on the table resource
    arn:aws:dynamodb:<region>:<account>:table/<name>
    (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html)."""
    _, session = make.user(policy(allow("dynamodb:GetItem", table_arn(make.region, table))))
    item = session.client("dynamodb").get_item(TableName=table, Key={"id": {"N": "1"}})["Item"]
    assert item["name"] == {"S": "ausg"}


def test_table_scoped_allow_does_not_open_another_table(make, table):
    """An Allow on one table's ARN says nothing about another table: implicit deny
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html)."""
    other = unique("other")
    arn, session = make.user(policy(allow("dynamodb:GetItem", table_arn(make.region, other))))
    with pytest.raises(ClientError) as denied:
        session.client("dynamodb").get_item(TableName=table, Key={"id": {"N": "1"}})
    assert denied.value.response["Error"]["Code"] == "AccessDeniedException"


def test_query_on_an_index_is_checked_on_the_index_arn(make):
    """Query with IndexName acts on arn:...:table/<name>/index/<index> (DynamoDB service authorization reference)."""
    ddb = boto3.client("dynamodb")
    name = unique("indexed")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"},
                                           {"AttributeName": "email", "AttributeType": "S"}],
                     GlobalSecondaryIndexes=[{"IndexName": "by-email", "Projection": {"ProjectionType": "ALL"},
                                              "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}]}])
    try:
        arn = table_arn(make.region, name)
        _, table_only = make.user(policy(allow("dynamodb:Query", arn)))
        _, index_too = make.user(policy(allow("dynamodb:Query", [arn, f"{arn}/index/*"])))
        query = dict(TableName=name, IndexName="by-email", KeyConditionExpression="email = :e",
                     ExpressionAttributeValues={":e": {"S": "a@example.com"}})
        with pytest.raises(ClientError) as denied:
            table_only.client("dynamodb").query(**query)
        assert f"{arn}/index/by-email" in denied.value.response["Error"]["Message"]
        assert index_too.client("dynamodb").query(**query)["Count"] == 0
    finally:
        ddb.delete_table(TableName=name)


def test_batch_get_item_needs_every_table_it_names(make, table):
    """BatchGetItem is authorized on each table in RequestItems (DynamoDB service authorization reference)."""
    other = unique("other")
    boto3.client("dynamodb").create_table(TableName=other, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                                          AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"}],
                                          BillingMode="PAY_PER_REQUEST")
    try:
        _, session = make.user(policy(allow("dynamodb:BatchGetItem", table_arn(make.region, table))))
        ddb = session.client("dynamodb")
        assert ddb.batch_get_item(RequestItems={table: {"Keys": [{"id": {"N": "1"}}]}})["Responses"][table]
        with pytest.raises(ClientError) as denied:
            ddb.batch_get_item(RequestItems={table: {"Keys": [{"id": {"N": "1"}}]},
                                             other: {"Keys": [{"id": {"N": "1"}}]}})
        assert table_arn(make.region, other) in denied.value.response["Error"]["Message"]
    finally:
        boto3.client("dynamodb").delete_table(TableName=other)


@pytest.fixture
def functions(make):
    """Two functions made by the administrator; deleted afterwards."""
    role = make.role(LAMBDA_TRUST)
    lam = boto3.client("lambda")
    names = [unique("fn"), unique("fn")]
    for name in names:
        lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="index.handler",
                            Code={"ZipFile": handler_zip()})
    yield names
    for name in names:
        lam.delete_function(FunctionName=name)


def test_function_scoped_allow_covers_that_function_only(make, functions):
    """Lambda actions on a function are authorized on its ARN
    (https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html)."""
    allowed, other = functions
    arn = f"arn:aws:lambda:{make.region}:{ACCOUNT_ID}:function:{allowed}"
    _, session = make.user(policy(allow("lambda:GetFunction", arn)))
    lam = session.client("lambda")
    assert lam.get_function(FunctionName=allowed)["Configuration"]["FunctionName"] == allowed
    with pytest.raises(ClientError) as denied:
        lam.get_function(FunctionName=other)
    assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_qualified_call_is_checked_on_the_qualified_arn(make, functions):
    """A policy on the unqualified function ARN does not cover a call naming a version
    (https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html)."""
    name = functions[0]
    arn = f"arn:aws:lambda:{make.region}:{ACCOUNT_ID}:function:{name}"
    _, unqualified = make.user(policy(allow("lambda:GetFunction", arn)))
    _, with_versions = make.user(policy(allow("lambda:GetFunction", [arn, f"{arn}:*"])))
    with pytest.raises(ClientError) as denied:
        unqualified.client("lambda").get_function(FunctionName=name, Qualifier="$LATEST")
    assert f"{arn}:$LATEST" in denied.value.response["Error"]["Message"]
    assert with_versions.client("lambda").get_function(FunctionName=name, Qualifier="$LATEST")


def test_role_scoped_allow_covers_that_role_only(make):
    """IAM actions on a role are authorized on arn:aws:iam::<account>:role/<path><name>
    (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html)."""
    first, second = make.role(LAMBDA_TRUST), make.role(LAMBDA_TRUST)
    _, session = make.user(policy(allow("iam:GetRole", first)))
    iam = session.client("iam")
    assert iam.get_role(RoleName=first.split("/")[-1])["Role"]["Arn"] == first
    with pytest.raises(ClientError) as denied:
        iam.get_role(RoleName=second.split("/")[-1])
    error = denied.value.response["Error"]
    assert error["Code"] == "AccessDenied" and second in error["Message"]


def test_log_group_actions_are_checked_on_the_log_group(make):
    """CloudWatch Logs authorizes log-group calls on arn:...:log-group:<name>:log-stream:
    (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html)."""
    mine, theirs = f"/aws/lambda/{unique('mine')}", f"/aws/lambda/{unique('theirs')}"
    resource = f"arn:aws:logs:{make.region}:{ACCOUNT_ID}:log-group:{mine}:*"
    _, session = make.user(policy(allow(["logs:CreateLogGroup", "logs:DeleteLogGroup"], resource)))
    logs = session.client("logs")
    logs.create_log_group(logGroupName=mine)
    logs.delete_log_group(logGroupName=mine)
    with pytest.raises(ClientError) as denied:
        logs.create_log_group(logGroupName=theirs)
    assert f"log-group:{theirs}:log-stream:" in denied.value.response["Error"]["Message"]


def test_rule_actions_are_checked_on_the_rule(make):
    """EventBridge rules on the default bus are arn:aws:events:<region>:<account>:rule/<name>
    (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html)."""
    mine, theirs = unique("rule"), unique("rule")
    _, session = make.user(policy(allow(["events:PutRule", "events:DeleteRule"],
                                        f"arn:aws:events:{make.region}:{ACCOUNT_ID}:rule/{mine}")))
    events = session.client("events")
    events.put_rule(Name=mine, ScheduleExpression="rate(5 minutes)", State="DISABLED")
    events.delete_rule(Name=mine)
    with pytest.raises(ClientError) as denied:
        events.put_rule(Name=theirs, ScheduleExpression="rate(5 minutes)", State="DISABLED")
    assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
