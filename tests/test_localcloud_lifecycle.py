"""The background local cloud's lifecycle: start, status, reset, stop, and what goes wrong."""
from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import time

import boto3
import pytest

import helpers
from helpers import backend
from helpers.localcloud import client, control, identity, state

from .conftest import REPO_ROOT, free_port


@pytest.fixture
def own_instance(monkeypatch, tmp_path):
    """A private state folder and port, so these tests never touch the session's instance."""
    monkeypatch.setenv("COURSE_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("COURSE_LOCAL_PORT", str(free_port()))
    yield tmp_path
    control.stop()


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.localcloud", *args], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=60)


def test_start_status_reset_stop(own_instance, monkeypatch):
    started = cli("start")
    assert started.returncode == 0, started.stderr
    status = cli("status")
    assert status.returncode == 0 and "running at http://127.0.0.1:" in status.stdout
    instance = control.find_running()
    assert (own_instance / "state" / "localcloud.json").exists()

    ddb = boto3.client("dynamodb", endpoint_url=instance.url, region_name="ap-northeast-2",
                       aws_access_key_id=identity.ACCESS_KEY_ID, aws_secret_access_key=identity.SECRET_ACCESS_KEY)
    ddb.create_table(TableName="t", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"}],
                     BillingMode="PAY_PER_REQUEST")
    assert ddb.list_tables()["TableNames"] == ["t"]
    assert cli("reset").returncode == 0
    assert ddb.list_tables()["TableNames"] == []
    # the local identity is back after a reset
    iam = boto3.client("iam", endpoint_url=instance.url, region_name="us-east-1",
                       aws_access_key_id=identity.ACCESS_KEY_ID, aws_secret_access_key=identity.SECRET_ACCESS_KEY)
    keys = iam.list_access_keys(UserName=identity.USER_NAME)["AccessKeyMetadata"]
    assert [k["AccessKeyId"] for k in keys] == [identity.ACCESS_KEY_ID]

    assert "stopped" in cli("stop").stdout
    assert cli("status").returncode == 3
    assert not (own_instance / "state" / "localcloud.json").exists()


def test_serve_prints_one_line_with_its_url_when_it_answers(own_instance):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "helpers.localcloud", "serve", "--port", str(port)],
                               cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline().strip()
        assert line == f"Local cloud ready at http://127.0.0.1:{port}"
        assert client.health(f"http://127.0.0.1:{port}")["pid"] == process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_port_taken_is_a_clear_error(own_instance):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        result = cli("serve", "--port", str(port))
        assert result.returncode == 2
        assert f"Port {port}" in result.stderr and "already in use" in result.stderr
        assert "COURSE_LOCAL_PORT" in result.stderr
        os.environ["COURSE_LOCAL_PORT"] = str(port)
        with pytest.raises(helpers.CourseError, match="already in use"):
            control.start(quiet=True)


def test_non_loopback_host_needs_an_explicit_flag(own_instance):
    result = cli("serve", "--host", "0.0.0.0", "--port", str(free_port()))
    assert result.returncode == 2
    assert "--allow-remote" in result.stderr


def test_stale_pid_file_is_recovered(own_instance):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    state.write_state(pid=dead.pid, host="127.0.0.1", port=1, url="http://127.0.0.1:1")
    assert control.find_running() is None
    assert state.read_state() is None
    instance = control.start(quiet=True)
    assert client.health(instance.url)["pid"] == instance.pid


def test_killed_mid_session_connect_notices_and_restarts(own_instance, monkeypatch, capsys):
    monkeypatch.setattr(backend, "_original_environment", None)
    monkeypatch.setattr(backend, "_current", None)
    first = helpers.connect("local")
    pid = control.find_running().pid
    os.kill(pid, 9)
    deadline = time.time() + 5
    while state.pid_alive(pid) and time.time() < deadline:
        time.sleep(0.05)
    second = helpers.connect("local")
    assert "started again" in capsys.readouterr().out
    assert second.notes and "started again" in second.notes[0]
    assert boto3.client("sts").get_caller_identity()["Account"] == identity.ACCOUNT_ID
    assert control.find_running().pid != pid
    for name in backend._MANAGED_VARIABLES:
        os.environ.pop(name, None)


def test_runtime_settings_change_through_the_admin_endpoint(local_cloud):
    before = client.get_settings(local_cloud.url)
    assert before["COURSE_LOG_REQUESTS"] is False
    assert client.set_settings(local_cloud.url, COURSE_LOG_REQUESTS="on") == {"COURSE_LOG_REQUESTS": True}
    assert client.get_settings(local_cloud.url)["COURSE_LOG_REQUESTS"] is True
    client.set_settings(local_cloud.url, COURSE_LOG_REQUESTS=False)
    with pytest.raises(client.AdminError, match="read once at start"):
        client.set_settings(local_cloud.url, COURSE_LOCAL_PORT=1234)
    with pytest.raises(client.AdminError, match="unknown setting"):
        client.set_settings(local_cloud.url, COURSE_NOPE=1)


def test_keep_alive_requests_do_not_stall_on_nagle(local_cloud):
    """Regression for the ~40 ms Nagle/delayed-ACK stall (cpython #108736): with TCP_NODELAY a
    keep-alive round trip is about a millisecond, without it every one takes ~40 ms."""
    port = int(local_cloud.url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port)
    times = []
    for _ in range(15):
        begin = time.perf_counter()
        connection.request("POST", "/_localcloud/settings", body=b"{}", headers={"Content-Type": "application/json"})
        connection.getresponse().read()
        times.append(time.perf_counter() - begin)
    connection.close()
    assert statistics.median(times) < 0.030, times


def test_concurrent_requests_are_served_while_one_is_in_flight(local_cloud):
    """A Lambda handler calls back into the local cloud during its own invoke: one slow
    connection must not block another."""
    port = int(local_cloud.url.rsplit(":", 1)[1])
    slow = socket.create_connection(("127.0.0.1", port))
    slow.sendall(b"POST /_localcloud/settings HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{")
    try:
        assert client.health(local_cloud.url, timeout=2.0) is not None
    finally:
        slow.close()


def test_python_older_than_311_is_refused_by_bootstrap(monkeypatch, capsys):
    from helpers import bootstrap

    monkeypatch.setattr(bootstrap.sys, "version_info", (3, 10, 4))
    assert bootstrap.main([]) == 2
    assert "3.11 or newer" in capsys.readouterr().err
