"""Labels and enums are data: a word the records give a value (a rating, an aim, a weight, a band, an
audience, a kind of source) is written once, in checklist/scoring.yaml or guidance/vocabulary.yaml, and
reaches Python, the templates and the browser from there. These tests fail when one is typed in code."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

PACKAGE = ROOT / "src" / "forumguide"
SCRIPTS = ROOT / "docs" / "assets" / "javascripts"


def term_lists() -> list[str]:
    """The vocabulary's lists of values with their words (audiences, aims, kinds, types and roles of
    source...), as its schema names them: a list added there is checked here without editing this file."""
    schema = json.loads((ROOT / "schema" / "vocabulary.schema.json").read_text(encoding="utf-8"))
    return [key for key, value in schema["properties"].items() if value.get("$ref") == "#/$defs/terms"]


TERM_LISTS = term_lists()


def record_labels() -> set[str]:
    scoring = yaml.safe_load((ROOT / "checklist" / "scoring.yaml").read_text(encoding="utf-8"))
    vocabulary = yaml.safe_load((ROOT / "guidance" / "vocabulary.yaml").read_text(encoding="utf-8"))
    labels = {r["label"] for key in ("scale", "aims", "weights", "bands", "assessment") for r in scoring[key]}
    labels |= {scoring["dont_know"]["label"], scoring["not_applicable"]["label"]}
    labels |= {t["label"] for key in ("tags", *TERM_LISTS) for t in vocabulary[key]}
    return labels


LABELS = record_labels()


def _typed(text: str, any_case: bool = False) -> str | None:
    """The label a string literal spells, alone or as the start of a longer label ("Essential (weight 3)").
    In Python the case must match (ids such as "workshop" are lowercase words too); in templates and
    scripts, where a label is often lowered for a sentence, any case counts."""
    fold = str.casefold if any_case else str
    text = fold(text.strip())
    for label in LABELS:
        lab = fold(label)
        if text == lab or text.startswith((lab + " (", lab + ":")):
            return label
    return None


def _python_literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


QUOTED = re.compile(r"""(["'])((?:(?!\1)[^\\\n])*)\1""")
COMMENT = re.compile(r"\{#.*?#\}|/\*.*?\*/|(?<![:\\])//[^\n]*", re.S)  # Jinja, block and line comments


def _quoted_literals(path: Path) -> list[tuple[int, str]]:
    """String literals outside comments (a comment keeps its line breaks, so line numbers hold)."""
    text = COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), path.read_text(encoding="utf-8"))
    return [(n, m.group(2)) for n, line in enumerate(text.splitlines(), 1) for m in QUOTED.finditer(line)]


def test_the_records_have_labels_to_look_for():
    assert {
        "Limiting harm",
        "Essential",
        "Publications",
        "forum hosts",
        "Limits harm",
        "Not in place",
        "Journal article",
        "Forum moderator",
    } <= LABELS
    assert {"evidence_kinds", "evidence_types", "interview_roles"} <= set(TERM_LISTS)


@pytest.mark.parametrize("kind", ["python", "templates", "javascript"])
def test_no_label_of_the_records_is_typed_in_code(kind):
    files = {
        "python": sorted(PACKAGE.rglob("*.py")) + sorted((ROOT / "hooks").glob("*.py")),
        "templates": sorted((PACKAGE / "templates").rglob("*.j2")),
        "javascript": sorted(p for p in SCRIPTS.glob("checklist*.js")),
    }[kind]
    assert files
    read = _python_literals if kind == "python" else _quoted_literals
    typed = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in files
        for line, text in read(path)
        if _typed(text, any_case=kind != "python")
    ]
    assert typed == []


def test_a_typed_label_is_found(tmp_path):
    """The check itself can fail: the labels pages.py once typed are found."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        'WEIGHTS = {3: "Essential (weight 3)"}\nGROUP = ("publication", "Publications")\n', encoding="utf-8"
    )
    template = tmp_path / "sample.md.j2"
    template.write_text(
        '{{ "Promotes benefits" if rec.aim == "promote-benefit" else "Limits harm" }}\n', encoding="utf-8"
    )
    assert [_typed(t) for _, t in _python_literals(sample) if _typed(t)] == ["Essential", "Publications"]
    assert [_typed(t, True) for _, t in _quoted_literals(template) if _typed(t, True)] == [
        "Promotes benefits",
        "Limits harm",
    ]
    script = tmp_path / "sample.js"
    script.write_text(
        '// "Not applicable" in a comment is fine\nvar label = "not applicable";\n', encoding="utf-8"
    )
    assert [(n, _typed(t, True)) for n, t in _quoted_literals(script) if _typed(t, True)] == [
        (2, "Not applicable")
    ]


def _enums(node, where: str = ""):
    """(where, values) for every enum in a schema, leaving out `if` conditions (a rule for some values,
    such as what a workshop record needs, is not a list of the values allowed)."""
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list):
            yield where, node["enum"]
        for key, value in node.items():
            if key != "if":
                yield from _enums(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _enums(value, f"{where}/{i}")


def test_the_values_the_vocabulary_lists_are_not_retyped_in_a_schema():
    vocabulary = yaml.safe_load((ROOT / "guidance" / "vocabulary.yaml").read_text(encoding="utf-8"))
    listed = {t["id"] for key in TERM_LISTS for t in vocabulary[key]}
    schemas = {
        p.name: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "schema").glob("*.schema.json"))
    }
    retyped = [
        f"{name}{where}: {sorted(listed & set(map(str, values)))}"
        for name, schema in schemas.items()
        for where, values in _enums(schema)
        if listed & set(map(str, values))
    ]
    assert retyped == []
    # The check can fail: the list the recommendation schema once held is found.
    once = {
        "properties": {
            "aim": {"enum": ["promote-benefit", "limit-harm"]},
            "kind": {"if": {"enum": ["workshop"]}},
        }
    }
    assert list(_enums(once)) == [("/properties/aim", ["promote-benefit", "limit-harm"])]
    listed_before = {"properties": {"role": {"enum": ["forum host", "forum moderator"]}}}
    assert [where for where, _ in _enums(listed_before)] == ["/properties/role"]


def test_the_evidence_follows_the_vocabularys_order_of_kinds(guidance):
    kinds = list(guidance.evidence_kinds)
    assert [kinds.index(e.kind) for e in guidance.evidence] == sorted(
        kinds.index(e.kind) for e in guidance.evidence
    )
    reordered = replace(
        guidance,
        evidence=list(guidance.evidence),
        evidence_kinds=dict(reversed(guidance.evidence_kinds.items())),
    )
    assert [e.kind for e in reordered.evidence][0] == "synthesis" and [e.kind for e in reordered.evidence][
        -1
    ] == "publication"
    assert [term.id for term, _ in reordered.evidence_groups()] == list(reversed(kinds))
