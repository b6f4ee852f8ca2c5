"""The checked guidance kept between runs, so that commands which only read it (report, score, actions,
the report service) do not parse and check two hundred YAML files and format the bibliography every time.

Where: one JSON file per version of the records in the user's cache folder
(`$XDG_CACHE_HOME/forumguide/`, by default `~/.cache/forumguide/`), never in the project folder, so a
checkout or a `--path` folder cannot bring a cache of its own. It holds the guidance only (public
data), never answers. Set FORUMGUIDE_NO_CACHE=1 to turn it off.

Key: the SHA-256 of everything the result depends on (the record files, the schemas, this package's
code, the cache format and the Python version), read in full: a few milliseconds for the whole
project (benchmarks/cache.py prints the figure), and exact where file sizes and times are not.

Data only: the file is JSON (a one-line header, then the records as written and the formatted
bibliography), so reading it can never run code. It is checked before use: its header must name this
format and the current key, the SHA-256 of its body must match the header, and its contents must have
the shape the model needs, with references holding no markup but citeproc-py's formatting tags. A
file that fails any check (damaged, from another version, or not ours) is ignored and replaced: the
records are read and checked again.

`records.load` stays the one loader; this module only remembers its result (the model, its formatted
bibliography and the warnings the check gave, so a cached load reports what a fresh one would).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .. import __version__
from .model import BUILDERS, Guidance, as_written, guidance_from
from .paths import PACKAGE_DIR, schema_dir
from .problems import Problem
from .read import COLLECTIONS, SINGLETONS

FORMAT = "forumguide-guidance-cache"
FORMAT_VERSION = 5  # bump when the payload changes shape (1 was the pickle in the project's .cache/; 3 adds relations; 4 the whole vocabulary; 5 warnings)
MAX_BYTES = 32_000_000  # the real guidance makes about 1 MB; anything far larger is not ours
KEEP = 8  # cache files kept (one per version of the records seen most recently, e.g. several checkouts)

# citeproc-py's HTML formatter writes only these tags; everything else in a reference is encoded text.
_FORMATTING_TAG = re.compile(r'</?(?:i|b|sup|sub|span)>|<span style="[a-z:;\- ]*">')


def folder() -> Path:
    """The user's cache folder for forumguide (XDG base directories: a relative XDG_CACHE_HOME is ignored)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "forumguide"


def _inputs(root: Path) -> list[tuple[str, Path]]:
    """(name, path) of every file the checked guidance of `root` depends on, in a fixed order. The
    record files are the ones records.read_sources reads; names are relative, so that two checkouts of
    the same records share one cache file."""
    files: list[tuple[str, Path]] = []
    for coll in COLLECTIONS:
        records = root / coll.folder
        if records.is_dir():
            files += [
                (f"{coll.folder}/{p.name}", p)
                for p in sorted(records.glob("*.yaml")) + sorted(records.glob("*.yml"))
            ]
    files += [(single.file, root / single.file) for single in SINGLETONS if (root / single.file).is_file()]
    files += [(f"schema/{p.name}", p) for p in sorted(schema_dir(root).glob("*.json"))]
    files += [
        (f"forumguide/{p.relative_to(PACKAGE_DIR).as_posix()}", p) for p in sorted(PACKAGE_DIR.rglob("*.py"))
    ]
    return files


def key(root: Path) -> str:
    """The SHA-256 (hex) of the record files, schemas and package code of `root`, with their names."""
    digest = hashlib.sha256(f"{FORMAT}/{FORMAT_VERSION}\0{__version__}\0{sys.version_info[:2]}\0".encode())
    for name, path in _inputs(root):
        try:
            content = path.read_bytes()
        except OSError:
            content = b"\0unreadable"  # load_guidance reports it; the key only has to differ
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def _file(current: str) -> Path:
    return folder() / f"guidance-{current}.json"


def _payload(g: Guidance, formatted: dict[str, str], warnings: list[Problem]) -> dict[str, Any]:
    return {
        "warnings": [asdict(p) for p in warnings],
        "records": {
            k: [
                {"file": r.file, "data": data}
                for r, data in zip(getattr(g, k), as_written(getattr(g, k)), strict=True)
            ]
            for k in BUILDERS
        },
        "singles": {
            "vocabulary": g.vocabulary_written,
            "release": g.release,
            "scoring": g.scoring,
        },
        "bibliography": formatted,
        "relations": g.crosswalk_relations,
    }


def _warnings(entries: Any) -> list[Problem] | None:
    fields = {"file": str, "line": (int, type(None)), "field": str, "message": str, "severity": str}
    if not isinstance(entries, list):
        return None
    if not all(
        isinstance(e, dict)
        and e.keys() == fields.keys()
        and all(isinstance(e[k], t) for k, t in fields.items())
        for e in entries
    ):
        return None
    return [Problem(**e) for e in entries]


def _guidance(payload: Any) -> tuple[Guidance, dict[str, str], list[Problem]] | None:
    """The model and formatted references from a cache file's body, or None if it has not the shape
    this module writes (the builders' own KeyError and TypeError count as a wrong shape too)."""
    if not isinstance(payload, dict):
        return None
    warnings = _warnings(payload.get("warnings"))
    if warnings is None:
        return None
    records, singles, bibliography = (
        payload.get("records"),
        payload.get("singles"),
        payload.get("bibliography"),
    )
    relations = payload.get("relations")
    if not (
        isinstance(records, dict)
        and isinstance(singles, dict)
        and isinstance(bibliography, dict)
        and isinstance(relations, dict)
        and all(isinstance(v, str) for v in relations.values())
    ):
        return None
    built: dict[str, list] = {}
    for k, build in BUILDERS.items():
        entries = records.get(k)
        if not isinstance(entries, list):
            return None
        if not all(
            isinstance(e, dict) and isinstance(e.get("file"), str) and isinstance(e.get("data"), dict)
            for e in entries
        ):
            return None
        built[k] = [build(e["data"], e["file"]) for e in entries]
    if not all(isinstance(singles.get(s.key), (dict, type(None))) for s in SINGLETONS):
        return None
    g = guidance_from(built, {s.key: singles.get(s.key) for s in SINGLETONS}, relations)
    for evidence_id, html in bibliography.items():
        if (
            evidence_id not in g.evidence_by_id
            or not isinstance(html, str)
            or "<" in _FORMATTING_TAG.sub("", html)
        ):
            return None
    return g, bibliography, warnings


def read(current: str) -> tuple[Guidance, dict[str, str], list[Problem]] | None:
    """The cached model for key `current`, or None when there is no usable cache file."""
    try:
        with _file(current).open("rb") as f:
            content = f.read(MAX_BYTES + 1)
    except OSError:
        return None
    if len(content) > MAX_BYTES:
        return None
    head, _, body = content.partition(b"\n")
    try:
        header = json.loads(head)
        if not (
            isinstance(header, dict)
            and header.get("format") == FORMAT
            and header.get("version") == FORMAT_VERSION
            and header.get("key") == current
            and header.get("sha256") == hashlib.sha256(body).hexdigest()
        ):
            return None
        return _guidance(json.loads(body))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):  # not JSON, or not our shape
        return None


def write(current: str, g: Guidance, formatted: dict[str, str], warnings: list[Problem]) -> None:
    """Keep the model for key `current`; a folder that cannot be written means working without a cache."""
    body = json.dumps(_payload(g, formatted, warnings), ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )
    header = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "key": current,
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    path = _file(current)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(json.dumps(header).encode("ascii") + b"\n" + body)
        os.replace(temporary, path)  # atomic: a concurrent reader sees the old file or the new one
        _prune(path.parent)
    except OSError:
        pass


def _prune(where: Path) -> None:
    """Keep the KEEP most recently written cache files: each edit of a record makes a new one."""
    files = sorted(where.glob("guidance-*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)
