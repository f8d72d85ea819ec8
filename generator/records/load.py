"""Read registry files into plain values that remember the line of every node.

PyYAML reads YAML 1.1 (``no`` is false, ``2024-01-31`` a date, duplicate keys keep the
last); editors read YAML 1.2. We compose the node graph with the C loader and build the
values ourselves: scalars resolve as YAML 1.2's core schema would, a scalar that YAML 1.1
would read differently is refused, and every hostile input becomes one finding. A file
in the plain block style records are written in is read by `block_yaml.read_block`
instead, to the same values at a fraction of the cost; anything else takes this path.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from generator.records.block_yaml import SPECIAL_STARTS, Ambiguous, Unrepresentable, plain_value, read_block
from generator.rules import text as chars
from generator.rules.findings import Finding, make

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - libyaml is in the pinned wheel
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_PLAIN = "tag:plain"  # our marker: an untagged plain scalar, resolved by `_scalar`
_IMPLICIT_TAGS: dict[type, str] = {
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class _Loader(_BaseLoader):
    """Composes without PyYAML's YAML 1.1 resolver; `_scalar` resolves plain scalars."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else "tag:yaml.org,2002:str"
        return _IMPLICIT_TAGS[kind]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path-based resolvers are registered; skip PyYAML's bookkeeping per node."""

    def ascend_resolver(self) -> None:
        """See `descend_resolver`."""


MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
KINDS = {"centers": "center", "notices": "notice", "calendar": "calendar", "measures": "measures"}
SETTINGS_FILE = "registry.yaml"
UNITS_FILE = "supervising_units.yaml"  # the controlled list of supervising units (第七条)
#: The registry's single files (not folders of records), by kind, in the order they are read.
SINGLE_FILES = {"registry": SETTINGS_FILE, "supervising_units": UNITS_FILE}

JsonPath = tuple[str | int, ...]


# What the text of a file may not hold, raw: tabs and controls (CR and LF are line breaks),
# and the direction and zero-width characters that `text.forbidden` refuses in values.
_INVISIBLE = re.compile(f"[\\t\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u2028\\u2029{chars.BIDI}{chars.ZERO_WIDTH}]")
_COLLECTION_STARTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_COLLECTION_ENDS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_STANDARD_TAGS = {_PLAIN} | {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}


@dataclass
class Document:
    """One registry file: its values, and its text to find the line of any path on demand.

    Lines are wanted only for findings, which are rare, so the node graph is not kept:
    `mark` composes the text again the first time it is asked.
    """

    path: str
    kind: str
    data: dict[str, Any]
    text: str = field(repr=False)

    @property
    def stem(self) -> str:
        return Path(self.path).stem

    @cached_property
    def _root(self) -> yaml.Node:
        root = yaml.compose(self.text, Loader=_Loader)
        assert root is not None, "only a record that loaded to a mapping is asked for its marks"
        return root

    def mark(self, path: JsonPath) -> tuple[int, int]:
        """Line and column (1-based) of a path: a key's own line, or its nearest ancestor's."""
        node, at = self._root, self._root.start_mark
        for part in path:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                pair = next(((k, v) for k, v in node.value if k.value == part), None)
                if pair is None:
                    break
                at, node = pair[0].start_mark, pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
                at = node.start_mark
            else:
                break
        return at.line + 1, at.column + 1


class _Refused(Exception):
    """A node the registry does not accept; carries the rule and where."""

    def __init__(self, rule_id: str, node: yaml.Node, message: str, at_alias: bool = False) -> None:
        super().__init__(message)
        self.rule_id, self.message, self.at_alias = rule_id, message, at_alias
        self.line, self.col = node.start_mark.line + 1, node.start_mark.column + 1


def _build(node: yaml.Node, seen: set[int] | None, depth: int = 0) -> Any:
    """Plain values from a node graph. `seen` tracks nodes when the text has anchors.

    Most nodes are scalars inside a mapping or a list; those are resolved in the parent's
    loop (the same checks, in the same order) instead of in a call of their own.
    """
    if seen is not None:
        if id(node) in seen:
            raise _Refused("yaml.alias", node, "不允许使用 YAML 锚点与别名（*引用）；请直接写出内容", at_alias=True)
        seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _Refused("yaml.depth", node, f"嵌套超过 {MAX_DEPTH} 层")
    if node.tag not in _STANDARD_TAGS:
        raise _Refused("yaml.tag", node, f"不允许的 YAML 标签 {node.tag}")
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    # A child scalar may skip its own call when nothing in that call could refuse it.
    inline = seen is None and depth < MAX_DEPTH
    if isinstance(node, yaml.SequenceNode):
        items = []
        for item in node.value:
            if inline and item.__class__ is _ScalarNode and item.tag in _STANDARD_TAGS:
                text = item.value
                items.append(text if item.tag != _PLAIN or (text and text[0] not in SPECIAL_STARTS) else _scalar(item))
            else:
                items.append(_build(item, seen, depth + 1))
        return items
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if (
            key_node.__class__ is not _ScalarNode and not isinstance(key_node, yaml.ScalarNode)
        ) or key_node.tag not in _STANDARD_TAGS:
            raise _Refused("yaml.tag", key_node, "映射的键必须是普通文字")
        key = key_node.value
        if key == "<<":
            raise _Refused("yaml.alias", key_node, "不允许使用合并键 <<")
        if key in out:
            first = next(k for k, _ in node.value if k.value == key).start_mark.line + 1
            raise _Refused("yaml.duplicate-key", key_node, f"键 {key} 重复（第 {first} 行已出现）")
        if inline and value_node.__class__ is _ScalarNode and value_node.tag in _STANDARD_TAGS:
            text = value_node.value
            out[key] = (
                text if value_node.tag != _PLAIN or (text and text[0] not in SPECIAL_STARTS) else _scalar(value_node)
            )
        else:
            out[key] = _build(value_node, seen, depth + 1)
    return out


_ScalarNode = yaml.ScalarNode


def _scalar(node: yaml.ScalarNode) -> Any:
    """A scalar's value: quoted, block and tagged ones are text; see `plain_value`."""
    if node.tag != _PLAIN:
        return node.value
    try:
        return plain_value(node.value)
    except Ambiguous:
        raise _Refused(
            "yaml.ambiguous",
            node,
            f"“{chars.quoted(node.value)}”在 YAML 1.1 与 1.2 中含义不同；若是文字请加引号，若是数字或是非请写明确的值",
        ) from None
    except Unrepresentable as exc:
        raise _Refused("yaml.value", node, f"“{chars.quoted(node.value)}”{exc}") from None


def _too_deep(text: str) -> tuple[int, int] | None:
    """Line and column where nesting first goes deeper than MAX_DEPTH, found before anything recurses.

    libyaml's parser keeps its own stacks, but PyYAML's C composer recurses once per level
    and a few thousand `- ` or `? ` (or brackets) overflow the C stack: the process dies
    without a traceback. The parser's events are read here in a loop instead; a node's depth
    is the number of collections open around it, as `_build` counts it. A syntax error is
    left to `compose`, which meets it at the same place without having gone any deeper.
    """
    if sum(text.count(c) for c in "-?:[{") <= MAX_DEPTH:  # every collection needs one of these
        return None
    # One entry per open collection: for a mapping, whether its next node is a key (a
    # scalar key is not a node of its own to `_build`); None for a sequence.
    opened: list[bool | None] = []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, _COLLECTION_ENDS):
                opened.pop()
                continue
            is_start = isinstance(event, _COLLECTION_STARTS)
            if not is_start and not isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                continue
            is_key = bool(opened) and opened[-1] is True
            if opened and opened[-1] is not None:
                opened[-1] = not opened[-1]
            mark = event.start_mark
            if len(opened) > MAX_DEPTH and (is_start or not is_key) and mark is not None:
                return mark.line + 1, mark.column + 1
            if is_start:
                opened.append(True if isinstance(event, yaml.MappingStartEvent) else None)
    except yaml.YAMLError:
        return None
    return None


def _refuse_escaped(root: yaml.Node) -> None:
    """Refuse a double-quoted scalar whose escapes spell a character no record may hold.

    Only a double-quoted scalar has escapes ("\\e", "\\u202e", "\\0"); a character written
    raw was already refused with its line by `parse`. Runs after `_build`, which refused
    every alias: the graph is a tree, walked without recursion.
    """
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if node.style == '"':
                bad = chars.forbidden(node.value)
                if bad is not None:
                    rule_id, at = bad
                    char = chars.describe(node.value[at])
                    raise _Refused(rule_id, node, f"含有以转义写出的 {char}：{_TEXT_HINTS[rule_id]}；请删除")
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))


_TEXT_HINTS = {
    "text.control": "控制字符（换行以外）能改写终端与 CI 日志的显示",
    "text.bidi": "改变文字方向的字符能让文字显示得与实际内容不同",
    "text.zero-width": "零宽字符看不见，却使名称与看起来相同的名称不同",
    "file.control": "控制字符在 YAML 中无效且不可见",
}


def _raw_rule(char: str) -> str:
    """The rule a character breaks: what `text.forbidden` says, or file.control for a raw control."""
    found = chars.forbidden(char)
    return "file.control" if found is None or found[0] == "text.control" else found[0]


def _alias_mark(text: str, fallback: _Refused) -> tuple[int, int]:
    """Where the first *alias is used (the composed graph only remembers the anchor)."""
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.AliasToken):
                return token.start_mark.line + 1, token.start_mark.column + 1
    except yaml.YAMLError:
        pass
    return fallback.line, fallback.col


_SYNTAX_HINTS = (  # PyYAML's problem text → what to fix, in the validator's language
    ("mapping values are not allowed", "此处不能出现“键: 值”：可能缩进不对，或值中有未加引号的冒号"),
    ("could not find expected ':'", "缺少冒号“:”：每一行应为“键: 值”"),
    ("did not find expected key", "此处应为“键: 值”：可能缩进不对"),
    ("did not find expected '-' indicator", "此处应为列表项“- ”：可能缩进不对"),
    ("did not find expected node content", "此处缺少内容：可能括号或引号没有闭合"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("found character that cannot start any token", "出现了不能作为开头的字符（如 @ 或 `）：请给这个值加引号"),
    ("found undefined alias", "引用了未定义的别名"),
    ("found unknown escape character", "双引号中有未知的转义字符：请改用单引号或去掉反斜杠"),
    ("but found another document", "一个文件只能有一条记录：请删去多余的 ---"),
    ("expected <block end>", "缩进不一致：同一层级的键应对齐"),
    ("found a tab character", "含有制表符：请改用空格"),
)


def _explain_syntax(problem: str) -> str:
    """A Chinese hint for PyYAML's common problems, keeping its own words for reference."""
    hint = next((text for key, text in _SYNTAX_HINTS if key in problem), None)
    return f"{hint}（{problem}）" if hint else problem


def _line_of_index(text: str, index: int) -> tuple[int, int]:
    """Line and column (1-based, in characters, as editors and YAML marks count) of an index."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _line_of_offset(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, offset - line_start + 1


def parse(raw: bytes, path: str, kind: str) -> tuple[Document | None, list[Finding]]:
    """Bytes of one file to a Document, or to the one finding that says why not."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [make("file.bom", path, 1, 1, "文件以字节顺序标记（BOM）开头；请另存为无 BOM 的 UTF-8")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_of_offset(raw, exc.start)
        return None, [make("file.encoding", path, line, col, f"不是合法的 UTF-8：字节 0x{raw[exc.start]:02x} 无法解码")]
    data = read_block(text)  # None for any text with a tab, a control or another unusual character
    if data is not None:
        return Document(path, kind, data, text), []
    bad = _INVISIBLE.search(text)
    if bad:
        line, col = _line_of_index(text, bad.start())
        char = bad.group()
        if char == "\t":
            return None, [make("file.tab", path, line, col, "含有制表符；请改用空格")]
        rule_id = _raw_rule(char)
        how = "控制字符" if rule_id == "file.control" else "字符"
        return None, [
            make(rule_id, path, line, col, f"含有{how} {chars.describe(char)}：{_TEXT_HINTS[rule_id]}；请删除")
        ]
    deep = _too_deep(text)
    if deep is not None:
        return None, [make("yaml.depth", path, *deep, f"嵌套超过 {MAX_DEPTH} 层")]
    return compose(text, path, kind)


def compose(text: str, path: str, kind: str) -> tuple[Document | None, list[Finding]]:
    """`parse` by PyYAML's node graph: any YAML, and the finding for whatever is wrong with it.

    The caller has made sure the text nests no deeper than MAX_DEPTH (`_too_deep`).
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "无法解析"
        return None, [make("yaml.syntax", path, line, col, f"YAML 语法错误：{_explain_syntax(problem)}")]
    except yaml.YAMLError as exc:
        return None, [make("yaml.syntax", path, 1, 1, f"YAML 语法错误：{chars.quoted(exc, 200)}")]
    if node is None:
        return None, [make("file.empty", path, 1, 1, "文件为空，没有记录内容")]
    try:
        data = _build(node, set() if "&" in text else None)
        if "\\" in text:
            _refuse_escaped(node)
    except _Refused as exc:
        line, col = _alias_mark(text, exc) if exc.at_alias else (exc.line, exc.col)
        return None, [make(exc.rule_id, path, line, col, exc.message)]
    except RecursionError:
        return None, [make("yaml.depth", path, 1, 1, "嵌套过深")]
    if not isinstance(data, dict):
        found = "列表" if isinstance(data, list) else "单个值"
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        return None, [make("yaml.root", path, line, col, f"顶层应为映射（键: 值），实际是{found}")]
    return Document(path, kind, data, text), []


SCHEMA_LINES = {
    "center": "# yaml-language-server: $schema=../../schema/center.schema.json",
    "notice": "# yaml-language-server: $schema=../../schema/notice.schema.json",
    "calendar": "# yaml-language-server: $schema=../../schema/calendar.schema.json",
    "measures": "# yaml-language-server: $schema=../../schema/measures.schema.json",
    "registry": "# yaml-language-server: $schema=../schema/registry.schema.json",
    "supervising_units": "# yaml-language-server: $schema=../schema/supervising-units.schema.json",
}


def _parse_file(raw: bytes, shown: str, kind: str) -> tuple[Document | None, list[Finding]]:
    doc, findings = parse(raw, shown, kind)
    if doc is not None and doc.text.partition("\n")[0].rstrip() != SCHEMA_LINES[kind]:
        findings.append(make("file.schema-line", shown, 1, 1, f"第一行应为 {SCHEMA_LINES[kind]}"))
    return doc, findings


def record_files(registry: Path) -> Iterator[tuple[Path, str]]:
    """Every file the registry holds, with its record kind, in a stable order.

    The single files (settings, supervising units) are always named, so that the absence of
    one is a finding; a record folder that is a symbolic link is named instead of its files
    (they are never read through it).
    """
    if not registry.is_dir():
        return
    for kind, name in SINGLE_FILES.items():
        yield registry / name, kind
    for folder, kind in KINDS.items():
        directory = registry / folder
        if directory.is_symlink():
            yield directory, kind
        elif directory.is_dir():
            # Names sort as their paths do (one folder); os.listdir spares a Path per comparison.
            for name in sorted(os.listdir(directory)):
                if not name.startswith("."):
                    yield directory / name, kind


def read_record(file: Path, kind: str, shown_root: Path) -> tuple[Document | None, list[Finding]]:
    """One registry file as a Document, or the one finding that says why it is not one.

    Paths in findings are shown relative to ``shown_root`` (the repository), the way a
    reviewer sees them in a pull request.
    """
    return read_shown(file, kind, _relative(file, shown_root))


def read_shown(
    file: Path, kind: str, shown: str, info: os.stat_result | None = None
) -> tuple[Document | None, list[Finding]]:
    """`read_record` with the shown path already known, and the file's `os.lstat` if taken.

    One `lstat` answers "symbolic link?", "regular file?" and "how large?"; an I/O error
    becomes a finding like any other.
    """
    try:
        info = info or os.lstat(file)
        if stat.S_ISLNK(info.st_mode):
            target = chars.quoted(os.readlink(file), 200)
            what = (
                "记录文件夹必须是普通文件夹"
                if file.suffix != ".yaml" and kind not in SINGLE_FILES
                else "记录必须是普通文件"
            )
            return None, [make("file.symlink", shown, 1, 1, f"是符号链接（指向 {target}）；{what}，不能指向他处")]
        if kind not in SINGLE_FILES and file.suffix != ".yaml":
            return None, [make("file.name", shown, 1, 1, "记录文件名须为 <标识>.yaml")]
        if not stat.S_ISREG(info.st_mode):  # a folder, a pipe or a device: never open it
            return None, [make("file.name", shown, 1, 1, "不是普通文件；记录文件须为 <标识>.yaml 文本文件")]
        if info.st_size > MAX_BYTES:
            return None, [make("file.too-large", shown, 1, 1, f"文件大小 {info.st_size} 字节，超过 1 MiB")]
        with open(file, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        if kind == "registry":
            message = "缺少名录设置文件 registry.yaml：没有它，网站不会显示演示数据提示，开放数据也没有许可协议"
            return None, [make("registry.settings", shown, 1, 1, message)]
        if kind == "supervising_units":
            message = (
                "缺少归口管理单位名录 supervising_units.yaml：没有它，中心与公示所写的归口管理单位无从核对，"
                "一个单位可能因笔误被分成两个"
            )
            return None, [make("registry.units", shown, 1, 1, message)]
        return None, [make("file.unreadable", shown, 1, 1, "无法读取：文件在读取时已不存在")]
    except OSError as exc:
        return None, [make("file.unreadable", shown, 1, 1, f"无法读取：{chars.quoted(exc.strerror or exc, 200)}")]
    return _parse_file(raw, shown, kind)


def shown_files(registry: Path, shown_root: Path) -> list[tuple[Path, str, str]]:
    """`record_files` with each file's path as `read_record` shows it, worked out once per folder.

    A file's path relative to the root is the registry's plus the file's own components
    (`Path.relative_to` compares components, and a name adds one); the first file is
    checked against `_relative` itself, and any mismatch falls back to it for every file.
    """
    base = _relative(registry, shown_root)
    out = []
    for file, kind in record_files(registry):
        top = kind in SINGLE_FILES or (file.name in KINDS and file.parent == registry)  # a linked folder
        rel = file.name if top else f"{file.parent.name}/{file.name}"
        out.append((file, kind, rel if base == "." else f"{base}/{rel}"))
    if out and out[0][2] != _relative(out[0][0], shown_root):
        return [(file, kind, _relative(file, shown_root)) for file, kind, _ in out]
    return out


def load_registry(registry: Path, shown_root: Path) -> tuple[list[Document], list[Finding]]:
    """All documents of a registry folder and the findings of files that could not be read."""
    documents: list[Document] = []
    findings: list[Finding] = []
    for file, kind, shown in shown_files(registry, shown_root):
        doc, problems = read_shown(file, kind, shown)
        findings.extend(problems)
        if doc is not None:
            documents.append(doc)
    return documents, findings


def _relative(file: Path, root: Path) -> str:
    try:
        return file.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return file.as_posix()


#: Every rule of rules/table.py that this module applies, by id.
APPLIES: dict[str, Callable[..., Any]] = {
    "file.too-large": read_shown,
    "registry.settings": read_shown,
    "registry.units": read_shown,
    "file.symlink": read_shown,
    "file.unreadable": read_shown,
    "file.name": read_shown,
    "file.encoding": parse,
    "file.bom": parse,
    "file.control": parse,
    "file.tab": parse,
    "file.empty": compose,
    "file.schema-line": _parse_file,
    "yaml.syntax": compose,
    "yaml.root": compose,
    "yaml.depth": _too_deep,
    "yaml.alias": _build,
    "yaml.tag": _build,
    "yaml.duplicate-key": _build,
    "yaml.ambiguous": _scalar,
    "yaml.value": _scalar,
    "text.control": _refuse_escaped,
    "text.bidi": _refuse_escaped,
    "text.zero-width": _refuse_escaped,
}
