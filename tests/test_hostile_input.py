"""Broken and hostile input: always a clear error, never a traceback, nothing lost."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT, write_project
from forumguide.answers import read_answers_text
from forumguide.cli import main
from forumguide.scoring import scoring_data
from forumguide.validate import check

EXAMPLE = yaml.safe_load((ROOT / "examples" / "northbrook-2026.yaml").read_text())

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
odd_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200)


def mutate(draw_data: dict, key: str, value) -> dict:
    out = json.loads(json.dumps(draw_data))
    out[key] = value
    return out


@st.composite
def broken_answers(draw):
    base = json.loads(json.dumps(EXAMPLE))
    choice = draw(st.integers(0, 5))
    if choice == 0:  # a top-level field replaced by anything
        return mutate(base, draw(st.sampled_from(sorted(base))), draw(json_values))
    if choice == 1:  # a field removed
        base.pop(draw(st.sampled_from(sorted(base))))
        return base
    if choice == 2:  # an extra field
        base[draw(st.text(min_size=1, max_size=12))] = draw(json_values)
        return base
    if choice == 3:  # one answer replaced by anything
        item = draw(st.sampled_from(sorted(base["answers"])))
        base["answers"][item] = draw(json_values)
        return base
    if choice == 4:  # odd unicode everywhere text goes
        base["organisation"] = draw(odd_text)
        item = draw(st.sampled_from(sorted(base["answers"])))
        base["answers"][item]["notes"] = draw(odd_text)
        return base
    return draw(json_values)  # not an answers file at all


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_answers())
def test_any_answers_document_gets_a_verdict_not_a_traceback(guidance, answers):
    checked = read_answers_text(json.dumps(answers), ROOT, scoring_data(guidance))
    if not checked.ok:
        assert checked.errors, "refused without saying why"
        for p in checked.errors:
            assert p.message and p.field and p.file


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_as_an_answers_file(guidance, data):
    text = data.decode("utf-8", errors="replace")
    checked = read_answers_text(text, ROOT, scoring_data(guidance))
    assert checked.ok or checked.errors


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["guidance/cmos/cmo-1.yaml", "guidance/evidence/ref-1.yaml", "guidance/theory-areas/safety.yaml",
                        "guidance/vocabulary.yaml"]), json_values | odd_text)
def test_any_record_content_gets_a_verdict(tmp_path_factory, path, value):
    root = write_project(tmp_path_factory.mktemp("p"), {path: yaml.safe_dump(value, allow_unicode=True)})
    report = check(root)
    if not report.ok:
        assert all(p.file and p.message for p in report.errors)


def test_yaml_bomb_is_refused_fast(tmp_path, capsys):
    bomb = "format: forumguide-answers/1\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb)
    start = time.perf_counter()
    assert main(["score", str(path), "--path", str(ROOT)]) == 1
    assert time.perf_counter() - start < 2
    assert "anchors and aliases" in capsys.readouterr().err


def test_huge_answers_file_is_refused_with_its_size(tmp_path, capsys):
    path = tmp_path / "huge.yaml"
    path.write_text("notes: " + "x" * 2_000_000)
    assert main(["score", str(path), "--path", str(ROOT)]) == 1
    assert "larger than 1000 kB" in capsys.readouterr().err


def test_cli_never_prints_a_traceback_for_broken_files(tmp_path):
    cases = {
        "syntax.yaml": "format: forumguide-answers/1\nanswers: [\n",
        "types.json": json.dumps({**EXAMPLE, "answers": []}),
        "empty.yaml": "",
        "binary.yaml": "\x00\x01\x02",
        "foreign.json": json.dumps({"name": "package", "version": "1"}),
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_text(content)
        result = subprocess.run([sys.executable, "-m", "forumguide.cli", "score", str(path), "--path", str(ROOT)],
                                capture_output=True, text=True)
        assert result.returncode == 1, (name, result.stderr)
        assert "Traceback" not in result.stderr, (name, result.stderr)
        assert name in result.stderr or "not a forumguide answers file" in result.stderr
    missing = subprocess.run([sys.executable, "-m", "forumguide.cli", "score", str(tmp_path / "nope.yaml"), "--path", str(ROOT)],
                             capture_output=True, text=True)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr and "could not be read" in missing.stderr
