"""The guidance cache: data only, in the user's cache folder, keyed by content, checked before use."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import shutil
from pathlib import Path

import pytest

from forumguide.records import cache
from forumguide.records import load as loading
from forumguide.records.load import load, load_guidance
from forumguide.records.problems import InvalidGuidance, Problem, Report

from conftest import ROOT


@pytest.fixture()
def user_cache(tmp_path: Path, monkeypatch) -> Path:
    """A cache folder of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return tmp_path / "user-cache" / "forumguide"


@pytest.fixture()
def project(tmp_path: Path, user_cache) -> Path:
    """A copy of the real records (not the code or the schemas) that a test may change."""
    root = tmp_path / "project"
    for folder in ("guidance", "checklist", "schema"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


@pytest.fixture()
def reads(monkeypatch, guidance) -> list[Path]:
    """Reading and checking the records, counted, and quick: the real records' model, already made."""
    calls: list[Path] = []

    def read_and_check(root: Path) -> Report:
        calls.append(root)
        return Report(guidance=guidance)

    monkeypatch.setattr(loading, "_read_and_check", read_and_check)
    return calls


def cache_file(project: Path) -> Path:
    return cache._file(cache.key(project))


def test_a_second_load_comes_from_the_cache_with_its_bibliography(user_cache, monkeypatch):
    project = ROOT
    first = load_guidance(project)
    assert cache_file(project).is_file()

    def fail(root):
        raise AssertionError("the records were read again although nothing changed")

    monkeypatch.setattr(loading, "_read_and_check", fail)
    second = load_guidance(project)
    assert second is not first
    assert [c.id for c in second.cmos] == [c.id for c in first.cmos]
    assert (
        second.item_by_id["safety-crisis-signposting"].title
        == first.item_by_id["safety-crisis-signposting"].title
    )
    assert second.scoring == first.scoring and second.vocabulary == first.vocabulary
    from forumguide.site.citations import bibliography_for, cached_bibliography

    assert cached_bibliography(second) is not None  # formatted references came with it
    assert cached_bibliography(second).formatted == bibliography_for(first).formatted


def test_the_cache_lives_in_the_user_cache_folder_not_the_project(project, user_cache, reads):
    load_guidance(project)
    assert cache_file(project).parent == user_cache
    assert not (project / ".cache").exists()
    assert [p for p in project.rglob("*") if p.is_file() and p.suffix not in (".yaml", ".json")] == []


def test_without_xdg_cache_home_the_cache_is_under_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.folder() == tmp_path / ".cache" / "forumguide"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # the XDG rule: relative paths are ignored
    assert cache.folder() == tmp_path / ".cache" / "forumguide"


def test_the_key_is_the_content_of_the_records_not_their_place_or_time(project, tmp_path):
    other = tmp_path / "other-checkout"
    shutil.copytree(project, other)
    item = other / "checklist" / "items" / "safety-crisis-signposting.yaml"
    os.utime(item, (0, 0))
    assert cache.key(other) == cache.key(project) == cache.key(ROOT)
    item.write_text(item.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cache.key(other) != cache.key(project)


@pytest.mark.slow
def test_a_changed_record_is_read_again(project):
    load_guidance(project)
    item = project / "checklist" / "items" / "safety-crisis-signposting.yaml"
    text = item.read_text(encoding="utf-8")
    item.write_text(
        text.replace("title: Crisis contacts on every page", "title: Crisis contacts everywhere"),
        encoding="utf-8",
    )
    assert (
        load_guidance(project).item_by_id["safety-crisis-signposting"].title == "Crisis contacts everywhere"
    )


@pytest.mark.slow
def test_a_broken_record_is_still_reported_after_a_good_load(project):
    load_guidance(project)
    item = project / "checklist" / "items" / "safety-crisis-signposting.yaml"
    item.write_text(item.read_text(encoding="utf-8").replace("weight: ", "weight: heavy #"), encoding="utf-8")
    with pytest.raises(InvalidGuidance) as caught:
        load_guidance(project)
    assert any("weight" in p.field for p in caught.value.problems)


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b"not json at all",
        lambda b: b[: len(b) // 2],  # cut short
        lambda b: b.replace(
            b"Crisis contacts on every page", b"Crisis contacts in every page"
        ),  # body changed
        lambda b: b"",
    ],
)
def test_a_damaged_cache_file_is_ignored_and_replaced(user_cache, reads, guidance, damage):
    load_guidance(ROOT)
    path = cache_file(ROOT)
    good = path.read_bytes()
    path.write_bytes(damage(good))
    g = load_guidance(ROOT)
    assert len(reads) == 2  # the damaged file was not used
    assert (
        g.item_by_id["safety-crisis-signposting"].title
        == guidance.item_by_id["safety-crisis-signposting"].title
    )
    assert path.read_bytes() == good  # rewritten
    assert load_guidance(ROOT) is not guidance and len(reads) == 2  # and used from then on


def _rewrite(path: Path, change) -> None:
    """A cache file with a changed body and a matching header: what a crafted file would look like."""
    head, _, body = path.read_bytes().partition(b"\n")
    payload = json.loads(body)
    change(payload)
    body = json.dumps(payload).encode()
    header = {**json.loads(head), "sha256": hashlib.sha256(body).hexdigest()}
    path.write_bytes(json.dumps(header).encode() + b"\n" + body)


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p["bibliography"].update(
            {"ref-2": "<script>alert(1)</script>"}
        ),  # markup citeproc never writes
        lambda p: p["bibliography"].update({"no-such-source": "A reference"}),
        lambda p: p["records"]["cmos"].append(
            {"file": "x.yaml", "data": {"id": "x"}}
        ),  # not a record the model can hold
        lambda p: p["records"].update({"checklist": "everything"}),
        lambda p: p.update({"singles": []}),
    ],
)
def test_a_cache_file_with_contents_the_loader_never_wrote_is_ignored(user_cache, reads, guidance, change):
    load_guidance(ROOT)
    path = cache_file(ROOT)
    good = path.read_bytes()
    _rewrite(path, change)
    assert load_guidance(ROOT) is guidance and len(reads) == 2  # read from the records again
    assert path.read_bytes() == good


class _RunsCode:
    """Unpickling this object would create the marker file: the classic pickle attack."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_crafted_cache_file_cannot_run_code(project, tmp_path, reads, guidance):
    marker = tmp_path / "code-ran"
    crafted = pickle.dumps(_RunsCode(marker))
    # Where the old pickle cache lived (a checkout could ship it) and where the cache lives now.
    (project / ".cache").mkdir()
    (project / ".cache" / "forumguide-guidance.pickle").write_bytes(crafted)
    path = cache_file(project)
    path.parent.mkdir(parents=True)
    path.write_bytes(crafted)
    assert [i.id for i in load_guidance(project).checklist] == [i.id for i in guidance.checklist]
    head, _, _ = path.read_bytes().partition(b"\n")
    assert json.loads(head)["key"] == cache.key(project)
    assert not marker.exists()
    assert load_guidance(project).cmos and len(reads) == 1  # then from the rewritten file
    assert not marker.exists()


def test_no_pickle_anywhere_in_the_package():
    from forumguide.records.paths import PACKAGE_DIR

    loads_code = re.compile(
        r"^\s*(?:import|from)\s+(?:c?pickle|marshal|shelve|dill)\b|__import__", re.MULTILINE
    )
    assert [
        p.name for p in PACKAGE_DIR.rglob("*.py") if loads_code.search(p.read_text(encoding="utf-8"))
    ] == []


def test_old_cache_files_are_pruned(user_cache, reads):
    project = ROOT
    folder = cache.folder()
    folder.mkdir(parents=True)
    for n in range(cache.KEEP + 3):
        old = folder / f"guidance-{n:064x}.json"
        old.write_text("{}", encoding="utf-8")
        os.utime(old, (1000 + n, 1000 + n))
    load_guidance(project)
    left = sorted(p.name for p in folder.glob("guidance-*.json"))
    assert len(left) == cache.KEEP and cache_file(project).name in left
    assert f"guidance-{0:064x}.json" not in left


def test_the_cache_can_be_turned_off(user_cache, reads, monkeypatch):
    monkeypatch.setenv("FORUMGUIDE_NO_CACHE", "1")
    load_guidance(ROOT)
    load_guidance(ROOT)
    assert len(reads) == 2
    assert not cache.folder().exists()


def test_a_cached_load_reports_the_warnings_a_fresh_check_gave(user_cache, monkeypatch):
    fresh = load(ROOT, use_cache=False)
    assert fresh.warnings and not fresh.errors  # the real records have warnings (uncited background sources)
    load(ROOT)

    def fail(root):
        raise AssertionError("the records were read again although nothing changed")

    monkeypatch.setattr(loading, "_read_and_check", fail)
    cached = load(ROOT)
    assert cached.problems == fresh.problems
    assert all(isinstance(p, Problem) for p in cached.problems)


def test_a_cache_file_with_malformed_warnings_is_ignored(user_cache, reads, guidance):
    load_guidance(ROOT)
    path = cache_file(ROOT)
    _rewrite(
        path,
        lambda p: p["warnings"].append(
            {"file": "x", "line": "one", "field": "f", "message": "m", "severity": "warning"}
        ),
    )
    assert load_guidance(ROOT) is guidance and len(reads) == 2
