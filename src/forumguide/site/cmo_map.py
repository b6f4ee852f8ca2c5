"""The programme theory map as SVG diagrams drawn at build time (no JavaScript, no diagram library).

Each diagram is a column of CMO boxes in table order with the links drawn as arcs in a gutter on the
right, arrowheads pointing at the CMO led to. Only links a CMO record states (`leads_to`) are drawn:
they are this project's reading of the paper, and nothing is inferred from shared tags.

The geometry is sized for a phone: the drawing is 340 units wide and shown at that width or less, so
labels set at 14 units stay at 12 px or more on a 375 px screen. Labels are real SVG text (searchable,
selectable, printable), and every box links to its CMO page.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..records.model import CMO, Guidance, Relation, TheoryArea
from ..records.paths import TEMPLATES_DIR

WIDTH = 340  # drawing units; also the largest width the diagram is shown at, in CSS pixels
BOX_WIDTH = 246
FONT_SIZE = 14  # never below 12 px as shown at 375 px (see the module docstring)
LINE_HEIGHT = 18
PADDING = 8
GAP = 16  # between boxes
HEADING_HEIGHT = 30
LANE = 12  # horizontal distance between arcs in the gutter
CHARS_PER_LINE = 29  # what fits in a box at FONT_SIZE in a wide system font


@dataclass
class Node:
    cmo: CMO
    lines: list[str]
    note: str | None  # "theory area 2" when the CMO belongs to another area than the diagram's
    y: float = 0
    height: float = 0
    href: str = ""


@dataclass
class Arc:
    source: Node
    target: Node
    relation: Relation
    lane: int = 0
    y1: float = 0
    y2: float = 0

    @property
    def x(self) -> float:
        return BOX_WIDTH + 14 + self.lane * LANE

    @property
    def top(self) -> float:
        return min(self.source.y, self.target.y)

    @property
    def bottom(self) -> float:
        return max(self.source.y + self.source.height, self.target.y + self.target.height)


@dataclass
class Diagram:
    key: str  # unique on the page: used for element ids
    title: str
    description: str
    nodes: list[Node]
    arcs: list[Arc]
    area: TheoryArea | None = None  # None for the overview
    headings: list[tuple[float, str]] = field(default_factory=list)
    height: float = 0


def _lines(cmo: CMO) -> list[str]:
    # Words are never split (a long one overflows rather than changing the title as read aloud or copied).
    return textwrap.wrap(cmo.title, CHARS_PER_LINE, break_long_words=False, break_on_hyphens=False) or [""]


def _layout(diagram: Diagram, groups: list[tuple[str | None, list[Node]]]) -> None:
    y = 4.0
    for heading, nodes in groups:
        if heading:
            diagram.headings.append((y + FONT_SIZE + 2, heading))
            y += HEADING_HEIGHT
        for node in nodes:
            node.y = y
            node.height = PADDING * 2 + LINE_HEIGHT * (1 + len(node.lines) + (1 if node.note else 0))
            y += node.height + GAP
    diagram.height = y
    # Lanes: shortest arcs nearest the boxes, each arc in the first lane free over its whole span.
    taken: list[list[tuple[float, float]]] = []
    for arc in sorted(diagram.arcs, key=lambda a: (a.bottom - a.top, a.top)):
        lane = 0
        while lane < len(taken) and any(
            arc.top < end + 4 and start < arc.bottom + 4 for start, end in taken[lane]
        ):
            lane += 1
        if lane == len(taken):
            taken.append([])
        taken[lane].append((arc.top, arc.bottom))
        arc.lane = lane
    # Ports: the ends of the arcs at one box are spread over its height, ordered by where the other
    # end is, so that arcs do not cross at the box.
    ends: dict[str, list[tuple[float, Arc, str]]] = {}
    for arc in diagram.arcs:
        ends.setdefault(arc.source.cmo.id, []).append((arc.target.y, arc, "y1"))
        ends.setdefault(arc.target.cmo.id, []).append((arc.source.y, arc, "y2"))
    by_id = {n.cmo.id: n for n in diagram.nodes}
    for cmo_id, found in ends.items():
        node = by_id[cmo_id]
        found.sort(key=lambda e: (e[0], -e[1].lane))
        step = node.height / (len(found) + 1)
        for i, (_, arc, end) in enumerate(found, start=1):
            setattr(arc, end, round(node.y + i * step, 1))


def _diagram(
    key: str,
    title: str,
    description: str,
    groups: list[tuple[str | None, list[CMO]]],
    relations: list[tuple[CMO, CMO, Relation]],
    home_area: int | None,
) -> Diagram:
    node_groups = []
    nodes: dict[str, Node] = {}
    for heading, cmos in groups:
        group = []
        for c in cmos:
            note = (
                f"theory area {c.theory_area}"
                if home_area is not None and c.theory_area != home_area
                else None
            )
            nodes[c.id] = Node(c, _lines(c), note)
            group.append(nodes[c.id])
        node_groups.append((heading, group))
    arcs = [Arc(nodes[s.id], nodes[t.id], r) for s, t, r in relations if s.id in nodes and t.id in nodes]
    diagram = Diagram(key, title, description, [n for _, g in node_groups for n in g], arcs)
    _layout(diagram, node_groups)
    return diagram


def diagrams(g: Guidance) -> list[Diagram]:
    """The overview (every CMO that takes part in a link, grouped by theory area), then one diagram per
    theory area (its CMOs, with the CMOs of other areas it is linked to)."""
    relations = g.relations()
    linked = {c.id for s, t, _ in relations for c in (s, t)}
    overview_groups: list[tuple[str | None, list[CMO]]] = []
    for area in g.theory_areas:
        cmos = [c for c in g.cmos_in_area(area.number) if c.id in linked]
        if cmos:
            overview_groups.append((f"Theory area {area.number}: {area.name}", cmos))
    out = [
        _diagram(
            "overview",
            "Overview: how the CMOs lead to one another",
            _description(relations),
            overview_groups,
            relations,
            None,
        )
    ]
    for area in g.theory_areas:
        out.append(_area_diagram(g, area, relations))
    return out


def _area_diagram(g: Guidance, area: TheoryArea, relations: list[tuple[CMO, CMO, Relation]]) -> Diagram:
    mine = [link for link in relations if area.number in (link[0].theory_area, link[1].theory_area)]
    shown = {c.id for c in g.cmos_in_area(area.number)} | {c.id for s, t, _ in mine for c in (s, t)}
    cmos = [c for c in g.cmos if c.id in shown]
    diagram = _diagram(
        f"area-{area.number}",
        f"Theory area {area.number}: {area.name}",
        _description(mine),
        [(None, cmos)],
        mine,
        area.number,
    )
    diagram.area = area
    return diagram


def _description(relations: list[tuple[CMO, CMO, Relation]]) -> str:
    if not relations:
        return "No links are stated between these CMOs."
    return "; ".join(f"{s.label} leads to {t.label} ({r.kind})" for s, t, r in relations) + "."


@lru_cache(maxsize=1)  # cache: the template is read once per run
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR / "site")),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(diagram: Diagram, href_of) -> Markup:
    """The diagram as one line-free block of inline SVG (`href_of(cmo)` gives each box's link), ready to
    sit inside a raw HTML block of a Markdown page."""
    for node in diagram.nodes:
        node.href = href_of(node.cmo)
    svg = (
        _environment()
        .get_template("map-diagram.svg.j2")
        .render(
            d=diagram,
            width=WIDTH,
            box_width=BOX_WIDTH,
            font_size=FONT_SIZE,
            line_height=LINE_HEIGHT,
            padding=PADDING,
        )
    )
    # A blank line would end the raw HTML block in Markdown; the SVG needs no line breaks at all.
    return Markup(" ".join(line.strip() for line in svg.splitlines() if line.strip()))
