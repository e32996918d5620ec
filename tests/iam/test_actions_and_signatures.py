"""Action names as AWS spells them, and signatures checked on the bytes really sent.

moto checked Lambda's Invoke as ``lambda:Invoke`` (AWS: ``lambda:InvokeFunction``) and API
Gateway by operation name (AWS: ``apigateway:<HTTP method>`` on the request path), and
rebuilt bodiless requests with a body they never had, so every GET to Lambda or API Gateway
failed with SignatureDoesNotMatch even for a user allowed everything.
"""
from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from helpers.localcloud.identity import ACCOUNT_ID

from .conftest import LAMBDA_TRUST, allow, handler_zip, policy, unique


@pytest.fixture
def function(make):
    role = make.role(LAMBDA_TRUST)
    name = unique("fn")
    boto3.client("lambda").create_function(FunctionName=name, Runtime="python3.12", Role=role,
                                           Handler="index.handler", Code={"ZipFile": handler_zip()})
    yield name
    boto3.client("lambda").delete_function(FunctionName=name)


def test_invoke_is_authorized_as_lambda_invoke_function(make, function):
    """The Invoke API is the lambda:InvokeFunction action; DryRun only checks the permission
    (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html,
    https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html)."""
    arn = f"arn:aws:lambda:{make.region}:{ACCOUNT_ID}:function:{function}"
    _, session = make.user(policy(allow("lambda:InvokeFunction", arn)))
    answer = session.client("lambda").invoke(FunctionName=function, InvocationType="DryRun")
    assert answer["StatusCode"] == 204


def test_invoke_denied_names_lambda_invoke_function(make, function):
    """The AccessDenied message names the action as AWS does: lambda:InvokeFunction."""
    _, session = make.user(policy(allow("lambda:GetFunction")))
    with pytest.raises(ClientError) as denied:
        session.client("lambda").invoke(FunctionName=function, InvocationType="DryRun")
    assert "perform: lambda:InvokeFunction on resource: arn:aws:lambda:" in denied.value.response["Error"]["Message"]


def test_api_gateway_is_authorized_by_http_method_on_the_path(make):
    """API Gateway management: apigateway:GET/POST/... on arn:aws:apigateway:<region>::/restapis...
    (https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html,
    https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonapigatewaymanagement.html)."""
    _, session = make.user(policy(allow("apigateway:GET", f"arn:aws:apigateway:{make.region}::/restapis*")))
    apigw = session.client("apigateway")
    assert "items" in apigw.get_rest_apis()
    with pytest.raises(ClientError) as denied:
        apigw.create_rest_api(name=unique("api"))
    error = denied.value.response["Error"]
    assert error["Code"] == "AccessDeniedException"
    assert f"apigateway:POST on resource: arn:aws:apigateway:{make.region}::/restapis" in error["Message"]


def test_bodiless_requests_pass_the_signature_check(make, function):
    """SigV4 hashes the payload actually sent, the empty one included
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html)."""
    _, session = make.user(policy(allow("*")))
    lam, apigw = session.client("lambda"), session.client("apigateway")
    assert lam.list_functions()["Functions"] is not None
    assert lam.get_function(FunctionName=function)["Configuration"]["FunctionName"] == function
    assert lam.invoke(FunctionName=function, InvocationType="DryRun")["StatusCode"] == 204  # no payload
    assert "items" in apigw.get_rest_apis()
    name = unique("api")
    api = apigw.create_rest_api(name=name)["id"]
    assert apigw.get_resources(restApiId=api)["items"]
    apigw.delete_rest_api(restApiId=api)


def test_wrong_secret_fails_the_signature_check(make):
    """A key signed with the wrong secret is refused (DynamoDB: InvalidSignatureException, IAM: SignatureDoesNotMatch)."""
    arn, session = make.user(policy(allow("*")))
    key = session.get_credentials().access_key
    forged = boto3.Session(aws_access_key_id=key, aws_secret_access_key="not-the-secret", region_name=make.region)
    with pytest.raises(ClientError) as ddb_error:
        forged.client("dynamodb").list_tables()
    assert ddb_error.value.response["Error"]["Code"] == "InvalidSignatureException"
    with pytest.raises(ClientError) as iam_error:
        forged.client("iam").list_users()
    assert iam_error.value.response["Error"]["Code"] == "SignatureDoesNotMatch"


def test_unknown_key_is_refused(enforcing):
    """An access key nobody owns: UnrecognizedClientException (DynamoDB), InvalidClientTokenId (STS)
    (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html)."""
    stranger = boto3.Session(aws_access_key_id="AKIAUNKNOWNKEY000001", aws_secret_access_key="x",
                             region_name=enforcing.region)
    with pytest.raises(ClientError) as ddb_error:
        stranger.client("dynamodb").list_tables()
    assert ddb_error.value.response["Error"]["Code"] == "UnrecognizedClientException"
    with pytest.raises(ClientError) as sts_error:
        stranger.client("sts").get_caller_identity()
    assert sts_error.value.response["Error"]["Code"] == "InvalidClientTokenId"
