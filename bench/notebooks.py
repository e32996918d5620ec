"""Each notebook's execution time and the whole course's (serial), through nbclient.

Targets: no notebook over 20 s; the whole course ≤ 120 s. In quick mode only the
first notebook runs, which proves the path works without doubling CI's time.
"""
from __future__ import annotations

import time
from pathlib import Path

from helpers import notebooks

from .stats import row

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"


def execute_seconds(path: Path) -> float:
    begin = time.perf_counter()
    notebooks.execute(path)
    return time.perf_counter() - begin


def run(quick: bool) -> list[dict]:
    paths = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    if quick:
        paths = paths[:1]
    rows, total = [], 0.0
    for path in paths:
        seconds = execute_seconds(path)
        total += seconds
        rows.append(row(f"notebook {path.stem}", [seconds * 1000], 20_000.0))
    if paths and not quick:
        rows.append(row("whole course, serial", [total * 1000], 120_000.0))
    return rows
