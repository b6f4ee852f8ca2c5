"""The board report: a score result → HTML through Jinja2 templates → PDF with WeasyPrint.

`context.py` gathers what the report says (pure); `chart.py` draws the area chart as SVG;
`render.py` turns templates into HTML; `pdf.py` turns HTML into a tagged PDF, fetching nothing
from outside; `decisions.py` says what the board is asked to decide and `pageone.py` keeps page 1
to one page. Also here: `documents.py` (the blank checklist and whole-guidance PDFs), `legal.py` (the
section on legal duties), `text.py` (a score result as text for the terminal) and `renderpool.py` (the
report service's render processes).
"""

from __future__ import annotations

from typing import Any

from ..audit.scoring import scoring_data
from ..records.model import Guidance
from .context import report_context
from .render import render_board_html, render_board_pdf


def board_html(g: Guidance, answers: dict[str, Any], previous: dict[str, Any] | None = None) -> str:
    return render_board_html(report_context(g, scoring_data(g), answers, previous))


def board_pdf(g: Guidance, answers: dict[str, Any], previous: dict[str, Any] | None = None) -> bytes:
    """The board report for checked answers (see answers.check_document) as PDF bytes."""
    return render_board_pdf(report_context(g, scoring_data(g), answers, previous))


def warm(g: Guidance) -> None:
    """Make what every report needs once, for a process that will render many (the report service):
    the formatted bibliography, WeasyPrint's fonts and parsers, the templates."""
    from ..site.citations import bibliography_for
    from .pdf import html_to_pdf

    bibliography_for(g)
    board_html(
        g,
        {
            "format": "forumguide-answers/1",
            "guidance_version": g.version,
            "date": "2000-01-01",
            "answers": {},
        },
    )
    html_to_pdf("<html lang='en'><title>warm</title><p>warm</p></html>")


__all__ = ["board_html", "board_pdf", "report_context", "warm"]
