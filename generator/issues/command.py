"""`python -m generator from-issue EVENT --output DIR`: a labelled issue form as a record change.

Run by .github/workflows/issue-to-pr.yml after a maintainer applied the label. It reads the
issue from the event file GitHub wrote (nothing reaches a shell), parses the form's body
(issues/forms.py) and makes the change the form describes:

- an import form (import-<kind>.yml): the attached file or pasted table goes through the
  same importer as `python -m generator import` (importer/command.py);
- propose-record.yml: a new center record in the canonical layout (scaffold.center_text);
- report-error.yml: the one field named by “要更正的字段”, set to “正确的值”.

The changed registry is validated and compared with the registry before (the `diff`
summary). Into DIR go `comment.md` (always: what was done, the problems, the validator's
findings) and, when the change is valid, `pr-title.txt` and `pr-body.md`; the records are
written into the registry folder only then. What is printed is this module's own summary,
never the issue's text, so a line of the issue cannot become a workflow command.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import tempfile
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from generator import scaffold
from generator.diff.compare import Side, read_side
from generator.diff.report import format_markdown
from generator.exits import CommandError, UsageError
from generator.importer.command import Request, plan, preview, write_changes
from generator.importer.match import index, normal_name
from generator.importer.read import MAX_FILE_BYTES
from generator.issues.forms import Answers, FormError, load_forms, parse
from generator.records.canonical import CannotFormat, Entry, MapNode, load_commented, render
from generator.records.lists import LIST_KINDS
from generator.rules.findings import format_text

MAX_EVENT = 1024 * 1024
MARKER = "<!-- generator from-issue -->"
_ATTACHMENT = re.compile(
    r"https://github\.com/(?:user-attachments/files|[A-Za-z0-9-]+/[A-Za-z0-9._-]+/files)/[0-9]+/[^\s()<>\[\]]+?\.(xlsx|csv)",
    re.I,
)
_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_RULE = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*")

#: report-error.yml's “要更正的字段”: the record path each choice sets.
FIXABLE = {
    "技术领域": ("field",),
    "所在地": ("location",),
    "归口管理单位": ("supervising_unit",),
    "第一依托单位名称": ("first_host_unit", "name"),
    "第一依托单位统一社会信用代码": ("first_host_unit", "credit_code"),
    "办公电话": ("contact", "office_phone"),
    "电子邮箱": ("contact", "email"),
    "通讯地址": ("contact", "address"),
    "网站": ("contact", "website"),
}

Fetch = Callable[[str], bytes]


@dataclass
class Outcome:
    ok: bool  # a valid change was written: the workflow opens a pull request
    summary: str  # one line for the workflow log, without any text of the issue


@dataclass
class Proposal:
    """What a form asks for, checked: the new texts, and what stands in the way."""

    title: str
    changes: dict[Path, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # blocking, or notes when `notes`
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # validator findings
    report_markdown: str = ""
    extra: str = ""  # what the maintainer should know (free text of the issue), shown verbatim
    failure: str = ""  # why there is no change to propose


def fence(text: str) -> str:
    """`text` as a fenced code block that no line of it can close: Markdown, mentions and HTML stay inert."""
    longest = max((len(m) for m in re.findall(r"`+|~+", text)), default=0)
    mark = "~" * max(4, longest + 1)
    return f"{mark}text\n{text}\n{mark}"


def fetch_attachment(url: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """An issue attachment's bytes from GitHub (only the URL shapes `_ATTACHMENT` accepts)."""
    request = urllib.request.Request(url, headers={"User-Agent": "xinzhou-tic-registry-from-issue"})
    with urllib.request.urlopen(request, timeout=30) as response:  # https to github.com only (_ATTACHMENT)
        if urlparse(response.geturl()).scheme != "https":
            raise FormError("附件下载被重定向到非 https 地址")
        data = response.read(limit + 1)
    if len(data) > limit:
        raise FormError(f"附件超过 {limit // (1024 * 1024)} MB")
    return data


def _table_file(text: str, folder: Path, fetch: Fetch) -> Path:
    """The list an import form carries, as a file the importer reads."""
    links = {m.group(0) for m in _ATTACHMENT.finditer(text)}
    if len(links) > 1:
        raise FormError("“名单”中有多个附件：一个议题只导入一份名单")
    if links:
        url = next(iter(links))
        path = folder / f"list.{url.rsplit('.', 1)[1].lower()}"
        try:
            path.write_bytes(fetch(url))
        except OSError as exc:  # urllib's errors are OSErrors
            raise FormError(f"无法下载附件：{exc}") from None
        return path
    if "user-attachments" in text or re.search(r"\]\(https?://", text):
        raise FormError("“名单”中的附件不是本仓库议题中上传的 .xlsx 或 .csv 文件")
    lines = [line for line in text.split("\n") if not _FENCE.match(line)]
    path = folder / "list.csv"
    if any(line.lstrip().startswith("|") for line in lines):
        rows = [_cells(line) for line in lines if line.strip() and not _TABLE_RULE.fullmatch(line)]
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")
    else:
        path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table row (`\\|` is a bar inside a cell)."""
    text = line.strip()
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") and not text.endswith("\\|") else text
    return [cell.replace("\\|", "|").strip() for cell in re.split(r"(?<!\\)\|", text)]


def _date(text: str) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if len(text.strip()) == 10 else None


def _source(text: str) -> dict[str, str]:
    """文号 and 网址 from a free-text source field: a URL line is the URL, the first other line the number."""
    source: dict[str, str] = {}
    for line in text.split("\n"):
        value = re.sub(r"^\s*(文号|网址|发布日期|日期|标题)\s*[:：]\s*", "", line).strip()
        if not value or line.strip().startswith(("发布日期", "日期")):
            continue
        if re.fullmatch(r"https?://\S+", value):
            source.setdefault("url", value)
        else:
            source.setdefault("document_number", value[:40])
    return source


# --- the three kinds of form -----------------------------------------------------------------


def _import(registry: Path, answers: Answers, as_of: dt.date, fetch: Fetch) -> Proposal:
    kind = LIST_KINDS[answers.form.purpose.removeprefix("import-")]
    number = answers.get("document_number")
    proposal = Proposal(f"导入{kind.title}：{number}")
    date = _date(answers.get("date"))
    if date is None:
        raise FormError("“印发日期”应写作 YYYY-MM-DD")
    year = None
    if "year" in answers.values:
        if not re.fullmatch(r"[12][0-9]{3}", answers.get("year")):
            raise FormError("“考核年度”应为四位年份，如 2025")
        year = int(answers.get("year"))
    source = {"document_number": number, **({"url": answers.get("url")} if answers.get("url") else {})}
    with tempfile.TemporaryDirectory(prefix="issue-list-") as tmp:
        request = Request(kind.name, _table_file(answers.get("table"), Path(tmp), fetch), source, date, year)
        result = plan(registry, request, as_of)
    proposal.problems = [f"{p.where}：{p.message}" for p in result.problems if p.blocking]
    proposal.notes = [f"{p.where}：{p.message}" for p in result.problems if not p.blocking]
    proposal.errors = result.errors
    if result.report is not None:
        proposal.report_markdown = format_markdown(result.report)
    if result.blocked:
        proposal.failure = result.blocked
    elif not result.changes:
        proposal.failure = result.closing(written=False)
    else:
        proposal.changes = result.changes
    return proposal


def _before(registry: Path, as_of: dt.date) -> Side:
    before = read_side("修改前", registry, registry.parent, as_of)
    errors = [format_text(f) for f in before.validation.findings if f.is_error]
    if errors:
        raise FormError("名录本身有校验错误，请维护者先修正：\n" + "\n".join(errors))
    return before


def _propose(registry: Path, answers: Answers, as_of: dt.date, fetch: Fetch) -> Proposal:
    name = answers.get("center")
    proposal = Proposal(f"新增中心：{name}")
    before = _before(registry, as_of)
    if normal_name(name) in index(before.registry).by_name:
        raise FormError(f"名录中已有名称为“{name}”的中心；补充信息请用“报告记录错误”表单")
    date = _date(answers.get("date"))
    if date is None:
        raise FormError("“日期”应写作 YYYY-MM-DD")
    source = _source(answers.get("source"))
    approved = answers.get("stage") == "已批准建设"
    event: dict[str, object] = {"date": date.isoformat(), "kind": "approval" if approved else "application"}
    if source:
        event["source"] = source
    host = {"name": answers.get("host_name"), "kind": answers.get("host_kind")}
    if answers.get("host_code"):
        host["credit_code"] = answers.get("host_code").upper()
    record_id = scaffold.next_id(registry, "center", as_of.year)
    record = {
        "id": record_id,
        "name": name,
        "category": answers.get("category"),
        "field": answers.get("field"),
        "location": answers.get("location"),
        "supervising_unit": answers.get("supervising_unit"),
        "first_host_unit": host,
        "research_directions": [line.strip() for line in answers.get("directions").split("\n") if line.strip()],
        "events": [event],
    }
    try:
        path = scaffold.record_path(registry, "center", record_id)
        text = scaffold.center_text(record)
    except (UsageError, CannotFormat) as exc:
        raise FormError(str(exc)) from None
    return _checked(registry, before, proposal, {path: text}, as_of, answers.get("details"))


def _correct(registry: Path, answers: Answers, as_of: dt.date, fetch: Fetch) -> Proposal:
    which = answers.get("field_to_fix")
    value = answers.get("correct_value").strip()
    path_in_record = FIXABLE.get(which)
    if path_in_record is None or not value:
        raise FormError("这一更正需要维护者人工修改（没有选择可自动修改的字段，或没有填写正确的值）")
    before = _before(registry, as_of)
    wanted = answers.get("center").strip()
    idx = index(before.registry)
    ids = {wanted} if wanted in idx.centers else idx.by_name.get(normal_name(wanted), set())
    if len(ids) != 1:
        raise FormError(f"“中心编号或名称”对应{'多个' if ids else '不到'}中心：请填写网站记录页上的编号")
    center = idx.centers[next(iter(ids))]
    proposal = Proposal(f"更正 {center.id} 的{which}")
    file = registry.parent / center.path
    try:
        doc = load_commented(file.read_bytes(), "center", center.path)
    except (CannotFormat, OSError) as exc:
        raise FormError(f"无法读取 {center.path}：{exc}") from None
    node = doc.root
    for key in path_in_record[:-1]:
        entry = node.entries.setdefault(key, Entry(MapNode()))
        if not isinstance(entry.value, MapNode):
            raise FormError(f"{center.path} 中的 {key} 不是映射，需人工修改")
        node = entry.value
    last = path_in_record[-1]
    if last in node.entries and node.entries[last].value == value:
        raise FormError(f"{center.id} 的{which}已经是“{value}”，无需修改")
    node.entries.setdefault(last, Entry(None)).value = value
    text = render(doc, "center", center.path)
    details = f"更正依据（议题中的“官方来源”）：\n{answers.get('source')}\n\n议题中的说明：\n{answers.get('wrong')}"
    return _checked(registry, before, proposal, {file: text}, as_of, details)


def _checked(
    registry: Path, before: Side, proposal: Proposal, changes: dict[Path, str], as_of: dt.date, extra: str
) -> Proposal:
    report = preview(registry, before, changes, as_of, label="修改后")
    proposal.report_markdown = format_markdown(report)
    proposal.extra = extra
    proposal.errors = [format_text(f) for f, _ in report.head_errors]
    if proposal.errors:
        proposal.failure = "改动后的名录校验不通过"
    else:
        proposal.changes = changes
    return proposal


HANDLERS = {"propose-record": _propose, "report-error": _correct} | {f"import-{k}": _import for k in LIST_KINDS}


# --- the command ------------------------------------------------------------------------------


def _event(path: Path) -> tuple[int, str]:
    """The issue's number and body from the event file."""
    try:
        if path.stat().st_size > MAX_EVENT:
            raise UsageError(f"事件文件超过 {MAX_EVENT} 字节")
        event = json.loads(path.read_text(encoding="utf-8"))
        issue = event["issue"]
        number = issue["number"]
        body = issue.get("body") or ""
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UsageError(f"无法读取事件文件 {path}：{type(exc).__name__}") from None
    if not isinstance(number, int) or isinstance(number, bool) or number <= 0 or not isinstance(body, str):
        raise UsageError("事件文件中的议题编号或内容无效")
    return number, body


def _single_line(text: str, limit: int = 100) -> str:
    line = " ".join(re.sub(r"[\x00-\x1f\x7f\u2028\u2029]", " ", text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _comment(proposal: Proposal | None, failure: str) -> str:
    parts = [MARKER]
    if proposal is not None and proposal.changes:
        files = "、".join(f"`{p.name}`" for p in sorted(proposal.changes))
        parts.append(
            f"**已生成改动**：根据本议题改动了 {files}，工作流将提交拉取请求并关联本议题，由审核人审查后合并。"
        )
    else:
        reason = failure or (proposal.failure if proposal is not None else "")
        parts.append("**未生成拉取请求**。请根据下面的说明修改议题（编辑议题内容即可），再由维护者重新加上标签。")
        parts.append(fence(reason))  # a reason may quote the issue (a name): shown as text only
    if proposal is not None:
        if proposal.problems:
            parts += ["#### 需要处理的问题", fence("\n".join(proposal.problems))]
        if proposal.errors:
            parts += ["#### 校验错误（改动后的名录）", fence("\n".join(proposal.errors))]
        if proposal.notes:
            parts += ["#### 提示", fence("\n".join(proposal.notes))]
        if proposal.report_markdown:
            parts += ["#### 变更摘要", proposal.report_markdown]
    return "\n\n".join(parts) + "\n"


def _pr_body(number: int, proposal: Proposal) -> str:
    parts = [
        f"根据议题 #{number} 自动生成（维护者加标签后由工作流 issue-to-pr 创建）。",
        f"Closes #{number}",
        "审查时请打开议题中的官方来源核对每一项；审查清单见拉取请求模板与《参与贡献》。",
    ]
    if proposal.extra.strip():
        parts += ["#### 议题中的补充信息（原文）", fence(proposal.extra.strip())]
    if proposal.notes:
        parts += ["#### 提示", fence("\n".join(proposal.notes))]
    parts += ["#### 变更摘要", proposal.report_markdown]
    return "\n\n".join(parts) + "\n"


def run(registry: Path, event_path: Path, output: Path, as_of: dt.date, fetch: Fetch | None = None) -> Outcome:
    """Turn the issue of `event_path` into record changes and the texts the workflow posts
    (`fetch` downloads an attachment; `fetch_attachment` unless a test gives another)."""
    number, body = _event(event_path)
    registry = registry.resolve()  # "." has no name to copy it under (importer.preview)
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"无法创建输出目录 {output}：{exc}") from None
    proposal: Proposal | None = None
    failure = ""
    try:
        answers = parse(body, load_forms())
        if not all(answers.ticked.values()):
            raise FormError("“确认”一项没有勾选")
        proposal = HANDLERS[answers.form.purpose](registry, answers, as_of, fetch or fetch_attachment)
    except FormError as exc:
        failure = str(exc)
    (output / "comment.md").write_text(_comment(proposal, failure), encoding="utf-8")
    if proposal is None or not proposal.changes:
        return Outcome(False, f"议题 #{number}：未生成改动（详见 comment.md）")
    write_changes(registry, proposal.changes)
    (output / "pr-title.txt").write_text(_single_line(f"{proposal.title}（议题 #{number}）") + "\n", encoding="utf-8")
    (output / "pr-body.md").write_text(_pr_body(number, proposal), encoding="utf-8")
    return Outcome(True, f"议题 #{number}：改动了 {len(proposal.changes)} 个记录文件")
