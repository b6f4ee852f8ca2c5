"""Frameworks and the crosswalk: records, their checks, the lookups and the export."""

from __future__ import annotations

import json

import jsonschema
import pytest
from test_validate import ITEM, REC, _with_practice

from forumguide.records import export, schemas
from forumguide.records.frameworks import NOT_LEGAL_ADVICE
from forumguide.records.load import load, load_guidance

from conftest import ROOT

FRAMEWORK = """
id: law-a
title: "A law about forums"
short_title: Law A
publisher: A regulator
kind: law
summary: What it asks.
url: https://example.invalid/law
version: "2025"
checked: "2026-12-01"
sources:
  - title: The regulator's page
    url: https://example.invalid/law
provisions:
  - id: duty-one
    title: The first duty
    summary: Do the first thing.
    url: https://example.invalid/law#one
  - id: duty-two
    title: The second duty
    summary: Do the second thing.
    url: https://example.invalid/law#two
"""

CROSSWALK = """
id: crosswalk-law-a
framework: law-a
links:
  - item: item-a
    provision: duty-one
    relation: covers
    note: The item does what the duty asks.
"""


def _frameworks(project, crosswalk=CROSSWALK, framework=FRAMEWORK, rec=REC, extra=None):
    return _with_practice(
        project,
        rec=rec,
        extra={
            "guidance/frameworks/law-a.yaml": framework,
            "guidance/crosswalk/crosswalk-law-a.yaml": crosswalk,
            **(extra or {}),
        },
    )


def _problems(root):
    return [(p.file, p.line, p.field, p.message) for p in load(root).errors]


def test_valid_framework_and_crosswalk_load_into_the_model(project):
    g = load_guidance(_frameworks(project))
    law = g.framework_by_id["law-a"]
    assert [p.id for p in law.provisions] == ["duty-one", "duty-two"]
    (link,) = g.crosswalk.by_item["item-a"]
    assert (link.framework.id, link.provision.id, link.relation) == ("law-a", "duty-one", "covers")
    assert [p.id for p in g.crosswalk.uncovered(law)] == ["duty-two"]


def test_dangling_provision_is_reported_with_file_line_and_field(project):
    root = _frameworks(project, CROSSWALK.replace("provision: duty-one", "provision: duty-nine"))
    assert (
        "guidance/crosswalk/crosswalk-law-a.yaml",
        5,
        "links[0].provision",
        "'duty-nine' is not a provision of law-a (its provisions are: duty-one, duty-two).",
    ) in _problems(root)


def test_unknown_item_and_unknown_framework_are_reported(project):
    wrong_item = _frameworks(project, CROSSWALK.replace("item: item-a", "item: item-zz"))
    assert (
        "guidance/crosswalk/crosswalk-law-a.yaml",
        4,
        "links[0].item",
        "'item-zz' is not the id of any checklist item in checklist/items/.",
    ) in _problems(wrong_item)


def test_crosswalk_for_a_missing_framework(project):
    root = _frameworks(project, CROSSWALK.replace("framework: law-a", "framework: law-b"))
    found = {(f, field, m) for f, _, field, m in _problems(root)}
    assert (
        "guidance/crosswalk/crosswalk-law-a.yaml",
        "framework",
        "'law-b' is not the id of any framework in guidance/frameworks/.",
    ) in found
    assert any(field == "id" and "name it crosswalk-law-b" in m for _, field, m in found)


def test_bad_relation_duplicate_link_and_duplicate_provision_all_reported_at_once(project):
    crosswalk = (
        CROSSWALK + "  - item: item-a\n    provision: duty-one\n    relation: covers\n    note: Again.\n"
    )
    framework = FRAMEWORK.replace("id: duty-two", "id: duty-one")
    found = {(field, m) for _, _, field, m in _problems(_frameworks(project, crosswalk, framework))}
    assert ("links[1]", "The item 'item-a' is linked to 'duty-one' more than once; keep one link.") in found
    assert (
        "provisions[1].id",
        "The provision id 'duty-one' is used twice in this framework; each must be unique.",
    ) in found
    bad = _frameworks(project, CROSSWALK.replace("relation: covers", "relation: mostly"))
    assert (
        "links[0].relation",
        '"mostly" is not allowed here; use one of: covers, partly covers, related.',
    ) in {(field, m) for _, _, field, m in _problems(bad)}


def test_recommendation_may_rest_on_a_provision_instead_of_cmos(project):
    rec = REC.replace("cmos: [cmo-1]", "cmos: []\nprovisions:\n  - framework: law-a\n    provision: duty-two")
    # The recommendation itself is accepted; the only error is that CMO 1 has lost its recommendation.
    found = _problems(_frameworks(project, rec=rec + "beyond_paper: From the law, not the paper.\n"))
    assert [m for _, _, _, m in found] == [
        "No recommendation rests on CMO 1; every CMO needs at least one (in guidance/recommendations/)."
    ]
    without_either = _frameworks(project, rec=REC.replace("cmos: [cmo-1]", "cmos: []"))
    assert any(field == "cmos" and "at least 1" in m for _, _, field, m in _problems(without_either))
    dangling = REC + "provisions:\n  - framework: law-a\n    provision: duty-six\n"
    assert ("provisions[0].provision", "'duty-six' is not a provision of law-a.") in {
        (field, m) for _, _, field, m in _problems(_frameworks(project, rec=dangling))
    }


def test_real_frameworks_name_a_source_for_every_provision_and_were_checked(guidance):
    assert {f.id for f in guidance.frameworks} >= {
        "osa-illegal-content",
        "osa-children",
        "samaritans-guidelines",
        "nspa-responding",
        "chatsafe",
    }
    assert [f.kind for f in guidance.frameworks] == sorted(
        (f.kind for f in guidance.frameworks), key=lambda k: k != "law"
    )
    for f in guidance.frameworks:
        assert f.checked == "2026-12-01"
        assert f.url.startswith("http") and f.sources
        for p in f.provisions:
            assert p.url.startswith("http"), (f.id, p.id)
    assert all(c.framework in guidance.framework_by_id for c in guidance.crosswalks)


def test_export_has_frameworks_and_crosswalk_and_is_valid(guidance):
    doc = json.loads(export.dumps(export.export_document(guidance)))
    schemas.validator(ROOT / "schema", "export.schema.json").validate(doc)
    assert [f["id"] for f in doc["frameworks"]] == [f.id for f in guidance.frameworks]
    assert {c["framework"] for c in doc["crosswalk"]} == {c.framework for c in guidance.crosswalks}
    assert doc["counts"]["crosswalk_links"] == sum(len(c["links"]) for c in doc["crosswalk"])
    without = {k: v for k, v in doc.items() if k != "crosswalk"}
    with pytest.raises(jsonschema.ValidationError):
        schemas.validator(ROOT / "schema", "export.schema.json").validate(without)


def test_the_notice_says_plainly_it_is_not_legal_advice():
    assert NOT_LEGAL_ADVICE.startswith("This is not legal advice.")


# -- pages -------------------------------------------------------------------------------------------------


def _page_text(root, path):
    from test_pages import text_of

    from forumguide.site import pages

    return text_of(pages.build_pages(load_guidance(root))[path])


def test_framework_page_lists_provisions_items_gaps_and_the_notice(project):
    text = _page_text(_frameworks(project), "frameworks/law-a.md")
    assert NOT_LEGAL_ADVICE in " ".join(text.split())
    assert "The first duty" in text and "Do the first thing." in text
    assert "Is the thing done (covers): The item does what the duty asks." in text
    gaps = text.split("Provisions no checklist item covers", 1)[1]
    assert "The second duty" in gaps and "The first duty" not in gaps


def test_a_related_item_alone_leaves_a_provision_uncovered(project):
    text = _page_text(
        _frameworks(project, CROSSWALK.replace("relation: covers", "relation: related")),
        "frameworks/law-a.md",
    )
    assert "No checklist item covers this provision; the items above only relate to it." in text
    assert "The first duty" in text.split("Provisions no checklist item covers", 1)[1]


def test_index_explains_relations_from_the_schema_and_counts_gaps(project):
    text = _page_text(_frameworks(project), "frameworks/index.md")
    assert NOT_LEGAL_ADVICE in " ".join(text.split())
    assert (
        "Partly covers" in text and "The item does part of what the provision asks; more is needed." in text
    )
    assert "Legal duties" in text and "A law about forums" in text


def test_item_and_recommendation_pages_list_their_framework_links(project):
    root = _frameworks(project)
    checklist = _page_text(root, "checklist/index.md")
    assert "Legal duties and guidelines" in checklist and "Law A: The first duty (covers)" in checklist
    rec = _page_text(root, "recommendations/rec-a.md")
    assert "Law A: The first duty (covers)" in rec


def test_recommendation_from_a_provision_says_so(project):
    rec = REC + "provisions:\n  - framework: law-a\n    provision: duty-two\n"
    found = {(field, m) for _, _, field, m in _problems(_frameworks(project, rec=rec))}
    message = "A recommendation that comes from a framework provision goes beyond the paper: say how in beyond_paper."
    assert ("provisions", message) in found
    rec += "beyond_paper: The second duty asks for it; the paper is silent.\n"
    text = _page_text(_frameworks(project, rec=rec), "recommendations/rec-a.md")
    assert "Where this recommendation comes from, beyond the paper:" in text
    assert "Law A: The second duty" in text
    assert "The second duty asks for it; the paper is silent." in text


def test_frameworks_index_exists_without_frameworks(project):
    text = _page_text(_with_practice(project), "frameworks/index.md")
    assert "No frameworks have been recorded yet" in text and NOT_LEGAL_ADVICE in " ".join(text.split())


# -- action plan filtered by framework -----------------------------------------------------------------------


def _plan(guidance):
    import yaml

    from forumguide.audit import actions
    from forumguide.audit.scoring import score, scoring_data

    answers = yaml.safe_load((ROOT / "examples" / "northbrook-2026.yaml").read_text())
    data = scoring_data(guidance)
    return actions.plan(guidance, data, answers, score(data, answers))


def test_action_plan_filtered_by_framework_keeps_only_linked_items_in_order(guidance):
    from forumguide.audit import actions

    plan = _plan(guidance)
    linked = guidance.crosswalk.items_for_framework("osa-illegal-content")
    filtered = actions.for_framework(guidance, plan, "osa-illegal-content")
    assert filtered and {a.item_id for a in filtered} == {a.item_id for a in plan} & linked
    assert [a.item_id for a in filtered] == [a.item_id for a in plan if a.item_id in linked]
    with pytest.raises(actions.UnknownFramework, match="the frameworks are: osa-illegal-content"):
        actions.for_framework(guidance, plan, "no-such-framework")


def test_filtered_csv_and_xlsx_name_the_provisions_each_item_bears_on(guidance, tmp_path):
    import csv
    import io

    from openpyxl import load_workbook

    from forumguide.audit import action_files, actions

    filtered = actions.for_framework(guidance, _plan(guidance), "osa-illegal-content")
    rows = list(csv.reader(io.StringIO(action_files.to_csv(guidance, filtered, "osa-illegal-content"))))
    assert rows[0][-1] == "Related provisions"
    by_item = {r[1]: r[-1] for r in rows[1:]}
    assert "Remove illegal content swiftly (partly covers)" in by_item["moderation-post-review"]
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, len(filtered) + 1)]
    sheet = load_workbook(
        io.BytesIO(action_files.to_xlsx(guidance, filtered, "Plan", "2026-10-01", "osa-illegal-content"))
    ).active
    assert sheet.cell(1, 11).value == "Related provisions" and sheet.max_row == len(filtered) + 1


def test_cli_actions_framework_option(tmp_path, capsys):
    from forumguide.cli import main

    example = str(ROOT / "examples" / "northbrook-2026.yaml")
    assert main(["actions", example, "--framework", "nspa-responding", "--path", str(ROOT)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith(",Related provisions") and "Know what to do in an emergency" in out
    assert main(["actions", example, "--framework", "nope", "--path", str(ROOT)]) == 2
    assert "'nope' is not the id of a framework" in capsys.readouterr().err


# -- the board report ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def legal_section(guidance):
    import io
    import re

    import yaml
    from pypdf import PdfReader

    from forumguide.report import board_pdf

    answers = yaml.safe_load((ROOT / "examples" / "northbrook-2026.yaml").read_text())
    pdf = board_pdf(guidance, answers)
    text = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    start = text.index("How your answers relate to your legal duties and to the established guidelines")
    return text[start : text.index("Action plan", start)]


@pytest.mark.slow  # renders a PDF
def test_report_section_carries_the_notice_and_every_law_duty(legal_section, guidance):
    assert " ".join(NOT_LEGAL_ADVICE.split()) in legal_section
    for f in (f for f in guidance.frameworks if f.is_law):
        assert f.title in legal_section
        for p in f.provisions:
            assert p.title in legal_section, p.id


@pytest.mark.slow  # renders a PDF
def test_report_section_gives_ratings_and_gaps_per_duty(legal_section):
    swift = legal_section.split("Remove illegal content swiftly", 1)[1].split("Explain the approach", 1)[0]
    assert "Who reads posts, and when (partly covers): partly in place" in swift
    assert "Gaps: Who reads posts, and when." in swift
    terms = legal_section.split("Explain the approach in the terms of service", 1)[1].split(
        "Easy reporting", 1
    )[0]
    assert "Short, plain community rules (partly covers): fully in place" in terms and "No gaps" in terms


@pytest.mark.slow  # renders a PDF
def test_report_section_names_duties_no_item_covers_and_sums_up_guidelines(legal_section, guidance):
    osa = guidance.framework_by_id["osa-illegal-content"]
    for p in guidance.crosswalk.uncovered(osa):
        after = legal_section.split(p.title, 1)[1][:120]
        assert "Gap: no checklist item covers this duty" in after, p.id
    guidelines = legal_section.split("Established guidelines", 1)[1]
    assert "related items fully in place" in guidelines and "#chatsafe" in guidelines


def test_recommendations_from_frameworks_are_listed_apart_on_the_index(project):
    rec_b = (
        REC.replace("rec-a", "rec-b")
        .replace("Do a thing", "Do a lawful thing")
        .replace("cmos: [cmo-1]", "cmos: []")
        + "provisions:\n  - framework: law-a\n    provision: duty-two\nbeyond_paper: From the law.\n"
    )
    root = _frameworks(project)
    (root / "guidance/recommendations/rec-b.yaml").write_text(rec_b.lstrip("\n"), encoding="utf-8")
    text = _page_text(root, "recommendations/index.md")
    assert "Do a lawful thing" in text.split("From legal duties and guidelines", 1)[1]
    page = _page_text(root, "recommendations/rec-b.md")
    assert "This recommendation does not come from the paper" in page and "The CMOs it rests on" not in page


def test_a_recommendation_from_provisions_alone_names_them_instead_of_counting_no_evidence(project):
    rec_b = (
        REC.replace("rec-a", "rec-b").replace("cmos: [cmo-1]", "cmos: []")
        + "provisions:\n  - framework: law-a\n    provision: duty-two\nbeyond_paper: From the law.\n"
    )
    item_b = (
        ITEM.replace("item-a", "item-b")
        .replace("order: 1", "order: 2")
        .replace("[rec-a]", "[rec-b]")
        .replace("title: Is the thing done", "title: Is the lawful thing done")
        .replace("question: Is the thing done?", "question: Is the lawful thing done?")
    )
    root = _frameworks(
        project, extra={"guidance/recommendations/rec-b.yaml": rec_b, "checklist/items/item-b.yaml": item_b}
    )
    page = _page_text(root, "recommendations/rec-b.md")
    assert (
        "Evidence behind this: none from the synthesis. This recommendation rests on Law A: The second duty, "
        "in this project's reading, not on the evidence the paper reviewed."
    ) in page
    assert "publication" not in page and "What these numbers can and cannot tell you" not in page
    assert "Evidence behind this: 0 publications" not in _page_text(root, "recommendations/rec-a.md")
    checklist = " ".join(_page_text(root, "checklist/index.md").split())
    item_a = checklist.split("Is the thing done?", 1)[1].split("Is the lawful thing done?", 1)[0]
    item_b_text = checklist.split("Is the lawful thing done?", 1)[1]
    assert "Beyond the paper" not in item_a  # rests on CMO 1 alone, reached through "Checks"
    assert (
        "Beyond the paper Rests on Law A: The second duty, in this project's reading; "
        "no CMO of the paper supports it"
    ) in item_b_text


def test_every_item_states_what_it_rests_on_and_new_guidance_names_its_provisions(guidance):
    """Each item rests on CMOs, or (beyond the paper) on the provisions its recommendations name; a
    recommendation with no CMO always names provisions and says how it goes beyond the paper."""
    for item in guidance.checklist:
        recs = [guidance.recommendation_by_id[r] for r in item.recommendations]
        assert any(r.cmos or r.provisions for r in recs), item.id
    for rec in guidance.recommendations:
        if not rec.cmos:
            assert rec.provisions and rec.beyond_paper, rec.id


def test_misinformation_tiers_are_checked_by_the_inaccurate_information_item_alone(guidance):
    """One item per practice: the tiers recommendation is checked by the 2.0 item, not by a duplicate."""
    assert [i.id for i in guidance.items_for_recommendation("rec-misinformation-tiers")] == [
        "efficacy-inaccurate-information"
    ]
    assert [i.id for i in guidance.items_for_recommendation("rec-assess-whether-children-use-the-forum")] == [
        "safety-age-checks",
        "safety-children-risk-assessment",
    ]


@pytest.mark.slow  # renders a PDF
def test_guidance_pdf_names_the_provisions_a_recommendation_rests_on(guidance):
    import io
    import re

    from pypdf import PdfReader

    from forumguide.report.documents import guidance_pdf

    reader = PdfReader(io.BytesIO(guidance_pdf(guidance)))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    # From provisions alone (no CMO), and from CMOs with provisions beyond the paper.
    assert (
        "Comes from legal duties and guidelines, not from the paper: NSPA guide on suicidal content, "
        "look after the community afterwards; #chatsafe, remember someone who has died safely."
    ) in text
    assert (
        "Rests on: CMO 3, CMO 8. Also, beyond the paper: OSA illegal content duties, illegal content risk "
        "assessment;"
    ) in text
