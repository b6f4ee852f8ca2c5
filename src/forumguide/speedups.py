"""Process-wide speed tricks, kept together so that the core reads plainly and each trick can be weighed.

Each trick changes something for the whole process (a library function, the garbage collector, how
the interpreter ends, a second process), so each is here with the figure that justifies it, measured
on the 2-CPU development machine (Python 3.11) with `benchmarks/report.py` or as stated. None changes
an output: the PDFs are byte-identical with and without them (tests/test_speedups.py). A trick whose
saving becomes negligible is removed, not kept "just in case".

Used by: `pdf` (the WeasyPrint import and the paused collector, so every render gains, in the CLI and
in the report service's workers) and `cli` (the render worker and the quick exit, which only a
one-shot command needs: the long-lived service imports WeasyPrint once per worker and never exits
between requests).
"""

from __future__ import annotations

import contextlib
import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

# -- 1. Import WeasyPrint without the shared-library search --------------------------------------


def import_weasyprint() -> ModuleType:
    """Import WeasyPrint without the library search that makes its import slow on Linux.

    WeasyPrint tries several names for each native library it loads (for Windows, macOS and Linux).
    For every name that does not load at once, cffi calls ctypes.util.find_library, which on Linux
    starts ldconfig, gcc and ld: 54 processes and about 0.2 s on each import (measured with
    `python -X importtime`). On Linux the names that work (libpango-1.0.so.0 and so on) load directly
    through the dynamic loader, so the search finds nothing the loader would not. The search function
    is put back at once; elsewhere, or if the import fails this way, WeasyPrint is imported as usual."""
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


# -- 2. The cycle collector paused during a render ------------------------------------------------


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
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


# -- 3. A render worker started before the command needs it ---------------------------------------

_PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)


class RenderProcess:
    """One render in a worker process started at once. `render(html)` returns the PDF bytes.

    A fresh `forumguide report` spends about 0.3 s importing WeasyPrint and about 0.2 s importing the
    schema checker and templates, reading the cache and checking the answers. Neither needs the other,
    so the command starts this worker first (`python -m forumguide.speedups`): it imports WeasyPrint
    while the parent checks the answers and fills the templates, then reads the HTML on standard input
    and writes the PDF on standard output. Nothing touches the disk; the answers only cross a pipe.

    If the worker cannot be started or fails, the parent renders in its own process instead, so the
    worker can only make a run faster, never break it."""

    def __init__(self) -> None:
        env = dict(os.environ)
        # The worker must import this same package, even when it is run from a source tree.
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
        try:
            self._process: subprocess.Popen | None = subprocess.Popen(
                [sys.executable, "-m", "forumguide.speedups"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
            )
        except OSError:
            self._process = None

    def render(self, html: str) -> bytes:
        from .report.pdf import html_to_pdf  # imported here: pdf itself uses this module

        process, self._process = self._process, None
        if process is not None:
            try:
                pdf, _ = process.communicate(html.encode("utf-8"), timeout=300)
                if process.returncode == 0 and pdf.startswith(b"%PDF"):
                    return pdf
            except (OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait()
        return html_to_pdf(html)  # same fetcher, same result; errors surface here, in plain words

    def cancel(self) -> None:
        """Stop a worker that will not be needed (the answers were refused)."""
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.wait()


def _render_worker() -> None:
    """The worker's side of RenderProcess: HTML on standard input, the PDF on standard output."""
    from .report.pdf import _font_config, html_to_pdf

    import_weasyprint()
    _font_config()
    html = sys.stdin.buffer.read().decode("utf-8")
    sys.stdout.buffer.write(html_to_pdf(html))
    exit_now(0)


# -- 4. A quick exit for one-shot commands --------------------------------------------------------


def exit_now(code: int) -> None:
    """End a one-shot process without the interpreter's teardown.

    Once a command has written its output, tearing the interpreter down (freeing everything the model
    and WeasyPrint built) took about 0.1 s of a one-second `forumguide report`, measured with
    benchmarks/report.py. Every file the commands write is closed before they return, so only the
    standard streams need flushing. Not for `serve`: it exits the ordinary way, so that its worker
    pool is shut down as usual. The service's render processes (report.renderpool) end with it too:
    a retiring worker holds the same model and WeasyPrint state, has sent its last frame and closed
    its channel, and has nothing else to save. This is the one place the package calls os._exit."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        code = code or 1
    os._exit(code)


if __name__ == "__main__":
    _render_worker()
