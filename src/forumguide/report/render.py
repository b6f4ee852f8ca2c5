"""Report templates → HTML; the PDF itself is made by `forumguide.report.pdf` (the one place WeasyPrint is used)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ..records.paths import TEMPLATES_DIR
from .pdf import html_to_pdf

_env = Environment(
    loader=PackageLoader("forumguide", "templates/report"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def long_date(value: str | None) -> str:
    """'2026-10-01' → '1 October 2026' (no locale dependence: the same everywhere)."""
    if not value:
        return ""
    months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    year, month, day = value.split("-")
    return f"{int(day)} {months[int(month) - 1]} {year}"


def _signed(value: int | None) -> str:
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else ("±0" if value == 0 else f"−{abs(value)}")


_env.filters["longdate"] = long_date
_env.filters["signed"] = _signed
_env.filters["lower_first"] = lambda v: v[:1].lower() + v[1:] if v and not v[:2].isupper() else v
_env.filters["pct"] = lambda v: "—" if v is None else f"{v}%"


def stylesheet(name: str = "report.css") -> str:
    return (TEMPLATES_DIR / "report" / name).read_text(encoding="utf-8")


def render_board_html(context: dict[str, Any]) -> str:
    return _env.get_template("board.html.j2").render(**context, css=stylesheet())


def render_template_html(name: str, **context: Any) -> str:
    return _env.get_template(name).render(**context, css=stylesheet())


def render_board_pdf(context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_board_html(context))
