"""Topics: everyday ways into the guidance (suicidal content, moderator burnout, trolls...).

A topic record names the CMOs, recommendations and checklist items that answer it, with the words
people search with. This module holds what is particular to topics: their cross-reference checks and
what their pages need. Loading and the model are shared with every other record type.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from .model import Guidance, Topic

INDEX_PATH = "topics/index.md"


def topic_path(topic: Topic) -> str:
    return f"topics/{topic.id}.md"


def topic_problems(g: Guidance, add: Callable[..., None], present: set[str]) -> None:
    """Unknown ids, and order numbers or titles used twice (the home page lists topics in order)."""
    known = (("cmos", g.cmo_by_id, "CMO in guidance/cmos/"),
             ("recommendations", g.recommendation_by_id, "recommendation in guidance/recommendations/"),
             ("checklist_items", g.item_by_id, "checklist item in checklist/items/"))
    orders = Counter(t.order for t in g.topics)
    titles = Counter(t.title.casefold() for t in g.topics)
    for t in g.topics:
        for field_name, ids, what in known:
            for i, record_id in enumerate(getattr(t, field_name)):
                if record_id not in ids and record_id not in present:
                    add(t.file, (field_name, i), f"'{record_id}' is not the id of any {what}.")
        if orders[t.order] > 1:
            add(t.file, ("order",), f"Order {t.order} is used by more than one topic; give each topic its own place.")
        if titles[t.title.casefold()] > 1:
            add(t.file, ("title",), f"The title '{t.title}' is used by more than one topic.")


def page_context(g: Guidance, topic: Topic) -> dict[str, Any]:
    """The records a topic page lists, in the order the topic gives them."""
    return {
        "topic": topic,
        "cmos": [g.cmo_by_id[c] for c in topic.cmos if c in g.cmo_by_id],
        "recommendations": [g.recommendation_by_id[r] for r in topic.recommendations if r in g.recommendation_by_id],
        "items": [g.item_by_id[i] for i in topic.checklist_items if i in g.item_by_id],
    }


def topics_of_recommendation(g: Guidance, rec_id: str) -> list[Topic]:
    return [t for t in g.topics if rec_id in t.recommendations]
