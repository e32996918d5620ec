"""The background instance's state file: which pid serves which port, and its log.

It lives in the state folder (``.localcloud/`` at the repository root unless
``COURSE_STATE_DIR`` says otherwise), so every process of the course finds it.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from ..paths import state_dir

STATE_FILE = "localcloud.json"
LOG_FILE = "localcloud.log"


def state_path() -> Path:
    return state_dir() / STATE_FILE


def log_path() -> Path:
    return state_dir() / LOG_FILE


def write_state(**fields: Any) -> None:
    fields.setdefault("started_at", time.time())
    fields.setdefault("log", str(log_path()))
    path = state_path()
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(fields, indent=2))
    os.replace(tmp, path)


def read_state() -> dict[str, Any] | None:
    try:
        return json.loads(state_path().read_text())
    except (FileNotFoundError, ValueError):
        return None


def clear_state(pid: int | None = None) -> None:
    """Remove the state file (only if it still names ``pid``, when given)."""
    current = read_state()
    if current is None or pid is None or current.get("pid") == pid:
        try:
            state_path().unlink()
        except FileNotFoundError:
            pass


def pid_alive(pid: int) -> bool:
    try:
        import psutil

        process = psutil.Process(pid)
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except Exception:
        return False
