"""Two ways to reach an API Gateway stage in these tests.

- ``connected`` (tests/conftest.py): the session's real local cloud, a separate
  process, for everything that needs no Lambda code (MOCK, routing, deployments,
  HTTP integrations) and, once the Lambda runtime is registered, end-to-end runs.
- ``gw``: a local cloud built in this process (the same ``LocalCloud`` and werkzeug
  server) whose Lambda runtime is a stand-in: each function's handler is a Python
  callable registered by the test. Functions are still created in moto with boto3,
  so URIs, permissions and timeouts go through the real code paths.
"""
from __future__ import annotations

import io
import json
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from typing import Any, Callable

import boto3
import pytest
import requests

from helpers.localcloud import identity
from helpers.localcloud.extensions import Extension
from helpers.testing import lambda_execution_role

REGION = "us-east-1"


class Raw(bytes):
    """A handler result returned as these exact bytes (e.g. not a JSON object)."""


class FakeLambdaRuntime(Extension):
    """Implements the runtime's in-process contract with Python callables."""

    name = "lambda"

    def __init__(self, cloud):
        super().__init__(cloud)
        self.handlers: dict[str, Callable[[dict], Any]] = {}
        self.calls: list[dict] = []

    def invoke(self, function_name, qualifier, payload, invocation_type="RequestResponse", log_type=None,
               region=None):
        from helpers.lambda_runtime.contract import InvocationResult, LambdaServiceError

        handler = self.handlers.get(function_name)
        if handler is None:
            raise LambdaServiceError("ResourceNotFoundException", f"Function not found: {function_name}", 404)
        request_id = str(uuid.uuid4())
        event = json.loads(payload)
        self.calls.append({"name": function_name, "qualifier": qualifier, "event": event,
                           "request_id": request_id, "region": region})
        begin = time.perf_counter()
        try:
            result = handler(event)
        except LambdaServiceError:
            raise                      # the Invoke API itself refused (e.g. throttled): the function never ran
        except Exception as error:
            document = {"errorMessage": str(error), "errorType": type(error).__name__,
                        "requestId": request_id, "stackTrace": []}
            return InvocationResult(request_id, json.dumps(document).encode(), "Unhandled")
        payload_out = bytes(result) if isinstance(result, Raw) else json.dumps(result).encode()
        return InvocationResult(request_id, payload_out, None,
                                duration_ms=(time.perf_counter() - begin) * 1000)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


@dataclass
class Harness:
    url: str
    runtime: FakeLambdaRuntime
    cloud: Any
    clients: dict[str, Any] = field(default_factory=dict)

    def client(self, service: str):
        if service not in self.clients:
            self.clients[service] = boto3.client(
                service, endpoint_url=self.url, region_name=REGION,
                aws_access_key_id=identity.ACCESS_KEY_ID, aws_secret_access_key=identity.SECRET_ACCESS_KEY)
        return self.clients[service]

    @property
    def apigateway(self):
        return self.client("apigateway")

    @property
    def lambda_(self):
        return self.client("lambda")

    def function(self, handler: Callable[[dict], Any], *, timeout: int = 3, permit: bool = True) -> dict:
        """A function in moto whose code is ``handler``; permitted for API Gateway unless told otherwise."""
        name = f"fn-{uuid.uuid4().hex[:10]}"
        role = self._role()
        created = self.lambda_.create_function(FunctionName=name, Runtime="python3.12", Role=role,
                                               Handler="app.handler", Code={"ZipFile": _zip()}, Timeout=timeout)
        self.runtime.handlers[name] = handler
        if permit:
            self.lambda_.add_permission(FunctionName=name, StatementId="apigateway", Action="lambda:InvokeFunction",
                                        Principal="apigateway.amazonaws.com",
                                        SourceArn=f"arn:aws:execute-api:{REGION}:{identity.ACCOUNT_ID}:*/*/*/*")
        return created

    def _role(self) -> str:
        return lambda_execution_role("apigw-test-role", self.client("iam"))

    # -- APIs ------------------------------------------------------------------------
    def rest_api(self, name: str = "t", **kwargs) -> tuple[str, str]:
        api = self.apigateway.create_rest_api(name=name, **kwargs)["id"]
        root = self.apigateway.get_resources(restApiId=api)["items"][0]["id"]
        return api, root

    def resource(self, api: str, parent: str, part: str) -> str:
        return self.apigateway.create_resource(restApiId=api, parentId=parent, pathPart=part)["id"]

    def proxy_method(self, api: str, resource: str, function: dict, http_method: str = "ANY",
                     integration_method: str = "POST", **integration) -> None:
        self.apigateway.put_method(restApiId=api, resourceId=resource, httpMethod=http_method,
                                   authorizationType="NONE")
        self.apigateway.put_integration(restApiId=api, resourceId=resource, httpMethod=http_method,
                                        type="AWS_PROXY", integrationHttpMethod=integration_method,
                                        uri=lambda_uri(function), **integration)

    def deploy(self, api: str, stage: str = "dev", **kwargs) -> str:
        return self.apigateway.create_deployment(restApiId=api, stageName=stage, **kwargs)["id"]

    def base(self, api: str, stage: str = "dev") -> str:
        return f"{self.url}/restapis/{api}/{stage}/_user_request_"


def lambda_uri(function: dict) -> str:
    return f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{function['FunctionArn']}/invocations"


def echo_event(event: dict) -> dict:
    """A proxy handler that answers with the event it received."""
    return {"statusCode": 200, "body": json.dumps(event)}


@pytest.fixture(scope="package")  # stopped after this package: its extensions patch moto in-process
def gw():
    from helpers.localcloud import extensions
    from helpers.localcloud.cloud import LocalCloud
    from helpers.localcloud.server import build_server

    real = list(extensions.EXTENSIONS)
    extensions.EXTENSIONS[:] = [spec for spec in real if not spec.startswith("helpers.lambda_runtime.")]
    try:
        cloud = LocalCloud("127.0.0.1", 0)   # every extension but the real Lambda runtime
    finally:
        extensions.EXTENSIONS[:] = real
    server = build_server("127.0.0.1", 0, cloud)
    cloud.port = server.server_port
    runtime = FakeLambdaRuntime(cloud)
    cloud.extensions.append(runtime)
    cloud.start()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield Harness(cloud.url, runtime, cloud)
    server.shutdown()
    cloud.stop()
    server.server_close()


@pytest.fixture(scope="session")
def http():
    return requests.Session()
