"""AWS managed policies exist, so the course attaches them by ARN as on AWS
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies)."""
from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from .conftest import LAMBDA_TRUST

READ_ONLY = "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess"
BASIC_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"


def test_dynamodb_read_only_access_attached_by_arn_reads_but_does_not_write(make, table):
    user_arn, session = make.user()
    make.iam.attach_user_policy(UserName=user_arn.split("/")[-1], PolicyArn=READ_ONLY)
    ddb = session.client("dynamodb")
    assert ddb.get_item(TableName=table, Key={"id": {"N": "1"}})["Item"]
    with pytest.raises(ClientError) as denied:
        ddb.put_item(TableName=table, Item={"id": {"N": "9"}})
    assert denied.value.response["Error"]["Code"] == "AccessDeniedException"


def test_lambda_basic_execution_role_is_attachable_and_readable(make):
    role = make.role(LAMBDA_TRUST)
    iam = boto3.client("iam")
    iam.attach_role_policy(RoleName=role.split("/")[-1], PolicyArn=BASIC_EXECUTION)
    managed = iam.get_policy(PolicyArn=BASIC_EXECUTION)["Policy"]
    document = iam.get_policy_version(PolicyArn=BASIC_EXECUTION, VersionId=managed["DefaultVersionId"])
    actions = {a for s in document["PolicyVersion"]["Document"]["Statement"] for a in
               (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])}
    assert {"logs:CreateLogStream", "logs:PutLogEvents"} <= actions
