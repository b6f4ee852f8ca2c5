"""`forumguide validate`: all problems at once, each with file, line, field and a plain sentence."""

import re

from forumguide.records.load import load

from conftest import MINIMAL, scoring_yaml_for_small_projects


def problems(root):
    return [p for p in load(root).problems if p.severity == "error"]


def only(root):
    found = problems(root)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_minimal_project_is_valid(project):
    report = load(project())
    assert report.ok, [str(p) for p in report.problems]
    assert [c.id for c in report.guidance.cmos] == ["cmo-1"]


def test_broken_yaml_syntax_names_file_and_line(project):
    p = only(
        project(
            {"guidance/evidence/ref-1.yaml": "id: ref-1\nkind: publication\ntitle: [oops\nsource_ref: 1\n"}
        )
    )
    assert p.file == "guidance/evidence/ref-1.yaml"
    assert p.line == 4
    assert "not valid YAML" in p.message


def test_wrong_type_says_what_was_expected(project):
    root = project({"guidance/cmos/cmo-1.yaml": _cmo(theory_area="two")})
    p = only(root)
    assert (p.file, p.field, p.line) == ("guidance/cmos/cmo-1.yaml", "theory_area", 3)
    assert p.message == 'This should be a whole number, but it is the text "two".'


def test_missing_field_is_named(project):
    p = only(project({"guidance/cmos/cmo-1.yaml": _cmo(drop="mechanism_reasoning")}))
    assert p.field == "mechanism_reasoning"
    assert p.message == "The required field 'mechanism_reasoning' is missing."


def test_unknown_evidence_id_is_reported_on_its_line(project):
    p = only(project({"guidance/cmos/cmo-1.yaml": _cmo(evidence="[ref-1, ref-99]")}))
    assert p.field == "evidence[1]"
    assert "'ref-99' is not the id of any evidence record" in p.message
    assert p.line == 15


def test_duplicate_id_is_reported_for_both_files(project):
    root = project(
        {
            "guidance/evidence/ref-2.yaml": "id: ref-1\nkind: interview\nsource_ref: null\nrole: forum-host\nparticipant: 1\n"
        }
    )
    found = [p for p in problems(root) if "more than one record" in p.message]
    assert {p.file for p in found} == {"guidance/evidence/ref-1.yaml", "guidance/evidence/ref-2.yaml"}
    assert any("does not match the file name" in p.message for p in problems(root))


def test_unknown_field_and_bad_enum_in_plain_words(project):
    text = _cmo().replace("kind: intended", "kind: good") + "colour: blue\n"
    found = {p.field: p.message for p in problems(project({"guidance/cmos/cmo-1.yaml": text}))}
    assert found["outcomes[0].kind"] == '"good" is not allowed here; use one of: intended, unintended.'
    assert "not known for this kind of record" in found["colour"]


def test_all_problems_are_reported_at_once(project):
    root = project(
        {
            "guidance/cmos/cmo-1.yaml": _cmo(evidence="[ref-404]"),
            "guidance/evidence/ref-1.yaml": "id: ref-1\nkind: [\n",
            "guidance/theory-areas/safety.yaml": "id: safety\nnumber: 9\nname: S\nquestion: Q?\noverview: O.\n",
        }
    )
    files = {p.file for p in problems(root)}
    assert files == {
        "guidance/cmos/cmo-1.yaml",
        "guidance/evidence/ref-1.yaml",
        "guidance/theory-areas/safety.yaml",
    }


def test_cmo_without_evidence(project):
    p = only(project({"guidance/cmos/cmo-1.yaml": _cmo(evidence="[]")}))
    assert (p.field, p.message) == ("evidence", "This list needs at least 1 entry.")


def test_theory_area_without_cmos(project):
    p = only(
        project(
            {
                "guidance/theory-areas/other.yaml": "id: other\nnumber: 2\nname: Other\nquestion: Q?\noverview: O.\n"
            }
        )
    )
    assert (p.file, p.field) == ("guidance/theory-areas/other.yaml", "number")
    assert p.message == "No CMO belongs to theory area 2; every theory area needs at least one CMO."


def test_uncited_source_is_a_warning_not_an_error(project):
    root = project(
        {
            "guidance/evidence/ref-2.yaml": "id: ref-2\nkind: publication\nsource_ref: 2\ntype: report\ntitle: T\nissued:\n  date-parts: [[2019]]\n"
        }
    )
    report = load(root)
    assert report.ok
    assert [p.file for p in report.warnings] == ["guidance/evidence/ref-2.yaml"]


def test_unknown_tag_and_duplicate_key(project):
    text = _cmo().replace("context_tags: [engagement]", "context_tags: [engagment]") + "title: again\n"
    found = [(p.field, p.message) for p in problems(project({"guidance/cmos/cmo-1.yaml": text}))]
    assert ("context_tags[0]", "The tag 'engagment' is not in guidance/vocabulary.yaml.") in found
    assert any(field == "title" and "written twice" in message for field, message in found)


def _cmo(theory_area="1", drop=None, evidence="[ref-1]"):
    lines = [
        "id: cmo-1",
        'number: "1"',
        f"theory_area: {theory_area}",
        "title: T",
        "summary: S.",
        "context: C.",
        "mechanism_resource: R.",
        "mechanism_reasoning: M.",
        "outcomes:",
        "  - text: More engagement",
        "    kind: intended",
        "    tags: [engagement]",
        "context_tags: [engagement]",
        "",
        f"evidence: {evidence}",
    ]
    return "\n".join(line for line in lines if not (drop and line.startswith(drop))) + "\n"


REC = """
id: rec-a
title: Do a thing
what: W.
why: Y.
how: [H.]
audience: [moderators]
cmos: [cmo-1]
aim: limit-harm
"""

ITEM = """
id: item-a
theory_area: 1
order: 1
title: Is the thing done
question: Is the thing done?
fully_in_place: Always.
evidence_examples: [A log]
recommendations: [rec-a]
aims: [limit-harm]
weight: 2
"""


def _with_practice(project, rec=REC, item=ITEM, extra=None, upgrades=None):
    """A tiny project with one recommendation and one item, on the real scoring model (its map from
    earlier versions replaced by `upgrades`, since the real one names the real items)."""
    scoring = scoring_yaml_for_small_projects()
    if upgrades:
        scoring += "\nupgrades:\n" + upgrades
    files = {
        "guidance/recommendations/rec-a.yaml": rec,
        "checklist/items/item-a.yaml": item,
        "checklist/scoring.yaml": scoring,
    }
    return project({**files, **(extra or {})})


def test_recommendations_and_items_cover_every_cmo(project):
    assert load(_with_practice(project)).ok
    root = _with_practice(
        project, extra={"guidance/cmos/cmo-2.yaml": _cmo().replace("cmo-1", "cmo-2").replace('"1"', '"2"')}
    )
    messages = {p.file: p.message for p in problems(root)}
    assert (
        messages["guidance/cmos/cmo-2.yaml"]
        == "No recommendation rests on CMO 2; every CMO needs at least one (in guidance/recommendations/)."
    )


def test_item_with_unknown_recommendation_and_profile_question(project):
    item = ITEM.replace("[rec-a]", "[rec-b]") + "applies_if:\n  audience: [martians]\n  colour: [blue]\n"
    found = {(p.field, p.message) for p in problems(_with_practice(project, item=item))}
    assert (
        "recommendations[0]",
        "'rec-b' is not the id of any recommendation in guidance/recommendations/.",
    ) in found
    assert (
        "applies_if.audience[0]",
        "'martians' is not an answer to the profile question 'audience'.",
    ) in found
    assert any(f == "applies_if.colour" and "is not a profile question" in m for f, m in found)


def test_item_aims_and_levels_are_checked_against_the_scoring_model(project):
    item = ITEM.replace("aims: [limit-harm]", "aims: [limit-harm, feel-good]") + (
        "levels:\n  partly: Some of it.\n  fully: All of it.\n"
    )
    found = {(p.field, p.message) for p in problems(_with_practice(project, item=item))}
    assert any(f == "aims[1]" and "'feel-good' is not an aim" in m for f, m in found)
    assert any(f == "levels.fully" and "fully_in_place" in m for f, m in found)
    assert not any(f == "levels.partly" for f, _ in found)


def test_the_map_from_earlier_versions_is_checked(project):
    upgrades = """  - from_major: "1"
    items:
      - {id: old-thing, change: renamed, to: [item-a]}
      - {id: old-other, change: replaced, to: [item-a, no-such-item]}
      - {id: item-a, change: removed}
      - {id: gone-item, change: changed}
"""
    found = {(p.field, p.message) for p in problems(_with_practice(project, upgrades=upgrades))}
    assert (
        "upgrades[0].items[1].to[1]",
        "'no-such-item' is not a checklist item in checklist/items/.",
    ) in found
    assert ("upgrades[0].items[2].id", "'item-a' is still a checklist item, so it was not removed.") in found
    assert (
        "upgrades[0].items[3].id",
        "'gone-item' is not a checklist item; a changed item keeps its id.",
    ) in found
    assert not any(f.startswith("upgrades[0].items[0]") for f, _ in found)


def test_a_missing_file_or_empty_folder_is_named_as_the_file(project):
    found = {
        p.file: p
        for p in problems(
            project({"guidance/vocabulary.yaml": None, "guidance/theory-areas/safety.yaml": None})
        )
        if p.field == "(files)"
    }
    assert found["guidance/vocabulary.yaml"].message == "guidance/vocabulary.yaml is missing."
    assert found["guidance/theory-areas/"].message.startswith("guidance/theory-areas/ holds no records")


def test_a_value_the_vocabulary_does_not_list_is_reported_with_the_values_allowed(project):
    """The vocabulary is the one list of audiences, aims and kinds of source: the schemas ask only for text."""
    evidence = MINIMAL["guidance/evidence/ref-1.yaml"].replace("kind: publication", "kind: publications")
    p = only(project({"guidance/evidence/ref-1.yaml": evidence}))
    assert (p.file, p.line, p.field) == ("guidance/evidence/ref-1.yaml", 2, "kind")
    assert p.message == (
        "'publications' is not a kind of source listed in guidance/vocabulary.yaml (evidence_kinds); "
        "use one of: publication, interview, workshop, synthesis. A new value is added there first, with its label."
    )


def test_a_type_or_role_of_source_the_vocabulary_does_not_list_is_reported_with_the_values_allowed(project):
    """Publication types and interview roles are listed once, in the vocabulary, like the kinds of source."""
    evidence = MINIMAL["guidance/evidence/ref-1.yaml"].replace("type: article-journal", "type: journal")
    interview = "id: forum-host-1\nkind: interview\nsource_ref: null\nrole: forum host\nparticipant: 1\n"
    found = {
        (p.file, p.line, p.field): p.message
        for p in problems(
            project(
                {"guidance/evidence/ref-1.yaml": evidence, "guidance/evidence/forum-host-1.yaml": interview}
            )
        )
    }
    assert found == {
        ("guidance/evidence/ref-1.yaml", 4, "type"): (
            "'journal' is not a type of publication listed in guidance/vocabulary.yaml (evidence_types); "
            "use one of: article-journal, paper-conference, chapter, book, thesis, report, webpage, article. "
            "A new value is added there first, with its label."
        ),
        ("guidance/evidence/forum-host-1.yaml", 4, "role"): (
            "'forum host' is not a role of interview participants listed in guidance/vocabulary.yaml "
            "(interview_roles); use one of: forum-host, forum-moderator. A new value is added there first, "
            "with its label."
        ),
    }


def test_a_vocabulary_without_its_lists_or_with_a_value_listed_twice_is_reported(project):
    lists = MINIMAL["guidance/vocabulary.yaml"]
    without_aims = lists[: lists.index("recommendation_aims:")] + lists[lists.index("evidence_kinds:") :]
    p = only(project({"guidance/vocabulary.yaml": without_aims}))
    assert (p.file, p.field, p.message) == (
        "guidance/vocabulary.yaml",
        "recommendation_aims",
        "The required field 'recommendation_aims' is missing.",
    )
    # A missing list is reported once, not again for every record that uses one of its values.
    without_types = lists[: lists.index("evidence_types:")] + lists[lists.index("interview_roles:") :]
    p = only(project({"guidance/vocabulary.yaml": without_types}))
    assert (p.field, p.message) == ("evidence_types", "The required field 'evidence_types' is missing.")
    twice = lists + "- id: forum-host\n  label: Again\n"
    assert lists.endswith("\n") and re.findall(r"^(\w+):", lists, re.M)[-1] == "interview_roles"
    p = only(project({"guidance/vocabulary.yaml": twice}))
    assert (p.file, p.field) == ("guidance/vocabulary.yaml", "interview_roles[2].id")
    assert p.line == twice.count("\n") - 1
    assert p.message == "'forum-host' is listed more than once in interview_roles; list each value once."
