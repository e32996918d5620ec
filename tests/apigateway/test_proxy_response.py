"""What API Gateway does with a proxy Lambda's answer, its errors, permissions and time limits.

Conformance with "Set up Lambda proxy integrations" → "Output format of a Lambda function for
proxy integration"
(https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format):
"If the function output is of a different format, API Gateway returns a 502 Bad Gateway error
response"; LocalStack's AWS-validated test_aws_proxy_response_payload_format_validation and
test_lambda_aws_proxy_response_format; "Return binary media from a Lambda proxy integration";
"Gateway response types" (INTEGRATION_TIMEOUT 504); "Grant API Gateway permission to invoke
your Lambda function" (set-up-lambda-proxy-integration-using-cli: add-permission).
"""
from __future__ import annotations

import base64
import time

import pytest

from .conftest import REGION, Raw, lambda_uri

INTERNAL = {"message": "Internal server error"}


@pytest.fixture(scope="module")
def answer(gw, http):
    """A stage whose Lambda returns whatever the test puts in ``box['value']`` (or raises it)."""
    box = {}

    def handler(event):
        value = box["value"]
        if isinstance(value, Exception):
            raise value
        return value

    function = gw.function(handler)
    api, root = gw.rest_api("answers", binaryMediaTypes=["image/png"])
    gw.proxy_method(api, root, function)
    gw.deploy(api)
    base = gw.base(api)

    def call(value, **kwargs):
        box["value"] = value
        return http.get(base + "/", **kwargs)

    return call


def test_status_headers_and_body_pass_through(answer):
    response = answer({"statusCode": 201, "headers": {"X-Custom": "yes"}, "body": "created"})
    assert response.status_code == 201 and response.text == "created"
    assert response.headers["X-Custom"] == "yes"


def test_missing_content_type_defaults_to_json(answer):
    response = answer({"statusCode": 200, "body": "{}"})
    assert response.headers["Content-Type"] == "application/json"


def test_only_headers_or_no_body_is_an_empty_200(answer):
    """snapshot invoke-api-only-headers / no-body: 200 with an empty body."""
    response = answer({"headers": {"test-header": "value"}})
    assert response.status_code == 200 and response.content == b""
    assert response.headers["test-header"] == "value"
    assert answer({"statusCode": 200}).content == b""


def test_status_code_may_be_a_string_of_digits(answer):
    """snapshot invoke-api-status-code-str: {"statusCode": "201"} → 201."""
    assert answer({"statusCode": "201"}).status_code == 201


@pytest.mark.parametrize("bad", [
    Raw(b'"justAString"'),                                  # a string, not an object
    {"statusCode": 200, "wrongValue": "value"},             # an extra key
    {"statusCode": "test"},                                 # not a status code
    {"statusCode": 200, "body": {"not": "a string"}},      # body must be a string
    {"statusCode": 200, "multiValueHeaders": {"x": "v"}},  # multi-value headers must be lists
    Raw(b"not json at all"),
], ids=["string", "extra-key", "bad-status", "object-body", "multi-not-list", "not-json"])
def test_malformed_answer_is_502_internal_server_error(answer, bad):
    response = answer(bad)
    assert response.status_code == 502
    assert response.json() == INTERNAL
    assert response.headers["x-amzn-ErrorType"] == "InternalServerErrorException"


def test_unhandled_function_error_is_502(answer):
    """A function that raises: 502 {"message": "Internal server error"} (AWS; SAM CLI's 500 is wrong)."""
    response = answer(RuntimeError("boom"))
    assert response.status_code == 502 and response.json() == INTERNAL


def test_headers_and_multi_value_headers_are_merged(answer):
    """"If the same key-value pair is specified in both, only the values from multiValueHeaders will
    appear in the merged list" (output format)."""
    response = answer({"statusCode": 200, "headers": {"x-solo": "a", "x-both": "solo", "x-flag": True},
                       "multiValueHeaders": {"X-Both": ["m1", "m2"], "x-multi": ["1", "2"]}})
    assert response.headers["x-solo"] == "a"
    assert response.headers["x-both"] == "m1, m2"     # requests joins repeated headers
    assert response.headers["x-multi"] == "1, 2"
    assert response.headers["x-flag"] == "true"


def test_base64_body_is_decoded_for_a_binary_accept(answer):
    """isBase64Encoded + a binary media type in Accept → binary body ("Return binary media from a
    Lambda proxy integration"); otherwise the base64 text is returned as it is."""
    encoded = base64.b64encode(b"\x89PNG\x00\xff").decode()
    value = {"statusCode": 200, "headers": {"Content-Type": "image/png"}, "body": encoded, "isBase64Encoded": True}
    assert answer(value, headers={"Accept": "image/png"}).content == b"\x89PNG\x00\xff"
    assert answer(value, headers={"Accept": "application/json"}).text == encoded


def test_reserved_headers_are_remapped(answer):
    """A function's own Date/Server/Connection come back as x-amzn-Remapped-* (API Gateway important notes)."""
    response = answer({"statusCode": 200, "headers": {"Date": "yesterday"}})
    assert response.headers["x-amzn-Remapped-Date"] == "yesterday"
    assert response.headers["Date"] != "yesterday"


def test_no_cors_header_unless_the_function_returns_one(answer):
    """Proxy integrations: "your backend is responsible for returning the Access-Control-Allow-Origin"
    header (how-to-cors)."""
    assert "Access-Control-Allow-Origin" not in answer({"statusCode": 200}).headers
    response = answer({"statusCode": 200, "headers": {"Access-Control-Allow-Origin": "*"}})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_without_permission_the_api_answers_500(gw, http):
    """No lambda:InvokeFunction permission for apigateway.amazonaws.com: 500 Internal server error
    ("Execution failed due to configuration error: Invalid permissions on Lambda function")."""
    function = gw.function(lambda event: {"statusCode": 200}, permit=False)
    api, root = gw.rest_api("no-permission")
    gw.proxy_method(api, root, function, "GET")
    gw.deploy(api)
    response = http.get(gw.base(api) + "/")
    assert response.status_code == 500 and response.json() == INTERNAL
    # A permission for another API does not help …
    gw.lambda_.add_permission(FunctionName=function["FunctionName"], StatementId="other",
                              Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com",
                              SourceArn=f"arn:aws:execute-api:{REGION}:123456789012:otherapi/*/GET/")
    assert http.get(gw.base(api) + "/").status_code == 500
    # … one for this API's GET / does, without redeploying (it is the function's policy).
    gw.lambda_.add_permission(FunctionName=function["FunctionName"], StatementId="this",
                              Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com",
                              SourceArn=f"arn:aws:execute-api:{REGION}:123456789012:{api}/*/GET/")
    assert http.get(gw.base(api) + "/").status_code == 200


def test_deleted_function_is_500(gw, http):
    function = gw.function(lambda event: {"statusCode": 200})
    api, root = gw.rest_api("deleted-function")
    gw.proxy_method(api, root, function, "GET")
    gw.deploy(api)
    gw.lambda_.delete_function(FunctionName=function["FunctionName"])
    response = http.get(gw.base(api) + "/")
    assert response.status_code == 500 and response.json() == INTERNAL


def test_aws_proxy_needs_post_as_integration_method(gw, http):
    """LocalStack's AWS-validated test_lambda_aws_proxy_integration_non_post_method: 500 Internal server error."""
    function = gw.function(lambda event: {"statusCode": 200})
    api, root = gw.rest_api("proxy-get")
    gw.proxy_method(api, root, function, "GET", integration_method="GET")
    gw.deploy(api)
    response = http.get(gw.base(api) + "/")
    assert response.status_code == 500 and response.json() == INTERNAL


def test_integration_timeout_is_504(gw, http):
    """Past timeoutInMillis: 504 {"message": "Endpoint request timed out"} (INTEGRATION_TIMEOUT)."""
    function = gw.function(lambda event: time.sleep(1.0) or {"statusCode": 200}, timeout=30)
    api, root = gw.rest_api("slow")
    gw.proxy_method(api, root, function, "GET", timeoutInMillis=200)
    gw.deploy(api)
    begin = time.monotonic()
    response = http.get(gw.base(api) + "/")
    assert response.status_code == 504
    assert response.json() == {"message": "Endpoint request timed out"}
    assert time.monotonic() - begin < 0.9


def test_function_timing_out_on_its_own_is_502(answer):
    """A function that hits its own timeout is a function error (Sandbox.Timedout): 502."""
    response = answer(TimeoutError("Task timed out after 3.00 seconds"))
    assert response.status_code == 502 and response.json() == INTERNAL


def test_binary_media_types_added_with_update_rest_api(gw, http):
    """update_rest_api(patchOperations=[{"op": "add", "path": "/binaryMediaTypes/image~1png"}])
    ("Enabling binary support using the API Gateway REST API"); it takes effect at the next deployment."""
    box = {}
    function = gw.function(lambda event: box.setdefault("event", event) and {"statusCode": 200})
    api, root = gw.rest_api("binary-later")
    gw.proxy_method(api, root, function, "POST")
    gw.apigateway.update_rest_api(restApiId=api, patchOperations=[
        {"op": "add", "path": "/binaryMediaTypes/image~1png"}])
    assert gw.apigateway.get_rest_api(restApiId=api)["binaryMediaTypes"] == ["image/png"]
    gw.deploy(api)
    http.post(gw.base(api) + "/", data=b"abc", headers={"Content-Type": "image/png"})
    assert box["event"]["isBase64Encoded"] is True


def test_lambda_uri_with_qualifier_and_stage_variable(gw, http):
    """The integration URI may name the function through a stage variable (stage-variables doc)."""
    function = gw.function(lambda event: {"statusCode": 200, "body": "via stage variable"})
    api, root = gw.rest_api("uri-stagevar")
    uri = lambda_uri(function).replace(function["FunctionName"], "${stageVariables.fn}")
    gw.apigateway.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    gw.apigateway.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="AWS_PROXY",
                                  integrationHttpMethod="POST", uri=uri)
    gw.deploy(api, variables={"fn": function["FunctionName"]})
    assert http.get(gw.base(api) + "/").text == "via stage variable"


def test_a_throttled_function_is_500(gw, http):
    """Lambda's 429 TooManyRequestsException (reserved concurrency reached) is not passed on: the
    client gets 500 Internal server error (AWS re:Post, "API Gateway proxy integration does not forward
    Lambda throttling (HTTP 429) to client")."""
    from helpers.lambda_runtime.contract import LambdaServiceError

    def throttled(event):
        raise LambdaServiceError("TooManyRequestsException", "Rate Exceeded.", 429)

    function = gw.function(throttled)
    api, root = gw.rest_api("throttled")
    gw.proxy_method(api, root, function, "GET")
    gw.deploy(api)
    response = http.get(gw.base(api) + "/")
    assert response.status_code == 500 and response.json() == INTERNAL
