"""A small scoring model whose results are computed by hand in test_scoring.py."""

SCALE = [
    {"id": "not-in-place", "label": "Not in place", "value": 0, "description": ".", "critical_gap": True},
    {"id": "planned", "label": "Planned", "value": 1, "description": ".", "critical_gap": True},
    {"id": "partly", "label": "Partly", "value": 2, "description": "."},
    {"id": "fully", "label": "Fully", "value": 3, "description": "."},
]


def item(id, area, weight=1, critical=False, aims=("promote-benefit",), applies_if=None):
    return {
        "id": id,
        "theory_area": area,
        "weight": weight,
        "critical": critical,
        "applies_if": applies_if or {},
        "aims": sorted(aims),
    }


DATA = {
    "guidance_version": "1.0",
    "scale": SCALE,
    "dont_know": {"id": "dont-know", "label": "Don't know", "description": "."},
    "not_applicable": {"id": "not-applicable", "label": "Not applicable", "description": "."},
    "completeness": {"min_answered_percent": 90},
    "aims": [
        {"id": "limit-harm", "label": "Limiting harm", "description": "."},
        {"id": "promote-benefit", "label": "Promoting benefit", "description": "."},
    ],
    "assessment": [
        {"id": "self", "label": "Self-assessment", "cover": "Self"},
        {"id": "external", "label": "External review", "cover": "External"},
    ],
    "bands": [
        {"id": "starting", "label": "Starting out", "min": 0, "description": "."},
        {"id": "developing", "label": "Developing", "min": 40, "description": "."},
        {"id": "established", "label": "Established", "min": 65, "description": "."},
    ],
    "profile": [
        {
            "id": "audience",
            "question": "Who?",
            "multiple": True,
            "options": [{"id": "adults", "label": "Adults"}, {"id": "young-people", "label": "Young"}],
        },
    ],
    "areas": [{"number": 1, "name": "Self-efficacy"}, {"number": 2, "name": "Safety"}],
    "items": [
        item("a1", 1, weight=3, critical=True, aims=["limit-harm"]),
        item("a2", 1),
        item("b1", 2, weight=2, critical=True, aims=["limit-harm"]),
        item("b2", 2, aims=["promote-benefit", "limit-harm"]),
        item("b3", 2, weight=2, applies_if={"audience": ["young-people"]}),
        item("b4", 2),
    ],
}

ANSWERS = {
    "format": "forumguide-answers/1",
    "guidance_version": "1.0",
    "organisation": "O",
    "forum": "F",
    "assessors": ["A"],
    "date": "2026-01-01",
    "profile": {"audience": ["adults"]},
    "answers": {
        "a1": {"rating": "fully"},
        "a2": {"rating": "planned"},
        "b1": {"rating": "not-in-place"},
        "b2": {"rating": "not-applicable", "reason": "We have no such feature."},
        "b3": {"rating": "fully"},
    },
}
