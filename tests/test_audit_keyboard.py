"""The whole self-audit completed with the keyboard alone, in Debian's chromium, with visible focus."""

from __future__ import annotations

import pytest

from browser import CHROMIUM

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium (scripts/setup --test installs it)"
)

FOCUS_STYLE = """() => { const e = document.activeElement; const s = getComputedStyle(e);
  return {tag: e.tagName, type: e.type || '', id: e.id, part: e.dataset.part || '', item: e.dataset.item || '',
          profile: e.dataset.profile || '', checked: !!e.checked,
          groupAnswered: e.type === 'radio' ? !!document.querySelector(`input[name="${e.name}"]:checked`) : false,
          visible: s.outlineStyle !== 'none' || s.boxShadow !== 'none'}; }"""


def test_complete_the_whole_checklist_with_the_keyboard(browser, site_server):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_server + "/audit/", wait_until="networkidle")
    page.evaluate("localStorage.clear()")
    page.reload(wait_until="networkidle")
    page.wait_for_selector("html.fg-audit-js", state="attached")  # the script has run
    page.focus("#fg-audit-organisation")  # the skip target; everything after is keys only
    page.keyboard.type("Keyboard Trust")
    invisible, stops = [], 0
    for _ in range(1500):
        page.keyboard.press("Tab")
        stops += 1
        f = page.evaluate(FOCUS_STYLE)
        if (
            not f["visible"] and f["tag"] != "BODY"
        ):  # BODY: the stop after the last link, before Tab wraps to the top
            invisible.append(f)
        if f["tag"] == "INPUT" and f["type"] == "radio" and not f["groupAnswered"]:
            page.keyboard.press("Space")  # first choice: profile option, or "Not in place"
            if f["part"] == "rating":
                for _ in range(3):  # arrow keys move along the scale to "Fully in place"
                    page.keyboard.press("ArrowDown")
        elif (
            f["tag"] == "INPUT"
            and f["type"] == "checkbox"
            and f["profile"]
            and not f["checked"]
            and f["id"].endswith(("adults", "general"))
        ):
            page.keyboard.press("Space")
        if f["id"] == "fg-audit-report":
            break  # reached again after the items, when Tab wraps to the top of the page
    progress = page.text_content("#fg-audit-progress-text")
    overall = page.text_content("#fg-audit-score-overall")
    stored = page.evaluate("Object.keys(localStorage).length")
    context.close()
    assert invisible == [], invisible[:5]
    applicable_total = progress.split(" of ")[1].split()[0]
    assert progress.startswith(f"{applicable_total} of {applicable_total}"), progress
    assert "100%" in overall, overall
    assert stored >= 1
    assert stops < 1500
