"""Smaller copies of the site's own scripts and stylesheets, written over the built files.

The guidance site's pages must stay light (issue 13: at most 400 KB with their CSS and JS), and the theme's
own files already come minified. Our scripts and stylesheets are kept readable in `docs/assets/` and
minified only in the built site, with rjsmin/rcssmin (well-kept, pure-Python minifiers that only drop
comments and whitespace). Licence comments (`/*! ... */`) are kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import rcssmin
import rjsmin

_MINIFIERS = {
    ".js": lambda text: rjsmin.jsmin(text, keep_bang_comments=True),
    ".css": lambda text: rcssmin.cssmin(text, keep_bang_comments=True),
}


def own_assets(docs_dir: Path) -> Iterator[Path]:
    """Scripts and stylesheets under docs/assets that are not minified yet (docs-relative paths)."""
    for path in sorted((docs_dir / "assets").rglob("*")):
        if path.suffix in _MINIFIERS and not path.name.endswith((".min.js", ".min.css")):
            yield path.relative_to(docs_dir)


def minify(text: str, suffix: str) -> str:
    return _MINIFIERS[suffix](text)


def minify_built_assets(docs_dir: Path, site_dir: Path) -> dict[str, tuple[int, int]]:
    """Minify the built copy of every own asset; returns {path: (bytes before, bytes after)}."""
    sizes: dict[str, tuple[int, int]] = {}
    for relative in own_assets(docs_dir):
        built = site_dir / relative
        if not built.is_file():
            continue
        text = built.read_text(encoding="utf-8")
        small = minify(text, relative.suffix)
        built.write_text(small, encoding="utf-8")
        sizes[relative.as_posix()] = (len(text.encode()), len(small.encode()))
    return sizes
