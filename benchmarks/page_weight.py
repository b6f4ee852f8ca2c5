"""Page weight and domInteractive of five pages of the guidance site, served as `forumguide serve` does.

Run: NO_MKDOCS_2_WARNING=1 .venv/bin/python benchmarks/page_weight.py [--repeat 5] [--site DIR]

Builds the site (unless --site names a built one), serves it with the real service (forumguide.server)
on a free 127.0.0.1 port, and for the home page, a CMO page, the programme theory map, the self-audit's
overview and its heaviest step prints:
- the HTML with every stylesheet and script the page loads, uncompressed (the size a browser holds), and
  as sent over the wire when the client accepts gzip (equal to the uncompressed size when the service
  does not compress);
- domInteractive in Debian's chromium (Playwright, no cache, the median of --repeat loads).
Kept out of CI: the sizes are facts of the build, the times are facts of this machine.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

# Chromium as the browser tests launch it on this machine (tests/browser.py holds the flags it needs).
from browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

# The self-audit is a task list of pages: its overview, and its heaviest step (the theory area with the
# most items).
PAGES = (
    ("home", "/"),
    ("CMO page", "/cmos/cmo-12/"),
    ("map", "/map/"),
    ("audit overview", "/audit/"),
    ("audit step (area 2)", "/audit/psychological-safety/"),
)


class _Assets(HTMLParser):
    """The stylesheets and scripts a page loads (what the browser must fetch before it is usable)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.urls.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.urls.append(a["src"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(site: Path):
    import uvicorn

    from forumguide.server import Limits, create_app

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(ROOT, site, Limits(workers=1, waiting=1)),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


def weight(client, url: str) -> tuple[int, int, int]:
    """(uncompressed bytes, bytes on the wire, number of CSS/JS files) for a page and its assets."""
    page = client.get(url)
    page.raise_for_status()
    parser = _Assets()
    parser.feed(page.text)
    raw, wire = len(page.content), page.num_bytes_downloaded
    for asset in dict.fromkeys(parser.urls):
        if asset.startswith(("http:", "https:", "//")):
            continue
        response = client.get(urljoin(url, asset))
        response.raise_for_status()
        raw += len(response.content)
        wire += response.num_bytes_downloaded
    return raw, wire, len(set(parser.urls))


def dom_interactive(base: str, path: str, repeat: int) -> float:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for _ in range(repeat):
            context = browser.new_context()  # a fresh context: nothing cached between loads
            page = context.new_page()
            page.goto(base + path, wait_until="load")
            times.append(page.evaluate("performance.getEntriesByType('navigation')[0].domInteractive"))
            context.close()
        browser.close()
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat", type=int, default=5, help="page loads per page for domInteractive (median)"
    )
    parser.add_argument(
        "--site", type=Path, help="an already built site (default: build one into a temporary folder)"
    )
    args = parser.parse_args()

    import httpx

    from forumguide.site.sitebuild import build_site

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            # the same build `forumguide serve` and the tests make (strict: any warning stops it)
            build_site(ROOT, site)
        server, thread, base = serve(site)
        try:
            rows = []
            with httpx.Client(headers={"Accept-Encoding": "gzip"}) as client:
                for name, path in PAGES:
                    raw, wire, assets = weight(client, base + path)
                    rows.append((name, path, raw, wire, assets, dom_interactive(base, path, args.repeat)))
        finally:
            server.should_exit = True
            thread.join(timeout=20)

    name_width = max(len("page"), *(len(name) for name, *_ in rows))
    path_width = max(len("path"), *(len(path) for _, path, *_ in rows))
    print(
        f"{'page':<{name_width}} {'path':<{path_width}} {'CSS+JS files':>12} {'HTML+CSS+JS':>12} "
        f"{'on the wire':>12} {'domInteractive':>15}"
    )
    for name, path, raw, wire, assets, interactive in rows:
        print(
            f"{name:<{name_width}} {path:<{path_width}} {assets:>12} {raw / 1024:>9.0f} KB "
            f"{wire / 1024:>9.0f} KB {interactive:>12.0f} ms"
        )
    print(
        f"\n(uncompressed vs as sent with Accept-Encoding: gzip; domInteractive: median of {args.repeat} cold loads)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
