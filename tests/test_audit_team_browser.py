"""The online audit as a task list of pages, with a check before the report, typed messages, YAML import,
last year's audit beside this year's, and a team's files combined: in Debian's chromium, on the real built
site and the real report service. The overview holds the task list, the scores and the tools; each step
has a page of its own, and links between them land on the item they name. Every test also checks that no
request leaves 127.0.0.1."""

from __future__ import annotations

import copy
import io
import json
import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from forumguide.audit.scoring import score

from audit_pages import ENTERED, OVERVIEW, Audit, audit, axe_violations, data, service  # noqa: F401
from browser import AXE, CHROMIUM
from conftest import ROOT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]

EXAMPLE = (ROOT / "examples" / "northbrook-2026.yaml").read_bytes()
PREVIOUS = (ROOT / "examples" / "northbrook-2025.yaml").read_bytes()
# The steps with a status (the check step has none).
TASKS = ("about", "profile", "area-1", "area-2", "area-3", "area-4", "area-5")


def tag(audit: Audit, task: str) -> str:
    """A step's status as the page shows it: in the overview's task list, or at the top of the step's page."""
    where = ".fg-audit-tasks" if audit.here() == OVERVIEW else ".fg-audit-step"
    return audit.page.inner_text(f"{where} [data-task='{task}']")


def below_the_bar(audit: Audit) -> bool:
    """The focused item starts below the sticky bar (WCAG 2.4.11: focus not obscured)."""
    return audit.page.evaluate("""() => document.activeElement.closest('.fg-audit-item').getBoundingClientRect().top
        >= document.getElementById('fg-audit-bar').getBoundingClientRect().bottom""")


# -- the task list ---------------------------------------------------------------------------------------


def test_each_step_shows_its_status_in_the_task_list_and_at_the_top_of_its_page(audit, data):
    page = audit.page
    assert {task: tag(audit, task) for task in TASKS} == dict.fromkeys(TASKS, "Not started")
    overview = audit.new_tab()  # stays open on the overview while the steps are answered in the first tab
    audit.go("about")
    assert page.inner_text(".fg-audit-step").startswith(f"Step 1 of {len(audit.urls) - 1} ")
    assert tag(audit, "about") == "Not started"
    page.fill("#fg-audit-organisation", "Riverside Wellbeing Trust")
    page.wait_for_function(
        "document.querySelector(\".fg-audit-step [data-task='about']\").textContent === 'In progress'"
    )
    area_one = [i["id"] for i in data["items"] if i["theory_area"] == 1]
    audit.rate(area_one[0], "partly")
    assert page.inner_text(".fg-audit-step").startswith("Step 3 of ")
    assert tag(audit, "area-1") == "In progress"
    assert page.inner_text("[data-area-status='1']").endswith(
        f"1 of {len(area_one)} items that apply answered."
    )
    audit.go("profile")
    for question in data["profile"]:
        page.check(f"#fg-audit-profile-{question['id']}-{question['options'][0]['id']}")
    assert tag(audit, "profile") == "Complete"
    result = score(data, {"profile": audit.saved()["profile"], "answers": {}})
    applicable = [i for i in area_one if i not in result["not_in_profile"]]
    audit.go("area-1")
    for item_id in applicable:
        page.check(f"#fg-{item_id}-r-fully")
    assert tag(audit, "area-1") == "Complete"
    assert page.inner_text("[data-area-status='1']").endswith(
        f"{len(applicable)} of {len(applicable)} items that apply answered."
    )
    audit.go("area-2")
    assert tag(audit, "area-2") == "Not started"
    audit.go(OVERVIEW)
    assert {task: tag(audit, task) for task in TASKS} == {
        "about": "In progress",
        "profile": "Complete",
        "area-1": "Complete",
        **dict.fromkeys(TASKS[3:], "Not started"),
    }
    # The overview left open in another tab followed every change.
    overview.wait_for_function(
        "document.querySelector(\".fg-audit-tasks [data-task='area-1']\").textContent === 'Complete'"
    )
    assert overview.inner_text(".fg-audit-tasks [data-task='profile']") == "Complete"


def test_the_bar_stays_in_view_and_next_unanswered_moves_to_the_next_open_item(audit, data):
    page = audit.page
    area = {n: [i["id"] for i in data["items"] if i["theory_area"] == n] for n in (1, 2, 5)}
    first, second, third = area[1][:3]
    audit.rate(first, "partly")
    page.click("#fg-audit-next")
    assert audit.focused_item() == second
    page.check(f"#fg-{second}-r-fully")
    page.click("#fg-audit-next")
    assert audit.focused_item() == third
    # Far down the page the bar is still on screen, saying what is saved.
    page.evaluate("document.querySelector('.fg-audit-step-nav').scrollIntoView()")
    box = page.locator("#fg-audit-bar").bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]
    assert page.inner_text("#fg-audit-saved").startswith("Saved")
    assert page.inner_text("#fg-audit-progress-text").startswith("2 of ")
    # This page answered, it goes on to the next page's first open item, with its first rating focused.
    first_rating = data["scale"][0]["id"]
    for item_id in area[1][2:]:
        page.check(f"#fg-{item_id}-r-fully")
    page.click("#fg-audit-next")
    audit.arrive(audit.item_url(area[2][0]))
    assert audit.here() == "area-2"
    assert page.evaluate("document.activeElement.id") == f"fg-{area[2][0]}-r-{first_rating}"
    assert below_the_bar(audit)
    # After the last page of the audit it starts again from the first open item, on an earlier page.
    audit.go("area-5")
    for item_id in area[5]:
        page.check(f"#fg-{item_id}-r-fully")
    page.click("#fg-audit-next")
    audit.arrive(audit.item_url(area[2][0]))
    assert audit.focused_item() == area[2][0]
    # From a page without items (the overview, a step) it goes to the first open item of the audit.
    audit.rate(area[2][0], "partly")
    for where in (OVERVIEW, "profile"):
        audit.go(where)
        page.click("#fg-audit-next")
        audit.arrive(audit.item_url(area[2][1]))
        assert page.evaluate("document.activeElement.id") == f"fg-{area[2][1]}-r-{first_rating}"


@pytest.mark.parametrize("width", [1280, 320])
def test_a_field_reached_backwards_with_the_keyboard_is_not_hidden_under_the_bar(browser, service, width):
    """WCAG 2.4.11: the sticky bar never covers the focused field, nor an item a link or the
    "next unanswered" button brings into view, on the same page or on another."""
    tab = Audit(browser, service, viewport={"width": width, "height": 700})
    try:
        page = tab.page
        tab.go("area-1")
        notes = page.evaluate(
            "[...document.querySelectorAll('.fg-audit-item textarea[data-part=notes]')].slice(5, 7).map(e => e.id)"
        )
        # Scroll so that the notes field is just above the bar's lower edge, focus the next control, go back.
        page.evaluate(
            """id => { const t = document.getElementById(id);
            window.scrollTo(0, t.getBoundingClientRect().bottom + window.scrollY - 60);
            const all = [...document.querySelectorAll('input, textarea, select, button, a[href]')].filter(e => e.offsetParent);
            all[all.indexOf(t) + 1].focus({preventScroll: true}); }""",
            notes[0],
        )
        page.keyboard.press("Shift+Tab")
        place = "() => [document.activeElement.id, document.activeElement.getBoundingClientRect().top, document.getElementById('fg-audit-bar').getBoundingClientRect().bottom]"
        focused, top, bar_bottom = page.evaluate(place)
        assert focused == notes[0] and top >= bar_bottom
        page.click("#fg-audit-next")
        assert below_the_bar(tab)
        # A critical gap's link on the overview lands on its item, on its theory area's page, below the bar.
        tab.go(OVERVIEW)
        tab.follow(page.locator("#fg-audit-gaps a[href$='#fg-item-safety-risk-procedure']"))
        assert tab.here() == "area-2" and tab.focused_item() == "safety-risk-procedure"
        assert below_the_bar(tab)
        assert tab.outside() == [] and tab.errors == []
    finally:
        tab.close()


def test_unanswered_critical_items_are_links_to_them(audit, data):
    critical = [i["id"] for i in data["items"] if i["critical"] and not i["applies_if"]]
    links = audit.page.locator("#fg-audit-unanswered-critical a")
    assert links.count() >= len(critical)
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    # Each links to the item on its theory area's page.
    assert all(audit.item_url(item) in hrefs for item in critical)
    last = links.nth(links.count() - 1)
    item = last.get_attribute("href").split("#fg-item-")[1]
    audit.follow(last)
    assert audit.here() == audit.item_step[item]
    first_rating = data["scale"][0]["id"]
    assert audit.page.evaluate("document.activeElement.id") == f"fg-{item}-r-{first_rating}"


def test_owner_due_target_and_evidence_appear_once_the_item_is_rated(audit, data):
    page = audit.page
    item = data["items"][0]["id"]
    audit.at_item(item)
    assert not page.is_visible(f"#fg-{item}-owner") and not page.is_visible(f"#fg-{item}-evidence")
    page.check(f"#fg-{item}-r-fully")
    assert page.is_visible(f"#fg-{item}-evidence") and not page.is_visible(f"#fg-{item}-owner")
    page.check(f"#fg-{item}-r-partly")
    assert page.is_visible(f"#fg-{item}-owner") and page.is_visible(f"#fg-{item}-target")
    page.fill(f"#fg-{item}-evidence", "Moderation policy v3\n  \nhttps://example.org/minutes")
    page.select_option(f"#fg-{item}-target", "fully")
    page.fill(f"#fg-{item}-target-date", "2027-06-30")
    saved = audit.saved()["answers"][item]
    assert saved["evidence"] == ["Moderation policy v3", "https://example.org/minutes"]
    assert saved["target"] == {"rating": "fully", "date": "2027-06-30"}
    # On another visit to the page, all of it is there again.
    audit.go(OVERVIEW)
    audit.at_item(item)
    assert page.input_value(f"#fg-{item}-target-date") == "2027-06-30"
    assert page.is_visible(f"#fg-{item}-owner")


# -- check your answers ------------------------------------------------------------------------------------


def test_check_your_answers_lists_what_is_open_with_links_and_the_pdf_is_still_made(audit, data):
    page = audit.page
    audit.fill()
    audit.rate("safety-risk-procedure", "planned")  # a critical gap with no owner and no date
    entered = copy.deepcopy(ENTERED)
    entered["answers"]["safety-risk-procedure"] = {"rating": "planned"}
    audit.go("check")
    check = page.inner_text("#fg-audit-check")
    result = score(data, entered)
    assert f"Not answered yet ({len(result['unanswered'])})" in check
    assert "the report will say the audit is incomplete" in check
    # The critical gap has an owner but a due date is also given; the N/A reason is shown for checking.
    na_item = next(i for i, a in ENTERED["answers"].items() if a["rating"] == "not-applicable")
    assert ENTERED["answers"][na_item]["reason"] in check
    # Each entry links to its item on the item's own page.
    link = page.locator(f"#fg-audit-check a[href='{audit.item_url(result['unanswered'][0])}']")
    assert link.count() == 1
    gap = page.locator(f"[data-check='gaps'] a[href='{audit.item_url('safety-risk-procedure')}']")
    assert gap.count() == 1
    assert "(planned; no owner, no date)" in page.inner_text("[data-check='gaps']")
    assert (
        page.locator("[data-check='gaps'] a[href$='#fg-item-safety-crisis-signposting']").count() == 0
    )  # has both
    with page.expect_download() as info:
        page.click("#fg-audit-report")
    pdf = PdfReader(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert "Incomplete" in pdf.pages[0].extract_text()
    # The links work: the gap's item, on the second theory area's page, with its rating to hand.
    audit.follow(gap)
    assert audit.here() == "area-2" and audit.focused_item() == "safety-risk-procedure"
    page.fill("#fg-safety-risk-procedure-owner", "Clinical lead")
    page.fill("#fg-safety-risk-procedure-due", "2026-12-31")
    audit.go("check")
    assert page.is_hidden("[data-check='gaps']")
    audit.follow(link)
    assert audit.here() == audit.item_step[result["unanswered"][0]]
    assert audit.focused_item() == result["unanswered"][0]


# -- messages, YAML import ---------------------------------------------------------------------------------


def test_a_yaml_answers_file_imports_like_json(audit, data):
    # The YAML reader is not part of the page: it is added when a YAML file is imported, and not for JSON.
    loaded = (
        "() => [window.jsyaml !== undefined, document.querySelectorAll('script[src*=\"js-yaml\"]').length]"
    )
    assert audit.page.evaluate(loaded) == [False, 0]
    audit.import_file("northbrook-2026.json", json.dumps(yaml.safe_load(EXAMPLE)).encode())
    audit.message()
    assert audit.page.evaluate(loaded) == [False, 0]
    audit.page.evaluate("localStorage.clear()")
    audit.reload()
    audit.import_file("northbrook-2026.yaml", EXAMPLE)
    message = audit.message()
    assert message.startswith("Done: Answers imported") or message.startswith("Warning: Answers imported")
    saved = audit.saved()
    expected = yaml.safe_load(EXAMPLE)
    assert saved["organisation"] == expected["organisation"]
    assert (
        saved["answers"]["safety-risk-procedure"]["evidence"]
        == expected["answers"]["safety-risk-procedure"]["evidence"]
    )
    assert saved["date"] == "2026-10-14"  # a date stays text, as the command line reads it
    # The item's page shows what was imported.
    audit.at_item("safety-risk-procedure")
    assert audit.page.input_value("#fg-safety-risk-procedure-evidence") == "\n".join(
        expected["answers"]["safety-risk-procedure"]["evidence"]
    )


def test_import_errors_name_every_bad_item_and_value_in_plain_words(audit, data, guidance):
    doc = yaml.safe_load(EXAMPLE)
    doc["answers"]["safety-anonymity"]["rating"] = "mostly"
    doc["answers"]["efficacy-search-and-tags"]["due"] = "next spring"
    del doc["guidance_version"]
    audit.import_file("broken.yaml", yaml.safe_dump(doc).encode())
    message = audit.message()
    assert message.startswith("Error: “broken.yaml” was not imported")
    assert audit.page.get_attribute("#fg-audit-message", "data-kind") == "error"
    assert "Guidance version: This is missing from the file." in message
    # The schema problems come first (as in Python); fixing them shows the rest.
    doc["guidance_version"] = data["guidance_version"]
    doc["answers"]["efficacy-search-and-tags"]["due"] = "2027-01-31"
    audit.import_file("broken.yaml", yaml.safe_dump(doc).encode())
    message = audit.message()
    title = guidance.item_by_id["safety-anonymity"].title  # named as on its page
    assert f"Item “{title}”, rating: 'mostly' is not a rating." in message
    # An anchor is refused, as the command line refuses it.
    audit.import_file("anchors.yaml", b"format: &f forumguide-answers/1\nother: *f\n")
    assert "anchors and aliases" in audit.message()
    assert audit.saved() is None


def test_messages_say_their_kind_in_words_not_colour_alone(audit):
    audit.import_file("empty.json", b"")
    assert audit.message().startswith("Error:")
    audit.import_file("northbrook-2026.yaml", EXAMPLE)
    assert re.match(r"(Done|Warning): ", audit.message())
    # The message is at the top of the overview, above the step list.
    top = audit.page.evaluate(
        "document.getElementById('fg-audit-message').getBoundingClientRect().top + window.scrollY"
    )
    tasks = audit.page.evaluate(
        "document.getElementById('fg-tasks').getBoundingClientRect().top + window.scrollY"
    )
    assert top < tasks


# -- last year's audit ---------------------------------------------------------------------------------------


def test_last_years_audit_is_kept_beside_this_years_and_sent_with_the_report(audit, data):
    page = audit.page
    audit.import_file("northbrook-2026.yaml", EXAMPLE)
    audit.message()
    audit.choose_files("#fg-audit-previous-load", [("northbrook-2025.yaml", PREVIOUS)])
    assert "Last audit loaded" in audit.message()
    assert audit.saved()["date"] == "2026-10-14"  # this year's answers are untouched
    before = score(data, yaml.safe_load(PREVIOUS))["overall"]["display"]
    assert f"score {before}%" in page.inner_text("#fg-audit-previous-status")
    assert "Since your last audit" in page.inner_text("#fg-audit-change")
    # Each item's page shows last year's rating beside this year's.
    old = yaml.safe_load(PREVIOUS)["answers"]["safety-risk-procedure"]["rating"]
    label = next(r["label"] for r in data["scale"] if r["id"] == old)
    audit.at_item("safety-risk-procedure")
    previous = "#fg-item-safety-risk-procedure [data-role='previous']"
    assert f": {label}." in page.inner_text(previous)
    # It survives a reload, and the report request (from the check step) carries both audits.
    audit.reload()
    assert f": {label}." in page.inner_text(previous)
    audit.go(OVERVIEW)
    assert "Last audit loaded" in page.inner_text("#fg-audit-previous-status")
    audit.go("check")
    with page.expect_request("**/api/report") as request, page.expect_download() as info:
        page.click("#fg-audit-report")
    body = json.loads(request.value.post_data)
    assert set(body) == {"current", "previous"} and body["previous"]["date"] == "2025-10-09"
    text = PdfReader(io.BytesIO(Path(info.value.path()).read_bytes())).pages[0].extract_text()
    assert "Since the audit of 9 October 2025" in text
    audit.go(OVERVIEW)
    page.click("#fg-audit-previous-remove")
    assert page.inner_text("#fg-audit-previous-status") == "No previous audit loaded."
    assert page.is_hidden("#fg-audit-change")
    audit.at_item("safety-risk-procedure")
    assert page.is_hidden(previous)


# -- a team's files combined ------------------------------------------------------------------------------


def _team() -> list[tuple[str, bytes]]:
    base = yaml.safe_load(EXAMPLE)
    priya, tom = copy.deepcopy(base), copy.deepcopy(base)
    priya["assessors"], tom["assessors"] = ["Priya Shah"], ["Tom Okafor"]
    tom["answers"]["safety-anonymity"]["rating"] = "planned"
    tom["answers"]["efficacy-search-and-tags"]["rating"] = "dont-know"
    return [("priya.yaml", yaml.safe_dump(priya).encode()), ("tom.json", json.dumps(tom).encode())]


def _load_everything(tab: Audit) -> None:
    """On the overview: this year's answers, last year's beside them, and a team's files combined with
    the disagreements left to settle (shown, not yet used)."""
    tab.import_file("northbrook-2026.yaml", EXAMPLE)
    tab.message()
    tab.choose_files("#fg-audit-previous-load", [("northbrook-2025.yaml", PREVIOUS)])
    tab.message()
    tab.page.check("#fg-audit-rule-unresolved")
    tab.choose_files("#fg-audit-merge-load", _team())
    tab.page.wait_for_selector("#fg-audit-merge-result:not([hidden])")


def _use_combined(tab: Audit) -> None:
    """Use the combined answers in place of answers already there: only once the person confirms."""
    tab.page.click("#fg-audit-merge-result >> text=Use the combined answers")
    tab.page.wait_for_selector("#fg-audit-dialog[open]")
    tab.page.click("#fg-audit-dialog-yes")
    tab.page.wait_for_selector("#fg-audit-merge-result", state="hidden")


@pytest.mark.parametrize("rule", ["lowest", "unresolved"])
def test_a_teams_files_are_combined_with_every_disagreement_shown(audit, data, guidance, rule):
    page = audit.page
    page.check(f"#fg-audit-rule-{rule}")
    audit.choose_files("#fg-audit-merge-load", _team())
    page.wait_for_selector("#fg-audit-merge-result:not([hidden])")
    shown = page.inner_text("#fg-audit-merge-result")
    assert "Combined 2 files: 2 disagreements" in shown
    title = guidance.item_by_id["safety-anonymity"].title
    rating = yaml.safe_load(EXAMPLE)["answers"]["safety-anonymity"]["rating"]
    label = next(r["label"] for r in data["scale"] if r["id"] == rating).lower()
    assert f"{title} — Priya Shah: {label}; Tom Okafor: planned" in shown
    page.click("#fg-audit-merge-result >> text=Use the combined answers")
    page.wait_for_selector("#fg-audit-merge-result", state="hidden")
    saved = audit.saved()
    assert saved["assessors"] == ["Priya Shah", "Tom Okafor"]
    assert saved["merge"]["rule"] == rule
    if rule == "lowest":
        assert saved["answers"]["safety-anonymity"]["rating"] == "planned"
        assert saved["answers"]["efficacy-search-and-tags"]["rating"] == "dont-know"
    else:
        assert "rating" not in saved["answers"]["safety-anonymity"]
        audit.go("check")
        assert "Disagreements still to settle (2)" in page.inner_text("#fg-audit-check")
        audit.rate("safety-anonymity", "partly")  # settled together
        audit.go("check")
        assert "Disagreements still to settle (1)" in page.inner_text("#fg-audit-check")
    audit.at_item("safety-anonymity")
    assert "The assessors disagreed: Priya Shah" in page.inner_text(
        "#fg-item-safety-anonymity [data-role='disputed']"
    )


def test_a_bad_file_in_a_team_is_named_and_nothing_changes(audit):
    files = _team() + [("carol.json", b'{"format": "forumguide-answers/1"}')]
    audit.choose_files("#fg-audit-merge-load", files)
    message = audit.message()
    assert message.startswith("Error: The files were not combined") and "“carol.json”" in message
    assert audit.saved() is None


# -- accessibility and small screens ---------------------------------------------------------------------


def _axe(tab: Audit) -> list[tuple]:
    tab.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return axe_violations(tab.page)


@pytest.mark.skipif(not AXE.exists(), reason="needs npm's axe-core (scripts/setup --test installs it)")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_wcag_violations_with_every_new_part_showing(browser, service, scheme):
    tab = Audit(browser, service, color_scheme=scheme)
    try:
        _load_everything(tab)
        assert _axe(tab) == []
        # The combined answers in use: the check step listing the open disagreements, and an item's page
        # with its disagreement and last year's rating.
        _use_combined(tab)
        tab.go("check")
        tab.page.wait_for_selector("[data-check='disputed']:not([hidden])")
        assert _axe(tab) == [], "check"
        tab.at_item("safety-anonymity")
        tab.page.wait_for_selector("#fg-item-safety-anonymity [data-role='disputed']:not([hidden])")
        tab.page.wait_for_selector("#fg-item-safety-anonymity [data-role='previous']:not([hidden])")
        assert _axe(tab) == [], "items"
        # An error summary at the top of the overview, in the same scheme.
        tab.import_file(
            "broken.yaml", b"format: forumguide-answers/1\nanswers: {safety-anonymity: {rating: mostly}}\n"
        )
        assert tab.message().startswith("Error:")
        assert _axe(tab) == [], "error"
        assert tab.outside() == [] and tab.errors == []
    finally:
        tab.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_horizontal_scrolling_at_320px_with_the_bar_check_and_team_parts(browser, service, scheme):
    tab = Audit(browser, service, viewport={"width": 320, "height": 640}, color_scheme=scheme)
    try:
        _load_everything(tab)
        widths = {"merge": tab.page.evaluate("document.documentElement.scrollWidth")}
        _use_combined(tab)
        for where in ("check", tab.item_step["safety-anonymity"]):
            tab.go(where)
            widths[where] = tab.page.evaluate("document.documentElement.scrollWidth")
            assert tab.page.locator("#fg-audit-next").is_visible(), where
        assert {where: width for where, width in widths.items() if width > 320} == {}
        assert tab.outside() == [] and tab.errors == []
    finally:
        tab.close()


# -- the whole flow (the "done when") ---------------------------------------------------------------


def _assessor_file(name: str, changes: dict[str, str]) -> dict:
    doc = yaml.safe_load(EXAMPLE)
    doc["assessors"] = [name]
    for item_id, rating in changes.items():
        doc["answers"][item_id] = {"rating": rating}
    return doc


@pytest.mark.slow
def test_a_team_of_three_audits_in_separate_browsers_merges_settles_compares_and_prints_page_one(
    browser, service, data, guidance
):
    """Three assessors each complete the audit in their own browser (separate contexts: separate storage)
    and export; the first combines the three files on the overview, settles the disagreements from the
    check step's links to the items' pages, loads last year's audit and downloads the board pack, whose
    first page says what the board must decide."""
    priya_name, tom_name, helen_name = yaml.safe_load(EXAMPLE)["assessors"]
    team = {
        priya_name: _assessor_file(priya_name, {}),
        tom_name: _assessor_file(tom_name, {"safety-anonymity": "planned"}),
        helen_name: _assessor_file(helen_name, {"efficacy-search-and-tags": "partly"}),
    }
    tabs = {name: Audit(browser, service) for name in team}
    try:
        exported = []
        for name, doc in team.items():
            tab = tabs[name]
            tab.fill(doc)
            assert tab.page.inner_text("#fg-audit-saved").startswith("Saved")
            file_name, text = tab.export()
            assert json.loads(text)["assessors"] == [name]
            exported.append((name.split()[0].lower() + ".json", text.encode()))
        # Each browser kept its own answers only.
        assert [tabs[n].saved()["assessors"] for n in team] == [[n] for n in team]

        lead = tabs[priya_name]
        page = lead.page
        lead.go(OVERVIEW)
        page.check("#fg-audit-rule-unresolved")
        lead.choose_files("#fg-audit-merge-load", exported)
        page.wait_for_selector("#fg-audit-merge-result:not([hidden])")
        shown = page.inner_text("#fg-audit-merge-result")
        assert "Combined 3 files: 2 disagreements" in shown
        assert f"{tom_name}: planned" in shown and f"{helen_name}: partly in place" in shown
        _use_combined(lead)  # Priya's own answers are replaced only when she says so
        assert lead.saved()["assessors"] == list(team)

        # Settling: the check step lists the two open disagreements, each a link to its item's page.
        lead.go("check")
        assert "Disagreements still to settle (2)" in page.inner_text("#fg-audit-check")
        agreed = {"safety-anonymity": "partly", "efficacy-search-and-tags": "fully"}
        for item_id, rating in agreed.items():
            lead.follow(page.locator(f"[data-check='disputed'] a[href='{lead.item_url(item_id)}']"))
            assert lead.focused_item() == item_id
            page.check(f"#fg-{item_id}-r-{rating}")
            lead.go("check")
        assert page.locator("[data-check='disputed'] a").count() == 0
        assert page.is_hidden("[data-check='disputed']")
        assert "Disagreements still to settle" not in page.inner_text("#fg-audit-check")

        # Last year's audit, beside this year's.
        lead.go(OVERVIEW)
        lead.choose_files("#fg-audit-previous-load", [("northbrook-2025.yaml", PREVIOUS)])
        assert "Last audit loaded" in lead.message()
        settled = lead.saved()
        assert {i: settled["answers"][i]["rating"] for i in agreed} == agreed
        assert settled["merge"]["rule"] == "unresolved" and len(settled["merge"]["disagreements"]) == 2

        lead.go("check")
        with page.expect_download() as info:
            page.click("#fg-audit-report")
        pdf = PdfReader(io.BytesIO(Path(info.value.path()).read_bytes()))
        first = re.sub(r"\s+", " ", pdf.pages[0].extract_text())
        now, before = score(data, settled), score(data, yaml.safe_load(PREVIOUS))
        assert now["complete"] and "Incomplete" not in first
        assert "; ".join(team) in first  # three people, not six names and roles
        assert f"{now['overall']['display']}% {now['band']['label']}" in first
        assert (
            f"Since the audit of 9 October 2025: {before['overall']['display']}% → {now['overall']['display']}%"
            in first
        )
        assert f"Critical gaps ({len(now['critical_gaps'])})" in first
        for item_id in now["critical_gaps"]:
            assert guidance.item_by_id[item_id].title in first
        decisions = first[first.index("Decisions for the board") :]
        assert "critical gap" in decisions and "Accept or fund the top priority actions." in decisions
        assert re.search(r"page 1 of \d+", first)
        rest = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pdf.pages[1:]))
        assert "Where the assessors disagreed" in rest
        title = guidance.item_by_id["safety-anonymity"].title
        assert re.search(
            rf"{re.escape(title)} — .*{re.escape(tom_name)}: planned.*Settled as partly in place", rest
        )
        for tab in tabs.values():
            assert tab.outside() == [] and tab.errors == []
    finally:
        for tab in tabs.values():
            tab.close()
