"""Scores against hand-computed expectations, and the properties every score must keep."""

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forumguide.scoring import applies, score

from scoring_fixture import ANSWERS, DATA, SCALE


def test_hand_computed_scores():
    r = score(DATA, ANSWERS)
    # a1: 3 x 3/3 = 3; a2: 1 x 1/3; b1: 0 of 2; b2 N/A and b3 outside the profile are left out; b4 unanswered.
    assert r["overall"]["earned"] == pytest.approx(3 + 1 / 3)
    assert r["overall"]["possible"] == 6
    assert r["overall"]["percent"] == pytest.approx(55.5556, abs=1e-3)
    assert r["overall"]["display"] == 56
    assert r["band"] == {"id": "developing", "label": "Developing"}
    assert [a["display"] for a in r["areas"]] == [83, 0]
    assert r["aims"]["limit-harm"]["percent"] == pytest.approx(60.0)
    assert r["aims"]["promote-benefit"]["percent"] == pytest.approx(100 / 3)
    assert r["critical_gaps"] == ["b1"]
    assert r["unanswered"] == ["b4"]
    assert r["not_applicable"] == ["b2"]
    assert r["not_in_profile"] == ["b3"]
    assert r["complete"] is False


def test_critical_gap_is_listed_even_when_the_total_is_high():
    answers = copy.deepcopy(ANSWERS)
    answers["answers"].update({"a2": {"rating": "fully"}, "b4": {"rating": "fully"}})
    answers["answers"]["b1"] = {"rating": "not-in-place"}
    answers["answers"]["a1"] = {"rating": "fully"}
    r = score(DATA, answers)
    assert r["critical_gaps"] == ["b1"]


def test_unanswered_profile_question_never_excuses_an_item():
    assert applies(DATA["items"][4], {}) is True
    assert applies(DATA["items"][4], {"audience": ["adults", "young-people"]}) is True
    assert applies(DATA["items"][4], {"audience": ["adults"]}) is False


def test_nothing_rated_gives_no_percentage_and_no_band():
    answers = {**ANSWERS, "answers": {}}
    r = score(DATA, answers)
    assert r["overall"]["percent"] is None and r["band"] is None
    assert r["unanswered_critical"] == ["a1", "b1"]


def test_display_rounds_halves_up():
    from forumguide.scoring import display_percent
    assert [display_percent(x) for x in (62.5, 63.5, 0.49, 99.5)] == [63, 64, 0, 100]


# -- properties ----------------------------------------------------------------------------------

RATINGS = [r["id"] for r in SCALE]
ITEM_IDS = [i["id"] for i in DATA["items"]]
answer_strategy = st.fixed_dictionaries({}, optional={
    i: st.one_of(st.sampled_from(RATINGS).map(lambda r: {"rating": r}),
                 st.just({"rating": "not-applicable", "reason": "r"}), st.just({}))
    for i in ITEM_IDS})
profile_strategy = st.sampled_from([{}, {"audience": ["adults"]}, {"audience": ["young-people"]}])


def all_percents(r):
    yield r["overall"]["percent"]
    yield from (a["percent"] for a in r["areas"])
    yield from (a["percent"] for a in r["aims"].values())


def with_answers(answers, profile):
    return {**ANSWERS, "profile": profile, "answers": answers}


@settings(max_examples=300)
@given(answer_strategy, profile_strategy)
def test_scores_stay_between_0_and_100(answers, profile):
    for p in all_percents(score(DATA, with_answers(answers, profile))):
        assert p is None or 0 <= p <= 100


@settings(max_examples=300)
@given(answer_strategy, profile_strategy, st.sampled_from(ITEM_IDS))
def test_not_applicable_never_scores_lower_than_the_bottom_rating(answers, profile, item_id):
    bottom = score(DATA, with_answers({**answers, item_id: {"rating": "not-in-place"}}, profile))
    na = score(DATA, with_answers({**answers, item_id: {"rating": "not-applicable", "reason": "r"}}, profile))
    for low, high in zip(all_percents(bottom), all_percents(na), strict=True):
        assert low is None or high is None or high >= low - 1e-9


@settings(max_examples=300)
@given(answer_strategy, profile_strategy, st.sampled_from(ITEM_IDS), st.integers(0, 2))
def test_raising_a_rating_never_lowers_any_score(answers, profile, item_id, level):
    lower = score(DATA, with_answers({**answers, item_id: {"rating": RATINGS[level]}}, profile))
    higher = score(DATA, with_answers({**answers, item_id: {"rating": RATINGS[level + 1]}}, profile))
    for a, b in zip(all_percents(lower), all_percents(higher), strict=True):
        assert a is None or b >= a - 1e-9
    assert len(higher["critical_gaps"]) <= len(lower["critical_gaps"])
