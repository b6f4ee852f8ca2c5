"""The built guidance site: `mkdocs build --strict` once per session, then assertions on the HTML."""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from forumguide.records.load import load_guidance

from conftest import MINIMAL, PAPER, RELEASE, ROOT, write_project

pytestmark = pytest.mark.slow  # every test here builds a site with MkDocs

MKDOCS = [sys.executable, "-m", "mkdocs"]
SITE_SOURCES = ("mkdocs.yml", "docs", "hooks", "overrides")


def build(project: Path, out: Path) -> str:
    """Build a site with --strict and return MkDocs' log; fail on any warning."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [*MKDOCS, "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=project,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert not [line for line in log.splitlines() if "WARNING" in line], log
    return log


@dataclass
class Page:
    path: str  # relative to the site root, e.g. cmos/cmo-1/index.html
    ids: set[str] = field(default_factory=set)
    refs: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attribute, value)
    text: str = ""
    title: str = ""
    scripts: list[str] = field(default_factory=list)  # inline script bodies


class _Parser(HTMLParser):
    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page, self.stack, self.chunks = page, [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.page.ids.add(a["id"])
        for name in ("href", "src", "data", "poster", "action"):
            if a.get(name) is not None:
                self.page.refs.append((tag, name, a[name]))
        if a.get("srcset"):
            self.page.refs.extend((tag, "srcset", part.split()[0]) for part in a["srcset"].split(","))
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        current = self.stack[-1] if self.stack else ""
        if current == "title":
            self.page.title += data
        elif current == "script":
            self.page.scripts.append(data)
        elif current != "style":
            self.chunks.append(data)

    def close(self):
        super().close()
        self.page.text = " ".join("".join(self.chunks).split())


class Site:
    def __init__(self, root: Path):
        self.root = root
        self.pages: dict[str, Page] = {}
        for path in sorted(root.rglob("*.html")):
            rel = path.relative_to(root).as_posix()
            page = Page(rel)
            parser = _Parser(page)
            parser.feed(path.read_text(encoding="utf-8"))
            parser.close()
            self.pages[rel] = page

    def page(self, url: str) -> Page:
        return self.pages[url.rstrip("/") + "/index.html" if url else "index.html"]

    def resolve(self, page: Page, value: str) -> tuple[str, str] | None:
        """(target file relative to the site root, fragment) for an internal link, None for external."""
        parts = urlsplit(value)
        if parts.scheme or parts.netloc:
            return None
        if parts.path.startswith("/"):  # 404.html links from the site root
            target = parts.path.lstrip("/")
        elif parts.path:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page.path), unquote(parts.path)))
        else:
            target = page.path
        if target in ("", "."):
            target = "index.html"
        if (self.root / target).is_dir():
            target = posixpath.join(target, "index.html")
        return target, unquote(parts.fragment)

    def links_from(self, url: str) -> set[str]:
        """The site paths (e.g. evidence/ref-68/index.html) that a page's <a> elements point to."""
        page = self.page(url)
        out = set()
        for tag, _, value in page.refs:
            if tag == "a" and (found := self.resolve(page, value)):
                out.add(found[0])
        return out


@pytest.fixture(scope="session")
def guidance_model():
    return load_guidance(ROOT)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    out = tmp_path_factory.mktemp("site")
    build(ROOT, out)
    return Site(out)


# -- structure: home → theory area → CMO → each source → back --------------------------------------------


def test_every_cmo_page_links_to_each_of_its_sources(site, guidance_model):
    for cmo in guidance_model.cmos:
        links = site.links_from(f"cmos/{cmo.id}")
        for evidence_id in cmo.evidence:
            assert f"evidence/{evidence_id}/index.html" in links, (cmo.id, evidence_id)


def test_every_evidence_page_links_back_to_what_rests_on_it(site, guidance_model):
    g = guidance_model
    for e in g.evidence:
        links = site.links_from(f"evidence/{e.id}")
        expected = {f"cmos/{c.id}/index.html" for c in g.cmos_citing(e.id)}
        expected |= {f"theory-areas/{t.id}/index.html" for t in g.areas_citing(e.id)}
        expected |= {f"recommendations/{r.id}/index.html" for r in g.recommendations_citing(e.id)}
        assert expected <= links, e.id
        anchors = {
            value.split("#", 1)[1]
            for tag, _, value in site.page(f"evidence/{e.id}").refs
            if tag == "a" and "checklist/#" in value
        }
        assert {i.id for i in g.items_citing(e.id)} == anchors, e.id


def test_reference_68_links_back_to_cmo_12(site):
    assert "cmos/cmo-12/index.html" in site.links_from("evidence/ref-68")
    assert "Tan, Y.T. et al. (2021)" in site.page("evidence/ref-68").text


def test_a_reader_can_go_home_to_area_to_cmo_to_source_and_back(site, guidance_model):
    area = guidance_model.theory_areas[0]
    cmo = guidance_model.cmos_in_area(area.number)[0]
    assert "theory-areas/index.html" in site.links_from("")
    assert f"theory-areas/{area.id}/index.html" in site.links_from("theory-areas")
    assert f"cmos/{cmo.id}/index.html" in site.links_from(f"theory-areas/{area.id}")
    source = cmo.evidence[0]
    assert f"evidence/{source}/index.html" in site.links_from(f"cmos/{cmo.id}")
    assert f"cmos/{cmo.id}/index.html" in site.links_from(f"evidence/{source}")
    assert f"theory-areas/{area.id}/index.html" in site.links_from(f"cmos/{cmo.id}")


def test_detail_pages_stay_out_of_the_navigation(site, guidance_model):
    nav_links = site.links_from("about")
    assert not any(link.startswith("cmos/cmo-") for link in nav_links)


def test_map_links_every_diagram_node_to_its_cmo_page(site, guidance_model):
    html = (site.root / "map" / "index.html").read_text(encoding="utf-8")
    linked = re.findall(
        r'<a href="\.\./cmos/([a-z0-9-]+)/" class="fg-map-node[^"]*">\s*<rect[^>]*/>\s*<text[^>]*><tspan[^>]*>(CMO [0-9.]+):</tspan>',
        html,
    )
    assert {target for target, _ in linked} == {c.id for c in guidance_model.cmos}
    for target, label in linked:
        assert guidance_model.cmo_by_id[target].label == label
        assert (site.root / "cmos" / target / "index.html").is_file()


# -- links and third parties ---------------------------------------------------------------------------------


def test_no_internal_link_is_broken(site):
    broken = []
    for page in site.pages.values():
        for _tag, _attribute, value in page.refs:
            found = site.resolve(page, value)
            if found is None:
                continue
            target, fragment = found
            if not (site.root / target).is_file():
                broken.append((page.path, value))
            elif fragment and target.endswith(".html") and fragment not in site.pages[target].ids:
                broken.append((page.path, value, "no such id"))
    assert not broken


def _external(value: str) -> bool:
    parts = urlsplit(value.strip())
    return bool(parts.netloc) or parts.scheme not in ("", "data", "mailto")


def test_html_requests_nothing_from_another_host(site):
    """Only plain hyperlinks (<a href>) may point elsewhere: no scripts, styles, fonts, images or frames."""
    offending = [
        (p.path, tag, attribute, value)
        for p in site.pages.values()
        for tag, attribute, value in p.refs
        if tag != "a"
        and _external(value)
        and not (tag == "link" and attribute == "href" and value.startswith("#"))
    ]
    assert not offending
    styled = [
        p.path for p in site.pages.values() if re.search(r"url\(\s*['\"]?(https?:)?//", "".join(p.scripts))
    ]
    assert not styled


def test_stylesheets_load_nothing_from_another_host(site):
    for css in site.root.rglob("*.css"):
        text = re.sub(r"/\*.*?\*/", "", css.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), css
        assert not re.search(r"@import\s+(url\()?\s*['\"]?(https?:)?//", text), css


# Loadable addresses inside the theme's JavaScript, and why none of them is ever requested by this site.
KNOWN_THEME_FALLBACKS = {
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "Material loads Mermaid from unpkg only for pages with a Mermaid diagram; this site has none "
    "(no mermaid fence is configured, and the map is SVG drawn at build time: checked below).",
    "https://unpkg.com/resize-observer-polyfill": "Loaded only in browsers without ResizeObserver, which every browser has supported since 2020.",
    "https://api.github.com/repos/": "Repository statistics, only fetched when repo_url is set (it is not).",
    "https://api.github.com/users/": "As above.",
}
_LOADABLE = re.compile(
    r"""https?://[^\s"'`)<>]*?(?:\.m?js|\.css|\.woff2?|\.ttf|\.otf|polyfill|api\.[a-z.]+/[a-z/]*)(?=[\s"'`)<>?#]|$)"""
)
_CDN = re.compile(
    r"""https?://(?:unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.(?:googleapis|gstatic)\.com)[^\s"'`)<>]*"""
)


def test_javascript_loads_nothing_from_another_host(site):
    found = set()
    for js in site.root.rglob("*.js"):
        text = js.read_text(encoding="utf-8", errors="replace")
        found |= {m.group(0) for m in _LOADABLE.finditer(text)} | {m.group(0) for m in _CDN.finditer(text)}
    assert any(
        url.startswith("https://unpkg.com/mermaid@") for url in found
    )  # the scan does see the theme's fallbacks
    # Links to source files on GitHub in licence and code comments are web pages, never loaded.
    found = {url for url in found if not re.match(r"https://github\.com/[^/]+/[^/]+/blob/", url)}
    unexplained = {url for url in found if not any(url.startswith(known) for known in KNOWN_THEME_FALLBACKS)}
    assert not unexplained


def test_no_page_loads_or_needs_mermaid(site):
    for page in site.pages.values():
        scripts = [value for tag, attribute, value in page.refs if tag == "script"]
        assert not any("mermaid" in s for s in scripts), page.path
    assert not list(site.root.rglob("*mermaid*"))
    for html_file in site.root.rglob("*.html"):
        assert 'class="mermaid"' not in html_file.read_text(encoding="utf-8"), html_file
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "repo_url" not in config and "mermaid" not in config


def test_audit_scripts_and_styles_load_on_the_audit_pages_only(site, guidance_model):
    # The tools (export, import, report, merge...) only where they are offered: the overview and the check step.
    with_tools = {"audit/index.html", "audit/check/index.html"}
    audit_pages = set()
    for page in site.pages.values():
        assets = [
            value
            for tag, attribute, value in page.refs
            if (tag, attribute) in {("script", "src"), ("link", "href")}
        ]
        own = [a for a in assets if a.endswith((".js", ".css")) and ("checklist" in a or "audit" in a)]
        if page.path.startswith("audit/"):
            audit_pages.add(page.path)
            assert any(a.endswith("assets/stylesheets/audit.css") for a in own), page.path
            assert any(a.endswith("assets/javascripts/checklist.js") for a in own), page.path
            tools = any(a.endswith("assets/javascripts/checklist-tools.js") for a in own)
            assert tools == (page.path in with_tools), page.path
            # checklist.js runs first; the tools work through the audit it sets up
            assert [a for a in own if a.endswith(".js")][-1].endswith(
                "checklist-tools.js" if tools else "checklist.js"
            )
        else:
            assert own == [], page.path
    # the overview, about, profile, one page per theory area, and the check step
    assert audit_pages == {
        "audit/index.html",
        "audit/about/index.html",
        "audit/profile/index.html",
        "audit/check/index.html",
        *(f"audit/{area.id}/index.html" for area in guidance_model.theory_areas),
    }


# -- figures and citations on the hand-written pages ----------------------------------------------------------


def test_about_page_counts_match_the_data(site, guidance_model):
    g = guidance_model
    expected = {
        "Theory areas": len(g.theory_areas),
        "CMO configurations": len(g.cmos),
        "Evidence sources in the library": len(g.evidence),
        "References from the paper's reference list": len([e for e in g.evidence if e.kind == "publication"]),
        "References cited for a CMO or theory area": len(
            [
                e
                for e in g.evidence
                if e.kind == "publication" and (g.cmos_citing(e.id) or g.areas_citing(e.id))
            ]
        ),
        "Interview participants quoted": len([e for e in g.evidence if e.kind == "interview"]),
        "Recommendations": len(g.recommendations),
        "Checklist items": len(g.checklist),
    }
    text = site.page("about").text
    for label, number in expected.items():
        assert re.search(rf"{re.escape(label)} {number}\b", text), (label, number)


def test_about_page_cites_the_paper_from_its_record(site):
    text = site.page("about").text
    assert "Marshall, P. et al. (2024)" in text
    assert "JMIR Mental Health, 11, p. e55750" in text
    assert "https://doi.org/10.2196/55750" in text


def test_footer_shows_the_guidance_version(site, guidance_model):
    assert f"Guidance version {guidance_model.version}" in site.page("").text


def test_open_data_is_published(site, guidance_model):
    data = json.loads((site.root / "data" / "forumguide.json").read_text(encoding="utf-8"))
    assert len(data["cmos"]) == len(guidance_model.cmos)
    references = json.loads((site.root / "data" / "references.json").read_text(encoding="utf-8"))
    assert any(item.get("DOI") == "10.2196/55750" for item in references)
    assert (site.root / "schema" / "cmo.schema.json").is_file()


# -- author text stays text --------------------------------------------------------------------------------

INJECTED = '{{ 7*7 }} {% if true %}x{% endif %} <script>alert("xss")</script> **bold** [click](https://example.invalid/x)'


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> Site:
    """A small project whose records carry template, HTML and Markdown syntax, built with the real site setup."""
    root = tmp_path_factory.mktemp("hostile")
    quoted = INJECTED.replace("'", "''")
    cmo = MINIMAL["guidance/cmos/cmo-1.yaml"]
    cmo = cmo.replace("title: Replies keep people coming back", f"title: 'Replies {quoted}'")
    cmo = cmo.replace("summary: A summary.", f"summary: '{quoted}'")
    files = {
        "guidance/cmos/cmo-1.yaml": cmo,
        "guidance/evidence/ref-1.yaml": MINIMAL["guidance/evidence/ref-1.yaml"].replace(
            "title: A study", f"title: 'A study {quoted}'"
        ),
        "guidance/theory-areas/safety.yaml": MINIMAL["guidance/theory-areas/safety.yaml"].replace(
            "overview: A short overview.", f"overview: '{quoted}'"
        ),
        "guidance/vocabulary.yaml": MINIMAL["guidance/vocabulary.yaml"].replace(
            "label: Engagement", f"label: '{quoted}'"
        ),
        "guidance/cmos/cmo-2.yaml": cmo.replace("id: cmo-1", "id: cmo-2").replace(
            'number: "1"', 'number: "2"'
        ),
        "guidance/release.yaml": RELEASE,
        "guidance/evidence/paper.yaml": PAPER,
    }
    write_project(root, files)
    for name in SITE_SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    build(root, root / "site")
    return Site(root / "site")


def test_injected_text_is_shown_literally(hostile_site):
    cmo = hostile_site.page("cmos/cmo-1")
    assert INJECTED in cmo.text
    assert f"Replies {INJECTED}" in cmo.title
    assert INJECTED in hostile_site.page("evidence/ref-1").text
    assert INJECTED in hostile_site.page("theory-areas/safety").text
    assert INJECTED in hostile_site.page("map").text  # a CMO title, as text in the map's diagrams


def test_injected_text_is_not_evaluated_or_interpreted(hostile_site):
    for url in ("cmos/cmo-1", "evidence/ref-1", "theory-areas/safety", "evidence", "map"):
        page = hostile_site.page(url)
        assert not any("alert(" in body for body in page.scripts), url
        assert not any("example.invalid" in value for _, _, value in page.refs), url
        html = (hostile_site.root / page.path).read_text(encoding="utf-8")
        assert "<strong>bold</strong>" not in html and "49 x" not in page.text, url


def test_injected_text_is_escaped_in_the_search_index(hostile_site):
    index = json.loads((hostile_site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = [doc for doc in index["docs"] if doc["location"].startswith("cmos/cmo-1/")]
    assert entries
    for doc in entries:  # the search box shows these fields as HTML
        assert "<script" not in doc["title"] and "<script" not in doc["text"]
    assert any("&lt;script&gt;" in doc["text"] for doc in entries)


def test_invalid_records_fail_the_build_with_every_problem(tmp_path):
    root = tmp_path / "broken"
    cmo = MINIMAL["guidance/cmos/cmo-1.yaml"].replace("evidence: [ref-1]", "evidence: [ref-1, ref-999]")
    write_project(root, {"guidance/cmos/cmo-1.yaml": cmo, "guidance/theory-areas/safety.yaml": None})
    for name in SITE_SOURCES:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [*MKDOCS, "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode != 0
    assert "guidance/cmos/cmo-1.yaml:" in result.stderr and "ref-999" in result.stderr
    assert "theory area" in result.stderr  # the missing theory area is reported in the same run
    assert not (root / "site" / "index.html").exists()


# -- in a browser: nothing is requested from another host ------------------------------------------------


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.browser
@pytest.mark.skipif(_chromium() is None, reason="needs Debian's chromium (scripts/setup --test installs it)")
def test_pages_in_a_browser_request_nothing_from_another_host(site):
    playwright = pytest.importorskip("playwright.sync_api")
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # noqa: ANN002 - keep the test output clean
            pass

    handler = functools.partial(Quiet, directory=str(site.root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
            page = browser.new_page()
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            for path in ("", "map/", "cmos/cmo-12/", "evidence/ref-68/"):
                page.goto(base + path, wait_until="networkidle")
            page.goto(base + "map/", wait_until="networkidle")
            heights = page.evaluate(
                "[...document.querySelectorAll('svg.fg-map')].map(d => d.getBoundingClientRect().height)"
            )
            browser.close()
    finally:
        server.shutdown()
    assert [url for url in requested if not url.startswith(base)] == []
    assert heights and all(h > 100 for h in heights)  # the diagrams are there without any script


def test_framework_pages_show_the_notice_items_and_uncovered_provisions(site, guidance_model):
    from forumguide.records.frameworks import NOT_LEGAL_ADVICE

    g = guidance_model
    assert "frameworks/index.html" in site.links_from("")
    for f in g.frameworks:
        page = site.page(f"frameworks/{f.id}")
        assert NOT_LEGAL_ADVICE in " ".join(page.text.split()), f.id
        items = {k.item for p in f.provisions for k in g.crosswalk.links_for(f, p)}
        anchors = {
            value.split("#", 1)[1] for tag, _, value in page.refs if tag == "a" and "checklist/#" in value
        }
        assert anchors == items, f.id
        gaps = page.text.split("Provisions no checklist item covers", 1)[1]
        for p in g.crosswalk.uncovered(f):
            assert p.title in gaps, (f.id, p.id)
