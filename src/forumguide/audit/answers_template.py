"""A blank answers file to fill in by hand (`forumguide init`), generated from the records.

Every item id, title and question, the profile questions with their allowed answers, and the rating
scale come from the checklist and scoring records, so the template cannot drift from the guidance.
The blank file is itself a valid answers file: it scores as "nothing answered yet".
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

import yaml

from ..records.model import Guidance
from .answers import FORMAT
from .scoring import gap_ratings, scoring_data

WIDTH = 100


def blank_answers(g: Guidance, date: str) -> dict[str, Any]:
    """The blank document: every profile question and item present, nothing answered."""
    data = scoring_data(g)
    return {
        "format": FORMAT,
        "guidance_version": g.version,
        "organisation": "",
        "forum": "",
        "assessors": [],
        "date": date,
        "profile": {q["id"]: None for q in data["profile"]},
        "answers": {item["id"]: {"rating": None, "notes": "", "evidence": []} for item in data["items"]},
    }


def blank_answers_json(g: Guidance, date: str) -> str:
    return json.dumps(blank_answers(g, date), indent=2, ensure_ascii=False) + "\n"


def _comment(text: str, indent: int = 0, prefix: str = "") -> list[str]:
    """`text` as YAML comment lines of at most WIDTH characters."""
    pad = " " * indent + "# "
    lines = textwrap.wrap(" ".join(text.split()), WIDTH - len(pad) - len(prefix)) or [""]
    return [pad + (prefix if i == 0 else " " * len(prefix)) + line for i, line in enumerate(lines)]


def _scalar(value: Any) -> str:
    """One YAML value on one line, quoted as YAML needs it (a date stays a string)."""
    return (
        yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
        .removesuffix("\n...\n")
        .strip()
    )


def _condition(data: dict[str, Any], applies_if: dict[str, list[str]]) -> str:
    questions = {q["id"]: q for q in data["profile"]}
    parts = []
    for qid, allowed in applies_if.items():
        q = questions[qid]
        labels = [o["label"] for o in q["options"] if o["id"] in allowed]
        parts.append(f"'{q['question']}' is answered {' or '.join(labels)}")
    return "Applies only when " + "; and ".join(parts) + "."


def blank_answers_yaml(g: Guidance, date: str) -> str:
    """The blank document as commented YAML: what each field is for and which values it takes."""
    data = scoring_data(g)
    na = data["not_applicable"]
    title = (g.release or {}).get("title", "forumguide")
    out = [
        f"# A blank self-audit answers file for {title}, guidance version {g.version}.",
        "# Made by `forumguide init`. Fill it in with any text editor, then:",
        "#   forumguide score THIS-FILE                       (scores in the terminal)",
        "#   forumguide report THIS-FILE -o board-report.pdf  (the board report)",
        "# Several assessors can each fill in a copy and combine them with `forumguide merge`.",
        "#",
        "# Rate each item by writing one of these after `rating:` (leave it empty while undecided):",
    ]
    width = max(len(r["id"]) for r in [*data["scale"], data["dont_know"], na])
    for r in [*data["scale"], data["dont_know"], na]:
        out += _comment(f"{r['label']}: {r['description']}", 0, f"  {r['id']:<{width}}  ")
    out += [
        "#",
        "# Each answer can also have:",
        f"#   reason:   why the item does not apply (required with {na['id']})",
        "#   notes:    what the assessors found (plain text)",
        "#   evidence: what the rating rests on, as a list of document names or links",
        "#   owner:    who will act on the item; due: by when (YYYY-MM-DD)",
        '#   target:   the rating to aim for and by when, e.g. {rating: fully, date: "2027-06-30"}',
        f"# Items marked SAFETY-CRITICAL are critical gaps when rated {', '.join(r['id'] for r in gap_ratings(data))}, or left",
        f"# empty; they cannot be rated {na['id']}.",
        "# The format is described in schema/answers.schema.json.",
        "",
        f"format: {FORMAT}",
        f"guidance_version: {_scalar(g.version)}",
        'organisation: ""  # the organisation that runs the forum',
        'forum: ""  # the forum being audited',
        'assessors: []  # who completed the audit, as a list: ["Name (role)", "Name (role)"]',
        f"date: {_scalar(date)}  # the date of the audit, YYYY-MM-DD; the report shows this date",
        "",
        "# The forum profile: some items apply only to some forums. An unanswered question takes no item out.",
        "profile:",
    ]
    for q in data["profile"]:
        out += _comment(q["question"] + (f" {q['help']}" if q.get("help") else ""), 2)
        how = (
            "one or more, as a list such as [" + ", ".join(o["id"] for o in q["options"][:2]) + "]"
            if q["multiple"]
            else "one of these"
        )
        out.append(f"  # Answer {how}:")
        for o in q["options"]:
            out.append(f"  #   {o['id']}: {o['label']}")
        out.append(f"  {q['id']}:")
    out += ["", "answers:"]
    area_name = {a["number"]: a["name"] for a in data["areas"]}
    area = None
    for item in data["items"]:
        record = g.item_by_id[item["id"]]
        if item["theory_area"] != area:
            area = item["theory_area"]
            out += ["", f"  # ---- Theory area {area}: {area_name[area]} ".ljust(WIDTH, "-")]
        flag = " (SAFETY-CRITICAL)" if item["critical"] else ""
        out += _comment(record.title + flag, 2)
        out += _comment(record.question, 2)
        if item["applies_if"]:
            out += _comment(_condition(data, item["applies_if"]), 2)
        out += [f"  {item['id']}:", "    rating:", '    notes: ""', "    evidence: []"]
    return "\n".join(out) + "\n"
