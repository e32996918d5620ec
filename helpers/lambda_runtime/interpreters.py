"""Which interpreter runs a function: its declared Python if one is installed, else the course's.

A function declared ``python3.12`` runs on a working ``python3.12`` found on PATH
(one that can import boto3, which every Lambda Python runtime includes), and
otherwise on the interpreter the local cloud runs on; either way the environment's
log says so once, since that is not what AWS would run. Node.js needs ``node``.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass

_PROBE = ("import sys, json, importlib.util as u; print(json.dumps([sys.version_info[0], sys.version_info[1], "
          "u.find_spec('boto3') is not None, u.find_spec('awslambdaric') is not None]))")


@dataclass(frozen=True)
class PythonChoice:
    executable: str
    same_as_server: bool
    client: str          # "awslambdaric" or "pyclient"
    note: str | None     # printed once in the environment's log when the version differs


_cache: dict[str, PythonChoice] = {}
_lock = threading.Lock()


def server_version() -> tuple[int, int]:
    return sys.version_info[:2]


def _probe(executable: str) -> list | None:
    try:
        answer = subprocess.run([executable, "-c", _PROBE], capture_output=True, text=True, timeout=15)
        return json.loads(answer.stdout) if answer.returncode == 0 else None
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None


def choose_python(runtime: str, version: tuple[int, int], server_has_awslambdaric: bool) -> PythonChoice:
    """The interpreter for a ``pythonX.Y`` function (probed once per runtime, then cached)."""
    with _lock:
        if runtime in _cache:
            return _cache[runtime]
    server_client = "awslambdaric" if server_has_awslambdaric else "pyclient"
    here = f"Python {sys.version.split()[0]}"
    if version == server_version():
        choice = PythonChoice(sys.executable, True, server_client, None)
    else:
        name = f"python{version[0]}.{version[1]}"
        found = shutil.which(name)
        probe = _probe(found) if found else None
        if probe and tuple(probe[:2]) == version and probe[2]:
            choice = PythonChoice(found, False, "awslambdaric" if probe[3] else "pyclient",
                                  f"[local cloud] {runtime}: this function runs on {found}.")
        else:
            choice = PythonChoice(sys.executable, True, server_client,
                                  f"[local cloud] This function is declared {runtime}, but no working "
                                  f"{name} with boto3 was found on PATH, so it runs on {here}.")
    with _lock:
        _cache[runtime] = choice
    return choice


def node_executable() -> str | None:
    return shutil.which("node")
