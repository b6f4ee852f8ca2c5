"""Load test of `forumguide serve` on 127.0.0.1, as an operator would run it.

Run: .venv/bin/python benchmarks/load.py [--processes 1 2] [--clients 1 4] [--seconds 20] [--memory-renders 500]

For each number of serving processes (`serve --workers N`, render processes shared out between them)
it starts the real command (API only), then prints:
  - report throughput and latency (p50, p95 of successful reports) for each number of clients;
  - /api/score latency (p50, p95) from one client while 4 clients ask for reports;
  - recovery after one render process is killed with SIGKILL: seconds until a report succeeds again
    and until every render process is back;
  - resident memory of every process after --memory-renders reports in all (0 skips this);
  - unexpected 5xx (503 with Retry-After is the service shedding load, not an error) and whether any
    process is left after SIGTERM.
Exit status 1 on an unexpected 5xx, a connection error or a process left behind. Kept out of CI: it
takes minutes and measures this machine (which other work may be sharing: say so with the figures).
"""

from __future__ import annotations

import argparse
import collections
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
BODY = {
    "current": yaml.safe_load((ROOT / "examples/northbrook-2026.yaml").read_text()),
    "previous": yaml.safe_load((ROOT / "examples/northbrook-2025.yaml").read_text()),
}
SCORE_BODY = BODY["current"]


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except FileNotFoundError:
        return []


def tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children(p))
    return out


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def render_pids(pid: int) -> list[int]:
    return [p for p in tree(pid) if "forumguide.report.renderpool" in cmdline(p)]


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[int(0.95 * (len(values) - 1))] if values else float("nan")


def p50(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 2] if values else float("nan")


class Tally:
    def __init__(self) -> None:
        self.statuses: collections.Counter[int] = collections.Counter()
        self.errors: collections.Counter[str] = collections.Counter()
        self.ok: list[float] = []
        self.lock = threading.Lock()

    def unexpected(self) -> int:
        return sum(n for code, n in self.statuses.items() if code >= 500 and code != 503)


def hammer(
    base: str,
    path: str,
    body,
    clients: int,
    seconds: float,
    tally: Tally,
    stop: threading.Event | None = None,
    pause_on_busy: bool = True,
) -> float:
    end = time.monotonic() + seconds

    def client() -> None:
        with httpx.Client(timeout=120) as http:
            while time.monotonic() < end and not (stop and stop.is_set()):
                start = time.perf_counter()
                try:
                    r = http.post(f"{base}{path}", json=body)
                except httpx.HTTPError as exc:
                    with tally.lock:
                        tally.errors[type(exc).__name__] += 1
                    continue
                took = time.perf_counter() - start
                with tally.lock:
                    tally.statuses[r.status_code] += 1
                    if r.status_code == 200:
                        tally.ok.append(took)
                if r.status_code == 503 and pause_on_busy:
                    time.sleep(0.2)  # a polite client backs off a little

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def run(processes: int, args: argparse.Namespace) -> bool:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/forumguide"),
            "serve",
            "--api-only",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(processes),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    failed = False
    print(f"\n== {processes} serving process{'es' if processes > 1 else ''} ({os.cpu_count()} CPUs) ==")
    try:
        deadline = time.monotonic() + 180
        while len(render_pids(server.pid)) < max(2, processes) or not _ready(base):
            if time.monotonic() > deadline:
                print("the service did not become ready")
                return False
            time.sleep(0.2)
        workers = len(render_pids(server.pid))
        print(f"render processes: {workers}")
        for _ in range(2):
            httpx.post(f"{base}/api/report", json=BODY, timeout=120)  # warm

        for clients in args.clients:
            tally = Tally()
            elapsed = hammer(base, "/api/report", BODY, clients, args.seconds, tally)
            failed |= bool(tally.unexpected() or tally.errors)
            print(
                f"reports, {clients} client{'s' if clients > 1 else ''}: {len(tally.ok) / elapsed:.2f}/s, "
                f"p50 {p50(tally.ok):.2f} s, p95 {p95(tally.ok):.2f} s; statuses {dict(tally.statuses)}"
                f"{'; errors ' + str(dict(tally.errors)) if tally.errors else ''}"
            )

        reports, scores = Tally(), Tally()
        stop = threading.Event()
        load = threading.Thread(
            target=hammer, args=(base, "/api/report", BODY, 4, args.seconds, reports, stop)
        )
        load.start()
        hammer(base, "/api/score", SCORE_BODY, 1, args.seconds, scores)
        stop.set()
        load.join()
        failed |= bool(reports.unexpected() or scores.unexpected() or scores.errors)
        print(
            f"score under report load (4 report clients): p50 {1000 * p50(scores.ok):.0f} ms, "
            f"p95 {1000 * p95(scores.ok):.0f} ms over {len(scores.ok)} scores; score statuses {dict(scores.statuses)}"
        )

        victim = render_pids(server.pid)[0]
        killed = time.perf_counter()
        os.kill(victim, signal.SIGKILL)
        tally = Tally()
        first_ok = back = None
        with httpx.Client(timeout=120) as http:
            while (first_ok is None or back is None) and time.perf_counter() - killed < 120:
                r = http.post(f"{base}/api/report", json=BODY)
                tally.statuses[r.status_code] += 1
                if r.status_code == 200 and first_ok is None:
                    first_ok = time.perf_counter() - killed
                pids = render_pids(server.pid)
                if back is None and len(pids) == workers and victim not in pids and _ready(base):
                    back = time.perf_counter() - killed
        failed |= bool(tally.unexpected())
        print(
            f"after SIGKILL of a render process: a report succeeded after {first_ok:.2f} s, all {workers} render "
            f"processes back after {back:.2f} s; statuses {dict(tally.statuses)}"
        )

        if args.memory_renders:
            tally = Tally()
            stop = threading.Event()

            def count() -> None:
                while len(tally.ok) < args.memory_renders:
                    time.sleep(0.5)
                stop.set()

            counter = threading.Thread(target=count)
            counter.start()
            hammer(base, "/api/report", BODY, 4, 3600, tally, stop)
            counter.join()
            failed |= bool(tally.unexpected())
            rows = [
                f"{p} {'render' if 'renderpool' in cmdline(p) else 'serve'} {rss_mb(p):.0f} MB"
                for p in tree(server.pid)
            ]
            print(f"memory (RSS) after {len(tally.ok)} more reports: " + "; ".join(rows))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=120)
        except subprocess.TimeoutExpired:
            server.kill()
        deadline = time.monotonic() + 30
        left = True
        while time.monotonic() < deadline:
            try:
                os.killpg(server.pid, 0)
            except ProcessLookupError:
                left = False
                break
            time.sleep(0.1)
        print(f"after SIGTERM: {'PROCESSES LEFT' if left else 'no process left'}")
        if left:
            os.killpg(server.pid, signal.SIGKILL)
        failed |= left
    return not failed


def _ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--memory-renders", type=int, default=0)
    args = parser.parse_args()
    results = [run(n, args) for n in args.processes]  # every configuration runs, even after a failure
    ok = all(results)
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
