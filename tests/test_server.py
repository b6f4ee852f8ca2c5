"""The report service's contract, driven in-process (Starlette's TestClient runs the real ASGI app, its
lifespan and its render processes, without a socket); one smoke test over real HTTP at the end."""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import socket
import threading
import time

import httpx
import pytest
import yaml
from pypdf import PdfReader
from starlette.testclient import TestClient

from forumguide.server import Limits, create_app

from conftest import ROOT, RunningServer

EXAMPLE = yaml.safe_load((ROOT / "examples" / "northbrook-2026.yaml").read_text())
PREVIOUS = yaml.safe_load((ROOT / "examples" / "northbrook-2025.yaml").read_text())
JSON = {"content-type": "application/json"}


def wait_for(condition, seconds: float = 120.0, what: str = "condition"):
    """Poll until `condition()` is truthy (generous deadline: the machine may be busy)."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def ready(client: TestClient) -> bool:
    return client.get("/readyz").status_code == 200


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(ROOT, None, Limits(workers=1, waiting=1, timeout=120))) as c:
        wait_for(lambda: ready(c), what="a render worker")
        yield c


def test_score_matches_the_cli_result(client, guidance):
    from forumguide.audit.scoring import score, scoring_data

    response = client.post("/api/score", json=EXAMPLE)
    assert response.status_code == 200
    assert response.json()["result"] == json.loads(json.dumps(score(scoring_data(guidance), EXAMPLE)))


def test_report_is_a_pdf_with_the_scores_and_the_comparison(client, guidance):
    from forumguide.audit.scoring import score, scoring_data

    response = client.post("/api/report", json={"current": EXAMPLE, "previous": PREVIOUS})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Northbrook Peer Support Forum" in text
    assert "Change since the last audit" in text
    assert f"{score(scoring_data(guidance), EXAMPLE)['overall']['display']}%" in text


def test_invalid_answers_get_400_with_the_cli_messages(client):
    bad = {**EXAMPLE, "answers": {**EXAMPLE["answers"], "no-such-item": {"rating": "fully"}}}
    response = client.post("/api/report", json=bad)
    assert response.status_code == 400
    messages = [p["message"] for p in response.json()["problems"]]
    assert any(m.startswith("There is no checklist item 'no-such-item'.") for m in messages)


def test_a_critical_item_marked_not_applicable_is_refused_with_the_profile_answer_to_change(client):
    bad = {
        **EXAMPLE,
        "profile": {**EXAMPLE["profile"], "audience": ["young-people"]},
        "answers": {**EXAMPLE["answers"], "safety-young-people": {"rating": "not-applicable", "reason": "x"}},
    }
    for endpoint in ("score", "report"):
        response = client.post(f"/api/{endpoint}", json=bad)
        assert response.status_code == 400
        [problem] = [p for p in response.json()["problems"] if p["severity"] == "error"]
        assert problem["field"] == "answers.safety-young-people.rating"
        assert (
            "change your answer to 'Who is likely to use the forum?' (audience) instead" in problem["message"]
        )


def test_an_incomplete_audit_is_scored_without_a_band(client):
    few = {**EXAMPLE, "answers": dict(list(EXAMPLE["answers"].items())[:4])}
    result = client.post("/api/score", json=few).json()["result"]
    assert result["band"] is None and result["complete"] is False and result["answered"] == 4
    assert result["range"]["low"] < result["range"]["high"]


def test_broken_json_gets_400(client):
    response = client.post("/api/score", content=b'{"format": ', headers=JSON)
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["message"]


def test_bodies_over_one_megabyte_get_413(client):
    huge = {**EXAMPLE, "organisation": "x" * 1_100_000}
    assert client.post("/api/report", json=huge).status_code == 413
    # A body that hides its size (no Content-Length, sent in pieces) is cut off just the same.
    pieces = (b"x" * 100_000 for _ in range(12))
    assert client.post("/api/score", content=pieces, headers=JSON).status_code == 413


# -- every bad input: a 4xx with a one-line reason (these were 500s with tracebacks) ------------------


def one_line_reason(response) -> str:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    message = response.json()["message"]
    assert message and "\n" not in message and "Traceback" not in response.text
    return message


@pytest.mark.parametrize("path", ["/api/score", "/api/report"])
@pytest.mark.parametrize("depth", [100, 500, 900, 100_000])
def test_deep_nesting_is_refused(client, path, depth):
    body = '{"format": "forumguide-answers/1", "organisation": ' + "[" * depth + "]" * depth + "}"
    assert "nested more than 64 levels" in one_line_reason(client.post(path, content=body, headers=JSON))


@pytest.mark.parametrize("number", ["9" * 5000, "-" + "1" * 30, "1e999", "9007199254740993"])
def test_huge_numbers_are_refused(client, number):
    body = json.dumps({**EXAMPLE, "organisation": "N"}).replace('"N"', number)
    assert "out of range" in one_line_reason(client.post("/api/score", content=body, headers=JSON))


@pytest.mark.parametrize("where", ["rating", "organisation", "key"])
def test_lone_surrogates_are_refused(client, where):
    body = json.loads(json.dumps(EXAMPLE))
    item = min(body["answers"])
    if where == "rating":
        body["answers"][item]["rating"] = "\ud800"
    elif where == "organisation":
        body["organisation"] = "Forum \udfff"
    else:
        body["answers"]["\ud800"] = {"rating": "fully"}
    raw = json.dumps(body)  # ASCII-only JSON with \ud800 escapes, as any client may send
    for path in ("/api/score", "/api/report"):
        assert "unpaired surrogate" in one_line_reason(client.post(path, content=raw, headers=JSON))
    # A correctly escaped pair is one character, and welcome.
    assert (
        client.post(
            "/api/score", content=json.dumps({**EXAMPLE, "organisation": "Forum 😀"}), headers=JSON
        ).status_code
        == 200
    )


def test_duplicate_keys_are_refused_with_the_cli_message(client, tmp_path, capsys):
    from forumguide.cli import main

    raw = json.dumps(EXAMPLE)[:-1] + ', "forum": "Another"}'
    message = one_line_reason(client.post("/api/score", content=raw, headers=JSON))
    problems = client.post("/api/score", content=raw, headers=JSON).json()["problems"]
    assert message == "The answers could not be used."
    assert [(p["field"], p["message"]) for p in problems] == [
        ("forum", "The field 'forum' is written twice; keep one.")
    ]
    path = tmp_path / "answers.json"
    path.write_text(raw)
    assert main(["score", str(path), "--path", str(ROOT)]) == 1
    assert "forum: The field 'forum' is written twice; keep one." in capsys.readouterr().err


def test_duplicate_keys_in_a_comparison_are_refused_wherever_they_are(client):
    current = json.dumps(EXAMPLE)
    for raw, field in [
        (f'{{"current": {current}, "current": {current}}}', "current"),
        (f'{{"current": {current}, "previous": {current[:-1]}, "forum": "x"}}}}', "forum"),
    ]:
        response = client.post("/api/report", content=raw, headers=JSON)
        one_line_reason(response)
        assert [p["field"] for p in response.json()["problems"] if p["severity"] == "error"] == [field]


def test_error_responses_quote_only_a_short_excerpt(client):
    key = "k" * 900_000
    response = client.post("/api/score", json={**EXAMPLE, "answers": {key: {"rating": "fully"}}})
    assert "longer than 200 characters" in one_line_reason(response)
    assert len(response.content) < 2_000
    many = {**EXAMPLE, "answers": {f"item-{i}-" + "z" * 150: {"rating": "x" * 79} for i in range(500)}}
    response = client.post("/api/score", json=many)
    one_line_reason(response)
    assert len(response.content) < 100_000
    assert response.json()["problems"][-1]["message"].endswith(
        "more problems are not listed; correct these first."
    )


# -- cross-site protection and methods -------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        None,
        "application/json; charset=latin-1",
    ],
)
def test_only_json_is_accepted(client, content_type):
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/api/report", content=json.dumps(EXAMPLE), headers=headers)
    assert response.status_code == 415
    assert "application/json" in response.json()["message"]


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "null", "http://testserver.evil.example", "file://"]
)
def test_posts_from_other_sites_are_refused(client, origin):
    response = client.post("/api/report", json=EXAMPLE, headers={"origin": origin})
    assert response.status_code == 403
    assert "other sites" in response.json()["message"]


def test_the_sites_own_pages_and_non_browser_clients_may_post(client):
    assert client.post("/api/score", json=EXAMPLE, headers={"origin": "http://testserver"}).status_code == 200
    assert client.post("/api/score", json=EXAMPLE).status_code == 200  # no Origin: curl, the CLI, scripts
    assert (
        client.post("/api/score", json=EXAMPLE, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    )


def test_wrong_methods_get_405_with_allow_and_api_paths_never_get_html(client):
    for method in ("GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"):
        response = client.request(method, "/api/report")
        assert response.status_code == 405, method
        assert response.headers["allow"] == "POST"
    response = client.post("/api/status")
    assert response.status_code == 405 and response.headers["allow"] == "GET, HEAD"
    for method in ("GET", "HEAD", "POST"):
        response = client.request(method, "/api/no-such-thing")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/json"


# -- status, health, readiness ------------------------------------------------------------------------


def test_status_health_and_readiness(client):
    status = client.get("/api/status").json()
    assert status["service"] == "forumguide" and status["report"] is True and status["ready"] is True
    assert status["render"]["workers"] == 1
    assert client.get("/healthz").json() == {"alive": True}
    assert client.get("/readyz").status_code == 200


def test_score_is_answered_while_every_render_slot_is_taken():
    """/api/score runs in the serving process: a full render pool does not delay or refuse it."""
    with TestClient(create_app(ROOT, None, Limits(workers=1, waiting=0, timeout=120))) as client:
        service = client.app.state.service
        wait_for(lambda: ready(client), what="a render worker")
        [pid] = service.pool.pids()
        os.kill(pid, signal.SIGSTOP)  # the worker cannot finish until we let it
        try:
            with_report = threading.Thread(
                target=lambda: results.append(client.post("/api/report", json=EXAMPLE))
            )
            results: list = []
            with_report.start()
            wait_for(lambda: service.pool.status()["busy"] == 1, what="the render to start")
            busy = client.post("/api/report", json=EXAMPLE)
            assert busy.status_code == 503 and busy.headers["retry-after"].isdigit()
            assert client.get("/readyz").status_code == 503
            assert client.get("/api/status").json()["ready"] is False
            for _ in range(20):
                assert client.post("/api/score", json=EXAMPLE).status_code == 200
        finally:
            os.kill(pid, signal.SIGCONT)
        with_report.join()
        assert results[0].status_code == 200


def test_a_client_that_disconnects_is_one_info_line(client, caplog):
    import asyncio

    app = client.app
    messages = iter(
        [{"type": "http.request", "body": b'{"format": ', "more_body": True}, {"type": "http.disconnect"}]
    )
    sent: list = []

    async def receive():
        return next(messages)

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/report",
        "raw_path": b"/api/report",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json")],
        "scheme": "http",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 1),
        "http_version": "1.1",
        "asgi": {"version": "3.0"},
        "state": {},
    }
    caplog.set_level(logging.INFO, logger="forumguide")
    asyncio.run(app(scope, receive, send))
    records = [r for r in caplog.records if r.name.startswith("forumguide")]
    assert [r.levelname for r in records] == ["INFO"]
    assert "disconnected" in records[0].getMessage() and not records[0].exc_info


def test_service_keeps_and_logs_no_answer_content(client, caplog, capfd):
    marker = "UNIQUE-ORG-MARKER-7f3a"
    caplog.set_level(logging.DEBUG)
    before = {
        p for p in (ROOT).rglob("*") if p.is_file() and ".git" not in p.parts and ".venv" not in p.parts
    }
    body = {**EXAMPLE, "organisation": marker}
    assert client.post("/api/report", json=body).status_code == 200
    assert client.post("/api/score", json=body).status_code == 200
    assert client.post("/api/score", json={**body, "date": "not a date"}).status_code == 400
    out, err = capfd.readouterr()
    assert marker not in caplog.text and marker not in out and marker not in err
    after = {p for p in (ROOT).rglob("*") if p.is_file() and ".git" not in p.parts and ".venv" not in p.parts}
    new = [p for p in after - before if "__pycache__" not in p.parts and ".pytest_cache" not in p.parts]
    assert not any(marker.encode() in p.read_bytes() for p in new)


# -- over real HTTP ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_real_server_smoke_and_slow_headers_are_cut_off():
    from forumguide.server import HeaderTimeoutH11

    previous = HeaderTimeoutH11.header_timeout
    HeaderTimeoutH11.header_timeout = 1.0
    try:
        with RunningServer(Limits(workers=1, waiting=1, timeout=120)) as url:
            wait_for(lambda: httpx.get(f"{url}/readyz").status_code == 200, what="readiness")
            response = httpx.post(f"{url}/api/report", json=EXAMPLE, timeout=120)
            assert response.status_code == 200 and response.content.startswith(b"%PDF")
            # A client that sends its headers a byte at a time is disconnected, not waited for.
            port = int(url.rsplit(":", 1)[1])
            with socket.create_connection(("127.0.0.1", port), timeout=60) as slow:
                slow.sendall(b"POST /api/score HTTP/1.1\r\nHost: x\r\n")
                assert slow.recv(100) == b""  # closed by the server (recv would time out otherwise)
            assert httpx.post(f"{url}/api/score", json=EXAMPLE, timeout=60).status_code == 200
    finally:
        HeaderTimeoutH11.header_timeout = previous
