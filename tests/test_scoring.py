"""Scores against hand-computed expectations, and the properties every score must keep."""

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forumguide.audit.scoring import applies, score

from scoring_fixture import ANSWERS, DATA, SCALE


def test_hand_computed_scores():
    r = score(DATA, ANSWERS)
    # a1: 3 x 3/3 = 3; a2: 1 x 1/3; b1: 0 of 2; b2 N/A and b3 outside the profile are left out; b4 unanswered.
    assert r["overall"]["earned"] == pytest.approx(3 + 1 / 3)
    assert r["overall"]["possible"] == 6
    assert r["overall"]["percent"] == pytest.approx(55.5556, abs=1e-3)
    assert r["overall"]["display"] == 56
    # 3 of the 4 applicable items answered (75 %) is short of the 90 % needed for a band; the range counts
    # b4 (weight 1) at the bottom, 3.33 / 7, and at the top, 4.33 / 7.
    assert r["band"] is None
    assert (r["answered"], r["applicable"]) == (3, 4)
    assert r["range"] == {"low": 48, "high": 62}
    assert [a["display"] for a in r["areas"]] == [83, 0]
    assert r["aims"]["limit-harm"]["percent"] == pytest.approx(60.0)
    assert r["aims"]["promote-benefit"]["percent"] == pytest.approx(100 / 3)
    assert r["critical_gaps"] == ["b1"]
    assert r["unanswered"] == ["b4"]
    assert r["dont_know"] == []
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
    assert r["critical_gaps"] == ["a1", "b1"]  # unanswered critical items are critical gaps
    assert r["range"] == {"low": 0, "high": 100}


def _rated(**ratings):
    """ANSWERS with the given ratings (item id → rating id, None to leave it blank)."""
    answers = copy.deepcopy(ANSWERS)
    for item_id, rating in ratings.items():
        if rating is None:
            answers["answers"].pop(item_id, None)
        else:
            answers["answers"][item_id] = {
                "rating": rating,
                **({"reason": "r"} if rating == "not-applicable" else {}),
            }
    return answers


def test_dont_know_scores_like_not_in_place_and_is_listed_to_find_out():
    dont_know = score(DATA, _rated(a2="dont-know", b4="fully"))
    not_in_place = score(DATA, _rated(a2="not-in-place", b4="fully"))
    assert dont_know["overall"] == not_in_place["overall"]
    assert dont_know["dont_know"] == ["a2"] and not_in_place["dont_know"] == []
    assert dont_know["answered"] == 4 and dont_know["unanswered"] == []


@pytest.mark.parametrize(
    "rating, gap",
    [
        ("not-in-place", True),
        ("planned", True),
        ("dont-know", True),
        (None, True),
        ("partly", False),
        ("fully", False),
    ],
)
def test_critical_gap_ratings(rating, gap):
    r = score(DATA, _rated(b1=rating, b4="fully"))
    assert ("b1" in r["critical_gaps"]) is gap
    assert ("b1" in r["unanswered_critical"]) is (rating is None)


def test_a_critical_item_marked_not_applicable_stays_a_critical_gap():
    """The checks refuse such a file; the score, if ever handed one, keeps the item in as unanswered."""
    r = score(DATA, _rated(b1="not-applicable", b4="fully"))
    assert r["not_applicable"] == ["b2"]
    assert r["critical_gaps"] == ["b1"] and r["unanswered_critical"] == ["b1"]
    assert r["overall"]["applicable"] == 4


def test_a_band_only_from_90_percent_answered():
    data = {
        **DATA,
        "items": [item for item in DATA["items"] if not item["applies_if"]]
        + [{**DATA["items"][1], "id": f"x{n}"} for n in range(6)],
    }  # 10 applicable items
    rated = {i["id"]: {"rating": "fully"} for i in data["items"]}
    nine = {**ANSWERS, "answers": {k: v for k, v in rated.items() if k != "x5"}}
    eight = {**ANSWERS, "answers": {k: v for k, v in rated.items() if k not in ("x4", "x5")}}
    assert score(data, nine)["complete"] is True and score(data, nine)["band"]["id"] == "established"
    assert score(data, eight)["complete"] is False and score(data, eight)["band"] is None
    assert score(data, eight)["overall"]["display"] == 100  # the answered items alone would say 100 %
    assert score(data, eight)["range"]["low"] < 100


def test_a_ten_percent_answered_audit_gets_a_range_and_no_band():
    data = {**DATA, "items": [{**DATA["items"][1], "id": f"x{n}"} for n in range(10)]}
    r = score(data, {**ANSWERS, "answers": {"x0": {"rating": "fully"}}})
    assert r["overall"]["display"] == 100 and r["band"] is None and r["complete"] is False
    assert r["range"] == {"low": 10, "high": 100}


def test_display_rounds_halves_up():
    from forumguide.audit.scoring import display_percent

    assert [display_percent(x) for x in (62.5, 63.5, 0.49, 99.5)] == [63, 64, 0, 100]


# -- properties ----------------------------------------------------------------------------------

RATINGS = [r["id"] for r in SCALE]
ANSWER_RATINGS = RATINGS + ["dont-know"]
ITEM_IDS = [i["id"] for i in DATA["items"]]
answer_strategy = st.fixed_dictionaries(
    {},
    optional={
        i: st.one_of(
            st.sampled_from(ANSWER_RATINGS).map(lambda r: {"rating": r}),
            st.just({"rating": "not-applicable", "reason": "r"}),
            st.just({}),
        )
        for i in ITEM_IDS
    },
)
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


@settings(max_examples=300)
@given(answer_strategy, profile_strategy)
def test_the_range_holds_the_score_and_closes_when_everything_is_answered(answers, profile):
    r = score(DATA, with_answers(answers, profile))
    for acc in [r["overall"], *r["areas"], *r["aims"].values()]:
        if acc["display"] is not None:
            assert acc["range"]["low"] <= acc["display"] <= acc["range"]["high"]
        if not acc["blank"]:
            assert acc["range"]["low"] == acc["range"]["high"] == acc["display"]
    assert r["band"] is None or r["complete"]
