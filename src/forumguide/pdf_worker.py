"""Render a PDF in a second process that starts while the command line is still preparing the HTML.

A fresh `forumguide report` spends about 0.3 s importing WeasyPrint and about 0.2 s importing the
schema checker and templates, reading the cache and checking the answers. Neither needs the other, so
the command starts this worker first (`python -m forumguide.pdf_worker`): it imports WeasyPrint while
the parent checks the answers and fills the templates, then reads the HTML on standard input and
writes the PDF on standard output. Nothing touches the disk; the answers only cross a pipe.

If the worker cannot be started or fails, the parent renders in its own process instead, so the
worker can only make a run faster, never break it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

_PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)


class RenderProcess:
    """One render in a worker process. `render(html)` returns the PDF bytes."""

    def __init__(self) -> None:
        env = dict(os.environ)
        # The worker must import this same package, even when it is run from a source tree.
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
        try:
            self._process: subprocess.Popen | None = subprocess.Popen(
                [sys.executable, "-m", "forumguide.pdf_worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, env=env)
        except OSError:
            self._process = None

    def render(self, html: str) -> bytes:
        from .pdf import html_to_pdf

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


def main() -> None:
    from .pdf import _font_config, _import_weasyprint, html_to_pdf

    _import_weasyprint()
    _font_config()
    html = sys.stdin.buffer.read().decode("utf-8")
    sys.stdout.buffer.write(html_to_pdf(html))
    sys.stdout.buffer.flush()
    os._exit(0)  # nothing left to free: skip the interpreter's teardown (about 0.1 s)


if __name__ == "__main__":
    main()
