"""Combine several assessors' answers files into one, and say where they disagree (pure).

A team often audits a forum by each person answering alone and then meeting to agree. `merge` takes
their checked answers documents and returns one answers document plus every disagreement, with who
said what. The merged document records its sources, the rule and the disagreements in its `merge`
field (see schema/answers.schema.json), so that the board report can show the disputed items even
after the team has settled them by editing the merged file.

How parts are combined:
- a rating: agreed ratings stand; a disputed one follows the rule. "lowest" takes the lowest rating
  on the scale that anyone gave ("don't know" counting as the bottom, as it scores; a "not applicable"
  against a rating takes the rating: someone thinks the item applies); "unresolved" leaves it unanswered, to be settled. Someone leaving an item
  unanswered is not a disagreement: the others' rating stands.
- a profile answer: agreed answers stand. A disputed one is left unanswered, so no item is taken out
  of the score, except that under "lowest" a question that allows several answers takes them all.
- notes and reasons: kept whole; when the sources wrote different text, each is kept, headed by its
  source's name.
- evidence: every document or link anyone gave, once.
- owner, due date and target: the first source that gave one; other values are listed as details.
- organisation, forum and assessment method: the first source that gave one; the date: the latest; the assessors: all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

RULES = ("lowest", "unresolved")
FIRST_GIVEN = ("owner", "due", "target")


@dataclass
class Source:
    """One assessor's (or one group's) answers: a checked answers document and its file name."""

    file: str
    answers: dict[str, Any]
    name: str = ""


@dataclass
class Disagreement:
    """One item rating or profile answer the sources gave differently. `views` lists every source,
    with None for one that left it unanswered; `chosen` is what the merged file took (None:
    unanswered, to be settled)."""

    views: list[tuple[str, Any]]
    chosen: Any
    item: str | None = None
    question: str | None = None

    def record(self) -> dict[str, Any]:
        out: dict[str, Any] = {"item": self.item} if self.item else {"question": self.question}
        out["views"] = [{"by": by, "value": value} for by, value in self.views]
        out["chosen"] = self.chosen
        return out


@dataclass
class Detail:
    """An owner, due date or target given differently: the first given was kept."""

    item: str
    part: str
    views: list[tuple[str, Any]]


@dataclass
class Merged:
    answers: dict[str, Any]
    disagreements: list[Disagreement] = field(default_factory=list)
    details: list[Detail] = field(default_factory=list)


def source_names(sources: list[Source]) -> list[str]:
    """Each source's name: its assessors, or its file name when it names none; made unique."""
    names: list[str] = []
    for s in sources:
        name = s.name or "; ".join(s.answers.get("assessors") or []) or s.file
        if name in names:
            name = f"{name} ({s.file})"
        names.append(name)
    return names


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _profile_value(value: Any) -> Any:
    """None for an unanswered question (missing, null, empty text or an empty list)."""
    return None if value in (None, "", []) else value


def _as_set(value: Any) -> frozenset[str]:
    return frozenset(value if isinstance(value, list) else [value])


def _merge_profile(
    data: dict[str, Any], sources: list[Source], names: list[str], rule: str, out: Merged
) -> dict[str, Any]:
    profile: dict[str, Any] = {}
    for question in data["profile"]:
        qid = question["id"]
        views = [
            (name, _profile_value(s.answers.get("profile", {}).get(qid)))
            for name, s in zip(names, sources, strict=True)
        ]
        given = [value for _, value in views if value is not None]
        if not given:
            continue
        if len({_as_set(v) for v in given}) == 1:
            profile[qid] = given[0]
            continue
        chosen = None
        if rule == "lowest" and question["multiple"]:
            everything = set().union(*(_as_set(v) for v in given))
            chosen = [o["id"] for o in question["options"] if o["id"] in everything]
        if chosen is not None:
            profile[qid] = chosen
        out.disagreements.append(Disagreement(views=views, chosen=chosen, question=qid))
    return profile


def _lowest(data: dict[str, Any], ratings: list[str]) -> str | None:
    """The lowest rating on the scale; "don't know" counts as the bottom of the scale (it scores so), a
    definite rating winning a tie. None when no rating is on the scale (only "not applicable")."""
    order = {r["id"]: (r["value"], 0) for r in data["scale"]}
    if "dont_know" in data:
        order[data["dont_know"]["id"]] = (data["scale"][0]["value"], 1)
    on_scale = [r for r in ratings if r in order]
    return min(on_scale, key=lambda r: order[r]) if on_scale else None


def _combined_text(views: list[tuple[str, str]]) -> str | None:
    """One text when every source that wrote something wrote the same; else each, headed by its source."""
    written = [(name, text.strip()) for name, text in views if text and text.strip()]
    if not written:
        return None
    if len({text for _, text in written}) == 1:
        return written[0][1]
    return "\n\n".join(f"{name}: {text}" for name, text in written)


def _merge_item(
    data: dict[str, Any], item_id: str, entries: list[tuple[str, dict[str, Any]]], rule: str, out: Merged
) -> dict[str, Any]:
    answer: dict[str, Any] = {}
    views = [(name, entry.get("rating")) for name, entry in entries]
    given = list(dict.fromkeys(r for _, r in views if r is not None))
    rating = given[0] if len(given) == 1 else None
    if len(given) > 1:
        rating = _lowest(data, given) if rule == "lowest" else None
        out.disagreements.append(Disagreement(views=views, chosen=rating, item=item_id))
    if rating is not None:
        answer["rating"] = rating
    na = data["not_applicable"]["id"]
    if rating == na:
        reason = _combined_text(
            [(name, entry.get("reason", "")) for name, entry in entries if entry.get("rating") == rating]
        )
        if reason:
            answer["reason"] = reason

    def noted(entry: dict[str, Any]) -> str:
        # A "not applicable" reason the merged rating does not use is kept in the notes, not lost.
        text = entry.get("notes", "")
        if rating != na and entry.get("rating") == na and entry.get("reason", "").strip():
            text = f"{text}\n(Rated “{data['not_applicable']['label']}” because: {entry['reason'].strip()})".strip()
        return text

    notes = _combined_text([(name, noted(entry)) for name, entry in entries])
    if notes:
        answer["notes"] = notes
    evidence = list(dict.fromkeys(e for _, entry in entries for e in entry.get("evidence", [])))
    if evidence:
        answer["evidence"] = evidence
    for part in FIRST_GIVEN:
        part_views = [(name, entry[part]) for name, entry in entries if entry.get(part)]
        if part_views:
            answer[part] = part_views[0][1]
            if any(value != part_views[0][1] for _, value in part_views):
                out.details.append(Detail(item=item_id, part=part, views=part_views))
    return answer


def merge(data: dict[str, Any], sources: list[Source], rule: str = "lowest") -> Merged:
    """One answers document from several (each already checked), with every disagreement.

    `data` is the scoring data (`scoring.scoring_data`): it gives the items and profile questions in
    order and the rating scale that "lowest" follows."""
    if rule not in RULES:
        raise ValueError(f"Unknown rule {rule!r}: use one of {', '.join(RULES)}.")
    if len(sources) < 2:
        raise ValueError("Merging needs at least two answers files.")
    names = source_names(sources)
    out = Merged(answers={})

    def first(key: str) -> str:
        return next((s.answers[key] for s in sources if s.answers.get(key)), "")

    assessors = list(dict.fromkeys(a for s in sources for a in s.answers.get("assessors") or []))
    dates = [s.answers["date"] for s in sources if s.answers.get("date")]
    versions = [s.answers["guidance_version"] for s in sources if s.answers.get("guidance_version")]
    profile = _merge_profile(data, sources, names, rule, out)

    answers: dict[str, Any] = {}
    known = [item["id"] for item in data["items"]]
    extra = [i for s in sources for i in s.answers.get("answers", {}) if i not in known]
    for item_id in known + list(dict.fromkeys(extra)):
        entries = [
            (name, s.answers.get("answers", {}).get(item_id) or {})
            for name, s in zip(names, sources, strict=True)
        ]
        if not any(entry for _, entry in entries):
            continue
        answer = _merge_item(data, item_id, entries, rule, out)
        if answer:
            answers[item_id] = answer

    out.answers = {
        "format": sources[0].answers.get("format", "forumguide-answers/1"),
        "guidance_version": max(versions, key=_version_key) if versions else data["guidance_version"],
        "organisation": first("organisation"),
        "forum": first("forum"),
        "assessors": assessors,
        **({"assessment": first("assessment")} if first("assessment") else {}),
        "date": max(dates) if dates else "",
        "profile": profile,
        "answers": answers,
        "merge": {
            "rule": rule,
            "sources": [{"name": name, "file": s.file} for name, s in zip(names, sources, strict=True)],
            "disagreements": [d.record() for d in out.disagreements],
        },
    }
    return out
