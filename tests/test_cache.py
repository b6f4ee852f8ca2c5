"""The guidance cache, the quick WeasyPrint import and the console script's quick exit."""

from __future__ import annotations

import ctypes.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from forumguide import cache
from forumguide.validate import InvalidGuidance


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A copy of the real records (not the code or the schemas) that a test may change."""
    root = tmp_path / "project"
    for folder in ("guidance", "checklist", "schema"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


def test_a_second_load_comes_from_the_cache_with_its_bibliography(project, monkeypatch):
    first = cache.load(project)
    assert (project / cache.CACHE_FILE).is_file()
    from forumguide import validate

    def fail(root):
        raise AssertionError("the records were read again although nothing changed")

    monkeypatch.setattr(validate, "load_guidance", fail)
    second = cache.load(project)
    assert second is not first
    assert [c.id for c in second.cmos] == [c.id for c in first.cmos]
    assert second.item_by_id["safety-crisis-signposting"].title == first.item_by_id["safety-crisis-signposting"].title
    from forumguide.citations import cached_bibliography

    assert cached_bibliography(second) is not None  # formatted references came with it


def test_a_changed_record_is_read_again(project):
    cache.load(project)
    item = project / "checklist" / "items" / "safety-crisis-signposting.yaml"
    text = item.read_text(encoding="utf-8")
    item.write_text(text.replace("title: Crisis contacts on every page", "title: Crisis contacts everywhere"), encoding="utf-8")
    assert cache.load(project).item_by_id["safety-crisis-signposting"].title == "Crisis contacts everywhere"


def test_a_broken_record_is_still_reported_after_a_good_load(project):
    cache.load(project)
    item = project / "checklist" / "items" / "safety-crisis-signposting.yaml"
    item.write_text(item.read_text(encoding="utf-8").replace("weight: ", "weight: heavy #"), encoding="utf-8")
    with pytest.raises(InvalidGuidance) as caught:
        cache.load(project)
    assert any("weight" in p.field for p in caught.value.problems)


def test_a_damaged_cache_file_is_ignored_and_replaced(project):
    cache.load(project)
    (project / cache.CACHE_FILE).write_bytes(b"not a pickle")
    assert len(cache.load(project).checklist) == 54
    assert (project / cache.CACHE_FILE).read_bytes() != b"not a pickle"


def test_the_cache_can_be_turned_off(project, monkeypatch):
    monkeypatch.setenv("FORUMGUIDE_NO_CACHE", "1")
    cache.load(project)
    assert not (project / cache.CACHE_FILE).exists()


def test_weasyprint_import_leaves_the_library_search_as_it_was():
    from forumguide.pdf import _import_weasyprint

    before = ctypes.util.find_library
    assert _import_weasyprint().HTML
    assert ctypes.util.find_library is before


def _script() -> str:
    found = shutil.which("forumguide", path=str(Path(sys.executable).parent))
    if not found:
        pytest.skip("the forumguide console script is not installed beside this Python")
    return found


def test_console_script_flushes_its_output_and_returns_the_exit_code(tmp_path):
    script = _script()
    ok = subprocess.run([script, "score", str(ROOT / "examples" / "northbrook-2026.yaml"), "--format", "json",
                         "--path", str(ROOT)], capture_output=True, text=True, timeout=120, check=False)
    assert ok.returncode == 0
    assert json.loads(ok.stdout)["result"]["band"]["label"] == "Established"  # all of stdout arrived

    broken = tmp_path / "broken.yaml"
    broken.write_text("format: forumguide-answers/1\nanswers: [\n", encoding="utf-8")
    bad = subprocess.run([script, "report", str(broken), "-o", str(tmp_path / "r.pdf"), "--path", str(ROOT)],
                         capture_output=True, text=True, timeout=120, env={**os.environ, "FORUMGUIDE_NO_CACHE": "1"}, check=False)
    assert bad.returncode == 1
    assert "broken.yaml" in bad.stderr and "nothing was written" in bad.stderr
    assert not (tmp_path / "r.pdf").exists()


def test_the_render_worker_gives_the_same_pdf_as_rendering_in_process(guidance):
    from forumguide.pdf import html_to_pdf
    from forumguide.pdf_worker import RenderProcess
    from forumguide.report import board_html

    html = board_html(guidance, yaml_example())
    assert RenderProcess().render(html) == html_to_pdf(html)


def test_a_worker_that_cannot_start_or_fails_falls_back_to_rendering_here(monkeypatch):
    from forumguide import pdf_worker
    from forumguide.pdf import html_to_pdf

    html = "<html lang='en'><title>t</title><p>Fallback</p></html>"
    expected = html_to_pdf(html)

    def no_process(*args, **kwargs):
        raise OSError("no processes left")

    with monkeypatch.context() as m:
        m.setattr(pdf_worker.subprocess, "Popen", no_process)
        assert pdf_worker.RenderProcess().render(html) == expected
    with monkeypatch.context() as m:  # a worker that starts but fails (here: a program that exits 1)
        m.setattr(pdf_worker.sys, "executable", shutil.which("false"))
        assert pdf_worker.RenderProcess().render(html) == expected


def yaml_example() -> dict:
    import yaml

    return yaml.safe_load((ROOT / "examples" / "northbrook-2026.yaml").read_text(encoding="utf-8"))
