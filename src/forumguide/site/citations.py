"""Full references for the evidence library, in one citation style, rendered by citeproc-py.

Every bibliographic source (the paper's numbered references and the paper itself) is formatted from its
CSL fields by citeproc-py with the Harvard style citeproc-py ships (`harvard-cite-them-right`, British
English locale); nothing here assembles a reference from strings. Interview participants and the
stakeholder workshop are not publications: they have no CSL data, so their entry is their title.

Output is HTML that is safe twice over: citeproc-py escapes the text it is given, and the text between
its tags is then encoded so that Markdown (and mkdocs-macros) treat it as plain text too. It can be
placed inline in a generated Markdown page.

Formatting the whole bibliography takes a noticeable fraction of a second, so it is done once per
`Guidance` object: `bibliography_for(g)` keeps one `Bibliography` per live model (a cache, dropped when
the model is garbage-collected).
"""

from __future__ import annotations

import io
import re
import weakref
from typing import Any

from markupsafe import Markup

from ..records.export import csl_item
from ..records.model import Evidence, Guidance
from .mdsafe import md_html, md_text

STYLE = "harvard-cite-them-right"
LOCALE = "en-GB"
CSL_KINDS = frozenset({"publication", "synthesis"})

_CSL_NS = "{http://purl.org/net/xbiblio/csl}"
# citeproc-py inserts field values into its HTML unescaped (it escapes only the style's own text), so
# before formatting, the three HTML-significant characters in the data are swapped for private-use
# characters, and after formatting they come back as entities. Formatting tags are the only markup.
_PROTECT = {"&": "\ue000", "<": "\ue001", ">": "\ue002"}
_RESTORE = {"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"}
_PRIVATE = re.compile("[\ue000-\uf8ff]")
# Runs of capitals such as "YT" are initials written without stops (the paper's Vancouver style).
# citeproc-js reads them as initials; citeproc-py reads them as one name, so they are spaced out
# before formatting ("Y T" is initialised to "Y.T.").
_INITIALS = re.compile(r"^[A-Z]{2,4}$")


def _protect(value: Any) -> Any:
    if isinstance(value, str):
        value = _PRIVATE.sub("\ufffd", value)
        return "".join(_PROTECT.get(ch, ch) for ch in value)
    if isinstance(value, list):
        return [_protect(v) for v in value]
    if isinstance(value, dict):
        return {k: _protect(v) for k, v in value.items()}
    return value


def _restore(html: str) -> str:
    return "".join(_RESTORE.get(ch, ch) for ch in html)


def _csl_data(e: Evidence) -> dict[str, Any]:
    item = csl_item(e)
    item["id"] = e.id
    authors = []
    for name in item.get("author", []):
        given = name.get("given")
        if given and _INITIALS.match(given):
            name = {**name, "given": " ".join(given)}
        authors.append(name)
    if authors:
        item["author"] = authors
    return item


def _style(truncated: bool):
    """The bundled style; for author lists the records mark as truncated, the style's own et-al rule
    applies from two names on.

    The style shortens a list of four or more authors to the first name and "et al.". When the
    paper's list already ends with "others", the real list is longer than the names we hold, so a
    list of two or three names is shortened the same way instead of being printed as if complete
    ("A, B and C"). The words and typography of "et al." still come from the style and locale."""
    from citeproc import CitationStylesStyle
    from citeproc.frontend import STYLES_PATH
    from lxml import etree

    tree = etree.parse(f"{STYLES_PATH}/{STYLE}.csl", etree.XMLParser(no_network=True, remove_comments=True))
    if truncated:
        for bib in tree.getroot().iter(f"{_CSL_NS}bibliography"):
            bib.set("et-al-min", "2")
            bib.set("et-al-use-first", "1")
    return CitationStylesStyle(io.BytesIO(etree.tostring(tree)), locale=LOCALE, validate=False)


def format_references(items: list[dict[str, Any]], *, truncated: bool = False) -> dict[str, Markup]:
    """CSL-JSON items → {id: Markdown-safe HTML reference}, all with one citeproc-py bibliography."""
    if not items:
        return {}
    # citeproc-py and lxml are imported here, not at the top: a cached bibliography needs neither.
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    items = [{**_protect(item), "id": item["id"], "type": item["type"]} for item in items]
    bibliography = CitationStylesBibliography(_style(truncated), CiteProcJSON(items), formatter.html)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    entries = bibliography.bibliography()
    keys = [str(k) for k in bibliography.keys]
    return {key: md_html(_restore(str(entry))) for key, entry in zip(keys, entries, strict=True)}


class Bibliography:
    """Formatted references for one Guidance model, keyed by evidence id."""

    def __init__(self, g: Guidance, only: set[str] | None = None, *, formatted: dict[str, str] | None = None):
        """`only`: format just these evidence ids (a report cites a few; formatting costs time).
        `formatted`: the `formatted` references of an earlier Bibliography of the same records (the
        guidance cache keeps them), used as they are."""
        if formatted is not None:
            self._html: dict[str, Markup] = {key: Markup(html) for key, html in formatted.items()}
        else:
            publications = [e for e in g.evidence if e.kind in CSL_KINDS and (only is None or e.id in only)]
            plain = [_csl_data(e) for e in publications if not e.authors_truncated]
            truncated = [_csl_data(e) for e in publications if e.authors_truncated]
            self._html = {**format_references(plain), **format_references(truncated, truncated=True)}
        self._titles = {e.id: e.title for e in g.evidence}
        self.style = STYLE
        self.locale = LOCALE

    def __contains__(self, evidence_id: str) -> bool:
        return evidence_id in self._titles

    def html(self, evidence_id: str) -> Markup:
        """The full reference of a publication, or the title of a source without CSL data."""
        if evidence_id in self._html:
            return self._html[evidence_id]
        return md_text(self._titles[evidence_id])

    def has_reference(self, evidence_id: str) -> bool:
        return evidence_id in self._html

    @property
    def formatted(self) -> dict[str, str]:
        """The formatted references as plain data (evidence id → HTML), for the guidance cache."""
        return {key: str(html) for key, html in self._html.items()}


def cite_item(item: dict[str, Any]) -> Markup:
    """One CSL-JSON item (for example this guidance itself) in the same style."""
    return format_references([item])[item["id"]]


_cache: dict[int, Bibliography] = {}  # cache: one formatted bibliography per live Guidance object


def bibliography_for(g: Guidance) -> Bibliography:
    key = id(g)
    found = _cache.get(key)
    if found is None:
        found = _cache[key] = Bibliography(g)
        weakref.finalize(g, _cache.pop, key, None)
    return found


def remember_bibliography(g: Guidance, bibliography: Bibliography) -> None:
    """Adopt a bibliography formatted earlier for the same records (the guidance cache keeps one)."""
    key = id(g)
    if key not in _cache:
        _cache[key] = bibliography
        weakref.finalize(g, _cache.pop, key, None)


def cached_bibliography(g: Guidance) -> Bibliography | None:
    """The whole formatted bibliography if this process has already made it, else None."""
    return _cache.get(id(g))


def reference_html(g: Guidance, evidence_id: str) -> Markup:
    """The full reference of one evidence record (cached per Guidance object)."""
    return bibliography_for(g).html(evidence_id)


def guidance_csl_item(g: Guidance) -> dict[str, Any] | None:
    """This edition of the guidance as a CSL item, so it can be cited in the same style as the paper."""
    release = g.release
    if not release:
        return None
    year, month, day = (int(part) for part in release["date"].split("-"))
    item: dict[str, Any] = {
        "id": "forumguide-guidance",
        "type": "report",
        "title": release["title"],
        "author": [{"literal": "forumguide contributors"}],
        "issued": {"date-parts": [[year, month, day]]},
        "version": release["version"],
        "genre": f"Version {release['version']}",
    }
    if release.get("repository"):
        item["URL"] = release["repository"]
    return item
