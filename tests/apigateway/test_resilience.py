"""The local cloud keeps answering: concurrency, bad input, and a bug-proof pipeline.

8 concurrent clients × 500 requests through a proxy Lambda must all succeed (the issue's
target; it asserts correctness, not speed — speed is in bench/apigateway.py).
"""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import requests

from .conftest import echo_event


def test_eight_clients_times_500_requests_without_an_error(gw):
    function = gw.function(lambda event: {"statusCode": 200, "body": event["queryStringParameters"]["n"]})
    api, root = gw.rest_api("concurrency")
    gw.proxy_method(api, root, function, "GET")
    gw.deploy(api)
    url = gw.base(api) + "/"

    def client(worker: int) -> list[str]:
        session = requests.Session()
        problems = []
        for i in range(500):
            n = f"{worker}-{i}"
            response = session.get(url, params={"n": n}, timeout=10)
            if response.status_code != 200 or response.text != n:
                problems.append(f"{n}: {response.status_code} {response.text[:80]}")
        return problems

    with ThreadPoolExecutor(max_workers=8) as pool:
        problems = [p for result in pool.map(client, range(8)) for p in result]
    assert problems == []


def test_bad_requests_leave_the_cloud_serving(gw, http):
    function = gw.function(echo_event)
    api, root = gw.rest_api("bad-input")
    gw.proxy_method(api, root, function)
    gw.proxy_method(api, gw.resource(api, root, "{proxy+}"), function)
    gw.deploy(api)
    base = gw.base(api)
    bad = [
        ("POST", base + "/x", {"data": b"\xff\xfe\xfd", "headers": {"Content-Type": "text/plain; charset=utf-8"}}),
        ("POST", base + "/x", {"data": b"{broken", "headers": {"Content-Type": "application/json"}}),
        ("GET", base + "/%zz/%%", {}),
        ("GET", base + "/a?x=%ZZ&&=&y", {}),
        ("PATCH", base + "/" + "a/" * 200, {}),
        ("GET", f"{gw.url}/restapis/{api}/dev/_user_request_", {}),
        ("GET", f"{gw.url}/restapis/x/y/_user_request_/../../etc/passwd", {}),
        ("POST", base + "/x", {"data": b"x" * 100_000, "headers": {"Content-Type": "application/weird+type"}}),
    ]
    for method, url, kwargs in bad:
        response = http.request(method, url, **kwargs)
        assert response.status_code < 600
        assert response.headers.get("x-amzn-RequestId")
    event = http.get(base + "/still/working").json()
    assert event["path"] == "/still/working"
    assert json.loads(http.get(f"{gw.url}/_localcloud/health").text)["status"] == "ok"


def test_payload_over_10_mb_is_413_and_the_connection_is_closed(gw, http):
    """API Gateway's payload quota is 10 MB ("Amazon API Gateway quotas": payload size 10 MB);
    REQUEST_TOO_LARGE is 413 ("Gateway response types")."""
    function = gw.function(echo_event)
    api, root = gw.rest_api("too-large")
    gw.proxy_method(api, root, function)
    gw.deploy(api)
    response = http.post(gw.base(api) + "/", data=b"x" * (10 * 1024 * 1024 + 1))
    assert response.status_code == 413
    assert response.headers["x-amzn-ErrorType"] == "RequestTooLargeException"
    assert response.headers["x-amzn-RequestId"]
    assert http.get(gw.base(api) + "/").status_code == 200
