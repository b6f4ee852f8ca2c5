"""The scoring model against fictional forums of known quality (examples/archetypes/).

Each archetype is an audit answered from a short fact list at the top of its file. The facts and the
order below were written before the model was tuned, and are never changed to fit a score: if a test
here fails, the model (items, levels, weights) is wrong, not the facts.
"""

from __future__ import annotations

import copy
import subprocess
import sys

import pytest
import yaml

from forumguide.audit.answers import check_document
from forumguide.audit.scoring import applies, score, scoring_data
from forumguide.records.yamlsource import Document

from conftest import ROOT

FOLDER = ROOT / "examples" / "archetypes"
HARBOUR = "harbour-line-24-7"  # 24/7, clinician-moderated, every post read first
RIVERBANK = "riverbank-office-hours-with-plan"  # office hours, with an out-of-hours plan
MILLBROOK = "millbrook-office-hours-no-plan"  # office hours, nothing out of hours
OPEN_CIRCLE = "open-circle-peer-led"  # volunteer peer-led open community
NOTICEBOARD = "noticeboard-unmoderated"  # nobody moderates
YOUTH = "youth-space"  # youth forum, long hours, closed overnight

# (better, worse): a sensible model must rank the first above the second. Pairs the facts do not
# settle (the peer-led community against the office-hours forum without a plan, say) are left out.
LIMITING_HARM = [
    (HARBOUR, RIVERBANK),
    (RIVERBANK, MILLBROOK),
    (MILLBROOK, NOTICEBOARD),
    (HARBOUR, OPEN_CIRCLE),
    (OPEN_CIRCLE, NOTICEBOARD),
    (YOUTH, MILLBROOK),
    (YOUTH, OPEN_CIRCLE),
]
OVERALL = [
    (HARBOUR, RIVERBANK),
    (RIVERBANK, MILLBROOK),
    (MILLBROOK, NOTICEBOARD),
    (OPEN_CIRCLE, NOTICEBOARD),
    (YOUTH, MILLBROOK),
]
# The critical gaps the facts imply (exactly, except for the unmoderated board: at least these).
CRITICAL_GAPS = {
    HARBOUR: set(),
    RIVERBANK: set(),
    YOUTH: set(),
    MILLBROOK: {"moderation-out-of-hours", "safety-young-people"},
    OPEN_CIRCLE: {"safety-risk-procedure", "moderation-crisis-training", "safety-young-people"},
}
NOTICEBOARD_AT_LEAST = {
    "safety-crisis-signposting",
    "safety-risk-procedure",
    "safety-harmful-behaviour-policy",
    "moderation-out-of-hours",
    "moderation-risk-response-time",
    "safety-young-people",
}


def load(name: str) -> dict:
    return yaml.safe_load((FOLDER / f"{name}.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def data(guidance):
    return scoring_data(guidance)


@pytest.fixture(scope="module")
def results(data):
    return {path.stem: score(data, load(path.stem)) for path in sorted(FOLDER.glob("*.yaml"))}


def test_there_are_the_six_archetypes_each_with_its_facts_first():
    names = {p.stem for p in FOLDER.glob("*.yaml")}
    assert names == {HARBOUR, RIVERBANK, MILLBROOK, OPEN_CIRCLE, NOTICEBOARD, YOUTH}
    for name in names:
        text = (FOLDER / f"{name}.yaml").read_text(encoding="utf-8")
        assert text.startswith("# FICTIONAL ARCHETYPE."), name
        assert "# Facts (written before the answers" in text, name


@pytest.mark.parametrize("name", [HARBOUR, RIVERBANK, MILLBROOK, OPEN_CIRCLE, NOTICEBOARD, YOUTH])
def test_each_archetype_is_a_valid_complete_audit_of_this_version(data, name):
    checked = check_document(Document(file=name, data=load(name)), ROOT, data)
    assert checked.ok, [str(p) for p in checked.problems]
    assert checked.warnings == []
    result = score(data, checked.data)
    assert result["unanswered"] == [], "answer every applicable item (dont-know where the facts are silent)"
    assert result["complete"] and result["band"] is not None


@pytest.mark.parametrize("better, worse", LIMITING_HARM)
def test_limiting_harm_ranks_the_archetypes_as_their_facts_say(results, better, worse):
    b, w = results[better]["aims"]["limit-harm"], results[worse]["aims"]["limit-harm"]
    assert b["percent"] > w["percent"], f"{better} {b['display']}% should be above {worse} {w['display']}%"


@pytest.mark.parametrize("better, worse", OVERALL)
def test_the_overall_score_ranks_the_archetypes_as_their_facts_say(results, better, worse):
    b, w = results[better]["overall"], results[worse]["overall"]
    assert b["percent"] > w["percent"], f"{better} {b['display']}% should be above {worse} {w['display']}%"


@pytest.mark.parametrize("name", sorted(CRITICAL_GAPS))
def test_the_expected_critical_gaps(results, name):
    assert set(results[name]["critical_gaps"]) == CRITICAL_GAPS[name]


def test_the_unmoderated_board_shows_its_missing_safeguards(results):
    assert set(results[NOTICEBOARD]["critical_gaps"]) >= NOTICEBOARD_AT_LEAST


def test_round_the_clock_cover_earns_more_than_office_hours_on_the_same_forum(data):
    """The issue's first finding: the 24/7 service declared "office hours" scored the same. Cover is now
    in the items, so answering the coverage items as an office-hours forum must cost points."""
    harbour = load(HARBOUR)
    office = copy.deepcopy(harbour)
    office["profile"]["moderation"] = "office-hours"
    for item in ("moderation-cover-hours", "moderation-out-of-hours", "moderation-risk-response-time"):
        office["answers"][item] = {"rating": "partly"}
    assert (
        score(data, harbour)["aims"]["limit-harm"]["percent"]
        > score(data, office)["aims"]["limit-harm"]["percent"]
    )


def test_a_ten_percent_answered_archetype_gets_no_band(data):
    doc = load(HARBOUR)
    ids = [i["id"] for i in data["items"] if applies(i, doc["profile"])]
    keep = set(ids[: len(ids) // 10])
    doc["answers"] = {k: v for k, v in doc["answers"].items() if k in keep}
    result = score(data, doc)
    assert result["band"] is None and result["complete"] is False
    assert result["range"]["low"] < result["range"]["high"]


def test_the_cli_scores_every_archetype(data):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "forumguide.cli",
            "score",
            *sorted(str(p) for p in FOLDER.glob("*.yaml")),
            "--path",
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for path in FOLDER.glob("*.yaml"):
        assert load(path.stem)["forum"] in done.stdout
