"""The action plan: what to improve first, derived from a score result.

Order: critical gaps first, then unanswered critical items, then by how much each item could add to
the score (weight × shortfall), then checklist order. Pure; used by the report, the CLI's CSV/XLSX
export (`action_files`) and the online checklist's summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..records.model import Guidance
from .scoring import rating_labels


@dataclass
class Action:
    item_id: str
    theory_area: int
    title: str
    question: str
    rating: str | None  # rating id, or None when unanswered
    rating_label: str
    critical: bool
    critical_gap: bool
    weight: int
    gain: float  # points of weighted score the item could still add (weight × shortfall)
    owner: str
    due: str
    notes: str
    recommendations: list[str]


def plan(g: Guidance, data: dict[str, Any], answers: dict[str, Any], result: dict[str, Any]) -> list[Action]:
    values = {r["id"]: r["value"] for r in data["scale"]}
    values[data["dont_know"]["id"]] = data["scale"][0]["value"]  # scores like the bottom of the scale
    labels = rating_labels(data)
    top = max(values.values())
    skipped = set(result["not_applicable"]) | set(result["not_in_profile"])
    gaps = set(result["critical_gaps"])
    given = answers.get("answers", {})
    actions = []
    for position, item in enumerate(data["items"]):
        if item["id"] in skipped:
            continue
        answer = given.get(item["id"], {})
        rating = answer.get("rating") if answer.get("rating") in values else None
        shortfall = 1.0 if rating is None else (top - values[rating]) / top
        if shortfall <= 0:
            continue
        record = g.item_by_id[item["id"]]
        actions.append(
            (
                position,
                Action(
                    item_id=item["id"],
                    theory_area=item["theory_area"],
                    title=record.title,
                    question=record.question,
                    rating=rating,
                    rating_label=labels[rating] if rating else "Not yet answered",
                    critical=item["critical"],
                    critical_gap=item["id"] in gaps,
                    weight=item["weight"],
                    gain=item["weight"] * shortfall,
                    owner=answer.get("owner", ""),
                    due=answer.get("due", ""),
                    notes=answer.get("notes", ""),
                    recommendations=list(record.recommendations),
                ),
            )
        )
    actions.sort(
        key=lambda pa: (
            not pa[1].critical_gap,
            not (pa[1].critical and pa[1].rating is None),
            -pa[1].gain,
            pa[0],
        )
    )
    return [a for _, a in actions]


class UnknownFramework(ValueError):
    def __init__(self, framework_id: str, known: list[str]):
        self.framework_id, self.known = framework_id, known
        super().__init__(
            f"'{framework_id}' is not the id of a framework; the frameworks are: {', '.join(known)}."
        )


def for_framework(g: Guidance, actions: list[Action], framework_id: str) -> list[Action]:
    """The actions on items linked to one framework, in the plan's order (priorities keep their rank
    within the filtered plan)."""
    if framework_id not in g.framework_by_id:
        raise UnknownFramework(framework_id, [f.id for f in g.frameworks])
    linked = g.crosswalk.items_for_framework(framework_id)
    return [a for a in actions if a.item_id in linked]
