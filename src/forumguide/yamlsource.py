"""Read YAML safely and remember where every value came from.

Every message a content editor sees names a file, a line and a field, so the parser keeps the line of
each node. It is also the first line of defence against hostile files: no Python tags (safe loading),
no anchors or aliases (the "billion laughs" expansion needs them and no record does), a size cap, a
depth cap, and duplicate keys reported rather than silently overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 64

Path_ = tuple[str | int, ...]


class SourceError(Exception):
    """A file that cannot be read as data at all (syntax, size, aliases)."""

    def __init__(self, file: str, line: int | None, message: str):
        super().__init__(message)
        self.file = file
        self.line = line
        self.message = message


class _AliasRefused(yaml.MarkedYAMLError):
    pass


class _Loader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver (dates stay strings, as in JSON) and without anchors."""

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _AliasRefused(problem="anchors and aliases (& and *) are not allowed", problem_mark=event.start_mark)
        return super().compose_node(parent, index)


_RESOLVERS = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.yaml_implicit_resolvers = _RESOLVERS

# libyaml's parser is about five times faster. It resolves an alias to the node its anchor names, so
# `_build` refuses any node it meets twice: an alias is refused before anything is expanded.
if getattr(yaml, "__with_libyaml__", False):

    class _FastLoader(yaml.CSafeLoader):
        pass

    _FastLoader.yaml_implicit_resolvers = _RESOLVERS
    _COMPOSER = _FastLoader
else:  # pragma: no cover - PyYAML built without libyaml
    _COMPOSER = _Loader


@dataclass
class Document:
    """One parsed file: its data and the line (1-based) of every value, keyed by field path."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    duplicate_keys: list[tuple[Path_, int]] = field(default_factory=list)

    def line_of(self, path: Path_) -> int:
        """The line of the value at `path`, or of its nearest ancestor that exists."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)


def field_name(path: Path_) -> str:
    """A field path as an editor reads it: `outcomes[1].kind`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(whole record)"


def parse_text(text: str, file: str = "<text>") -> Document:
    """Parse YAML (or JSON, which is YAML) text into a Document, or raise SourceError."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise SourceError(file, None, f"The file is larger than {MAX_FILE_BYTES // 1000} kB; it was not read.")
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or "it is not valid YAML"
        raise SourceError(file, line, f"The file is not valid YAML: {problem}.") from None
    except yaml.YAMLError as exc:  # e.g. a reader error on control characters
        raise SourceError(file, None, f"The file is not valid YAML: {exc}.") from None
    except RecursionError:  # PyYAML's composer recurses once per nesting level
        raise SourceError(file, None, f"The data is nested more than {MAX_DEPTH} levels deep.") from None
    doc = Document(file=file, data=None)
    if node is None:
        return doc
    constructor = _Loader("")
    doc.data = _build(node, (), doc, constructor, 0, set())
    return doc


def parse_file(path: Path, display: str | None = None) -> Document:
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SourceError(name, None, f"The file is larger than {MAX_FILE_BYTES // 1000} kB; it was not read.")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SourceError(name, None, "The file is not UTF-8 text.") from None
    except OSError as exc:
        raise SourceError(name, None, f"The file could not be read ({exc.strerror}).") from None
    return parse_text(text, name)


# Only what JSON can hold: records, answers and exports must round-trip between YAML and JSON.
_JSON_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "str", "int", "float", "bool", "null")
}


def _build(node: yaml.Node, path: Path_, doc: Document, constructor: yaml.SafeLoader, depth: int, seen: set[int]) -> Any:
    if id(node) in seen:
        raise SourceError(doc.file, node.start_mark.line + 1,
                          "The file is not valid YAML: anchors and aliases (& and *) are not allowed.")
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise SourceError(doc.file, node.start_mark.line + 1, f"The data is nested more than {MAX_DEPTH} levels deep.")
    doc.lines[path] = node.start_mark.line + 1
    if node.tag not in _JSON_TAGS:
        raise SourceError(doc.file, node.start_mark.line + 1, f"The YAML tag {node.tag} is not allowed; use plain values.")
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        constructor.flatten_mapping(node)
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise SourceError(doc.file, key_node.start_mark.line + 1, "A field name must be plain text.")
            key = str(constructor.construct_scalar(key_node))
            child = (*path, key)
            if key in result:
                doc.duplicate_keys.append((child, key_node.start_mark.line + 1))
            result[key] = _build(value_node, child, doc, constructor, depth + 1, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), doc, constructor, depth + 1, seen) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.ScalarNode):
        return constructor.construct_object(node, deep=True)
    raise SourceError(doc.file, node.start_mark.line + 1, "This kind of YAML value is not allowed here.")
