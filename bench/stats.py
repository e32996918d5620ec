"""Medians and p99 of repeated measurements, and the row format every bench module returns."""
from __future__ import annotations

import statistics
import time
from typing import Callable


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def row(name: str, samples_ms: list[float], target_ms: float | None, **extra) -> dict:
    return {"name": name, "median_ms": statistics.median(samples_ms), "p99_ms": percentile(samples_ms, 0.99),
            "target_ms": target_ms, "n": len(samples_ms), **extra}


def time_calls(call: Callable[[], object], n: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(n):
        begin = time.perf_counter()
        call()
        samples.append((time.perf_counter() - begin) * 1000)
    return samples
