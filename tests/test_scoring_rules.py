"""The rules of scoring model 2.0 where people meet them: the CLI's text and JSON, the board report.

Completeness (no band below the threshold, a range instead), critical gaps (planned, don't know and
unanswered count; never "not applicable"), "don't know" listed to find out, and who assessed.
The same rules in the browser: test_checklist_parity.py (scores) and test_audit_browser.py (page);
in the service: test_server.py.
"""

from __future__ import annotations

import copy
import json
import re

import pytest
import yaml

from forumguide.audit.scoring import score, scoring_data
from forumguide.cli import main
from forumguide.report import board_html

from conftest import ROOT

EXAMPLE = yaml.safe_load((ROOT / "examples" / "northbrook-2026.yaml").read_text())


@pytest.fixture(scope="module")
def data(guidance):
    return scoring_data(guidance)


def _applicable(data, answers):
    from forumguide.audit.scoring import applies

    return [i for i in data["items"] if applies(i, answers["profile"])]


def _only_first(data, answers, share):
    """The answers of the example, cut down to the first `share` of its applicable items."""
    doc = copy.deepcopy(answers)
    keep = [i["id"] for i in _applicable(data, doc)][: int(len(_applicable(data, doc)) * share)]
    doc["answers"] = {k: v for k, v in doc["answers"].items() if k in keep}
    return doc


def _text(html: str) -> str:
    html = re.sub(r"<(style|svg)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'").replace("&amp;", "&")


def _cli(capsys, tmp_path, doc, *args):
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    code = main(["score", str(path), "--path", str(ROOT), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


# -- completeness -----------------------------------------------------------------------------------------


def test_a_ten_percent_answered_audit_gets_no_band_anywhere(capsys, tmp_path, guidance, data):
    doc = _only_first(data, EXAMPLE, 0.1)
    result = score(data, doc)
    assert result["band"] is None and result["complete"] is False
    code, out, _ = _cli(capsys, tmp_path, doc, "--format", "json")
    js = json.loads(out)["result"]
    assert code == 0 and js["band"] is None and js["complete"] is False
    assert js["answered"] == result["answered"] and js["range"] == result["range"]
    code, out, _ = _cli(capsys, tmp_path, doc)
    assert f"Incomplete: {result['answered']} of {result['applicable']} answered" in out
    assert f"between {result['range']['low']}–{result['range']['high']}%" in out
    assert not any(b["label"] in out for b in data["bands"])
    report = _text(board_html(guidance, doc))
    assert f"Incomplete: {result['answered']} of {result['applicable']} answered" in report
    assert f"{result['range']['low']}–{result['range']['high']}%" in report
    summary = report[report.index("Summary") : report.index("Critical gaps")]
    assert not any(b["label"] in summary for b in data["bands"])


def test_the_text_report_says_once_that_the_forum_is_not_named(capsys, tmp_path):
    code, out, _ = _cli(capsys, tmp_path, {**EXAMPLE, "forum": "", "organisation": ""})
    assert code == 0
    assert out.splitlines()[0] == "Self-audit (forum and organisation not named)"
    code, out, _ = _cli(capsys, tmp_path, EXAMPLE)
    assert out.splitlines()[0] == f"Self-audit: {EXAMPLE['forum']} — {EXAMPLE['organisation']}"


def test_a_complete_audit_gets_its_band_and_the_json_fields(capsys, tmp_path, data):
    code, out, _ = _cli(capsys, tmp_path, EXAMPLE, "--format", "json")
    js = json.loads(out)["result"]
    assert code == 0
    assert js["complete"] is True and js["band"]["label"] == "Established"
    assert js["answered"] == js["applicable"] - len(js["unanswered"])
    assert js["range"]["low"] <= js["overall"]["display"] <= js["range"]["high"]


# -- critical gaps ----------------------------------------------------------------------------------------


def test_planned_dont_know_and_unanswered_critical_items_are_critical_gaps_in_the_cli_and_the_report(
    capsys, tmp_path, guidance, data
):
    doc = copy.deepcopy(EXAMPLE)
    doc["answers"]["safety-crisis-signposting"] = {"rating": "planned"}
    doc["answers"]["safety-hostile-behaviour"] = {"rating": "dont-know"}
    doc["answers"].pop("safety-harmful-behaviour-policy")
    gaps = score(data, doc)["critical_gaps"]
    assert {
        "safety-crisis-signposting",
        "safety-hostile-behaviour",
        "safety-harmful-behaviour-policy",
    } <= set(gaps)
    _, out, _ = _cli(capsys, tmp_path, doc)
    title = guidance.item_by_id
    assert f"! {title['safety-crisis-signposting'].title} — planned" in out
    assert f"! {title['safety-hostile-behaviour'].title} — don't know" in out
    assert f"! {title['safety-harmful-behaviour-policy'].title} — not yet answered" in out
    assert f"? {title['safety-hostile-behaviour'].title}" in out  # ... and listed to find out
    report = _text(board_html(guidance, doc))
    assert f"{title['safety-crisis-signposting'].title} (planned)" in report
    assert f"{title['safety-harmful-behaviour-policy'].title} (not yet answered)" in report
    assert "To find out" in report


def test_critical_gaps_none_only_when_every_critical_item_is_answered_and_in_place(guidance, data):
    doc = copy.deepcopy(EXAMPLE)
    for item in data["items"]:
        if item["critical"]:
            doc["answers"][item["id"]] = {"rating": "partly"}
    assert score(data, doc)["critical_gaps"] == []
    assert "Critical gaps None: every safety-critical item" in _text(board_html(guidance, doc))
    doc["answers"].pop("safety-crisis-signposting")
    assert "Critical gaps None" not in _text(board_html(guidance, doc))


@pytest.mark.parametrize(
    "item_id, says",
    [
        ("safety-crisis-signposting", "applies to every forum"),
        ("safety-harmful-behaviour-policy", "applies to every forum"),  # the universal safety baseline
        ("safety-young-people", "change your answer to 'Who is likely to use the forum?' (audience)"),
    ],
)
def test_the_cli_refuses_a_critical_item_marked_not_applicable(capsys, tmp_path, item_id, says):
    doc = copy.deepcopy(EXAMPLE)
    doc["profile"]["audience"] = ["adults", "young-people"]
    doc["answers"][item_id] = {"rating": "not-applicable", "reason": "x"}
    code, out, err = _cli(capsys, tmp_path, doc)
    assert code == 1 and out == ""
    assert f"answers.{item_id}.rating" in err and "safety-critical" in err and says in err
    assert "could not be scored; nothing was changed" in err


# -- who assessed, the profile ------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["self", "peer-review", "external", "desk-review"])
def test_the_report_cover_sentence_follows_the_assessment_method(guidance, data, method):
    found = next(m for m in data["assessment"] if m["id"] == method)
    report = _text(board_html(guidance, {**EXAMPLE, "assessment": method}))
    named = found["cover"].replace("{organisation}", EXAMPLE["organisation"])
    assert f"{named}, against open, evidence-based design guidance" in report
    assert EXAMPLE["organisation"] in named, "each method's sentence names who was assessed"
    others = [m["cover"].split("{organisation}")[0] for m in data["assessment"] if m["id"] != method]
    assert not any(o in report for o in others)


@pytest.mark.parametrize("method", ["self", "peer-review", "external", "desk-review"])
def test_without_an_organisation_the_cover_sentence_points_at_no_name(guidance, data, method):
    found = next(m for m in data["assessment"] if m["id"] == method)
    report = _text(board_html(guidance, {**EXAMPLE, "assessment": method, "organisation": ""}))
    unnamed = found["cover"].replace("{organisation}", "the organisation that runs the forum")
    assert f"{unnamed}, against open, evidence-based design guidance" in report
    assert "{" not in report and "named above" not in report


def test_the_report_and_the_cli_print_the_forum_profile(capsys, tmp_path, guidance):
    report = _text(board_html(guidance, EXAMPLE))
    assert (
        "Forum profile Who is likely to use the forum? Adults (18 and over); Family members, friends and carers"
        in report
    )
    assert "When is the forum moderated? Moderated during working hours" in report
    _, out, _ = _cli(capsys, tmp_path, EXAMPLE)
    assert "  Who is likely to use the forum? Adults (18 and over); Family members, friends and carers" in out


# -- answers made for guidance 1.0 --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["northbrook-2025.yaml", "northbrook-2026.yaml"])
def test_answers_made_for_guidance_1_0_still_load(capsys, name):
    path = ROOT / "tests" / "fixtures" / "answers-1.0" / name
    assert yaml.safe_load(path.read_text())["guidance_version"] == "1.0"
    code = main(["score", str(path), "--path", str(ROOT)])
    out = capsys.readouterr().out
    assert code == 0
    assert "These answers were made against guidance version 1.0; this is version 2.0." in out


def test_several_files_are_compared_in_one_table_best_first(capsys, tmp_path, data):
    few = _only_first(data, EXAMPLE, 0.1)
    few["forum"] = "Half-done forum"
    paths = []
    for name, doc in (("few.yaml", few), ("full.yaml", EXAMPLE)):
        paths.append(tmp_path / name)
        paths[-1].write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    assert main(["score", *map(str, paths), "--path", str(ROOT)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["Forum", "Overall", "Band"] and "Limiting harm" in lines[0]
    full, half = score(data, EXAMPLE), score(data, few)
    assert (
        lines[2].startswith("Northbrook Peer Support Forum") and f"{full['overall']['display']}%" in lines[2]
    )
    assert "Established" in lines[2] and lines[2].endswith("full.yaml")
    assert lines[3].startswith("Half-done forum") and "Incomplete" in lines[3]
    assert f"{half['range']['low']}–{half['range']['high']}%" in lines[3]
    assert main(["score", *map(str, paths), "--path", str(ROOT), "--format", "json"]) == 0
    documents = json.loads(capsys.readouterr().out)
    assert [d["result"]["band"] for d in documents] == [None, full["band"]]
