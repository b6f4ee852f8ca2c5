"""The per-area score chart as SVG, drawn in code (no image service, no JavaScript).

The chart carries a title and a description so that it reads in a tagged PDF, and every bar is also
given as a number beside it: the chart never holds information the tables do not. The full-width
track behind each bar is 100%; light gridlines mark the quarters. Axis numbers are left out because
each text element costs WeasyPrint as much to draw as a line of body text.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

_env = Environment(
    loader=PackageLoader("forumguide", "templates/report"), autoescape=select_autoescape(default=True)
)

BAR_LEFT = 230
BAR_WIDTH = 330
ROW = 34


def area_chart(result: dict[str, Any]) -> str:
    rows = [
        {"label": f"{a['number']}. {a['name']}", "percent": a["percent"], "display": a["display"]}
        for a in result["areas"]
    ]
    rows.append(
        {"label": "Overall", "percent": result["overall"]["percent"], "display": result["overall"]["display"]}
    )
    for i, row in enumerate(rows):
        row["y"] = 10 + i * ROW
        row["width"] = 0 if row["percent"] is None else round(BAR_WIDTH * row["percent"] / 100, 1)
        row["overall"] = i == len(rows) - 1
    description = "; ".join(
        f"{r['label']}: {'not rated' if r['display'] is None else str(r['display']) + '%'}" for r in rows
    )
    return _env.get_template("chart.svg.j2").render(
        rows=rows,
        left=BAR_LEFT,
        bar_width=BAR_WIDTH,
        height=20 + len(rows) * ROW,
        description=description,
        gridlines=[25, 50, 75],
    )
