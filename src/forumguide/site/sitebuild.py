"""Build the MkDocs site from Python (used by `forumguide serve` and the tests).

Page generation itself lives in `forumguide.site.pages` and runs without MkDocs; this module only drives
the MkDocs build that the hooks plug into.
"""

from __future__ import annotations

import os
from pathlib import Path

# Inputs whose change makes a built site stale.
SOURCES = ("guidance", "checklist", "schema", "docs", "hooks", "overrides", "src/forumguide", "mkdocs.yml")


def newest_source(root: Path) -> float:
    newest = 0.0
    for name in SOURCES:
        path = root / name
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
        elif path.is_dir():
            for item in path.rglob("*"):
                if item.is_file() and "__pycache__" not in item.parts:
                    newest = max(newest, item.stat().st_mtime)
    return newest


def is_stale(root: Path, site_dir: Path) -> bool:
    index = site_dir / "index.html"
    return not index.is_file() or index.stat().st_mtime < newest_source(root)


def build_site(root: Path, site_dir: Path, strict: bool = True) -> None:
    """Build the site into `site_dir` (raises mkdocs' Abort/PluginError on any problem)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=strict)
    build(config)
