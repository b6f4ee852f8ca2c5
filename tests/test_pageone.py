"""The rules that keep the board report's page 1 to one page: what they shorten, and that they say so."""

from __future__ import annotations

from forumguide.report.pageone import ASSESSOR_CHARS, NAME_CHARS, NAMES_EACH, header, listed, short


def test_short_cuts_at_a_word_and_marks_the_cut():
    assert short("Moderation lead", 40) == "Moderation lead"
    cut = short("Head of Digital Services and Online Community Moderation", 30)
    assert cut == "Head of Digital Services and\u00a0…"
    assert short("x" * 50, 10) == "x" * 10 + "\u00a0…"  # a name without spaces is cut too


def test_a_long_list_is_one_line_of_names_with_a_count_and_where_the_rest_is():
    names = [f"Item {n}" for n in range(12)]
    assert listed(names[:2], names[:2], "see below") == names[:2]
    (line,) = listed(names, names, "each under “Results by theory area”")
    assert line.startswith("; ".join(names[:NAMES_EACH]) + f"; and {12 - NAMES_EACH} more")
    assert line.endswith("(each under “Results by theory area”).")


def test_the_header_names_a_usual_team_in_full():
    team = [
        "Priya Shah (Head of Digital Services)",
        "Tom Okafor (Moderation Lead)",
        "Helen Marsh (Lived Experience Advisor)",
    ]
    shown = header(
        {
            "forum": "Northbrook Peer Support Forum",
            "organisation": "Northbrook Wellbeing Trust",
            "assessors": team,
        }
    )
    assert shown.assessors == team and shown.more_assessors == 0
    assert not shown.cut and not shown.forum_small and not shown.organisation_small


def test_the_header_shortens_long_names_and_counts_the_assessors_it_leaves_to_about_this_audit():
    long = "Northbrook Wellbeing and Peer Support Trust " * 5
    assessors = [
        f"Assessor {n} (Lived Experience Advisor and Peer Moderator for the Evening Service)"
        for n in range(50)
    ]
    shown = header({"forum": long, "organisation": long, "assessors": assessors})
    assert len(shown.forum) <= NAME_CHARS + 2 and shown.forum.endswith("…") and shown.forum_small
    assert sum(len(a) for a in shown.assessors) <= ASSESSOR_CHARS
    assert shown.more_assessors == 50 - len(shown.assessors) > 0
    assert shown.cut  # so "About this audit" gives every name in full
    assert header({"forum": "", "organisation": "", "assessors": []}).assessors == []
