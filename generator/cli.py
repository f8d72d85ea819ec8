"""`python -m generator`: validate, status, build, new and diff, for people and for CI."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from generator import scaffold
from generator.build import BuildFailed, build_site, generate_docs
from generator.derive.facts import derive
from generator.diff import revisions as diff
from generator.exits import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from generator.records.model import Registry
from generator.render.env import text_env
from generator.rules.dates import today_in_shanghai
from generator.rules.findings import format_github, format_json, format_text, summary
from generator.validate.registry import validate_registry


class FindingsError(Exception):
    """The registry has errors; they were printed; exit status 1."""


class UsageError(Exception):
    """A command line that cannot be carried out as given; exit status 2."""


def _as_of(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or not 1000 <= day.year <= 2999:  # the years a record's dates may have
        raise argparse.ArgumentTypeError(f"日期应为 1000—2999 年间的 YYYY-MM-DD：{text}") from None
    return day


def _registry_dir(path: Path) -> Path:
    if not path.is_dir():
        raise UsageError(f"找不到名录目录：{path}")
    return path


def cmd_validate(args: argparse.Namespace) -> int:
    registry = _registry_dir(args.registry).resolve()
    wanted = {Path(p).absolute() for p in args.paths}
    outside = [str(p) for p in wanted if not p.resolve().is_relative_to(registry) or not p.exists()]
    if outside:
        raise UsageError(f"这些文件不在名录目录 {args.registry} 中：{'、'.join(sorted(outside))}")
    result = validate_registry(registry, Path.cwd())
    findings = [f for f in result.findings if not wanted or Path(f.path).absolute() in wanted]
    if args.format == "json":
        print(format_json(findings))
    else:
        line = format_github if args.format == "github" else format_text
        for finding in findings:
            print(line(finding))
        print(summary(findings), file=sys.stderr)
    return EXIT_FAILED if any(f.is_error for f in findings) else EXIT_OK


def _valid_registry(registry: Path) -> Registry:
    """The validated registry, or an exit status after printing its errors."""
    result = validate_registry(_registry_dir(registry), Path.cwd())
    for finding in result.errors:
        print(format_text(finding), file=sys.stderr)
    if not result.ok:
        raise FindingsError(summary(result.findings))
    return result.registry


def cmd_status(args: argparse.Namespace) -> int:
    registry = _valid_registry(args.registry)
    facts = derive(registry, args.as_of)
    unknown = [i for i in args.ids if i not in facts.by_id]
    if unknown:
        raise UsageError(f"没有这些中心：{'、'.join(unknown)}")
    centers = [facts.by_id[i] for i in args.ids] if args.ids else list(facts.centers)
    notices = [] if args.ids else [n for n in facts.notices if n.state != "ended"]
    print(text_env().get_template("status.txt.j2").render(facts=facts, centers=centers, notices=notices), end="")
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    as_of = args.as_of
    try:
        generated = generate_docs(_registry_dir(args.registry), as_of)
        report = generated.report
        print(
            f"数据截至 {as_of}：{len(generated.facts.centers)} 个中心，{len(generated.facts.notices)} 个公示；"
            f"写入 {report.written} 个文件，{report.unchanged} 个未变，删除 {report.removed} 个",
            file=sys.stderr,
        )
        if args.site:
            print(f"网站已生成：{build_site(as_of, args.registry)}", file=sys.stderr)
    except BuildFailed as exc:
        print(exc, file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


class _ChineseHelp(argparse.HelpFormatter):
    """argparse's own words (usage, group titles) in Chinese, like the rest of the help."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[no-untyped-def]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}：错误：{message}\n")


def _chinese(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser._positionals.title, parser._optionals.title = "参数", "选项"
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = "显示本帮助并退出"
    return parser


def _parser() -> argparse.ArgumentParser:
    parser = _chinese(
        _Parser(
            prog="python -m generator",
            description="忻州市技术创新中心名录：校验记录、推算状态、生成网站与开放数据。",
            formatter_class=_ChineseHelp,
        )
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令", parser_class=_Parser)

    def command(name: str, help_text: str, run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        p = _chinese(sub.add_parser(name, help=help_text, description=help_text, formatter_class=_ChineseHelp))
        p.add_argument("--registry", type=Path, default=Path("registry"), help="名录目录（默认 registry）")
        p.set_defaults(run=run)
        return p

    validate = command("validate", "校验名录中的记录（格式、数据结构与办法规则）", cmd_validate)
    validate.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="输出格式：text（默认）、github（工作流注释）、json",
    )
    validate.add_argument("paths", nargs="*", metavar="PATH", help="只报告这些文件的问题（仍校验整个名录）")
    status = command("status", "列出每个中心的状态、近期期限与提示", cmd_status)
    add_as_of(status)
    status.add_argument("ids", nargs="*", metavar="ID", help="只列出这些中心")
    new = command("new", "新建一条中心或公示记录（必填字段留空待填）", scaffold.run)
    add_as_of(new)
    scaffold.add_arguments(new)
    diff_ = command("diff", "比较名录在两个 Git 版本之间的变化（供审阅与 CI）", diff.run)
    add_as_of(diff_)
    diff.add_arguments(diff_)
    build = command("build", "校验、推算并生成网站页面与开放数据（docs/）", cmd_build)
    add_as_of(build)
    build.add_argument("--site", action="store_true", help="再用 mkdocs build --strict 生成 site/")
    return parser


def add_as_of(parser: argparse.ArgumentParser) -> None:
    """`--as-of`, defaulting to today in Asia/Shanghai: the only place the clock is read."""
    parser.add_argument(
        "--as-of", type=_as_of, default=None, metavar="YYYY-MM-DD", help="推算所依据的日期（默认北京时间今天）"
    )


def resolve_as_of(value: dt.date | None) -> dt.date:
    return value or today_in_shanghai()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if hasattr(args, "as_of"):
        args.as_of = resolve_as_of(args.as_of)  # the only clock read of every command
    try:
        return args.run(args)
    except FindingsError as exc:
        print(f"名录有错误，未继续：{exc}", file=sys.stderr)
        return EXIT_FAILED
    except UsageError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
