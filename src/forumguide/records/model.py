"""Typed records and the index of cross-references between them.

Built only from documents that passed their schema, so code here may trust field types. Every field
the pages, the report and the audit read is a typed attribute; the cross-references (backlinks, the
checklist's order) are built once here, in `Index`. Every record also keeps `raw`, the data as written,
which only this module reads: the open-data export and the cache get it through `as_written`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .frameworks import Crosswalk, CrosswalkRecord, Framework, crosswalk_from, framework_from


def _number_key(number: str) -> tuple[int, int]:
    """Table order for CMO numbers: "7.1" sorts after "7" would and before "8"."""
    major, _, minor = number.partition(".")
    return int(major), int(minor or 0)


@dataclass
class Tag:
    id: str
    label: str
    definition: str


@dataclass
class Term:
    """The words for one value the records use from a fixed list (an audience, an aim, a kind, type or role
    of source), from the vocabulary."""

    id: str
    label: str
    description: str = ""


@dataclass
class TheoryArea:
    id: str
    number: int
    name: str
    question: str
    overview: str
    evidence: list[str]
    raw: dict[str, Any]
    file: str


@dataclass
class Outcome:
    text: str
    kind: str  # "intended" | "unintended"
    tags: list[str]

    @property
    def intended(self) -> bool:
        return self.kind == "intended"


@dataclass
class Relation:
    """A directed link between CMOs stated in a record: this project's reading of the paper."""

    cmo: str  # the id of the CMO led to
    kind: str  # "intended" | "unintended"
    why: str


@dataclass
class CMO:
    id: str
    number: str
    theory_area: int
    title: str
    summary: str
    context: str
    mechanism_resource: str
    mechanism_reasoning: str
    outcomes: list[Outcome]
    context_tags: list[str]
    evidence: list[str]
    source_note: str | None
    raw: dict[str, Any]
    file: str
    leads_to: list[Relation] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple[int, int]:
        return _number_key(self.number)

    @property
    def label(self) -> str:
        return f"CMO {self.number}"

    @property
    def outcome_tags(self) -> list[str]:
        return sorted({tag for outcome in self.outcomes for tag in outcome.tags})

    @property
    def has_unintended(self) -> bool:
        return any(not o.intended for o in self.outcomes)


# Evidence fields that are this project's own, not CSL-JSON (the rest of a source record is CSL-JSON).
_NOT_CSL = frozenset({"kind", "source_ref", "authors_truncated", "role", "participant", "note"})


@dataclass
class Evidence:
    id: str
    kind: str
    source_ref: int | None
    raw: dict[str, Any]
    file: str
    csl_type: str | None = None  # publications: the CSL item type, an id from the vocabulary's evidence_types
    role: str | None = None  # interviews: an id from the vocabulary's interview_roles
    role_label: str | None = None  # the words for the role, filled in from the vocabulary by Guidance
    participant: int | None = None
    written_title: str | None = None  # the source's own title (interviews have none)
    note: str | None = None
    doi: str | None = None
    url: str | None = None
    authors_truncated: bool = False  # the paper lists only the first authors ("et al.")

    @property
    def title(self) -> str:
        if self.kind == "interview":
            return f"{self.role_label or self.role} {self.participant} (interview)"
        return self.written_title

    @property
    def csl(self) -> dict[str, Any]:
        """The bibliographic data in CSL-JSON, as written (without the project's own fields)."""
        return {k: v for k, v in self.raw.items() if k not in _NOT_CSL}

    @property
    def label(self) -> str:
        """How the guidance names this source in running text."""
        if self.source_ref is not None:
            return f"[{self.source_ref}]"
        if self.kind == "interview":
            return f"{self.role_label or self.role} {self.participant}"
        return self.title

    @property
    def order_within_kind(self) -> tuple[int, str]:
        """Reference number, then role and participant number (the order of kinds is the vocabulary's:
        `Guidance.evidence_kind_rank`)."""
        return self.source_ref or 0, (self.role or "") + f"{self.participant or 0:04d}" + self.id


@dataclass
class Recommendation:
    id: str
    title: str
    cmos: list[str]
    aim: str  # an id from the vocabulary's recommendation_aims
    raw: dict[str, Any]
    file: str
    what: str = ""
    why: str = ""
    how: list[str] = field(default_factory=list)
    audience: list[str] = field(default_factory=list)
    beyond_paper: str | None = None  # how the recommendation goes beyond what the paper reports
    # Framework provisions the recommendation comes from ({"framework": id, "provision": id}), where the
    # paper alone does not support it.
    provisions: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ChecklistItem:
    id: str
    theory_area: int
    title: str
    question: str
    recommendations: list[str]
    raw: dict[str, Any]
    file: str
    order: int = 1
    fully_in_place: str = ""
    levels: dict[str, str] = field(default_factory=dict)  # rating id → what that rating looks like here
    aims: list[str] = field(default_factory=list)
    weight: int = 1
    critical: bool = False
    applies_if: dict[str, list[str]] = field(default_factory=dict)
    evidence_examples: list[str] = field(default_factory=list)


@dataclass
class Topic:
    """A subject in everyday words and the records that answer it (the project's way in, not the paper's)."""

    id: str
    title: str
    order: int
    summary: str
    synonyms: list[str]
    cmos: list[str]
    recommendations: list[str]
    checklist_items: list[str]
    raw: dict[str, Any]
    file: str


@dataclass
class Index:
    """Every cross-reference between records, in both directions, built once with the model (the
    pages, the report, the scoring data and validation all read it; nothing re-derives it)."""

    areas_of_cmo: dict[str, TheoryArea] = field(default_factory=dict)
    cmos_by_area: dict[int, list[CMO]] = field(default_factory=lambda: defaultdict(list))
    cmos_by_evidence: dict[str, list[CMO]] = field(default_factory=lambda: defaultdict(list))
    areas_by_evidence: dict[str, list[TheoryArea]] = field(default_factory=lambda: defaultdict(list))
    recs_by_cmo: dict[str, list[Recommendation]] = field(default_factory=lambda: defaultdict(list))
    recs_by_evidence: dict[str, list[Recommendation]] = field(default_factory=lambda: defaultdict(list))
    recs_by_area: dict[int, list[Recommendation]] = field(default_factory=lambda: defaultdict(list))
    # The checklist in its order (theory area, then `order` within the area): the order of the scoring
    # data, the checklist page, the online audit and every PDF.
    items_in_order: list[ChecklistItem] = field(default_factory=list)
    items_by_rec: dict[str, list[ChecklistItem]] = field(default_factory=lambda: defaultdict(list))
    items_by_evidence: dict[str, list[ChecklistItem]] = field(default_factory=lambda: defaultdict(list))
    items_by_area: dict[int, list[ChecklistItem]] = field(default_factory=lambda: defaultdict(list))
    leads_to: dict[str, list[tuple[CMO, Relation]]] = field(default_factory=lambda: defaultdict(list))
    led_to_by: dict[str, list[tuple[CMO, Relation]]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, g: Guidance) -> Index:
        ix = cls()
        for c in g.cmos:
            ix.cmos_by_area[c.theory_area].append(c)
            if c.theory_area in g.theory_area_by_number:
                ix.areas_of_cmo[c.id] = g.theory_area_by_number[c.theory_area]
            for ev in c.evidence:
                ix.cmos_by_evidence[ev].append(c)
        for t in g.theory_areas:
            for ev in t.evidence:
                ix.areas_by_evidence[ev].append(t)
        rec_evidence: dict[str, set[str]] = {}
        for rec in g.recommendations:
            cmos = g.cmos_of_recommendation(rec)
            for c in cmos:
                ix.recs_by_cmo[c.id].append(rec)
            for number in sorted({c.theory_area for c in cmos}):
                ix.recs_by_area[number].append(rec)
            evidence = g.evidence_of_cmos(cmos)
            rec_evidence[rec.id] = {e.id for e in evidence}
            for e in evidence:
                ix.recs_by_evidence[e.id].append(rec)
        ix.items_in_order = sorted(g.checklist, key=lambda i: (i.theory_area, i.order, i.id))
        for item in ix.items_in_order:
            ix.items_by_area[item.theory_area].append(item)
            evidence_ids: set[str] = set()
            for rid in item.recommendations:
                ix.items_by_rec[rid].append(item)
                evidence_ids |= rec_evidence.get(rid, set())
            for e in g.evidence:
                if e.id in evidence_ids:
                    ix.items_by_evidence[e.id].append(item)
        for source, target, relation in g.relations():
            ix.leads_to[source.id].append((target, relation))
            ix.led_to_by[target.id].append((source, relation))
        return ix


@dataclass
class Guidance:
    """All records of a project, in reading order, with lookups and backlinks (`index`)."""

    theory_areas: list[TheoryArea]
    cmos: list[CMO]
    evidence: list[Evidence]
    vocabulary: dict[str, Tag]
    recommendations: list[Recommendation] = field(default_factory=list)
    checklist: list[ChecklistItem] = field(default_factory=list)
    release: dict[str, Any] | None = None
    scoring: dict[str, Any] | None = None
    topics: list[Topic] = field(default_factory=list)
    frameworks: list[Framework] = field(default_factory=list)
    crosswalks: list[CrosswalkRecord] = field(default_factory=list)
    crosswalk_relations: dict[str, str] = field(
        default_factory=dict
    )  # crosswalk relation → meaning, from its schema
    # Words for schema-fixed values, from guidance/vocabulary.yaml, in the order written there.
    audiences: dict[str, Term] = field(default_factory=dict)
    recommendation_aims: dict[str, Term] = field(default_factory=dict)
    evidence_kinds: dict[str, Term] = field(default_factory=dict)
    evidence_types: dict[str, Term] = field(default_factory=dict)
    interview_roles: dict[str, Term] = field(default_factory=dict)
    vocabulary_written: dict[str, Any] = field(
        default_factory=dict
    )  # the vocabulary file as written (export, cache)

    def __post_init__(self) -> None:
        self.topics.sort(key=lambda t: (t.order, t.id))
        self.theory_areas.sort(key=lambda t: t.number)
        self.cmos.sort(key=lambda c: c.sort_key)
        self.evidence.sort(key=lambda e: (*self.evidence_kind_rank(e.kind), *e.order_within_kind))
        for e in self.evidence:  # an interview is named by its role's words ("Forum host 1")
            if e.role is not None:
                e.role_label = self.term(self.interview_roles, e.role).label
        self.frameworks.sort(key=lambda f: (not f.is_law, f.title.casefold()))
        self.crosswalks.sort(key=lambda c: c.id)
        self.theory_area_by_number = {t.number: t for t in self.theory_areas}
        self.cmo_by_id = {c.id: c for c in self.cmos}
        self.evidence_by_id = {e.id: e for e in self.evidence}
        self.recommendation_by_id = {r.id: r for r in self.recommendations}
        self.item_by_id = {i.id: i for i in self.checklist}
        self.framework_by_id = {f.id: f for f in self.frameworks}
        self.index = Index.build(self)
        order = {i.id: (i.theory_area, i.order) for i in self.checklist}
        self.crosswalk = Crosswalk.build(
            self.frameworks, self.crosswalks, self.crosswalk_relations, lambda item: order.get(item, (99, 0))
        )

    # -- lookups used by pages, report and export ------------------------------------------------

    def cmos_in_area(self, number: int) -> list[CMO]:
        return self.index.cmos_by_area.get(number, [])

    def cmos_citing(self, evidence_id: str) -> list[CMO]:
        return self.index.cmos_by_evidence.get(evidence_id, [])

    def areas_citing(self, evidence_id: str) -> list[TheoryArea]:
        return self.index.areas_by_evidence.get(evidence_id, [])

    def recommendations_for_cmo(self, cmo_id: str) -> list[Recommendation]:
        return self.index.recs_by_cmo.get(cmo_id, [])

    def items_for_recommendation(self, rec_id: str) -> list[ChecklistItem]:
        return self.index.items_by_rec.get(rec_id, [])

    @property
    def items_in_order(self) -> list[ChecklistItem]:
        """The checklist in its order: by theory area, then `order` within the area."""
        return self.index.items_in_order

    def cmos_of_recommendation(self, rec: Recommendation) -> list[CMO]:
        return sorted((self.cmo_by_id[c] for c in rec.cmos if c in self.cmo_by_id), key=lambda c: c.sort_key)

    def evidence_of_cmos(self, cmos: list[CMO]) -> list[Evidence]:
        """The sources behind a set of CMOs: derived, never retyped on a recommendation or item."""
        ids = {e for c in cmos for e in c.evidence}
        return [e for e in self.evidence if e.id in ids]

    def recommendations_citing(self, evidence_id: str) -> list[Recommendation]:
        return self.index.recs_by_evidence.get(evidence_id, [])

    def items_citing(self, evidence_id: str) -> list[ChecklistItem]:
        return self.index.items_by_evidence.get(evidence_id, [])

    def relations(self) -> list[tuple[CMO, CMO, Relation]]:
        """(source, target, relation) for every directed link a CMO record states, intended first, in
        table order; links to unknown CMOs are left out (validation reports them)."""
        found = [
            (c, self.cmo_by_id[r.cmo], r) for c in self.cmos for r in c.leads_to if r.cmo in self.cmo_by_id
        ]
        return sorted(
            found, key=lambda link: (link[2].kind != "intended", link[0].sort_key, link[1].sort_key)
        )

    def term(self, terms: dict[str, Term], value: str) -> Term:
        """The words for a value; a value the vocabulary does not list (an error validation reports) shows itself."""
        return terms.get(value) or Term(value, value)

    def audience_label(self, audience: str) -> str:
        return self.term(self.audiences, audience).label

    def weight_label(self, weight: int) -> str:
        """The word for an item's weight (checklist/scoring.yaml weights), e.g. Essential."""
        labels = {w["value"]: w["label"] for w in (self.scoring or {}).get("weights", [])}
        return labels.get(weight, str(weight))

    def evidence_kind_rank(self, kind: str) -> tuple[int, str]:
        """Where a kind of source comes in the vocabulary's order of kinds (kinds it does not name, which
        validation reports, come last, by name)."""
        ranks = list(self.evidence_kinds)
        return (ranks.index(kind), "") if kind in self.evidence_kinds else (len(ranks), kind)

    def evidence_groups(self) -> list[tuple[Term, list[Evidence]]]:
        """The sources by kind, in the vocabulary's order of kinds (kinds it does not name come last)."""
        kinds = sorted(
            {e.kind for e in self.evidence} | set(self.evidence_kinds), key=self.evidence_kind_rank
        )
        return [(self.term(self.evidence_kinds, k), [e for e in self.evidence if e.kind == k]) for k in kinds]

    @property
    def version(self) -> str:
        return (self.release or {}).get("version", "0")

    @property
    def publications(self) -> list[Evidence]:
        return [e for e in self.evidence if e.kind == "publication"]

    @property
    def interviews(self) -> list[Evidence]:
        return [e for e in self.evidence if e.kind == "interview"]


# -- construction from schema-valid data ---------------------------------------------------------


def theory_area_from(data: dict[str, Any], file: str) -> TheoryArea:
    return TheoryArea(
        id=data["id"],
        number=data["number"],
        name=data["name"],
        question=data["question"],
        overview=data["overview"],
        evidence=list(data.get("evidence", [])),
        raw=data,
        file=file,
    )


def cmo_from(data: dict[str, Any], file: str) -> CMO:
    return CMO(
        id=data["id"],
        number=data["number"],
        theory_area=data["theory_area"],
        title=data["title"],
        summary=data["summary"],
        context=data["context"],
        mechanism_resource=data["mechanism_resource"],
        mechanism_reasoning=data["mechanism_reasoning"],
        outcomes=[Outcome(o["text"], o["kind"], list(o["tags"])) for o in data["outcomes"]],
        context_tags=list(data["context_tags"]),
        evidence=list(data["evidence"]),
        source_note=data.get("source_note"),
        raw=data,
        file=file,
        leads_to=[Relation(r["cmo"], r["kind"], r["why"]) for r in data.get("leads_to", [])],
    )


def evidence_from(data: dict[str, Any], file: str) -> Evidence:
    return Evidence(
        id=data["id"],
        kind=data["kind"],
        source_ref=data["source_ref"],
        raw=data,
        file=file,
        csl_type=data.get("type"),
        role=data.get("role"),
        participant=data.get("participant"),
        written_title=data.get("title"),
        note=data.get("note"),
        doi=data.get("DOI"),
        url=data.get("URL"),
        authors_truncated=bool(data.get("authors_truncated", False)),
    )


def recommendation_from(data: dict[str, Any], file: str) -> Recommendation:
    return Recommendation(
        id=data["id"],
        title=data["title"],
        cmos=list(data["cmos"]),
        aim=data["aim"],
        raw=data,
        file=file,
        what=data["what"],
        why=data["why"],
        how=list(data["how"]),
        audience=list(data.get("audience", [])),
        beyond_paper=data.get("beyond_paper"),
        provisions=[dict(p) for p in data.get("provisions", [])],
    )


def checklist_item_from(data: dict[str, Any], file: str) -> ChecklistItem:
    return ChecklistItem(
        id=data["id"],
        theory_area=data["theory_area"],
        title=data["title"],
        question=data["question"],
        recommendations=list(data["recommendations"]),
        raw=data,
        file=file,
        order=data["order"],
        fully_in_place=data["fully_in_place"],
        levels=dict(data.get("levels", {})),
        aims=list(data["aims"]),
        weight=data["weight"],
        critical=bool(data.get("critical", False)),
        applies_if={k: list(v) for k, v in data.get("applies_if", {}).items()},
        evidence_examples=list(data.get("evidence_examples", [])),
    )


def topic_from(data: dict[str, Any], file: str) -> Topic:
    return Topic(
        id=data["id"],
        title=data["title"],
        order=data["order"],
        summary=data["summary"],
        synonyms=list(data["synonyms"]),
        cmos=list(data["cmos"]),
        recommendations=list(data["recommendations"]),
        checklist_items=list(data["checklist_items"]),
        raw=data,
        file=file,
    )


def as_written(records: list) -> list[dict[str, Any]]:
    """Records as their files give them (for the open-data export and the cache, which keep every
    field as written, including ones the code does not read)."""
    return [r.raw for r in records]


BUILDERS = {
    "theory_areas": theory_area_from,
    "cmos": cmo_from,
    "evidence": evidence_from,
    "recommendations": recommendation_from,
    "checklist": checklist_item_from,
    "topics": topic_from,
    "frameworks": framework_from,
    "crosswalks": crosswalk_from,
}


def guidance_from(
    records: dict[str, list],
    singles: dict[str, dict[str, Any] | None],
    relations: dict[str, str] | None = None,
) -> Guidance:
    """The model from built records (a list per collection key, as BUILDERS make them), the
    single-file documents (vocabulary, release, scoring) and the crosswalk relations with their
    meanings (from the crosswalk schema): the checker and the cache both end here."""
    vocab = singles.get("vocabulary") or {"tags": []}

    def terms(key: str) -> dict[str, Term]:
        return {t["id"]: Term(t["id"], t["label"], t.get("description", "")) for t in vocab.get(key, [])}

    return Guidance(
        theory_areas=records["theory_areas"],
        cmos=records["cmos"],
        evidence=records["evidence"],
        vocabulary={t["id"]: Tag(t["id"], t["label"], t["definition"]) for t in vocab["tags"]},
        recommendations=records["recommendations"],
        checklist=records["checklist"],
        release=singles.get("release"),
        scoring=singles.get("scoring"),
        topics=records.get("topics", []),
        frameworks=records.get("frameworks", []),
        crosswalks=records.get("crosswalks", []),
        crosswalk_relations=dict(relations or {}),
        audiences=terms("audiences"),
        recommendation_aims=terms("recommendation_aims"),
        evidence_kinds=terms("evidence_kinds"),
        evidence_types=terms("evidence_types"),
        interview_roles=terms("interview_roles"),
        vocabulary_written=vocab,
    )
