"""Answers files: every mistake gets its own clear message, and nothing written is dropped silently."""

import json

import yaml

from forumguide.audit.answers import read_answers_text

from conftest import ROOT
from scoring_fixture import ANSWERS, DATA

# b3 applies to young people only; the fixture's profile says adults, so answering it warns.
BASE = {**ANSWERS, "answers": {k: v for k, v in ANSWERS["answers"].items() if k != "b3"}}


def check(answers):
    return read_answers_text(yaml.safe_dump(answers, sort_keys=False), ROOT, DATA, "answers.yaml")


def with_answer(item_id, answer):
    return {**BASE, "answers": {**BASE["answers"], item_id: answer}}


def messages(checked, severity="error"):
    return [(p.field, p.message) for p in checked.problems if p.severity == severity]


def test_valid_answers_pass():
    checked = check(BASE)
    assert checked.ok and checked.problems == []


def test_unknown_item_id_is_an_error_with_a_suggestion():
    checked = check(with_answer("b44", {"rating": "fully"}))
    assert not checked.ok
    [(field, message)] = messages(checked)
    assert field == "answers.b44"
    assert message.startswith("There is no checklist item 'b44'. Did you mean 'b4'?")


def test_invalid_rating_lists_the_scale():
    [(field, message)] = messages(check(with_answer("a2", {"rating": "mostly"})))
    assert field == "answers.a2.rating"
    assert "Use one of: not-in-place, planned, partly, fully, dont-know, not-applicable." in message


def test_not_applicable_without_reason_is_refused():
    [(field, message)] = messages(check(with_answer("a2", {"rating": "not-applicable", "reason": "  "})))
    assert field == "answers.a2.reason"
    assert "needs a written reason" in message


def test_answers_from_an_older_guidance_version_get_a_warning():
    checked = check({**BASE, "guidance_version": "0.9"})
    assert checked.ok
    [(field, message)] = messages(checked, "warning")
    assert field == "guidance_version" and "version 0.9" in message and "review the answers" in message


def test_answer_to_an_item_outside_the_profile_is_kept_with_a_warning():
    checked = check(ANSWERS)
    assert checked.ok and checked.data["answers"]["b3"] == {"rating": "fully"}
    [(field, message)] = messages(checked, "warning")
    assert field == "answers.b3" and "does not apply to the forum profile" in message


def test_unknown_profile_option_is_an_error():
    [(field, message)] = messages(check({**BASE, "profile": {"audience": ["adluts"]}}))
    assert field == "profile.audience[0]" and "Did you mean 'adults'?" in message


def test_a_foreign_file_is_recognised_as_such():
    checked = read_answers_text(json.dumps({"name": "my-package", "version": "1.0.0"}), ROOT, DATA)
    [(field, message)] = messages(checked)
    assert "not a forumguide answers file" in message


def test_broken_yaml_and_wrong_types_are_reported_with_lines():
    checked = read_answers_text("format: forumguide-answers/1\nanswers: {a1: [\n", ROOT, DATA)
    assert not checked.ok and checked.problems[0].line == 3
    bad = {**BASE, "assessors": "Alex", "date": "next week"}
    found = dict(messages(check(bad)))
    assert found["assessors"] == 'This should be a list, but it is the text "Alex".'
    assert found["date"].startswith('"next week" is not a valid date.')


# -- guidance 2.0: critical items, assessment methods, answers made for an earlier version ----------------


def test_a_critical_item_cannot_be_not_applicable():
    checked = check(with_answer("a1", {"rating": "not-applicable", "reason": "x"}))
    assert not checked.ok
    [(field, message)] = messages(checked)
    assert field == "answers.a1.rating"
    assert message.startswith(
        "This item is safety-critical and applies to every forum, so it cannot be marked 'Not applicable'."
    )


def test_a_profile_dependent_critical_item_names_the_profile_answer_to_change():
    data = {
        **DATA,
        "items": [
            *DATA["items"],
            {**DATA["items"][0], "id": "c1", "applies_if": {"audience": ["young-people"]}},
        ],
    }
    doc = {
        **BASE,
        "profile": {"audience": ["young-people"]},
        "answers": {"c1": {"rating": "not-applicable", "reason": "x"}},
    }
    checked = read_answers_text(yaml.safe_dump(doc), ROOT, data, "answers.yaml")
    [(field, message)] = messages(checked)
    assert field == "answers.c1.rating"
    assert "change your answer to 'Who?' (audience) instead" in message


def test_dont_know_is_a_valid_rating():
    assert check(with_answer("a2", {"rating": "dont-know"})).ok


def test_assessment_method_is_checked():
    assert check({**BASE, "assessment": "external"}).ok
    [(field, message)] = messages(check({**BASE, "assessment": "externl"}))
    assert field == "assessment"
    assert (
        message
        == "'externl' is not a way of doing the audit. Did you mean 'external'? Use one of: self, external."
    )


UPGRADES = [
    {
        "from_major": "0",
        "items": [
            {"id": "old-a2", "change": "renamed", "to": ["a2"]},
            {"id": "old-b", "change": "replaced", "to": ["b1", "b4"]},
            {"id": "a1", "change": "changed"},
            {"id": "old-gone", "change": "removed"},
        ],
    }
]


def test_answers_made_for_an_earlier_major_version_are_mapped_and_the_items_to_re_answer_listed():
    data = {**DATA, "upgrades": UPGRADES}
    old = {
        **BASE,
        "guidance_version": "0.9",
        "answers": {
            "old-a2": {"rating": "partly", "notes": "kept"},
            "old-b": {"rating": "fully", "notes": "both", "owner": "Sam"},
            "a1": {"rating": "fully", "notes": "a1 notes"},
            "old-gone": {"rating": "fully"},
        },
    }
    checked = read_answers_text(yaml.safe_dump(old, sort_keys=False), ROOT, data, "answers.yaml")
    assert checked.ok, checked.problems
    assert checked.data["answers"] == {
        "a2": {"rating": "partly", "notes": "kept"},
        "b1": {"notes": "both", "owner": "Sam"},
        "b4": {"notes": "both", "owner": "Sam"},
        "a1": {"notes": "a1 notes"},
    }
    warnings = dict(messages(checked, "warning"))
    assert "answers were read with this version's changes" in warnings["guidance_version"]
    assert warnings["answers.old-a2"] == "In guidance 1.0 this item is 'a2'; the answer was carried over."
    assert warnings["answers.old-b"].startswith(
        "In guidance 1.0 this item is replaced by b1, b4. Answer them again"
    )
    assert warnings["answers.a1"] == "This item changed in guidance 1.0: rate it again (the notes are kept)."
    assert warnings["answers.old-gone"] == "This item is no longer in guidance 1.0; its answer is not used."
    assert old["answers"]["old-a2"] == {
        "rating": "partly",
        "notes": "kept",
    }  # the document read is left as it was
