"""Read YAML (and JSON) safely and remember where every value came from.

Every message a content editor sees names a file, a line and a field, so the parser keeps the line of
each node. It is also the first line of defence against hostile files: no Python tags (safe loading),
no anchors or aliases (the "billion laughs" expansion needs them and no record does), a size cap read
from the file itself (never trusted from `stat`), regular files only, a depth cap, and duplicate keys
reported rather than silently overwritten.

The same value rules hold for a YAML file read by the command line and for JSON sent to the report
service (`parse_json`): nesting depth, field-name length, numbers a JSON reader keeps exactly, and
text that can be written out as UTF-8. Each broken rule is one sentence naming the field.
"""

from __future__ import annotations

import json
import math
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 64
MAX_KEY_CHARS = 200  # ids and field names are short; a longer key is a mistake or an attack
# The largest whole number JavaScript (the online checklist) and most JSON readers hold exactly.
MAX_SAFE_INTEGER = 2**53 - 1
STDIN = "-"  # the file name that means standard input, as in most command-line tools

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
            raise _AliasRefused(
                problem="anchors and aliases (& and *) are not allowed", problem_mark=event.start_mark
            )
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
        elif not str(part).isprintable():  # a key with a line break or a control character stays on one line
            out += f"[{excerpt(ascii(part))}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(whole record)"


def excerpt(text: str, limit: int = 40) -> str:
    """A short quotation of something the user wrote, for messages that must stay one line."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _too_large() -> str:
    return f"The file is larger than {MAX_FILE_BYTES // 1000} kB; it was not read."


def parse_text(text: str, file: str = "<text>") -> Document:
    """Parse YAML (or JSON, which is YAML) text into a Document, or raise SourceError."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise SourceError(file, None, _too_large())
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


def parse_file(path: Path | str, display: str | None = None) -> Document:
    """Parse a YAML or JSON file (or standard input, given as "-"), read with `read_bounded`."""
    name = "standard input" if str(path) == STDIN else (display or str(path))
    try:
        text = read_bounded(path, name).decode("utf-8")
    except UnicodeDecodeError:
        raise SourceError(name, None, "The file is not UTF-8 text.") from None
    return parse_text(text, name)


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_bounded(path: Path | str, name: str | None = None) -> bytes:
    """The bytes of a regular file, or of standard input for "-", at most MAX_FILE_BYTES of them.

    At most one byte more than the limit is ever read, whatever `stat` says: it says 0 for devices and
    pipes, so a link to /dev/zero would otherwise be read until memory runs out. Anything but a regular
    file is refused before reading, and opening never waits (a FIFO with no writer would hang)."""
    name = name or str(path)
    if str(path) == STDIN:
        return _read_limited(sys.stdin.buffer.fileno(), name)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise SourceError(name, None, f"The file could not be read ({exc.strerror}).") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((word for test, word in _KINDS if test(mode)), "not a regular file")
            raise SourceError(
                name,
                None,
                f"This is {kind}, not a file; give the path of a YAML or JSON file"
                f"{' (or - to read standard input)' if not stat.S_ISDIR(mode) else ''}.",
            )
        os.set_blocking(fd, True)
        return _read_limited(fd, name)
    finally:
        os.close(fd)


def _read_limited(fd: int, name: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise SourceError(name, None, f"The file could not be read ({exc.strerror}).") from None
    if size > MAX_FILE_BYTES:
        raise SourceError(name, None, _too_large())
    return b"".join(chunks)


# -- JSON, with the same rules -------------------------------------------------------------------


class _Refused:
    """A number JSON can write but this project cannot keep, remembered until its field is known."""

    def __init__(self, literal: str):
        self.literal = literal


def _json_int(literal: str) -> int | _Refused:
    # Checked on the text first: Python refuses to convert more than 4,300 digits at all.
    if len(literal) > 20:
        return _Refused(literal)
    value = int(literal)
    return value if abs(value) <= MAX_SAFE_INTEGER else _Refused(literal)


def _json_float(literal: str) -> float | _Refused:
    value = float(literal)
    return value if math.isfinite(value) else _Refused(literal)


def parse_json(data: bytes, file: str = "<request>") -> Document:
    """Parse JSON bytes into a Document under the same rules as a YAML file, or raise SourceError.

    Real JSON semantics (escaped surrogate pairs, exponents), strict syntax (no NaN or Infinity).
    JSON keeps no line numbers, so every value is placed on line 1."""
    if len(data) > MAX_FILE_BYTES:
        raise SourceError(file, None, _too_large())
    duplicates: dict[int, list[str]] = {}

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(items)
        if len(result) != len(items):
            seen: set[str] = set()
            duplicates[id(result)] = [k for k, _ in items if k in seen or seen.add(k)]
        return result

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not a number JSON allows")

    try:
        text = data.decode("utf-8")
        value = json.loads(
            text,
            object_pairs_hook=pairs,
            parse_int=_json_int,
            parse_float=_json_float,
            parse_constant=constant,
        )
    except UnicodeDecodeError:
        raise SourceError(file, None, "The request is not UTF-8 text.") from None
    except json.JSONDecodeError as exc:
        raise SourceError(
            file, exc.lineno, f"This is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from None
    except RecursionError:
        raise SourceError(file, None, f"The data is nested more than {MAX_DEPTH} levels deep.") from None
    except ValueError as exc:
        raise SourceError(file, None, f"This is not valid JSON: {exc}.") from None
    doc = Document(file=file, data=value)
    _check_json(value, (), doc, 0, duplicates)
    return doc


def _check_json(value: Any, path: Path_, doc: Document, depth: int, duplicates: dict[int, list[str]]) -> None:
    if depth > MAX_DEPTH:
        raise SourceError(doc.file, None, f"The data is nested more than {MAX_DEPTH} levels deep.")
    if isinstance(value, dict):
        doc.duplicate_keys.extend(((*path, key), 1) for key in duplicates.get(id(value), ()))
        for key, item in value.items():
            _check_key(key, path, doc.file, None)
            _check_json(item, (*path, key), doc, depth + 1, duplicates)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_json(item, (*path, i), doc, depth + 1, duplicates)
    else:
        _check_scalar(value, path, doc.file, None)


# -- value rules shared by YAML and JSON -----------------------------------------------------------


def _check_key(key: str, path: Path_, file: str, line: int | None) -> None:
    if len(key) > MAX_KEY_CHARS:
        raise SourceError(
            file,
            line,
            f"A field name {'in ' + field_name(path) if path else 'at the top level'} is longer than {MAX_KEY_CHARS} characters "
            f'(it starts "{excerpt(key)}").',
        )
    _check_scalar(key, path, file, line)


def _check_scalar(value: Any, path: Path_, file: str, line: int | None) -> None:
    where = field_name(path)
    if isinstance(value, _Refused) or (isinstance(value, float) and not math.isfinite(value)):
        literal = value.literal if isinstance(value, _Refused) else str(value)
        raise SourceError(
            file,
            line,
            f"{where}: the number {excerpt(literal)} is out of range: numbers must be finite, "
            f"and whole numbers between -{MAX_SAFE_INTEGER} and {MAX_SAFE_INTEGER}.",
        )
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SAFE_INTEGER:
        _check_scalar(_Refused(str(value)), path, file, line)
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise SourceError(
                file,
                line,
                f'{where}: the text "{excerpt(value)}" holds a character that is not '
                "Unicode text (an unpaired surrogate such as \\ud800); remove it.",
            ) from None


# Only what JSON can hold: records, answers and exports must round-trip between YAML and JSON.
_JSON_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "str", "int", "float", "bool", "null")}


def _build(
    node: yaml.Node, path: Path_, doc: Document, constructor: yaml.SafeLoader, depth: int, seen: set[int]
) -> Any:
    if id(node) in seen:
        raise SourceError(
            doc.file,
            node.start_mark.line + 1,
            "The file is not valid YAML: anchors and aliases (& and *) are not allowed.",
        )
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise SourceError(
            doc.file, node.start_mark.line + 1, f"The data is nested more than {MAX_DEPTH} levels deep."
        )
    doc.lines[path] = node.start_mark.line + 1
    if node.tag not in _JSON_TAGS:
        raise SourceError(
            doc.file, node.start_mark.line + 1, f"The YAML tag {node.tag} is not allowed; use plain values."
        )
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        constructor.flatten_mapping(node)
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise SourceError(doc.file, key_node.start_mark.line + 1, "A field name must be plain text.")
            key = str(constructor.construct_scalar(key_node))
            _check_key(key, path, doc.file, key_node.start_mark.line + 1)
            child = (*path, key)
            if key in result:
                doc.duplicate_keys.append((child, key_node.start_mark.line + 1))
            result[key] = _build(value_node, child, doc, constructor, depth + 1, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, (*path, i), doc, constructor, depth + 1, seen) for i, item in enumerate(node.value)
        ]
    if isinstance(node, yaml.ScalarNode):
        line = node.start_mark.line + 1
        if node.tag == "tag:yaml.org,2002:int" and len(node.value) > 20:  # see _json_int
            _check_scalar(_Refused(node.value), path, doc.file, line)
        value = constructor.construct_object(node, deep=True)
        _check_scalar(value, path, doc.file, line)
        return value
    raise SourceError(doc.file, node.start_mark.line + 1, "This kind of YAML value is not allowed here.")
