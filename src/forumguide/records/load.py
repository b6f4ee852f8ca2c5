"""The one way in: read a project's records, check them and build the model.

The site (hooks and `forumguide pages`), every CLI command, the report service, its render processes
and the tests all call `load` (or `load_guidance`, which raises on errors). The result comes from the
cache (`records.cache`) when the records, schemas and code are unchanged, with the same problems a fresh
check gives; otherwise the records are read (`read.read_sources`), checked (`validate.check_sources`,
pure) and the result is cached with its formatted bibliography.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import cache
from .model import Guidance
from .problems import InvalidGuidance, Report


def load(root: Path, *, use_cache: bool = True) -> Report:
    """Every problem (file, line, field, message) in the records under `root`, and the model when
    there is no error. `use_cache=False` (or FORUMGUIDE_NO_CACHE=1) reads and checks the files afresh and
    leaves the cache alone."""
    if not use_cache or os.environ.get("FORUMGUIDE_NO_CACHE"):
        return _read_and_check(root)
    # Imported here: the citation machinery is needed only when the cache is missed or used.
    from ..site.citations import Bibliography, bibliography_for, remember_bibliography

    current = cache.key(root)
    cached = cache.read(current)
    if cached is not None:
        g, formatted, warnings = cached
        remember_bibliography(g, Bibliography(g, formatted=formatted))
        return Report(problems=warnings, guidance=g)
    report = _read_and_check(root)
    if report.guidance is not None:
        cache.write(current, report.guidance, bibliography_for(report.guidance).formatted, report.warnings)
    return report


def load_guidance(root: Path, *, use_cache: bool = True) -> Guidance:
    """The checked model of a project, or InvalidGuidance listing every error."""
    report = load(root, use_cache=use_cache)
    if report.guidance is None:
        raise InvalidGuidance(report.errors)
    return report.guidance


def _read_and_check(root: Path) -> Report:
    # Imported here: the schema machinery (jsonschema) is a noticeable part of a short command's run,
    # and a current cache does without it.
    from .read import read_sources
    from .validate import check_sources

    return check_sources(read_sources(root))
