"""The notebook 05 request tester: what it sends and shows (no Jupyter needed)."""
from __future__ import annotations

import pytest

from helpers.request_tester import RequestTester, parse_headers, request_tester, send

from .conftest import echo_event


@pytest.fixture(scope="module")
def stage(gw):
    function = gw.function(echo_event)
    api, root = gw.rest_api("tester")
    gw.proxy_method(api, root, function)
    gw.proxy_method(api, gw.resource(api, root, "{proxy+}"), function)
    gw.deploy(api)
    return gw.base(api)


def test_send_returns_status_headers_and_body(stage):
    exchange = send(stage, "post", "welcome", '{"name": "kim"}', {"X-Test": "1"})
    assert exchange.status == 200 and exchange.method == "POST"
    assert exchange.url == stage + "/welcome"
    import json

    event = json.loads(exchange.body)
    assert event["path"] == "/welcome" and json.loads(event["body"]) == {"name": "kim"}
    assert event["headers"]["Content-Type"] == "application/json" and event["headers"]["X-Test"] == "1"
    assert '"path": "/welcome"' in exchange.pretty_body()
    assert "200" in exchange.as_html() and "x-amzn-RequestId" in exchange.as_html()


def test_send_shows_gateway_errors_instead_of_raising(stage):
    exchange = send(stage.replace("/dev/", "/nostage/"), "GET", "/")
    assert exchange.status == 403 and "Forbidden" in exchange.body


def test_send_refuses_an_unknown_method(stage):
    with pytest.raises(ValueError, match="method must be one of"):
        send(stage, "FETCH", "/")


def test_parse_headers_reads_name_value_lines():
    assert parse_headers("A: 1\n\nnot a header\nB:two words ") == {"A": "1", "B": "two words"}


def test_request_tester_widget_builds(stage):
    tester = request_tester(stage, "/welcome")
    assert isinstance(tester, RequestTester) and tester.path == "/welcome"
    tester._ipython_display_()  # builds the widgets without a front end
