"""Lambda non-proxy (AWS) integrations: mapping templates, passthrough, integration responses.

Conformance with "API Gateway mapping template and access logging variable reference"
(https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html),
"Integration passthrough behaviors" (…/integration-passthrough-behaviors.html),
"Handle Lambda errors in API Gateway" (…/handle-errors-in-lambda-integration.html: selectionPattern is
matched against the Lambda errorMessage; unmatched errors use the default response),
"Set up an integration response" (…/api-gateway-integration-settings-integration-response.html: no
method response for the status → 500) and "Use a mapping template to override an API's request and
response parameters and status codes".
"""
from __future__ import annotations

import json

import pytest

from .conftest import lambda_uri

SEED_TEMPLATE = "$input.json('$')"


def custom_api(gw, handler, *, templates=None, passthrough=None, responses=None, method_responses=("200",),
               stage_variables=None):
    """GET/POST / → AWS (non-proxy) Lambda integration; returns the stage's base URL."""
    function = gw.function(handler)
    api, root = gw.rest_api("custom")
    apigw = gw.apigateway
    apigw.put_method(restApiId=api, resourceId=root, httpMethod="ANY", authorizationType="NONE")
    extra = {"passthroughBehavior": passthrough} if passthrough else {}
    apigw.put_integration(restApiId=api, resourceId=root, httpMethod="ANY", type="AWS", integrationHttpMethod="POST",
                          uri=lambda_uri(function), requestTemplates=templates if templates is not None else
                          {"application/json": SEED_TEMPLATE}, **extra)
    for status in method_responses:
        apigw.put_method_response(restApiId=api, resourceId=root, httpMethod="ANY", statusCode=status)
    for response in responses or [{"statusCode": "200"}]:
        apigw.put_integration_response(restApiId=api, resourceId=root, httpMethod="ANY", **response)
    gw.deploy(api, variables=stage_variables or {})
    return gw.base(api) + "/"


def test_seed_template_makes_the_body_the_event(gw, http):
    """$input.json('$') passes the JSON body as the whole event (the seed's template)."""
    url = custom_api(gw, lambda event: {"got": event})
    assert http.post(url, json={"id": 1, "name": "kim"}).json() == {"got": {"id": 1, "name": "kim"}}


def test_seed_template_without_body_gives_an_empty_object(gw, http):
    url = custom_api(gw, lambda event: {"got": event})
    assert http.get(url).json() == {"got": {}}


def test_the_result_is_returned_as_json_with_status_200(gw, http):
    """Lambda custom integration: the function's return value is the 200 response body."""
    url = custom_api(gw, lambda event: "just a string")
    response = http.get(url)
    assert response.status_code == 200 and response.json() == "just a string"
    assert response.headers["Content-Type"] == "application/json"


def test_template_variables(gw, http):
    """$input.params(), $input.path(), $util.*, $context.* and $stageVariables in one template."""
    template = """#set($body = $input.path('$'))
{
  "name": "$input.params('name')",
  "header": "$input.params('X-Trace')",
  "count": $input.path('$.items').size(),
  "first": "$body.items[0]",
  "escaped": "$util.escapeJavaScript($input.params('quote'))",
  "url": "$util.urlEncode('a b&c')",
  "b64": "$util.base64Encode('hi')",
  "decoded": "$util.base64Decode('aGk=')",
  "parsed": $util.parseJson('{"k": [1, 2]}').k[1],
  "requestId": "$context.requestId",
  "stage": "$context.stage",
  "resourcePath": "$context.resourcePath",
  "env": "$stageVariables.env",
  "raw": "$util.escapeJavaScript($input.body)"
}"""
    url = custom_api(gw, lambda event: event, templates={"application/json": template},
                     stage_variables={"env": "test"})
    response = http.post(url, params={"name": "lee", "quote": 'say "hi"'}, headers={"X-Trace": "t-1"},
                         json={"items": ["a", "b", "c"]})
    assert response.status_code == 200, response.text
    event = response.json()
    assert event["name"] == "lee" and event["header"] == "t-1"
    assert event["count"] == 3 and event["first"] == "a"
    assert event["escaped"] == 'say "hi"'
    assert event["url"] == "a+b%26c" and event["b64"] == "aGk=" and event["decoded"] == "hi"
    assert event["parsed"] == 2
    assert event["requestId"] == response.headers["x-amzn-RequestId"]
    assert event["stage"] == "dev" and event["resourcePath"] == "/" and event["env"] == "test"
    assert json.loads(event["raw"]) == {"items": ["a", "b", "c"]}


def test_all_params_template_from_the_reference(gw, http):
    """The reference's "pass all parameters" template ($input.params() with keySet/get/$foreach)."""
    template = """#set($allParams = $input.params())
{
#foreach($type in $allParams.keySet())
#set($params = $allParams.get($type))
"$type" : {
#foreach($paramName in $params.keySet())
"$paramName" : "$util.escapeJavaScript($params.get($paramName))"#if($foreach.hasNext),#end
#end
}#if($foreach.hasNext),#end
#end
}"""
    url = custom_api(gw, lambda event: event, templates={"application/json": template})
    event = http.get(url, params={"q": "1"}, headers={"X-A": "b"}).json()
    assert event["querystring"] == {"q": "1"} and event["header"]["X-A"] == "b" and event["path"] == {}


def test_template_is_chosen_by_content_type(gw, http):
    url = custom_api(gw, lambda event: event, templates={"application/json": '{"kind": "json"}',
                                                          "application/xml": '{"kind": "xml"}'})
    assert http.post(url, data="<a/>", headers={"Content-Type": "application/xml"}).json() == {"kind": "xml"}
    assert http.post(url, data="{}", headers={"Content-Type": "application/json; charset=utf-8"}).json() == \
        {"kind": "json"}
    assert http.post(url, data=b"").json() == {"kind": "json"}  # no Content-Type: application/json


@pytest.mark.parametrize("passthrough, status", [("WHEN_NO_MATCH", 200), ("WHEN_NO_TEMPLATES", 415),
                                                 ("NEVER", 415)])
def test_passthrough_behaviour_for_an_unmatched_content_type(gw, http, passthrough, status):
    """One application/json template, a text/plain request: passed through as-is (WHEN_NO_MATCH) or
    415 Unsupported Media Type (WHEN_NO_TEMPLATES, NEVER) — "Integration passthrough behaviors" example 1."""
    url = custom_api(gw, lambda event: {"passed": event}, passthrough=passthrough)
    response = http.post(url, data='{"raw": true}', headers={"Content-Type": "text/plain"})
    assert response.status_code == status
    if status == 200:
        assert response.json() == {"passed": {"raw": True}}
    else:
        assert response.json() == {"message": "Unsupported Media Type"}


def test_when_no_templates_passes_through_when_none_are_defined(gw, http):
    url = custom_api(gw, lambda event: {"passed": event}, templates={}, passthrough="WHEN_NO_TEMPLATES")
    assert http.post(url, data='{"x": 1}', headers={"Content-Type": "text/plain"}).json() == {"passed": {"x": 1}}


def test_never_refuses_even_without_templates(gw, http):
    url = custom_api(gw, lambda event: event, templates={}, passthrough="NEVER")
    assert http.post(url, json={"x": 1}).status_code == 415


def test_malformed_json_body_with_a_template_that_parses_it_is_400(gw, http):
    """A body that is not JSON, read with $input.json('$'): 400 "Could not parse request body into json" —
    the message Lambda's InvalidRequestContentException gives, which API Gateway returns to the client."""
    url = custom_api(gw, lambda event: event)
    response = http.post(url, data="{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["message"].startswith("Could not parse request body into json")


def test_passthrough_of_a_non_json_body_is_400_too(gw, http):
    """A passed-through payload that is not JSON is refused by Lambda's Invoke API the same way."""
    url = custom_api(gw, lambda event: event, templates={})
    response = http.post(url, data="name=kim", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400
    assert response.json()["message"].startswith("Could not parse request body into json")


def test_selection_pattern_maps_a_lambda_error_message(gw, http):
    """selectionPattern is a regex over the whole errorMessage; the template reads it back."""
    def handler(event):
        if event.get("fail"):
            raise ValueError("Bad Request: name is missing")
        return {"ok": True}

    url = custom_api(gw, handler, method_responses=("200", "400"), responses=[
        {"statusCode": "200"},
        {"statusCode": "400", "selectionPattern": "Bad Request:.*",
         "responseTemplates": {"application/json": '{"error": "$input.path(\'$.errorMessage\')"}'}}])
    assert http.post(url, json={}).json() == {"ok": True}
    response = http.post(url, json={"fail": True})
    assert response.status_code == 400
    assert response.json() == {"error": "Bad Request: name is missing"}


def test_unmatched_lambda_error_uses_the_default_response(gw, http):
    """"Otherwise, Lambda errors are returned as 200 OK responses by default" (handle-errors-in-lambda-integration)."""
    def handler(event):
        raise RuntimeError("something else")

    url = custom_api(gw, handler, method_responses=("200", "400"), responses=[
        {"statusCode": "200"}, {"statusCode": "400", "selectionPattern": "Bad Request:.*"}])
    response = http.get(url)
    assert response.status_code == 200
    assert response.json()["errorMessage"] == "something else"


def test_response_parameters_and_templates(gw, http):
    """responseParameters maps static values and integration.response.body fields to headers."""
    url = custom_api(gw, lambda event: {"id": "u-1", "name": "kim"}, responses=[{
        "statusCode": "200",
        "responseParameters": {"method.response.header.Access-Control-Allow-Origin": "'*'",
                               "method.response.header.X-User-Id": "integration.response.body.id"},
        "responseTemplates": {"application/json": '{"who": "$input.path(\'$.name\')"}'}}])
    response = http.get(url)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["X-User-Id"] == "u-1"
    assert response.json() == {"who": "kim"}


def test_status_override_from_the_response_template(gw, http):
    url = custom_api(gw, lambda event: {}, responses=[{
        "statusCode": "200",
        "responseTemplates": {"application/json": '#set($context.responseOverride.status = 418)\n{"teapot": true}'}}])
    response = http.get(url)
    assert response.status_code == 418 and response.json() == {"teapot": True}


def test_no_integration_response_is_500(gw, http):
    url = custom_api(gw, lambda event: {}, responses=[{"statusCode": "400", "selectionPattern": "x"}],
                     method_responses=("400",))
    response = http.get(url)
    assert response.status_code == 500 and response.json() == {"message": "Internal server error"}


def test_integration_response_without_method_response_is_500(gw, http):
    url = custom_api(gw, lambda event: {}, method_responses=())
    response = http.get(url)
    assert response.status_code == 500 and response.json() == {"message": "Internal server error"}


def test_template_errors_do_not_break_the_local_cloud(gw, http):
    """A JSONPath that cannot be parsed is a template (configuration) error: 500, and nothing else breaks."""
    url = custom_api(gw, lambda event: event, templates={"application/json": "{\"x\": $input.json('$.[[')}"})
    response = http.get(url)
    assert response.status_code == 500
    assert http.get(f"{gw.url}/_localcloud/health").status_code == 200
