"""The online self-audit ("Complete the self-audit") and the scoring data it runs on.

Pure functions of a checked `Guidance` model, called by `pages` (the pages) and `pages.open_data_files`
(`data/scoring.json`). The audit is a task list: an overview page (progress, scores, saving and
sharing) and one page per step: about the audit, the forum profile, each theory area's items, and
"check your answers". One page per step keeps each page light (the whole checklist on one page weighed
half a megabyte) and lets a person finish one part at a time. The pages are forms generated from the
checklist records; the browser scripts in docs/assets/javascripts/ make them live. Every page embeds the
same data (a JSON block, so no page needs a request to work): exactly `scoring.scoring_data`, the dict
the Python `score` reads, plus `answers_schema` (schema/answers.schema.json, whose limits the browser's
check reads instead of retyping), the items' titles and the steps' addresses (so that a page can link
to an item on another step). Answers pass between the pages through the browser's storage.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from ..audit.scoring import gap_rating_words, scoring_data
from ..records import export
from ..records.model import Guidance, TheoryArea
from ..records.paths import PACKAGE_DIR, find_root, schema_dir
from ..records.schemas import schema
from ..records.yamlsource import MAX_FILE_BYTES

PATH = "audit/index.md"
DATA_FILE = "data/scoring.json"
# Loaded by the audit's pages themselves, so they run on those pages only (paths relative to the site root).
SCRIPTS = (
    "assets/javascripts/checklist-score.js",
    "assets/javascripts/checklist-answers.js",
    "assets/javascripts/checklist.js",
)
# Export, import, start again, the report, printing, last year's audit and the team merge: only the pages
# that offer them (the overview and the check step) load these, after the scripts above.
TOOLS_SCRIPT = "assets/javascripts/checklist-tools.js"
# The YAML reader (js-yaml, vendored): 44 kB that only a YAML import needs, so checklist.js adds it to the
# page when someone imports a file that is not JSON; the page names it (data-yaml-reader) for the script.
YAML_READER = "assets/vendor/js-yaml/js-yaml.min.js"
# The team merge (the browser twin of forumguide.audit.merge): only combining several files needs it.
MERGE_SCRIPT = "assets/javascripts/checklist-merge.js"

# Loaded by the page itself too (named in its front matter), for the same reason.
STYLESHEETS = ("assets/stylesheets/audit.css",)


@dataclass(frozen=True)
class Step:
    """One task of the audit, on a page of its own.

    `task` names it for the page's script (the status tags carry it: about, profile, area-N, check),
    `path` is its Markdown source path, `title` its name in the task list, `template` what it holds."""

    task: str
    path: str
    title: str
    template: str
    area: TheoryArea | None = None


def steps(g: Guidance) -> list[Step]:
    """The audit's steps in the order a person takes them: about, profile, each theory area, check."""
    return [
        Step("about", "audit/about/index.md", "About this audit", "audit-about.md.j2"),
        Step("profile", "audit/profile/index.md", "Forum profile", "audit-profile.md.j2"),
        *(
            Step(
                f"area-{a.number}",
                f"audit/{a.id}/index.md",
                f"Theory area {a.number}: {a.name}",
                "audit-area.md.j2",  # the area's items, and the template of their answer fields
                a,
            )
            for a in g.theory_areas
        ),
        Step(
            "check",
            "audit/check/index.md",
            "Check your answers and make the board report",
            "audit-check.md.j2",
        ),
    ]


def data_files(g: Guidance) -> dict[str, str]:
    """{site path: text}: the scoring data as open data (none when there is no scoring model).
    `data/forumguide.json` holds the scoring model as recorded; this file adds what `score` needs per
    item (weight, critical, applies_if and the aims taken from its recommendations)."""
    if g.scoring is None:
        return {}
    return {DATA_FILE: export.dumps(scoring_data(g))}


def script_json(data: Any) -> Markup:
    """JSON to place inside <script type="application/json">: `<`, `>` and `&` as \\u escapes, so no
    text in the data can close the element or start markup; everything else outside ASCII escaped too."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def attr(value: object) -> Markup:
    """A value for an HTML attribute (ids, names, option values): every quote and bracket escaped."""
    return Markup(escape(str(value)))


# Words for people reading the schema file; the browser's check needs only the rules (and every page
# carries the schema, so leaving the words out keeps each page lighter).
ANNOTATIONS = frozenset({"title", "description", "$comment", "examples"})
# Keywords whose value maps names to schemas (a property may be called "title"; its schema is kept).
SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions"})


def checks_only(node: Any, *, is_map: bool = False) -> Any:
    """A JSON Schema without its annotations (titles, descriptions, comments, examples): the same rules."""
    if isinstance(node, list):
        return [checks_only(v) for v in node]
    if not isinstance(node, dict):
        return node
    if is_map:
        return {name: checks_only(sub) for name, sub in node.items()}
    return {
        key: checks_only(value, is_map=key in SCHEMA_MAPS)
        for key, value in node.items()
        if key not in ANNOTATIONS
    }


def page_data(
    g: Guidance, root: Path | None = None, url_of: Callable[[str], str] | None = None
) -> dict[str, Any]:
    """The data every audit page embeds: the scoring data, the answers schema of the project at `root`
    (the one `answers.check_document` applies; by default that of the checkout this package belongs to),
    the largest answers file the CLI and the service read (the pages refuse larger files the same way),
    each item's title, and each step's address relative to the site root (`url_of` turns a source path
    into it; by default directory URLs)."""
    folder = schema_dir(root if root is not None else find_root(PACKAGE_DIR))
    url_of = url_of or (lambda path: path[: -len("index.md")])
    return {
        **scoring_data(g),
        "answers_schema": checks_only(schema(folder, "answers.schema.json")),
        "max_file_bytes": MAX_FILE_BYTES,
        "titles": {item.id: item.title for item in g.checklist},
        "steps": [{"task": s.task, "title": s.title, "url": url_of(s.path)} for s in steps(g)],
    }


def pages(
    g: Guidance, root: Path | None = None, url_of: Callable[[str], str] | None = None
) -> list[tuple[str, str, dict[str, Any]]]:
    """(source path, template, context) for the overview and every step page."""
    shared = context(g, root, url_of)
    all_steps = steps(g)
    out = [
        (
            PATH,
            "audit.md.j2",
            {
                **shared,
                "to_root": to_root(PATH),
                "audit_scripts": (*SCRIPTS, TOOLS_SCRIPT),
                "step": None,
                "previous_step": None,
                "next_step": all_steps[0],
            },
        )
    ]
    for i, step in enumerate(all_steps):
        out.append(
            (
                step.path,
                step.template,
                {
                    **shared,
                    "to_root": to_root(step.path),
                    # the last step is "check your answers", which makes the report
                    "audit_scripts": (*SCRIPTS, TOOLS_SCRIPT) if step is all_steps[-1] else SCRIPTS,
                    "step": step,
                    "step_number": i + 1,
                    "previous_step": all_steps[i - 1] if i else None,
                    "next_step": all_steps[i + 1] if i + 1 < len(all_steps) else None,
                },
            )
        )
    return out


def to_root(path: str) -> Markup:
    """From the page built from `path` (an index page) to the site root, with or without directory URLs."""
    return Markup("../" * path.count("/"))


def context(
    g: Guidance, root: Path | None = None, url_of: Callable[[str], str] | None = None
) -> dict[str, Any]:
    """What the audit's templates need besides the shared site helpers (the same on every page)."""
    data = page_data(g, root, url_of) if g.scoring is not None else None
    fields = data["answers_schema"]["properties"] if data is not None else {}
    answer = fields["answers"]["additionalProperties"]["properties"] if data is not None else {}
    return {
        "audit_data": data,
        "audit_json": script_json(data) if data is not None else Markup(""),
        # maxlength attributes, from the schema (the one place limits are written)
        "limits": {
            **{name: fields[name]["maxLength"] for name in ("organisation", "forum")},
            **{name: answer[name]["maxLength"] for name in ("reason", "notes", "owner")},
            # evidence is typed one entry a line: every entry at its longest, and the line breaks
            "evidence_text": answer["evidence"]["maxItems"] * (answer["evidence"]["items"]["maxLength"] + 1),
        }
        if data is not None
        else {},
        "steps": steps(g),
        "overview_path": PATH,
        # Site-root-relative: the templates make them relative to each page (`href`).
        "audit_yaml_reader": YAML_READER,
        "audit_merge_script": MERGE_SCRIPT,
        "audit_stylesheets": STYLESHEETS,
        "attr": attr,
        "gap_rating_labels": gap_rating_words,
    }
