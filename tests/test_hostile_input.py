"""Broken and hostile input: always a clear error, never a traceback, nothing lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forumguide.audit.answers import read_answers_text
from forumguide.audit.scoring import scoring_data
from forumguide.cli import main
from forumguide.records.load import load

from conftest import ROOT, write_project

EXAMPLE = yaml.safe_load((ROOT / "examples" / "northbrook-2026.yaml").read_text())

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
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


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(
        [
            "guidance/cmos/cmo-1.yaml",
            "guidance/evidence/ref-1.yaml",
            "guidance/theory-areas/safety.yaml",
            "guidance/vocabulary.yaml",
        ]
    ),
    json_values | odd_text,
)
def test_any_record_content_gets_a_verdict(tmp_path_factory, path, value):
    root = write_project(tmp_path_factory.mktemp("p"), {path: yaml.safe_dump(value, allow_unicode=True)})
    report = load(root)
    if not report.ok:
        assert all(p.file and p.message for p in report.errors)


def test_yaml_bomb_is_refused_before_it_expands(tmp_path, capsys):
    bomb = "format: forumguide-answers/1\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb)
    assert main(["score", str(path), "--path", str(ROOT)]) == 1
    assert "anchors and aliases" in capsys.readouterr().err  # refused before anything is expanded


def test_huge_answers_file_is_refused_with_its_size(tmp_path, capsys):
    path = tmp_path / "huge.yaml"
    path.write_text("notes: " + "x" * 2_000_000)
    assert main(["score", str(path), "--path", str(ROOT)]) == 1
    assert "larger than 1000 kB" in capsys.readouterr().err


@pytest.mark.slow
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
        result = subprocess.run(
            [sys.executable, "-m", "forumguide.cli", "score", str(path), "--path", str(ROOT)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 1, (name, result.stderr)
        assert "Traceback" not in result.stderr, (name, result.stderr)
        assert name in result.stderr or "not a forumguide answers file" in result.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "forumguide.cli", "score", str(tmp_path / "nope.yaml"), "--path", str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (
        missing.returncode == 1
        and "Traceback" not in missing.stderr
        and "could not be read" in missing.stderr
    )


# -- special files, standard input and values no JSON reader keeps (these were tracebacks or hangs) --


def cli(*args: str, stdin=None, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "forumguide.cli", *args, "--path", str(ROOT)],
        capture_output=True,
        stdin=stdin,
        input=input,
        timeout=120,
        check=False,
    )


def refused_in_one_line(result: subprocess.CompletedProcess, words: str) -> None:
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "Traceback" not in err and words in err, err


def test_a_link_to_an_endless_device_is_refused_without_reading(tmp_path):
    link = tmp_path / "z.yaml"
    link.symlink_to("/dev/zero")  # stat says size 0; reading it would never end
    refused_in_one_line(cli("score", str(link)), "This is a device, not a file")


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "answers.yaml"
    os.mkfifo(fifo)
    refused_in_one_line(cli("score", str(fifo)), "This is a pipe (FIFO), not a file")


def test_a_folder_is_refused(tmp_path):
    refused_in_one_line(cli("score", str(tmp_path)), "This is a folder, not a file")


def test_standard_input_is_read_with_the_same_limit(tmp_path):
    answers = json.dumps(EXAMPLE).encode()
    result = cli("score", "-", input=answers)
    assert result.returncode == 0, result.stderr.decode()
    assert "Northbrook" in result.stdout.decode()
    # 50 MB arrive on a pipe: at most the limit and one byte are read, then the input is refused.
    big = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfor _ in range(50): sys.stdout.buffer.write(b'x' * 1000000)"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        refused_in_one_line(
            cli("score", "-", stdin=big.stdout),
            "standard input: error: (whole file): The file is larger than 1000 kB",
        )
    finally:
        big.stdout.close()
        big.kill()
        big.wait()


def test_a_pipe_given_as_a_path_names_the_way_to_read_standard_input():
    result = cli("score", "/dev/stdin", input=json.dumps(EXAMPLE).encode())
    refused_in_one_line(result, "(or - to read standard input)")


def test_parse_file_reads_at_most_one_byte_past_the_limit(monkeypatch, tmp_path):
    from forumguide.records import yamlsource

    path = tmp_path / "big.yaml"
    path.write_bytes(b"x" * 5_000_000)
    sizes: list[int] = []
    real_read = os.read
    monkeypatch.setattr(yamlsource.os, "read", lambda fd, n: sizes.append(n) or real_read(fd, n))
    try:
        yamlsource.parse_file(path)
    except yamlsource.SourceError as exc:
        assert "larger than 1000 kB" in exc.message
    assert sum(sizes) <= yamlsource.MAX_FILE_BYTES + 1


@pytest.mark.parametrize("value", ["1" * 5000, "0x" + "f" * 40, "1" + "0" * 17, ".inf"])
def test_huge_numbers_in_answers_and_records_are_one_line_errors(tmp_path, value):
    path = tmp_path / "answers.yaml"
    path.write_text(
        yaml.safe_dump({**EXAMPLE, "organisation": "N"}).replace("organisation: N", f"organisation: {value}")
    )
    refused_in_one_line(cli("score", str(path)), "is out of range")
    record = "guidance/evidence/ref-1.yaml"
    root = write_project(
        tmp_path / "p",
        {
            record: f"id: ref-1\nkind: publication\nsource_ref: {value}\n"
            "type: article-journal\ntitle: A study\n"
        },
    )
    result = subprocess.run(
        [sys.executable, "-m", "forumguide.cli", "validate", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{record}:3: error: (whole file): source_ref: the number" in result.stderr


# -- the service, driven in-process with generated JSON: never a 5xx -----------------------------------


weird_scalars = (
    st.text(alphabet=st.characters(categories=["Cs", "L", "Zs", "Cc"]), max_size=20)  # lone surrogates
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | st.sampled_from(["\ud800", "\udfff", "\x00", "\u202e", "<script>", "fully"])
)
weird_values = st.recursive(
    weird_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)


@st.composite
def weird_bodies(draw) -> bytes:
    choice = draw(st.integers(0, 4))
    if choice == 0:  # raw bytes
        return draw(st.binary(max_size=300))
    if choice == 1:  # deep nesting, in lists or objects
        depth = draw(st.integers(60, 3000))
        opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
        return (opener * depth + "1" + closer * depth).encode()
    if choice == 2:  # a number of any length
        digits = draw(st.integers(1, 6000))
        return json.dumps({**EXAMPLE, "organisation": "N"}).replace('"N"', "9" * digits).encode()
    body = json.loads(json.dumps(EXAMPLE))
    if choice == 3:  # an answers file with anything in one place
        target = draw(st.sampled_from(["organisation", "forum", "date", "profile", "rating", "notes", "key"]))
        value = draw(weird_values)
        item = draw(st.sampled_from(sorted(body["answers"])))
        if target in ("rating", "notes"):
            body["answers"][item][target] = value
        elif target == "key":
            body["answers"][draw(st.text(alphabet=st.characters(categories=["Cs", "L"]), max_size=300))] = (
                value
            )
        else:
            body[target] = value
    else:  # a comparison with anything as the previous answers
        body = {"current": body, "previous": draw(weird_values)}
    return json.dumps(body, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def service():
    from starlette.testclient import TestClient

    from forumguide.server import Limits, create_app

    with TestClient(create_app(ROOT, None, Limits(workers=1, waiting=4, timeout=120))) as client:
        yield client


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=weird_bodies())
def test_the_service_answers_any_json_without_a_5xx(service, body):
    response = service.post("/api/score", content=body, headers={"content-type": "application/json"})
    assert response.status_code < 500, response.text[:500]
    if response.status_code != 200:
        message = response.json()["message"]
        assert message and "\n" not in message and len(response.content) < 100_000


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=weird_bodies())
def test_reports_from_any_json_are_never_a_5xx(service, body):
    response = service.post("/api/report", content=body, headers={"content-type": "application/json"})
    assert response.status_code < 500 or response.headers.get("retry-after"), response.text[:500]
