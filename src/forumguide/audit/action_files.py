"""The action plan as files a team works from: CSV and XLSX (`forumguide actions`).

The plan itself (what to do first) is `actions.plan`; this module only lays it out in columns and keeps
user-written cells from being read as spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..records.model import Guidance
from .actions import Action

COLUMNS = [
    "Priority",
    "Item",
    "Title",
    "Theory area",
    "Question",
    "Current rating",
    "Critical",
    "Owner",
    "Due",
    "Notes",
]
FRAMEWORK_COLUMN = "Related provisions"  # added when the plan is filtered by a framework


def provisions_cell(g: Guidance, item_id: str, framework_id: str) -> str:
    """The provisions of one framework an item bears on, with the relation, for the filtered plan."""
    return "; ".join(
        f"{k.provision.title} ({k.relation})"
        for k in g.crosswalk.by_item.get(item_id, [])
        if k.framework.id == framework_id
    )


def _columns(framework_id: str | None) -> list[str]:
    return COLUMNS + [FRAMEWORK_COLUMN] if framework_id else COLUMNS


def rows(g: Guidance, actions: list[Action], framework_id: str | None = None) -> list[list[Any]]:
    area = {t.number: t.name for t in g.theory_areas}
    out = []
    for i, a in enumerate(actions, 1):
        row = [
            i,
            a.item_id,
            a.title,
            area[a.theory_area],
            a.question,
            a.rating_label,
            "critical gap" if a.critical_gap else ("yes" if a.critical else ""),
            a.owner,
            a.due,
            a.notes,
        ]
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


def to_xlsx(
    g: Guidance, actions: list[Action], title: str, date: str, framework_id: str | None = None
) -> bytes:
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
