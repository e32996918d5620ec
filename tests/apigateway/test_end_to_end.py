"""End to end on the session's local cloud: real Lambda functions (created with boto3) behind an API.

These run once the Lambda runtime extension is registered in the local cloud; each pins a rule
that the in-process tests check with a stand-in runtime, now with the function's own code,
errors and time limits: "Set up Lambda proxy integrations" (input/output format, 502 on a
malformed answer or an unhandled error), "Gateway response types" (INTEGRATION_TIMEOUT 504),
"Handle Lambda errors in API Gateway" (selectionPattern over errorMessage), and "Grant API
Gateway permission to invoke your Lambda function" (500 without it).
"""
from __future__ import annotations

import time
import uuid

import boto3
import pytest
import requests

import helpers
from helpers.testing import lambda_execution_role

HANDLER = '''
import json, time


def handler(event, context):
    path = event.get("path", "")
    if path == "/boom":
        raise ValueError("Bad Request: boom")
    if path == "/sleep":
        time.sleep(float(event["queryStringParameters"]["s"]))
    if path == "/string":
        return "not a proxy answer"
    return {"statusCode": 200, "headers": {"X-Lambda-Request-Id": context.aws_request_id},
            "multiValueHeaders": {"X-Multi": ["a", "b"]}, "body": json.dumps(event)}
'''

CUSTOM = '''
def handler(event, context):
    if event.get("fail"):
        raise ValueError("Bad Request: " + event["fail"])
    return {"received": event}
'''


@pytest.fixture(scope="module")
def cloud(local_cloud):
    connected = helpers.connect("local", quiet=True)
    extensions = requests.get(f"{connected.endpoint}/_localcloud/health", timeout=5).json()["extensions"]
    if "lambda" not in extensions:
        pytest.skip("the local cloud has no Lambda runtime registered yet")
    return connected


@pytest.fixture(scope="module")
def function_factory(cloud):
    iam, lam = boto3.client("iam"), boto3.client("lambda")
    role_name = helpers.name("apigw-e2e-role")
    role = lambda_execution_role(role_name, iam)
    created = []

    def make(source: str, timeout: int = 3, permit: bool = True) -> dict:
        name = helpers.name(f"apigw-e2e-{uuid.uuid4().hex[:8]}")
        function = lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="app.handler",
                                       Code={"ZipFile": helpers.zip_code(source, "app.py")}, Timeout=timeout)
        lam.get_waiter("function_active_v2").wait(FunctionName=name)
        created.append(name)
        if permit:
            lam.add_permission(FunctionName=name, StatementId="apigw", Action="lambda:InvokeFunction",
                               Principal="apigateway.amazonaws.com",
                               SourceArn=f"arn:aws:execute-api:{cloud.region}:{cloud.account}:*/*/*/*")
        return function

    yield make
    for name in created:
        try:
            lam.delete_function(FunctionName=name)
        except lam.exceptions.ResourceNotFoundException:
            pass
    iam.delete_role(RoleName=role_name)


@pytest.fixture(scope="module")
def apis(cloud):
    apigw = boto3.client("apigateway")
    made = []

    def make(function: dict, *, proxy: bool = True, timeout_ms: int | None = None) -> str:
        api = apigw.create_rest_api(name=helpers.name("apigw-e2e"))["id"]
        made.append(api)
        root = apigw.get_resources(restApiId=api)["items"][0]["id"]
        uri = (f"arn:aws:apigateway:{cloud.region}:lambda:path/2015-03-31/functions/"
               f"{function['FunctionArn']}/invocations")
        extra = {"timeoutInMillis": timeout_ms} if timeout_ms else {}
        targets = [root, apigw.create_resource(restApiId=api, parentId=root, pathPart="{proxy+}")["id"]]
        for resource in targets:
            apigw.put_method(restApiId=api, resourceId=resource, httpMethod="ANY", authorizationType="NONE")
            if proxy:
                apigw.put_integration(restApiId=api, resourceId=resource, httpMethod="ANY", type="AWS_PROXY",
                                      integrationHttpMethod="POST", uri=uri, **extra)
            else:
                apigw.put_integration(restApiId=api, resourceId=resource, httpMethod="ANY", type="AWS",
                                      integrationHttpMethod="POST", uri=uri,
                                      requestTemplates={"application/json": "$input.json('$')"}, **extra)
                for status, pattern in (("200", None), ("400", "Bad Request:.*")):
                    apigw.put_method_response(restApiId=api, resourceId=resource, httpMethod="ANY",
                                              statusCode=status)
                    apigw.put_integration_response(
                        restApiId=api, resourceId=resource, httpMethod="ANY", statusCode=status,
                        **({"selectionPattern": pattern,
                            "responseTemplates": {"application/json":
                                                  '{"error": "$input.path(\'$.errorMessage\')"}'}}
                           if pattern else {}))
        apigw.create_deployment(restApiId=api, stageName="e2e")
        return helpers.invoke_url(api, "e2e")

    yield make
    for api in made:
        try:
            apigw.delete_rest_api(restApiId=api)
        except apigw.exceptions.NotFoundException:
            pass


@pytest.fixture(scope="module")
def proxy_url(function_factory, apis):
    return apis(function_factory(HANDLER, timeout=30), timeout_ms=1500)


def test_real_function_receives_the_proxy_event(proxy_url):
    response = requests.get(proxy_url + "/users/7?tag=a&tag=b", headers={"tEsT-HEADeR": "v"})
    assert response.status_code == 200
    event = response.json()
    assert event["resource"] == "/{proxy+}" and event["path"] == "/users/7"
    assert event["pathParameters"] == {"proxy": "users/7"}
    assert event["multiValueQueryStringParameters"] == {"tag": ["a", "b"]}
    assert event["headers"]["tEsT-HEADeR"] == "v"
    assert event["requestContext"]["requestId"] == response.headers["x-amzn-RequestId"]
    assert response.headers["X-Lambda-Request-Id"] != response.headers["x-amzn-RequestId"]
    assert response.headers["X-Multi"] == "a, b"


def test_unhandled_error_and_malformed_answer_are_502(proxy_url):
    for path in ("/boom", "/string"):
        response = requests.get(proxy_url + path)
        assert response.status_code == 502 and response.json() == {"message": "Internal server error"}
    assert requests.get(proxy_url + "/still-fine").status_code == 200


def test_integration_timeout_is_504_and_the_function_keeps_running(proxy_url):
    begin = time.monotonic()
    response = requests.get(proxy_url + "/sleep", params={"s": "3"})
    assert response.status_code == 504
    assert response.json() == {"message": "Endpoint request timed out"}
    assert time.monotonic() - begin < 2.8
    assert requests.get(proxy_url + "/after-timeout").status_code == 200


def test_function_timing_out_by_itself_is_502(function_factory, apis):
    url = apis(function_factory(HANDLER, timeout=1))
    response = requests.get(url + "/sleep", params={"s": "3"})
    assert response.status_code == 502 and response.json() == {"message": "Internal server error"}


def test_without_permission_the_api_answers_500(function_factory, apis):
    url = apis(function_factory(HANDLER, permit=False))
    response = requests.get(url + "/x")
    assert response.status_code == 500 and response.json() == {"message": "Internal server error"}


def test_non_proxy_lambda_with_the_seed_template_and_error_mapping(function_factory, apis):
    url = apis(function_factory(CUSTOM), proxy=False)
    assert requests.post(url + "/", json={"name": "kim"}).json() == {"received": {"name": "kim"}}
    response = requests.post(url + "/", json={"fail": "no name"})
    assert response.status_code == 400 and response.json() == {"error": "Bad Request: no name"}
