"""`forumguide serve` as an operator runs it: one or several serving processes, stopped with SIGTERM,
leaving no process behind (each run gets its own process group, so any child left is found)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import httpx
import pytest

from conftest import ROOT, free_port
from test_server import EXAMPLE, wait_for

pytestmark = pytest.mark.slow  # starts `forumguide serve` processes


def group_is_empty(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                children = [int(c) for c in f.read().split()]
        except FileNotFoundError:
            continue
        found.update(children)
        todo.extend(children)
    return found


def reachable(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_finishes_the_render_in_progress_and_leaves_no_process(workers, tmp_path):
    port = free_port()
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "forumguide.cli",
            "serve",
            "--api-only",
            "--port",
            str(port),
            "--path",
            str(ROOT),
            "--workers",
            str(workers),
            "--render-workers",
            "1",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: reachable(url) or server.poll() is not None, seconds=180, what="the service")
        assert server.poll() is None
        # Serving processes answer on one port; each has its own render process.
        expected = 1 if workers == 1 else 2 * workers
        processes = wait_for(
            lambda: len(descendants(server.pid)) >= expected and descendants(server.pid), what="all processes"
        )
        assert httpx.get(f"{url}/healthz").json() == {"alive": True}
        assert httpx.post(f"{url}/api/score", json=EXAMPLE, timeout=60).status_code == 200

        results: list = []
        request = threading.Thread(
            target=lambda: results.append(httpx.post(f"{url}/api/report", json=EXAMPLE, timeout=120))
        )
        request.start()
        wait_for(lambda: results or b'"busy":1' in _status(url), what="a render in progress")
        server.send_signal(signal.SIGTERM)
        request.join()
        assert results[0].status_code == 200 and results[0].content.startswith(b"%PDF")
        server.wait(timeout=120)
        wait_for(lambda: group_is_empty(server.pid), what="every child process to end")
        assert not any(os.path.exists(f"/proc/{p}") for p in processes)
    finally:
        if server.poll() is None or not group_is_empty(server.pid):
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    log.seek(0)
    output = log.read()
    assert "Traceback" not in output and "leaked" not in output, output


def _status(url: str) -> bytes:
    try:
        return httpx.get(f"{url}/api/status", timeout=5).content.replace(b" ", b"")
    except httpx.HTTPError:
        return b""
