"""Bad input to DynamoDB (and a broken policy document) through boto3 against the local cloud.

Notebook 08 shows each of these errors and how to read ``e.response["Error"]``; each test pins
the code and message AWS gives, so the notebook's story holds offline too. The seed's table
shape: ``id`` (number) is the partition key; ``name`` and ``email`` are plain attributes.
"""
from __future__ import annotations

import json
import uuid

import boto3
import pytest
from botocore.exceptions import ClientError

import helpers


@pytest.fixture(scope="module")
def users_table(local_cloud):
    helpers.connect("local", quiet=True)
    client = boto3.client("dynamodb")
    name = helpers.name(f"errors-{uuid.uuid4().hex[:8]}")
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"}],
                        Tags=helpers.tag_list())
    client.get_waiter("table_exists").wait(TableName=name)
    client.put_item(TableName=name, Item={"id": {"N": "1"}, "name": {"S": "Minji Kim"},
                                          "email": {"S": "minji1@example.com"}})
    yield name
    client.delete_table(TableName=name)


def error_of(call) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    return (response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"],
            response["Error"]["Message"])


def test_put_item_with_a_string_id_on_a_number_key_is_a_type_mismatch(users_table, connected):
    """PutItem, "Errors: ValidationException" — the key attribute must have the type of the key schema.

    https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
    """
    status, code, message = error_of(lambda: boto3.client("dynamodb").put_item(
        TableName=users_table, Item={"id": {"S": "7"}, "name": {"S": "x"}}))
    assert (status, code) == (400, "ValidationException")
    assert message == ("One or more parameter values were invalid: Type mismatch for key id "
                       "expected: N actual: S")


def test_get_item_with_a_string_id_on_a_number_key_does_not_match_the_schema(users_table, connected):
    """GetItem with a key of the wrong type: "The provided key element does not match the schema".

    https://repost.aws/knowledge-center/dynamodb-provided-key-element-error (moto finds nothing and
    answers 200; helpers/dynamodb_fixes.py makes it refuse the key as AWS does).
    """
    table = boto3.resource("dynamodb").Table(users_table)
    status, code, message = error_of(lambda: table.get_item(Key={"id": "1"}))
    assert (status, code, message) == (400, "ValidationException",
                                       "The provided key element does not match the schema")


def test_get_item_without_the_partition_key_does_not_match_the_schema(users_table, connected):
    """GetItem "Key: ... you must provide all of the attributes" of the primary key.

    https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
    https://repost.aws/knowledge-center/dynamodb-provided-key-element-error ("you specified only part of a key")
    """
    table = boto3.resource("dynamodb").Table(users_table)
    for key in ({"name": "Minji Kim"}, {"id": 1, "name": "Minji Kim"}, {}):
        status, code, message = error_of(lambda: table.get_item(Key=key))
        assert (status, code, message) == (400, "ValidationException",
                                           "The provided key element does not match the schema"), key


def test_a_key_of_the_right_type_still_reads_the_item(users_table, connected):
    """The schema check refuses only wrong keys: GetItem and DeleteItem with the right key work.

    https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
    """
    table = boto3.resource("dynamodb").Table(users_table)
    assert table.get_item(Key={"id": 1})["Item"]["name"] == "Minji Kim"
    assert "Item" not in table.get_item(Key={"id": 999})
    table.delete_item(Key={"id": 999})  # deleting an item that is not there is not an error


def test_delete_item_with_a_wrong_key_type_does_not_match_the_schema(users_table, connected):
    """DeleteItem takes the same full primary key as GetItem.

    https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html
    """
    status, code, message = error_of(lambda: boto3.client("dynamodb").delete_item(
        TableName=users_table, Key={"id": {"S": "1"}}))
    assert (status, code, message) == (400, "ValidationException",
                                       "The provided key element does not match the schema")


def test_put_item_without_the_key_attribute_says_which_key_is_missing(users_table, connected):
    """PutItem "Item: ... You must provide all of the attributes for the primary key".

    https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
    """
    status, code, message = error_of(lambda: boto3.resource("dynamodb").Table(users_table).put_item(
        Item={"name": "No Id", "email": "noid@example.com"}))
    assert (status, code) == (400, "ValidationException")
    assert message == "One or more parameter values were invalid: Missing the key id in the item"


def test_an_item_over_400_kb_is_refused(users_table, connected):
    """"The maximum item size in DynamoDB is 400 KB, which includes both attribute name binary
    length (UTF-8 length) and attribute value lengths."

    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-items
    """
    table = boto3.resource("dynamodb").Table(users_table)
    status, code, message = error_of(lambda: table.put_item(Item={"id": 2, "bio": "x" * 500_000}))
    assert (status, code, message) == (400, "ValidationException",
                                       "Item size has exceeded the maximum allowed size")
    assert "Item" not in table.get_item(Key={"id": 2})


def test_an_item_well_under_400_kb_is_stored(users_table, connected):
    """The limit is on the item's size, not a refusal of large strings as such (same quota page).

    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-items
    """
    table = boto3.resource("dynamodb").Table(users_table)
    table.put_item(Item={"id": 3, "bio": "x" * 300_000})
    assert len(table.get_item(Key={"id": 3})["Item"]["bio"]) == 300_000


def test_scanning_a_table_that_does_not_exist_is_resource_not_found(connected):
    """Scan, "Errors: ResourceNotFoundException — The operation tried to access a nonexistent table".

    https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html
    """
    status, code, message = error_of(lambda: boto3.client("dynamodb").scan(
        TableName=helpers.name("no-such-table")))
    assert (status, code) == (400, "ResourceNotFoundException")
    assert message.startswith("Requested resource not found")


def test_a_conditional_put_refuses_to_overwrite(users_table, connected):
    """PutItem with ``attribute_not_exists(id)`` on an existing item: ConditionalCheckFailedException.

    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
    """
    table = boto3.resource("dynamodb").Table(users_table)
    status, code, message = error_of(lambda: table.put_item(
        Item={"id": 1, "name": "Someone Else", "email": "else@example.com"},
        ConditionExpression="attribute_not_exists(id)"))
    assert (status, code, message) == (400, "ConditionalCheckFailedException", "The conditional request failed")
    assert table.get_item(Key={"id": 1})["Item"]["name"] == "Minji Kim"


def test_a_float_never_leaves_the_client(users_table, connected):
    """boto3's resource layer refuses float (DynamoDB numbers are exact decimals; use Decimal).

    https://boto3.amazonaws.com/v1/documentation/api/latest/guide/dynamodb.html (notebook 08's
    "why Decimal" relies on this: the error is boto3's, raised before any request)
    """
    table = boto3.resource("dynamodb").Table(users_table)
    with pytest.raises(TypeError, match="Float types are not supported. Use Decimal types instead."):
        table.put_item(Item={"id": 1.5})


@pytest.mark.parametrize("document", [
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}',
    json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Action": "dynamodb:GetItem",
                                                         "Resource": "*"}]}),
], ids=["unclosed-json", "misspelt-effect"])
def test_a_policy_with_a_syntax_error_is_malformed(connected, document):
    """CreatePolicy, "Errors: MalformedPolicyDocument — The request was rejected because the policy
    document was malformed." (HTTP 400); AWS's message for a document that is not valid policy
    grammar is "Syntax errors in policy."

    https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html
    """
    iam = boto3.client("iam")
    name = helpers.name(f"bad-policy-{uuid.uuid4().hex[:6]}")
    status, code, message = error_of(lambda: iam.create_policy(PolicyName=name, PolicyDocument=document))
    assert (status, code, message) == (400, "MalformedPolicyDocument", "Syntax errors in policy.")
    policies = iam.list_policies(Scope="Local")["Policies"]
    assert name not in [p["PolicyName"] for p in policies]


def test_an_inline_role_policy_with_a_syntax_error_is_malformed(connected):
    """PutRolePolicy, "Errors: MalformedPolicyDocument" (the role exists; only the document is wrong).

    https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html
    """
    iam = boto3.client("iam")
    role = helpers.name(f"bad-policy-role-{uuid.uuid4().hex[:6]}")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"Service": "lambda.amazonaws.com"}}]}
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(trust), Tags=helpers.tag_list())
    try:
        status, code, _ = error_of(lambda: iam.put_role_policy(
            RoleName=role, PolicyName="broken", PolicyDocument='{"Version": "2012-10-17", "Statement": ['))
        assert (status, code) == (400, "MalformedPolicyDocument")
        assert iam.list_role_policies(RoleName=role)["PolicyNames"] == []
    finally:
        iam.delete_role(RoleName=role)


def test_every_attribute_type_comes_back_as_written(connected):
    """Scan, GetItem and Query answer each data type as it was put: strings, numbers, booleans, null,
    sets, nested maps and lists, and binary (base64 on the wire). The local cloud writes non-binary
    values on a fast path (helpers/dynamodb_fixes.py); this pins that nothing changes on the way.

    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes
    """
    from decimal import Decimal

    client = boto3.client("dynamodb")
    name = helpers.name(f"types-{uuid.uuid4().hex[:8]}")
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"}], Tags=helpers.tag_list())
    try:
        table = boto3.resource("dynamodb").Table(name)
        plain = {"id": 1, "s": "Kim 김", "n": Decimal("2.5"), "big": Decimal("12345678901234567890123456789012345678"),
                 "yes": True, "nothing": None, "ss": {"a", "b"}, "ns": {Decimal(1), Decimal(2)},
                 "m": {"k": "v", "deep": {"l": [Decimal(1), "two", {"x": False}]}}, "l": [Decimal(1), "a", None]}
        binary = {"id": 2, "b": b"\x00\x01\xff", "bs": {b"a", b"b"}, "m": {"inner": b"zz"}, "s": "with binary"}
        table.put_item(Item=plain)
        table.put_item(Item=binary)
        from boto3.dynamodb.types import Binary

        def normal(item):  # Binary wraps bytes on the way out
            if isinstance(item, Binary):
                return bytes(item)
            if isinstance(item, dict):
                return {k: normal(v) for k, v in item.items()}
            if isinstance(item, (list, tuple)):
                return [normal(v) for v in item]
            if isinstance(item, (set, frozenset)):
                return {normal(v) for v in item}
            return item

        assert normal(table.get_item(Key={"id": 1})["Item"]) == plain
        assert normal(table.get_item(Key={"id": 2})["Item"]) == binary
        scanned = {int(item["id"]): normal(item) for item in table.scan()["Items"]}
        assert scanned == {1: plain, 2: binary}
        queried = table.query(KeyConditionExpression="id = :id", ExpressionAttributeValues={":id": 1})["Items"]
        assert [normal(item) for item in queried] == [plain]
    finally:
        client.delete_table(TableName=name)
