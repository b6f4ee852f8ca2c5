"""Records → open data: one JSON document with everything, and CSL-JSON for reference managers.

Order is stable (table order for CMOs, reference number for sources) so that two exports of the same
records are byte-identical and a diff shows only real changes.
"""

from __future__ import annotations

import json
from typing import Any

from .model import Evidence, Guidance, Term, as_written

# The version of the document's layout, not of the guidance (that is guidance_version). Raise it only for a
# change a reader written for this version could misread: a key removed or renamed (at the top level, in
# counts or in terms), or a value whose type or meaning changes. Adding a key keeps it. The rule is
# published on the Open data page (docs/open-data.md); tests/test_export.py pins the keys of each version.
FORMAT_VERSION = 1


def export_document(g: Guidance) -> dict[str, Any]:
    release = g.release or {}
    return {
        "format_version": FORMAT_VERSION,
        "guidance_version": g.version,
        "release": release or None,
        "counts": counts(g),
        "theory_areas": as_written(g.theory_areas),
        "cmos": as_written(g.cmos),
        "evidence": as_written(g.evidence),
        "vocabulary": [
            {"id": t.id, "label": t.label, "definition": t.definition} for t in g.vocabulary.values()
        ],
        "terms": {
            "audiences": _terms(g.audiences),
            "recommendation_aims": _terms(g.recommendation_aims),
            "evidence_kinds": _terms(g.evidence_kinds),
            "evidence_types": _terms(g.evidence_types),
            "interview_roles": _terms(g.interview_roles),
        },
        "recommendations": as_written(g.recommendations),
        "checklist": as_written(g.checklist),
        "scoring": g.scoring,
        "topics": as_written(g.topics),
        "frameworks": as_written(g.frameworks),
        "crosswalk": as_written(g.crosswalks),
    }


def _terms(terms: dict[str, Term]) -> list[dict[str, str]]:
    """A list of values with their words, as guidance/vocabulary.yaml writes it (description only where given)."""
    return [
        {"id": t.id, "label": t.label, **({"description": t.description} if t.description else {})}
        for t in terms.values()
    ]


def counts(g: Guidance) -> dict[str, int]:
    """Figures quoted on the site and in reports: always computed, never typed."""
    return {
        "theory_areas": len(g.theory_areas),
        "cmos": len(g.cmos),
        "evidence": len(g.evidence),
        "publications": len(g.publications),
        "cited_publications": sum(1 for e in g.publications if g.cmos_citing(e.id) or g.areas_citing(e.id)),
        "interview_participants": len(g.interviews),
        "recommendations": len(g.recommendations),
        "checklist_items": len(g.checklist),
        "topics": len(g.topics),
        "frameworks": len(g.frameworks),
        "crosswalk_links": sum(len(c.links) for c in g.crosswalks),
    }


def csl_item(e: Evidence) -> dict[str, Any]:
    item = e.csl
    if e.source_ref is not None:
        item["citation-label"] = str(e.source_ref)
    return item


def csl_items(g: Guidance) -> list[dict[str, Any]]:
    """Bibliographic sources only (the paper's references and the paper itself); interview
    participants and the workshop are not publications."""
    return [csl_item(e) for e in g.evidence if e.kind in {"publication", "synthesis"}]


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
