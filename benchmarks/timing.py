"""Timing helpers shared by the benchmarks (run as scripts, which import this by module name)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    """Wall-clock seconds of `runs` calls of `fn`."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def summary(label: str, times: list[float], unit: str = "s") -> None:
    """One line: median, minimum and 95th percentile, in seconds ("s") or milliseconds ("ms")."""
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    scale, digits = (1000, 1) if unit == "ms" else (1, 3)

    def show(t: float) -> str:
        return f"{scale * t:8.{digits}f} {unit}"

    print(
        f"{label:<58} median {show(statistics.median(times))}   min {show(times[0])}   p95 {show(p95)}   (n={len(times)})"
    )
