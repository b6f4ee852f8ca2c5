"""Read and check an answers file: the contract between the browser, the CLI and the service.

Every consumer calls `check_answers`, so a file is judged the same way everywhere. Nothing the user
wrote is dropped silently: anything that cannot be scored is either an error (the file is refused,
with a reason) or a warning (kept, and said so).
"""

from __future__ import annotations

import copy
import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..records import schemas
from ..records.paths import schema_dir
from ..records.problems import HasProblems, Problem
from ..records.validate import schema_problems
from ..records.yamlsource import Document, SourceError, field_name, parse_file, parse_text
from .scoring import applies, rating_ids

FORMAT = "forumguide-answers/1"


@dataclass
class CheckedAnswers(HasProblems):
    data: dict[str, Any] | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.errors


def read_answers_file(path: Path, root: Path, data: dict[str, Any]) -> CheckedAnswers:
    try:
        doc = parse_file(path, str(path))
    except SourceError as exc:
        return CheckedAnswers(None, [Problem(exc.file, exc.line, "(whole file)", exc.message)])
    return check_document(doc, root, data)


def read_answers_text(text: str, root: Path, data: dict[str, Any], name: str = "answers") -> CheckedAnswers:
    try:
        doc = parse_text(text, name)
    except SourceError as exc:
        return CheckedAnswers(None, [Problem(exc.file, exc.line, "(whole file)", exc.message)])
    return check_document(doc, root, data)


def check_document(doc: Document, root: Path, data: dict[str, Any]) -> CheckedAnswers:
    """Check parsed answers against the answers schema and the scoring data (`scoring.scoring_data`)."""
    if not isinstance(doc.data, dict) or doc.data.get("format") != FORMAT:
        return CheckedAnswers(
            None,
            [
                Problem(
                    doc.file,
                    1,
                    "format",
                    (
                        f"This is not a forumguide answers file: it should start with 'format: {FORMAT}'. "
                        "Export answers from the online checklist, or start from a file in examples/."
                    ),
                )
            ],
        )
    problems = list(
        dict.fromkeys(schema_problems(doc, schemas.validator(schema_dir(root), "answers.schema.json")))
    )
    problems += [
        Problem(doc.file, line, field_name(path), f"The field '{path[-1]}' is written twice; keep one.")
        for path, line in doc.duplicate_keys
    ]
    if problems:
        return CheckedAnswers(None, problems)
    upgraded, notes = upgrade(data, doc.data)
    problems += [
        Problem(doc.file, doc.line_of(path), field_name(path), message, "warning") for path, message in notes
    ]
    problems += _meaning_problems(doc, upgraded, data)
    return CheckedAnswers(upgraded if not any(p.severity == "error" for p in problems) else None, problems)


def upgrade(data: dict[str, Any], answers: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[tuple, str]]]:
    """Answers made against an earlier major version, read as this version's answers: items renamed,
    replaced, changed or removed since then are mapped as checklist/scoring.yaml (upgrades) says, and each
    change is returned as a note (path in the original document, message) so that the tools can list the
    items to answer again. Answers of the current major version come back unchanged (not copied)."""
    major = str(answers.get("guidance_version", "")).split(".")[0]
    steps = [u for u in data.get("upgrades", []) if u["from_major"] == major]
    if not steps or major == data["guidance_version"].split(".")[0]:
        return answers, []
    out = copy.deepcopy(answers)
    given = out["answers"]
    notes: list[tuple[tuple, str]] = []
    version = data["guidance_version"]
    for change in steps[0]["items"]:
        old = change["id"]
        if old not in answers["answers"]:  # only answers as written: not ones this loop has just carried over
            continue
        answer = copy.deepcopy(answers["answers"][old])
        given.pop(old, None)
        where = ("answers", old)
        if change["change"] == "renamed":
            new = change["to"][0]
            given.setdefault(new, answer)
            notes.append((where, f"In guidance {version} this item is '{new}'; the answer was carried over."))
        elif change["change"] == "replaced":
            kept = {k: v for k, v in answer.items() if k in ("notes", "owner", "due")}
            for new in change["to"]:
                given.setdefault(new, dict(kept))
            notes.append(
                (
                    where,
                    (
                        f"In guidance {version} this item is replaced by {', '.join(change['to'])}. "
                        "Answer them again; the notes, owner and due date were copied."
                    ),
                )
            )
        elif change["change"] == "changed":
            kept = {k: v for k, v in answer.items() if k in ("notes", "owner", "due")}
            if kept:
                given[old] = kept
            notes.append(
                (where, f"This item changed in guidance {version}: rate it again (the notes are kept).")
            )
        else:
            notes.append((where, f"This item is no longer in guidance {version}; its answer is not used."))
    return out, notes


class _PlainDumper(yaml.SafeDumper):
    """Writes a value that occurs twice in full, never as an anchor and alias: this project's loader
    refuses aliases (see yamlsource)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_answers(doc: dict[str, Any], fmt: str = "yaml", header: str = "") -> str:
    """An answers document as YAML (with `header` as comment lines) or JSON, fields in the order given."""
    if fmt == "json":
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    body = yaml.dump(
        doc, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    return "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()) + body


def _suggest(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


def _meaning_problems(doc: Document, answers: dict[str, Any], data: dict[str, Any]) -> list[Problem]:
    """Checks of what the answers mean, on the answers as upgraded (lines from the document as written)."""
    out: list[Problem] = []

    def add(path: tuple, message: str, severity: str = "error") -> None:
        out.append(Problem(doc.file, doc.line_of(path), field_name(path), message, severity))

    version, current = answers["guidance_version"], data["guidance_version"]
    if version != current:
        same_major = version.split(".")[0] == current.split(".")[0]
        upgraded = any(u["from_major"] == version.split(".")[0] for u in data.get("upgrades", []))
        add(
            ("guidance_version",),
            (
                f"These answers were made against guidance version {version}; this is version {current}. "
                + (
                    "Wording may have changed; scores are comparable."
                    if same_major
                    else "Its items and scoring differ: the answers were read with this version's changes, and the items "
                    "noted need answering again before the scores can be relied on."
                    if upgraded
                    else "Items, weights or the answer scale may have changed: review the answers before relying on the scores."
                )
            ),
            "warning",
        )

    questions = {q["id"]: q for q in data["profile"]}
    for qid, value in answers["profile"].items():
        if qid not in questions:
            add(
                ("profile", qid),
                f"'{qid}' is not a profile question.{_suggest(qid, list(questions))} "
                f"The questions are: {', '.join(questions)}.",
            )
            continue
        if value is None:
            continue  # not answered yet
        q = questions[qid]
        options = [o["id"] for o in q["options"]]
        chosen = value if isinstance(value, list) else [value]
        if isinstance(value, list) and not q["multiple"]:
            add(("profile", qid), f"'{qid}' takes one answer, not a list.")
        for i, option in enumerate(chosen):
            if option not in options:
                where = ("profile", qid, i) if isinstance(value, list) else ("profile", qid)
                add(
                    where,
                    f"'{option}' is not an answer to '{qid}'.{_suggest(option, options)} Use one of: {', '.join(options)}.",
                )

    if "assessment" in answers:
        methods = [m["id"] for m in data["assessment"]]
        if answers["assessment"] not in methods:
            add(
                ("assessment",),
                f"'{answers['assessment']}' is not a way of doing the audit.{_suggest(answers['assessment'], methods)} "
                f"Use one of: {', '.join(methods)}.",
            )

    items = {i["id"]: i for i in data["items"]}
    ratings = rating_ids(data)[:-1]  # the scale and "don't know"
    values = {r["id"]: r["value"] for r in data["scale"]}
    na = data["not_applicable"]["id"]
    for item_id, answer in answers["answers"].items():
        if item_id not in items:
            add(
                ("answers", item_id),
                f"There is no checklist item '{item_id}'.{_suggest(item_id, list(items))} "
                "Its answer cannot be scored; correct the id or remove the answer.",
            )
            continue
        rating = answer.get("rating")
        if rating is not None and rating not in ratings and rating != na:
            add(
                ("answers", item_id, "rating"),
                f"'{rating}' is not a rating.{_suggest(rating, ratings + [na])} "
                f"Use one of: {', '.join(ratings + [na])}.",
            )
        if rating == na and items[item_id]["critical"]:
            add(("answers", item_id, "rating"), critical_not_applicable_message(items[item_id], data))
        elif rating == na and not str(answer.get("reason", "")).strip():
            add(
                ("answers", item_id, "reason"),
                "'Not applicable' needs a written reason: say why this does not apply to your forum.",
            )
        if not applies(items[item_id], answers["profile"]) and (rating or answer.get("notes")):
            add(
                ("answers", item_id),
                "This item does not apply to the forum profile you gave; the answer is kept but not scored.",
                "warning",
            )
        target = answer.get("target", {}).get("rating")
        if target is not None and target not in values:
            add(
                ("answers", item_id, "target", "rating"),
                f"'{target}' is not a rating to aim for.{_suggest(target, list(values))} "
                f"Use one of: {', '.join(values)}.",
            )
        elif target is not None and rating in values and values[target] <= values[rating]:
            add(
                ("answers", item_id, "target", "rating"),
                "The target is not above the current rating, so the roadmap shows no step for this item.",
                "warning",
            )

    for i, disagreement in enumerate((answers.get("merge") or {}).get("disagreements", [])):
        if (
            (disagreement["item"] not in items)
            if "item" in disagreement
            else (disagreement["question"] not in questions)
        ):
            add(
                ("merge", "disagreements", i),
                "This disagreement names an item or profile question this guidance does "
                "not have; the report leaves it out.",
                "warning",
            )
    return out


def critical_not_applicable_message(item: dict[str, Any], data: dict[str, Any]) -> str:
    """Why a safety-critical item cannot be "not applicable", and which profile answer to change instead."""
    na = data["not_applicable"]["label"]
    if not item["applies_if"]:
        return (
            f"This item is safety-critical and applies to every forum, so it cannot be marked '{na}'. "
            f"Rate it: '{data['scale'][0]['label']}' if nothing is done yet, or '{data['dont_know']['label']}'."
        )
    questions = {q["id"]: q["question"] for q in data["profile"]}
    named = " and ".join(f"'{questions.get(q, q)}' ({q})" for q in item["applies_if"])
    return (
        f"This item is safety-critical, so it cannot be marked '{na}'. It applies because of your forum profile: "
        f"if it truly does not apply, change your answer to {named} instead. Otherwise rate it "
        f"('{data['dont_know']['label']}' is allowed)."
    )
