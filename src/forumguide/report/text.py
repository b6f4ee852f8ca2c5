"""A score result as plain text for the terminal: what a board member reads first, in order."""

from __future__ import annotations

from typing import Any

from ..audit.scoring import assessment_method, gap_rating_words, rating_labels, scoring_data
from ..records.model import Guidance


def _pct(score: dict[str, Any]) -> str:
    return "—" if score["display"] is None else f"{score['display']}%"


def _range(score: dict[str, Any]) -> str:
    low, high = score["range"]["low"], score["range"]["high"]
    return "—" if low is None else f"{low}–{high}%"


def _bar(score: dict[str, Any], width: int = 20) -> str:
    if score["percent"] is None:
        return "not yet rated".ljust(width)
    filled = round(score["percent"] / 100 * width)
    return "█" * filled + "░" * (width - filled)


def headline(data: dict[str, Any], result: dict[str, Any]) -> str:
    """The overall score in one line: a band only for a complete audit, a range while items are blank."""
    o = result["overall"]
    if not result["applicable"]:
        return "Overall score: none (no items apply)"
    if not result["complete"]:
        return (
            f"Incomplete: {result['answered']} of {result['applicable']} answered — no band until "
            f"{data['completeness']['min_answered_percent']}% are answered; score so far between "
            f"{_range(o)} (blanks counted at the bottom and at the top of the scale)"
        )
    band = f" ({result['band']['label']})" if result["band"] else ""
    line = f"Overall score: {_pct(o)}{band} — {result['answered']} of {result['applicable']} applicable items answered"
    if result["unanswered"]:
        line += f"; {_range(o)} once the rest are answered"
    return line


def profile_lines(data: dict[str, Any], profile: dict[str, Any]) -> list[tuple[str, str]]:
    """(question, answer labels) for each profile question, "Not answered" where left blank."""
    out = []
    for q in data["profile"]:
        given = profile.get(q["id"])
        chosen = given if isinstance(given, list) else ([given] if given else [])
        labels = {o["id"]: o["label"] for o in q["options"]}
        out.append((q["question"], "; ".join(labels.get(c, c) for c in chosen) or "Not answered"))
    return out


def render_text(g: Guidance, answers: dict[str, Any], result: dict[str, Any], warnings: list[str]) -> str:
    data = scoring_data(g)
    labels = rating_labels(data)
    item = g.item_by_id
    given = answers.get("answers", {})
    lines: list[str] = []
    add = lines.append
    title = " — ".join(x for x in (answers.get("forum"), answers.get("organisation")) if x)
    add(f"Self-audit: {title}" if title else "Self-audit (forum and organisation not named)")
    assessors = "; ".join(answers.get("assessors", [])) or "not given"
    add(
        f"Date {answers.get('date')} · {assessment_method(data, answers)['label'].lower()} · assessors: {assessors} · "
        f"guidance version {answers.get('guidance_version')}"
    )
    add("Forum profile")
    for question, answer in profile_lines(data, answers.get("profile", {})):
        add(f"  {question} {answer}")
    add("")
    add(headline(data, result))
    width = max(len(a["label"]) for a in data["aims"]) + 1
    for aim in data["aims"]:
        acc = result["aims"][aim["id"]]
        add(
            f"  {(aim['label'] + ':').ljust(width)} {_pct(acc).rjust(4)}"
            + (f"  (range {_range(acc)})" if acc["blank"] else "")
        )
    add("")
    add("By theory area")
    width = max(len(a["name"]) for a in result["areas"])
    for a in result["areas"]:
        add(f"  {a['number']} {a['name'].ljust(width)}  {_pct(a).rjust(4)}  {_bar(a)}")
    add("")
    gaps = result["critical_gaps"]
    add(
        f"Critical gaps: {len(gaps)}"
        + (f" (safety-critical items rated {gap_rating_words(data)}, or not yet answered)" if gaps else "")
    )
    for item_id in gaps:
        rating = (
            "not yet answered"
            if item_id in result["unanswered_critical"]
            else labels[given[item_id]["rating"]].lower()
        )
        add(f"  ! {item[item_id].title} — {rating} [{item_id}]")
    add("")
    if result["dont_know"]:
        add(f"To find out (rated “{data['dont_know']['label']}”): {len(result['dont_know'])}")
        for item_id in result["dont_know"]:
            add(f"  ? {item[item_id].title} [{item_id}]")
    add(f"Not yet answered: {len(result['unanswered'])}")
    for item_id in result["unanswered"]:
        add(f"  - {item[item_id].title} [{item_id}]")
    if result["not_applicable"]:
        add(f"Marked not applicable: {len(result['not_applicable'])}")
        for item_id in result["not_applicable"]:
            add(f"  - {item[item_id].title} [{item_id}]: {given[item_id].get('reason', '').strip()}")
    if result["not_in_profile"]:
        add(
            f"Not applicable to this forum's profile: {len(result['not_in_profile'])} items (left out of the score)"
        )
    if warnings:
        add("")
        add("Warnings")
        for w in warnings:
            add(f"  - {w}")
    return "\n".join(lines) + "\n"


def render_comparison(data: dict[str, Any], scored: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> str:
    """Several audits side by side, complete audits first, highest overall score first: one row each, with the band (or
    "incomplete"), the aim sub-scores and the number of critical gaps."""
    from pathlib import Path

    aims = data["aims"]
    header = ["Forum", "Overall", "Band", *(a["label"] for a in aims), "Critical gaps", "Answered", "File"]
    rows = []
    # Complete audits first (their scores are comparable), then the rest, each by overall score.
    order = sorted(scored, key=lambda s: (not s[2]["complete"], -(s[2]["overall"]["percent"] or 0)))
    for name, answers, result in order:
        band = (
            result["band"]["label"] if result["band"] else ("Incomplete" if not result["complete"] else "—")
        )
        overall = _pct(result["overall"]) if result["complete"] else _range(result["overall"])
        rows.append(
            [
                answers.get("forum") or "(no name)",
                overall,
                band,
                *(_pct(result["aims"][a["id"]]) for a in aims),
                str(len(result["critical_gaps"])),
                f"{result['answered']}/{result['applicable']}",
                Path(name).name,
            ]
        )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    right = {1, *range(3, 3 + len(aims)), 3 + len(aims), 4 + len(aims)}

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out = [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]
    return "\n".join(out) + "\n"
