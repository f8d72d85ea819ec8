"""`python -m generator new center|notice`: a new record, from answers or as a stub.

In a terminal, `new center` asks for the fields one by one (`Interview`): each answer is
checked against the field's schema before the next question, and the record is written in
the canonical layout (generator.records.canonical) once confirmed. `--stub` (and `new
notice`) writes a stub instead. Either way the id must be a slug from its first character
to its last, and the file lands in the registry's folder for its kind or nowhere.

The stub is made from the JSON Schema itself: each required property (and, inside a
required object or a required non-empty list, its own required properties) becomes a line
``key: ""`` under a Chinese comment taken from the schema's title and description, with
the allowed values of an enum. An empty string fails the schema for every such field
(minLength, pattern, enum or type), so `python -m generator validate` points at each blank
by its line until it is filled; filled with sensible values, the record validates.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import jsonschema

from generator.exits import CommandError, UsageError
from generator.records.canonical import Commented, render, wrap
from generator.records.load import KINDS, SCHEMA_LINES, UNITS_FILE, read_record
from generator.records.model import UnitList, units_from
from generator.records.schema import SCHEMA_DIR, SchemaChecker
from generator.validate.checks import unknown_unit

FOLDERS = {kind: folder for folder, kind in KINDS.items()}  # center → centers, notice → notices
BLANK = '""'
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # always with fullmatch: "$" would let "id\n" through
_TYPE_WORDS = {"integer": "整数", "number": "数字", "boolean": "true 或 false", "string": "文字"}


@dataclass(frozen=True)
class IdPattern:
    """How automatic ids of one kind look: `<prefix>-<year>-<number>`."""

    prefix: str
    digits: int

    def regex(self, year: int) -> re.Pattern[str]:
        return re.compile(rf"{re.escape(self.prefix)}-{year}-([0-9]{{{self.digits}}})")

    def format(self, year: int, number: int) -> str:
        return f"{self.prefix}-{year}-{number:0{self.digits}d}"


ID_PATTERNS = {"center": IdPattern("tic", 3), "notice": IdPattern("notice", 2)}


class ScaffoldError(UsageError):
    """A request that cannot be carried out as given (exit status 2)."""


# --- the next free id -------------------------------------------------------------------


def next_id(registry: Path, kind: str, year: int) -> str:
    """The next automatic id of `kind` for `year`: one more than the highest in use.

    Gaps are not reused: an id may have belonged to a record that was deleted, and ids
    stay stable in links and open data.
    """
    pattern = ID_PATTERNS[kind]
    regex = pattern.regex(year)
    folder = registry / FOLDERS[kind]
    used = [
        int(match.group(1))
        for file in (folder.iterdir() if folder.is_dir() else ())
        if file.suffix == ".yaml" and (match := regex.fullmatch(file.stem))
    ]
    number = max(used, default=0) + 1
    if number >= 10**pattern.digits:
        raise ScaffoldError(
            f"{year} 年的自动编号已用完（{pattern.format(year, 10**pattern.digits - 1)}）；请用 --id 指定标识"
        )
    return pattern.format(year, number)


# --- the stub text ----------------------------------------------------------------------


def load_schema(kind: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


def _resolve(node: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any]:
    """A schema node with its local `$ref`s and `allOf` parts merged; the node's own keys win."""
    out = dict(node)
    while "$ref" in out:
        ref = out.pop("$ref")
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"unsupported $ref {ref}")
        target = root["$defs"][ref.removeprefix("#/$defs/")]
        out = {**target, **out}
    for part in out.pop("allOf", []):
        part = _resolve(part, root)
        if "properties" in part:
            out["properties"] = {**part["properties"], **out.get("properties", {})}
        if "required" in part:
            out["required"] = list(dict.fromkeys([*out.get("required", []), *part["required"]]))
    return out


def _comment(key: str, node: Mapping[str, Any], indent: str, extra: str = "") -> str:
    """`# 标题：说明可选值：…` for one field (the key is on the next line)."""
    text = f"{indent}# {node.get('title', key)}："
    if node.get("description"):
        text += node["description"]
    if "enum" in node:
        text += f"可选值：{'、'.join(map(str, node['enum']))}"
    elif node.get("type") in ("integer", "number", "boolean"):
        text += f"填写{_TYPE_WORDS[node['type']]}（不加引号）"
    return text + extra


def _is_object(node: Mapping[str, Any]) -> bool:
    return node.get("type") == "object" or "properties" in node


def _stub(node: Mapping[str, Any], root: Mapping[str, Any], depth: int) -> list[str]:
    """Lines for every required property of an object node, at `depth` levels of indent."""
    indent = "  " * depth
    lines: list[str] = []
    properties = node.get("properties", {})
    for key in node.get("required", []):
        prop = _resolve(properties.get(key, {}), root)
        lines.append(_comment(key, prop, indent))
        if _is_object(prop):
            lines.append(f"{indent}{key}:")
            lines += _stub(prop, root, depth + 1)
        elif prop.get("type") == "array":
            lines.append(f"{indent}{key}:")
            lines += _stub_item(_resolve(prop.get("items", {}), root), root, depth + 1)
        else:
            lines.append(f"{indent}{key}: {BLANK}")
    return lines


def _stub_item(item: Mapping[str, Any], root: Mapping[str, Any], depth: int) -> list[str]:
    """One list item: a mapping of its required fields, or a single blank value."""
    indent = "  " * depth
    if not _is_object(item):
        return [f"{indent}- {BLANK}"]
    lines = _stub(item, root, depth + 1)
    if not any(not line.lstrip().startswith("#") for line in lines):
        return [f"{indent}- {{}}"]
    first = next(i for i, line in enumerate(lines) if not line.lstrip().startswith("#"))
    for i in range(first):  # the first key's comments sit above the dash
        lines[i] = indent + lines[i].lstrip()
    lines[first] = f"{indent}- {lines[first].lstrip()}"
    return lines


def _optional_note(schema: Mapping[str, Any], kind: str) -> list[str]:
    """A closing comment naming the optional fields, so nobody has to open the schema."""
    required = set(schema.get("required", []))
    names = [f"{key}（{prop.get('title', key)}）" for key, prop in schema["properties"].items() if key not in required]
    if not names:
        return []
    return [
        "",
        f"# 可按需补充的字段（结构与说明见 schema/{kind}.schema.json，编辑器会据此提示）：",
        f"# {'、'.join(names)}",
    ]


def _center_events(schema: Mapping[str, Any], as_of: dt.date) -> list[str]:
    events = _resolve(schema["properties"]["events"], schema)
    return [
        _comment("events", events, ""),
        "events:",
        "  # 日期：已按推算日期填为申请日期，请改为实际提交申请（申请书）的日期，格式 YYYY-MM-DD。",
        f"  - date: {as_of.isoformat()}",
        "    # 事件类型：application 即提交申请（第十二条）。此后按程序在下面追加推荐（recommendation）、",
        "    # 专家评审（expert_review）、公示（publicity）、批准建设（approval）等事件，按日期先后排列。",
        "    kind: application",
    ]


def render_stub(kind: str, record_id: str, as_of: dt.date) -> str:
    """The text of a new record of `kind` with id `record_id`."""
    schema = load_schema(kind)
    what = {"center": "中心", "notice": "公示"}[kind]
    lines = [
        SCHEMA_LINES[kind],
        f'# 新建的{what}记录（{schema.get("title", kind)}）。每个 "" 都是待填写的必填项：在引号内填写，',
        "# 或删去引号直接写值；全部填好之前，python -m generator validate 会逐行指出未填写的字段。",
    ]
    body = dict(schema["properties"].items())
    required = [key for key in schema["required"] if key not in ("id", "events")]
    lines.append(_comment("id", _resolve(body["id"], schema), ""))
    lines.append(f"id: {record_id}")
    lines += _stub({"properties": body, "required": required}, schema, 0)
    if kind == "center" and "events" in schema["required"]:
        lines += _center_events(schema, as_of)
    lines += _optional_note(schema, kind)
    return "\n".join(lines) + "\n"


# --- where a new record goes -------------------------------------------------------------


def check_id(record_id: str) -> None:
    """Refuse an id that is not a slug from its first character to its last (fullmatch)."""
    if not SLUG.fullmatch(record_id) or not 3 <= len(record_id) <= 64:
        raise ScaffoldError(
            f"标识“{record_id}”无效：只能用小写字母、数字和单个连字符（如 tic-2026-001），3 至 64 个字符"
        )


def record_path(registry: Path, kind: str, record_id: str) -> Path:
    """The file a new record of `kind` gets, refused if it exists or would leave the registry."""
    if not registry.is_dir():
        raise ScaffoldError(f"找不到名录目录：{registry}")
    check_id(record_id)
    folder = registry / FOLDERS[kind]
    path = folder / f"{record_id}.yaml"
    if folder.is_symlink() or not path.resolve().is_relative_to(registry.resolve()):
        raise ScaffoldError(f"{folder} 指向名录目录之外，不会在那里写入")
    if path.exists() or path.is_symlink():
        raise ScaffoldError(f"{path} 已存在，不会覆盖；请换一个 --id，或直接编辑该文件")
    return path


def write_new(path: Path, text: str) -> Path:
    """Write a new record file; never overwrite one, even if it appears meanwhile ("x")."""
    try:
        path.parent.mkdir(exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} 已存在，不会覆盖") from None
    except OSError as exc:
        raise CommandError(f"无法写入记录文件：{exc}") from None
    return path


def create_stub(registry: Path, kind: str, record_id: str | None, as_of: dt.date) -> Path:
    """A stub record of `kind` (every required field "" to fill in), with the next free id by default."""
    if not registry.is_dir():
        raise ScaffoldError(f"找不到名录目录：{registry}")
    record_id = record_id or next_id(registry, kind, as_of.year)
    return write_new(record_path(registry, kind, record_id), render_stub(kind, record_id, as_of))


# --- asking for the fields ---------------------------------------------------------------


class Prompter:
    """Questions on one stream, answers from another: a terminal, or a test's text."""

    def __init__(self, answers: TextIO, out: TextIO) -> None:
        self.answers, self.out = answers, out

    def say(self, text: str) -> None:
        self.out.write(text + "\n")

    def line(self, prompt: str) -> str:
        self.out.write(prompt)
        self.out.flush()
        answer = self.answers.readline()
        if not answer:
            raise ScaffoldError("输入已结束，未新建记录")
        return answer.strip()

    def ask(
        self,
        question: str,
        check: Callable[[str], str | None],
        default: str | None = None,
        choices: list[str] | None = None,
        optional: bool = False,
    ) -> str | None:
        """An answer that `check` accepts (a number picks a choice; Enter takes the default)."""
        if choices:
            self.say("  " + "  ".join(f"{i}. {c}" for i, c in enumerate(choices, 1)))
        suffix = f"［{default}］" if default else "（可不填，直接回车跳过）" if optional else ""
        while True:
            answer = self.line(f"{question}{suffix}：") or (default or "")
            if not answer and optional:
                return None
            if choices and answer.isdigit() and 1 <= int(answer) <= len(choices):
                answer = choices[int(answer) - 1]
            problem = check(answer)
            if problem is None:
                return answer
            self.say(f"  ✗ {problem}")


def _field_check(node: Mapping[str, Any], root: Mapping[str, Any]) -> Callable[[Any], str | None]:
    """A check of one value against a field's schema, with the field's own description as the reason."""
    resolved = _resolve(node, root)
    validator = jsonschema.Draft202012Validator(
        {**resolved, "$defs": root["$defs"]}, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )

    def check(value: Any) -> str | None:
        error = jsonschema.exceptions.best_match(validator.iter_errors(value))
        if error is None:
            return None
        if value == "":
            return "不能为空"
        if error.validator == "enum":
            return f"“{value}”不是可选值，应为以下之一：{'、'.join(map(str, error.validator_value))}"
        limits = {"minLength": "至少 {} 个字符", "maxLength": "最多 {} 个字符", "maxItems": "最多 {} 项"}
        if error.validator in limits:
            return f"“{value}”{limits[error.validator].format(error.validator_value)}"
        return f"“{value}”不符合要求：{resolved.get('description') or resolved.get('title', '')}"

    return check


def _date_check(text: str) -> str | None:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return "日期应写作 YYYY-MM-DD，如 2026-05-11"
    return None if len(text) == 10 and 1000 <= day.year <= 2999 else "日期应写作 YYYY-MM-DD，如 2026-05-11"


class Interview:
    """The questions of `new center`, in the order of the record, each checked on the spot."""

    def __init__(self, registry: Path, as_of: dt.date, prompter: Prompter) -> None:
        self.registry, self.as_of, self.p = registry, as_of, prompter
        self.schema = load_schema("center")

    def _field(self, node: Mapping[str, Any], **options: Any) -> str | None:
        resolved = _resolve(node, self.schema)
        title = resolved.get("title", "")
        if resolved.get("description"):
            self.p.say(f"· {title}：{resolved['description']}")
        if "enum" in resolved:
            options.setdefault("choices", list(resolved["enum"]))
        return self.p.ask(title, _field_check(node, self.schema), **options)

    def _id(self, suggested: str) -> str:
        def check(value: str) -> str | None:
            try:
                record_path(self.registry, "center", value)
            except ScaffoldError as exc:
                return str(exc)
            return None

        self.p.say("· 标识：稳定的英文短标识（小写字母、数字、连字符），也是文件名，发布后不再更改。")
        answer = self.p.ask("标识", check, default=suggested)
        assert answer is not None
        return answer

    def run(self, suggested_id: str) -> tuple[str, dict[str, Any]]:
        """The record's id and fields from the answers."""
        props = self.schema["properties"]
        unit = _resolve(props["first_host_unit"], self.schema)["properties"]
        self.p.say("新建技术创新中心记录：逐项回答，方括号中是默认值（直接回车采用）。Ctrl+D 或 Ctrl+C 放弃。")
        record: dict[str, Any] = {"id": self._id(suggested_id)}
        for key in ("name", "category", "field", "location"):
            record[key] = self._field(props[key])
        record["supervising_unit"] = self._unit(props["supervising_unit"], record["location"])
        host: dict[str, Any] = {"name": self._field(unit["name"]), "kind": self._field(unit["kind"])}
        code = self._field(unit["credit_code"], optional=True)
        if code:
            host["credit_code"] = code
        record["first_host_unit"] = host
        record["research_directions"] = self._directions(props["research_directions"])
        self.p.say("· 申请日期：提交申请书的日期（第十二条），格式 YYYY-MM-DD。")
        applied = self.p.ask("申请日期", _date_check, default=self.as_of.isoformat())
        record["events"] = [{"date": applied, "kind": "application"}]
        return record["id"], record

    def _unit(self, node: Mapping[str, Any], county: str | None) -> str | None:
        """A name from the controlled list of supervising units, offered by number (the county's
        own unit, when it has exactly one, is the default); a name the list does not hold is
        refused with the nearest listed ones, as `validate` would."""
        units = unit_list(self.registry)
        if units is None:
            self.p.say(
                f"· 未能读取归口管理单位名录 {UNITS_FILE}（运行 python -m generator validate 查看原因），"
                "这一项暂不核对，按所填文字写入。"
            )
            return self._field(node)
        schema_check = _field_check(node, self.schema)

        def check(value: str) -> str | None:
            problem = schema_check(value)
            if problem is None and units.named(value) is None:
                return unknown_unit(value, units)
            return problem

        resolved = _resolve(node, self.schema)
        self.p.say(f"· {resolved.get('title', '')}：{resolved.get('description', '')}从名录中选择（输入序号或名称）。")
        local = [unit.name for unit in units.units if unit.county == county]
        return self.p.ask(
            resolved.get("title", ""),
            check,
            default=local[0] if len(local) == 1 else None,
            choices=[unit.name for unit in units.units],
        )

    def _directions(self, node: Mapping[str, Any]) -> list[str]:
        resolved = _resolve(node, self.schema)
        item = resolved["items"]
        most = resolved.get("maxItems", 10)
        self.p.say(
            f"· 研究方向：{resolved.get('description', '')}每行一个，直接回车结束（至少 1 个，最多 {most} 个）。"
        )
        out: list[str] = []
        while len(out) < most:
            answer = self.p.ask(f"研究方向 {len(out) + 1}", _field_check(item, self.schema), optional=bool(out))
            if answer is None:
                break
            out.append(answer)
        return out


def unit_list(registry: Path) -> UnitList | None:
    """The registry's controlled list of supervising units, or None when it is missing or not
    well formed (then `validate` says why; the interview does not guess)."""
    doc, _ = read_record(registry / UNITS_FILE, "supervising_units", registry.parent)
    if doc is None or SchemaChecker().check(doc):
        return None
    return units_from(doc)


def center_text(record: Mapping[str, Any]) -> str:
    """A new center's text in the canonical layout, closed by the note on optional fields."""
    schema = load_schema("center")
    doc = Commented(wrap(record), footer=["", *_optional_note(schema, "center")[1:]])
    return render(doc, "center", f"{record['id']}.yaml")


def create_interactive(registry: Path, as_of: dt.date, prompter: Prompter, record_id: str | None) -> Path | None:
    """Ask for a new center's fields, show the record and write it once confirmed (None: declined)."""
    if not registry.is_dir():
        raise ScaffoldError(f"找不到名录目录：{registry}")
    if record_id is not None:
        record_path(registry, "center", record_id)
    suggested = record_id or next_id(registry, "center", as_of.year)
    new_id, record = Interview(registry, as_of, prompter).run(suggested)
    text = center_text(record)
    path = record_path(registry, "center", new_id)
    prompter.say(f"\n将写入 {path}：\n\n{text}")
    answer = prompter.line("确认写入？［Y/n］：").lower()
    if answer not in ("", "y", "yes", "是"):
        prompter.say("未写入。")
        return None
    return write_new(path, text)
