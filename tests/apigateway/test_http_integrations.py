"""HTTP and HTTP_PROXY integrations to a loopback endpoint.

Conformance with "Set up HTTP proxy integrations in API Gateway"
(https://docs.aws.amazon.com/apigateway/latest/developerguide/setup-http-integrations.html: the client's
method, headers, query string and body are passed through and the endpoint's answer returned;
{proxy} in the endpoint URL is filled from method.request.path.proxy), "Amazon API Gateway important
notes" (the Host header is not forwarded) and "Gateway response types" (INTEGRATION_TIMEOUT 504).
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        if self.path.startswith("/slow"):
            time.sleep(1.0)
        payload = json.dumps({"method": self.command, "path": self.path, "body": body,
                              "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
        status = 404 if self.path.startswith("/missing") else 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Backend", "echo")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def backend():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def proxy_stage(gw, backend):
    apigw = gw.apigateway
    api, root = gw.rest_api("http-proxy")
    proxy = gw.resource(api, root, "{proxy+}")
    apigw.put_method(restApiId=api, resourceId=proxy, httpMethod="ANY", authorizationType="NONE",
                     requestParameters={"method.request.path.proxy": True})
    apigw.put_integration(restApiId=api, resourceId=proxy, httpMethod="ANY", type="HTTP_PROXY",
                          integrationHttpMethod="ANY", uri=backend + "/{proxy}",
                          requestParameters={"integration.request.path.proxy": "method.request.path.proxy"})
    slow = gw.resource(api, root, "timeout")
    apigw.put_method(restApiId=api, resourceId=slow, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api, resourceId=slow, httpMethod="GET", type="HTTP_PROXY",
                          integrationHttpMethod="GET", uri=backend + "/slow", timeoutInMillis=200)
    gw.deploy(api)
    return gw.base(api)


def test_http_proxy_passes_the_request_through(proxy_stage, http):
    response = http.post(proxy_stage + "/users/7?verbose=1", json={"a": 1}, headers={"X-Trace": "abc"})
    assert response.status_code == 200
    seen = response.json()
    assert seen["method"] == "POST" and seen["path"] == "/users/7?verbose=1"
    assert json.loads(seen["body"]) == {"a": 1}
    assert seen["headers"]["x-trace"] == "abc"
    assert seen["headers"]["host"].startswith("127.0.0.1:") and "_user_request_" not in seen["path"]
    assert response.headers["X-Backend"] == "echo"


def test_http_proxy_passes_the_endpoint_status_through(proxy_stage, http):
    assert http.get(proxy_stage + "/missing/thing").status_code == 404


def test_http_endpoint_timeout_is_504(proxy_stage, http):
    response = http.get(proxy_stage + "/timeout")
    assert response.status_code == 504
    assert response.json() == {"message": "Endpoint request timed out"}


def test_unreachable_endpoint_is_500(gw, http):
    apigw = gw.apigateway
    api, root = gw.rest_api("http-down")
    apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="HTTP_PROXY",
                          integrationHttpMethod="GET", uri="http://127.0.0.1:9/nothing")
    gw.deploy(api)
    response = http.get(gw.base(api) + "/")
    assert response.status_code == 500 and response.json() == {"message": "Internal server error"}


def test_http_custom_integration_with_template_and_parameters(gw, backend, http):
    """HTTP (non-proxy): the mapped payload and mapped parameters only; the answer goes through the
    integration response (status by selectionPattern over the endpoint's status code)."""
    apigw = gw.apigateway
    api, root = gw.rest_api("http-custom")
    item = gw.resource(api, root, "{id}")
    apigw.put_method(restApiId=api, resourceId=item, httpMethod="POST", authorizationType="NONE")
    apigw.put_integration(restApiId=api, resourceId=item, httpMethod="POST", type="HTTP", integrationHttpMethod="PUT",
                          uri=backend + "/items/{id}",
                          requestParameters={"integration.request.path.id": "method.request.path.id",
                                             "integration.request.header.X-Source": "'api-gateway'",
                                             "integration.request.querystring.mode": "method.request.querystring.mode"},
                          requestTemplates={"application/json": '{"wrapped": $input.json(\'$\')}'})
    for status, pattern in (("200", None), ("404", "404")):
        apigw.put_method_response(restApiId=api, resourceId=item, httpMethod="POST", statusCode=status)
        extra = {"selectionPattern": pattern} if pattern else {}
        apigw.put_integration_response(restApiId=api, resourceId=item, httpMethod="POST", statusCode=status,
                                       responseTemplates={"application/json": '{"backend": $input.json(\'$\')}'},
                                       **extra)
    gw.deploy(api)
    response = http.post(gw.base(api) + "/42?mode=fast&ignored=1", json={"x": 1})
    assert response.status_code == 200, response.text
    seen = response.json()["backend"]
    assert seen["method"] == "PUT" and seen["path"] == "/items/42?mode=fast"
    assert json.loads(seen["body"]) == {"wrapped": {"x": 1}}
    assert seen["headers"]["x-source"] == "api-gateway"
