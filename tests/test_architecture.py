"""The import direction of design.md, as import-linter contracts (pyproject.toml): adapters → site and
report → audit → records, and no MkDocs, WeasyPrint or HTTP below the layer that needs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(package_parent: Path) -> subprocess.CompletedProcess:
    """The contracts of the checkout, run over the `forumguide` package found in `package_parent`."""
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_package_keeps_every_import_contract():
    done = lint_imports(ROOT / "src")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "reported"),
    [
        ("records/model.py", "from ..cli import main", "forumguide.records.model -> forumguide.cli"),
        ("audit/scoring.py", "from ..site import pages", "forumguide.audit.scoring -> forumguide.site.pages"),
        ("audit/scoring.py", "import weasyprint", "forumguide.audit.scoring -> weasyprint"),
        ("records/validate.py", "import mkdocs", "forumguide.records.validate -> mkdocs"),
        ("site/pages.py", "from starlette.responses import Response", "forumguide.site.pages -> starlette"),
    ],
)
def test_an_import_against_the_direction_breaks_a_contract(tmp_path, module, line, reported):
    copy = tmp_path / "forumguide"
    shutil.copytree(
        ROOT / "src" / "forumguide", copy, ignore=shutil.ignore_patterns("__pycache__", "templates", "assets")
    )
    with (copy / module).open("a", encoding="utf-8") as f:
        f.write(f"\n\ndef _wrong_way():\n    {line}\n")
    done = lint_imports(tmp_path)
    assert done.returncode == 1
    assert reported in done.stdout, done.stdout
