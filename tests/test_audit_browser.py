"""The online self-audit in Debian's chromium: the real built site, served by the real app.

A person describes the forum and rates some items, page by page (the overview, then one page per step),
sees the live scores (equal to Python's), reloads, exports, starts again, imports, is refused a damaged
or foreign file, and downloads the board report. On a static host the PDF button explains the command
line and offers a printable summary instead. Every test also checks that no request leaves 127.0.0.1.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from forumguide.audit.answers import read_answers_text
from forumguide.records.yamlsource import MAX_FILE_BYTES

from audit_pages import (  # noqa: F401 (fixtures)
    ENTERED,
    OVERVIEW,
    Audit,
    audit,
    axe_violations,
    data,
    python_score,
    service,
    static_host,
)
from browser import AXE, CHROMIUM
from conftest import ROOT

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (CI installs it)"
)


# -- live scores -----------------------------------------------------------------------------------------


def test_live_scores_equal_the_python_score(audit, data):
    audit.fill()
    expected = python_score(data, ENTERED)
    in_page = audit.page.evaluate("""() => forumguideScore.score(
        JSON.parse(document.getElementById('fg-audit-data').textContent),
        JSON.parse(localStorage.getItem('forumguide-audit-answers')))""")
    assert in_page == expected
    audit.go(OVERVIEW)
    overall = audit.page.inner_text("#fg-audit-score-overall")
    # Six answers are far from the 90 % needed for a band: the page says so and gives the range.
    assert expected["band"] is None
    assert overall.startswith(
        f"Incomplete: {expected['answered']} of {expected['applicable']} answered. No band until 90%"
    )
    assert f"between {expected['range']['low']}% and {expected['range']['high']}%" in overall
    for aim in ("limit-harm", "promote-benefit"):
        assert audit.page.inner_text(f"#fg-audit-score-{aim}").startswith(
            f"{expected['aims'][aim]['display']}%"
        )
    for area in expected["areas"]:
        shown = audit.page.inner_text(f'[data-area-score="{area["number"]}"] [data-role="value"]')
        assert shown.startswith(
            f"{area['display']}%" if area["display"] is not None else "No items rated yet"
        )
    applicable = len(data["items"]) - len(expected["not_in_profile"])
    answered = applicable - len(expected["unanswered"])
    assert audit.page.inner_text("#fg-audit-progress-text").startswith(
        f"{answered} of {applicable} items answered"
    )


def test_critical_gaps_are_listed_as_they_appear_and_announced_politely(audit, data):
    critical = [i["id"] for i in data["items"] if i["critical"]]
    gaps = audit.page.locator("#fg-audit-gaps li")
    assert gaps.count() == len(critical)  # unanswered safety-critical items are critical gaps from the start
    assert all(text.endswith("(not yet answered)") for text in gaps.all_inner_texts())
    crisis = audit.page.locator(
        "#fg-audit-gaps li", has=audit.page.locator('a[href$="#fg-item-safety-crisis-signposting"]')
    )
    # The overview links each gap to the item on its theory area's page.
    assert (
        crisis.locator("a").get_attribute("href")
        == audit.urls[audit.item_step["safety-crisis-signposting"]] + "#fg-item-safety-crisis-signposting"
    )

    def shown() -> str:
        audit.go(OVERVIEW)
        return crisis.inner_text()

    audit.rate("safety-crisis-signposting", "not-in-place")
    assert audit.page.get_attribute("#fg-audit-live", "aria-live") == "polite"
    audit.page.wait_for_function(
        "document.getElementById('fg-audit-live').textContent.includes('New critical gap')"
    )
    assert shown().endswith("(not in place)")
    assert (
        crisis.locator("a").inner_text() == "Crisis contacts on every page"
    )  # the short title, as in the report
    audit.rate("safety-crisis-signposting", "planned")
    assert shown().endswith("(planned)")  # planned: nothing in place yet, still a gap
    audit.rate("safety-crisis-signposting", "dont-know")
    assert shown().endswith("(don't know)")
    audit.rate("safety-crisis-signposting", "partly")
    audit.go(OVERVIEW)
    assert crisis.count() == 0 and gaps.count() == len(critical) - 1
    for item_id in critical:
        audit.rate(item_id, "fully")
    audit.go(OVERVIEW)
    assert gaps.count() == 0
    assert audit.page.is_visible("#fg-audit-gaps-none")


def test_safety_critical_items_offer_no_not_applicable(audit, data):
    for item in data["items"]:
        audit.at_item(item["id"])
        offered = audit.page.locator(f"#fg-{item['id']}-r-not-applicable").count()
        assert offered == (0 if item["critical"] else 1), item["id"]
        assert audit.page.locator(f"#fg-{item['id']}-r-dont-know").count() == 1


def test_a_file_marking_a_critical_item_not_applicable_is_refused(audit):
    audit.fill()
    wrong = {**ENTERED, "answers": {"safety-crisis-signposting": {"rating": "not-applicable", "reason": "x"}}}
    audit.import_file("wrong.json", json.dumps(wrong).encode())
    message = audit.message()
    assert "“wrong.json” was not imported" in message
    assert "safety-critical and applies to every forum" in message
    assert audit.saved() == ENTERED


def test_items_outside_the_profile_are_marked_as_it_changes(audit):
    # The item's page in one tab, the forum profile in another: the item follows the profile at once.
    item = "#fg-item-moderation-visible-presence"  # staff moderators on duty: not for a peer-led forum
    audit.at_item("moderation-visible-presence")
    items = audit.page
    assert not items.is_visible(f"{item} [data-role=excluded]")
    profile = audit.new_tab("profile")
    profile.check("#fg-audit-profile-moderation-peer-led")
    items.wait_for_selector(f"{item} [data-role=excluded]", state="visible")
    assert "Does not apply to your forum" in items.inner_text(f"{item} [data-role=excluded]")
    assert not items.is_visible(f"{item} [data-role=controls]")
    profile.check("#fg-audit-profile-moderation-office-hours")
    items.wait_for_selector(f"{item} [data-role=excluded]", state="hidden")
    assert items.is_visible(f"{item} [data-role=controls]")
    items.reload()
    audit.wait_until_live(items)
    assert items.is_visible(f"{item} [data-role=controls]")


def test_not_applicable_needs_a_reason_and_says_so_by_the_field(audit):
    audit.fill({**ENTERED, "answers": {}})
    audit.rate("efficacy-activity-tracked", "not-applicable")
    reason = "#fg-efficacy-activity-tracked-reason"
    assert audit.page.is_visible(reason)
    assert audit.page.get_attribute(reason, "required") is not None
    audit.go("check")
    audit.page.click("#fg-audit-export")
    assert "were not exported" in audit.message()
    link = audit.page.locator("#fg-audit-message a")
    # the message links to the field on the item's page, which shows the error and puts focus in the field
    assert link.first.get_attribute("href") == audit.urls["area-1"] + "#fg-efficacy-activity-tracked-reason"
    audit.follow(link.first)
    assert audit.here() == "area-1"
    assert audit.page.evaluate("document.activeElement.id") == "fg-efficacy-activity-tracked-reason"
    assert audit.page.get_attribute(reason, "aria-invalid") == "true"
    error_id = audit.page.get_attribute(reason, "aria-describedby")
    assert "needs one" in audit.page.inner_text(f"#{error_id}")
    audit.page.fill(reason, "We meet in person.")
    assert audit.page.get_attribute(reason, "aria-invalid") is None
    assert not audit.page.is_visible(f"#{error_id}")


# -- saving in the browser --------------------------------------------------------------------------------


def test_every_change_is_saved_at_once_and_survives_reload_and_a_new_tab(audit):
    audit.fill()
    assert audit.page.inner_text("#fg-audit-saved").startswith("Saved")
    assert audit.saved() == ENTERED
    audit.reload()
    assert audit.page.is_checked("#fg-connection-carers-space-r-planned")
    audit.go("about")
    assert audit.page.input_value("#fg-audit-organisation") == ENTERED["organisation"]
    audit.at_item("safety-crisis-signposting")
    assert audit.page.is_checked("#fg-safety-crisis-signposting-r-not-in-place")
    assert audit.page.input_value("#fg-safety-crisis-signposting-due") == "2026-09-30"
    audit.page.close()  # closing the tab keeps them too
    audit.page = audit.new_tab("area-1")
    assert (
        audit.page.input_value("#fg-efficacy-activity-tracked-reason")
        == ENTERED["answers"]["efficacy-activity-tracked"]["reason"]
    )
    audit.go("profile")
    assert audit.page.is_checked("#fg-audit-profile-audience-carers")
    assert audit.saved() == ENTERED


# -- export, start again, import -----------------------------------------------------------------------------


def test_export_downloads_a_valid_answers_file_with_what_was_entered(audit, data):
    audit.fill()
    name, text = audit.export()
    assert name == "forumguide-answers-riverside-b-peer-b-forum-2026-06-30.json"
    checked = read_answers_text(text, ROOT, data, name)
    assert checked.ok, [str(p) for p in checked.problems]
    assert json.loads(text) == ENTERED
    assert "Answers exported" in audit.message()


def test_start_again_only_after_confirmation(audit):
    audit.fill()
    audit.go(OVERVIEW)
    audit.page.click("#fg-audit-reset")
    dialog = audit.page.locator("#fg-audit-dialog")
    assert dialog.is_visible()
    assert (
        audit.page.evaluate("document.activeElement.id") == "fg-audit-dialog-no"
    )  # the safe choice has focus
    audit.page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert audit.page.evaluate("document.activeElement.id") == "fg-audit-reset"
    audit.page.click("#fg-audit-reset")
    audit.page.click("#fg-audit-dialog-no")
    assert audit.saved() == ENTERED
    audit.page.click("#fg-audit-reset")
    audit.page.click("#fg-audit-dialog-yes")
    assert audit.saved() is None
    assert audit.page.inner_text("#fg-audit-score-overall") == "No items rated yet."
    audit.go("about")
    assert audit.page.input_value("#fg-audit-organisation") == ""
    assert audit.page.input_value("#fg-audit-forum") == ""
    audit.at_item("safety-crisis-signposting")
    assert not audit.page.is_checked("#fg-safety-crisis-signposting-r-not-in-place")


def test_import_restores_an_exported_file_exactly(audit):
    audit.fill()
    _, exported = audit.export()
    audit.start_again()
    audit.import_file("answers.json", exported.encode())
    assert "Answers imported" in audit.message()
    assert audit.saved() == json.loads(exported)
    audit.go("about")
    assert audit.page.input_value("#fg-audit-assessors") == "\n".join(ENTERED["assessors"])
    audit.go("profile")
    assert audit.page.is_checked("#fg-audit-profile-anonymity-pseudonymous")
    audit.at_item("connection-carers-space")
    assert audit.page.input_value("#fg-connection-carers-space-owner") == "Carers lead"
    _, again = audit.export()
    assert again == exported


def test_importing_over_answers_asks_first(audit):
    audit.fill()
    other = {**ENTERED, "organisation": "Another Trust", "answers": {}}
    audit.import_file("other.json", json.dumps(other).encode())
    audit.page.wait_for_selector("#fg-audit-dialog[open]")
    audit.page.click("#fg-audit-dialog-no")
    assert "Nothing was imported" in audit.message()
    assert audit.saved() == ENTERED


@pytest.mark.parametrize(
    "name, content, says",
    [
        ("damaged.json", json.dumps(ENTERED)[:300].encode(), "not valid JSON"),
        ("package.json", b'{"name": "left-pad", "version": "1.3.0"}', "not a forumguide answers file"),
        # YAML is read (the YAML reader is added to the page for it), and what the file lacks is named.
        (
            "answers.yaml",
            b"format: forumguide-answers/1\n",
            "Guidance version: This is missing from the file.",
        ),
        ("broken.yaml", b"format: forumguide-answers/1\nanswers: [\n", "not valid YAML on line"),
        (
            "wrong.json",
            json.dumps(
                {
                    **ENTERED,
                    "answers": {
                        "no-such-item": {"rating": "fully"},
                        "moderation-welcome": {"rating": "not-applicable"},
                    },
                }
            ).encode(),
            "There is no checklist item 'no-such-item'",
        ),
        ("huge.json", b" " * (MAX_FILE_BYTES + 1), f"larger than {MAX_FILE_BYTES // 1000} kB"),
    ],
)
def test_a_damaged_or_foreign_file_is_refused_and_nothing_changes(audit, name, content, says):
    audit.fill()
    audit.import_file(name, content)
    message = audit.message()
    assert f"“{name}” was not imported" in message
    assert says in message
    assert "Your saved answers are unchanged" in message
    assert audit.page.evaluate("document.activeElement.id") == "fg-audit-message"
    assert audit.saved() == ENTERED
    audit.go("about")
    assert audit.page.input_value("#fg-audit-organisation") == ENTERED["organisation"]


def test_a_file_lists_every_problem(audit):
    wrong = {
        **ENTERED,
        "date": "2026-02-30",
        "answers": {"no-such-item": {"rating": "fully"}, "moderation-welcome": {"rating": "not-applicable"}},
    }
    audit.import_file("wrong.json", json.dumps({**wrong, "date": "2026-06-30"}).encode())
    message = audit.message()
    assert "no-such-item" in message and "needs a written reason" in message
    audit.import_file("date.json", json.dumps(wrong).encode())
    assert "'2026-02-30' is not a valid date" in audit.message()


def test_imported_text_is_shown_as_text(audit):
    hostile = {**ENTERED, "organisation": '<img src="x" onerror="window.pwned=1">Trust'}
    audit.import_file("<b>hostile</b>.json", json.dumps(hostile).encode())
    assert "“<b>hostile</b>.json”" in audit.message()
    audit.page.evaluate("() => { window.print = () => {}; }")
    audit.page.click("#fg-audit-print-button")
    summary = audit.page.locator("#fg-audit-print")
    assert hostile["organisation"] in summary.text_content()
    assert ENTERED["answers"]["efficacy-search-and-tags"]["notes"] in summary.text_content()
    assert audit.page.locator("#fg-audit-print img, #fg-audit-print script, #fg-audit-message b").count() == 0
    assert audit.page.evaluate("window.pwned") is None


# -- the board report ----------------------------------------------------------------------------------------


def test_board_report_pdf_comes_from_the_report_service(audit):
    from pypdf import PdfReader

    audit.fill()
    audit.go("check")
    before = len(audit.requests)
    with audit.page.expect_download(timeout=120_000) as info:
        audit.page.click("#fg-audit-report")
    download = info.value
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert download.suggested_filename == "board-report-riverside-b-peer-b-forum-2026-06-30.pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Riverside Wellbeing Trust" in text
    assert "Board report downloaded" in audit.message()
    api = [url.removeprefix(audit.base) for url in audit.requests[before:] if "/api/" in url]
    assert api == ["/api/status", "/api/report"]


def test_nothing_goes_to_the_service_until_the_pdf_is_asked_for(audit):
    audit.fill()
    audit.export()
    audit.reload()
    assert [url for url in audit.requests if "/api/" in url] == []


@pytest.mark.parametrize(
    "status, body, headers, says",
    [
        (
            503,
            {"message": "The report service is busy. Please try again in a few seconds."},
            {"Retry-After": "5"},
            ["The report service is busy", "Try again in about 5 seconds"],
        ),
        (
            400,
            {
                "message": "The report could not be made from these answers.",
                "problems": [
                    {
                        "field": "answers.moderation-welcome.rating",
                        "severity": "error",
                        "message": "'mostly' is not a rating.",
                    }
                ],
            },
            {},
            ["could not use your answers", "'mostly' is not a rating."],
        ),
    ],
)
def test_report_service_errors_are_shown_in_words(audit, status, body, headers, says):
    audit.fill()
    audit.go("check")
    audit.page.route("**/api/report", lambda route: route.fulfill(status=status, json=body, headers=headers))
    audit.page.click("#fg-audit-report")
    audit.page.wait_for_selector("#fg-audit-message[data-kind=error]")
    message = audit.message()
    for words in says:
        assert words in message
    assert audit.saved() == ENTERED


def test_on_a_static_host_the_pdf_button_explains_the_cli_and_offers_print(browser, static_host):
    audit = Audit(browser, static_host)
    try:
        audit.fill()
        audit.go("check")
        audit.page.click("#fg-audit-report")
        audit.page.wait_for_selector("#fg-audit-message[data-kind=info]")
        message = audit.message()
        assert "needs the report service" in message
        assert (
            "forumguide report forumguide-answers-riverside-b-peer-b-forum-2026-06-30.json -o report.pdf"
            in message
        )
        audit.page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
        audit.page.locator("#fg-audit-message button", has_text="Print a summary").click()
        assert audit.page.evaluate("window.printed") == 1
        audit.page.emulate_media(media="print")
        assert audit.page.is_visible("#fg-audit-print")
        assert not audit.page.is_visible("#fg-audit-check")  # the summary is printed instead of the page
        printed = audit.page.inner_text("#fg-audit-print")
        assert ENTERED["organisation"] in printed and "Critical gaps" in printed
        assert "Rating: Not in place" in printed and "Action: owner Digital lead, due 2026-09-30" in printed
        assert audit.outside() == [] and audit.errors == []
        assert [url.removeprefix(static_host) for url in audit.requests if "/api/" in url] == ["/api/status"]
        # A page without the summary prints as it is.
        audit.at_item("safety-crisis-signposting")
        assert audit.page.is_visible("#fg-item-safety-crisis-signposting")
    finally:
        audit.close()


# -- keyboard, small screens, colour schemes -------------------------------------------------------------------


def test_the_audit_works_with_the_keyboard_alone(audit):
    audit.go("about")
    page = audit.page
    page.focus("#fg-audit-organisation")
    page.keyboard.type("Keyboard Trust")
    audit.go("profile")
    page.focus("#fg-audit-profile-audience-adults")
    page.keyboard.press("Space")
    audit.at_item("safety-crisis-signposting")
    page.focus("#fg-safety-crisis-signposting-r-not-in-place")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")  # radios in a group move with the arrow keys
    assert page.is_checked("#fg-safety-crisis-signposting-r-planned")
    page.keyboard.press("Tab")  # on to the notes (the reason field is hidden unless "not applicable")
    assert page.evaluate("document.activeElement.id") == "fg-safety-crisis-signposting-notes"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    audit.go(OVERVIEW)
    page.focus("#fg-audit-reset")
    page.keyboard.press("Enter")
    assert page.locator("#fg-audit-dialog").is_visible()
    page.keyboard.press("Escape")
    assert audit.saved()["profile"] == {"audience": ["adults"]}
    assert audit.saved()["answers"] == {"safety-crisis-signposting": {"rating": "planned"}}


def test_every_control_has_a_label_and_every_radio_group_a_legend(audit):
    for where in audit.urls:
        audit.go(where)
        unlabelled = audit.page.evaluate("""() => [...document.querySelectorAll('article input:not([type=file]), article textarea')]
            .filter(c => !c.labels || c.labels.length === 0 || !c.labels[0].textContent.trim()).map(c => c.id)""")
        assert unlabelled == [], where
        loose = audit.page.evaluate("""() => [...document.querySelectorAll('article input[type=radio], article input[type=checkbox]')]
            .filter(c => !c.closest('fieldset') || !c.closest('fieldset').querySelector('legend')).map(c => c.id)""")
        assert loose == [], where
    audit.at_item("safety-crisis-signposting")
    assert (
        audit.page.locator("#fg-item-safety-crisis-signposting .fg-critical")
        .inner_text()
        .startswith("Safety-critical")
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_horizontal_scrolling_at_320px(browser, service, scheme):
    audit = Audit(browser, service, viewport={"width": 320, "height": 640}, color_scheme=scheme)
    try:
        audit.fill()
        widths = {}
        for where in audit.urls:
            audit.go(where)
            widths[where] = audit.page.evaluate("document.documentElement.scrollWidth")
        audit.go(OVERVIEW)
        audit.page.click("#fg-audit-reset")
        widths["dialog"] = audit.page.evaluate("document.documentElement.scrollWidth")
        audit.page.keyboard.press("Escape")
        audit.rate("efficacy-activity-tracked", "not-applicable")
        audit.page.fill("#fg-efficacy-activity-tracked-reason", "")
        audit.go("check")
        audit.page.click("#fg-audit-export")
        audit.message()
        widths["message"] = audit.page.evaluate("document.documentElement.scrollWidth")
        assert {where: width for where, width in widths.items() if width > 320} == {}
        # the bar keeps both its buttons on a phone
        assert audit.page.is_visible("#fg-audit-next")
        audit.go("area-1")
        assert audit.page.locator("#fg-audit-bar a", has_text="Check your answers").is_visible()
    finally:
        audit.close()


@pytest.mark.skipif(not AXE.exists(), reason="needs npm's axe-core (scripts/setup --test installs it)")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_wcag_violations_while_answering(browser, service, scheme):
    """axe-core on the page in use: answers, a critical gap, an item outside the profile, an error shown."""
    audit = Audit(browser, service, color_scheme=scheme)
    try:
        audit.fill()
        for where in audit.urls:  # every page, answered
            audit.go(where)
            audit.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
            assert axe_violations(audit.page) == [], where
        audit.at_item("efficacy-activity-tracked")
        audit.page.fill("#fg-efficacy-activity-tracked-reason", "")
        audit.go("check")
        audit.page.click("#fg-audit-export")
        audit.message()
        audit.follow(audit.page.locator("#fg-audit-message a").first)  # the field with its error shown
        audit.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        assert axe_violations(audit.page) == []
        audit.go(OVERVIEW)
        audit.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        audit.page.click("#fg-audit-reset")  # and with the confirmation dialog open
        assert axe_violations(audit.page) == []
        audit.page.keyboard.press("Escape")
    finally:
        audit.close()


# -- legal duties and guidelines ------------------------------------------------------------------------------


def test_the_check_step_shows_how_the_answers_stand_on_each_duty_as_the_report_counts(audit, data, guidance):
    import yaml

    from forumguide.audit.scoring import score
    from forumguide.report.legal import legal_context

    answers = yaml.safe_load((ROOT / "examples" / "northbrook-2026.yaml").read_text(encoding="utf-8"))
    audit.import_file("northbrook.json", json.dumps(answers).encode())
    assert "Answers imported" in audit.message()
    audit.go("check")
    expected = legal_context(guidance, data, answers, score(data, answers))
    standings = expected["laws"] + expected["guidelines"]
    rows = audit.page.locator("#fg-audit-frameworks li")
    assert rows.count() == len(standings) == len(guidance.frameworks)
    assert "Not legal advice." in audit.page.inner_text("#fg-audit-frameworks")
    some_gap = None
    for fs in standings:
        text = rows.filter(has_text=fs.framework.title).inner_text()
        counted = [s for s in fs.linked if s.status not in ("not applicable", "not in profile")]
        in_place = [s for s in counted if s.status == "in place"]
        assert f"{len(in_place)} of {len(counted)} related item" in text, fs.framework.id
        gaps = [s for s in counted if s.is_gap]
        assert ("Gaps:" in text) == bool(gaps), fs.framework.id
        for s in gaps:
            assert s.item.title in text, (fs.framework.id, s.item.id)
            some_gap = some_gap or s
    assert some_gap is not None  # the example audit has gaps on some duty
    # each gap links to its item, on its theory area's page
    audit.follow(audit.page.locator("#fg-audit-frameworks a", has_text=some_gap.item.title).first)
    assert audit.here() == audit.item_step[some_gap.item.id]
    assert (
        audit.page.evaluate("document.activeElement.closest('.fg-audit-item').dataset.item")
        == some_gap.item.id
    )


def test_the_overview_leads_on_to_the_first_step_not_yet_complete(audit, data):
    resume = audit.page.locator("#fg-audit-resume")
    assert resume.inner_text() == "Start with about this audit"
    assert resume.get_attribute("href").endswith("about/")
    audit.fill({**ENTERED, "answers": {}})  # about and profile complete, no item answered
    audit.go(OVERVIEW)
    assert resume.inner_text() == "Continue with theory area 1: Mental health self-efficacy"
    audit.follow(resume)
    assert audit.here() == "area-1"
    for item in data["items"]:  # every item that applies answered: on to the check
        audit.at_item(item["id"])
        if audit.page.is_visible(f"#fg-{item['id']}-r-fully"):  # not left out by the profile
            audit.page.check(f"#fg-{item['id']}-r-fully")
    audit.go(OVERVIEW)
    assert resume.inner_text() == "Go on to check your answers and make the board report"
    audit.start_again()
    assert resume.inner_text() == "Start with about this audit"
