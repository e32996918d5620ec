"""Where the course keeps its files, found from this package's location.

A kernel started in ``notebooks/`` and a shell at the repository root must agree
on the same ``.localcloud/`` and work folder, so nothing here depends on the
current directory.
"""
from __future__ import annotations

from pathlib import Path

from . import settings

REPO_ROOT = Path(__file__).resolve().parent.parent


def state_dir() -> Path:
    """The background local cloud's pid, port and log live here (git-ignored)."""
    configured = settings.get("COURSE_STATE_DIR")
    path = Path(configured).expanduser() if configured else REPO_ROOT / ".localcloud"
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    return REPO_ROOT / "data"
