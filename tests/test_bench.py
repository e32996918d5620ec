"""The benchmark command runs (quick mode) and writes its JSON, so it cannot rot.
Timings are not asserted here: targets are read from its table, not from tests."""
from __future__ import annotations

import json
import subprocess
import sys

from .conftest import REPO_ROOT


def test_bench_quick_runs_and_reports_every_row(tmp_path):
    output = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, "-m", "bench", "--quick", "--output", str(output)],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(output.read_text())
    names = [row["name"] for row in report["rows"]]
    assert any("get_item" in name for name in names)
    assert any(name.startswith("floor:") for name in names)
    for row in report["rows"]:
        assert row["n"] > 0 and row["median_ms"] >= 0 and row["p99_ms"] >= row["median_ms"] * 0.999
    assert "median" in result.stdout and "target" in result.stdout
