"""YAML 1.2 scalars, and a quick reader for the block-style subset that records are written in.

Composing a node graph with PyYAML costs far more than the records' simple shape needs:
keys, plain or one-line quoted values, nested mappings and lists. `read_block` reads
exactly that subset in one pass over the lines and answers None for anything else (a
flow collection, a block or multi-line scalar, a tag, an anchor, a duplicate key, an
ambiguous value, a character libyaml treats specially...), so the caller composes that
file in full and reports what is wrong with it. Whatever it does accept, the full path
reads to the same values (tests/test_block_yaml.py holds it to that).
"""

from __future__ import annotations

import re
from typing import Any

_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_YAML11_BOOL = re.compile(r"y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF")
_YAML11_ONLY = re.compile(
    r"[-+]?(?:0[0-9_]+|[0-9][0-9_]*_[0-9_]*|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|0b[01_]+|0o[0-7]+)"
)
_DATE_SHAPED = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SPECIAL_STARTS = frozenset("0123456789+-.~yYnNoOtTfF")  # what a plain scalar that is not text starts with


class Ambiguous(ValueError):
    """A plain scalar that YAML 1.1 reads differently from YAML 1.2."""


class Unrepresentable(ValueError):
    """A plain scalar that is a number no reader of the open data could hold exactly."""


#: The largest integer every reader of the JSON open data holds exactly (2^53 − 1, as in
#: JavaScript); Python's own limit (4,300 digits) would raise instead of answering.
MAX_SAFE_INTEGER = 2**53 - 1


def _integer(text: str) -> int:
    digits = len(text.lstrip("+-"))
    if digits > 16 or abs(value := int(text)) > MAX_SAFE_INTEGER:
        raise Unrepresentable(f"超出可精确表示的整数范围（绝对值不大于 {MAX_SAFE_INTEGER}）")
    return value


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise Unrepresentable("超出可表示的数值范围")
    return value


def plain_value(text: str) -> Any:
    """Resolve a plain scalar by YAML 1.2's core schema; refuse what YAML 1.1 reads otherwise."""
    if text and text[0] not in SPECIAL_STARTS:
        return text  # plain text that no other type starts with
    if text.isdigit() and text.isascii():  # 2024: an integer, unless YAML 1.1 reads a leading 0 as octal
        if text[0] == "0" and len(text) > 1:
            raise Ambiguous(text)
        return _integer(text)
    if _DATE_SHAPED.fullmatch(text):
        return text  # 2024-08-20 (the commonest case): text in YAML 1.2, as no pattern below matches it
    exponent = _FLOAT.fullmatch(text) and ("e" in text or "E" in text)
    if _YAML11_BOOL.fullmatch(text) or _YAML11_ONLY.fullmatch(text) or exponent:
        raise Ambiguous(text)
    if _NULL.fullmatch(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.fullmatch(text):
        return _integer(text)
    if _FLOAT.fullmatch(text):
        return _float(text)
    return text


# Only printable characters that libyaml reads as themselves (no CR, NEL, LS, PS or BOM),
# and none that records may not hold (rules/text.py: direction and zero-width characters).
_UNUSUAL = re.compile(
    "[^\n -~\xa0-\xac\xae-\u061b\u061d-\u180d\u180f-\u200a\u2010-\u2027\u202f-\u205f\u206a-\ud7ff"
    "\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
# Each line that holds content (not blank, not a comment): its indent, "- " if it starts
# with one, a key if one follows (with its colon), and the rest (from a character not a space).
_LINES = re.compile(r"^( *+)(?!#|$)(-(?: +|$))?(?:([A-Za-z_][A-Za-z0-9_-]{0,127}):(?: +|$))?(.*)$", re.MULTILINE)
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE = re.compile(r'"([^"\\]*)"')
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_EMPTY_FLOW = {"[]": list, "{}": dict}
_MAX_DEPTH = 30  # deeper documents take the full path, which enforces the real limit

_Line = tuple[str, str, str, str]  # indent, "- ", key, the rest: each "" when absent


class _Unusual(Exception):
    """Outside the subset: the caller composes the document in full."""


def read_block(text: str) -> dict[str, Any] | None:
    """The values of a block-style document, or None when it needs the full YAML path."""
    if _UNUSUAL.search(text):
        return None
    lines: list[_Line] = _LINES.findall(text)
    if not lines or lines[0][1]:
        return None  # empty, or a list at the top: the full path says which
    try:
        data, end = _mapping(lines, 0, len(lines[0][0]), 0)
    except (_Unusual, Ambiguous, Unrepresentable):
        return None
    return data if end == len(lines) else None


def _mapping(lines: list[_Line], i: int, indent: int, depth: int) -> tuple[dict[str, Any], int]:
    """The "key: value" lines at `indent` from line i on, with what is nested under them.

    Line i itself may be a "- key: value" whose key stands at `indent`.
    """
    if depth > _MAX_DEPTH:
        raise _Unusual
    out: dict[str, Any] = {}
    count = len(lines)
    _, _, key, rest = lines[i]
    while True:
        if not key or key in out:
            raise _Unusual
        i += 1
        if rest:
            out[key] = _scalar(rest)
        elif i < count:
            below = len(lines[i][0])
            if below > indent or (below == indent and lines[i][1]):  # a list may sit at its key's indent
                out[key], i = (_sequence if lines[i][1] else _mapping)(lines, i, below, depth + 1)
            else:
                out[key] = None
        else:
            out[key] = None
        if i == count:
            return out, i
        spaces, dash, key, rest = lines[i]
        if len(spaces) < indent:
            return out, i
        if len(spaces) > indent or dash:
            raise _Unusual


def _sequence(lines: list[_Line], i: int, indent: int, depth: int) -> tuple[list[Any], int]:
    """The "- " lines at `indent` from line i on, with what is nested in them."""
    if depth > _MAX_DEPTH:
        raise _Unusual
    items: list[Any] = []
    item: Any  # a scalar, a mapping or a list
    count = len(lines)
    while i < count:
        spaces, dash, key, rest = lines[i]
        if len(spaces) != indent or not dash:
            if len(spaces) > indent:
                raise _Unusual  # a plain scalar continued on the next line
            break
        if key:
            item, i = _mapping(lines, i, indent + len(dash), depth + 1)
        elif rest:
            item, i = _scalar(rest), i + 1
        else:  # "-" alone: what is nested below it, or null
            i += 1
            below = len(lines[i][0]) if i < count else -1
            if below > indent:
                item, i = (_sequence if lines[i][1] else _mapping)(lines, i, below, depth + 1)
            else:
                item = None
        items.append(item)
    return items, i


def _scalar(rest: str) -> Any:
    """A one-line scalar (or an empty flow collection) after "key: " or "- "."""
    if rest[-1] == " ":
        rest = rest.rstrip(" ")
    first = rest[0]
    if first not in _INDICATORS:
        if ": " in rest or " #" in rest or rest[-1] == ":":
            raise _Unusual
        return rest if first not in SPECIAL_STARTS else plain_value(rest)
    if first == "'":
        match = _SINGLE.fullmatch(rest)
        if match:
            return match[1].replace("''", "'")
    elif first == '"':
        match = _DOUBLE.fullmatch(rest)
        if match:
            return match[1]
    elif rest in _EMPTY_FLOW:
        return _EMPTY_FLOW[rest]()
    raise _Unusual
