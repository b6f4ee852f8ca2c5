"""The render processes heal themselves: a killed, stuck or worn worker is replaced, the request that
met it gets a clean 503 with Retry-After, its slot is released, and /readyz tells the truth meanwhile.

Workers are frozen with SIGSTOP where a test needs a render to be in progress at a given moment, so no
test depends on how fast this machine renders."""

from __future__ import annotations

import contextlib
import os
import signal
import threading

import pytest
from starlette.testclient import TestClient

from forumguide.server import Limits, create_app

from conftest import ROOT
from test_server import EXAMPLE, ready, wait_for

pytestmark = pytest.mark.slow  # starts render processes and kills them


@pytest.fixture
def service_client(request):
    limits = request.param if hasattr(request, "param") else Limits(workers=1, waiting=0, timeout=120)
    with TestClient(create_app(ROOT, None, limits)) as client:
        wait_for(lambda: ready(client), what="a render worker")
        yield client, client.app.state.service.pool


@pytest.fixture
def frozen_worker(service_client) -> int:
    """The pool's only worker, stopped with SIGSTOP: a render sent to it stays in progress until the test
    kills the worker. If it is still there when the test ends, it is let go before the pool stops."""
    _, pool = service_client
    [pid] = pool.pids()
    os.kill(pid, signal.SIGSTOP)
    yield pid
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGCONT)


def post_in_background(client, path="/api/report"):
    results: list = []
    thread = threading.Thread(target=lambda: results.append(client.post(path, json=EXAMPLE)))
    thread.start()
    return thread, results


def test_a_worker_killed_mid_render_is_replaced_and_the_service_recovers(service_client, frozen_worker):
    client, pool = service_client
    pid = frozen_worker  # the render below cannot finish before the kill
    thread, results = post_in_background(client)
    wait_for(lambda: pool.status()["busy"] == 1, what="the render to start")
    os.kill(pid, signal.SIGKILL)  # as the kernel's OOM killer would
    thread.join()
    [response] = results
    assert response.status_code == 503
    assert response.headers["retry-after"].isdigit()
    assert "try again" in response.json()["message"]
    # The pool was not broken for good: a new worker comes up, readiness says so, reports work again.
    new = wait_for(lambda: [p for p in pool.pids() if p != pid], what="a replacement worker")
    assert pid not in pool.pids()
    wait_for(lambda: ready(client), what="readiness after the kill")
    assert pool.status()["busy"] == 0 and pool.status()["waiting"] == 0  # the slot was released
    for _ in range(2):
        assert client.post("/api/report", json=EXAMPLE).status_code == 200
    assert pool.pids() == new


def test_readiness_is_false_while_no_worker_can_render(service_client):
    client, pool = service_client
    [pid] = pool.pids()
    os.kill(pid, signal.SIGKILL)
    # Until the replacement has loaded the guidance, status and readyz must not claim readiness.
    wait_for(lambda: pool.pids() != [pid], what="the worker's death to be noticed")
    observed = [client.get("/readyz").status_code, client.get("/api/status").json()["ready"]]
    assert observed in ([503, False], [200, True])  # either not yet replaced, or already back
    wait_for(lambda: ready(client), what="readiness")
    assert client.get("/api/status").json()["render"]["workers"] == 1
    assert client.post("/api/report", json=EXAMPLE).status_code == 200


@pytest.mark.parametrize("service_client", [Limits(workers=1, waiting=1, timeout=2)], indirect=True)
def test_a_render_past_its_timeout_is_stopped_and_its_worker_replaced(service_client, frozen_worker):
    client, pool = service_client
    pid = frozen_worker  # a render that never ends
    response = client.post("/api/report", json=EXAMPLE)
    assert response.status_code == 503
    assert response.headers["retry-after"].isdigit()
    assert "took too long" in response.json()["message"]
    wait_for(
        lambda: not os.path.exists(f"/proc/{pid}") or _state(pid) == "Z", what="the stuck worker to be ended"
    )
    wait_for(lambda: ready(client) and pool.pids() and pid not in pool.pids(), what="a replacement")


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return "gone"


@pytest.mark.parametrize(
    "service_client", [Limits(workers=1, waiting=1, timeout=120, recycle_after=2)], indirect=True
)
def test_workers_are_recycled_after_n_renders(service_client):
    client, pool = service_client
    [first] = pool.pids()
    for _ in range(2):
        assert client.post("/api/report", json=EXAMPLE).status_code == 200
    second = wait_for(lambda: [p for p in pool.pids() if p != first], what="a fresh worker")
    assert first not in pool.pids()
    assert client.post("/api/report", json=EXAMPLE).status_code == 200
    assert pool.pids() == second


def test_an_idle_worker_that_dies_is_replaced_before_anyone_needs_it(service_client):
    client, pool = service_client
    [pid] = pool.pids()
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: ready(client) and pid not in pool.pids(), what="a replacement")
    assert client.post("/api/report", json=EXAMPLE).status_code == 200
