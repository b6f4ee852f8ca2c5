"""What the board report says, gathered from the guidance, the answers and their scores (pure)."""

from __future__ import annotations

from typing import Any

from ..audit import actions as action_plan
from ..audit.roadmap import roadmap
from ..audit.scoring import assessment_method, gap_rating_words, rating_labels, score
from ..records.model import Guidance
from .chart import area_chart
from .decisions import decisions
from .legal import legal_context
from .pageone import GAP_LINES, OWNER_CHARS, header, short
from .text import profile_lines

TOP_ACTIONS = 3
# Said in place of the organisation's name when the answers name none: the report never points at a
# name that is not there.
UNNAMED_ORGANISATION = "the organisation that runs the forum"


def cover_sentence(method: dict[str, Any], organisation: str) -> str:
    """Who made the audit, in the words of its assessment method, naming the organisation if given."""
    return method["cover"].replace("{organisation}", organisation.strip() or UNNAMED_ORGANISATION)


def _change(previous: int | None, current: int | None) -> int | None:
    return None if previous is None or current is None else current - previous


def compare(
    g: Guidance,
    data: dict[str, Any],
    answers: dict[str, Any],
    result: dict[str, Any],
    previous: dict[str, Any],
    previous_result: dict[str, Any],
) -> dict[str, Any]:
    """Change since the previous audit, per area and per item (ratings that differ)."""
    values = {r["id"]: r["value"] for r in data["scale"]}
    labels = rating_labels(data)
    before = previous.get("answers", {})
    now = answers.get("answers", {})
    items = []
    for item in data["items"]:
        old, new = before.get(item["id"], {}).get("rating"), now.get(item["id"], {}).get("rating")
        if old == new:
            continue
        direction = "changed"
        if old in values and new in values:
            direction = "improved" if values[new] > values[old] else "declined"
        items.append(
            {
                "item": g.item_by_id[item["id"]],
                "before": labels.get(old, "Not answered"),
                "after": labels.get(new, "Not answered"),
                "direction": direction,
            }
        )
    by_direction = {d: [c for c in items if c["direction"] == d] for d in ("declined", "improved", "changed")}
    areas = [
        {
            "number": a["number"],
            "name": a["name"],
            "before": p["display"],
            "after": a["display"],
            "change": _change(p["display"], a["display"]),
        }
        for a, p in zip(result["areas"], previous_result["areas"], strict=True)
    ]
    overall = {
        "before": previous_result["overall"]["display"],
        "after": result["overall"]["display"],
        "change": _change(previous_result["overall"]["display"], result["overall"]["display"]),
    }
    return {
        "date": previous.get("date"),
        "overall": overall,
        "areas": areas,
        "items": items,
        "by_direction": by_direction,
        "before_of": {c["item"].id: c["before"] for c in items},
        "band_before": previous_result["band"],
        "band_after": result["band"],
    }


def disputes(g: Guidance, data: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any] | None:
    """What a merged answers file records about its sources and their disagreements, in words:
    who said what, what the merge took, and the rating the file has now (the team may have settled it)."""
    record = answers.get("merge")
    if not record:
        return None
    labels = rating_labels(data)
    questions = {q["id"]: q for q in data["profile"]}
    options = {o["id"]: o["label"] for q in data["profile"] for o in q["options"]}
    given = answers.get("answers", {})

    def text(value: Any, names: dict[str, str]) -> str:
        if value is None or value == []:
            return "not answered"
        return (
            ", ".join(names.get(v, v) for v in value) if isinstance(value, list) else names.get(value, value)
        )

    items, profile = [], []
    for d in record["disagreements"]:
        if "item" in d and d["item"] in g.item_by_id:
            now = given.get(d["item"], {}).get("rating")
            items.append(
                {
                    "item": g.item_by_id[d["item"]],
                    "views": [(v["by"], text(v["value"], labels)) for v in d["views"]],
                    "chosen": None if d.get("chosen") is None else text(d["chosen"], labels),
                    "now": text(now, labels) if now else None,
                    "settled": now is not None and now != d.get("chosen"),
                }
            )
        elif "question" in d and d["question"] in questions:
            now = answers.get("profile", {}).get(d["question"])
            profile.append(
                {
                    "question": questions[d["question"]]["question"],
                    "views": [(v["by"], text(v["value"], options)) for v in d["views"]],
                    "now": text(now, options),
                }
            )
    return {
        "rule": record["rule"],
        "sources": [s["name"] for s in record["sources"]],
        "items": items,
        "profile": profile,
    }


def report_context(
    g: Guidance, data: dict[str, Any], answers: dict[str, Any], previous: dict[str, Any] | None = None
) -> dict[str, Any]:
    result = score(data, answers)
    plan = action_plan.plan(g, data, answers, result)
    labels = rating_labels(data)
    given = answers.get("answers", {})
    excluded = set(result["not_in_profile"])
    areas = []
    for area, area_result in zip(g.theory_areas, result["areas"], strict=True):
        rows = []
        for item in data["items"]:
            if item["theory_area"] != area.number:
                continue
            answer = given.get(item["id"], {})
            rows.append(
                {
                    "item": g.item_by_id[item["id"]],
                    "answer": answer,
                    "critical": item["critical"],
                    "rating_label": "Not in this forum's profile"
                    if item["id"] in excluded
                    else labels.get(answer.get("rating"), "Not yet answered"),
                    "gap": item["id"] in result["critical_gaps"],
                }
            )
        areas.append({"area": area, "result": area_result, "rows": rows})

    # Appendix: the recommendations behind the gaps a board is asked to act on (critical gaps and the
    # top priority actions), and the evidence beneath them. The full plan stays in its own table.
    focus = [a for a in plan if a.critical_gap] + plan[:TOP_ACTIONS]
    rec_ids = list(dict.fromkeys(r for a in focus for r in a.recommendations if r in g.recommendation_by_id))
    recommendations = [g.recommendation_by_id[r] for r in rec_ids]
    rec_cmos = {r.id: g.cmos_of_recommendation(r) for r in recommendations}
    cited = g.evidence_of_cmos([c for cmos in rec_cmos.values() for c in cmos])

    comparison = None
    if previous is not None:
        comparison = compare(g, data, answers, result, previous, score(data, previous))
    gaps = [
        {
            "item": g.item_by_id[i],
            "rating": "not yet answered"
            if i in result["unanswered_critical"]
            else labels[given[i]["rating"]].lower(),
            "owner": short(given.get(i, {}).get("owner", ""), OWNER_CHARS),
            "due": given.get(i, {}).get("due", ""),
        }
        for i in result["critical_gaps"]
    ]
    rated_gaps = [gap for gap in gaps if gap["item"].id not in result["unanswered_critical"]]
    disputed = disputes(g, data, answers)
    unsettled = sum(1 for d in disputed["items"] if d["now"] is None) if disputed else 0
    method = assessment_method(data, answers)
    return {
        "g": g,
        "data": data,
        "answers": answers,
        "result": result,
        "method": method,
        "cover": cover_sentence(method, answers.get("organisation") or ""),
        "header": header(answers),
        "profile": profile_lines(data, answers.get("profile", {})),
        "gaps": gaps,
        # Page 1 lists the rated critical gaps one a line, up to GAP_LINES, then the rest on one line.
        "gap_lines": rated_gaps[:GAP_LINES],
        "gaps_more": rated_gaps[GAP_LINES:],
        "gaps_unrated": [gap for gap in gaps if gap["item"].id in result["unanswered_critical"]],
        "gap_words": gap_rating_words(data),
        "chart": area_chart(result),
        "plan": plan,
        "top_actions": plan[:TOP_ACTIONS],
        "areas": areas,
        "recommendations": recommendations,
        "rec_cmos": rec_cmos,
        "rec_evidence": {r.id: g.evidence_of_cmos(rec_cmos[r.id]) for r in recommendations},
        "references": cited,
        "comparison": comparison,
        "cited_cmos": sorted(
            {c.id: c for cmos in rec_cmos.values() for c in cmos}.values(), key=lambda c: c.sort_key
        ),
        "item_by_id": g.item_by_id,
        "area_name": {t.number: t.name for t in g.theory_areas},
        "reference": reference_formatter(g, {e.id for e in cited}),
        "roadmap": roadmap(data, answers, result),
        "disputes": disputed,
        "legal": legal_context(g, data, answers, result),
        # The actions a board is asked to fund: the top rated ones (critical gaps have their own decision).
        "decisions": decisions(
            g,
            data,
            answers,
            result,
            [a for a in plan if a.rating and not a.critical_gap][:TOP_ACTIONS],
            unsettled,
        ),
    }


def reference_formatter(g: Guidance, only: set[str] | None = None):
    """Full references in the site's citation style (citeproc-py). With `only`, just those sources
    are formatted: a report cites a handful, and formatting all of them takes a noticeable time,
    unless this process has formatted them all already (the report service does, once per worker)."""
    from ..site.citations import Bibliography, bibliography_for, cached_bibliography

    bib = (bibliography_for(g) if only is None else cached_bibliography(g)) or Bibliography(g, only)
    return lambda e: bib.html(e.id)
