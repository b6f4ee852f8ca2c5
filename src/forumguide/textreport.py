"""A score result as plain text for the terminal: what a board member reads first, in order."""

from __future__ import annotations

from typing import Any

from .model import Guidance


def _pct(score: dict[str, Any]) -> str:
    return "—" if score["display"] is None else f"{score['display']}%"


def _bar(score: dict[str, Any], width: int = 20) -> str:
    if score["percent"] is None:
        return "not yet rated".ljust(width)
    filled = round(score["percent"] / 100 * width)
    return "█" * filled + "░" * (width - filled)


def render_text(g: Guidance, answers: dict[str, Any], result: dict[str, Any], warnings: list[str]) -> str:
    scoring = g.scoring
    rating_label = {r["id"]: r["label"] for r in scoring["scale"]}
    item = g.item_by_id
    lines: list[str] = []
    add = lines.append
    title = " — ".join(x for x in (answers.get("forum"), answers.get("organisation")) if x) or "Self-audit"
    add(f"Self-audit: {title}")
    assessors = "; ".join(answers.get("assessors", [])) or "not given"
    add(f"Date {answers.get('date')} · assessors: {assessors} · guidance version {answers.get('guidance_version')}")
    add("")
    o = result["overall"]
    band = result["band"]["label"] if result["band"] else "no band yet"
    add(f"Overall score: {_pct(o)} ({band}) — {o['rated']} of {o['applicable']} applicable items rated")
    if not result["complete"]:
        add("  This audit is not finished: the score covers the rated items only.")
    add(f"  Limiting harm:     {_pct(result['aims']['limit-harm'])}")
    add(f"  Promoting benefit: {_pct(result['aims']['promote-benefit'])}")
    add("")
    add("By theory area")
    width = max(len(a["name"]) for a in result["areas"])
    for a in result["areas"]:
        add(f"  {a['number']} {a['name'].ljust(width)}  {_pct(a).rjust(4)}  {_bar(a)}")
    add("")
    gaps = result["critical_gaps"]
    add(f"Critical gaps: {len(gaps)}" + (" (safety-critical items rated “" + rating_label[scoring['scale'][0]['id']] + "”)" if gaps else ""))
    for item_id in gaps:
        add(f"  ! {item[item_id].question} [{item_id}]")
    if result["unanswered_critical"]:
        add(f"Critical items not yet answered: {len(result['unanswered_critical'])}")
        for item_id in result["unanswered_critical"]:
            add(f"  ? {item[item_id].question} [{item_id}]")
    add("")
    add(f"Unanswered items: {len(result['unanswered'])}")
    for item_id in result["unanswered"]:
        add(f"  - {item[item_id].question} [{item_id}]")
    given = answers.get("answers", {})
    if result["not_applicable"]:
        add(f"Marked not applicable: {len(result['not_applicable'])}")
        for item_id in result["not_applicable"]:
            add(f"  - {item[item_id].question} [{item_id}]: {given[item_id].get('reason', '').strip()}")
    if result["not_in_profile"]:
        add(f"Not applicable to this forum's profile: {len(result['not_in_profile'])} items (left out of the score)")
    if warnings:
        add("")
        add("Warnings")
        for w in warnings:
            add(f"  - {w}")
    return "\n".join(lines) + "\n"
