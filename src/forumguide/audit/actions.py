"""The action plan: what to improve first, derived from a score result.

Order: critical gaps first, then unanswered critical items, then by how much each item could add to
the score (weight × shortfall), then checklist order. Pure; used by the report, the CLI's CSV/XLSX
export and the online checklist's summary.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from .model import Guidance
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
        actions.append((position, Action(
            item_id=item["id"], theory_area=item["theory_area"], title=record.title, question=record.question, rating=rating,
            rating_label=labels[rating] if rating else "Not yet answered", critical=item["critical"],
            critical_gap=item["id"] in gaps, weight=item["weight"], gain=item["weight"] * shortfall,
            owner=answer.get("owner", ""), due=answer.get("due", ""), notes=answer.get("notes", ""),
            recommendations=list(record.recommendations),
        )))
    actions.sort(key=lambda pa: (not pa[1].critical_gap, not (pa[1].critical and pa[1].rating is None),
                                 -pa[1].gain, pa[0]))
    return [a for _, a in actions]


COLUMNS = ["Priority", "Item", "Title", "Theory area", "Question", "Current rating", "Critical", "Owner", "Due", "Notes"]
FRAMEWORK_COLUMN = "Related provisions"  # added when the plan is filtered by a framework


class UnknownFramework(ValueError):
    def __init__(self, framework_id: str, known: list[str]):
        self.framework_id, self.known = framework_id, known
        super().__init__(f"'{framework_id}' is not the id of a framework; the frameworks are: {', '.join(known)}.")


def for_framework(g: Guidance, actions: list[Action], framework_id: str) -> list[Action]:
    """The actions on items linked to one framework, in the plan's order (priorities keep their rank
    within the filtered plan)."""
    if framework_id not in g.framework_by_id:
        raise UnknownFramework(framework_id, [f.id for f in g.frameworks])
    linked = g.crosswalk.items_for_framework(framework_id)
    return [a for a in actions if a.item_id in linked]


def provisions_cell(g: Guidance, item_id: str, framework_id: str) -> str:
    """The provisions of one framework an item bears on, with the relation, for the filtered plan."""
    return "; ".join(f"{k.provision.title} ({k.relation})" for k in g.crosswalk.by_item.get(item_id, [])
                     if k.framework.id == framework_id)


def _columns(framework_id: str | None) -> list[str]:
    return COLUMNS + [FRAMEWORK_COLUMN] if framework_id else COLUMNS


def rows(g: Guidance, actions: list[Action], framework_id: str | None = None) -> list[list[Any]]:
    area = {t.number: t.name for t in g.theory_areas}
    out = []
    for i, a in enumerate(actions, 1):
        row = [i, a.item_id, a.title, area[a.theory_area], a.question, a.rating_label,
               "critical gap" if a.critical_gap else ("yes" if a.critical else ""), a.owner, a.due, a.notes]
        if framework_id:
            row.append(provisions_cell(g, a.item_id, framework_id))
        out.append(row)
    return out


def _safe_cell(value: Any) -> Any:
    """Spreadsheet formula injection: a cell the user wrote that starts with = + - @ is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(g: Guidance, actions: list[Action], framework_id: str | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_columns(framework_id))
    for row in rows(g, actions, framework_id):
        writer.writerow([_safe_cell(v) for v in row])
    return out.getvalue()


def to_xlsx(g: Guidance, actions: list[Action], title: str, date: str, framework_id: str | None = None) -> bytes:
    """The plan as a spreadsheet; its timestamps are the audit date, so the same answers give the same file."""
    import datetime as _dt

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Action plan"
    ws.append(_columns(framework_id))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows(g, actions, framework_id):
        ws.append([_safe_cell(v) for v in row])
    for column, width in zip("ABCDEFGHIJK", (9, 30, 30, 24, 60, 18, 12, 20, 12, 50, 50), strict=False):
        ws.column_dimensions[column].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    wb.properties.title = title
    wb.properties.created = wb.properties.modified = _dt.datetime.fromisoformat(date)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
