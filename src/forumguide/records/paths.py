"""Where the project's records, schemas and site live."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/forumguide: the templates and assets live there
TEMPLATES_DIR = PACKAGE_DIR / "templates"
ASSETS_DIR = PACKAGE_DIR / "assets"


def is_project_root(path: Path) -> bool:
    return (path / "guidance").is_dir() and (path / "schema").is_dir()


def find_root(start: Path | None = None) -> Path:
    """The project folder: the nearest folder holding guidance/ and schema/ at or above `start` (the
    working directory by default), else the checkout this package was installed from."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if is_project_root(candidate):
            return candidate
    checkout = PACKAGE_DIR.parent.parent
    if is_project_root(checkout):
        return checkout
    raise FileNotFoundError(
        "No forumguide project found: run the command inside a checkout (a folder with guidance/ and schema/)."
    )


def schema_dir(root: Path) -> Path:
    """Schemas come from the project being checked, so a fixture tree can carry its own copy; a tree
    without one (a small test fixture) uses the schemas of the checkout this package belongs to."""
    own = root / "schema"
    if own.is_dir():
        return own
    return find_root(PACKAGE_DIR) / "schema"
