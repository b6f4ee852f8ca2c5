"""The report service over real HTTP: scores, PDFs, readable errors, limits, and no stored answers."""

from __future__ import annotations

import concurrent.futures
import io
import json

import httpx
import pytest
import yaml
from pypdf import PdfReader

from conftest import ROOT, RunningServer
from forumguide.server import Limits

EXAMPLE = yaml.safe_load((ROOT / "examples" / "northbrook-2026.yaml").read_text())
PREVIOUS = yaml.safe_load((ROOT / "examples" / "northbrook-2025.yaml").read_text())


@pytest.fixture(scope="module")
def service():
    with RunningServer(Limits(workers=1, waiting=1, timeout=60)) as url:
        httpx.post(f"{url}/api/score", json=EXAMPLE, timeout=60)  # wait for the worker to warm up
        yield url


def test_score_matches_the_cli_result(service, guidance):
    from forumguide.scoring import score, scoring_data
    response = httpx.post(f"{service}/api/score", json=EXAMPLE, timeout=60)
    assert response.status_code == 200
    assert response.json()["result"] == json.loads(json.dumps(score(scoring_data(guidance), EXAMPLE)))


def test_report_is_a_pdf_with_the_scores_and_the_comparison(service):
    response = httpx.post(f"{service}/api/report", json={"current": EXAMPLE, "previous": PREVIOUS}, timeout=120)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Northbrook Peer Support Forum" in text
    assert "Change since the last audit" in text
    assert "74%" in text


def test_invalid_answers_get_400_with_the_cli_messages(service):
    bad = {**EXAMPLE, "answers": {**EXAMPLE["answers"], "no-such-item": {"rating": "fully"}}}
    response = httpx.post(f"{service}/api/report", json=bad, timeout=60)
    assert response.status_code == 400
    messages = [p["message"] for p in response.json()["problems"]]
    assert any(m.startswith("There is no checklist item 'no-such-item'.") for m in messages)


def test_broken_json_gets_400(service):
    response = httpx.post(f"{service}/api/score", content=b'{"format": ', headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["message"]


def test_bodies_over_one_megabyte_get_413(service):
    huge = {**EXAMPLE, "organisation": "x" * 1_100_000}
    response = httpx.post(f"{service}/api/report", json=huge, timeout=60)
    assert response.status_code == 413


def test_saturated_service_answers_503_with_retry_after():
    with RunningServer(Limits(workers=1, waiting=0, timeout=120)) as url:
        httpx.post(f"{url}/api/score", json=EXAMPLE, timeout=60)
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            futures = [pool.submit(httpx.post, f"{url}/api/report", json=EXAMPLE, timeout=120) for _ in range(4)]
            statuses = sorted(f.result().status_code for f in futures)
            busy = [f.result() for f in futures if f.result().status_code == 503]
    assert 200 in statuses and busy, statuses
    assert all(r.headers["retry-after"].isdigit() for r in busy)


def test_service_keeps_and_logs_no_answer_content(service, caplog, capfd, tmp_path):
    import logging
    marker = "UNIQUE-ORG-MARKER-7f3a"
    caplog.set_level(logging.DEBUG)
    before = {p for p in (ROOT).rglob("*") if p.is_file() and ".git" not in p.parts and ".venv" not in p.parts}
    body = {**EXAMPLE, "organisation": marker}
    assert httpx.post(f"{service}/api/report", json=body, timeout=120).status_code == 200
    assert httpx.post(f"{service}/api/score", json=body, timeout=60).status_code == 200
    out, err = capfd.readouterr()
    assert marker not in caplog.text and marker not in out and marker not in err
    after = {p for p in (ROOT).rglob("*") if p.is_file() and ".git" not in p.parts and ".venv" not in p.parts}
    new = [p for p in after - before if "__pycache__" not in p.parts and ".pytest_cache" not in p.parts]
    assert not any(marker.encode() in p.read_bytes() for p in new)
