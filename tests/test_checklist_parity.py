"""The online checklist's JavaScript against the Python it mirrors.

The browser computes live scores with docs/assets/javascripts/checklist-score.js and checks imported
files with checklist-answers.js. Run in node on the same answers files, they must give exactly the
results of `forumguide.audit.scoring.score` (every float bit for bit, after a JSON round trip) and the same
verdicts as `forumguide.audit.answers.check_document`.
"""

from __future__ import annotations

import copy
import json
import random
import re
import shutil
import subprocess

import pytest
import yaml

from forumguide.audit.answers import check_document
from forumguide.audit.scoring import score
from forumguide.records.schemas import schema
from forumguide.records.yamlsource import MAX_FILE_BYTES, Document
from forumguide.site.audit_page import page_data

from conftest import ROOT
from scoring_fixture import DATA as SMALL_MODEL

NODE = shutil.which("node") or shutil.which("nodejs")
RUNNER = ROOT / "tests" / "js" / "run_checklist.js"
CASES = sorted((ROOT / "tests" / "fixtures" / "scoring").glob("*.json"))

pytestmark = pytest.mark.skipif(NODE is None, reason="needs node (scripts/setup --test installs nodejs)")


def run_js(data: dict, documents: list) -> list[dict]:
    """[{"check": {"errors", "warnings"}, "score": result or None}] for each document, from node."""
    done = subprocess.run(
        [NODE, str(RUNNER)],
        check=False,
        input=json.dumps({"data": data, "documents": documents}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def python_score(data: dict, answers: dict) -> dict:
    return json.loads(json.dumps(score(data, answers)))


@pytest.fixture(scope="module")
def data(guidance) -> dict:
    """What the online audit page embeds: the scoring data and the answers schema."""
    return page_data(guidance, ROOT)


# -- the answers: the examples and generated variants --------------------------------------------------


def _example(name: str) -> dict:
    return yaml.safe_load((ROOT / "examples" / name).read_text(encoding="utf-8"))


def _blank(data: dict) -> dict:
    return {
        "format": "forumguide-answers/1",
        "guidance_version": data["guidance_version"],
        "organisation": "Test",
        "forum": "Test forum",
        "assessors": ["A. Tester"],
        "date": "2026-05-01",
        "profile": {},
        "answers": {},
    }


def _rate_all(data: dict, rating: str, profile: dict | None = None) -> dict:
    """Every item given `rating`; "not applicable" goes to the items that may have it (not the critical ones)."""
    doc = _blank(data)
    doc["profile"] = profile or {}
    na = data["not_applicable"]["id"]
    for item in data["items"]:
        if rating == na and item["critical"]:
            continue
        doc["answers"][item["id"]] = {
            "rating": rating,
            **({"reason": "Not offered."} if rating == na else {}),
        }
    return doc


def _first_share(data: dict, share: float, rating: str) -> dict:
    """The first `share` of the items rated, the rest left blank: an audit just started."""
    doc = _blank(data)
    for item in data["items"][: int(len(data["items"]) * share)]:
        doc["answers"][item["id"]] = {"rating": rating}
    return doc


def _random(data: dict, seed: int) -> dict:
    """Random profile (some questions unanswered) and random answers (some N/A, some unanswered)."""
    rng = random.Random(seed)
    doc = _blank(data)
    for q in data["profile"]:
        if rng.random() < 0.25:
            continue
        options = [o["id"] for o in q["options"]]
        doc["profile"][q["id"]] = (
            rng.sample(options, rng.randint(1, len(options))) if q["multiple"] else rng.choice(options)
        )
    choices = [r["id"] for r in data["scale"]] + [data["dont_know"]["id"], data["not_applicable"]["id"], None]
    for item in data["items"]:
        rating = rng.choice(choices)
        if rating == data["not_applicable"]["id"] and item["critical"]:
            rating = data["dont_know"]["id"]
        if rating is None:
            continue
        doc["answers"][item["id"]] = {"rating": rating}
        if rating == data["not_applicable"]["id"]:
            doc["answers"][item["id"]]["reason"] = "Does not fit this forum."
    return doc


def _exactly_half(data: dict, possible: int) -> dict:
    """One weight-1 item fully in place and items worth possible - 1 not in place, the rest not
    applicable: the overall score is exactly 100 / possible percent, a half when possible is 8 or 40."""
    doc = _rate_all(data, data["not_applicable"]["id"])
    top_item = next(i for i in data["items"] if i["weight"] == 1 and not i["applies_if"])
    doc["answers"][top_item["id"]] = {"rating": data["scale"][-1]["id"]}
    left = possible - 1
    for item in data["items"]:
        if item["critical"]:
            doc["answers"].pop(
                item["id"], None
            )  # critical items cannot be N/A: left blank, out of the percentage
    for item in data["items"]:
        if (
            item is not top_item
            and not item["critical"]
            and not item["applies_if"]
            and item["weight"] <= left
        ):
            doc["answers"][item["id"]] = {"rating": data["scale"][0]["id"]}
            left -= item["weight"]
    assert left == 0
    return doc


def variants(data: dict) -> dict[str, dict]:
    bottom, top, na = data["scale"][0]["id"], data["scale"][-1]["id"], data["not_applicable"]["id"]
    middle = data["scale"][len(data["scale"]) // 2]["id"]
    out = {name: _example(name) for name in ("northbrook-2026.yaml", "northbrook-2025.yaml")}
    out["nothing answered"] = _blank(data)
    out["all at the top"] = _rate_all(data, top)
    out["all at the bottom (every critical item a gap)"] = _rate_all(data, bottom)
    out["all not applicable"] = _rate_all(data, na)
    out["peer-led small forum: profile exclusions"] = _rate_all(
        data,
        middle,
        {
            "audience": ["adults"],
            "topics": ["general"],
            "anonymity": "named",
            "moderation": "peer-led",
            "size": "small",
        },
    )
    out["young people and eating disorders"] = _rate_all(
        data,
        data["scale"][1]["id"],
        {
            "audience": ["young-people", "carers"],
            "topics": ["eating-disorders"],
            "moderation": "round-the-clock",
        },
    )
    out["single answers to multiple-choice questions"] = _rate_all(
        data, middle, {"audience": "carers", "topics": "general"}
    )
    out["an empty list answers nothing"] = _rate_all(
        data, bottom, {"audience": [], "moderation": "office-hours"}
    )
    out["exactly 12.5%"] = _exactly_half(data, 8)
    out["exactly 2.5%"] = _exactly_half(data, 40)
    out["don't know everywhere"] = _rate_all(data, data["dont_know"]["id"])
    out["planned everywhere (critical gaps)"] = _rate_all(data, data["scale"][1]["id"])
    out["10% answered"] = _first_share(data, 0.1, top)
    out["89% answered"] = _first_share(data, 0.89, middle)
    out["90% answered"] = _first_share(data, 0.9, middle)
    out["external review"] = {**_rate_all(data, middle), "assessment": data["assessment"][-1]["id"]}
    answered_outside = _rate_all(data, top, {"moderation": "peer-led"})
    out["answers kept for items outside the profile"] = answered_outside
    for name in sorted((ROOT / "examples" / "archetypes").glob("*.yaml")):
        out[f"archetype {name.stem}"] = yaml.safe_load(name.read_text(encoding="utf-8"))
    for seed in range(1, 7):
        out[f"random {seed}"] = _random(data, seed)
    return out


# -- scores ----------------------------------------------------------------------------------------------


def test_javascript_scores_equal_python_on_examples_and_variants(data):
    docs = variants(data)
    results = run_js(data, list(docs.values()))
    for (name, doc), js in zip(docs.items(), results, strict=True):
        assert js["check"]["errors"] == [], name
        assert js["score"] == python_score(data, doc), name


def test_floats_match_bit_for_bit(data):
    docs = variants(data)
    results = run_js(data, list(docs.values()))

    def floats(result: dict) -> list[str]:
        accs = [result["overall"], *result["areas"], *result["aims"].values()]
        return [float(a[key]).hex() for a in accs for key in ("earned", "percent") if a[key] is not None]

    for (name, doc), js in zip(docs.items(), results, strict=True):
        assert floats(js["score"]) == floats(python_score(data, doc)), name


def test_the_variants_cover_the_hard_cases(data):
    results = [python_score(data, doc) for doc in variants(data).values()]
    percents = [
        a["percent"]
        for r in results
        for a in (r["overall"], *r["areas"], *r["aims"].values())
        if a["percent"] is not None
    ]
    assert any(p % 1 == 0.5 for p in percents)  # halves, which round up
    assert any(r["overall"]["percent"] is None for r in results)
    assert any(r["not_in_profile"] for r in results) and any(r["not_applicable"] for r in results)
    assert any(r["unanswered"] for r in results) and any(r["critical_gaps"] for r in results)
    assert any(r["unanswered_critical"] for r in results) and any(r["complete"] for r in results)
    assert any(r["dont_know"] for r in results) and any(
        not r["complete"] and r["overall"]["display"] is not None for r in results
    )
    assert any(r["complete"] and r["unanswered"] for r in results)  # a band with some blanks left


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_shared_cases_get_their_expected_scores_in_both_languages(case):
    fixture = json.loads(case.read_text(encoding="utf-8"))
    assert python_score(SMALL_MODEL, fixture["answers"]) == fixture["expected"]
    [js] = run_js(
        {**SMALL_MODEL, "answers_schema": schema(ROOT / "schema", "answers.schema.json")},
        [fixture["answers"]],
    )
    assert js["score"] == fixture["expected"]


# -- checking answers files --------------------------------------------------------------------------------


def _broken(data: dict) -> dict[str, dict]:
    good = json.loads(json.dumps(_example("northbrook-2026.yaml")))
    item = next(iter(good["answers"]))

    def change(fn) -> dict:
        doc = copy.deepcopy(good)
        fn(doc)
        return doc

    return {
        "valid": good,
        "foreign JSON": {"name": "a package", "version": "1.0.0"},
        "a list": [1, 2, 3],
        "wrong format": change(lambda d: d.update(format="forumguide-answers/9")),
        "missing date": change(lambda d: d.pop("date")),
        "unknown top-level field": change(lambda d: d.update(colour="blue")),
        "version not a version": change(lambda d: d.update(guidance_version="v1")),
        "same major, other minor (warning)": change(lambda d: d.update(guidance_version="2.1")),
        "other major version (warning)": change(lambda d: d.update(guidance_version="3.0")),
        "organisation a number": change(lambda d: d.update(organisation=7)),
        "empty assessor": change(lambda d: d.update(assessors=["A", ""])),
        "assessors a string": change(lambda d: d.update(assessors="A and B")),
        "impossible date": change(lambda d: d.update(date="2026-02-30")),
        "date in another form": change(lambda d: d.update(date="14/10/2026")),
        "unknown profile question": change(lambda d: d["profile"].update(colour="blue")),
        "unknown profile option": change(lambda d: d["profile"].update(size="huge")),
        "list for a single question": change(lambda d: d["profile"].update(size=["small"])),
        "repeated option": change(lambda d: d["profile"].update(audience=["adults", "adults"])),
        "profile answer a number": change(lambda d: d["profile"].update(size=3)),
        "unknown item": change(lambda d: d["answers"].update({"no-such-item": {"rating": "fully"}})),
        "unknown rating": change(lambda d: d["answers"][item].update(rating="mostly")),
        "rating a number": change(lambda d: d["answers"][item].update(rating=3)),
        "not applicable without a reason": change(
            lambda d: d["answers"].update({item: {"rating": "not-applicable"}})
        ),
        "not applicable with a blank reason": change(
            lambda d: d["answers"].update({item: {"rating": "not-applicable", "reason": "  "}})
        ),
        "unknown answer field": change(lambda d: d["answers"][item].update(score=3)),
        "answer not a mapping": change(lambda d: d["answers"].update({item: "fully"})),
        "bad due date": change(lambda d: d["answers"][item].update(due="next year")),
        "answers a list": change(lambda d: d.update(answers=[])),
        "answer outside the profile (warning)": change(
            lambda d: d["answers"].update({"safety-young-people": {"rating": "fully"}})
        ),
        **{name: change(fn) for name, fn in _over_each_limit(data["answers_schema"], item).items()},
        "undecided rating and profile (null)": change(
            lambda d: (d["answers"][item].update(rating=None), d["profile"].update(size=None))
        ),
        "evidence a string": change(lambda d: d["answers"][item].update(evidence="the policy")),
        "evidence with an empty entry": change(
            lambda d: d["answers"][item].update(evidence=["Policy v2", ""])
        ),
        "target not a rating": change(lambda d: d["answers"][item].update(target={"rating": "perfect"})),
        "target not applicable": change(
            lambda d: d["answers"][item].update(target={"rating": "not-applicable"})
        ),
        "target bad date": change(
            lambda d: d["answers"][item].update(target={"rating": "fully", "date": "soon"})
        ),
        "target unknown field": change(
            lambda d: d["answers"][item].update(target={"rating": "fully", "owner": "me"})
        ),
        "target not above the rating (warning)": change(
            lambda d: d["answers"][item].update(rating="fully", target={"rating": "partly"})
        ),
        "merge record": change(
            lambda d: d.update(
                merge={
                    "rule": "lowest",
                    "sources": [{"name": "A", "file": "a.yaml"}, {"name": "B"}],
                    "disagreements": [
                        {
                            "item": item,
                            "views": [{"by": "A", "value": "fully"}, {"by": "B", "value": None}],
                            "chosen": "fully",
                        }
                    ],
                }
            )
        ),
        "merge unknown rule": change(
            lambda d: d.update(merge={"rule": "highest", "sources": [], "disagreements": []})
        ),
        "merge disagreement on an unknown item (warning)": change(
            lambda d: d.update(
                merge={
                    "rule": "unresolved",
                    "sources": [],
                    "disagreements": [
                        {
                            "item": "no-such-item",
                            "views": [{"by": "A", "value": "fully"}, {"by": "B", "value": "partly"}],
                            "chosen": None,
                        }
                    ],
                }
            )
        ),
        "don't know (valid)": change(lambda d: d["answers"][item].update(rating="dont-know")),
        "a critical item not applicable": change(
            lambda d: d["answers"].update(
                {"safety-crisis-signposting": {"rating": "not-applicable", "reason": "x"}}
            )
        ),
        "a profile-dependent critical item not applicable": change(
            lambda d: d["answers"].update(
                {"safety-young-people": {"rating": "not-applicable", "reason": "We are for adults."}}
            )
        ),
        "assessment method (valid)": change(lambda d: d.update(assessment="desk-review")),
        "unknown assessment method": change(lambda d: d.update(assessment="audit")),
        "assessment method a number": change(lambda d: d.update(assessment=2)),
    }


def _over_each_limit(schema: dict, item: str) -> dict:
    """One change per size limit of the answers schema, going one past it (limits read from the schema)."""
    fields = schema["properties"]
    single, several = fields["profile"]["additionalProperties"]["anyOf"][:2]  # the third: null, unanswered
    parts = fields["answers"]["additionalProperties"]["properties"]
    out = {
        "too many assessors": lambda d: d.update(
            assessors=[f"A{i}" for i in range(fields["assessors"]["maxItems"] + 1)]
        ),
        "assessor too long": lambda d: d.update(
            assessors=["a" * (fields["assessors"]["items"]["maxLength"] + 1)]
        ),
        "too many profile answers": lambda d: d.update(
            profile={f"q{i}": "x" for i in range(fields["profile"]["maxProperties"] + 1)}
        ),
        "profile answer too long": lambda d: d["profile"].update(size="s" * (single["maxLength"] + 1)),
        "profile list too long": lambda d: d["profile"].update(
            audience=[f"o{i}" for i in range(several["maxItems"] + 1)]
        ),
        "profile list entry too long": lambda d: d["profile"].update(
            audience=["o" * (several["items"]["maxLength"] + 1)]
        ),
        "too many answers": lambda d: d.update(
            answers={f"item-{i}": {} for i in range(fields["answers"]["maxProperties"] + 1)}
        ),
    }
    for name in ("organisation", "forum", "assessment"):
        out[f"{name} too long"] = lambda d, name=name: d.update({name: "x" * (fields[name]["maxLength"] + 1)})
    for part, rule in parts.items():
        if "maxLength" in rule:
            out[f"{part} too long"] = lambda d, part=part, n=rule["maxLength"]: d["answers"][item].update(
                {part: "p" * (n + 1)}
            )
    evidence, target = parts["evidence"], parts["target"]["properties"]
    out["too much evidence"] = lambda d: d["answers"][item].update(
        evidence=[f"e{i}" for i in range(evidence["maxItems"] + 1)]
    )
    out["evidence entry too long"] = lambda d: d["answers"][item].update(
        evidence=["e" * (evidence["items"]["maxLength"] + 1)]
    )
    out["target rating too long"] = lambda d: d["answers"][item].update(
        target={"rating": "t" * (target["rating"]["maxLength"] + 1)}
    )
    out.update(_over_each_merge_limit(fields["merge"], item))
    return out


def _over_each_merge_limit(merge: dict, item: str) -> dict:
    """The same for the record a team merge writes: one change per limit, each one past it."""
    sources, found = merge["properties"]["sources"], merge["properties"]["disagreements"]
    source, one = sources["items"]["properties"], found["items"]["properties"]
    view = one["views"]["items"]["properties"]
    text, several = view["value"]["anyOf"][0], view["value"]["anyOf"][1]
    chosen_text, chosen_several = one["chosen"]["anyOf"][0], one["chosen"]["anyOf"][1]

    def record(sources_=None, disagreement=None, count=1):
        views = [{"by": "A", "value": "fully"}, {"by": "B", "value": "partly"}]
        entry = {
            k: v
            for k, v in {"item": item, "views": views, "chosen": "partly", **(disagreement or {})}.items()
            if v is not None
        }
        return lambda d: d.update(
            merge={
                "rule": "lowest",
                "sources": sources_ or [{"name": "A"}, {"name": "B"}],
                "disagreements": [entry] * count,
            }
        )

    long = lambda rule, c="x": c * (rule["maxLength"] + 1)  # noqa: E731 - a one-line helper
    return {
        "merge: too many sources": record([{"name": f"S{i}"} for i in range(sources["maxItems"] + 1)]),
        "merge: source name too long": record([{"name": long(source["name"])}]),
        "merge: source file too long": record([{"name": "A", "file": long(source["file"])}]),
        "merge: too many disagreements": record(count=found["maxItems"] + 1),
        "merge: item id too long": record(disagreement={"item": long(one["item"])}),
        "merge: question id too long": record(disagreement={"item": None, "question": long(one["question"])}),
        "merge: too many views": record(
            disagreement={
                "views": [{"by": f"V{i}", "value": None} for i in range(one["views"]["maxItems"] + 1)]
            }
        ),
        "merge: a name in a view too long": record(
            disagreement={"views": [{"by": long(view["by"]), "value": "x"}, {"by": "B", "value": None}]}
        ),
        "merge: a view too long": record(
            disagreement={"views": [{"by": "A", "value": long(text)}, {"by": "B", "value": None}]}
        ),
        "merge: a view with too many answers": record(
            disagreement={
                "views": [{"by": "A", "value": ["o"] * (several["maxItems"] + 1)}, {"by": "B", "value": None}]
            }
        ),
        "merge: an answer in a view too long": record(
            disagreement={
                "views": [{"by": "A", "value": [long(several["items"])]}, {"by": "B", "value": None}]
            }
        ),
        "merge: chosen too long": record(disagreement={"chosen": long(chosen_text)}),
        "merge: chosen with too many answers": record(
            disagreement={"chosen": ["o"] * (chosen_several["maxItems"] + 1)}
        ),
        "merge: a chosen answer too long": record(disagreement={"chosen": [long(chosen_several["items"])]}),
    }


def test_every_size_limit_of_the_answers_schema_is_checked(data):
    limits = [key for key in _numbers(data["answers_schema"]) if key[0] in LIMIT_KEYWORDS]
    assert len(_over_each_limit(data["answers_schema"], "any-item")) == len(limits)


LIMIT_KEYWORDS = {"maxLength", "maxItems", "maxProperties"}


def _numbers(schema, path=()) -> list[tuple[str, tuple, int]]:
    """(keyword, path, value) of every whole number in a schema."""
    found = []
    if isinstance(schema, dict):
        for key, value in schema.items():
            if isinstance(value, int) and not isinstance(value, bool):
                found.append((key, path, value))
            else:
                found += _numbers(value, (*path, key))
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            found += _numbers(value, (*path, i))
    return found


def _code_numbers(js: str) -> set[int]:
    """Whole-number literals in JavaScript code, outside comments and strings."""
    js = re.sub(r"/\*.*?\*/", " ", js, flags=re.S)
    js = re.sub(r"(?m)//.*$", " ", js)
    js = re.sub(r'"(?:\\.|[^"\\\n])*"' + r"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`", '""', js)
    return {int(n) for n in re.findall(r"(?<![\w.])\d+(?![\w.])", js)}


def test_no_limit_of_the_answers_schema_is_typed_in_javascript():
    """The browser reads the answers schema's limits, and the largest file the tools read, from the data
    the page embeds. Small numbers (under 10) are everyday arithmetic, not limits, and cannot be told
    apart, so they are not looked for."""
    schema = json.loads((ROOT / "schema" / "answers.schema.json").read_text(encoding="utf-8"))
    limits = {value for keyword, _, value in _numbers(schema) if value >= 10} | {MAX_FILE_BYTES}
    assert limits  # the schema has limits to look for
    scripts = sorted((ROOT / "docs" / "assets" / "javascripts").glob("*.js"))
    assert scripts
    typed = {path.name: sorted(limits & _code_numbers(path.read_text(encoding="utf-8"))) for path in scripts}
    assert {name: numbers for name, numbers in typed.items() if numbers} == {}


def test_javascript_accepts_and_refuses_the_same_files_as_python(data):
    docs = _broken(data)
    results = run_js(data, list(docs.values()))
    for (name, doc), js in zip(docs.items(), results, strict=True):
        checked = check_document(Document(file="answers", data=doc), ROOT, data)
        assert bool(js["check"]["errors"]) == bool(checked.errors), name
        assert {p["field"] for p in js["check"]["errors"]} == {p.field for p in checked.errors}, name
        assert {p["field"] for p in js["check"]["warnings"]} == {p.field for p in checked.warnings}, name
    assert not results[0]["check"]["errors"] and results[1]["check"]["errors"]


def test_every_message_is_a_sentence_for_a_person(data):
    for js in run_js(data, list(_broken(data).values())):
        for problem in js["check"]["errors"] + js["check"]["warnings"]:
            assert problem["message"][:1].isupper() or problem["message"][:1] in "'\"", problem
            assert problem["message"].rstrip().endswith((".", "?")), problem


def test_answers_for_an_earlier_version_are_mapped_the_same_way_in_both_languages():
    from test_answers import UPGRADES

    data = {
        **SMALL_MODEL,
        "upgrades": UPGRADES,
        "answers_schema": schema(ROOT / "schema", "answers.schema.json"),
    }
    old = {
        "format": "forumguide-answers/1",
        "guidance_version": "0.9",
        "organisation": "O",
        "forum": "F",
        "assessors": ["A"],
        "date": "2026-01-01",
        "profile": {"audience": ["adults"]},
        "answers": {
            "old-a2": {"rating": "partly", "notes": "kept"},
            "old-b": {"rating": "fully", "notes": "both", "due": "2027-01-01"},
            "a1": {"rating": "fully", "notes": "n"},
            "old-gone": {"rating": "fully"},
            "b4": {"rating": "planned"},
        },
    }
    checked = check_document(Document(file="answers", data=old), ROOT, data)
    [js] = run_js(data, [old])
    assert js["upgraded"] == checked.data
    assert (
        {p["field"] for p in js["check"]["warnings"]}
        == {p.field for p in checked.warnings}
        == {"guidance_version", "answers.old-a2", "answers.old-b", "answers.a1", "answers.old-gone"}
    )
    assert sorted(p["message"] for p in js["check"]["warnings"]) == sorted(
        p.message for p in checked.warnings
    )
