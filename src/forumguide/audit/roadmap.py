"""The roadmap: where the forum is now and where its targets would take it, by theory area (pure).

Answers may carry a target per item (a rating and a date). The roadmap scores the answers twice: as
they are, and with every target reached (a target only ever raises a rating; a target at or below the
current rating changes nothing). The same `scoring.score` does both, so the figures follow the model.
"""

from __future__ import annotations

import copy
from typing import Any

from .scoring import rating_labels, score


def targets_met(data: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """The answers with each item's rating raised to its target where the target is higher."""
    values = {r["id"]: r["value"] for r in data["scale"]}
    out = copy.deepcopy(answers)
    for entry in out.get("answers", {}).values():
        target = (entry.get("target") or {}).get("rating")
        if target in values and (
            entry.get("rating") not in values or values[target] > values[entry["rating"]]
        ):
            entry["rating"] = target
    return out


def roadmap(
    data: dict[str, Any], answers: dict[str, Any], result: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """Current and target scores by area, and the steps (items with a target above their rating) in
    date order; None when no answer has a target."""
    values = {r["id"]: r["value"] for r in data["scale"]}
    labels = rating_labels(data)
    given = answers.get("answers", {})
    result = result or score(data, answers)
    skipped = set(result["not_applicable"]) | set(result["not_in_profile"])
    steps = []
    for position, item in enumerate(data["items"]):
        entry = given.get(item["id"], {})
        target = entry.get("target") or {}
        rating = entry.get("rating")
        if item["id"] in skipped or target.get("rating") not in values:
            continue
        if rating in values and values[target["rating"]] <= values[rating]:
            continue
        steps.append(
            {
                "item": item["id"],
                "area": item["theory_area"],
                "critical": item["critical"],
                "now": labels.get(rating, "Not yet answered"),
                "target": labels[target["rating"]],
                "date": target.get("date", ""),
                "position": position,
            }
        )
    if not steps:
        return None
    steps.sort(key=lambda s: (not s["date"], s["date"], s["position"]))
    later = score(data, targets_met(data, answers))
    areas = [
        {
            "number": now["number"],
            "name": now["name"],
            "now": now["display"],
            "target": then["display"],
            "steps": sum(1 for s in steps if s["area"] == now["number"]),
        }
        for now, then in zip(result["areas"], later["areas"], strict=True)
    ]
    return {
        "areas": areas,
        "overall": {"now": result["overall"]["display"], "target": later["overall"]["display"]},
        "band_now": result["band"],
        "band_target": later["band"],
        "steps": steps,
        "undated": sum(1 for s in steps if not s["date"]),
    }
