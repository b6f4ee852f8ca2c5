"""Open data: the JSON export is complete, stable and valid against its published schema."""

import html
import json
import re

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


# The keys of each format version of the export (top level, counts, terms). A key may be added in a
# version (add it here too); a key removed or renamed needs a new FORMAT_VERSION, by the rule on the Open
# data page (docs/open-data.md, "Versions of the export").
FORMAT_KEYS = {
    1: {
        "top level": [
            "format_version",
            "guidance_version",
            "release",
            "counts",
            "theory_areas",
            "cmos",
            "evidence",
            "vocabulary",
            "terms",
            "recommendations",
            "checklist",
            "scoring",
            "topics",
            "frameworks",
            "crosswalk",
        ],
        "counts": [
            "theory_areas",
            "cmos",
            "evidence",
            "publications",
            "cited_publications",
            "interview_participants",
            "recommendations",
            "checklist_items",
            "topics",
            "frameworks",
            "crosswalk_links",
        ],
        "terms": ["audiences", "recommendation_aims", "evidence_kinds", "evidence_types", "interview_roles"],
    },
}
VERSIONING_RULE = (
    "the rule on the Open data page (docs/open-data.md, 'Versions of the export'): removing or renaming a "
    "key is an incompatible change, so restore the key, or raise export.FORMAT_VERSION and pin the new "
    "version's keys in FORMAT_KEYS; adding a key keeps the format version"
)


def missing_keys(document: dict, version: int) -> dict[str, list[str]]:
    found = {"top level": document, "counts": document.get("counts", {}), "terms": document.get("terms", {})}
    return {
        where: [key for key in keys if key not in found[where]]
        for where, keys in FORMAT_KEYS[version].items()
        if any(key not in found[where] for key in keys)
    }


def test_the_export_keeps_every_key_of_its_format_version(guidance):
    document = json.loads(export.dumps(export.export_document(guidance)))
    assert document["format_version"] == export.FORMAT_VERSION in FORMAT_KEYS, VERSIONING_RULE
    missing = missing_keys(document, export.FORMAT_VERSION)
    assert missing == {}, f"The export no longer has {missing}. See {VERSIONING_RULE}."
    schema = json.loads((ROOT / "schema" / "export.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["format_version"]["const"] == export.FORMAT_VERSION


def test_a_removed_or_renamed_key_is_caught_and_an_added_one_is_not(guidance):
    document = export.export_document(guidance)
    renamed = {("topic_list" if k == "topics" else k): v for k, v in document.items()}
    renamed["terms"] = {k: v for k, v in document["terms"].items() if k != "interview_roles"}
    assert missing_keys(renamed, 1) == {"top level": ["topics"], "terms": ["interview_roles"]}
    assert missing_keys({**document, "a_new_key": []}, 1) == {}


def test_the_open_data_page_states_the_versioning_rule(built_site):
    markup = (built_site / "open-data" / "index.html").read_text(encoding="utf-8")
    section = markup.split('id="versions-of-the-export"', 1)[1].split("<h2", 1)[0]
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section)).split())
    assert f"format_version ({export.FORMAT_VERSION}) says how the file is laid out" in text
    assert "goes up only for a change" in text and "a key removed or renamed" in text
    assert "Adding a key leaves format_version as it is" in text


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
