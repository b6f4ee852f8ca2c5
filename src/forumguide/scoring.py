"""The self-audit score: scoring data plus one pure function.

`scoring_data` turns the records into a plain JSON-able dict (the same dict the online checklist gets
as JSON); `score` applies it to one answers dict. `docs/assets/javascripts/checklist-score.js`
implements `score` again for live scores in the browser, and tests/test_checklist_parity.py runs both
on the same answers and compares results, so the two must do the same arithmetic in the same order.

The model, in words (also on the site's "How scoring works" page):
- each rating has a value; an item earns weight × value / top value;
- a percentage is 100 × earned / total weight of the items rated (items not applicable to the
  forum's profile, rated "not applicable" or not yet answered are left out, and listed);
- an item counts towards "limiting harm" and/or "promoting benefit" by the aims of its
  recommendations;
- a critical item rated at the bottom of the scale is a critical gap whatever the total.
"""

from __future__ import annotations

import math
from typing import Any

from .model import Guidance

AIMS = ("limit-harm", "promote-benefit")


def scoring_data(g: Guidance) -> dict[str, Any]:
    """Everything `score` needs, as plain data, in checklist order."""
    if g.scoring is None:
        raise ValueError("This guidance has no scoring model (checklist/scoring.yaml).")
    items = []
    for area in g.theory_areas:
        for item in sorted((i for i in g.checklist if i.theory_area == area.number), key=lambda i: i.raw["order"]):
            aims = sorted({g.recommendation_by_id[r].aim for r in item.recommendations if r in g.recommendation_by_id})
            items.append({
                "id": item.id,
                "theory_area": item.theory_area,
                "weight": item.raw["weight"],
                "critical": bool(item.raw.get("critical", False)),
                "applies_if": item.raw.get("applies_if", {}),
                "aims": aims,
            })
    return {
        "guidance_version": g.version,
        "scale": g.scoring["scale"],
        "not_applicable": g.scoring["not_applicable"],
        "bands": g.scoring["bands"],
        "profile": g.scoring["profile"],
        "areas": [{"number": a.number, "name": a.name} for a in g.theory_areas],
        "items": items,
    }


def rating_labels(data: dict[str, Any]) -> dict[str, str]:
    """Rating id → label as shown to people, "not applicable" included."""
    labels = {r["id"]: r["label"] for r in data["scale"]}
    labels[data["not_applicable"]["id"]] = data["not_applicable"]["label"]
    return labels


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
    return {"earned": 0.0, "possible": 0, "rated": 0, "applicable": 0}


def _finish(acc: dict[str, Any]) -> dict[str, Any]:
    percent = 100 * acc["earned"] / acc["possible"] if acc["possible"] else None
    return {**acc, "percent": percent, "display": display_percent(percent)}


def band_for(data: dict[str, Any], display: int | None) -> dict[str, Any] | None:
    if display is None:
        return None
    chosen = None
    for band in data["bands"]:
        if display >= band["min"]:
            chosen = band
    return {"id": chosen["id"], "label": chosen["label"]} if chosen else None


def score(data: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """Score one answers document (already validated) against scoring data."""
    values = {r["id"]: r["value"] for r in data["scale"]}
    top = max(values.values())
    bottom = data["scale"][0]["id"]
    na = data["not_applicable"]["id"]
    profile = answers.get("profile", {})
    given = answers.get("answers", {})

    overall = _empty()
    areas = {a["number"]: _empty() for a in data["areas"]}
    aims = {aim: _empty() for aim in AIMS}
    lists: dict[str, list[str]] = {k: [] for k in ("critical_gaps", "unanswered", "unanswered_critical", "not_applicable", "not_in_profile")}

    for item in data["items"]:
        if not applies(item, profile):
            lists["not_in_profile"].append(item["id"])
            continue
        rating = given.get(item["id"], {}).get("rating")
        buckets = [overall, areas[item["theory_area"]], *(aims[a] for a in item["aims"])]
        if rating == na:
            lists["not_applicable"].append(item["id"])
            continue
        for acc in buckets:
            acc["applicable"] += 1
        if rating not in values:
            lists["unanswered"].append(item["id"])
            if item["critical"]:
                lists["unanswered_critical"].append(item["id"])
            continue
        earned = item["weight"] * values[rating] / top
        for acc in buckets:
            acc["earned"] += earned
            acc["possible"] += item["weight"]
            acc["rated"] += 1
        if item["critical"] and rating == bottom:
            lists["critical_gaps"].append(item["id"])

    result_overall = _finish(overall)
    return {
        "overall": result_overall,
        "band": band_for(data, result_overall["display"]),
        "areas": [{"number": a["number"], "name": a["name"], **_finish(areas[a["number"]])} for a in data["areas"]],
        "aims": {aim: _finish(acc) for aim, acc in aims.items()},
        **lists,
        "complete": not lists["unanswered"],
    }
