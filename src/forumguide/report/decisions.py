"""What the board is asked to decide, gathered from a scored audit (pure).

The first page of the board report ends with a "Decisions for the board" box. Each decision names the
items it concerns, so that a trustee can act on page 1 alone: approve owners and dates for the
critical gaps, confirm the items marked not applicable, accept or fund the top actions, and (when the
audit is not finished or the assessors still disagree) say when the rest will be settled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..audit.actions import Action
from ..records.model import Guidance
from .pageone import OWNER_CHARS, listed, reason_room, short
from .render import long_date


@dataclass
class Decision:
    ask: str  # the decision, as a sentence that starts with a verb
    items: list[str] = field(default_factory=list)  # what it concerns, one short line each


def decisions(
    g: Guidance,
    data: dict[str, Any],
    answers: dict[str, Any],
    result: dict[str, Any],
    top_actions: list[Action],
    unsettled: int = 0,
) -> list[Decision]:
    """The decisions, in the order a board would take them. `top_actions`: the actions to accept or fund;
    `unsettled`: how many items the assessors disagreed on and have left unrated."""
    given = answers.get("answers", {})
    title = {i.id: i.title for i in g.checklist}
    out = []

    if not result["complete"]:
        n = len(result["unanswered"])
        out.append(
            Decision(
                f"Agree when the {n} unanswered item{'s' if n != 1 else ''} will be answered, "
                "to complete the audit.",
                [],
            )
        )

    unanswered = set(result.get("unanswered_critical", []))
    gaps = [
        i for i in result["critical_gaps"] if i not in unanswered
    ]  # unanswered ones are to be answered first
    if gaps:
        lacking = {
            i: [word for word, key in (("owner", "owner"), ("date", "due")) if not given.get(i, {}).get(key)]
            for i in gaps
        }
        missing = [i for i in gaps if lacking[i]]
        n = len(gaps)
        rated = "rated " if unanswered else ""
        which = f"the {rated}critical gap" if n == 1 else f"the {n} {rated}critical gaps"
        if not missing:
            ask = f"Approve the owner{'s' if n != 1 else ''} and date{'s' if n != 1 else ''} given for {which} above."
        elif len(missing) == n:
            ask = (
                f"Agree an owner and a date for {which} above: {'it has' if n == 1 else 'none has'} both yet."
            )
        else:
            ask = (
                f"Agree an owner and a date for {len(missing)} of {which} above, and approve those given "
                "for the others."
            )
        # The list of gaps just above says which has no owner or no date: the box does not repeat it.
        out.append(Decision(ask, []))

    if result["not_applicable"]:
        n = len(result["not_applicable"])
        # Each reason is cut to fit its share of REASON_LINES lines; in full under "Results by theory area".
        room = reason_room(n)
        out.append(
            Decision(
                f"Confirm that {n} item{'s do' if n != 1 else ' does'} not apply to this forum, for the reasons given.",
                listed(
                    [
                        f"{title[i]}: {short(given.get(i, {}).get('reason', ''), max(room - len(title[i]), 30))}"
                        for i in result["not_applicable"]
                    ],
                    [title[i] for i in result["not_applicable"]],
                    "each with its reason under “Results by theory area”",
                ),
            )
        )

    actions = top_actions
    if actions:
        out.append(
            Decision(
                "Accept or fund the top priority actions.",
                [
                    f"{a.title}, now {a.rating_label.lower()} ("
                    + (f"owner: {short(a.owner, OWNER_CHARS)}" if a.owner else "no owner yet")
                    + (f", due {long_date(a.due)})" if a.due else ")")
                    for a in actions
                ],
            )
        )

    unknown = result.get("dont_know", [])
    if unknown:
        label = data["dont_know"]["label"]
        n = len(unknown)
        # Named under "To find out", right after page 1: not repeated here, so page 1 holds the box.
        out.append(
            Decision(
                f"Ask for the {n} item{'s' if n != 1 else ''} rated “{label}” to be found out "
                "(see “To find out”).",
                [],
            )
        )

    if unsettled:
        out.append(
            Decision(
                f"Ask the assessors to settle the {unsettled} disputed item{'s' if unsettled != 1 else ''} "
                "(see “Where the assessors disagreed”).",
                [],
            )
        )
    return out
