"""Author text as literal text in generated Markdown: never Markdown, HTML or template syntax.

Generated pages go through three interpreters before a reader sees them: a template engine
(mkdocs-macros runs Jinja over Markdown), a Markdown processor (with extensions such as attr_list and
tables) and a browser. Record fields are plain text ("Markup is shown as typed, never interpreted"),
so every character any of the three could read as syntax is written as a numeric character
reference. A browser shows the character itself; the other two see only `&#NN;`, which has no
meaning to them. Characters that only matter at the start of a line (list and heading markers) are
encoded there, and whitespace is collapsed, so text can never start a code block or a new block.
"""

from __future__ import annotations

import re

from markupsafe import Markup

# Always encoded: HTML (& < >), Jinja ({ }), Markdown inline syntax (\ ` * _ [ ] !), tables (|),
# attribute lists and headings (#), and the syntax of common Markdown extensions (~ ^ = $).
_ALWAYS = frozenset("&<>{}\\`*_[]!|#~^=$")
# Encoded at the start of a line, where they open a block (lists, quotes, rules, definitions).
_LINE_START = frozenset("-+>:.")
_NUMBERED = re.compile(r"^(\d+)([.)])")
# ":word" could start an emoji shortcode; a colon followed by a space or the end cannot.
_COLON = re.compile(r":(?=\S)")
_TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#x[0-9a-fA-F]+);)")


def _ref(ch: str) -> str:
    return f"&#{ord(ch)};"


def encode_inline(text: str) -> str:
    """One run of text with whitespace collapsed (a space at either end is kept as one space, so
    separators such as " and " survive) and every syntax character encoded."""
    collapsed = re.sub(r"\s+", " ", str(text))
    lead = " " if collapsed.startswith(" ") else ""
    return lead + _encode_run(collapsed[len(lead) :], at_start=True)


def md_text(text: object) -> Markup:
    """Record text, safe to place anywhere in Markdown or HTML text content (not in attributes)."""
    return Markup(encode_inline(str(text)))


def md_list(items: list[object], last: str = " and ") -> Markup:
    """Items as a sentence list, "A, B and C"; items that are Markup (e.g. links) are kept as they are."""
    parts = [item if isinstance(item, Markup) else md_text(item) for item in items]
    if len(parts) < 2:
        return Markup("".join(parts))
    return Markup(", ").join(parts[:-1]) + Markup(last) + parts[-1]


def md_paragraphs(text: object) -> list[Markup]:
    """Multi-paragraph record text (blank-line separated) as a list of safe paragraphs."""
    return [md_text(p.strip()) for p in re.split(r"\n\s*\n", str(text)) if p.strip()]


def md_html(html: str) -> Markup:
    """Trusted HTML markup whose text runs may hold record text (e.g. from citeproc-py, which escapes
    text but leaves Markdown and Jinja syntax alone): text runs are encoded, tags and entities kept."""
    parts = _TAG_OR_ENTITY.split(" ".join(html.split()))
    return Markup(
        "".join(part if i % 2 else _encode_run(part, at_start=i == 0) for i, part in enumerate(parts))
    )


def _encode_run(text: str, *, at_start: bool) -> str:
    text = "".join(_ref(ch) if ch in _ALWAYS else ch for ch in text)
    text = _COLON.sub("&#58;", text)
    if at_start:
        numbered = _NUMBERED.match(text)
        if numbered:
            text = numbered.group(1) + _ref(numbered.group(2)) + text[numbered.end() :]
        elif text[:1] in _LINE_START:
            text = _ref(text[0]) + text[1:]
    return text
