"""The board report: a score result → HTML through Jinja2 templates → PDF with WeasyPrint.

`context.py` gathers what the report says (pure); `chart.py` draws the area chart as SVG;
`render.py` turns templates into HTML and HTML into a tagged PDF, fetching nothing from outside.
"""

from __future__ import annotations

from typing import Any

from ..model import Guidance
from ..scoring import scoring_data
from .context import report_context
from .render import render_board_html, render_board_pdf


def board_html(g: Guidance, answers: dict[str, Any], previous: dict[str, Any] | None = None) -> str:
    return render_board_html(report_context(g, scoring_data(g), answers, previous))


def board_pdf(g: Guidance, answers: dict[str, Any], previous: dict[str, Any] | None = None) -> bytes:
    """The board report for checked answers (see answers.check_document) as PDF bytes."""
    return render_board_pdf(report_context(g, scoring_data(g), answers, previous))


__all__ = ["board_html", "board_pdf", "report_context"]
