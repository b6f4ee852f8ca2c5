"""Shared fixtures: the real project, and small projects built from YAML snippets."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest
import uvicorn
import yaml
from hypothesis import HealthCheck, settings

from forumguide.records.load import load_guidance
from forumguide.records.paths import find_root
from forumguide.server import Limits, create_app, uvicorn_settings

ROOT = find_root(Path(__file__).parent)

# No deadline per example: a property holds or fails whatever the machine's load; speed is measured
# in benchmarks/, never asserted by a test.
settings.register_profile("forumguide", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("forumguide")


def scoring_yaml_for_small_projects() -> str:
    """The real checklist/scoring.yaml without its map from earlier versions (`upgrades`, kept last in
    the file), which names the real checklist items: for test projects with items of their own."""
    text = (ROOT / "checklist" / "scoring.yaml").read_text(encoding="utf-8")
    return text[: text.index("\nupgrades:")] + "\n" if "\nupgrades:" in text else text


def vocabulary_yaml_for_small_projects() -> str:
    """One tag, and the real lists of audiences, recommendation aims and kinds, types and roles of source
    (the one place the values records may use are listed, with their words)."""
    real = yaml.safe_load((ROOT / "guidance" / "vocabulary.yaml").read_text(encoding="utf-8"))
    tags = [{"id": "engagement", "label": "Engagement", "definition": "People keep using the forum."}]
    lists = {key: value for key, value in real.items() if key != "tags"}
    return yaml.safe_dump({"tags": tags, **lists}, sort_keys=False, allow_unicode=True, width=1000)


MINIMAL = {
    "guidance/vocabulary.yaml": vocabulary_yaml_for_small_projects(),
    "guidance/theory-areas/safety.yaml": """
        id: safety
        number: 1
        name: Safety
        question: How do forums stay safe?
        overview: A short overview.
        """,
    "guidance/cmos/cmo-1.yaml": """
        id: cmo-1
        number: "1"
        theory_area: 1
        title: Replies keep people coming back
        summary: A summary.
        context: A context.
        mechanism_resource: A resource.
        mechanism_reasoning: A reasoning.
        outcomes:
          - text: More engagement
            kind: intended
            tags: [engagement]
        context_tags: [engagement]
        evidence: [ref-1]
        """,
    "guidance/evidence/ref-1.yaml": """
        id: ref-1
        kind: publication
        source_ref: 1
        type: article-journal
        title: A study
        issued:
          date-parts: [[2020]]
        """,
}


# A release and the paper it names, for fixture projects that need them (site pages cite the paper).
RELEASE = """
    title: Test guidance
    version: "1.0"
    date: "2026-01-01"
    source: paper
    """
PAPER = """
    id: paper
    kind: synthesis
    source_ref: null
    type: article-journal
    title: The paper
    issued:
      date-parts: [[2024]]
    """


def write_project(root: Path, files: dict[str, str | None]) -> Path:
    """A project tree from the minimal records, with `files` added, replaced or (None) removed."""
    merged = {**MINIMAL, **files}
    for rel, text in merged.items():
        if text is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path):
    def make(files: dict[str, str | None] | None = None) -> Path:
        return write_project(tmp_path / "project", files or {})

    return make


@pytest.fixture(scope="session")
def guidance():
    return load_guidance(ROOT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RunningServer:
    """The real ASGI app under uvicorn in a thread, on a free 127.0.0.1 port."""

    def __init__(self, limits: Limits, site_dir: Path | None = None):
        self.port = free_port()
        # The service's own connection settings (header timeout, limits), with the test's logging left alone.
        settings = {**uvicorn_settings(limits), "log_level": "warning", "log_config": None}
        config = uvicorn.Config(
            create_app(ROOT, site_dir, limits), host="127.0.0.1", port=self.port, **settings
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.time() + 20
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once per session with --strict."""
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def site_server(built_site):
    """The built site and the report service, served together as `forumguide serve` does."""
    with RunningServer(Limits(workers=1, waiting=2, timeout=120), built_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium under Playwright, one per test module."""
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def pytest_configure(config):
    """The guidance cache of a test run lives in a folder of its own, never in the user's cache."""
    config._forumguide_cache_home = tempfile.mkdtemp(prefix="forumguide-test-cache-")
    os.environ["XDG_CACHE_HOME"] = config._forumguide_cache_home


def pytest_unconfigure(config):
    shutil.rmtree(getattr(config, "_forumguide_cache_home", ""), ignore_errors=True)


# Fixtures that make a test a browser test or a slow one (see CONTRIBUTING.md, "Tests").
BROWSER_FIXTURES = {"browser"}
SLOW_FIXTURES = {"built_site", "site_server", "service_client"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if used & (SLOW_FIXTURES | BROWSER_FIXTURES):
            item.add_marker(pytest.mark.slow)
