"""The online self-audit as a person uses it, for the browser tests: one browser tab (`Audit`) that finds
its way between the audit's pages (the overview and one page per step), what the tests enter
(`ENTERED`), and the fixtures the audit's test modules share (import them into the module:
`from audit_pages import audit, data, service  # noqa: F401`).
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from pathlib import Path

import pytest

from forumguide.audit.scoring import score, scoring_data
from forumguide.server import Limits

from conftest import RunningServer

STORAGE_KEY = "forumguide-audit-answers"

# What the person enters in the tests: a profile, six items (one critical item not in place, one not
# applicable with a reason), owners and due dates, and text that looks like markup.
ENTERED = {
    "format": "forumguide-answers/1",
    "guidance_version": "2.0",
    "organisation": "Riverside Wellbeing Trust",
    "forum": "Riverside <b>Peer</b> Forum",
    "assessors": ["Sam Lee (Moderation lead)", "Ada Obi"],
    "assessment": "peer-review",
    "date": "2026-06-30",
    "profile": {
        "audience": ["adults", "carers"],
        "topics": ["general", "self-harm-suicide"],
        "anonymity": "pseudonymous",
        "moderation": "office-hours",
        "size": "medium",
    },
    "answers": {
        "efficacy-activity-tracked": {
            "rating": "not-applicable",
            "reason": "A closed group of twelve; we meet in person.",
        },
        "efficacy-search-and-tags": {
            "rating": "fully",
            "notes": "Search works on phones. <script>alert(1)</script>",
        },
        "safety-crisis-signposting": {
            "rating": "not-in-place",
            "notes": "Banner on the home page only.",
            "owner": "Digital lead",
            "due": "2026-09-30",
        },
        "safety-anonymity-misuse": {"rating": "partly"},
        "moderation-welcome": {"rating": "partly"},
        "connection-carers-space": {"rating": "planned", "owner": "Carers lead"},
    },
}

# The overview holds the scores and the tools; each step has a page of its own (named by its task:
# about, profile, area-1 ... area-5, check).
OVERVIEW = "overview"


class Audit:
    """One person's browser tab on the audit's pages, with every request it makes."""

    def __init__(self, browser, base: str, **context_options):
        self.base = base
        self.context = browser.new_context(accept_downloads=True, **context_options)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = self.new_tab()
        data = self.page.evaluate("JSON.parse(document.getElementById('fg-audit-data').textContent)")
        self.urls = {OVERVIEW: self.base + "/audit/"} | {
            step["task"]: f"{self.base}/{step['url']}" for step in data["steps"]
        }
        self.item_step = {item["id"]: f"area-{item['theory_area']}" for item in data["items"]}

    def new_tab(self, where: str | None = None):
        """A new tab on the overview (or on `where`, a step's task)."""
        page = self.context.new_page()
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.goto(self.urls[where] if where else self.base + "/audit/", wait_until="load")
        self.wait_until_live(page)
        return page

    def reload(self) -> None:
        self.page.reload(wait_until="load")
        self.wait_until_live(self.page)

    # Pages are waited for until "load" (their scripts have run by then; the ones a tool adds later are
    # waited for by the tests that use them), not "networkidle", which adds half a second to every step.
    @staticmethod
    def wait_until_live(page) -> None:
        """The page's script has read the saved answers and filled the form (it marks <html> last).
        A page can go network-idle while it is still being parsed, before its scripts run."""
        page.wait_for_selector("html.fg-audit-js", state="attached")

    # -- finding the way between the pages ------------------------------------------------------------

    def go(self, where: str) -> None:
        """Open a page of the audit: OVERVIEW or a step's task (about, profile, area-N, check)."""
        if self.page.url.split("#")[0] != self.urls[where]:
            self.page.goto(self.urls[where], wait_until="load")
            self.wait_until_live(self.page)

    def at_item(self, item_id: str) -> None:
        """Open the page that holds the item (its theory area's step)."""
        self.go(self.item_step[item_id])

    def item_url(self, item_id: str, part: str | None = None) -> str:
        """The address of an item, or of one of its fields (`part`: reason, notes, ...), on its step's page."""
        anchor = f"fg-{item_id}-{part}" if part else f"fg-item-{item_id}"
        return f"{self.urls[self.item_step[item_id]]}#{anchor}"

    def arrive(self, url: str) -> None:
        """Wait until the tab shows `url` (a link followed, or a script that moved on) and that page is live.
        Until then the page left behind is still live, so the address is waited for first."""
        self.page.wait_for_url(url)
        self.wait_until_live(self.page)
        if "#" in url:  # at an item or a field: the page puts focus there once it has been drawn
            self.page.wait_for_function(
                "id => { const t = document.getElementById(id); return !!t && t.contains(document.activeElement); }",
                arg=url.split("#", 1)[1],
            )

    def follow(self, link) -> None:
        """Click a link (a Playwright locator) to another page of the audit and wait until that page is live
        (waiting for the class alone could find it on the page being left)."""
        href = link.evaluate("a => a.href")  # the whole address, as the browser resolves it
        link.click()
        self.arrive(href)

    def focused_item(self) -> str | None:
        """The item whose field has focus."""
        return self.page.evaluate(
            "(document.activeElement.closest('.fg-audit-item') || {dataset: {}}).dataset.item || null"
        )

    def here(self) -> str:
        """Which page of the audit the tab shows."""
        url = self.page.url.split("#")[0]
        return next(where for where, address in self.urls.items() if address == url)

    # -- what the tab shows and stores ----------------------------------------------------------------

    def outside(self) -> list[str]:
        allowed = (self.base + "/", "blob:" + self.base + "/", "data:")
        return [url for url in self.requests if not url.startswith(allowed)]

    def saved(self) -> dict | None:
        raw = self.page.evaluate(f"localStorage.getItem({STORAGE_KEY!r})")
        return json.loads(raw) if raw else None

    def score_text(self, which: str = "overall") -> str:
        """A score as the overview shows it (overall, an aim's id, or a theory area's number)."""
        self.go(OVERVIEW)
        if which.isdigit():
            return self.page.inner_text(f'[data-area-score="{which}"] [data-role="value"]')
        return self.page.inner_text(f"#fg-audit-score-{which}")

    # -- acting as a person -------------------------------------------------------------------------

    def fill(self, answers: dict = ENTERED) -> None:
        """Enter the answers page by page: about the audit, the forum profile, then each item."""
        page = self.page
        self.go("about")
        page.fill("#fg-audit-organisation", answers["organisation"])
        page.fill("#fg-audit-forum", answers["forum"])
        page.fill("#fg-audit-assessors", "\n".join(answers["assessors"]))
        page.fill("#fg-audit-date", answers["date"])
        page.select_option("#fg-audit-assessment", answers.get("assessment", "self"))
        self.go("profile")
        for question, value in answers["profile"].items():
            for option in value if isinstance(value, list) else [value]:
                page.check(f"#fg-audit-profile-{question}-{option}")
        for item, answer in answers["answers"].items():
            self.at_item(item)
            page.check(f"#fg-{item}-r-{answer['rating']}")
            for part in ("reason", "notes", "owner", "due"):
                if part in answer:
                    page.fill(f"#fg-{item}-{part}", answer[part])

    def rate(self, item_id: str, rating: str) -> None:
        self.at_item(item_id)
        self.page.check(f"#fg-{item_id}-r-{rating}")

    def export(self) -> tuple[str, str]:
        if not self.page.locator("#fg-audit-export").count():
            self.go(OVERVIEW)
        with self.page.expect_download() as info:
            self.page.click("#fg-audit-export")
        download = info.value
        return download.suggested_filename, Path(download.path()).read_text(encoding="utf-8")

    def start_again(self) -> None:
        self.go(OVERVIEW)
        self.page.click("#fg-audit-reset")
        self.page.click("#fg-audit-dialog-yes")

    def import_file(self, name: str, content: bytes) -> None:
        """Choose a file through the overview's Import button (see `choose_files`)."""
        self.go(OVERVIEW)
        self.choose_files("#fg-audit-import", [(name, content)], "application/json")

    def choose_files(
        self, button: str, files: list[tuple[str, bytes]], mime: str = "application/octet-stream"
    ) -> None:
        """Choose files (name, content) through a button of this page (Import, Load last audit, Choose the
        files to combine). Reading them is asynchronous, so any earlier message is cleared first and
        `message()` waits for the one about these files."""
        self.page.evaluate(
            "() => { const m = document.getElementById('fg-audit-message'); m.hidden = true; m.textContent = ''; }"
        )
        with self.page.expect_file_chooser() as chooser:
            self.page.click(button)
        chooser.value.set_files([{"name": n, "mimeType": mime, "buffer": b} for n, b in files])

    def message(self) -> str:
        self.page.wait_for_selector("#fg-audit-message:not([hidden])")
        return self.page.inner_text("#fg-audit-message")

    def close(self) -> None:
        self.context.close()


# -- fixtures ---------------------------------------------------------------------------------------------
# built_site (the real site, built once with --strict), browser and RunningServer (the real app under
# uvicorn) come from conftest.py.


@pytest.fixture(scope="module")
def static_host(built_site) -> str:
    """The same built site on a plain static server: no /api at all."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(built_site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def service(browser, built_site) -> str:
    """`forumguide serve` for this module: the built site and the report service, one render worker.

    It depends on `browser` so that it stops first. The service forks its render worker at the first
    report, while Playwright runs, and the worker inherits the pipe to Playwright's driver: Playwright
    can only stop once that worker has gone."""
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


def python_score(data: dict, answers: dict) -> dict:
    return json.loads(json.dumps(score(data, answers)))


def axe_violations(page) -> list[tuple]:
    result = page.evaluate("""async () => await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']}, resultTypes: ['violations']})""")
    return [
        (v["id"], v["help"], [(n["target"], n.get("failureSummary")) for n in v["nodes"]][:3])
        for v in result["violations"]
    ]
