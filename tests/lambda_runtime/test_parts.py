"""The engine's small parts on their own: HTTP parsing, packaging, trust policies, REPORT lines."""
from __future__ import annotations

import io
import json
import socket
import zipfile

import pytest

from helpers.lambda_runtime.moto_patches import lambda_may_assume
from helpers.lambda_runtime.platform_logs import billed_ms, report_line
from helpers.lambda_runtime.runtime_api import RuntimeConnection
from helpers.logs import parse_report
from helpers.packaging import zip_code, zip_files, zip_path


def connection_with(data: bytes) -> tuple[RuntimeConnection, socket.socket]:
    ours, theirs = socket.socketpair()
    connection = RuntimeConnection(ours)
    connection.feed(data)
    return connection, theirs


def test_a_request_is_parsed_only_once_complete():
    connection, _ = connection_with(b"POST /2018-06-01/runtime/invocation/abc/response HTTP/1.1\r\n"
                                    b"Content-Length: 4\r\n\r\n\"o")
    assert connection.next_request() is None
    connection.feed(b'k"')
    request = connection.next_request()
    assert (request.method, request.route, request.body) == ("POST", "invocation/abc/response", b'"ok"')


def test_chunked_bodies_and_pipelined_requests():
    data = (b"POST /2018-06-01/runtime/init/error HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"3\r\n{\"a\r\n3\r\n\":1\r\n1\r\n}\r\n0\r\n\r\n"
            b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n")
    connection, _ = connection_with(data)
    first, second = connection.next_request(), connection.next_request()
    assert json.loads(first.body) == {"a": 1}
    assert (second.method, second.route) == ("GET", "invocation/next")


def test_expect_100_continue_is_answered_before_the_body():
    """curl sends ``Expect: 100-continue`` for larger bodies and waits for it."""
    connection, peer = connection_with(b"POST /x HTTP/1.1\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n")
    assert connection.next_request() is None
    assert peer.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"


@pytest.mark.parametrize("policy, allowed", [
    ({"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, True),
    ({"Statement": {"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]},
                    "Action": ["sts:AssumeRole"]}}, True),
    ({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, False),
    ({"Statement": [{"Effect": "Deny", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, False),
    ({"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "s3:GetObject"}]}, False),
])
def test_which_trust_policies_let_lambda_assume_the_role(policy, allowed):
    assert lambda_may_assume(json.dumps(policy)) is allowed


def test_zips_are_reproducible_and_bootstrap_is_executable():
    """Same code, same bytes (so CodeSha256 does not change); ``bootstrap`` gets mode 755."""
    assert zip_code("x = 1\n", "app.py") == zip_code("x = 1\n", "app.py")
    with zipfile.ZipFile(io.BytesIO(zip_files({"bootstrap": "#!/bin/sh\n", "f.sh": "", "app.py": ""}))) as archive:
        modes = {info.filename: (info.external_attr >> 16) & 0o777 for info in archive.infolist()}
    assert modes == {"app.py": 0o644, "bootstrap": 0o755, "f.sh": 0o755}


def test_zip_path_zips_a_folder_under_a_prefix(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("X = 1\n")
    (tmp_path / "pkg" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "__pycache__" / "junk.pyc").write_bytes(b"\0")
    with zipfile.ZipFile(io.BytesIO(zip_path(tmp_path / "pkg", prefix="python/pkg"))) as archive:
        assert archive.namelist() == ["python/pkg/__init__.py"]


def test_report_lines_round_trip_through_the_parser():
    """https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html (REPORT fields)."""
    line = report_line("abc-123", 1.234, 128, 40, init_ms=110.5, billed_init_ms=110.5)
    assert line == ("REPORT RequestId: abc-123\tDuration: 1.23 ms\tBilled Duration: 113 ms\tMemory Size: 128 MB\t"
                    "Max Memory Used: 40 MB\tInit Duration: 110.50 ms\t")
    assert parse_report(line) == {"request_id": "abc-123", "duration_ms": 1.23, "billed_duration_ms": 113.0,
                                  "memory_size_mb": 128, "max_memory_used_mb": 40, "init_duration_ms": 110.5,
                                  "cold": True, "status": "success"}
    assert billed_ms(0.2, None) == 1


def test_a_real_aws_report_line_parses():
    line = ("REPORT RequestId: 8f5f2a6e-1b8a-4b59-8f63-6c2b43b1c3d0\tDuration: 2.57 ms\tBilled Duration: 3 ms\t"
            "Memory Size: 128 MB\tMax Memory Used: 39 MB\t")
    report = parse_report(line)
    assert report["cold"] is False and report["billed_duration_ms"] == 3.0 and report["init_duration_ms"] is None
