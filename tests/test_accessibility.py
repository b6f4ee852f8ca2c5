"""WCAG 2.2 AA: axe-core (from npm) run in Debian's chromium against every page type of the served site."""

from __future__ import annotations

import itertools
import json

import pytest

from browser import AXE, CHROMIUM, WCAG_TAGS
from conftest import ROOT

PAGES = {
    "home": "/",
    "theory area": "/theory-areas/psychological-safety/",
    "CMO": "/cmos/cmo-12/",
    "evidence (publication)": "/evidence/ref-68/",
    "evidence (interview)": "/evidence/forum-host-1/",
    "evidence library": "/evidence/",
    "recommendation": "/recommendations/rec-reply-to-unanswered-posts/",
    "checklist listing": "/checklist/",
    "programme theory map": "/map/",
    "topics": "/topics/",
    "topic": "/topics/moderator-wellbeing/",
    "evidence limits": "/evidence-limits/",
    "about": "/about/",
    "how scoring works": "/scoring/",
    "glossary": "/glossary/",
    "open data": "/open-data/",
}

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() or not AXE.exists(),
    reason="needs Debian's chromium and npm's axe-core (scripts/setup --test installs both)",
)


def axe_violations(page) -> list[dict]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_wcag_violations(browser, site_server, name, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(site_server + PAGES[name], wait_until="networkidle")
    violations = axe_violations(page)
    context.close()
    assert violations == [], json.dumps(violations, indent=1)


def test_no_horizontal_scrolling_at_320px(browser, site_server):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    too_wide = {}
    for name, path in PAGES.items():
        page.goto(site_server + path, wait_until="networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[name] = width
    context.close()
    assert too_wide == {}


def test_headings_are_in_order_and_focus_is_visible(browser, site_server):
    page = browser.new_page()
    for name, path in PAGES.items():
        page.goto(site_server + path, wait_until="networkidle")
        levels = page.evaluate(
            "[...document.querySelectorAll('article h1, article h2, article h3, article h4')].map(h => +h.tagName[1])"
        )
        assert levels and levels[0] == 1, name
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (name, levels)
    page.goto(site_server + "/", wait_until="networkidle")
    page.keyboard.press("Tab")
    outline = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return {tag: document.activeElement.tagName, outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow}; }""")
    assert outline["tag"] == "A"
    assert outline["outline"] != "none" or outline["shadow"] != "none", outline


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_audit_pages_with_answers_have_no_wcag_violations(browser, site_server, tmp_path, scheme):
    """Every page of the self-audit (the overview and each step), with an example audit's answers."""
    import yaml

    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(yaml.safe_load((ROOT / "examples" / "northbrook-2026.yaml").read_text())))
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(site_server + "/audit/", wait_until="networkidle")
    page.set_input_files("#fg-audit-import-file", str(answers))
    page.wait_for_function("document.querySelector('#fg-audit-score-overall').textContent.includes('%')")
    steps = page.evaluate("JSON.parse(document.getElementById('fg-audit-data').textContent).steps")
    found = {"overview": axe_violations(page)}
    for step in steps:
        page.goto(f"{site_server}/{step['url']}", wait_until="networkidle")
        page.wait_for_selector("html.fg-audit-js", state="attached")
        if page.locator("input[name='fg-efficacy-search-and-tags-rating'][value='not-applicable']").count():
            page.check("input[name='fg-efficacy-search-and-tags-rating'][value='not-applicable']")
            page.focus("#fg-efficacy-search-and-tags-reason")
            page.keyboard.press("Tab")  # leaving the reason empty shows its error
        found[step["task"]] = axe_violations(page)
    context.close()
    assert len(found) == 9  # the overview, about, profile, five theory areas, check
    assert {where: v for where, v in found.items() if v} == {}, json.dumps(found, indent=1)
