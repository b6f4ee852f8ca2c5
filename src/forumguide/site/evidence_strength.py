"""How much evidence a CMO or recommendation rests on, counted from the records.

The counts are of sources the paper cites for the CMOs (publications, interview participants, the
stakeholder workshop); they say how broad the support is, not how good it is. The page on the
evidence's limits (docs/evidence-limits.md) says what the counts cannot tell.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..records.model import CMO, Guidance, Recommendation

LIMITS_PAGE = "evidence-limits.md"  # docs-relative: the hand-written page every count links to


@dataclass(frozen=True)
class Strength:
    publications: int
    interview_participants: int
    workshop: bool

    @property
    def phrase(self) -> str:
        """ "3 publications, 2 interview participants and the stakeholder workshop"."""
        parts = [
            _count(self.publications, "publication"),
            _count(self.interview_participants, "interview participant"),
        ]
        text = ", ".join(parts)
        return text + " and the stakeholder workshop" if self.workshop else text


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def of_cmos(g: Guidance, cmos: list[CMO]) -> Strength:
    """The sources behind these CMOs, each counted once (a recommendation's evidence is its CMOs')."""
    sources = g.evidence_of_cmos(cmos)
    return Strength(
        publications=sum(1 for e in sources if e.kind == "publication"),
        interview_participants=sum(1 for e in sources if e.kind == "interview"),
        workshop=any(e.kind == "workshop" for e in sources),
    )


def of_recommendation(g: Guidance, rec: Recommendation) -> Strength | None:
    """The sources behind a recommendation's CMOs, or None when it rests on no CMO at all (it comes from
    framework provisions alone): "0 publications" would read as weak evidence from the synthesis, when
    the recommendation rests on evidence of another kind, which its page names instead."""
    cmos = g.cmos_of_recommendation(rec)
    return of_cmos(g, cmos) if cmos else None
