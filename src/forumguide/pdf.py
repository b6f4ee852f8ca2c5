"""HTML → tagged PDF (PDF/UA-1) with WeasyPrint: the only module that imports it.

Every PDF the project makes (board report, blank checklist, whole guidance) comes through
`html_to_pdf`, with a URL fetcher that serves the package's own assets and refuses everything else.
The module imports nothing heavy itself, so a render worker process (`pdf_worker`) can start with it
alone.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from .paths import ASSETS_DIR


def _import_weasyprint():
    """Import WeasyPrint without the library search that makes its import slow on Linux.

    WeasyPrint tries several names for each native library it loads (for Windows, macOS and Linux).
    For every name that does not load at once, cffi calls ctypes.util.find_library, which on Linux
    starts ldconfig, gcc and ld: 54 processes and about 0.2 s on each import (measured with
    `python -X importtime`). On Linux the names that work (libpango-1.0.so.0 and so on) load directly
    through the dynamic loader, so the search finds nothing the loader would not. Elsewhere, or if the
    import fails this way, WeasyPrint is imported as usual."""
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint
        return weasyprint
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint
        return weasyprint
    except (OSError, ImportError):
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = search
    import weasyprint
    return weasyprint


def _assets_only_fetcher():
    """A WeasyPrint URL fetcher that serves files from the package's assets folder and refuses
    everything else: no network, no local file outside the project, whatever the HTML says."""
    _import_weasyprint()
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
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".ttf": "font/ttf"}.get(path.suffix, "application/octet-stream")


_local = threading.local()


def _font_config():
    """One WeasyPrint font configuration per thread, reused by every render in it: building one
    (Pango font map, fontconfig lookups) costs each render again. Not shared across threads, because
    WeasyPrint does not promise that it is thread-safe."""
    config = getattr(_local, "font_config", None)
    if config is None:
        _import_weasyprint()
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


@contextlib.contextmanager
def _collector_paused():
    """Python's cycle collector off during one render. A render builds tens of thousands of short-lived
    boxes, so the collector runs again and again over every live object (about a fifth of the render
    time, measured with benchmarks/report.py). A render is bounded (answers are capped at 1 MB), and
    its garbage is collected as usual once the collector is back on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1) from HTML. Nothing in it comes from the clock, so the same HTML gives
    the same bytes. The PDF carries no file identifier (optional in PDF 1.7 and PDF/UA-1): pydyf
    computes one by serialising and compressing the whole file a second time, about a tenth of the
    render time."""
    HTML = _import_weasyprint().HTML

    with _collector_paused():
        document = HTML(string=html, base_url=str(ASSETS_DIR) + "/", url_fetcher=_assets_only_fetcher())
        return document.write_pdf(pdf_variant="pdf/ua-1", font_config=_font_config())
