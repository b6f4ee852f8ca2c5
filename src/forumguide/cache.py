"""The checked guidance kept between runs, so that commands which only read it (report, score, actions,
the report service) do not parse and check two hundred YAML files and format the bibliography every time.

The cache is one pickle file in the project's `.cache/` folder. Its key is the size and modification
time of every file the result depends on: the records, the schemas and this package's code. Any change
to any of them, a damaged or unreadable cache file, or a folder that cannot be written means the
records are simply read and checked again. It holds the guidance only (public data), never answers.
Set FORUMGUIDE_NO_CACHE=1 to turn it off.

`validate.load_guidance` stays the one loader; this module only remembers its result.
"""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

from . import __version__
from .model import Guidance
from .paths import PACKAGE_DIR, schema_dir
from .records import COLLECTIONS, SINGLETONS

CACHE_FILE = Path(".cache") / "forumguide-guidance.pickle"
_FORMAT = 1  # bump when the pickled payload changes shape


def _stats(folder: Path, suffixes: tuple[str, ...]) -> list[tuple[str, int, int]]:
    out = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return out
    for entry in entries:
        if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
            out.extend(_stats(Path(entry.path), suffixes))
        elif entry.name.endswith(suffixes):
            st = entry.stat()
            out.append((entry.path, st.st_size, st.st_mtime_ns))
    return out


def key(root: Path) -> tuple:
    """What the checked guidance of `root` depends on, as cheap file facts (no file is read)."""
    folders = {root / c.folder for c in COLLECTIONS} | {(root / s.file).parent for s in SINGLETONS}
    files = [f for folder in sorted(folders) for f in _stats(folder, (".yaml", ".yml"))]
    files += _stats(schema_dir(root), (".json",))
    files += _stats(PACKAGE_DIR, (".py",))
    return (_FORMAT, __version__, sys.version_info[:2], str(root.resolve()), tuple(sorted(files)))


def load(root: Path) -> Guidance:
    """The checked guidance of `root` with its formatted bibliography, from the cache when it is
    current; otherwise read, checked (raising InvalidGuidance as load_guidance does) and cached."""
    from .citations import bibliography_for, remember_bibliography
    from .validate import load_guidance

    if os.environ.get("FORUMGUIDE_NO_CACHE"):
        return load_guidance(root)
    path = root / CACHE_FILE
    current = key(root)
    try:
        with path.open("rb") as f:
            stored_key, g, bibliography = pickle.load(f)
        if stored_key == current:
            remember_bibliography(g, bibliography)
            return g
    except Exception:  # noqa: BLE001, S110 - no cache yet, one from another version, or damaged: read the records instead
        pass
    g = load_guidance(root)
    payload = (current, g, bibliography_for(g))
    try:
        path.parent.mkdir(exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as f:
            pickle.dump(payload, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)  # atomic: a concurrent reader sees the old file or the new one
    except OSError:
        pass  # a read-only checkout: work without the cache
    return g
