"""Legal duties and practice guidelines, and how the checklist relates to them (the crosswalk).

A framework record says only what its source says (guidance/frameworks/); a crosswalk record, one per
framework, says how checklist items bear on its provisions (guidance/crosswalk/). Keeping them apart
keeps the project's judgement out of the summary of the source, and each fact in one place.

Pure: no templates, no files. Pages, the report, the export and the action plan read frameworks
through `Crosswalk`, built once per model.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Shown on every framework page and beside the report section; kept here so both say the same thing.
NOT_LEGAL_ADVICE = (
    "This is not legal advice. It is this project's own reading of public guidance, to help a forum team "
    "see where its practice meets or misses what the law and the established guidelines ask; it does not "
    "say whether a service complies with the law. For decisions about your legal duties, read the source "
    "documents and take qualified advice."
)


def relation_meanings(crosswalk_schema: dict[str, Any]) -> dict[str, str]:
    """The crosswalk relations, strongest first, with what each means: read from the schema, which is
    where they are defined (its enum validates them; its x-meanings explain them)."""
    relation = crosswalk_schema["$defs"]["relation"]
    return {name: relation["x-meanings"][name] for name in relation["enum"]}


@dataclass
class Provision:
    id: str
    title: str
    summary: str
    url: str
    note: str | None = None


@dataclass
class Framework:
    id: str
    title: str
    short_title: str
    publisher: str
    kind: str  # "law" | "guideline"
    summary: str
    url: str
    version: str
    checked: str
    sources: list[dict[str, str]]
    provisions: list[Provision]
    raw: dict[str, Any]
    file: str

    @property
    def is_law(self) -> bool:
        return self.kind == "law"

    def provision(self, provision_id: str) -> Provision | None:
        return next((p for p in self.provisions if p.id == provision_id), None)


@dataclass
class Link:
    item: str
    provision: str
    relation: str
    note: str


@dataclass
class CrosswalkRecord:
    id: str
    framework: str
    links: list[Link]
    raw: dict[str, Any]
    file: str


def framework_from(data: dict[str, Any], file: str) -> Framework:
    return Framework(
        id=data["id"],
        title=data["title"],
        short_title=data["short_title"],
        publisher=data["publisher"],
        kind=data["kind"],
        summary=data["summary"],
        url=data["url"],
        version=data["version"],
        checked=data["checked"],
        sources=[dict(s) for s in data["sources"]],
        provisions=[
            Provision(p["id"], p["title"], p["summary"], p["url"], p.get("note")) for p in data["provisions"]
        ],
        raw=data,
        file=file,
    )


def crosswalk_from(data: dict[str, Any], file: str) -> CrosswalkRecord:
    return CrosswalkRecord(
        id=data["id"],
        framework=data["framework"],
        links=[Link(k["item"], k["provision"], k["relation"], k["note"]) for k in data["links"]],
        raw=data,
        file=file,
    )


# -- the crosswalk as lookups ------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemLink:
    """One link seen from a checklist item: which framework and provision, and how."""

    framework: Framework
    provision: Provision
    relation: str
    note: str


@dataclass
class Crosswalk:
    """Every link in both directions, built once from a model whose references are checked."""

    frameworks: list[Framework]
    relations: dict[str, str]  # relation → meaning, strongest first
    by_item: dict[str, list[ItemLink]] = field(default_factory=lambda: defaultdict(list))
    by_provision: dict[tuple[str, str], list[Link]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(
        cls,
        frameworks: list[Framework],
        records: list[CrosswalkRecord],
        relations: dict[str, str],
        item_order: Callable[[str], Any] | None = None,
    ) -> Crosswalk:
        xw = cls(frameworks, dict(relations))
        by_id = {f.id: f for f in frameworks}
        rank = {r: i for i, r in enumerate(relations)}
        for record in records:
            framework = by_id.get(record.framework)
            if framework is None:
                continue
            for link in record.links:
                provision = framework.provision(link.provision)
                if provision is None:
                    continue
                xw.by_provision[(framework.id, provision.id)].append(link)
                xw.by_item[link.item].append(ItemLink(framework, provision, link.relation, link.note))
        order = {f.id: i for i, f in enumerate(frameworks)}
        for links in xw.by_provision.values():
            links.sort(key=lambda k: (rank.get(k.relation, 9), item_order(k.item) if item_order else k.item))
        for links in xw.by_item.values():
            links.sort(key=lambda k: (order[k.framework.id], k.framework.provisions.index(k.provision)))
        return xw

    def links_for(self, framework: Framework, provision: Provision) -> list[Link]:
        return self.by_provision.get((framework.id, provision.id), [])

    def uncovered(self, framework: Framework) -> list[Provision]:
        """Provisions that no item covers or partly covers: the weakest relation ("related") alone
        does not count as covering."""
        weakest = list(self.relations)[-1] if self.relations else None
        return [
            p
            for p in framework.provisions
            if not any(k.relation != weakest for k in self.links_for(framework, p))
        ]

    def items_for_framework(self, framework_id: str) -> set[str]:
        return {
            item for item, links in self.by_item.items() if any(k.framework.id == framework_id for k in links)
        }


# -- cross-reference checks ---------------------------------------------------------------------------


def check_references(
    frameworks: list[Framework],
    records: list[CrosswalkRecord],
    item_ids: set[str],
    recommendations: list[Any],
    add: Callable[..., None],
    present: set[str],
    checklist_complete: bool,
) -> None:
    """Report unknown frameworks, provisions and items, and duplicates, through `add(file, path, message)`.

    `present` holds ids of records that exist but failed their own checks (not reported again);
    unknown items are judged only when the checklist folder is complete."""
    by_id = {f.id: f for f in frameworks}
    for f in frameworks:
        seen: set[str] = set()
        for i, p in enumerate(f.provisions):
            if p.id in seen:
                add(
                    f.file,
                    ("provisions", i, "id"),
                    f"The provision id '{p.id}' is used twice in this framework; each must be unique.",
                )
            seen.add(p.id)

    owner: dict[str, str] = {}
    for record in records:
        framework = by_id.get(record.framework)
        if record.id != f"crosswalk-{record.framework}":
            add(
                record.file,
                ("id",),
                f"A crosswalk's id is 'crosswalk-' and its framework's id: name it crosswalk-{record.framework}.",
            )
        if framework is None:
            if record.framework not in present:
                add(
                    record.file,
                    ("framework",),
                    f"'{record.framework}' is not the id of any framework in guidance/frameworks/.",
                )
            continue
        if record.framework in owner:
            add(
                record.file,
                ("framework",),
                f"The framework '{record.framework}' already has a crosswalk ({owner[record.framework]}); "
                "keep one crosswalk per framework.",
            )
        owner.setdefault(record.framework, record.file)
        pairs: set[tuple[str, str]] = set()
        for i, link in enumerate(record.links):
            if framework.provision(link.provision) is None:
                known = ", ".join(p.id for p in framework.provisions)
                add(
                    record.file,
                    ("links", i, "provision"),
                    f"'{link.provision}' is not a provision of {framework.id} (its provisions are: {known}).",
                )
            if link.item not in item_ids and link.item not in present and checklist_complete:
                add(
                    record.file,
                    ("links", i, "item"),
                    f"'{link.item}' is not the id of any checklist item in checklist/items/.",
                )
            if (link.item, link.provision) in pairs:
                add(
                    record.file,
                    ("links", i),
                    f"The item '{link.item}' is linked to '{link.provision}' more than once; keep one link.",
                )
            pairs.add((link.item, link.provision))

    for rec in recommendations:
        if rec.provisions and not rec.beyond_paper:
            add(
                rec.file,
                ("provisions",),
                "A recommendation that comes from a framework provision goes beyond the paper: "
                "say how in beyond_paper.",
            )
        for i, ref in enumerate(rec.provisions):
            framework = by_id.get(ref["framework"])
            if framework is None:
                if ref["framework"] not in present:
                    add(
                        rec.file,
                        ("provisions", i, "framework"),
                        f"'{ref['framework']}' is not the id of any framework in guidance/frameworks/.",
                    )
            elif framework.provision(ref["provision"]) is None:
                add(
                    rec.file,
                    ("provisions", i, "provision"),
                    f"'{ref['provision']}' is not a provision of {framework.id}.",
                )
