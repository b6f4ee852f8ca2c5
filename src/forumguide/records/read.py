"""Find and read every record file of a project, keeping file and line for each value.

This is the one loader: the site, the checklist, the CLI, the service and the tests all read records
through `read_sources`, and nothing else parses record YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .yamlsource import Document, SourceError, parse_file


@dataclass(frozen=True)
class Collection:
    """A kind of record: where its files live and which schema they follow."""

    key: str  # name in the model and the export, e.g. "cmos"
    folder: str  # relative to the project root
    schema: str  # file name in schema/
    label: str  # what an editor calls one record
    required: bool = True  # a project without any is incomplete


COLLECTIONS: tuple[Collection, ...] = (
    Collection("theory_areas", "guidance/theory-areas", "theory-area.schema.json", "theory area"),
    Collection("cmos", "guidance/cmos", "cmo.schema.json", "CMO"),
    Collection("evidence", "guidance/evidence", "evidence.schema.json", "evidence record"),
    Collection(
        "recommendations", "guidance/recommendations", "recommendation.schema.json", "recommendation", False
    ),
    Collection("checklist", "checklist/items", "checklist-item.schema.json", "checklist item", False),
    Collection("topics", "guidance/topics", "topic.schema.json", "topic", False),
    Collection("frameworks", "guidance/frameworks", "framework.schema.json", "framework", False),
    Collection("crosswalks", "guidance/crosswalk", "crosswalk.schema.json", "crosswalk", False),
)


@dataclass(frozen=True)
class Singleton:
    """A file that holds one document rather than a folder of records."""

    key: str
    file: str
    schema: str
    label: str
    required: bool = True


SINGLETONS: tuple[Singleton, ...] = (
    Singleton("vocabulary", "guidance/vocabulary.yaml", "vocabulary.schema.json", "tag vocabulary"),
    Singleton("release", "guidance/release.yaml", "release.schema.json", "guidance release", False),
    Singleton("scoring", "checklist/scoring.yaml", "scoring.schema.json", "scoring model", False),
)


@dataclass(frozen=True)
class Missing:
    """A required folder with no records, or a required file that is not there."""

    file: str  # as the editor sees it, relative to the project root
    message: str


@dataclass
class Sources:
    """Everything read from disk, before checking: documents per collection and unreadable files."""

    root: Path
    documents: dict[str, list[Document]] = field(default_factory=dict)
    singletons: dict[str, Document | None] = field(default_factory=dict)
    unreadable: list[SourceError] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)


def display_path(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def read_sources(root: Path) -> Sources:
    sources = Sources(root=root)
    for coll in COLLECTIONS:
        folder = root / coll.folder
        docs: list[Document] = []
        files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")) if folder.is_dir() else []
        if coll.required and not files:
            sources.missing.append(
                Missing(
                    f"{coll.folder}/",
                    f"{coll.folder}/ holds no records (expected one YAML file per {coll.label}).",
                )
            )
        for path in files:
            try:
                docs.append(parse_file(path, display_path(root, path)))
            except SourceError as exc:
                sources.unreadable.append(exc)
        sources.documents[coll.key] = docs
    for single in SINGLETONS:
        path = root / single.file
        sources.singletons[single.key] = None
        if not path.is_file():
            if single.required:
                sources.missing.append(Missing(single.file, f"{single.file} is missing."))
            continue
        try:
            sources.singletons[single.key] = parse_file(path, display_path(root, path))
        except SourceError as exc:
            sources.unreadable.append(exc)
    return sources
