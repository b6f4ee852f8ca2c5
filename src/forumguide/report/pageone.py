"""How the board report's page 1 is kept to one page, whatever the answers hold (pure).

Page 1 holds the whole summary and the "Decisions for the board" box. Free text can be long (the
answers schema allows names of 200 characters and up to 50 assessors), so page 1 prints long lists
and long names in part, always saying so and where the rest is: nothing is dropped from the report.
The limits were set by rendering the worst case the schema allows (tests/test_report.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The most lines one decision lists one by one; longer lists are given as one line of names.
LINES_EACH = 3
# About as many characters as one line of a decision's list holds (a little less: lines break at words).
LINE_CHARS = 80
# The lines the listed not-applicable items and their reasons take in all, at most two each.
REASON_LINES = 4
# The most names that one line of names gives; the rest are counted ("and 6 more").
NAMES_EACH = 4
# The most rated critical gaps listed one a line with their owner and date; the others are named on one
# line, their owners and dates left to the action plan.
GAP_LINES = 3
# The most characters of an owner's name printed on page 1; the action plan gives it in full.
OWNER_CHARS = 40
# The header block (and the running header of later pages) names the forum and the organisation in
# at most NAME_CHARS characters each, set smaller beyond SMALL_NAME_CHARS, and the assessors in at most
# ASSESSOR_CHARS characters in all (each in at most NAME_CHARS), at least one. "About this audit" then
# gives every name in full. A usual team of three with their roles fits well within them.
NAME_CHARS = 80
SMALL_NAME_CHARS = 60
ASSESSOR_CHARS = 160


def short(text: str, limit: int) -> str:
    """`text` on one line, cut at a word to at most `limit` characters and marked "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut + "\u00a0…"  # a no-break space: the mark stays with the last word


def listed(lines: list[str], names: list[str], where: str) -> list[str]:
    """Up to LINES_EACH `lines` as given; beyond that one line of up to NAMES_EACH `names` and a count
    of the rest, saying `where` the whole list is."""
    if len(lines) <= LINES_EACH:
        return lines
    more = len(names) - NAMES_EACH
    shown = "; ".join(names[:NAMES_EACH]) + (f"; and {more} more" if more > 0 else "")
    return [f"{shown} ({where})."]


def reason_room(count: int) -> int:
    """How many characters each of `count` listed items may take with its reason (see REASON_LINES)."""
    return LINE_CHARS * max(1, min(2, REASON_LINES // max(count, 1)))


@dataclass
class Header:
    """The names as page 1's header block prints them."""

    forum: str
    organisation: str
    forum_small: bool  # set smaller, being long
    organisation_small: bool
    assessors: list[str]  # the assessors named, each perhaps in part
    more_assessors: int  # how many more there are
    assessors_cut: bool  # whether a name is printed in part, or some are not named
    cut: bool  # whether any name is printed in part or left out: "About this audit" names all in full


def header(answers: dict[str, Any]) -> Header:
    """The forum, organisation and assessors as page 1 names them (see NAME_CHARS)."""
    forum, organisation = answers.get("forum") or "", answers.get("organisation") or ""
    names = answers.get("assessors") or []
    shown: list[str] = []
    used = 0
    for name in names:
        used += min(len(name), NAME_CHARS) + 2
        if shown and used > ASSESSOR_CHARS:
            break
        shown.append(short(name, NAME_CHARS))
    assessors_cut = len(shown) < len(names) or any(
        s != " ".join(n.split()) for s, n in zip(shown, names, strict=False)
    )
    return Header(
        forum=short(forum, NAME_CHARS),
        organisation=short(organisation, NAME_CHARS),
        forum_small=len(forum) > SMALL_NAME_CHARS,
        organisation_small=len(organisation) > SMALL_NAME_CHARS,
        assessors=shown,
        more_assessors=len(names) - len(shown),
        assessors_cut=assessors_cut,
        cut=assessors_cut or len(forum) > NAME_CHARS or len(organisation) > NAME_CHARS,
    )
