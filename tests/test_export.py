"""Open data: the JSON export is complete, stable and valid against its published schema."""

import json

import yaml

from forumguide.cli import main
from forumguide.records import export, schemas

from conftest import ROOT


def test_export_is_valid_against_its_schema(guidance):
    doc = export.export_document(guidance)
    errors = list(
        schemas.validator(ROOT / "schema", "export.schema.json").iter_errors(json.loads(export.dumps(doc)))
    )
    assert errors == []


def test_export_holds_every_record_with_its_evidence(guidance):
    doc = export.export_document(guidance)
    assert len(doc["theory_areas"]) == 5
    assert len(doc["cmos"]) == 23
    assert sorted(e["source_ref"] for e in doc["evidence"] if e["kind"] == "publication") == list(
        range(1, 82)
    )
    interviews = [e for e in doc["evidence"] if e["kind"] == "interview"]
    assert {(e["role"], e["participant"]) for e in interviews} >= {("forum-host", 1), ("forum-moderator", 4)}
    assert all(e["source_ref"] is None for e in interviews)
    cmo12 = next(c for c in doc["cmos"] if c["number"] == "12")
    assert cmo12["theory_area"] == 3 and "ref-68" in cmo12["evidence"]
    assert doc["counts"]["cmos"] == 23


def test_export_gives_the_vocabulary_words_for_every_value_list(guidance):
    """The open data carries the words for the values records use, so a reader needs no other file."""
    doc = json.loads(export.dumps(export.export_document(guidance)))
    vocabulary = yaml.safe_load((ROOT / "guidance" / "vocabulary.yaml").read_text(encoding="utf-8"))
    assert doc["terms"] == {key: value for key, value in vocabulary.items() if key != "tags"}
    assert {e["type"] for e in doc["evidence"] if "type" in e} <= {
        t["id"] for t in doc["terms"]["evidence_types"]
    }
    assert {e["role"] for e in doc["evidence"] if "role" in e} == {
        t["id"] for t in doc["terms"]["interview_roles"]
    }
    kinds = [t["id"] for t in doc["terms"]["evidence_kinds"]]
    assert {e["kind"] for e in doc["evidence"]} <= set(kinds)
    assert {a for r in doc["recommendations"] for a in r["audience"]} <= {
        t["id"] for t in doc["terms"]["audiences"]
    }
    assert {r["aim"] for r in doc["recommendations"]} <= {
        t["id"] for t in doc["terms"]["recommendation_aims"]
    }
    # The evidence is listed in the vocabulary's order of kinds.
    ranks = [kinds.index(e["kind"]) for e in doc["evidence"]]
    assert ranks == sorted(ranks)


def test_export_is_byte_identical_between_runs(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["export", "--format", "json", "-o", str(a), "--path", str(ROOT)]) == 0
    assert main(["export", "--format", "json", "-o", str(b), "--path", str(ROOT)]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_csl_json_has_references_only_with_csl_fields(tmp_path, guidance):
    out = tmp_path / "refs.json"
    assert main(["export", "--format", "csl-json", "-o", str(out), "--path", str(ROOT)]) == 0
    items = json.loads(out.read_text())
    assert len(items) == 82  # 81 references and the paper itself
    assert not any(key in item for item in items for key in ("kind", "source_ref", "role", "note"))
    ref41 = next(i for i in items if i["id"] == "ref-41")
    assert ref41["type"] == "article-journal" and ref41["author"][0]["family"] == "Smit"


def test_cli_validate_exit_codes(project, capsys):
    assert main(["validate", str(ROOT)]) == 0
    assert "23 CMOs" in capsys.readouterr().out
    broken = project({"guidance/cmos/cmo-1.yaml": "id: cmo-1\nnumber: 1\n"})
    assert main(["validate", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "guidance/cmos/cmo-1.yaml:2: error: number: This should be text, but it is the number 1." in err
