"""The Lambda proxy event (payload format 1.0) as API Gateway sends it.

Conformance with "Set up Lambda proxy integrations in API Gateway" → "Input format of a
Lambda function for proxy integration"
(https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format)
and the AWS-recorded events in LocalStack's validated snapshots
(tests/aws/services/apigateway/test_apigateway_lambda.snapshot.json).
"""
from __future__ import annotations

import base64
import json

import pytest

from .conftest import echo_event

EVENT_KEYS = {"resource", "path", "httpMethod", "headers", "multiValueHeaders", "queryStringParameters",
              "multiValueQueryStringParameters", "pathParameters", "stageVariables", "requestContext", "body",
              "isBase64Encoded"}
CONTEXT_KEYS = {"accountId", "apiId", "deploymentId", "domainName", "domainPrefix", "extendedRequestId",
                "httpMethod", "identity", "path", "protocol", "requestId", "requestTime", "requestTimeEpoch",
                "resourceId", "resourcePath", "stage"}
IDENTITY_KEYS = {"accessKey", "accountId", "caller", "cognitoAuthenticationProvider", "cognitoAuthenticationType",
                 "cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId", "sourceIp", "user", "userAgent",
                 "userArn"}


@pytest.fixture(scope="module")
def api(gw):
    function = gw.function(echo_event)
    api_id, root = gw.rest_api("events", binaryMediaTypes=["image/png"])
    gw.proxy_method(api_id, root, function, "ANY")
    gw.proxy_method(api_id, gw.resource(api_id, root, "{proxy+}"), function)
    items = gw.resource(api_id, root, "items")
    gw.proxy_method(api_id, gw.resource(api_id, items, "{id}"), function)
    deployment = gw.deploy(api_id, "test")
    return {"id": api_id, "base": gw.base(api_id, "test"), "deployment": deployment}


def event_for(http, method, url, **kwargs) -> tuple[dict, object]:
    response = http.request(method, url, **kwargs)
    assert response.status_code == 200, response.text
    return response.json(), response


def test_event_has_every_field_with_null_for_absent_values(api, http):
    """No query string, no path variables, no stage variables, no body → null (AWS snapshot
    invocation-payload-without-trailing-slash: body, queryStringParameters,
    multiValueQueryStringParameters and stageVariables are null)."""
    event, _ = event_for(http, "GET", api["base"] + "/")
    assert set(event) == EVENT_KEYS
    assert event["body"] is None and event["isBase64Encoded"] is False
    assert event["queryStringParameters"] is None and event["multiValueQueryStringParameters"] is None
    assert event["pathParameters"] is None and event["stageVariables"] is None
    assert event["resource"] == "/" and event["path"] == "/" and event["httpMethod"] == "GET"


def test_request_context_fields(api, http, gw):
    """requestContext carries the $context variables of the mapping template reference."""
    event, _ = event_for(http, "GET", api["base"] + "/items/7", headers={"User-Agent": "course-tests"})
    context = event["requestContext"]
    assert set(context) == CONTEXT_KEYS
    assert set(context["identity"]) == IDENTITY_KEYS
    assert context["apiId"] == api["id"] and context["stage"] == "test"
    assert context["deploymentId"] == api["deployment"]
    assert context["resourcePath"] == "/items/{id}" and context["httpMethod"] == "GET"
    assert context["path"] == "/test/items/7"
    assert context["identity"]["userAgent"] == "course-tests"
    assert context["identity"]["sourceIp"] == "127.0.0.1"
    assert context["protocol"] == "HTTP/1.1" and context["accountId"] == "123456789012"
    assert event["pathParameters"] == {"id": "7"}


def test_request_id_is_fresh_and_equals_response_header(api, http):
    """Every request gets its own requestId and requestTimeEpoch; the response's x-amzn-RequestId is the
    same id, while the Lambda invocation has its own request id."""
    first, first_response = event_for(http, "GET", api["base"] + "/a")
    second, second_response = event_for(http, "GET", api["base"] + "/a")
    assert first["requestContext"]["requestId"] != second["requestContext"]["requestId"]
    assert first_response.headers["x-amzn-RequestId"] == first["requestContext"]["requestId"]
    assert second_response.headers["x-amzn-RequestId"] == second["requestContext"]["requestId"]
    assert second["requestContext"]["requestTimeEpoch"] >= first["requestContext"]["requestTimeEpoch"]
    assert isinstance(first["requestContext"]["requestTimeEpoch"], int)


def test_lambda_request_id_differs_from_api_request_id(api, http, gw):
    event, _ = event_for(http, "GET", api["base"] + "/b")
    assert gw.runtime.calls[-1]["request_id"] != event["requestContext"]["requestId"]


def test_headers_keep_their_spelling_and_repeats_become_multi_values(api, http):
    """headers: the last value of each name; multiValueHeaders: every value; names as sent
    (snapshot: "tEsT-HEADeR": "aValUE"). Content-Length and Connection are not passed on."""
    event, _ = event_for(http, "GET", api["base"] + "/h", headers={"tEsT-HEADeR": "aValUE"})
    assert event["headers"]["tEsT-HEADeR"] == "aValUE"
    assert event["multiValueHeaders"]["tEsT-HEADeR"] == ["aValUE"]
    assert "Content-Length" not in event["headers"] and "Connection" not in event["headers"]


def test_repeated_header_lines_are_separate_values(api, gw):
    """Two header lines with one name → two values in multiValueHeaders, the last one in headers."""
    import http.client

    port = int(gw.url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    path = api["base"].split(str(port), 1)[1] + "/multi"
    connection.putrequest("GET", path)
    connection.putheader("X-Multi", "one")
    connection.putheader("X-Multi", "two")
    connection.endheaders()
    event = json.loads(connection.getresponse().read())
    connection.close()
    assert event["multiValueHeaders"]["X-Multi"] == ["one", "two"]
    assert event["headers"]["X-Multi"] == "two"


def test_query_string_single_and_multi_values(api, http):
    """queryStringParameters keeps the last value, multiValueQueryStringParameters all of them
    (snapshot invocation-payload-with-params-encoding-multi: category=[electronics, books] → "books");
    '+' and %XX are decoded in the query string."""
    event, _ = event_for(http, "GET", api["base"] + "/q?category=electronics&category=books&plus=a+b&email=x%2By")
    assert event["queryStringParameters"] == {"category": "books", "plus": "a b", "email": "x+y"}
    assert event["multiValueQueryStringParameters"]["category"] == ["electronics", "books"]


def test_path_keeps_percent_encoding(api, http):
    """The snapshot's path "/test-path/api/user/test%2Balias@gmail.com" keeps %2B as sent."""
    event, _ = event_for(http, "GET", api["base"] + "/user/test%2Balias@gmail.com")
    assert event["path"] == "/user/test%2Balias@gmail.com"
    assert event["pathParameters"] == {"proxy": "user/test%2Balias@gmail.com"}


def test_text_body_is_passed_as_a_string(api, http):
    event, _ = event_for(http, "POST", api["base"] + "/p", json={"message": "hello world"})
    assert json.loads(event["body"]) == {"message": "hello world"}
    assert event["isBase64Encoded"] is False
    assert event["headers"]["Content-Type"] == "application/json"


def test_body_that_is_not_utf8_is_base64_encoded(api, http):
    raw = b"\xff\xfe\x00binary"
    event, _ = event_for(http, "POST", api["base"] + "/p", data=raw,
                         headers={"Content-Type": "application/octet-stream"})
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == raw


def test_binary_media_type_body_is_base64_encoded(api, http):
    """A Content-Type listed in binaryMediaTypes travels base64-encoded even when it is valid UTF-8
    ("Content type conversions in API Gateway")."""
    event, _ = event_for(http, "POST", api["base"] + "/p", data=b"PNGDATA", headers={"Content-Type": "image/png"})
    assert event["isBase64Encoded"] is True and base64.b64decode(event["body"]) == b"PNGDATA"


def test_stage_variables_appear_when_set(gw, http):
    function = gw.function(echo_event)
    api_id, root = gw.rest_api("stagevars")
    gw.proxy_method(api_id, root, function, "GET")
    gw.deploy(api_id, "dev", variables={"table": "users"})
    event = http.get(gw.base(api_id) + "/").json()
    assert event["stageVariables"] == {"table": "users"}
