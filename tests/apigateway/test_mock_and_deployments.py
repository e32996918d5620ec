"""MOCK integrations (the console's "Enable CORS"), deployments and stages, on the session's local cloud.

Conformance with "Set up mock integrations in API Gateway"
(https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html),
"Enabling CORS for a REST API resource" (…/how-to-cors.html), "Deploying a REST API"
(…/how-to-deploy-api.html: a deployment is a snapshot of the API's resources and methods; it must be
redeployed for changes to take effect) and "Set up stage variables" (…/stage-variables.html).
"""
from __future__ import annotations

import json

import boto3
import pytest
import requests

import helpers

CORS_HEADERS = {"method.response.header.Access-Control-Allow-Headers":
                "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
                "method.response.header.Access-Control-Allow-Methods": "'GET,OPTIONS'",
                "method.response.header.Access-Control-Allow-Origin": "'*'"}


def mock_method(apigw, api, resource, http_method, status="200", body_template=None, headers=None,
                request_template='{"statusCode": 200}'):
    apigw.put_method(restApiId=api, resourceId=resource, httpMethod=http_method, authorizationType="NONE")
    apigw.put_integration(restApiId=api, resourceId=resource, httpMethod=http_method, type="MOCK",
                          requestTemplates={"application/json": request_template})
    apigw.put_method_response(restApiId=api, resourceId=resource, httpMethod=http_method, statusCode=status,
                              responseParameters={k: False for k in (headers or {})})
    apigw.put_integration_response(restApiId=api, resourceId=resource, httpMethod=http_method, statusCode=status,
                                   responseParameters=headers or {},
                                   responseTemplates={"application/json": body_template} if body_template else {})


@pytest.fixture
def apigw(connected):
    return boto3.client("apigateway")


@pytest.fixture
def api(apigw):
    created = apigw.create_rest_api(name=helpers.name("apigw-mock-test"), tags=helpers.tags())
    root = apigw.get_resources(restApiId=created["id"])["items"][0]["id"]
    yield created["id"], root
    apigw.delete_rest_api(restApiId=created["id"])


def test_enable_cors_options_method_answers_the_preflight(apigw, api):
    """The console's Enable CORS: OPTIONS → MOCK {"statusCode": 200}, integration response setting the
    Access-Control-Allow-* headers to static values; the preflight sees exactly those headers."""
    api_id, root = api
    hello = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="hello")["id"]
    mock_method(apigw, api_id, hello, "OPTIONS", headers=CORS_HEADERS)
    mock_method(apigw, api_id, hello, "GET", body_template='{"hello": "world"}')
    apigw.create_deployment(restApiId=api_id, stageName="dev")
    url = helpers.invoke_url(api_id, "dev") + "/hello"
    preflight = requests.options(url, headers={"Origin": "http://localhost:8888",
                                               "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET,OPTIONS"
    assert preflight.headers["Access-Control-Allow-Headers"].startswith("Content-Type,")
    assert preflight.content == b""
    actual = requests.get(url, headers={"Origin": "http://localhost:8888"})
    assert actual.json() == {"hello": "world"}
    # The GET method defines no CORS header, so none appears: the API decides, not the local cloud.
    assert "Access-Control-Allow-Origin" not in actual.headers


def test_mock_status_code_selects_the_integration_response(apigw, api):
    """The MOCK request template's statusCode is matched against selectionPattern."""
    api_id, root = api
    mock_method(apigw, api_id, root, "GET", status="200", body_template='{"ok": true}',
                request_template='{"statusCode": $input.params("code")}')
    apigw.put_method_response(restApiId=api_id, resourceId=root, httpMethod="GET", statusCode="404")
    apigw.put_integration_response(restApiId=api_id, resourceId=root, httpMethod="GET", statusCode="404",
                                   selectionPattern="4\\d{2}", responseTemplates={"application/json": '{"ok": false}'})
    apigw.create_deployment(restApiId=api_id, stageName="dev")
    url = helpers.invoke_url(api_id, "dev") + "/"
    assert requests.get(url, params={"code": "200"}).json() == {"ok": True}
    missing = requests.get(url, params={"code": "404"})
    assert missing.status_code == 404 and missing.json() == {"ok": False}


def test_mock_without_a_status_code_is_500(apigw, api):
    api_id, root = api
    mock_method(apigw, api_id, root, "GET", request_template='{"nothing": 1}')
    apigw.create_deployment(restApiId=api_id, stageName="dev")
    response = requests.get(helpers.invoke_url(api_id, "dev") + "/")
    assert response.status_code == 500 and response.json() == {"message": "Internal server error"}


def test_a_change_is_invisible_until_the_next_deployment(apigw, api):
    """A stage serves its deployment, a snapshot; edits after it need a new deployment."""
    api_id, root = api
    mock_method(apigw, api_id, root, "GET", body_template='{"version": 1}')
    apigw.create_deployment(restApiId=api_id, stageName="dev")
    url = helpers.invoke_url(api_id, "dev") + "/"
    assert requests.get(url).json() == {"version": 1}
    apigw.put_integration_response(restApiId=api_id, resourceId=root, httpMethod="GET", statusCode="200",
                                   responseTemplates={"application/json": '{"version": 2}'})
    assert requests.get(url).json() == {"version": 1}
    new_resource = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="later")["id"]
    mock_method(apigw, api_id, new_resource, "GET", body_template='{"later": true}')
    assert requests.get(url + "later").status_code == 403
    apigw.create_deployment(restApiId=api_id, stageName="dev")
    assert requests.get(url).json() == {"version": 2}
    assert requests.get(url + "later").json() == {"later": True}


def test_each_stage_serves_its_own_deployment(apigw, api):
    """The stage name is part of the URL; two stages can serve two different deployments, and a stage
    can be pointed back at an older deployment with update_stage."""
    api_id, root = api
    mock_method(apigw, api_id, root, "GET", body_template='{"version": 1}')
    first = apigw.create_deployment(restApiId=api_id, stageName="prod")["id"]
    apigw.put_integration_response(restApiId=api_id, resourceId=root, httpMethod="GET", statusCode="200",
                                   responseTemplates={"application/json": '{"version": 2}'})
    apigw.create_deployment(restApiId=api_id, stageName="dev")
    assert requests.get(helpers.invoke_url(api_id, "prod") + "/").json() == {"version": 1}
    assert requests.get(helpers.invoke_url(api_id, "dev") + "/").json() == {"version": 2}
    apigw.update_stage(restApiId=api_id, stageName="dev",
                       patchOperations=[{"op": "replace", "path": "/deploymentId", "value": first}])
    assert requests.get(helpers.invoke_url(api_id, "dev") + "/").json() == {"version": 1}


def test_stage_variables_are_live_and_survive_redeployment(apigw, api):
    """Stage variables belong to the stage: updating one needs no deployment, and deploying again to the
    same stage keeps them."""
    api_id, root = api
    mock_method(apigw, api_id, root, "GET", body_template='{"env": "$stageVariables.env"}')
    apigw.create_deployment(restApiId=api_id, stageName="dev", variables={"env": "one"})
    url = helpers.invoke_url(api_id, "dev") + "/"
    assert requests.get(url).json() == {"env": "one"}
    apigw.update_stage(restApiId=api_id, stageName="dev",
                       patchOperations=[{"op": "replace", "path": "/variables/env", "value": "two"}])
    assert requests.get(url).json() == {"env": "two"}
    apigw.create_deployment(restApiId=api_id, stageName="dev")
    assert requests.get(url).json() == {"env": "two"}


def test_customised_gateway_response(apigw, api):
    """put_gateway_response for MISSING_AUTHENTICATION_TOKEN changes status, headers and body
    ("Set up gateway responses to customize error responses"); the default template uses
    $context.error.messageString."""
    api_id, root = api
    mock_method(apigw, api_id, root, "GET")
    apigw.put_gateway_response(restApiId=api_id, responseType="MISSING_AUTHENTICATION_TOKEN", statusCode="404",
                               responseParameters={"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"},
                               responseTemplates={"application/json":
                                                  '{"error": $context.error.messageString, "id": "$context.requestId"}'})
    apigw.create_deployment(restApiId=api_id, stageName="dev")
    response = requests.get(helpers.invoke_url(api_id, "dev") + "/nothing/here")
    assert response.status_code == 404
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["error"] == "Missing Authentication Token"
    assert body["id"] == response.headers["x-amzn-RequestId"]
    assert response.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"


def test_invoke_url_has_no_trailing_slash_and_names_the_stage(connected, api):
    api_id, _ = api
    url = helpers.invoke_url(api_id, "dev")
    assert url == f"{connected.endpoint}/restapis/{api_id}/dev/_user_request_"
    assert not url.endswith("/")


def test_invoke_url_on_aws(monkeypatch):
    """On AWS: https://{restapi_id}.execute-api.{region}.amazonaws.com/{stage_name} ("Invoking a REST API")."""
    from helpers import backend

    monkeypatch.setattr(backend, "_current", backend.Connection("aws", "ap-northeast-2", None, "1", "arn"))
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    assert helpers.invoke_url("a1b2c3d4e5", "prod") == "https://a1b2c3d4e5.execute-api.ap-northeast-2.amazonaws.com/prod"


@pytest.mark.parametrize("api_id, stage", [("", "dev"), ("abc/def", "dev"), ("abc", "my stage"), (None, "dev")])
def test_invoke_url_refuses_bad_input(api_id, stage):
    with pytest.raises(helpers.CourseError):
        helpers.invoke_url(api_id, stage)


def test_update_integration_edits_a_template_for_the_next_deployment(apigw, api):
    """update_integration with a patch on /requestTemplates/application~1json (the API reference's
    PATCH operations), then a deployment: the new template answers."""
    api_id, root = api
    mock_method(apigw, api_id, root, "GET", body_template='{"version": 1}')
    apigw.create_deployment(restApiId=api_id, stageName="dev")
    apigw.update_integration_response(restApiId=api_id, resourceId=root, httpMethod="GET", statusCode="200",
                                      patchOperations=[{"op": "replace", "path": "/responseTemplates/application~1json",
                                                        "value": '{"version": 2}'}])
    apigw.update_integration(restApiId=api_id, resourceId=root, httpMethod="GET",
                             patchOperations=[{"op": "replace", "path": "/timeoutInMillis", "value": "1000"}])
    assert apigw.get_integration(restApiId=api_id, resourceId=root, httpMethod="GET")["timeoutInMillis"] == 1000
    url = helpers.invoke_url(api_id, "dev") + "/"
    assert requests.get(url).json() == {"version": 1}
    apigw.create_deployment(restApiId=api_id, stageName="dev")
    assert requests.get(url).json() == {"version": 2}


def test_api_key_required_method(apigw, api):
    """apiKeyRequired: 403 {"message": "Forbidden"} without a valid x-api-key of a usage plan for this
    stage ("Create and use usage plans with API keys")."""
    api_id, root = api
    mock_method(apigw, api_id, root, "GET", body_template='{"ok": true}')
    apigw.update_method(restApiId=api_id, resourceId=root, httpMethod="GET",
                        patchOperations=[{"op": "replace", "path": "/apiKeyRequired", "value": "true"}])
    apigw.create_deployment(restApiId=api_id, stageName="dev")
    url = helpers.invoke_url(api_id, "dev") + "/"
    key = apigw.create_api_key(name=helpers.name("apigw-test-key"), enabled=True)
    try:
        assert requests.get(url).status_code == 403
        assert requests.get(url, headers={"x-api-key": key["value"]}).json() == {"message": "Forbidden"}
        plan = apigw.create_usage_plan(name=helpers.name("apigw-test-plan"),
                                       apiStages=[{"apiId": api_id, "stage": "dev"}])
        apigw.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
        response = requests.get(url, headers={"x-api-key": key["value"]})
        assert response.status_code == 200 and response.json() == {"ok": True}
        apigw.delete_usage_plan(usagePlanId=plan["id"])
    finally:
        apigw.delete_api_key(apiKey=key["id"])
