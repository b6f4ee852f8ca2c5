"""The report section on legal duties and guidelines: for each framework provision, the items that bear
on it with this audit's ratings, and the gaps (pure; the markup is templates/report/_legal.html.j2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..audit.scoring import rating_labels
from ..records.frameworks import NOT_LEGAL_ADVICE, Framework, Provision
from ..records.model import ChecklistItem, Guidance


@dataclass
class ItemStanding:
    item: ChecklistItem
    relation: str
    rating_label: str
    status: str  # "in place" | "gap" | "critical gap" | "not answered" | "not applicable" | "not in profile"

    @property
    def is_gap(self) -> bool:
        return self.status in ("gap", "critical gap", "not answered")


@dataclass
class ProvisionStanding:
    provision: Provision
    items: list[ItemStanding]
    uncovered: bool  # no item covers or partly covers it

    @property
    def gaps(self) -> list[ItemStanding]:
        return [s for s in self.items if s.is_gap]


@dataclass
class FrameworkStanding:
    framework: Framework
    provisions: list[ProvisionStanding] = field(default_factory=list)

    @property
    def linked(self) -> list[ItemStanding]:
        """Each linked item once (its strongest relation), in checklist order."""
        seen: dict[str, ItemStanding] = {}
        for row in self.provisions:
            for s in row.items:
                seen.setdefault(s.item.id, s)
        return list(seen.values())

    @property
    def in_place(self) -> list[ItemStanding]:
        return [s for s in self.linked if s.status == "in place"]

    @property
    def gaps(self) -> list[ItemStanding]:
        return [s for s in self.linked if s.is_gap]

    @property
    def uncovered(self) -> list[Provision]:
        return [row.provision for row in self.provisions if row.uncovered]


def _status(
    item_id: str, rating: str | None, values: dict[str, int], top: int, result: dict[str, Any]
) -> str:
    if item_id in result["not_in_profile"]:
        return "not in profile"
    if item_id in result["not_applicable"]:
        return "not applicable"
    if item_id in result["critical_gaps"]:
        return "critical gap"
    if rating not in values:
        return "not answered"
    return "in place" if values[rating] == top else "gap"


def legal_context(
    g: Guidance, data: dict[str, Any], answers: dict[str, Any], result: dict[str, Any]
) -> dict[str, Any]:
    values = {r["id"]: r["value"] for r in data["scale"]}
    top = max(values.values())
    labels = rating_labels(data)
    given = answers.get("answers", {})
    standings = []
    for f in g.frameworks:
        fs = FrameworkStanding(f)
        uncovered = g.crosswalk.uncovered(f)
        for p in f.provisions:
            items = []
            for link in g.crosswalk.links_for(f, p):
                item = g.item_by_id.get(link.item)
                if item is None:
                    continue
                rating = given.get(item.id, {}).get("rating")
                status = _status(item.id, rating, values, top, result)
                label = {
                    "not in profile": "Not in this forum's profile",
                    "not answered": "Not yet answered",
                }.get(status, labels.get(rating, "Not yet answered"))
                items.append(ItemStanding(item, link.relation, label, status))
            fs.provisions.append(ProvisionStanding(p, items, p in uncovered))
        standings.append(fs)
    return {
        "notice": NOT_LEGAL_ADVICE,
        "relations": g.crosswalk_relations,
        "laws": [s for s in standings if s.framework.is_law],
        "guidelines": [s for s in standings if not s.framework.is_law],
    }
