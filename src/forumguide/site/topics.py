"""Topics: everyday ways into the guidance (suicidal content, moderator burnout, trolls...).

A topic record names the CMOs, recommendations and checklist items that answer it, with the words
people search with. This module holds what topic pages need; their cross-reference checks are in
`records.validate`, and loading and the model are shared with every other record type.
"""

from __future__ import annotations

from typing import Any

from ..records.model import Guidance, Topic

INDEX_PATH = "topics/index.md"


def topic_path(topic: Topic) -> str:
    return f"topics/{topic.id}.md"


def page_context(g: Guidance, topic: Topic) -> dict[str, Any]:
    """The records a topic page lists, in the order the topic gives them."""
    return {
        "topic": topic,
        "cmos": [g.cmo_by_id[c] for c in topic.cmos if c in g.cmo_by_id],
        "recommendations": [
            g.recommendation_by_id[r] for r in topic.recommendations if r in g.recommendation_by_id
        ],
        "items": [g.item_by_id[i] for i in topic.checklist_items if i in g.item_by_id],
    }


def topics_of_recommendation(g: Guidance, rec_id: str) -> list[Topic]:
    return [t for t in g.topics if rec_id in t.recommendations]
