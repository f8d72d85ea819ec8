"""One canonical layout for registry files, keeping every comment.

Hand-written and machine-written changes diff cleanly only if both write the same text for
the same record. The canonical layout:

- the editor's schema line first, then any other comments the file opens with;
- keys in the order of the JSON Schema's ``properties`` (keys the schema does not know
  follow, in the order they were written); in an event, ``date`` and ``kind`` first, then
  the fields of that kind, then the fields every kind shares (``source``, ``note``), so
  that the grade or result sits next to the kind;
- a center's events in date order (same-day events keep their order, which means
  something: 事件按日期先后排列，同一天的事件按发生顺序排列);
- block style, two spaces per level, list dashes two spaces under their key;
- a string unquoted when YAML 1.2 reads it back as that same string and this project's
  reader accepts it plain, otherwise in double quotes; numbers, true/false and null plain;
- a comment stays with the key or list item it stood above (or beside); one blank line is
  kept in front of a comment block that had one, no other blank lines.

The text is read with PyYAML's composer (for the values and each key's line) and its
scanner (whatever lies outside every token and starts with ``#`` is a comment). The result
is checked before it is returned: it must read back to the same values with the same
comments, or the file is left alone with a finding.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from generator.records.block_yaml import Ambiguous, plain_value
from generator.records.load import SCHEMA_LINES, parse
from generator.records.schema import SCHEMA_DIR, SCHEMA_FILES
from generator.rules.findings import Finding

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - libyaml is in the pinned wheel
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MODELINE_PREFIX = "# yaml-language-server:"
INDENT = 2

# --- the commented tree -------------------------------------------------------------------


@dataclass
class Entry:
    """A key's value or a list item, with the comments above it and at the end of its line."""

    value: Any  # str, int, float, bool, None, MapNode or ListNode
    before: list[str] = field(default_factory=list)  # "# ..." lines, "" for a blank line
    after: str | None = None  # "# ..." at the end of the line


@dataclass
class MapNode:
    entries: dict[str, Entry] = field(default_factory=dict)


@dataclass
class ListNode:
    items: list[Entry] = field(default_factory=list)


@dataclass
class Commented:
    """A whole file: its top-level mapping, the comments it opens with and ends with."""

    root: MapNode
    header: list[str] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)

    def plain(self) -> dict[str, Any]:
        return plain(self.root)


def plain(value: Any) -> Any:
    """The values alone, as the registry reader gives them."""
    if isinstance(value, MapNode):
        return {key: plain(entry.value) for key, entry in value.entries.items()}
    if isinstance(value, ListNode):
        return [plain(entry.value) for entry in value.items]
    return value


def wrap(value: Any) -> Any:
    """Plain values as tree nodes without comments (for what a program adds)."""
    if isinstance(value, Mapping):
        return MapNode({str(key): Entry(wrap(item)) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return ListNode([Entry(wrap(item)) for item in value])
    return value


# --- reading ------------------------------------------------------------------------------


_COLLECTION_TAGS: dict[type, str] = {
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class _Loader(_BaseLoader):
    """Composes without PyYAML's YAML 1.1 resolver: plain scalars are resolved by `plain_value`."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return "tag:plain" if implicit[0] else "tag:yaml.org,2002:str"
        return _COLLECTION_TAGS[kind]


def _tree(node: yaml.Node, anchors: list[tuple[int, Entry]]) -> Any:
    """Tree values from a node graph; each key and item is registered at its line, outer first."""
    if isinstance(node, yaml.ScalarNode):
        return plain_value(node.value) if node.tag == "tag:plain" else node.value
    if isinstance(node, yaml.SequenceNode):
        items = ListNode()
        for item in node.value:
            entry = Entry(None)
            anchors.append((item.start_mark.line, entry))
            entry.value = _tree(item, anchors)
            items.items.append(entry)
        return items
    mapping = MapNode()
    for key, value in node.value:
        entry = Entry(None)
        anchors.append((key.start_mark.line, entry))
        entry.value = _tree(value, anchors)
        mapping.entries[str(key.value)] = entry
    return mapping


def _comments(text: str) -> tuple[dict[int, str], dict[int, str], set[int]]:
    """Full-line comments, end-of-line comments (by line) and blank lines, found outside every token."""
    lines = text.split("\n")
    covered: dict[int, list[tuple[int, float]]] = {}
    for token in yaml.scan(text, Loader=_BaseLoader):
        start, end = token.start_mark, token.end_mark
        if start.line == end.line:
            if end.column > start.column:
                covered.setdefault(start.line, []).append((start.column, end.column))
            continue
        covered.setdefault(start.line, []).append((start.column, float("inf")))
        for inside in range(start.line + 1, end.line):
            covered.setdefault(inside, []).append((0, float("inf")))
        covered.setdefault(end.line, []).append((0, end.column))
    full: dict[int, str] = {}
    eol: dict[int, str] = {}
    blank: set[int] = set()
    for number, line in enumerate(lines):
        spans = covered.get(number, [])
        if not line.strip():
            if not spans:
                blank.add(number)
            continue
        for match in re.finditer("#", line):
            at = match.start()
            if any(a <= at < b for a, b in spans) or (at and line[at - 1] not in " \t"):
                continue
            comment = line[at:].rstrip()
            (full if not line[:at].strip() else eol)[number] = comment
            break
    return full, eol, blank


def read(text: str) -> Commented:
    """The commented tree of a file that the registry reader accepts (see `canonical`)."""
    anchors: list[tuple[int, Entry]] = []
    node = yaml.compose(text, Loader=_Loader)
    if node is None:  # the reader refuses an empty file before this
        raise ValueError("empty document")
    root = _tree(node, anchors)
    doc = Commented(root)
    full, eol, blank = _comments(text)
    marks = sorted({**dict.fromkeys(blank, ""), **full}.items())
    lines = [line for line, _ in anchors]
    at = 0
    for number, comment in marks:  # each comment or blank line goes to the next key or item
        while at < len(anchors) and lines[at] <= number:
            at += 1
        (anchors[at][1].before if at < len(anchors) else doc.footer if anchors else doc.header).append(comment)
    if anchors:  # what stands above the first key is the file's header, not that key's
        doc.header, anchors[0][1].before = anchors[0][1].before, []
    orphans: list[str] = []
    for number, comment in sorted(eol.items()):
        at = bisect.bisect_right(lines, number) - 1  # the innermost key or item on (or before) that line
        if at < 0:
            doc.header.append(comment)
            continue
        entry = anchors[at][1]
        if entry.after is None:
            entry.after = comment
        else:
            orphans.append(comment)
    doc.footer += orphans  # a second end-of-line comment for one key (a flow list's lines) is kept at the end
    return doc


# --- the canonical order ------------------------------------------------------------------


@cache
def schema(kind: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / SCHEMA_FILES[kind]).read_text(encoding="utf-8"))


def _resolve(node: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(node)
    while "$ref" in out:
        ref = out.pop("$ref")
        target = root["$defs"][ref.removeprefix("#/$defs/")] if ref.startswith("#/$defs/") else {}
        out = {**target, **out}
    return out


def _matches(condition: Mapping[str, Any], value: Mapping[str, Any]) -> bool:
    for key, rule in condition.get("properties", {}).items():
        if "const" in rule and value.get(key) != rule["const"]:
            return False
    return True


# Remembered per schema node: the node is kept in the entry, so its id cannot be reused.
_ORDERS: dict[tuple[int, tuple[Any, ...]], tuple[Mapping[str, Any], dict[str, Any]]] = {}
_CONDITIONS: dict[int, tuple[Mapping[str, Any], tuple[str, ...]]] = {}


def _properties(node: Mapping[str, Any], root: Mapping[str, Any], value: Mapping[str, Any]) -> dict[str, Any]:
    """`_ordered`, remembered per schema node and the values its if/then conditions test."""
    tested = tuple(value.get(key) for key in _conditions(node, root))
    known = _ORDERS.get((id(node), tested))
    if known is None or known[0] is not node:
        known = _ORDERS[(id(node), tested)] = (node, _ordered(node, root, value))
    return known[1]


def _conditions(node: Mapping[str, Any], root: Mapping[str, Any]) -> tuple[str, ...]:
    """The keys whose values pick an if/then branch of a node (the events' `kind`)."""
    known = _CONDITIONS.get(id(node))
    if known is None or known[0] is not node:
        parts = _resolve(node, root).get("allOf", [])
        keys = {key for part in parts if "if" in part for key in part["if"].get("properties", {})}
        known = _CONDITIONS[id(node)] = (node, tuple(sorted(keys)))
    return known[1]


def _ordered(node: Mapping[str, Any], root: Mapping[str, Any], value: Mapping[str, Any]) -> dict[str, Any]:
    """The properties of an object schema, in order, for this value (if/then picks a branch).

    A discriminated union (the events: `kind` picks one of several `then`s) is ordered as
    its own required keys, then the chosen branch's own keys, then the keys every branch has.
    """
    node = _resolve(node, root)
    props = dict(node.get("properties", {}))
    branches = [part for part in node.get("allOf", []) if "if" in part]
    for part in node.get("allOf", []):
        if "if" not in part:
            for key, sub in _properties(part, root, value).items():
                props.setdefault(key, sub)
    if not branches:
        return props
    every = [list(_properties(b.get("then", {}), root, {})) for b in branches]
    shared = [key for key in every[0] if all(key in keys for keys in every)]  # in the first branch's order
    chosen: Mapping[str, Any] = next((b.get("then", {}) for b in branches if _matches(b["if"], value)), {})
    own = _properties(chosen, root, value)
    head = list(node.get("required", []))
    order = head + [k for k in own if k not in shared and k not in head] + [k for k in shared if k not in head]
    merged = {key: own.get(key, props.get(key, {})) for key in order}
    for key, sub in props.items():
        merged.setdefault(key, sub)
    return merged


def _child(node: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any]:
    """The schema of a list's items (or {} when not a list schema)."""
    node = _resolve(node, root)
    return dict(node.get("items", {})) if node.get("type") == "array" or "items" in node else {}


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _event_key(entry: Entry) -> str | None:
    if isinstance(entry.value, MapNode):
        date = entry.value.entries.get("date")
        if date is not None and isinstance(date.value, str) and _DATE.fullmatch(date.value):
            return date.value
    return None


def arrange(doc: Commented, kind: str) -> None:
    """Put keys in schema order and a center's events in date order, in place."""
    root = schema(kind)
    _arrange_map(doc.root, root, root)
    events = doc.root.entries.get("events")
    if kind == "center" and events is not None and isinstance(events.value, ListNode):
        keys = [_event_key(item) for item in events.value.items]
        dated = [(key, item) for key, item in zip(keys, events.value.items) if key is not None]
        if len(dated) == len(keys):  # an unreadable date: leave the order to the validator
            events.value.items = [item for _, item in sorted(dated, key=lambda pair: pair[0])]


def _arrange(value: Any, node: Mapping[str, Any], root: Mapping[str, Any]) -> None:
    if isinstance(value, MapNode):
        _arrange_map(value, node, root)
    elif isinstance(value, ListNode):
        item_schema = _child(node, root)
        for item in value.items:
            _arrange(item.value, item_schema, root)


def _arrange_map(mapping: MapNode, node: Mapping[str, Any], root: Mapping[str, Any]) -> None:
    scalars = {k: e.value for k, e in mapping.entries.items() if not isinstance(e.value, MapNode | ListNode)}
    props = _properties(node, root, scalars)  # a branch is picked by a scalar (an event's kind)
    known = [key for key in props if key in mapping.entries]
    rest = [key for key in mapping.entries if key not in props]
    mapping.entries = {key: mapping.entries[key] for key in known + rest}
    for key, entry in mapping.entries.items():
        _arrange(entry.value, props.get(key, {}), root)


# --- writing ------------------------------------------------------------------------------

_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# Characters that stay as they are in a double-quoted scalar: printable, not a line break
# YAML knows (NEL, LS, PS), not a BOM or a surrogate.
_SAFE = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


_UNSAFE = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


@lru_cache(maxsize=4096)
def _plain_ok(text: str) -> bool:
    """True when `text` written unquoted reads back as the same string, by every reader here."""
    if not text or text != text.strip() or text[0] in _INDICATORS:
        return False
    if ": " in text or " #" in text or text.endswith(":") or _UNSAFE.search(text):
        return False
    try:
        return plain_value(text) == text and isinstance(plain_value(text), str)
    except Ambiguous:
        return False


def _quoted(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif _SAFE.match(char):
            out.append(char)
        elif ord(char) <= 0xFF:
            out.append(f"\\x{ord(char):02X}")
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(f"\\U{ord(char):08X}")
    return '"' + "".join(out) + '"'


def scalar(value: Any) -> str:
    """A scalar as the canonical layout writes it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        if "e" in text or "E" in text:  # YAML 1.1 reads 1e+20 otherwise: write the digits out
            text = format(Decimal(text), "f")
            text = text if "." in text else text + ".0"
        return text
    text = str(value)
    return text if _plain_ok(text) else _quoted(text)


def _key(key: str) -> str:
    return key if _plain_ok(key) else _quoted(key)


def _tidy(lines: list[str], leading_blank: bool) -> list[str]:
    """Comment lines with one blank line kept only where it stood in front of a comment."""
    out: list[str] = []
    pending = False
    for line in lines:
        if not line:
            pending = True
            continue
        if pending and (out or leading_blank):
            out.append("")
        pending = False
        out.append(line)
    return out


def _suffix(entry: Entry) -> str:
    return f"  {entry.after}" if entry.after else ""


def _emit_map(mapping: MapNode, indent: int, out: list[str], lead: str | None = None) -> None:
    """The keys of a mapping at `indent`; `lead` replaces the first line's indent ("- " of an item)."""
    pad = " " * indent
    for i, (key, entry) in enumerate(mapping.entries.items()):
        start = lead if i == 0 and lead is not None else pad
        if start is pad:  # the first key of an item has its comments above the dash (`_emit_list`)
            out += [pad + c if c else "" for c in _tidy(entry.before, True)]
        _emit_value(start + _key(key) + ":", entry, indent, out)


def _emit_value(head: str, entry: Entry, indent: int, out: list[str]) -> None:
    value = entry.value
    if isinstance(value, MapNode) and value.entries:
        out.append(head + _suffix(entry))
        _emit_map(value, indent + INDENT, out)
    elif isinstance(value, ListNode) and value.items:
        out.append(head + _suffix(entry))
        _emit_list(value, indent + INDENT, out)
    else:
        text = "{}" if isinstance(value, MapNode) else "[]" if isinstance(value, ListNode) else scalar(value)
        out.append(f"{head} {text}{_suffix(entry)}")


def _emit_list(items: ListNode, indent: int, out: list[str]) -> None:
    pad = " " * indent
    for entry in items.items:
        value = entry.value
        before = list(entry.before)
        if isinstance(value, MapNode) and value.entries:
            first = next(iter(value.entries.values()))
            before += first.before  # the first key's comments go above the dash
            first.before = []
            out += [pad + c if c else "" for c in _tidy(before, True)]
            if entry.after and not first.after:
                first.after, entry.after = entry.after, None
            _emit_map(value, indent + INDENT, out, lead=pad + "- ")
            if entry.after:  # both had one: keep the item's on a line of its own below
                out.append(pad + "  " + entry.after)
        elif isinstance(value, ListNode) and value.items:
            out += [pad + c if c else "" for c in _tidy(before, True)]
            out.append(pad + "-" + _suffix(entry))
            _emit_list(value, indent + INDENT, out)
        else:
            out += [pad + c if c else "" for c in _tidy(before, True)]
            text = "{}" if isinstance(value, MapNode) else "[]" if isinstance(value, ListNode) else scalar(value)
            out.append(f"{pad}- {text}{_suffix(entry)}")


def dump(doc: Commented, kind: str) -> str:
    """The canonical text of a commented tree (call `arrange` first for the canonical order)."""
    header = [line for line in doc.header if not line.startswith(MODELINE_PREFIX)]
    out = [SCHEMA_LINES[kind], *_tidy(header, False)]
    _emit_map(doc.root, 0, out)
    out += _tidy(doc.footer, True)
    return "\n".join(out) + "\n"


# --- the whole step -----------------------------------------------------------------------


def _comment_texts(lines: Iterable[str]) -> Counter[str]:
    return Counter(line.strip() for line in lines if line.strip().startswith("#"))


def _all_comments(doc: Commented) -> Iterator[str]:
    yield from doc.header
    yield from doc.footer
    stack: list[Any] = [doc.root]
    while stack:
        node = stack.pop()
        entries = node.entries.values() if isinstance(node, MapNode) else node.items
        for entry in entries:
            yield from entry.before
            if entry.after:
                yield entry.after
            if isinstance(entry.value, MapNode | ListNode):
                stack.append(entry.value)


class CannotFormat(Exception):
    """The file cannot be put into the canonical layout: the reader's findings, or a message."""

    def __init__(self, findings: list[Finding], message: str = "") -> None:
        super().__init__(message or "；".join(f.message for f in findings))
        self.findings = findings


def load_commented(raw: bytes, kind: str, shown: str) -> Commented:
    """The commented tree of a registry file, or CannotFormat with the reader's findings."""
    document, findings = parse(raw, shown, kind)
    if document is None:
        raise CannotFormat(findings)
    first, _, rest = document.text.partition("\n")
    if "#" not in rest and (first.startswith("#") or "#" not in first):
        # No comment but perhaps the first line: the values are the whole tree (no PyYAML needed).
        return Commented(wrap(document.data), header=[first] if first.startswith("#") else [])
    doc = read(document.text)
    if doc.plain() != document.data:  # both read scalars by plain_value: a bug if they differ
        raise CannotFormat([], "读出的值与校验器读出的不一致，未改动")
    return doc


def render(doc: Commented, kind: str, shown: str) -> str:
    """The canonical text of a tree, checked: same values and the same comments read back."""
    before = doc.plain()
    comments = _comment_texts(c for c in _all_comments(doc) if not c.startswith(MODELINE_PREFIX))
    arrange(doc, kind)
    text = dump(doc, kind)
    again, findings = parse(text.encode("utf-8"), shown, kind)
    if again is None or _normal(again.data, kind) != _normal(before, kind):  # a bug if this happens
        raise CannotFormat(findings, "规范格式读回的值与原文不同，未改动")
    if comments:  # without comments in the tree, `dump` writes none but the schema line
        full, eol, _ = _comments(text)
        written = _comment_texts(c for c in [*full.values(), *eol.values()] if not c.startswith(MODELINE_PREFIX))
        if written != comments:  # a bug if this happens
            raise CannotFormat([], "规范格式会丢失注释，未改动")
    return text


def _normal(data: dict[str, Any], kind: str) -> Any:
    """Values compared without key order, and events without their (date-sorted) order."""
    out = json.loads(json.dumps(data, sort_keys=True))
    if kind == "center" and isinstance(out.get("events"), list):
        out["events"] = sorted(out["events"], key=lambda e: json.dumps(e, sort_keys=True))
    return out


def canonical(raw: bytes, kind: str, shown: str) -> str:
    """The canonical text of a registry file's bytes (CannotFormat when it cannot be read)."""
    return render(load_commented(raw, kind, shown), kind, shown)


def replace_text(path: Path, text: str) -> None:
    """Replace a record file's text all at once (a reader never sees half a file); the file
    itself is replaced, never a symbolic link's target."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
