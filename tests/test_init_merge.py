"""`forumguide init` (a blank answers file from the records) and `forumguide merge` (a team's files
combined, every disagreement listed with who said what, the rule applied and recorded)."""

from __future__ import annotations

import copy
import json
import random
import re
import shutil
import subprocess

import pytest
import yaml

from forumguide.audit.answers import read_answers_file
from forumguide.audit.merge import Source, merge
from forumguide.audit.scoring import rating_labels, score, scoring_data
from forumguide.cli import main

from conftest import ROOT

EXAMPLE = yaml.safe_load((ROOT / "examples" / "northbrook-2026.yaml").read_text())


@pytest.fixture(scope="module")
def data(guidance):
    return scoring_data(guidance)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--path", str(ROOT)])
    out = capsys.readouterr()
    return code, out.out, out.err


# -- init ------------------------------------------------------------------------------------------------


def test_init_lists_every_item_with_title_and_question_and_every_profile_option(
    tmp_path, capsys, guidance, data
):
    target = tmp_path / "blank.yaml"
    assert run(capsys, "init", "-o", str(target), "--date", "2027-01-20")[0] == 0
    text = target.read_text(encoding="utf-8")
    flat = re.sub(r"\s*\n\s*#\s*", " ", text)  # comments wrap; read them as one line
    for item in guidance.checklist:
        assert re.search(rf"^  {re.escape(item.id)}:\n    rating:\n", text, re.MULTILINE), item.id
        assert f"# {item.title}" in text
        assert " ".join(item.question.split()) in flat
    for question in data["profile"]:
        assert re.search(rf"^  {question['id']}:$", text, re.MULTILINE)
        for option in question["options"]:
            assert f"#   {option['id']}: {option['label']}" in text
    for rating in [*data["scale"], data["not_applicable"]]:
        assert re.search(rf"#\s+{rating['id']}\s+{re.escape(rating['label'])}:", text)
    critical = next(i for i in data["items"] if i["critical"])
    assert f"# {guidance.item_by_id[critical['id']].title} (SAFETY-CRITICAL)" in text


def test_the_blank_file_is_a_valid_answers_file_with_nothing_answered(tmp_path, capsys, data):
    target = tmp_path / "blank.yaml"
    run(capsys, "init", "-o", str(target), "--date", "2027-01-20")
    checked = read_answers_file(target, ROOT, data)
    assert checked.ok and not checked.problems
    assert checked.data["date"] == "2027-01-20"
    result = score(data, checked.data)
    assert result["overall"]["rated"] == 0 and len(result["unanswered"]) == len(data["items"])


def test_init_json_has_the_same_items_and_refuses_to_overwrite(tmp_path, capsys, data):
    target = tmp_path / "blank.json"
    assert run(capsys, "init", "-o", str(target))[0] == 0  # .json chooses the format
    doc = json.loads(target.read_text())
    assert list(doc["answers"]) == [i["id"] for i in data["items"]]
    assert list(doc["profile"]) == [q["id"] for q in data["profile"]]
    assert read_answers_file(target, ROOT, data).ok
    code, _, err = run(capsys, "init", "-o", str(target), "--format", "yaml")
    assert code == 1 and "already exists" in err
    assert json.loads(target.read_text()) == doc  # untouched
    assert run(capsys, "init", "-o", str(target), "--format", "yaml", "--force")[0] == 0
    assert target.read_text().startswith("# A blank self-audit answers file")


# -- merge -------------------------------------------------------------------------------------------------


def _team(tmp_path):
    """Three assessors' files made from the example, with real disagreements."""
    priya, tom, helen = (copy.deepcopy(EXAMPLE) for _ in range(3))
    priya["assessors"], tom["assessors"], helen["assessors"] = (
        ["Priya Shah (Head of Digital Services)"],
        ["Tom Okafor (Moderation Lead)"],
        ["Helen Marsh (Lived Experience Advisor)"],
    )
    # A non-critical item: a safety-critical one cannot be marked not applicable at all (guidance 2.0).
    tom["answers"]["efficacy-sharing-what-helped"].update(
        rating="partly", notes="The banner is missing from the app's settings screen."
    )
    helen["answers"]["efficacy-sharing-what-helped"] = {
        "rating": "not-applicable",
        "reason": "We thought the app was out of scope.",
    }
    tom["answers"]["efficacy-search-and-tags"]["rating"] = "planned"
    tom["profile"]["moderation"] = "extended"
    helen["profile"]["topics"] = ["general", "eating-disorders"]
    helen["answers"]["safety-risk-procedure"]["owner"] = "Head of Digital Services"
    helen["date"] = "2026-10-20"
    # Someone who has not answered an item is not disagreeing with those who have.
    del tom["answers"]["services-one-source"]
    files = []
    for name, doc in (("priya.yaml", priya), ("tom.yaml", tom), ("helen.yaml", helen)):
        (tmp_path / name).write_text(
            yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        files.append(str(tmp_path / name))
    return files


def test_merge_lists_every_disagreement_with_who_said_what_and_takes_the_lowest(
    tmp_path, capsys, data, guidance
):
    files = _team(tmp_path)
    out = tmp_path / "merged.yaml"
    code, _, err = run(capsys, "merge", *files, "-o", str(out))
    assert code == 0, err
    assert "4 disagreement(s)" in err
    labels = rating_labels(data)
    block = err[err.index(guidance.item_by_id["efficacy-sharing-what-helped"].title) :]
    assert "Priya Shah (Head of Digital Services): " + labels["fully"] in block
    assert "Tom Okafor (Moderation Lead): " + labels["partly"] in block
    assert "Helen Marsh (Lived Experience Advisor): " + labels["not-applicable"] in block
    assert "→ " + labels["partly"] in block
    assert "Profile: When is the forum moderated?" in err
    assert "owner differs" in err

    merged = read_answers_file(out, ROOT, data)
    assert merged.ok, merged.problems
    doc = merged.data
    answers = doc["answers"]
    assert answers["efficacy-sharing-what-helped"]["rating"] == "partly"
    assert answers["efficacy-search-and-tags"]["rating"] == "planned"
    assert answers["services-one-source"]["rating"] == EXAMPLE["answers"]["services-one-source"]["rating"]
    # Different notes are both kept, each under its author; the unused N/A reason is kept too.
    notes = answers["efficacy-sharing-what-helped"]["notes"]
    assert "Priya Shah (Head of Digital Services): The welcome message" in notes
    assert "Tom Okafor (Moderation Lead): The banner is missing" in notes
    assert "We thought the app was out of scope." in notes
    assert answers["safety-risk-procedure"]["owner"] == "Clinical safety lead"  # the first given
    assert doc["assessors"] == [
        "Priya Shah (Head of Digital Services)",
        "Tom Okafor (Moderation Lead)",
        "Helen Marsh (Lived Experience Advisor)",
    ]
    assert doc["date"] == "2026-10-20"
    # A multiple-choice profile question takes every answer given; a single-choice one is left open.
    assert doc["profile"]["topics"] == ["general", "self-harm-suicide", "eating-disorders"]
    assert "moderation" not in doc["profile"]
    record = doc["merge"]
    assert record["rule"] == "lowest"
    assert [s["file"] for s in record["sources"]] == ["priya.yaml", "tom.yaml", "helen.yaml"]
    disputed = {d.get("item") or d.get("question"): d for d in record["disagreements"]}
    assert set(disputed) == {
        "efficacy-sharing-what-helped",
        "efficacy-search-and-tags",
        "moderation",
        "topics",
    }
    assert disputed["efficacy-sharing-what-helped"]["views"] == [
        {"by": "Priya Shah (Head of Digital Services)", "value": "fully"},
        {"by": "Tom Okafor (Moderation Lead)", "value": "partly"},
        {"by": "Helen Marsh (Lived Experience Advisor)", "value": "not-applicable"},
    ]
    assert disputed["efficacy-search-and-tags"]["chosen"] == "planned"


def test_the_unresolved_rule_leaves_disputed_ratings_open(tmp_path, capsys, data):
    files = _team(tmp_path)
    out = tmp_path / "merged.json"
    assert run(capsys, "merge", *files, "--rule", "unresolved", "-o", str(out))[0] == 0
    doc = json.loads(out.read_text())
    assert "rating" not in doc["answers"]["efficacy-sharing-what-helped"]
    assert "rating" not in doc["answers"]["efficacy-search-and-tags"]
    assert doc["answers"]["safety-anonymity"] == EXAMPLE["answers"]["safety-anonymity"]  # agreed: unchanged
    assert "topics" not in doc["profile"]
    assert all(d["chosen"] is None for d in doc["merge"]["disagreements"])
    result = score(data, doc)
    assert {"efficacy-sharing-what-helped", "efficacy-search-and-tags"} <= set(result["unanswered"])


def test_agreeing_files_merge_with_no_disagreement(data):
    a, b = copy.deepcopy(EXAMPLE), copy.deepcopy(EXAMPLE)
    a["assessors"], b["assessors"] = ["A"], ["B"]
    merged = merge(data, [Source("a.yaml", a), Source("b.yaml", b)])
    assert merged.disagreements == [] and merged.details == []
    assert {k: v.get("rating") for k, v in merged.answers["answers"].items()} == {
        k: v.get("rating") for k, v in EXAMPLE["answers"].items()
    }
    assert (
        merged.answers["answers"]["efficacy-sharing-what-helped"]["notes"]
        == EXAMPLE["answers"]["efficacy-sharing-what-helped"]["notes"]
    )


def test_sources_without_assessors_are_named_by_file_and_one_file_is_refused(data, tmp_path, capsys):
    a, b = copy.deepcopy(EXAMPLE), copy.deepcopy(EXAMPLE)
    a["assessors"] = b["assessors"] = []
    b["answers"]["safety-anonymity"]["rating"] = "planned"
    merged = merge(data, [Source("first.yaml", a), Source("second.yaml", b)])
    [d] = merged.disagreements
    assert [by for by, _ in d.views] == ["first.yaml", "second.yaml"]
    with pytest.raises(ValueError, match="at least two"):
        merge(data, [Source("a.yaml", a)])
    code, _, err = run(
        capsys, "merge", str(ROOT / "examples" / "northbrook-2026.yaml"), str(tmp_path / "missing.yaml")
    )
    assert code != 0 and "missing.yaml" in err


def test_a_broken_file_stops_the_merge_and_writes_nothing(tmp_path, capsys):
    files = _team(tmp_path)
    broken = yaml.safe_load((tmp_path / "tom.yaml").read_text())
    broken["answers"]["safety-anonymity"]["rating"] = "mostly"
    (tmp_path / "tom.yaml").write_text(yaml.safe_dump(broken))
    out = tmp_path / "merged.yaml"
    code, _, err = run(capsys, "merge", *files, "-o", str(out))
    assert code == 1 and "'mostly' is not a rating" in err and not out.exists()


# -- the browser's twin ------------------------------------------------------------------------------------

NODE = shutil.which("node") or shutil.which("nodejs")


def _random_team(data: dict, seed: int) -> list[dict]:
    """Two to four assessors' files from the example, each changed at random: ratings, notes, owners,
    evidence, targets and profile answers, some left out."""
    rng = random.Random(seed)
    ratings = [r["id"] for r in data["scale"]] + [data["dont_know"]["id"], data["not_applicable"]["id"], None]
    team = []
    for n in range(rng.randint(2, 4)):
        doc = copy.deepcopy(EXAMPLE)
        doc["assessors"] = [] if rng.random() < 0.2 else [f"Assessor {n}"]
        if rng.random() < 0.5:
            doc["assessment"] = rng.choice([m["id"] for m in data["assessment"]])
        doc["date"] = f"2026-10-{rng.randint(10, 28)}"
        for item_id in list(doc["answers"])[: rng.randint(5, 30)]:
            entry = doc["answers"][item_id]
            rating = rng.choice(ratings)
            if rating is None:
                entry.pop("rating", None)
            else:
                entry["rating"] = rating
                if rating == data["not_applicable"]["id"]:
                    entry["reason"] = rng.choice(["Not offered.", "No app.", " Not offered. "])
            if rng.random() < 0.3:
                entry["notes"] = rng.choice(["Checked.", "Needs work.", ""])
            if rng.random() < 0.2:
                entry["owner"] = rng.choice(["Moderation lead", "Digital lead"])
            if rng.random() < 0.2:
                entry["evidence"] = rng.sample(
                    ["Policy v2", "Minutes, May", "https://example.org/p"], rng.randint(1, 2)
                )
            if rng.random() < 0.15:
                entry["target"] = {
                    "rating": rng.choice([r["id"] for r in data["scale"]]),
                    "date": "2027-06-30",
                }
        for q in data["profile"]:
            if rng.random() < 0.3:
                options = [o["id"] for o in q["options"]]
                doc["profile"][q["id"]] = (
                    rng.sample(options, rng.randint(1, 2)) if q["multiple"] else rng.choice(options)
                )
            elif rng.random() < 0.1:
                doc["profile"].pop(q["id"], None)
        team.append({"file": f"assessor-{n}.yaml", "answers": doc})
    return team


@pytest.mark.skipif(NODE is None, reason="needs node (scripts/setup --test installs nodejs)")
def test_the_browser_merges_exactly_as_the_command_line(data):
    cases = [
        {"sources": _random_team(data, seed), "rule": rule}
        for seed in range(12)
        for rule in ("lowest", "unresolved")
    ]
    done = subprocess.run(
        [NODE, str(ROOT / "tests" / "js" / "run_merge.js")],
        input=json.dumps({"data": data, "cases": cases}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for case, js in zip(cases, json.loads(done.stdout), strict=True):
        merged = merge(data, [Source(s["file"], s["answers"]) for s in case["sources"]], case["rule"])
        assert js["answers"] == json.loads(json.dumps(merged.answers))
        assert [(d["item"], d["part"]) for d in js["details"]] == [(d.item, d.part) for d in merged.details]
    assert any(c["answers"]["merge"]["disagreements"] for c in json.loads(done.stdout))
