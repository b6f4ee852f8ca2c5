"""The self-audit score: scoring data plus one pure function.

`scoring_data` turns the records into a plain JSON-able dict (the same dict the online checklist gets
as JSON); `score` applies it to one answers dict. `docs/assets/javascripts/checklist-score.js`
implements `score` again for live scores in the browser, and tests/test_checklist_parity.py runs both
on the same answers and compares results, so the two must do the same arithmetic in the same order.

The model, in words (also on the site's "How scoring works" page):
- each rating has a value; an item earns weight × value / top value; "don't know" earns what the
  bottom of the scale earns, and is listed as something to find out;
- a percentage is 100 × earned / total weight of the items answered (items outside the forum's
  profile, rated "not applicable" or not yet answered are left out, and listed); the range counts
  the unanswered items at the bottom and at the top of the scale;
- no band until enough of the applicable items are answered (scoring.yaml, completeness);
- an item counts towards the aims it names (limiting harm, promoting benefit or both);
- a critical item rated "not in place", "planned" or "don't know", or not yet answered, is a critical
  gap whatever the total; a critical item cannot be "not applicable" (such an answer is treated as
  unanswered here, and refused by `answers.check_document`).
"""

from __future__ import annotations

import math
from typing import Any

from ..records.model import Guidance


def scoring_data(g: Guidance) -> dict[str, Any]:
    """Everything `score` needs, as plain data, in checklist order."""
    if g.scoring is None:
        raise ValueError("This guidance has no scoring model (checklist/scoring.yaml).")
    items = []
    for area in g.theory_areas:
        for item in g.index.items_by_area.get(area.number, []):
            items.append(
                {
                    "id": item.id,
                    "theory_area": item.theory_area,
                    "weight": item.weight,
                    "critical": item.critical,
                    "applies_if": item.applies_if,
                    "aims": item.aims,
                }
            )
    s = g.scoring
    return {
        "guidance_version": g.version,
        "scale": s["scale"],
        "dont_know": s["dont_know"],
        "not_applicable": s["not_applicable"],
        "completeness": s["completeness"],
        "aims": s["aims"],
        "weights": s["weights"],
        "assessment": s["assessment"],
        "bands": s["bands"],
        "profile": s["profile"],
        "upgrades": s.get("upgrades", []),
        "areas": [{"number": a.number, "name": a.name} for a in g.theory_areas],
        "items": items,
    }


def rating_labels(data: dict[str, Any]) -> dict[str, str]:
    """Rating id → label as shown to people, "don't know" and "not applicable" included."""
    labels = {r["id"]: r["label"] for r in data["scale"]}
    labels[data["dont_know"]["id"]] = data["dont_know"]["label"]
    labels[data["not_applicable"]["id"]] = data["not_applicable"]["label"]
    return labels


def rating_ids(data: dict[str, Any]) -> list[str]:
    """Every answer an item can be given, in the order shown: the scale, "don't know", "not applicable"."""
    return [r["id"] for r in data["scale"]] + [data["dont_know"]["id"], data["not_applicable"]["id"]]


def gap_ratings(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The answers that make a safety-critical item a critical gap (besides no answer), in scale order."""
    return [r for r in data["scale"] if r.get("critical_gap", False)] + [data["dont_know"]]


def gap_rating_words(data: dict[str, Any]) -> str:
    """Those answers as words for a sentence: “Not in place”, “Planned” or “Don't know”."""
    labels = [f"“{r['label']}”" for r in gap_ratings(data)]
    return ", ".join(labels[:-1]) + " or " + labels[-1] if len(labels) > 1 else labels[0]


def aim_labels(data: dict[str, Any]) -> dict[str, str]:
    return {a["id"]: a["label"] for a in data["aims"]}


def assessment_method(data: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """The assessment method an answers document names (the first method when it names none)."""
    methods = {m["id"]: m for m in data["assessment"]}
    return methods.get(answers.get("assessment", ""), data["assessment"][0])


def applies(item: dict[str, Any], profile: dict[str, Any]) -> bool:
    """An item applies unless the profile answers a question it depends on with none of the listed
    options. An unanswered profile question never excuses an item."""
    for question, allowed in item["applies_if"].items():
        given = profile.get(question)
        if given is None or given == []:
            continue
        chosen = given if isinstance(given, list) else [given]
        if not any(option in allowed for option in chosen):
            return False
    return True


def display_percent(percent: float | None) -> int | None:
    """Whole percent, halves rounded up (the same in Python and JavaScript)."""
    return None if percent is None else math.floor(percent + 0.5)


def _empty() -> dict[str, Any]:
    return {"earned": 0.0, "possible": 0, "rated": 0, "applicable": 0, "blank": 0}


def _finish(acc: dict[str, Any]) -> dict[str, Any]:
    """Percent of the answered items, and the range it could reach once the blanks (`blank`, their
    total weight) are answered: all at the bottom of the scale, or all at the top."""
    percent = 100 * acc["earned"] / acc["possible"] if acc["possible"] else None
    whole = acc["possible"] + acc["blank"]
    low = 100 * acc["earned"] / whole if whole else None
    high = 100 * (acc["earned"] + acc["blank"]) / whole if whole else None
    return {
        **acc,
        "percent": percent,
        "display": display_percent(percent),
        "range": {"low": display_percent(low), "high": display_percent(high)},
    }


def band_for(data: dict[str, Any], display: int | None) -> dict[str, Any] | None:
    if display is None:
        return None
    chosen = None
    for band in data["bands"]:
        if display >= band["min"]:
            chosen = band
    return {"id": chosen["id"], "label": chosen["label"]} if chosen else None


def score(data: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """Score one answers document (already checked) against scoring data."""
    values = {r["id"]: r["value"] for r in data["scale"]}
    top = max(values.values())
    gaps = {r["id"] for r in gap_ratings(data)}
    dont_know = data["dont_know"]["id"]
    values[dont_know] = data["scale"][0]["value"]
    na = data["not_applicable"]["id"]
    profile = answers.get("profile", {})
    given = answers.get("answers", {})

    overall = _empty()
    areas = {a["number"]: _empty() for a in data["areas"]}
    aims = {a["id"]: _empty() for a in data["aims"]}
    lists: dict[str, list[str]] = {
        k: []
        for k in (
            "critical_gaps",
            "unanswered",
            "unanswered_critical",
            "dont_know",
            "not_applicable",
            "not_in_profile",
        )
    }

    for item in data["items"]:
        if not applies(item, profile):
            lists["not_in_profile"].append(item["id"])
            continue
        rating = given.get(item["id"], {}).get("rating")
        buckets = [overall, areas[item["theory_area"]], *(aims[a] for a in item["aims"])]
        if rating == na and not item["critical"]:
            lists["not_applicable"].append(item["id"])
            continue
        for acc in buckets:
            acc["applicable"] += 1
        if rating not in values:
            lists["unanswered"].append(item["id"])
            for acc in buckets:
                acc["blank"] += item["weight"]
            if item["critical"]:
                lists["unanswered_critical"].append(item["id"])
                lists["critical_gaps"].append(item["id"])
            continue
        earned = item["weight"] * values[rating] / top
        for acc in buckets:
            acc["earned"] += earned
            acc["possible"] += item["weight"]
            acc["rated"] += 1
        if rating == dont_know:
            lists["dont_know"].append(item["id"])
        if item["critical"] and rating in gaps:
            lists["critical_gaps"].append(item["id"])

    result_overall = _finish(overall)
    complete = overall["rated"] * 100 >= data["completeness"]["min_answered_percent"] * overall["applicable"]
    return {
        "overall": result_overall,
        "band": band_for(data, result_overall["display"]) if complete else None,
        "areas": [
            {"number": a["number"], "name": a["name"], **_finish(areas[a["number"]])} for a in data["areas"]
        ],
        "aims": {a["id"]: _finish(aims[a["id"]]) for a in data["aims"]},
        **lists,
        "complete": complete,
        "answered": overall["rated"],
        "applicable": overall["applicable"],
        "range": result_overall["range"],
    }
