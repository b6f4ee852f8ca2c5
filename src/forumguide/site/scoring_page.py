"""What the "How scoring works" page says, computed from the scoring data (pure).

The page explains the model in words; every figure on it, including the worked example, comes from
`scoring.scoring_data` and `scoring.score`, so the page cannot drift from the arithmetic.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..audit.scoring import aim_labels, gap_rating_words, score, scoring_data
from ..records.model import Guidance


def _fmt(x: float) -> str:
    """A number for the page: whole numbers without decimals, others to two places."""
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}"


def worked_example(g: Guidance) -> dict[str, Any] | None:
    """Four items of one theory area rated middle, top, low and not applicable, scored for real.
    The area is the one with the most items that apply to every forum (None if no area has four)."""
    data = scoring_data(g)
    scale = data["scale"]
    top = max(r["value"] for r in scale)
    by_area: dict[int, list[dict[str, Any]]] = {}
    for item in data["items"]:
        if not item["applies_if"]:
            by_area.setdefault(item["theory_area"], []).append(item)
    if not by_area or max(len(v) for v in by_area.values()) < 4:
        return None
    area = max(sorted(by_area), key=lambda n: len(by_area[n]))
    candidates = by_area[area]
    # Prefer an example where the weights differ, so that weighting shows: the heaviest item, then three
    # others, lighter ones first. Each item appears once even when the area has no weight-3 item. The last
    # is marked not applicable, so the others are items that may be (not safety-critical).
    heaviest = max(candidates, key=lambda i: i["weight"])
    others = sorted(
        (i for i in candidates if i is not heaviest and not i["critical"]),
        key=lambda i: i["weight"] >= heaviest["weight"],
    )
    chosen = [heaviest, *others[:3]]
    ratings = [scale[len(scale) // 2]["id"], scale[-1]["id"], scale[1]["id"], data["not_applicable"]["id"]]
    answers = {"profile": {}, "answers": {}}
    for item, rating in zip(chosen, ratings, strict=False):
        answers["answers"][item["id"]] = {"rating": rating}
    result = score({**data, "items": chosen}, answers)
    labels = {r["id"]: r for r in scale}
    rows = []
    for item, rating in zip(chosen, ratings, strict=False):
        if rating in labels:
            value = labels[rating]["value"]
            rows.append(
                {
                    "question": g.item_by_id[item["id"]].question,
                    "weight": item["weight"],
                    "rating": labels[rating]["label"],
                    "share": _fmt(100 * value / top) + "%",
                    "points": _fmt(item["weight"] * value / top),
                    "counted": True,
                }
            )
        else:
            rows.append(
                {
                    "question": g.item_by_id[item["id"]].question,
                    "weight": item["weight"],
                    "rating": data["not_applicable"]["label"],
                    "share": "left out",
                    "points": "left out",
                    "counted": False,
                }
            )
    overall = result["overall"]
    return {
        "area": g.theory_area_by_number[area].name,
        "rows": rows,
        "earned": _fmt(round(overall["earned"], 2)),
        "possible": _fmt(overall["possible"]),
        "percent": f"{overall['percent']:.1f}",
        "display": overall["display"],
        "band": result["band"]["label"] if result["band"] else "",
    }


def context(g: Guidance) -> dict[str, Any]:
    """Template values; {"ready": False} for guidance without a scoring model or checklist yet."""
    if g.scoring is None or not g.checklist:
        return {"ready": False}
    data = scoring_data(g)
    top = max(r["value"] for r in data["scale"])
    weights = Counter(i["weight"] for i in data["items"])
    aims = Counter(a for i in data["items"] for a in i["aims"])
    labels = aim_labels(data)
    return {
        "ready": True,
        "version": data["guidance_version"],
        "dont_know": data["dont_know"],
        "assessment": data["assessment"],
        "completeness": data["completeness"]["min_answered_percent"],
        "aim_list": data["aims"],
        "gap_words": gap_rating_words(data),
        "item_rows": [
            {"item": g.item_by_id[i["id"]], "aims": "; ".join(labels[a] for a in i["aims"])}
            for i in data["items"]
        ],
        "scale": [{**r, "share": _fmt(100 * r["value"] / top) + "%"} for r in data["scale"]],
        "not_applicable": data["not_applicable"],
        "bands": data["bands"],
        "band_ranges": [
            (b, data["bands"][i + 1]["min"] - 1 if i + 1 < len(data["bands"]) else 100)
            for i, b in enumerate(data["bands"])
        ],
        "profile": data["profile"],
        "items_total": len(data["items"]),
        "items_conditional": sum(1 for i in data["items"] if i["applies_if"]),
        "weight_counts": sorted(weights.items()),
        "critical": [g.item_by_id[i["id"]] for i in data["items"] if i["critical"]],
        "aim_counts": aims,
        "example": worked_example(g),
    }
