"""python -m bench [--quick] [--only NAME,...]: every figure next to its target and floors."""
from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import socket
import sys
import tempfile
import time
from pathlib import Path

MODULES = ["floors", "foundation", "lambda_runtime", "apigateway", "iam", "schedules", "teardown", "capstone", "notebooks"]
RESULTS = Path(__file__).resolve().parent / "results"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="few iterations (CI: proves the suite runs)")
    parser.add_argument("--only", default="", help="comma-separated module names")
    parser.add_argument("--output", default=str(RESULTS / "latest.json"))
    args = parser.parse_args(argv)
    wanted = [m for m in MODULES if not args.only or m in args.only.split(",")]

    # A private local cloud, never the learner's running one.
    state = tempfile.mkdtemp(prefix="bench-state-")
    os.environ.update(COURSE_STATE_DIR=state, COURSE_LOCAL_PORT=str(_free_port()),
                      COURSE_WORK_DIR=os.path.join(state, "work"), COURSE_PARTICIPANT="bench")
    from helpers.localcloud import control

    control.start(quiet=True)
    rows: list[dict] = []
    try:
        for name in wanted:
            try:
                module = importlib.import_module(f"bench.{name}")
            except ModuleNotFoundError as error:
                if error.name == f"bench.{name}":
                    continue
                raise
            print(f"… {name}", file=sys.stderr, flush=True)
            for item in module.run(args.quick):
                item["module"] = name
                rows.append(item)
    finally:
        control.stop()
    print_table(rows)
    report = {"when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "quick": args.quick,
              "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
              "rows": rows}
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(report, indent=2))
    print(f"\nwritten to {args.output}")
    return 0


def print_table(rows: list[dict]) -> None:
    width = max([len(r["name"]) for r in rows] + [10])
    print(f"\n{'figure':<{width}}  {'median':>9}  {'p99':>9}  {'target':>9}  {'n':>5}  verdict")
    for r in rows:
        target = r.get("target_ms")
        verdict = "" if target is None else ("ok" if r["median_ms"] <= target else "OVER")
        target_text = "—" if target is None else f"{target:.1f}"
        print(f"{r['name']:<{width}}  {r['median_ms']:>9.3f}  {r['p99_ms']:>9.3f}  {target_text:>9}  {r['n']:>5}  {verdict}")


if __name__ == "__main__":
    sys.exit(main())
