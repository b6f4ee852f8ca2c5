"""Records → the guidance site's generated pages, as Markdown, through Jinja2 templates.

Pure functions of a checked `Guidance` model: no MkDocs import, no file writes. The MkDocs hooks add
the result as virtual files; `forumguide pages OUTDIR` writes it for other site engines.

Paths are Markdown source paths relative to the docs folder (`cmos/cmo-12.md`); links between pages
are relative `.md` links, which MkDocs, Zensical and most Markdown engines resolve and check.

Record text reaches a page only through `mdsafe` (the templates' `finalize` applies it to every
`{{ value }}`), and every page opts out of mkdocs-macros, so text such as `{{`, `<script>` or
`[a](b)` in a record is shown as typed.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..audit.scoring import gap_rating_words, scoring_data
from ..records import export
from ..records.frameworks import NOT_LEGAL_ADVICE, Framework
from ..records.model import CMO, ChecklistItem, Evidence, Guidance, Recommendation, TheoryArea
from ..records.paths import TEMPLATES_DIR, schema_dir
from . import audit_page, cmo_map, evidence_strength, scoring_page, topics
from .citations import Bibliography, bibliography_for, cite_item, guidance_csl_item
from .mdsafe import md_list, md_paragraphs, md_text

SITE_TEMPLATES = TEMPLATES_DIR / "site"

# How pages rank in the site search (Material's `search.boost`): pages that answer a question (topics,
# recommendations, CMOs) above the sources behind them, so that a search for an everyday word lands on
# what to do rather than on a reference.
SEARCH_BOOST = {"topic": 8, "recommendation": 4, "cmo": 2, "theory_area": 2, "evidence": 0.5}

# -- where each record's page lives ----------------------------------------------------------------


def area_path(area: TheoryArea) -> str:
    return f"theory-areas/{area.id}.md"


def cmo_path(cmo: CMO) -> str:
    return f"cmos/{cmo.id}.md"


def evidence_path(e: Evidence) -> str:
    return f"evidence/{e.id}.md"


def recommendation_path(rec: Recommendation) -> str:
    return f"recommendations/{rec.id}.md"


def framework_path(f: Framework) -> str:
    return f"frameworks/{f.id}.md"


def item_path(item: ChecklistItem) -> str:
    """The read-only checklist page, anchored at the item (its id is the anchor)."""
    return f"checklist/index.md#{item.id}"


INDEX_PATHS = {
    "areas": "theory-areas/index.md",
    "cmos": "cmos/index.md",
    "evidence": "evidence/index.md",
    "recommendations": "recommendations/index.md",
    "checklist": "checklist/index.md",
    "map": "map.md",
    "topics": topics.INDEX_PATH,
    "audit": audit_page.PATH,
    "frameworks": "frameworks/index.md",
}


# The menu lists section pages only; a generated detail page belongs to the section whose entry the menu
# highlights while it is shown (CMOs are read through the theory areas).
SECTION_OF_FOLDER = {
    "theory-areas": INDEX_PATHS["areas"],
    "cmos": INDEX_PATHS["areas"],
    "evidence": INDEX_PATHS["evidence"],
    "recommendations": INDEX_PATHS["recommendations"],
    "topics": topics.INDEX_PATH,
    "audit": audit_page.PATH,
}


def menu_section(path: str) -> str | None:
    """The section page (docs-relative) whose menu entry stands for the page at `path`, if any."""
    folder, _, _ = path.partition("/")
    return SECTION_OF_FOLDER.get(folder) if "/" in path else None


# The theme marks the menu entry of the page (and of a detail page's section) only by a class, which a
# screen reader does not announce; aria-current says it in words ("current page" / "current").
_CURRENT_PAGE_LINK = re.compile(r'<a href="([^"]*)" class="md-nav__link md-nav__link--active">')
_ACTIVE_SECTION_LINK = re.compile(
    r'(<li class="md-nav__item md-nav__item--active">\s*<a href="[^"]*" class="md-nav__link")>'
)


def mark_current_menu_entries(html: str) -> str:
    """Add aria-current to the menu link of the page itself ("page") and of the section it belongs to ("true")."""
    html = _CURRENT_PAGE_LINK.sub(
        r'<a href="\1" class="md-nav__link md-nav__link--active" aria-current="page">', html
    )
    return _ACTIVE_SECTION_LINK.sub(r'\1 aria-current="true">', html)


def relative(target: str, start: str) -> str:
    """Relative link from the page at `start` to `target` (both docs-relative source paths)."""
    path, _, anchor = target.partition("#")
    rel = posixpath.relpath(path, posixpath.dirname(start) or ".") if path else ""
    return rel + (f"#{anchor}" if anchor else "")


def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL (relative to the site root) a site engine gives a Markdown source path."""
    stem = path[: -len(".md")]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative_url(target: str, start: str, directory_urls: bool = True) -> str:
    """Relative URL between two built pages (for links the site engine does not rewrite)."""
    to, here = page_url(target, directory_urls), page_url(start, directory_urls)
    folder = here.rstrip("/") if here.endswith("/") else posixpath.dirname(here)
    rel = posixpath.relpath(to or ".", folder or ".")
    if rel == ".":
        return "./"
    return rel + "/" if to.endswith("/") or not to else rel


def external_url(e: Evidence) -> str | None:
    """The DOI resolver link or web address of a source, percent-encoded for use in a link."""
    if e.doi:
        return "https://doi.org/" + quote(e.doi, safe="/:;")
    if e.url:
        return quote(e.url, safe=":/?#@!$&*+,;=%-._~")
    return None


# -- templates ---------------------------------------------------------------------------------------


def _finalize(value: Any) -> Any:
    """Applied to every `{{ value }}`: record text becomes literal text; numbers print as numbers."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, bool) or value is None:
        raise TypeError(f"A template tried to print {value!r}; print text or numbers only.")
    if isinstance(value, (int, float, str)):
        return md_text(value)
    raise TypeError(f"A template tried to print a {type(value).__name__}; print text or numbers only.")


@lru_cache(maxsize=4)  # cache: templates are read once per folder and never change during a run
def environment(folder: str = str(SITE_TEMPLATES)) -> Environment:
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["paragraphs"] = md_paragraphs
    return env


@dataclass
class Site:
    """Everything the templates need, computed once."""

    g: Guidance
    bib: Bibliography
    directory_urls: bool = True

    def render(self, template: str, path: str, **context: Any) -> str:
        def link(target: str, text: Any) -> Markup:
            label = text if isinstance(text, Markup) else md_text(text)
            return Markup(f"[{label}]({relative(target, path)})")

        def links(records: Iterable[Any], path_of: Any, attribute: str) -> list[Markup]:
            return [link(path_of(r), getattr(r, attribute)) for r in records]

        def href(target: str) -> Markup:
            return Markup(relative(target, path))

        def url(target: str) -> Markup:
            return Markup(relative_url(target, path, self.directory_urls))

        def link_out(address: str) -> Markup:
            """A link to another site (a DOI resolver or a web address), its address as the text."""
            return Markup(f"[{md_text(address)}](<{address}>){{: .fg-url }}")

        def provision_links(pairs: Iterable[tuple[Framework, Any]]) -> list[Markup]:
            return [link(f"{framework_path(f)}#{p.id}", f"{f.short_title}: {p.title}") for f, p in pairs]

        env = environment()
        return env.get_template(template).render(
            g=self.g,
            ix=self.g.index,
            bib=self.bib,
            path=path,
            link=link,
            links=links,
            href=href,
            url=url,
            link_out=link_out,
            area_path=area_path,
            cmo_path=cmo_path,
            evidence_path=evidence_path,
            recommendation_path=recommendation_path,
            item_path=item_path,
            index=INDEX_PATHS,
            framework_path=framework_path,
            provision_links=provision_links,
            xw=self.g.crosswalk,
            not_legal_advice=NOT_LEGAL_ADVICE,
            item_framework_links=self.item_framework_links,
            recommendation_framework_links=self.recommendation_framework_links,
            item_basis=self.item_basis,
            external_url=external_url,
            tag_label=self.tag_label,
            applies_if=self.applies_if,
            audience_names=self.audience_names,
            item_recommendations=self.item_recommendations,
            source_comment=source_comment,
            listing=md_list,
            search_boost=SEARCH_BOOST,
            limits_page=evidence_strength.LIMITS_PAGE,
            topic_path=topics.topic_path,
            **context,
        )

    def item_framework_links(self, item: ChecklistItem) -> list:
        return self.g.crosswalk.by_item.get(item.id, [])

    def recommendation_framework_links(self, rec: Recommendation) -> tuple[list, list]:
        """(provisions the recommendation comes from, crosswalk links of the items that check it)."""
        basis = self._provisions_of(rec)
        seen, through_items = set(), []
        for item in self.g.index.items_by_rec.get(rec.id, []):
            for k in self.g.crosswalk.by_item.get(item.id, []):
                if (k.framework.id, k.provision.id) not in seen:
                    seen.add((k.framework.id, k.provision.id))
                    through_items.append(k)
        return basis, through_items

    def _provisions_of(self, rec: Recommendation) -> list:
        """(framework, provision) pairs a recommendation names as its basis beyond the paper."""
        basis = []
        for ref in rec.provisions:
            f = self.g.framework_by_id.get(ref["framework"])
            p = f.provision(ref["provision"]) if f else None
            if p is not None:
                basis.append((f, p))
        return basis

    def item_basis(self, item: ChecklistItem) -> tuple[list, list]:
        """(CMOs the item rests on, framework provisions it comes from beyond the paper), both through
        the recommendations it checks: an item states no basis of its own."""
        seen, provisions, cmos = set(), [], {}
        for rec in self.item_recommendations(item):
            cmos.update((c.id, c) for c in self.g.cmos_of_recommendation(rec))
            for f, p in self._provisions_of(rec):
                if (f.id, p.id) not in seen:
                    seen.add((f.id, p.id))
                    provisions.append((f, p))
        return sorted(cmos.values(), key=lambda c: c.sort_key), provisions

    def tag_label(self, tag: str) -> str:
        found = self.g.vocabulary.get(tag)
        return found.label if found else tag

    def item_recommendations(self, item: ChecklistItem) -> list[Recommendation]:
        return [
            self.g.recommendation_by_id[r] for r in item.recommendations if r in self.g.recommendation_by_id
        ]

    def audience_names(self, rec: Recommendation) -> list[str]:
        """Who a recommendation is for, as words for a sentence that starts with them."""
        names = [self.g.audience_label(a) for a in rec.audience]
        return [names[0][:1].upper() + names[0][1:], *names[1:]] if names else []

    def applies_if(self, item: ChecklistItem) -> list[tuple[str, list[Markup]]]:
        """An item's applies_if in words: (profile question, [answer labels, quoted])."""
        profile = {q["id"]: q for q in (self.g.scoring or {}).get("profile", [])}
        out = []
        for key, values in item.applies_if.items():
            question = profile.get(key)
            if question is None:
                out.append((key, [_quoted(v) for v in values]))
                continue
            labels = {o["id"]: o["label"] for o in question.get("options", [])}
            out.append((question["question"], [_quoted(labels.get(v, v)) for v in values]))
        return out


def _quoted(text: str) -> Markup:
    return Markup("“") + md_text(text) + Markup("”")


def source_comment(*files: str) -> Markup:
    names = ", ".join(f.replace("--", "- -") for f in files)
    return Markup(f"<!-- Generated by forumguide from {md_text(names)}; edit the records, not this page. -->")


# -- the pages -----------------------------------------------------------------------------------------


def build_pages(
    g: Guidance,
    *,
    directory_urls: bool = True,
    bibliography: Bibliography | None = None,
    root: Path | None = None,
) -> dict[str, str]:
    """{docs-relative path: Markdown} for every generated page of the site. `root`: the project folder,
    whose answers schema the online audit embeds (by default this package's checkout)."""
    site = Site(g, bibliography or bibliography_for(g), directory_urls)
    pages: dict[str, str] = {}

    pages[INDEX_PATHS["areas"]] = site.render("theory-areas-index.md.j2", INDEX_PATHS["areas"])
    for area in g.theory_areas:
        path = area_path(area)
        pages[path] = site.render(
            "theory-area.md.j2",
            path,
            area=area,
            cmos=g.cmos_in_area(area.number),
            recommendations=site.g.index.recs_by_area.get(area.number, []),
            items=site.g.index.items_by_area.get(area.number, []),
            area_evidence=[g.evidence_by_id[e] for e in area.evidence if e in g.evidence_by_id],
        )

    pages[INDEX_PATHS["cmos"]] = site.render("cmos-index.md.j2", INDEX_PATHS["cmos"])
    for cmo in g.cmos:
        path = cmo_path(cmo)
        pages[path] = site.render(
            "cmo.md.j2",
            path,
            cmo=cmo,
            area=site.g.index.areas_of_cmo[cmo.id],
            evidence=[g.evidence_by_id[e] for e in cmo.evidence if e in g.evidence_by_id],
            recommendations=site.g.index.recs_by_cmo.get(cmo.id, []),
            leads_to=site.g.index.leads_to.get(cmo.id, []),
            led_to_by=site.g.index.led_to_by.get(cmo.id, []),
            strength=evidence_strength.of_cmos(g, [cmo]),
        )

    pages[INDEX_PATHS["evidence"]] = site.render(
        "evidence-index.md.j2", INDEX_PATHS["evidence"], groups=g.evidence_groups()
    )
    paper = (g.release or {}).get("source")
    for e in g.evidence:
        path = evidence_path(e)
        pages[path] = site.render(
            "evidence.md.j2",
            path,
            e=e,
            is_paper=e.id == paper,
            cmos=site.g.index.cmos_by_evidence.get(e.id, []),
            areas=site.g.index.areas_by_evidence.get(e.id, []),
            recommendations=site.g.index.recs_by_evidence.get(e.id, []),
            items=site.g.index.items_by_evidence.get(e.id, []),
        )

    pages[INDEX_PATHS["recommendations"]] = site.render(
        "recommendations-index.md.j2", INDEX_PATHS["recommendations"]
    )
    for rec in g.recommendations:
        path = recommendation_path(rec)
        cmos = g.cmos_of_recommendation(rec)
        pages[path] = site.render(
            "recommendation.md.j2",
            path,
            rec=rec,
            cmos=cmos,
            evidence=g.evidence_of_cmos(cmos),
            strength=evidence_strength.of_recommendation(g, rec),
            rec_topics=topics.topics_of_recommendation(g, rec.id),
            items=site.g.index.items_by_rec.get(rec.id, []),
        )

    gap_words = gap_rating_words(scoring_data(g)) if g.scoring is not None and g.checklist else ""
    pages[INDEX_PATHS["checklist"]] = site.render(
        "checklist-index.md.j2", INDEX_PATHS["checklist"], gap_words=gap_words
    )
    pages[INDEX_PATHS["map"]] = site.render("map.md.j2", INDEX_PATHS["map"], **_map_context(site))
    pages[INDEX_PATHS["topics"]] = site.render("topics-index.md.j2", INDEX_PATHS["topics"])
    for topic in g.topics:
        path = topics.topic_path(topic)
        pages[path] = site.render("topic.md.j2", path, **topics.page_context(g, topic))
    # The index exists even without frameworks: the site's navigation links to it.
    pages[INDEX_PATHS["frameworks"]] = site.render("frameworks-index.md.j2", INDEX_PATHS["frameworks"])
    for f in g.frameworks:
        path = framework_path(f)
        pages[path] = site.render("framework.md.j2", path, f=f, uncovered=g.crosswalk.uncovered(f))
    pages["scoring.md"] = site.render("scoring.md.j2", "scoring.md", **scoring_page.context(g))
    for path, template, audit_context in audit_page.pages(
        g, root, lambda source: page_url(source, site.directory_urls)
    ):
        pages[path] = site.render(template, path, **audit_context)
    return pages


def _map_context(site: Site) -> dict[str, Any]:
    """The programme theory map: its SVG diagrams (forumguide.site.cmo_map) and the links as a table."""
    path = INDEX_PATHS["map"]
    relations = site.g.relations()
    linked = {c.id for s, t, _ in relations for c in (s, t)}
    unlinked = [c.label for c in site.g.cmos if c.id not in linked]
    note = f"Not shown, because no link to or from them is stated: {md_list(unlinked)}." if unlinked else ""
    return {
        "diagrams": [
            (d, cmo_map.render(d, lambda c: relative_url(cmo_path(c), path, site.directory_urls)))
            for d in cmo_map.diagrams(site.g)
        ],
        "relations": relations,
        "unlinked_note": Markup(md_text(note)),
    }


# -- open data and values for hand-written pages --------------------------------------------------------


def open_data_files(g: Guidance, root: Path) -> dict[str, str]:
    """{site path: text} for the downloads on the Open data page: the JSON export, the CSL-JSON
    references, the scoring data the online checklist uses, and every JSON Schema."""
    files = {
        "data/forumguide.json": export.dumps(export.export_document(g)),
        "data/references.json": export.dumps(export.csl_items(g)),
        **audit_page.data_files(g),
    }
    for path in sorted(schema_dir(root).glob("*.schema.json")):
        files[f"schema/{path.name}"] = path.read_text(encoding="utf-8")
    return files


def site_variables(g: Guidance, root: Path, bibliography: Bibliography | None = None) -> dict[str, Any]:
    """Values the hand-written pages print through mkdocs-macros: counts, version, references.

    Text values are already made literal (`Markup`), since mkdocs-macros does not escape."""
    bib = bibliography or bibliography_for(g)
    release = g.release or {}
    paper_id = release.get("source")
    paper = g.evidence_by_id.get(paper_id) if paper_id else None
    own = guidance_csl_item(g)
    schemas = []
    for path in sorted(schema_dir(root).glob("*.schema.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        schemas.append(
            {
                "file": path.name,
                "title": md_text(data.get("title", path.name)),
                "description": md_text(data.get("description", "")),
            }
        )
    return {
        "title": md_text(release.get("title", "forumguide")),
        "version": md_text(g.version),
        "date": md_text(release.get("date", "")),
        "counts": export.counts(g),
        "paper": {
            "reference": bib.html(paper.id),
            "page": evidence_path(paper),
            "doi": paper.doi or "",
            "url": external_url(paper) or "",
        }
        if paper
        else None,
        "guidance_reference": cite_item(own) if own else Markup(""),
        "schemas": schemas,
        "export_format_version": export.FORMAT_VERSION,
        "citation_style": md_text(bib.style),
        # Topic entry points for the home page, in the topics' order.
        "topics": [
            {"title": md_text(t.title), "page": topics.topic_path(t), "summary": md_text(t.summary)}
            for t in g.topics
        ],
        # The scoring data file exists only when the guidance has a scoring model.
        "scoring_data": Markup(audit_page.DATA_FILE) if g.scoring is not None else "",
    }


def write_pages(g: Guidance, root: Path, outdir: Path, *, directory_urls: bool = True) -> list[Path]:
    """Write the generated pages and open data under `outdir` (for `forumguide pages`)."""
    written = []
    files = {**build_pages(g, directory_urls=directory_urls, root=root), **open_data_files(g, root)}
    for rel, text in files.items():
        target = outdir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
