"""API Gateway data plane figures: round trips through the bench's local cloud, and the pipeline alone.

Targets (issue 4): requests.Session → local API → warm proxy Lambda → response ≤ 2 ms median and
≤ 5 ms p99; the API's own overhead (round trip minus the Lambda's Duration) ≤ 1 ms median; 8
concurrent clients × 500 requests without an error. Rows that need Lambda code run only when the
local cloud has a Lambda runtime registered; the MOCK round trip and the in-process pipeline rows
always run, and show where the time goes.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import statistics
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

from .stats import row, time_calls

HANDLER = '''
import json, time
def handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"rid": context.aws_request_id})}
'''


# -- over HTTP, against the bench's local cloud -------------------------------------------
def _clients():
    import boto3

    import helpers

    connection = helpers.connect("local")
    return connection, boto3.client("apigateway"), boto3.client("lambda"), boto3.client("iam")


def _mock_stage(apigw) -> str:
    api = apigw.create_rest_api(name="bench-mock")["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK",
                          requestTemplates={"application/json": '{"statusCode": 200}'})
    apigw.put_method_response(restApiId=api, resourceId=root, httpMethod="GET", statusCode="200")
    apigw.put_integration_response(restApiId=api, resourceId=root, httpMethod="GET", statusCode="200",
                                   responseTemplates={"application/json": '{"ok": true}'})
    apigw.create_deployment(restApiId=api, stageName="bench")
    return api


def _proxy_lambda_stage(apigw, lam, iam, region: str, account: str) -> str:
    role = iam.create_role(RoleName="bench-apigw-lambda", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                "Principal": {"Service": "lambda.amazonaws.com"}}]}))["Role"]["Arn"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("app.py", HANDLER)
    function = lam.create_function(FunctionName="bench-apigw-proxy", Runtime="python3.12", Role=role,
                                   Handler="app.handler", Code={"ZipFile": archive.getvalue()})
    api = apigw.create_rest_api(name="bench-proxy")["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="AWS_PROXY",
                          integrationHttpMethod="POST",
                          uri=f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/"
                              f"{function['FunctionArn']}/invocations")
    lam.add_permission(FunctionName="bench-apigw-proxy", StatementId="apigw", Action="lambda:InvokeFunction",
                       Principal="apigateway.amazonaws.com",
                       SourceArn=f"arn:aws:execute-api:{region}:{account}:{api}/*/GET/")
    apigw.create_deployment(restApiId=api, stageName="bench")
    return api


def _lambda_durations(region: str, request_ids: set[str]) -> list[float]:
    """Duration from the REPORT lines the runtime wrote for these invocations."""
    import re

    import boto3

    logs = boto3.client("logs", region_name=region)
    pattern = re.compile(r"REPORT RequestId: (\S+)\s+Duration: ([\d.]+) ms")
    durations: list[float] = []
    kwargs = {"logGroupName": "/aws/lambda/bench-apigw-proxy", "filterPattern": "REPORT"}
    try:
        while True:
            page = logs.filter_log_events(**kwargs)
            for item in page.get("events", []):
                match = pattern.search(item["message"])
                if match and match.group(1) in request_ids:
                    durations.append(float(match.group(2)))
            if not page.get("nextToken"):
                break
            kwargs["nextToken"] = page["nextToken"]
    except Exception:
        return []
    return durations


def http_rows(n: int, concurrency_requests: int) -> list[dict]:
    import requests

    import helpers

    connection, apigw, lam, iam = _clients()
    session = requests.Session()
    rows = []
    mock_url = helpers.invoke_url(_mock_stage(apigw), "bench") + "/"
    rows.append(row("API Gateway MOCK integration round trip (requests.Session)",
                    time_calls(lambda: session.get(mock_url), n, warmup=20), None))
    health = f"{connection.endpoint}/_localcloud/health"
    rows.append(row("floor: requests.Session → local cloud /_localcloud/health",
                    time_calls(lambda: session.get(health), n, warmup=20), None))
    if "lambda" not in session.get(health).json().get("extensions", []):
        rows.append({"name": "API Gateway → warm proxy Lambda: skipped (no Lambda runtime registered)",
                     "median_ms": float("nan"), "p99_ms": float("nan"), "target_ms": 2.0, "n": 0})
        return rows
    api = _proxy_lambda_stage(apigw, lam, iam, connection.region, connection.account)
    url = helpers.invoke_url(api, "bench") + "/"
    for _ in range(30):  # cold start, then warm
        session.get(url)
    samples, request_ids = [], set()
    for _ in range(n):
        begin = time.perf_counter()
        response = session.get(url)
        samples.append((time.perf_counter() - begin) * 1000)
        request_ids.add(response.json()["rid"])
    rows.append(row("requests.Session → local API → warm proxy Lambda → response", samples, 2.0,
                    p99_target_ms=5.0))
    durations = _lambda_durations(connection.region, request_ids)
    if durations:
        duration = statistics.median(durations)
        overhead = [sample - duration for sample in samples]
        rows.append(row("local API's own overhead (round trip − median Lambda Duration "
                        f"{duration:.3f} ms)", overhead, 1.0))
    rows.append(_own_time_row(connection.endpoint, api, session, url, n))
    rows.append(_concurrency_row(url, concurrency_requests))
    return rows


def _own_time_row(endpoint: str, api: str, session, url: str, n: int) -> dict:
    """The data plane's own time inside the local cloud: its request-log line's total minus the time
    spent waiting for the Lambda runtime (COURSE_LOG_REQUESTS on for the measurement)."""
    import re

    from helpers.localcloud import client, control

    log_path = control.find_running().log
    start = open(log_path, "rb").seek(0, 2)
    client.set_settings(endpoint, COURSE_LOG_REQUESTS=True)
    try:
        for _ in range(n):
            session.get(url)
    finally:
        client.set_settings(endpoint, COURSE_LOG_REQUESTS=False)
    pattern = re.compile(rf"{api} bench GET / → 200 in ([\d.]+) ms \(integration ([\d.]+) ms\)")
    with open(log_path, "rb") as log_file:
        log_file.seek(start)
        text = log_file.read().decode("utf-8", "replace")
    own = [float(total) - float(integration) for total, integration in pattern.findall(text)]
    return row("API Gateway's own time in the local cloud (pipeline − Lambda runtime's invoke), from its "
               "request log", own or [float("nan")], 1.0)


def _concurrency_row(url: str, per_client: int, clients: int = 8) -> dict:
    import requests

    def client(_):
        session = requests.Session()
        latencies, errors = [], 0
        for _ in range(per_client):
            begin = time.perf_counter()
            try:
                ok = session.get(url, timeout=30).status_code == 200
            except requests.RequestException:
                ok = False
            latencies.append((time.perf_counter() - begin) * 1000)
            errors += 0 if ok else 1
        return latencies, errors

    begin = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(client, range(clients)))
    elapsed = time.perf_counter() - begin
    latencies = [value for lat, _ in results for value in lat]
    errors = sum(err for _, err in results)
    return row(f"{clients} concurrent clients × {per_client} requests via proxy Lambda (errors: {errors}, "
               f"{len(latencies) / elapsed:.0f} req/s)", latencies, None, errors=errors)


# -- the pipeline alone, in this process ------------------------------------------------------
@contextlib.contextmanager
def _without_local_endpoint():
    """connect() (earlier bench modules) points boto3 at the local cloud; the pipeline reads the
    in-process mock, so boto3 must reach that instead while the stage is built."""
    endpoint = os.environ.pop("AWS_ENDPOINT_URL", None)
    try:
        yield
    finally:
        if endpoint is not None:
            os.environ["AWS_ENDPOINT_URL"] = endpoint


def pipeline_rows(n: int) -> list[dict]:
    """Gateway.handle for a proxy-Lambda request with a stub runtime: the data plane's own work."""
    from moto import mock_aws

    from helpers.apigateway import deployments
    from helpers.apigateway.context import Environment
    from helpers.apigateway.parse import ApiRequest
    from helpers.apigateway.pipeline import Gateway
    from helpers.lambda_runtime.contract import InvocationResult

    deployments.install_deployment_freezer()
    answer = json.dumps({"statusCode": 200, "body": "{\"ok\": true}"}).encode()
    with _without_local_endpoint(), mock_aws():
        import boto3

        region = "us-east-1"
        iam = boto3.client("iam", region_name=region)
        lam = boto3.client("lambda", region_name=region)
        apigw = boto3.client("apigateway", region_name=region)
        api = _proxy_lambda_stage(apigw, lam, iam, region, "123456789012")
        gateway = Gateway(lambda name, qualifier, payload, region_: InvocationResult("r", answer, None),
                          Environment())
        request = ApiRequest(api_id=api, stage="bench", http_method="GET", raw_path="/", query_string="a=1",
                             headers=[("Host", "127.0.0.1:8642"), ("User-Agent", "bench"), ("Accept", "*/*")],
                             body=b"", source_ip="127.0.0.1", protocol="HTTP/1.1", host="127.0.0.1:8642")

        def call():
            request.__dict__.pop("query_pairs", None)  # a fresh request each time (cached properties)
            response, _ = gateway.handle(request)
            assert response.status == 200

        samples = time_calls(call, n, warmup=20)
    return [row("pipeline alone: find stage → route → proxy event → (stub Lambda) → response", samples, None)]


def run(quick: bool) -> list[dict]:
    n = 200 if quick else 3000
    rows = pipeline_rows(n)
    rows += http_rows(n, 50 if quick else 500)
    return rows
