"""Board report speed: in-process render, whole CLI, Chromium printing the same HTML, and the service.

Run: .venv/bin/python benchmarks/report.py [--runs N] [--seconds S]
Prints one line per figure. Targets (issue 5): in-process render <= 0.4 s; CLI no slower than
Chromium printing the same HTML. The CLI, the floor and Chromium all use the report with --previous.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from timing import summary, timed  # noqa: E402  (benchmarks/timing.py)

from forumguide.audit import scoring  # noqa: E402
from forumguide.audit.answers import check_document  # noqa: E402
from forumguide.records.load import load_guidance  # noqa: E402
from forumguide.records.yamlsource import parse_file  # noqa: E402
from forumguide.report import board_html, board_pdf, warm  # noqa: E402

from browser import CHROMIUM_ARGS  # noqa: E402  (tests/browser.py: the flags chromium needs here)

EXAMPLE = ROOT / "examples" / "northbrook-2026.yaml"
PREVIOUS = ROOT / "examples" / "northbrook-2025.yaml"
# Printing from the command line: headless, the flags this machine needs, and no header or footer.
CHROMIUM_FLAGS = ["--headless", *CHROMIUM_ARGS, "--no-pdf-header-footer"]


def in_process(runs: int) -> str:
    g = load_guidance(ROOT, use_cache=False)
    data = scoring.scoring_data(g)
    answers = check_document(parse_file(EXAMPLE), ROOT, data).data
    previous = check_document(parse_file(PREVIOUS), ROOT, data).data
    warm(g)  # what each report service worker does once when it starts
    summary("in-process render (answers -> PDF bytes)", timed(lambda: board_pdf(g, answers), runs))
    summary("in-process render, with --previous", timed(lambda: board_pdf(g, answers, previous), runs))
    return board_html(g, answers, previous)


def cli(runs: int) -> None:
    exe = ROOT / ".venv" / "bin" / "forumguide"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.pdf"
        cmd = [str(exe), "report", str(EXAMPLE), "--previous", str(PREVIOUS), "-o", str(out)]
        subprocess.run(cmd, check=True, capture_output=True)  # so that the guidance cache is current
        summary(
            "whole CLI: forumguide report (fresh process)",
            timed(lambda: subprocess.run(cmd, check=True, capture_output=True), runs),
        )


# The least any WeasyPrint command can take for this HTML: a fresh Python that imports WeasyPrint (without
# the library search, see forumguide.report.pdf) and writes the PDF, nothing else. The CLI's own cost is the
# difference between this and the whole CLI.
FLOOR = """
import ctypes.util, gc, os, sys
ctypes.util.find_library = lambda name: None
gc.disable()
from weasyprint import HTML
HTML(filename=sys.argv[1]).write_pdf(sys.argv[2], pdf_variant="pdf/ua-1")
os._exit(0)
"""


def weasyprint_floor(html: str, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        cmd = [sys.executable, "-c", FLOOR, str(page), str(Path(tmp) / "floor.pdf")]
        summary(
            "bare WeasyPrint in a fresh process (floor)",
            timed(lambda: subprocess.run(cmd, check=True, capture_output=True), runs),
        )


def chromium(html: str, runs: int) -> None:
    browser = shutil.which("chromium")
    if not browser:
        print("chromium not installed: skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        out = Path(tmp) / "chromium.pdf"

        def run() -> None:
            profile = tempfile.mkdtemp(dir=tmp)
            subprocess.run(
                [
                    browser,
                    *CHROMIUM_FLAGS,
                    f"--user-data-dir={profile}",
                    f"--print-to-pdf={out}",
                    page.as_uri(),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )

        summary("headless Chromium printing the same HTML", timed(run, runs))


def service(seconds: float) -> None:
    import httpx
    import uvicorn

    from forumguide.server import Limits, create_app

    body = {"current": yaml.safe_load(EXAMPLE.read_text()), "previous": yaml.safe_load(PREVIOUS.read_text())}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    limits = Limits(workers=2, waiting=8, timeout=60)
    server = uvicorn.Server(
        uvicorn.Config(create_app(ROOT, None, limits), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}/api/report"
    for _ in range(limits.workers * 2):
        httpx.post(url, json=body, timeout=120)  # warm every worker
    try:
        for clients in (1, 4):
            latencies: list[float] = []
            statuses: list[int] = []
            deadline = time.time() + seconds

            def client(
                deadline: float = deadline, latencies: list[float] = latencies, statuses: list[int] = statuses
            ) -> None:
                with httpx.Client(timeout=120) as http:
                    while time.time() < deadline:
                        start = time.perf_counter()
                        r = http.post(url, json=body)
                        latencies.append(time.perf_counter() - start)
                        statuses.append(r.status_code)

            start = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(clients) as pool:
                for f in [pool.submit(client) for _ in range(clients)]:
                    f.result()
            elapsed = time.perf_counter() - start
            ok = statuses.count(200)
            lat = sorted(latencies)
            p95 = lat[int(round(0.95 * (len(lat) - 1)))]
            print(
                f"service, {clients} client(s), {limits.workers} workers: {ok / elapsed:5.2f} reports/s, "
                f"p50 {statistics.median(lat):.3f} s, p95 {p95:.3f} s, statuses {sorted(set(statuses))}"
            )
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    html = in_process(args.runs)
    cli(max(3, args.runs // 2))
    weasyprint_floor(html, max(3, args.runs // 2))
    chromium(html, max(3, args.runs // 2))
    service(args.seconds)


if __name__ == "__main__":
    main()
