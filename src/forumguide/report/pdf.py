"""HTML → tagged PDF (PDF/UA-1) with WeasyPrint: the only module that uses it.

Every PDF the project makes (board report, blank checklist, whole guidance) comes through
`html_to_pdf`, with a URL fetcher that serves the package's own assets and refuses everything else.
The module imports nothing heavy itself, so a render worker process (`speedups.RenderProcess`) can
start with it alone. WeasyPrint is imported through `speedups.import_weasyprint`, and every render runs
with the cycle collector paused (`speedups.collector_paused`); speedups.py gives the measured reasons.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from ..records.paths import ASSETS_DIR
from ..speedups import collector_paused, import_weasyprint


def _assets_only_fetcher():
    """A WeasyPrint URL fetcher that serves files from the package's assets folder and refuses
    everything else: no network, no local file outside the project, whatever the HTML says."""
    import_weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = ASSETS_DIR.resolve()

    class AssetsOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:  # noqa: ARG002
            parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if path.is_file() and root in path.parents:
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _mime(path)})
            raise ValueError(f"forumguide fetches no outside resources (refused {url[:80]!r})")

    return AssetsOnly(allowed_protocols={"file"})


def _mime(path: Path) -> str:
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".ttf": "font/ttf"}.get(
        path.suffix, "application/octet-stream"
    )


_local = threading.local()


def _font_config():
    """One WeasyPrint font configuration per thread, reused by every render in it: building one
    (Pango font map, fontconfig lookups) costs each render again. Not shared across threads, because
    WeasyPrint does not promise that it is thread-safe."""
    config = getattr(_local, "font_config", None)
    if config is None:
        import_weasyprint()
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1) from HTML. Nothing in it comes from the clock, so the same HTML gives
    the same bytes. The PDF carries no file identifier (optional in PDF 1.7 and PDF/UA-1): pydyf
    computes one by serialising and compressing the whole file a second time, about a tenth of the
    render time."""
    HTML = import_weasyprint().HTML

    with collector_paused():
        document = HTML(string=html, base_url=str(ASSETS_DIR) + "/", url_fetcher=_assets_only_fetcher())
        return document.write_pdf(pdf_variant="pdf/ua-1", font_config=_font_config())
