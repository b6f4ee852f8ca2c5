"""The speed tricks (forumguide.speedups): each leaves the process as it found it and every output the same."""

from __future__ import annotations

import ctypes.util
import gc
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


def test_the_collector_is_paused_during_a_render_and_restored_after():
    from forumguide.speedups import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a render that fails")
    assert gc.isenabled()


# A fresh process without the tricks: WeasyPrint imported the ordinary way (with the library search),
# the collector left running, the PDF written to standard output.
WITHOUT_TRICKS = """
import contextlib, sys
import weasyprint
from forumguide.report import pdf
pdf.collector_paused = contextlib.nullcontext
sys.stdout.buffer.write(pdf.html_to_pdf(sys.stdin.buffer.read().decode("utf-8")))
"""


@pytest.mark.slow
def test_the_tricks_change_no_byte_of_the_pdf(guidance):
    from forumguide.report import board_html
    from forumguide.report.pdf import html_to_pdf

    html = board_html(guidance, yaml_example())
    without = subprocess.run(
        [sys.executable, "-c", WITHOUT_TRICKS],
        input=html.encode("utf-8"),
        capture_output=True,
        check=True,
        timeout=300,
    ).stdout
    assert without.startswith(b"%PDF")
    assert html_to_pdf(html) == without


@pytest.mark.slow
def test_weasyprint_import_leaves_the_library_search_as_it_was():
    from forumguide.speedups import import_weasyprint

    before = ctypes.util.find_library
    assert import_weasyprint().HTML
    assert ctypes.util.find_library is before


def _script() -> str:
    found = shutil.which("forumguide", path=str(Path(sys.executable).parent))
    if not found:
        pytest.skip("the forumguide console script is not installed beside this Python")
    return found


@pytest.mark.slow
def test_console_script_flushes_its_output_and_returns_the_exit_code(tmp_path, guidance):
    from forumguide.audit.scoring import score, scoring_data

    script = _script()
    ok = subprocess.run(
        [
            script,
            "score",
            str(ROOT / "examples" / "northbrook-2026.yaml"),
            "--format",
            "json",
            "--path",
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ok.returncode == 0
    expected = json.loads(json.dumps(score(scoring_data(guidance), yaml_example())))
    assert json.loads(ok.stdout)["result"] == expected  # all of stdout arrived

    broken = tmp_path / "broken.yaml"
    broken.write_text("format: forumguide-answers/1\nanswers: [\n", encoding="utf-8")
    bad = subprocess.run(
        [script, "report", str(broken), "-o", str(tmp_path / "r.pdf"), "--path", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "FORUMGUIDE_NO_CACHE": "1"},
        check=False,
    )
    assert bad.returncode == 1
    assert "broken.yaml" in bad.stderr and "nothing was written" in bad.stderr
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.slow
def test_the_render_worker_gives_the_same_pdf_as_rendering_in_process(guidance):
    from forumguide.report import board_html
    from forumguide.report.pdf import html_to_pdf
    from forumguide.speedups import RenderProcess

    html = board_html(guidance, yaml_example())
    assert RenderProcess().render(html) == html_to_pdf(html)


@pytest.mark.slow
def test_a_worker_that_cannot_start_or_fails_falls_back_to_rendering_here(monkeypatch):
    from forumguide import speedups
    from forumguide.report.pdf import html_to_pdf

    html = "<html lang='en'><title>t</title><p>Fallback</p></html>"
    expected = html_to_pdf(html)

    def no_process(*args, **kwargs):
        raise OSError("no processes left")

    with monkeypatch.context() as m:
        m.setattr(speedups.subprocess, "Popen", no_process)
        assert speedups.RenderProcess().render(html) == expected
    with monkeypatch.context() as m:  # a worker that starts but fails (here: a program that exits 1)
        m.setattr(speedups.sys, "executable", shutil.which("false"))
        assert speedups.RenderProcess().render(html) == expected


def yaml_example() -> dict:
    import yaml

    return yaml.safe_load((ROOT / "examples" / "northbrook-2026.yaml").read_text(encoding="utf-8"))


def test_only_speedups_ends_a_process_without_teardown():
    """os._exit is a speed trick with a measured reason: it lives in speedups.exit_now alone."""
    from forumguide.records.paths import PACKAGE_DIR

    callers = sorted(
        str(p.relative_to(PACKAGE_DIR))
        for p in PACKAGE_DIR.rglob("*.py")
        if "os._exit(" in p.read_text(encoding="utf-8")
    )
    assert callers == ["speedups.py"]
