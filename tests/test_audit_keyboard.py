"""The whole self-audit completed with the keyboard alone, in Debian's chromium, with visible focus: page by
page, from "About this audit" to "Check your answers", each page left by its "Continue to …" link."""

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
          onward: e.matches('nav.fg-audit-step-nav a.md-button--primary'),
          visible: s.outlineStyle !== 'none' || s.boxShadow !== 'none'}; }"""

# Far more Tab presses than the whole audit needs (every page's links and fields): a loop that never
# reaches the end fails instead of running on.
MOST_STOPS = 4000


def test_complete_the_whole_audit_with_the_keyboard(browser, site_server):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_server + "/audit/about/", wait_until="networkidle")
    page.evaluate("localStorage.clear()")
    page.reload(wait_until="networkidle")
    page.wait_for_selector("html.fg-audit-js", state="attached")  # the script has run
    steps = page.evaluate("JSON.parse(document.getElementById('fg-audit-data').textContent).steps")
    page.focus("#fg-audit-organisation")  # the skip target; everything after is keys only
    page.keyboard.type("Keyboard Trust")
    invisible, stops, visited = [], 0, [page.url]
    while stops < MOST_STOPS:
        page.keyboard.press("Tab")
        stops += 1
        f = page.evaluate(FOCUS_STYLE)
        if (
            not f["visible"] and f["tag"] != "BODY"
        ):  # BODY: the stop after the last link, before Tab wraps to the top
            invisible.append({**f, "page": page.url})
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
        elif f["onward"]:  # "Continue to …": on to the next step's page
            with page.expect_navigation():
                page.keyboard.press("Enter")
            page.wait_for_selector("html.fg-audit-js", state="attached")
            visited.append(page.url)
        elif f["id"] == "fg-audit-report":
            break  # the check step's report button: every step's page is behind us
    progress = page.text_content("#fg-audit-progress-text")
    summary = page.text_content("#fg-check-summary")
    stored = page.evaluate("Object.keys(localStorage).length")
    page.goto(site_server + "/audit/", wait_until="networkidle")
    page.wait_for_selector("html.fg-audit-js", state="attached")
    overall = page.text_content("#fg-audit-score-overall")
    tasks = page.eval_on_selector_all(".fg-audit-tasks [data-task]", "tags => tags.map(t => t.textContent)")
    context.close()
    assert invisible == [], invisible[:5]
    assert visited == [f"{site_server}/{step['url']}" for step in steps]  # every step, in order
    applicable_total = progress.split(" of ")[1].split()[0]
    assert progress.startswith(f"{applicable_total} of {applicable_total}"), progress
    assert summary.startswith("Every item that applies is answered"), summary
    assert "100%" in overall, overall
    assert tasks == ["In progress", "Complete"] + ["Complete"] * 5, tasks  # about: only the organisation
    assert stored >= 1
    assert stops < MOST_STOPS
