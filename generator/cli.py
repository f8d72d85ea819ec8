"""`python -m generator`: every command, declared the same way, for people and for CI.

A command is a row of `COMMANDS`: its name, its help, a function that adds its arguments
and a function that runs it. Every command gets `--registry`; the dated ones get
`--as-of`, and the clock is read here, once. Commands never print an error themselves:
they raise `CommandError` (generator/exits.py) with a Chinese message, and `main` prints
it and returns its exit status, so no command ends in a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import fmt, scaffold
from generator.build import BuildFailed, build_site, generate_docs
from generator.derive.facts import derive
from generator.diff import report as diff_report
from generator.diff import revisions
from generator.exits import EXIT_FAILED, EXIT_OK, EXIT_USAGE, CommandError, UsageError
from generator.importer import command as importer
from generator.issues import command as issues
from generator.records.lists import LIST_KINDS
from generator.records.model import Registry
from generator.render.env import text_env
from generator.rules.dates import today_in_shanghai
from generator.rules.findings import bounded, format_github, format_json, format_text, summary
from generator.rules.text import escape, for_terminal
from generator.validate.registry import validate_registry


class FindingsError(CommandError):
    """The registry has errors; they were printed; exit status 1."""

    prefix = "名录有错误，未继续："


def _as_of(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or len(text) != 10 or not 1000 <= day.year <= 2999:  # the years a record's dates may have
        raise argparse.ArgumentTypeError(f"日期应为 1000—2999 年间的 YYYY-MM-DD：{text}") from None
    return day


def _registry_dir(path: Path) -> Path:
    if not path.is_dir():
        raise UsageError(f"找不到名录目录：{path}")
    return path


def _valid_registry(registry: Path, today: dt.date) -> Registry:
    """The validated registry, or FindingsError after printing its errors."""
    result = validate_registry(_registry_dir(registry), Path.cwd(), today=today)
    for finding in bounded(result.errors):
        print(format_text(finding), file=sys.stderr)
    if not result.ok:
        raise FindingsError(summary(result.findings))
    return result.registry


# --- validate -------------------------------------------------------------------------------


def _validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="输出格式：text（默认）、github（工作流注释）、json",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="只报告这些文件的问题（仍校验整个名录）")


def cmd_validate(args: argparse.Namespace) -> int:
    registry = _registry_dir(args.registry).resolve()
    wanted = {Path(p).absolute() for p in args.paths}
    outside = [str(p) for p in wanted if not p.resolve().is_relative_to(registry) or not p.exists()]
    if outside:
        raise UsageError(f"这些文件不在名录目录 {args.registry} 中：{'、'.join(sorted(outside))}")
    result = validate_registry(registry, Path.cwd(), today=args.today)
    findings = [f for f in result.findings if not wanted or Path(f.path).absolute() in wanted]
    if args.format == "json":
        print(format_json(findings))
    else:
        line = format_github if args.format == "github" else format_text
        for finding in bounded(findings):
            print(line(finding))
        print(summary(findings), file=sys.stderr)
    return EXIT_FAILED if any(f.is_error for f in findings) else EXIT_OK


# --- status ---------------------------------------------------------------------------------


def _status_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID", help="只列出这些中心")


def cmd_status(args: argparse.Namespace) -> int:
    registry = _valid_registry(args.registry, max(args.today, args.as_of))
    facts = derive(registry, args.as_of)
    unknown = [i for i in args.ids if i not in facts.by_id]
    if unknown:
        raise UsageError(f"没有这些中心：{'、'.join(unknown)}")
    centers = [facts.by_id[i] for i in args.ids] if args.ids else list(facts.centers)
    notices = [] if args.ids else [n for n in facts.notices if n.state != "ended"]
    print(text_env().get_template("status.txt.j2").render(facts=facts, centers=centers, notices=notices), end="")
    return EXIT_OK


# --- build ----------------------------------------------------------------------------------


def _build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", action="store_true", help="再用 mkdocs build --strict 生成 site/")


class _BuildError(CommandError):
    prefix = ""  # BuildFailed's message is complete: the findings, then what was not done


def cmd_build(args: argparse.Namespace) -> int:
    as_of = args.as_of
    try:
        generated = generate_docs(_registry_dir(args.registry), as_of, today=max(args.today, as_of))
        report = generated.report
        print(
            f"数据截至 {as_of}：{len(generated.facts.centers)} 个中心，{len(generated.facts.notices)} 个公示；"
            f"写入 {report.written} 个文件，{report.unchanged} 个未变，删除 {report.removed} 个",
            file=sys.stderr,
        )
        if args.site:
            print(f"网站已生成：{build_site(as_of, args.registry)}", file=sys.stderr)
    except BuildFailed as exc:
        raise _BuildError(str(exc)) from None
    return EXIT_OK


# --- new ------------------------------------------------------------------------------------


def _new_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "kind",
        choices=("center", "notice"),
        metavar="{center,notice}",
        help="新建的记录种类：center（中心，写入 centers/）或 notice（公示，写入 notices/）",
    )
    parser.add_argument(
        "--id",
        dest="record_id",
        metavar="ID",
        help="记录标识（小写字母、数字与连字符）；默认自动编号：中心为 tic-<年份>-<三位序号>，"
        "公示为 notice-<年份>-<两位序号>，年份取推算日期所在年",
    )
    parser.add_argument(
        "--stub",
        action="store_true",
        help='不提问，写入必填字段留空（""）待填的模板；公示记录总是写模板',
    )


def cmd_new(args: argparse.Namespace) -> int:
    registry: Path = args.registry
    if args.kind == "center" and not args.stub:
        if not sys.stdin.isatty():
            raise UsageError("不在终端中运行，无法逐项提问：请在终端中运行，或加 --stub 写入待填写的模板")
        prompter = scaffold.Prompter(sys.stdin, sys.stdout)
        path = scaffold.create_interactive(registry, args.as_of, prompter, args.record_id)
        if path is None:
            return EXIT_OK
        print(f"已新建：{path}")
        findings = [
            f for f in validate_registry(registry, Path.cwd()).findings if Path(f.path).absolute() == path.absolute()
        ]
        for finding in findings:
            print(format_text(finding))
        print(
            f"校验：{summary(findings)}。下一步：补充负责人、申报条件、共建单位等可选字段，"
            f"再运行 python -m generator validate {path} 检查。"
        )
        return EXIT_FAILED if any(f.is_error for f in findings) else EXIT_OK
    path = scaffold.create_stub(registry, args.kind, args.record_id, args.as_of)
    print(f"已新建：{path}")
    print(
        f'下一步：编辑该文件，填写每个 "" 空白（注释说明了各字段的含义与可选值），'
        f"然后运行 python -m generator validate {path} 检查，直到没有错误。"
    )
    return EXIT_OK


# --- diff -----------------------------------------------------------------------------------


def _diff_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("base", metavar="BASE", help="比较的起点：提交、分支或标签（如 origin/main、HEAD~1）")
    parser.add_argument(
        "head",
        metavar="HEAD",
        nargs="?",
        default=None,
        help="比较的终点；省略时与工作区比较（磁盘上的名录目录，含未提交和未跟踪的文件）",
    )
    parser.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help="输出格式：text（默认，终端阅读）或 markdown（写入 $GITHUB_STEP_SUMMARY）",
    )


def cmd_diff(args: argparse.Namespace) -> int:
    try:
        report = revisions.diff(Path(args.registry), args.base, args.head, args.as_of)
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode("utf-8", "replace").strip()
        raise UsageError(f"Git 命令失败：{detail or exc}") from None
    print((diff_report.format_markdown if args.format == "markdown" else diff_report.format_text)(report), end="")
    return EXIT_FAILED if report.head_errors else EXIT_OK


# --- import ---------------------------------------------------------------------------------


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "kind",
        choices=list(LIST_KINDS),
        metavar="KIND",
        help="名单种类：" + "；".join(f"{k.name}（{k.title}）" for k in LIST_KINDS.values()),
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="名单文件：Excel（.xlsx）或 CSV（UTF-8 或 GB18030）")
    parser.add_argument("--source", required=True, metavar="DOC", help="公布该名单的文件文号，如 忻科发〔2026〕8号")
    parser.add_argument("--url", help="公布该名单的官方网址（可选）")
    parser.add_argument("--title", help="公布该名单的文件标题（可选）")
    parser.add_argument("--date", type=_as_of, metavar="YYYY-MM-DD", help="文件印发日期（名单中没有“日期”列时必填）")
    parser.add_argument("--year", type=int, metavar="YYYY", help="考核年度（年度考核名单中没有“年度”列时必填）")
    parser.add_argument(
        "--skip-unmatched", action="store_true", help="跳过对不上中心的行，只导入其余各行（仍逐行报告）"
    )
    parser.add_argument("--dry-run", action="store_true", help="只报告将要写入的变化，不写文件")
    parser.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help="变更摘要的格式：text（默认）或 markdown",
    )


def cmd_import(args: argparse.Namespace) -> int:
    request = importer.Request(
        kind=args.kind,
        file=args.file,
        source=importer.source_of(args.source, args.url, args.title),
        date=args.date,
        year=args.year,
        skip_unmatched=args.skip_unmatched,
    )
    plan = importer.plan(_registry_dir(args.registry), request, args.as_of)
    for line in plan.problem_lines():
        print(escape(line), file=sys.stderr)  # a list's cells are as untrusted as a record
    if plan.blocked:
        raise CommandError(plan.blocked)
    if not args.dry_run:
        importer.write(plan)
    if plan.report is not None:  # None only when blocked, which raised above
        print(
            (diff_report.format_markdown if args.format == "markdown" else diff_report.format_text)(plan.report), end=""
        )
    print(plan.closing(written=not args.dry_run), file=sys.stderr)
    return EXIT_OK


# --- fmt ------------------------------------------------------------------------------------


def _fmt_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="只检查，不改写；有不规范的文件时退出状态为 1")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="只处理这些记录文件（默认整个名录）")


def cmd_fmt(args: argparse.Namespace) -> int:
    result = fmt.format_files(_registry_dir(args.registry), [Path(p) for p in args.paths], write=not args.check)
    for line in result.lines(check=args.check):  # a file name may hold a newline or "::" (CI runs fmt --check)
        print(escape(line), file=sys.stderr if args.check or line.startswith("无法") else sys.stdout)
    return EXIT_FAILED if result.failed(check=args.check) else EXIT_OK


# --- from-issue -----------------------------------------------------------------------------


def _issue_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("event", type=Path, metavar="EVENT", help="GitHub 事件的 JSON 文件（$GITHUB_EVENT_PATH）")
    parser.add_argument("--output", type=Path, required=True, metavar="DIR", help="写出评论、拉取请求说明的目录")


def cmd_issue(args: argparse.Namespace) -> int:
    outcome = issues.run(_registry_dir(args.registry), args.event, args.output, args.as_of)
    print(outcome.summary, file=sys.stderr)
    return EXIT_OK if outcome.ok else EXIT_FAILED


# --- the command line -----------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    """One command: what it is called, what it does, its arguments and how it runs."""

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    epilog: str = ""
    dated: bool = False  # takes --as-of (today in Asia/Shanghai by default)


COMMANDS = (
    Command(
        "validate",
        "校验名录中的记录（格式、数据结构与办法规则）",
        _validate_arguments,
        cmd_validate,
        "退出状态：0 没有错误（可有警告）；1 有错误；2 参数无效。",
    ),
    Command("status", "列出每个中心的状态、近期期限与提示", _status_arguments, cmd_status, dated=True),
    Command(
        "new",
        "新建一条中心或公示记录：在终端中逐项提问，或用 --stub 写入待填写的模板",
        _new_arguments,
        cmd_new,
        "在终端中运行 new center 会逐项提问（每个回答当场校验），确认后按规范格式写入；"
        '--stub 与 new notice 写入模板：每个必填字段写成 ""，注释说明含义与可选值，中心另有一条日期为推算日期的申请事件，'
        "填写前 validate 会逐行报错。已存在的文件不会被覆盖。退出状态：0 已新建；1 新记录有校验错误或无法写入；"
        "2 参数无效、文件已存在或不在终端中又未加 --stub。",
        dated=True,
    ),
    Command(
        "diff",
        "比较名录在两个 Git 版本之间的变化（供审阅与 CI）",
        _diff_arguments,
        cmd_diff,
        "两个版本的名录都从 Git 读出到临时目录（不改动工作区），各自校验，并按同一推算日期推算状态与期限。"
        "报告列出中心、公示、名录设置、归口管理单位名录与管理办法的变化（办法的正文逐条列出改动前后的条文）。"
        "退出状态：0 完成（有无变化均为 0）；1 HEAD 有校验错误；2 版本无效或不在 Git 仓库中。",
        dated=True,
    ),
    Command(
        "import",
        "导入官方名单（年度考核、三年评估、批准建设、验收结果）：为每个中心追加带出处的事件",
        _import_arguments,
        cmd_import,
        "每一行按标识、现用名称或曾用名（及统一社会信用代码）对应到一个中心；对不上或对上多个的行逐一报告"
        "（工作表与行号），全部对上之前不写任何文件（除非加 --skip-unmatched）。已有的同一事件不会重复添加，"
        "导入后整个名录重新校验，并打印与 diff 相同的变更摘要。"
        "退出状态：0 已导入（或没有需要添加的）；1 名单有问题或导入后校验不通过，未写入；2 参数无效。",
        dated=True,
    ),
    Command(
        "fmt",
        "把记录改写为统一的规范格式（键的顺序、事件按日期、引号、缩进），保留注释",
        _fmt_arguments,
        cmd_fmt,
        "--check 只检查：列出不规范的文件及改正命令。退出状态：0 全部规范（或已改写）；"
        "1 有文件不规范（--check）或无法读取；2 参数无效。",
    ),
    Command(
        "from-issue",
        "（供工作流使用）把维护者标记过的议题表单转为名录改动、评论与拉取请求说明",
        _issue_arguments,
        cmd_issue,
        "只读事件文件中的议题内容，从不执行其中的任何内容；改动只写入名录目录。"
        "退出状态：0 已生成改动；1 表单有问题或改动未通过校验（评论中已说明）；2 参数无效。",
        dated=True,
    ),
    Command(
        "build",
        "校验、推算并生成网站页面与开放数据（docs/）",
        _build_arguments,
        cmd_build,
        "退出状态：0 已生成；1 名录有错误或无法写入。",
        dated=True,
    ),
)


HELP = "显示本帮助并退出"
USAGE = "usage: "  # argparse's prefix of the usage line; the help shows 用法：


class _Parser(argparse.ArgumentParser):
    """argparse in Chinese through its documented interface only: every argument goes into
    our own titled group (参数 or 选项; argparse's own titles are English), -h is our own help
    action, and the usage line's prefix is replaced where help and usage are formatted."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{**kwargs, "add_help": False})
        self.sections: dict[str, Any] = {}

    def section(self, title: str) -> Any:
        """The argument group titled `title`, made on first use (groups print in that order)."""
        if title not in self.sections:
            self.sections[title] = self.add_argument_group(title)
        return self.sections[title]

    def add_argument(self, *names: str, **kwargs: Any) -> argparse.Action:
        option = bool(names) and names[0].startswith("-")
        return self.section("选项" if option else "参数").add_argument(*names, **kwargs)

    def format_usage(self) -> str:
        return _chinese_usage(super().format_usage())

    def format_help(self) -> str:
        return _chinese_usage(super().format_help())

    def error(self, message: str):  # type: ignore[no-untyped-def]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}：错误：{message}\n")


def _chinese_usage(text: str) -> str:
    return "用法：" + text[len(USAGE) :] if text.startswith(USAGE) else text


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m generator",
        description="忻州市技术创新中心名录：校验记录、推算状态、导入名单、生成网站与开放数据。",
    )
    sub = parser.add_subparsers(title="参数", dest="command", required=True, metavar="命令", parser_class=_Parser)
    parser.add_argument("-h", "--help", action="help", help=HELP)
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help, description=command.help, epilog=command.epilog or None)
        p.section("参数")  # the arguments before the options, as argparse lists them
        p.add_argument("-h", "--help", action="help", help=HELP)
        p.add_argument("--registry", type=Path, default=Path("registry"), help="名录目录（默认 registry）")
        if command.dated:
            add_as_of(p)
        command.arguments(p)
        p.set_defaults(run=command.run)
    return parser


def add_as_of(parser: argparse.ArgumentParser) -> None:
    """`--as-of`, defaulting to today in Asia/Shanghai: the only place the clock is read."""
    parser.add_argument(
        "--as-of", type=_as_of, default=None, metavar="YYYY-MM-DD", help="推算所依据的日期（默认北京时间今天）"
    )


def _today() -> dt.date:
    """Today in Asia/Shanghai, or TIC_TODAY=YYYY-MM-DD (tests and reproducible runs, as the
    MkDocs hook has TIC_AS_OF): the only clock read of every command."""
    fixed = os.environ.get("TIC_TODAY", "").strip()
    return _as_of(fixed) if fixed else today_in_shanghai()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        args.today = _today()  # the as-of date's default, and what dates.plausible holds dates to
    except argparse.ArgumentTypeError as exc:
        print(f"错误：TIC_TODAY：{exc}", file=sys.stderr)
        return EXIT_USAGE
    if hasattr(args, "as_of"):
        args.as_of = args.as_of or args.today
    try:
        return args.run(args)
    except CommandError as exc:
        print(for_terminal(f"{exc.prefix}{exc}"), file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        print("\n已取消。", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
