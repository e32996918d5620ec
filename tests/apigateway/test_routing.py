"""Routing of a deployed stage: which resource and method answer a path.

Conformance with the REST API developer guide: "Set up a proxy integration with a
proxy resource" (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-set-up-simple-proxy.html),
"Set up Lambda proxy integrations" (…/set-up-lambda-proxy-integrations.html) and
"Gateway response types" (…/supported-gateway-response-types.html).
"""
from __future__ import annotations

import json

import pytest

from .conftest import echo_event


@pytest.fixture(scope="module")
def site(gw):
    """/  GET, /welcome GET, /users/{id} ANY, /users/me GET, /{proxy+} ANY, /files/{proxy+} GET."""
    function = gw.function(echo_event)
    api, root = gw.rest_api("routing")
    gw.proxy_method(api, root, function, "GET")
    welcome = gw.resource(api, root, "welcome")
    gw.proxy_method(api, welcome, function, "GET")
    users = gw.resource(api, root, "users")
    user = gw.resource(api, users, "{id}")
    gw.proxy_method(api, user, function, "ANY")
    gw.proxy_method(api, user, function, "DELETE")
    me = gw.resource(api, users, "me")
    gw.proxy_method(api, me, function, "GET")
    proxy = gw.resource(api, root, "{proxy+}")
    gw.proxy_method(api, proxy, function, "ANY")
    files = gw.resource(api, root, "files")
    files_proxy = gw.resource(api, files, "{proxy+}")
    gw.proxy_method(api, files_proxy, function, "GET")
    gw.deploy(api)
    return gw.base(api)


def seen(http, method: str, url: str) -> dict:
    response = http.request(method, url)
    assert response.status_code == 200, response.text
    return json.loads(response.text)


def test_literal_path_part_beats_proxy(site, http):
    """/welcome is answered by the /welcome resource, not by /{proxy+} (set-up-lambda-proxy-integrations)."""
    event = seen(http, "GET", site + "/welcome")
    assert event["resource"] == "/welcome" and event["pathParameters"] is None


def test_literal_beats_path_variable(site, http):
    """/users/me beats /users/{id}; other values go to {id} (api-gateway-set-up-simple-proxy)."""
    assert seen(http, "GET", site + "/users/me")["resource"] == "/users/me"
    event = seen(http, "GET", site + "/users/42")
    assert event["resource"] == "/users/{id}" and event["pathParameters"] == {"id": "42"}


def test_method_on_resource_beats_any(site, http):
    """DELETE /users/{id} has its own method beside ANY; both answer, the own method for DELETE."""
    assert seen(http, "DELETE", site + "/users/7")["httpMethod"] == "DELETE"
    assert seen(http, "PATCH", site + "/users/7")["resource"] == "/users/{id}"


def test_greedy_proxy_spans_slashes(site, http):
    """{proxy+} matches any number of path parts (set-up-lambda-proxy-integrations: /produce/vegetables/carrot)."""
    event = seen(http, "GET", site + "/produce/vegetables/carrot")
    assert event["resource"] == "/{proxy+}"
    assert event["pathParameters"] == {"proxy": "produce/vegetables/carrot"}
    assert event["path"] == "/produce/vegetables/carrot"


def test_deeper_proxy_beats_root_proxy(site, http):
    """/files/{proxy+} is more specific than /{proxy+} for /files/a/b."""
    event = seen(http, "GET", site + "/files/a/b")
    assert event["resource"] == "/files/{proxy+}" and event["pathParameters"] == {"proxy": "a/b"}


def test_method_missing_on_literal_falls_back_to_proxy(site, http):
    """POST /welcome: /welcome has only GET, so ANY /{proxy+} answers."""
    assert seen(http, "POST", site + "/welcome")["resource"] == "/{proxy+}"


def test_proxy_needs_at_least_one_character(gw, http):
    """{proxy+} never matches / itself: without a method on / the root is 403 Missing Authentication Token."""
    function = gw.function(echo_event)
    api, root = gw.rest_api("root-needs-method")
    gw.proxy_method(api, gw.resource(api, root, "{proxy+}"), function)
    gw.deploy(api)
    for url in (gw.base(api), gw.base(api) + "/"):
        response = http.get(url)
        assert response.status_code == 403
        assert response.json() == {"message": "Missing Authentication Token"}
    assert http.get(gw.base(api) + "/x").status_code == 200


def test_root_has_its_own_method(site, http):
    event = seen(http, "GET", site + "/")
    assert event["resource"] == "/" and event["path"] == "/"


def test_unmatched_route_is_403_missing_authentication_token(site, http):
    """No resource/method: 403 {"message":"Missing Authentication Token"} with
    x-amzn-ErrorType MissingAuthenticationTokenException (supported-gateway-response-types:
    MISSING_AUTHENTICATION_TOKEN covers "an unsupported API method or resource")."""
    response = http.put(site + "/")  # / has only GET, and {proxy+} never matches /
    assert response.status_code == 403
    assert response.json() == {"message": "Missing Authentication Token"}
    assert response.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["x-amzn-RequestId"]


def test_trailing_slash_routes_like_no_slash_and_event_keeps_it(site, http):
    """AWS-recorded events: GET /test-path/ → resource /{proxy+}, proxy "test-path", path "/test-path/"
    (LocalStack's AWS-validated snapshot test_lambda_aws_proxy_integration)."""
    event = seen(http, "GET", site + "/welcome/")
    assert event["resource"] == "/welcome" and event["path"] == "/welcome/"
    event = seen(http, "GET", site + "/test-path/")
    assert event["pathParameters"] == {"proxy": "test-path"} and event["path"] == "/test-path/"


def test_unknown_api_and_stage_are_403_forbidden(gw, http, site):
    """A stage that does not exist answers 403 {"message":"Forbidden"} with x-amzn-ErrorType
    ForbiddenException (AWS Knowledge Center, "How do I troubleshoot HTTP 403 errors from API Gateway?":
    invoking with a stage name that does not exist). On AWS an unknown API id has no DNS name at all;
    the local cloud answers it the same way."""
    api_id = site.split("/restapis/")[1].split("/")[0]
    for url in (f"{gw.url}/restapis/{api_id}/nostage/_user_request_/welcome",
                f"{gw.url}/restapis/doesnotexist/dev/_user_request_/welcome"):
        response = http.get(url)
        assert response.status_code == 403
        assert response.json() == {"message": "Forbidden"}
        assert response.headers["x-amzn-ErrorType"] == "ForbiddenException"


def test_deleted_api_is_403_and_the_cloud_keeps_serving(gw, http):
    function = gw.function(echo_event)
    api, root = gw.rest_api("short-lived")
    gw.proxy_method(api, root, function, "GET")
    gw.deploy(api)
    assert http.get(gw.base(api) + "/").status_code == 200
    gw.apigateway.delete_rest_api(restApiId=api)
    assert http.get(gw.base(api) + "/").status_code == 403
    assert http.get(f"{gw.url}/_localcloud/health").status_code == 200


def test_control_plane_paths_still_reach_moto(gw, site):
    """Only .../_user_request_... is the data plane; /restapis/<id>/stages is moto's API."""
    api_id = site.split("/restapis/")[1].split("/")[0]
    stages = gw.apigateway.get_stages(restApiId=api_id)["item"]
    assert [stage["stageName"] for stage in stages] == ["dev"]
