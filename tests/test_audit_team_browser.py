"""The online audit as a task list, with a check before the report, typed messages, YAML import, last
year's audit beside this year's, and a team's files combined: in Debian's chromium, on the real built
site and the real report service. Every test also checks that no request leaves 127.0.0.1."""

from __future__ import annotations

import copy
import io
import json
import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from test_audit_browser import ENTERED, Audit

from forumguide.audit.scoring import score, scoring_data
from forumguide.server import Limits

from browser import AXE, CHROMIUM, WCAG_TAGS
from conftest import ROOT, RunningServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]

EXAMPLE = (ROOT / "examples" / "northbrook-2026.yaml").read_bytes()
PREVIOUS = (ROOT / "examples" / "northbrook-2025.yaml").read_bytes()


@pytest.fixture(scope="module")
def service(browser, built_site) -> str:
    with RunningServer(Limits(workers=1), built_site) as url:
        yield url


@pytest.fixture
def audit(browser, service):
    tab = Audit(browser, service)
    yield tab
    outside, errors = tab.outside(), tab.errors
    tab.close()
    assert outside == [], "requests left 127.0.0.1"
    assert errors == [], "script errors on the page"


@pytest.fixture(scope="module")
def data(guidance) -> dict:
    return scoring_data(guidance)


def choose_files(audit: Audit, button: str, files: list[tuple[str, bytes]]) -> None:
    audit.page.evaluate(
        "() => { const m = document.getElementById('fg-audit-message'); m.hidden = true; m.textContent = ''; }"
    )
    with audit.page.expect_file_chooser() as chooser:
        audit.page.click(button)
    chooser.value.set_files(
        [{"name": n, "mimeType": "application/octet-stream", "buffer": b} for n, b in files]
    )


def tag(audit: Audit, task: str) -> str:
    return audit.page.inner_text(f".fg-audit-tasks [data-task='{task}']")


# -- the task list ---------------------------------------------------------------------------------------


def test_each_step_shows_its_status_in_the_task_list_and_at_the_top_of_its_area(audit, data):
    page = audit.page
    assert tag(audit, "about") == "Not started" and tag(audit, "area-1") == "Not started"
    page.fill("#fg-audit-organisation", "Riverside Wellbeing Trust")
    page.wait_for_function(
        "document.querySelector(\".fg-audit-tasks [data-task='about']\").textContent === 'In progress'"
    )
    area_one = [i["id"] for i in data["items"] if i["theory_area"] == 1]
    page.check(f"#fg-{area_one[0]}-r-partly")
    assert tag(audit, "area-1") == "In progress"
    assert (
        page.inner_text("#fg-area-self-efficacy ~ .fg-audit-area-status [data-task='area-1']")
        == "In progress"
    )
    for question in data["profile"]:
        page.check(f"#fg-audit-profile-{question['id']}-{question['options'][0]['id']}")
    assert tag(audit, "profile") == "Complete"
    result = score(data, {"profile": audit.saved()["profile"], "answers": {}})
    for item_id in area_one:
        if item_id not in result["not_in_profile"]:
            page.check(f"#fg-{item_id}-r-fully")
    assert tag(audit, "area-1") == "Complete"
    assert tag(audit, "area-2") == "Not started"


def test_the_bar_stays_in_view_and_next_unanswered_moves_to_the_next_open_item(audit, data):
    page = audit.page
    first, second, third = (i["id"] for i in data["items"][:3])
    page.check(f"#fg-{first}-r-partly")
    page.click("#fg-audit-next")
    focused = page.evaluate("document.activeElement.closest('.fg-audit-item').dataset.item")
    assert focused == second
    page.check(f"#fg-{second}-r-fully")
    page.click("#fg-audit-next")
    assert page.evaluate("document.activeElement.closest('.fg-audit-item').dataset.item") == third
    # Far down the page the bar is still on screen, saying what is saved.
    page.evaluate("document.getElementById('fg-check').scrollIntoView()")
    box = page.locator("#fg-audit-bar").bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]
    assert page.inner_text("#fg-audit-saved").startswith("Saved")
    assert page.inner_text("#fg-audit-progress-text").startswith("2 of ")


@pytest.mark.parametrize("width", [1280, 320])
def test_a_field_reached_backwards_with_the_keyboard_is_not_hidden_under_the_bar(browser, service, width):
    """WCAG 2.4.11: the sticky bar never covers the focused field, nor an item a link or the
    "next unanswered" button brings into view."""
    tab = Audit(browser, service, viewport={"width": width, "height": 700})
    try:
        page = tab.page
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
        box = page.evaluate("document.activeElement.closest('.fg-audit-item').getBoundingClientRect().top")
        assert box >= page.evaluate("document.getElementById('fg-audit-bar').getBoundingClientRect().bottom")
        assert tab.outside() == [] and tab.errors == []
    finally:
        tab.close()


def test_unanswered_critical_items_are_links_to_them(audit, data):
    critical = [i["id"] for i in data["items"] if i["critical"] and not i["applies_if"]]
    links = audit.page.locator("#fg-audit-unanswered-critical a")
    assert links.count() >= len(critical)
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert all(f"#fg-item-{item}" in hrefs for item in critical)


def test_owner_due_target_and_evidence_appear_once_the_item_is_rated(audit, data):
    page = audit.page
    item = data["items"][0]["id"]
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


# -- check your answers ------------------------------------------------------------------------------------


def test_check_your_answers_lists_what_is_open_with_links_and_the_pdf_is_still_made(audit, data):
    page = audit.page
    audit.fill()
    page.check("#fg-safety-risk-procedure-r-planned")  # a critical gap with no owner and no date
    entered = copy.deepcopy(ENTERED)
    entered["answers"]["safety-risk-procedure"] = {"rating": "planned"}
    check = page.inner_text("#fg-audit-check")
    result = score(data, entered)
    assert f"Not answered yet ({len(result['unanswered'])})" in check
    assert "the report will say the audit is incomplete" in check
    # The critical gap has an owner but a due date is also given; the N/A reason is shown for checking.
    na_item = next(i for i, a in ENTERED["answers"].items() if a["rating"] == "not-applicable")
    assert ENTERED["answers"][na_item]["reason"] in check
    link = page.locator(f"#fg-audit-check a[href='#fg-item-{result['unanswered'][0]}']")
    assert link.count() == 1
    assert page.locator("[data-check='gaps'] a[href='#fg-item-safety-risk-procedure']").count() == 1
    assert "(planned; no owner, no date)" in page.inner_text("[data-check='gaps']")
    assert (
        page.locator("[data-check='gaps'] a[href='#fg-item-safety-crisis-signposting']").count() == 0
    )  # has both
    with page.expect_download() as info:
        page.click("#fg-audit-report")
    pdf = PdfReader(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert "Incomplete" in pdf.pages[0].extract_text()


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


def test_import_errors_name_every_bad_item_and_value_in_plain_words(audit, data):
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
    title = audit.page.inner_text("#fg-item-safety-anonymity-title")
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
    # The message is at the top of the audit, above the step list.
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
    choose_files(audit, "#fg-audit-previous-load", [("northbrook-2025.yaml", PREVIOUS)])
    assert audit.message().startswith("Done: Last audit loaded") or "Last audit loaded" in audit.message()
    assert audit.saved()["date"] == "2026-10-14"  # this year's answers are untouched
    before = score(data, yaml.safe_load(PREVIOUS))["overall"]["display"]
    assert f"score {before}%" in page.inner_text("#fg-audit-previous-status")
    assert "Since your last audit" in page.inner_text("#fg-audit-change")
    old = yaml.safe_load(PREVIOUS)["answers"]["safety-risk-procedure"]["rating"]
    label = next(r["label"] for r in data["scale"] if r["id"] == old)
    assert f": {label}." in page.inner_text("#fg-item-safety-risk-procedure [data-role='previous']")
    # It survives a reload, and the report request carries both audits.
    audit.reload()
    assert "Last audit loaded" in page.inner_text("#fg-audit-previous-status")
    with page.expect_request("**/api/report") as request, page.expect_download() as info:
        page.click("#fg-audit-report")
    body = json.loads(request.value.post_data)
    assert set(body) == {"current", "previous"} and body["previous"]["date"] == "2025-10-09"
    text = PdfReader(io.BytesIO(Path(info.value.path()).read_bytes())).pages[0].extract_text()
    assert "Since the audit of 9 October 2025" in text
    page.click("#fg-audit-previous-remove")
    assert page.inner_text("#fg-audit-previous-status") == "No previous audit loaded."


# -- a team's files combined ------------------------------------------------------------------------------


def _team() -> list[tuple[str, bytes]]:
    base = yaml.safe_load(EXAMPLE)
    priya, tom = copy.deepcopy(base), copy.deepcopy(base)
    priya["assessors"], tom["assessors"] = ["Priya Shah"], ["Tom Okafor"]
    tom["answers"]["safety-anonymity"]["rating"] = "planned"
    tom["answers"]["efficacy-search-and-tags"]["rating"] = "dont-know"
    return [("priya.yaml", yaml.safe_dump(priya).encode()), ("tom.json", json.dumps(tom).encode())]


@pytest.mark.parametrize("rule", ["lowest", "unresolved"])
def test_a_teams_files_are_combined_with_every_disagreement_shown(audit, data, rule):
    page = audit.page
    page.check(f"#fg-audit-rule-{rule}")
    choose_files(audit, "#fg-audit-merge-load", _team())
    page.wait_for_selector("#fg-audit-merge-result:not([hidden])")
    shown = page.inner_text("#fg-audit-merge-result")
    assert "Combined 2 files: 2 disagreements" in shown
    title = page.inner_text("#fg-item-safety-anonymity-title")
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
        assert "Disagreements still to settle (2)" in page.inner_text("#fg-audit-check")
        page.check("#fg-safety-anonymity-r-partly")  # settled together
        assert "Disagreements still to settle (1)" in page.inner_text("#fg-audit-check")
    assert "The assessors disagreed: Priya Shah" in page.inner_text(
        "#fg-item-safety-anonymity [data-role='disputed']"
    )


def test_a_bad_file_in_a_team_is_named_and_nothing_changes(audit):
    files = _team() + [("carol.json", b'{"format": "forumguide-answers/1"}')]
    choose_files(audit, "#fg-audit-merge-load", files)
    message = audit.message()
    assert message.startswith("Error: The files were not combined") and "“carol.json”" in message
    assert audit.saved() is None


# -- accessibility and small screens ---------------------------------------------------------------------


@pytest.mark.skipif(not AXE.exists(), reason="needs npm's axe-core (scripts/setup --test installs it)")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_wcag_violations_with_every_new_part_showing(browser, service, scheme):
    tab = Audit(browser, service, color_scheme=scheme)
    try:
        tab.import_file("northbrook-2026.yaml", EXAMPLE)
        tab.message()
        choose_files(tab, "#fg-audit-previous-load", [("northbrook-2025.yaml", PREVIOUS)])
        tab.message()
        tab.page.check("#fg-audit-rule-unresolved")
        choose_files(tab, "#fg-audit-merge-load", _team())
        tab.page.wait_for_selector("#fg-audit-merge-result:not([hidden])")
        tab.page.add_script_tag(path=str(AXE))
        run = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations)"
        found = tab.page.evaluate(run, WCAG_TAGS)
        assert found == [], json.dumps(
            [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found], indent=1
        )
        # An error summary at the top, with the check step listing open items, in the same scheme.
        tab.page.click("#fg-audit-merge-result >> text=Use the combined answers")
        tab.page.wait_for_selector("#fg-audit-dialog[open]")
        tab.page.click("#fg-audit-dialog-yes")
        tab.page.wait_for_selector("[data-check='disputed']:not([hidden])")
        tab.import_file(
            "broken.yaml", b"format: forumguide-answers/1\nanswers: {safety-anonymity: {rating: mostly}}\n"
        )
        assert tab.message().startswith("Error:")
        found = tab.page.evaluate(run, WCAG_TAGS)
        assert found == [], json.dumps(
            [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found], indent=1
        )
        assert tab.outside() == [] and tab.errors == []
    finally:
        tab.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_horizontal_scrolling_at_320px_with_the_bar_check_and_team_parts(browser, service, scheme):
    tab = Audit(browser, service, viewport={"width": 320, "height": 640}, color_scheme=scheme)
    try:
        tab.import_file("northbrook-2026.yaml", EXAMPLE)
        tab.message()
        choose_files(tab, "#fg-audit-merge-load", _team())
        tab.page.wait_for_selector("#fg-audit-merge-result:not([hidden])")
        width = tab.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320
        assert tab.page.locator("#fg-audit-next").is_visible()
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
    and export; the first combines the three files, settles the disagreements, loads last year's audit
    and downloads the board pack, whose first page says what the board must decide."""
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
        page.check("#fg-audit-rule-unresolved")
        choose_files(lead, "#fg-audit-merge-load", exported)
        page.wait_for_selector("#fg-audit-merge-result:not([hidden])")
        shown = page.inner_text("#fg-audit-merge-result")
        assert "Combined 3 files: 2 disagreements" in shown
        assert f"{tom_name}: planned" in shown and f"{helen_name}: partly in place" in shown
        page.click("#fg-audit-merge-result >> text=Use the combined answers")
        page.wait_for_selector(
            "#fg-audit-dialog[open]"
        )  # Priya's own answers are replaced only when she says so
        page.click("#fg-audit-dialog-yes")
        page.wait_for_selector("#fg-audit-merge-result", state="hidden")
        assert lead.saved()["assessors"] == list(team)

        # Settling: the check step lists the two open disagreements, each a link to its item.
        disputed = page.locator("[data-check='disputed'] a")
        assert "Disagreements still to settle (2)" in page.inner_text("#fg-audit-check")
        agreed = {"safety-anonymity": "partly", "efficacy-search-and-tags": "fully"}
        for item_id, rating in agreed.items():
            page.click(f"[data-check='disputed'] a[href='#fg-item-{item_id}']")
            page.check(f"#fg-{item_id}-r-{rating}")
        assert disputed.count() == 0 and page.is_hidden("[data-check='disputed']")
        assert "Disagreements still to settle" not in page.inner_text("#fg-audit-check")

        # Last year's audit, beside this year's.
        choose_files(lead, "#fg-audit-previous-load", [("northbrook-2025.yaml", PREVIOUS)])
        assert "Last audit loaded" in lead.message()
        settled = lead.saved()
        assert {i: settled["answers"][i]["rating"] for i in agreed} == agreed
        assert settled["merge"]["rule"] == "unresolved" and len(settled["merge"]["disagreements"]) == 2

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
