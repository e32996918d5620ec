"""AccessDenied as each service answers it, with the message AWS writes.

moto answered DynamoDB's AccessDenied with an XML body, which botocore read as error code
'403'. AWS: HTTP 400, JSON ``__type`` ...#AccessDeniedException, and a message naming the
principal, the action and the resource
(https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
"""
from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from .conftest import allow, deny, policy, table_arn


def test_dynamodb_access_denied_is_json_access_denied_exception(make, table):
    """DynamoDB errors are JSON with HTTP 400
    (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html)."""
    user_arn, session = make.user(policy(allow("dynamodb:PutItem")))
    with pytest.raises(ClientError) as denied:
        session.client("dynamodb").get_item(TableName=table, Key={"id": {"N": "1"}})
    response = denied.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["Error"]["Code"] == "AccessDeniedException"
    assert response["Error"]["Message"] == (
        f"User: {user_arn} is not authorized to perform: dynamodb:GetItem on resource: "
        f"{table_arn(make.region, table)} because no identity-based policy allows the dynamodb:GetItem action")


def test_explicit_deny_says_so(make, table):
    """An explicit Deny wins over an Allow, and the message says "with an explicit deny"."""
    user_arn, session = make.user(policy(allow("dynamodb:*"), deny("dynamodb:GetItem", table_arn(make.region, table))))
    with pytest.raises(ClientError) as denied:
        session.client("dynamodb").get_item(TableName=table, Key={"id": {"N": "1"}})
    assert denied.value.response["Error"]["Message"].endswith(
        "with an explicit deny in an identity-based policy")


def test_iam_access_denied_is_query_xml_access_denied(make):
    """IAM (query protocol) answers 403 with Code AccessDenied."""
    user_arn, session = make.user(policy(allow("dynamodb:*")))
    with pytest.raises(ClientError) as denied:
        session.client("iam").list_users()
    response = denied.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert response["Error"]["Code"] == "AccessDenied"
    assert response["Error"]["Message"].startswith(f"User: {user_arn} is not authorized to perform: iam:ListUsers")
