"""Shared fixtures: the real project, and small projects built from YAML snippets."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from forumguide.paths import find_root
from forumguide.validate import load_guidance

ROOT = find_root(Path(__file__).parent)

MINIMAL = {
    "guidance/vocabulary.yaml": """
        tags:
          - id: engagement
            label: Engagement
            definition: People keep using the forum.
        """,
    "guidance/theory-areas/safety.yaml": """
        id: safety
        number: 1
        name: Safety
        question: How do forums stay safe?
        overview: A short overview.
        """,
    "guidance/cmos/cmo-1.yaml": """
        id: cmo-1
        number: "1"
        theory_area: 1
        title: Replies keep people coming back
        summary: A summary.
        context: A context.
        mechanism_resource: A resource.
        mechanism_reasoning: A reasoning.
        outcomes:
          - text: More engagement
            kind: intended
            tags: [engagement]
        context_tags: [engagement]
        evidence: [ref-1]
        """,
    "guidance/evidence/ref-1.yaml": """
        id: ref-1
        kind: publication
        source_ref: 1
        type: article-journal
        title: A study
        issued:
          date-parts: [[2020]]
        """,
}


def write_project(root: Path, files: dict[str, str | None]) -> Path:
    """A project tree from the minimal records, with `files` added, replaced or (None) removed."""
    merged = {**MINIMAL, **files}
    for rel, text in merged.items():
        if text is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path):
    def make(files: dict[str, str | None] | None = None) -> Path:
        return write_project(tmp_path / "project", files or {})
    return make


@pytest.fixture(scope="session")
def guidance():
    return load_guidance(ROOT)
