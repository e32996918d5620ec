"""A local cloud of its own per test: reset and stop leave no process behind; spawn works too."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import psutil
import pytest
import requests
from botocore.config import Config

from helpers.localcloud import identity
from helpers.packaging import zip_code

from .support import LAMBDA_TRUST, PYTHON, in_parallel

REPO_ROOT = Path(__file__).resolve().parents[2]
SLEEPY = "import os, time\ndef handler(event, context):\n    time.sleep(event.get('sleep', 0))\n    return os.getpid()\n"


@pytest.fixture
def own_cloud(tmp_path):
    """``python -m helpers.localcloud serve --port 0`` in the foreground; yields (process, url)."""
    env = dict(os.environ, COURSE_STATE_DIR=str(tmp_path / "state"), PYTHONPATH=str(REPO_ROOT))
    env.pop("COURSE_LAMBDA_START_METHOD", None)
    clouds = []

    def start(**settings):
        process = subprocess.Popen([sys.executable, "-m", "helpers.localcloud", "serve", "--port", "0"],
                                   cwd=REPO_ROOT, env={**env, **settings}, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        clouds.append(process)
        for line in process.stdout:
            if line.startswith("Local cloud ready at "):
                return process, line.split(" at ", 1)[1].strip()
        raise AssertionError("the local cloud did not start")

    yield start
    for process in clouds:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def client(url: str, service: str):
    return boto3.client(service, endpoint_url=url, region_name="ap-northeast-2",
                        aws_access_key_id=identity.ACCESS_KEY_ID, aws_secret_access_key=identity.SECRET_ACCESS_KEY,
                        config=Config(retries={"max_attempts": 0}))


def deploy(url: str, name: str = "sleepy") -> None:
    iam = client(url, "iam")
    role = iam.create_role(RoleName="own-cloud-role", AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))["Role"]["Arn"]
    client(url, "lambda").create_function(FunctionName=name, Runtime=PYTHON, Role=role, Handler="app.handler",
                                          Code={"ZipFile": zip_code(SLEEPY, "app.py")})


def invoke(url: str, payload: dict, name: str = "sleepy"):
    answer = client(url, "lambda").invoke(FunctionName=name, Payload=json.dumps(payload).encode())
    return json.loads(answer["Payload"].read())


def descendants(pid: int) -> set[int]:
    return {child.pid for child in psutil.Process(pid).children(recursive=True)}


def gone(pids: set[int], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = set()
        for pid in pids:
            try:
                if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                    alive.add(pid)
            except psutil.NoSuchProcess:
                pass
        if not alive:
            return True
        time.sleep(0.05)
    return False


def test_reset_and_stop_leave_no_worker_processes(own_cloud):
    """Environments die with a reset; environments and the zygote die with the server."""
    process, url = own_cloud()
    deploy(url)
    env_pids = set(in_parallel(2, lambda _: invoke(url, {"sleep": 0.3})))
    assert len(env_pids) == 2
    requests.post(f"{url}/_localcloud/reset", timeout=30).raise_for_status()
    assert gone(env_pids)
    deploy(url)  # the reset wiped the role and the function
    env_pids = {invoke(url, {})}
    helpers_pids = descendants(process.pid)
    assert env_pids <= helpers_pids and len(helpers_pids) >= 2  # the environment and the zygote
    process.send_signal(signal.SIGTERM)
    assert process.wait(20) == 0
    assert gone(helpers_pids)


def test_a_killed_server_takes_its_workers_with_it(own_cloud):
    """Even SIGKILL of the server (no clean-up at all) leaves no orphan: the zygote sees its
    control socket close and kills its children, which also die with the zygote (Linux)."""
    process, url = own_cloud()
    deploy(url)
    invoke(url, {})
    workers = descendants(process.pid)
    assert workers
    process.kill()
    process.wait(10)
    assert gone(workers)


def test_the_spawn_start_method_runs_functions_too(own_cloud):
    """COURSE_LAMBDA_START_METHOD=spawn: what macOS and Windows use."""
    _, url = own_cloud(COURSE_LAMBDA_START_METHOD="spawn")
    deploy(url)
    first = invoke(url, {})
    assert invoke(url, {}) == first  # warm: the same process
    envs = requests.get(f"{url}/_lambda/environments", timeout=5).json()["environments"]
    assert [env["pid"] for env in envs] == [first]
