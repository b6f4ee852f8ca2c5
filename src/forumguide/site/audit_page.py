"""The online self-audit ("Complete the self-audit") and the scoring data it runs on.

Pure functions of a checked `Guidance` model, called by `pages` (the page) and `pages.open_data_files`
(`data/scoring.json`). The page is a form generated from the checklist records; the browser scripts in
docs/assets/javascripts/ (`checklist-score.js`, `checklist-answers.js`, `checklist.js`) make it live.
They read the scoring data from a JSON block embedded in the page, so the page needs no request to
work: exactly `scoring.scoring_data`, the dict the Python `score` reads, plus `answers_schema`, the
answers schema (schema/answers.schema.json) whose limits the browser's check reads instead of retyping.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from ..audit.scoring import gap_rating_words, scoring_data
from ..records import export
from ..records.model import Guidance
from ..records.paths import PACKAGE_DIR, find_root, schema_dir
from ..records.schemas import schema
from ..records.yamlsource import MAX_FILE_BYTES

PATH = "audit/index.md"
DATA_FILE = "data/scoring.json"
# Loaded by the page itself, so they run on this page only (paths relative to the site root).
SCRIPTS = (
    "assets/javascripts/checklist-score.js",
    "assets/javascripts/checklist-answers.js",
    "assets/javascripts/checklist.js",
)
# The YAML reader (js-yaml, vendored): 44 kB that only a YAML import needs, so checklist.js adds it to the
# page when someone imports a file that is not JSON; the page names it (data-yaml-reader) for the script.
YAML_READER = "assets/vendor/js-yaml/js-yaml.min.js"
# The team merge (the browser twin of forumguide.audit.merge): only combining several files needs it.
MERGE_SCRIPT = "assets/javascripts/checklist-merge.js"

# Loaded by the page itself too (named in its front matter), for the same reason.
STYLESHEETS = ("assets/stylesheets/audit.css",)


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


def page_data(g: Guidance, root: Path | None = None) -> dict[str, Any]:
    """The data the page embeds: the scoring data, the answers schema of the project at `root` (the
    one `answers.check_document` applies; by default that of the checkout this package belongs to) and
    the largest answers file the CLI and the service read (the page refuses larger files the same way)."""
    folder = schema_dir(root if root is not None else find_root(PACKAGE_DIR))
    return {
        **scoring_data(g),
        "answers_schema": schema(folder, "answers.schema.json"),
        "max_file_bytes": MAX_FILE_BYTES,
    }


def context(g: Guidance, root: Path | None = None) -> dict[str, Any]:
    """What the page template needs besides the shared site helpers."""
    data = page_data(g, root) if g.scoring is not None else None
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
        # The page is an index page one folder down, so the site root is one level up with or
        # without directory URLs.
        "audit_scripts": [Markup("../" * PATH.count("/")) + attr(s) for s in SCRIPTS],
        "audit_yaml_reader": Markup("../" * PATH.count("/")) + attr(YAML_READER),
        "audit_merge_script": Markup("../" * PATH.count("/")) + attr(MERGE_SCRIPT),
        "audit_stylesheets": STYLESHEETS,
        "attr": attr,
        "gap_rating_labels": gap_rating_words,
    }
