"""The other PDFs: a blank checklist for paper use and the whole guidance for circulation."""

from __future__ import annotations

from ..audit.scoring import gap_rating_words, scoring_data
from ..records.model import Guidance
from .context import reference_formatter
from .pdf import html_to_pdf
from .render import render_template_html


def _items_by_area(g: Guidance):
    return [(area, g.index.items_by_area.get(area.number, [])) for area in g.theory_areas]


def blank_checklist_html(g: Guidance) -> str:
    data = scoring_data(g)
    return render_template_html(
        "checklist-blank.html.j2", g=g, data=data, areas=_items_by_area(g), gap_words=gap_rating_words(data)
    )


def blank_checklist_pdf(g: Guidance) -> bytes:
    return html_to_pdf(blank_checklist_html(g))


def guidance_html(g: Guidance) -> str:
    return render_template_html(
        "guidance.html.j2", g=g, reference=reference_formatter(g), areas=_items_by_area(g)
    )


def guidance_pdf(g: Guidance) -> bytes:
    return html_to_pdf(guidance_html(g))
