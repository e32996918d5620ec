"""Starting, finding, stopping and resetting the background local cloud.

One instance per state folder. A pid file that names a dead process, or a process
that no longer answers, is stale: it is removed and a new instance is started.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

from .. import settings
from ..errors import CourseError
from ..paths import REPO_ROOT
from . import client, state

START_TIMEOUT = 30.0


@dataclass
class Instance:
    pid: int
    url: str
    log: str

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])


def find_running() -> Instance | None:
    """The healthy background instance of this state folder, or None (stale state is removed)."""
    current = state.read_state()
    if not current:
        return None
    pid, url = current.get("pid"), current.get("url")
    if pid and url and state.pid_alive(pid):
        answer = client.health(url)
        if answer and answer.get("pid") == pid:
            return Instance(pid, url, current.get("log", str(state.log_path())))
    state.clear_state()
    return None


def start(port: int | None = None, host: str | None = None, quiet: bool = False) -> Instance:
    """Start the local cloud in the background, or return the one already running."""
    running = find_running()
    if running:
        return running
    port = settings.get("COURSE_LOCAL_PORT") if port is None else port
    host = host or settings.get("COURSE_LOCAL_HOST")
    log_path = state.log_path()
    command = [sys.executable, "-m", "helpers.localcloud", "serve", "--port", str(port), "--host", host]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    with open(log_path, "ab") as log_file:
        kwargs = {}
        if os.name == "nt":
            kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.DETACHED_PROCESS
        else:
            kwargs["start_new_session"] = True
        log_start = log_file.tell()
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, cwd=str(REPO_ROOT), env=env, **kwargs)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        code = process.poll()
        if code is not None:
            raise CourseError(_failure_message(log_path, log_start, code),
                              fix=f"Read the whole log: {log_path}")
        current = state.read_state()
        if current and current.get("pid") == process.pid and client.health(current["url"], timeout=0.5):
            if not quiet:
                print(f"Local cloud started at {current['url']} (pid {process.pid}, log {log_path})")
            return Instance(process.pid, current["url"], str(log_path))
        time.sleep(0.02)
    process.kill()
    raise CourseError(f"The local cloud did not answer within {START_TIMEOUT:.0f} s.",
                      fix=f"Look at its log: {log_path}")


def _failure_message(log_path, offset: int, code: int) -> str:
    try:
        with open(log_path, "rb") as log_file:
            log_file.seek(offset)
            lines = log_file.read().decode(errors="replace").strip().splitlines()
    except OSError:
        lines = []
    reason = next((line for line in lines if "CourseError" in line or "How to fix" in line), None)
    tail = "\n".join(lines[-6:])
    return f"The local cloud exited at start (code {code}).\n{tail if not reason else tail}"


def stop(timeout: float = 10.0) -> bool:
    """Stop the background instance; True if one was running."""
    current = state.read_state()
    if not current or not state.pid_alive(current.get("pid", 0)):
        state.clear_state()
        return False
    pid = current["pid"]
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        state.clear_state()
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and state.pid_alive(pid):
        time.sleep(0.05)
    if state.pid_alive(pid):
        os.kill(pid, signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
    state.clear_state()
    return True


def reset() -> Instance:
    instance = find_running()
    if not instance:
        raise CourseError("No local cloud is running, so there is nothing to reset.",
                          fix="Start one: python -m helpers.localcloud start")
    client.reset(instance.url)
    return instance
