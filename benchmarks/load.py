"""Load test of `forumguide serve` on 127.0.0.1: N concurrent clients posting report requests.

Run: .venv/bin/python benchmarks/load.py [--clients 16] [--seconds 60] [--memory-bound-mb 1500]
Starts the real command in a subprocess (API only, no site build), then prints the statuses, latency
p50/p95 of successful reports, the 503 share (expected when saturated: the service sheds load instead
of queueing), unexpected 5xx (must be 0), and the memory of the server and its workers over time
(must stay under the stated bound). Exit status 1 if either condition fails. Kept out of CI: it
takes a minute and measures this machine.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    total = 0
    pids = [pid]
    while pids:
        p = pids.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{p}/task/{p}/children") as f:
                pids.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--memory-bound-mb", type=float, default=1500)
    args = parser.parse_args()

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([str(ROOT / ".venv/bin/forumguide"), "serve", "--api-only", "--host", "127.0.0.1",
                               "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    body = {"current": yaml.safe_load((ROOT / "examples/northbrook-2026.yaml").read_text()),
            "previous": yaml.safe_load((ROOT / "examples/northbrook-2025.yaml").read_text())}
    try:
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/status", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline:
                print("server did not start")
                return 1
            time.sleep(0.2)
        httpx.post(f"{base}/api/report", json=body, timeout=120)  # warm

        memory: list[float] = []
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                memory.append(rss_mb(server.pid))
                stop.wait(1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        statuses: collections.Counter[int] = collections.Counter()
        ok_latency: list[float] = []
        errors: collections.Counter[str] = collections.Counter()
        end = time.time() + args.seconds

        def client() -> None:
            with httpx.Client(timeout=120) as http:
                while time.time() < end:
                    start = time.perf_counter()
                    try:
                        r = http.post(f"{base}/api/report", json=body)
                    except httpx.HTTPError as exc:
                        errors[type(exc).__name__] += 1
                        continue
                    statuses[r.status_code] += 1
                    if r.status_code == 200:
                        ok_latency.append(time.perf_counter() - start)
                    elif r.status_code == 503:
                        time.sleep(float(r.headers.get("retry-after", "1")) / 5)  # a polite client backs off a little

        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
            for f in [pool.submit(client) for _ in range(args.clients)]:
                f.result()
        elapsed = time.perf_counter() - started
        stop.set()
        sampler.join()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    unexpected = sum(n for code, n in statuses.items() if code >= 500 and code != 503)
    lat = sorted(ok_latency)
    print(f"clients {args.clients}, {elapsed:.0f} s, {os.cpu_count()} CPUs")
    print(f"statuses: {dict(sorted(statuses.items()))}; connection errors: {dict(errors)}")
    print(f"reports: {len(lat)} ({len(lat) / elapsed:.2f}/s)")
    if lat:
        print(f"latency of successful reports: p50 {statistics.median(lat):.2f} s, p95 {lat[int(0.95 * (len(lat) - 1))]:.2f} s")
    print(f"memory (server + workers): start {memory[0]:.0f} MB, max {max(memory):.0f} MB, end {memory[-1]:.0f} MB; "
          f"bound {args.memory_bound_mb:.0f} MB")
    print(f"unexpected 5xx: {unexpected}")
    failed = unexpected > 0 or max(memory) > args.memory_bound_mb or errors
    print("RESULT:", "FAIL" if failed else "PASS")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
