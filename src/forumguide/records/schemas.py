"""The JSON Schemas, loaded once and resolved offline.

Cross-file `$ref`s are resolved with `referencing` from the files in schema/ only: a reference to
anything else is an error, never a network request.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import jsonschema
import referencing
from referencing.jsonschema import DRAFT202012


@lru_cache(maxsize=8)  # cache: one registry per schema folder, schemas never change during a run
def _registry(folder: str) -> tuple[referencing.Registry, dict[str, dict]]:
    by_name: dict[str, dict] = {}
    resources = []
    for path in sorted(Path(folder).glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        by_name[path.name] = contents
        resources.append(
            (contents["$id"], referencing.Resource.from_contents(contents, default_specification=DRAFT202012))
        )
    return referencing.Registry().with_resources(resources).crawl(), by_name


def validator(folder: Path, name: str) -> jsonschema.Draft202012Validator:
    """A validator (with format checking) for schema/<name>, e.g. 'cmo.schema.json'."""
    registry, by_name = _registry(str(folder))
    if name not in by_name:
        raise FileNotFoundError(f"No schema {name} in {folder}")
    return jsonschema.Draft202012Validator(
        by_name[name], registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def schema(folder: Path, name: str) -> dict:
    return _registry(str(folder))[1][name]


def check_schemas(folder: Path) -> list[str]:
    """Problems with the schemas themselves (each must be a valid draft 2020-12 schema)."""
    problems = []
    for name, contents in _registry(str(folder))[1].items():
        try:
            jsonschema.Draft202012Validator.check_schema(contents)
        except jsonschema.SchemaError as exc:
            problems.append(f"{name}: {exc.message}")
    return problems
