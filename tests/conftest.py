"""The test session's own local cloud: its own port and state folder, never the learner's.

Environment variables are set for the whole session, so notebook kernels started
by the tests (child processes) connect to this instance too.
"""
from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def session_dirs(tmp_path_factory):
    base = tmp_path_factory.mktemp("course")
    return {"state": base / "state", "work": base / "work"}


@pytest.fixture(scope="session")
def local_cloud(session_dirs):
    """Start a fresh local cloud for the whole test session and point this process at it."""
    from helpers.localcloud import client, control

    saved = {k: os.environ.get(k) for k in ("COURSE_STATE_DIR", "COURSE_LOCAL_PORT", "COURSE_WORK_DIR",
                                            "COURSE_PARTICIPANT", "COURSE_BACKEND")}
    os.environ["COURSE_STATE_DIR"] = str(session_dirs["state"])
    os.environ["COURSE_LOCAL_PORT"] = str(free_port())
    os.environ["COURSE_WORK_DIR"] = str(session_dirs["work"])
    os.environ.setdefault("COURSE_PARTICIPANT", "ci")
    os.environ["COURSE_BACKEND"] = "local"
    instance = control.start(quiet=True)
    defaults = client.get_settings(instance.url)
    yield instance
    # A test that turns a runtime knob (IAM enforcement, the time scale) must put it back:
    # every later test would otherwise run against a cloud that no longer behaves like AWS.
    changed = {k: v for k, v in client.get_settings(instance.url).items() if defaults.get(k) != v}
    control.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    assert not changed, f"tests left runtime settings changed: {changed}"


@pytest.fixture
def connected(local_cloud):
    """This process's boto3 pointed at the session's local cloud as the local administrator."""
    import helpers

    return helpers.connect("local", quiet=True)
