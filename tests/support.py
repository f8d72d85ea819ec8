"""Helpers shared by the test modules: scratch registries, temporary projects, built sites,
a small HTML tree, and the hostile inputs that several modules feed the generator.

Test modules import helpers from here, never from each other or from conftest.py, which
holds the fixtures. Nothing here writes the repository's registry/; only
``build_sample_site`` writes its docs/ and site/, as the documented
``python -m generator build --site`` does, under a lock, and hands out a snapshot.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import fcntl
import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_REGISTRY = ROOT / "registry"
TODAY = dt.date(2031, 1, 1)  # "today" for the validator's calendar checks (dates.plausible): after every test date
KIND_DIRS = {"center": "centers", "notice": "notices", "calendar": "calendar", "measures": "measures"}
#: The registry's single files, by kind (their record id is ignored).
SINGLE_FILES = {"registry": "registry.yaml", "supervising_units": "supervising_units.yaml"}
#: An invented 2027 holiday schedule, clearly marked as a test fixture (never in registry/).
TEST_SCHEDULE = ROOT / "tests" / "fixtures" / "calendar" / "2027.yaml"
AS_OF = dt.date(2026, 11, 27)  # the as-of date of every site the tests build


# --- records ---------------------------------------------------------------------------

# GB 32100-2015 as the domain notes state it, written independently of generator.checks.
GB32100_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
GB32100_WEIGHTS = [pow(3, i, 31) for i in range(17)]


def gb32100_check(first17: str) -> str:
    """The 18th (check) character of a unified social credit code."""
    total = sum(GB32100_CHARS.index(c) * w for c, w in zip(first17, GB32100_WEIGHTS))
    return GB32100_CHARS[(31 - total % 31) % 31]


def valid_code(first17: str) -> str:
    assert len(first17) == 17
    return first17 + gb32100_check(first17)


class _NoAliasDumper(yaml.SafeDumper):
    """The registry refuses anchors and aliases, so a shared object is written out twice."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_yaml(data: Any) -> str:
    """Block-style YAML that the registry loader reads back to the same values.

    Dates are strings in loaded records; safe_dump quotes them ('2024-08-20') because YAML
    1.1 would read them as timestamps, and a quoted scalar loads as text. The width is
    unlimited so no long Chinese string is folded over two lines (lines must stay stable).
    """
    return yaml.dump(
        data, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=10**9, default_flow_style=False
    )


def line_of(text: str, needle: str, after: str | None = None) -> tuple[int, int]:
    """1-based (line, column) of the first line containing `needle`, after the line with `after`.

    The column is where `needle` starts on that line: needles are written ``key: value`` so
    that it is the column of the key, which is where the validator points.
    """
    lines = text.splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line) + 1
    for i in range(start, len(lines)):
        if needle in lines[i]:
            return i + 1, lines[i].index(needle) + 1
    raise AssertionError(f"{needle!r} not found in the dumped record (after {after!r})")


class Registry:
    """A scratch registry folder with helpers to read, change and validate its records."""

    def __init__(self, root: Path) -> None:
        self.root = root  # the "repository": findings are shown relative to it
        self.dir = root / "registry"

    def file(self, kind: str, record_id: str) -> Path:
        if kind in SINGLE_FILES:
            return self.dir / SINGLE_FILES[kind]
        return self.dir / KIND_DIRS[kind] / f"{record_id}.yaml"

    def shown(self, kind: str, record_id: str) -> str:
        if kind in SINGLE_FILES:
            return f"registry/{SINGLE_FILES[kind]}"
        return f"registry/{KIND_DIRS[kind]}/{record_id}.yaml"

    def text(self, kind: str, record_id: str) -> str:
        return self.file(kind, record_id).read_text(encoding="utf-8")

    def load(self, kind: str, record_id: str) -> dict[str, Any]:
        from generator.records.load import parse

        doc, problems = parse(self.file(kind, record_id).read_bytes(), "x.yaml", kind)
        assert not problems and doc is not None, problems
        return doc.data

    def dump(self, kind: str, record_id: str, data: dict[str, Any]) -> str:
        """Write a record as contributors do: the editor's schema line, then the fields."""
        from generator.records.load import SCHEMA_LINES

        text = f"{SCHEMA_LINES[kind]}\n{dump_yaml(data)}"
        self.file(kind, record_id).write_text(text, encoding="utf-8")
        return text

    def modify(self, kind: str, record_id: str, change: Callable[[dict[str, Any]], Any]) -> str:
        """Load a record, let `change` edit it in place, write it back; the new text."""
        data = self.load(kind, record_id)
        change(data)
        return self.dump(kind, record_id, data)

    def add_test_schedule(self, name: str = "2027.yaml") -> Path:
        """Copy the invented 2027 schedule (tests/fixtures/calendar/) into this registry."""
        target = self.dir / "calendar" / name
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(TEST_SCHEDULE, target)
        return target

    def write_raw(self, folder: str, name: str, raw: bytes | str) -> Path:
        path = self.dir / folder / name
        path.write_bytes(raw.encode("utf-8") if isinstance(raw, str) else raw)
        return path

    def validate(self) -> list[Any]:
        """All findings, dates checked against the calendar as if today were TODAY."""
        from generator.validate.registry import validate_registry

        return validate_registry(self.dir, self.root, today=TODAY).findings


@functools.cache
def schema_checker() -> Any:
    """One SchemaChecker for the session: building the validators is the slow part."""
    from generator.records.schema import SchemaChecker

    return SchemaChecker()


# --- hostile record files (each gives exactly one finding) ---------------------------

AMBIGUOUS = ["no", "No", "on", "OFF", "yes", "y", "1e3", "010", "1_000", "1:30", "0b101", "0o17"]

# name -> (bytes, rule id, line, column or None)
HOSTILE_FILES: dict[str, tuple[bytes, str, int, int | None]] = {
    "invalid-utf8": (b"id: broken\nname: \xff\xfe\n", "file.encoding", 2, 7),
    "utf8-surrogate": (b"id: broken\nfield: ok\nname: \xed\xa0\x80\n", "file.encoding", 3, 7),
    "latin1": ("id: broken\nname: café\n".encode("latin-1"), "file.encoding", 2, 10),
    "bom": (b"\xef\xbb\xbfid: broken\n", "file.bom", 1, 1),
    "tab-in-value": (b"id: broken\nname:\tx\n", "file.tab", 2, 6),
    "tab-indent": (b"id: broken\nfirst_host_unit:\n\tname: x\n", "file.tab", 3, 1),
    "duplicate-key": (b"id: broken\nname: a\nfield: b\nname: c\n", "yaml.duplicate-key", 4, 1),
    "duplicate-nested-key": (
        b"id: broken\ndirector:\n  age_at_application: 40\n  age_at_application: 41\n",
        "yaml.duplicate-key",
        4,
        3,
    ),
    **{f"ambiguous-{value}": (f"id: broken\nfield: {value}\n".encode(), "yaml.ambiguous", 2, 8) for value in AMBIGUOUS},
    "ambiguous-in-list": (b"id: broken\nresearch_directions:\n  - a\n  - on\n", "yaml.ambiguous", 4, 5),
    "python-tag": (b'id: broken\nfield: !!python/object/apply:os.system ["x"]\n', "yaml.tag", 2, 8),
    "custom-tag": (b"id: broken\nfield: !foo bar\n", "yaml.tag", 2, 8),
    "binary-tag": (b"id: broken\nfield: !!binary aGVsbG8=\n", "yaml.tag", 2, 8),
    "merge-key": (b"id: broken\nbase: &b {x: 1}\nother:\n  <<: *b\n", "yaml.alias", 4, 3),
    "empty": (b"", "file.empty", 1, 1),
    "comments-only": (
        b"# yaml-language-server: $schema=../../schema/center.schema.json\n# nothing\n",
        "file.empty",
        1,
        1,
    ),
    "blank-lines": (b"\n\n   \n", "file.empty", 1, 1),
    "root-list": (b"- id: broken\n- name: x\n", "yaml.root", 1, 1),
    "root-list-after-comment": (b"# c\n- a\n", "yaml.root", 2, 1),
    "root-scalar": (b"just text\n", "yaml.root", 1, 1),
    "syntax-mapping-in-value": (b"id: broken\nname: a: b\n", "yaml.syntax", 2, None),
    "syntax-unclosed-flow": (b"id: broken\nname: [a, b\nfield: c\n", "yaml.syntax", 3, None),
    "two-documents": (b"id: broken\n---\nid: other\n", "yaml.syntax", 2, 1),
    "two-documents-explicit-end": (b"id: broken\n...\n---\nid: other\n", "yaml.syntax", 3, 1),
    "deep-flow": (b"id: broken\nx: " + b"[" * 40 + b"]" * 40 + b"\n", "yaml.depth", 2, None),
}


# Characters that forge output, written raw or as YAML escapes (issue 14).
# name -> (text, rule id, line, column)
FORBIDDEN_TEXT: dict[str, tuple[str, str, int, int]] = {
    "escaped-esc": ('id: x\nname: "忻州市\\e[2J示例技术创新中心"\n', "text.control", 2, 7),
    "escaped-esc-hex": ('id: x\nname: "a\\x1b]0;title\\x07"\n', "text.control", 2, 7),
    "escaped-nul": ('id: x\nname: "a\\0b"\n', "text.control", 2, 7),
    "escaped-bel": ('id: x\nname: "a\\ab"\n', "text.control", 2, 7),
    "escaped-cr": ('id: x\nname: "12345678\\rabc"\n', "text.control", 2, 7),
    "escaped-tab": ('id: x\nname: "a\\tb"\n', "text.control", 2, 7),
    "escaped-nel": ('id: x\nname: "a\\Nb"\n', "text.control", 2, 7),
    "escaped-line-separator": ('id: x\nname: "a\\Lb"\n', "text.control", 2, 7),
    "escaped-del": ('id: x\nname: "a\\x7fb"\n', "text.control", 2, 7),
    "escaped-c1": ('id: x\nname: "a\\x9bb"\n', "text.control", 2, 7),
    "escaped-in-key": ('id: x\n"na\\eme": z\n', "text.control", 2, 1),
    "escaped-in-list": ('id: x\nresearch_directions:\n  - a\n  - "b\\u0007"\n', "text.control", 4, 5),
    "escaped-rlo": ('id: x\nname: "abc\\u202edcba"\n', "text.bidi", 2, 7),
    "escaped-rli": ('id: x\nname: "abc\\u2067x"\n', "text.bidi", 2, 7),
    "escaped-zwsp": ('id: x\nname: "忻州市示例\\u200b光伏"\n', "text.zero-width", 2, 7),
    "escaped-bom": ('id: x\nname: "a\\ufeffb"\n', "text.zero-width", 2, 7),
    "escaped-word-joiner": ('id: x\nname: "a\\u2060b"\n', "text.zero-width", 2, 7),
    "raw-rlo": ("id: x\nname: abc\u202edcba\n", "text.bidi", 2, 10),
    "raw-lri": ("id: x\nfield: a\nnote: x\u2066y\n", "text.bidi", 3, 8),
    "raw-rlm": ("id: x\nname: a\u200fb\n", "text.bidi", 2, 8),
    "raw-zwsp-after-han": ("id: x\nname: 忻州市示例\u200b光伏\n", "text.zero-width", 2, 12),
    "raw-zwj": ("id: x\nname: a\u200db\n", "text.zero-width", 2, 8),
    "raw-soft-hyphen": ("id: x\nname: a\u00adb\n", "text.zero-width", 2, 8),
    "raw-line-separator": ("id: x\nname: a\u2028b\n", "file.control", 2, 8),
    "raw-c1": ("id: x\nname: a\x9bb\n", "file.control", 2, 8),
    "raw-del": ("id: x\nname: a\x7fb\n", "file.control", 2, 8),
    "raw-bidi-in-comment": ("id: x\n# \u202e hidden\nname: a\n", "text.bidi", 2, 3),
}


def billion_laughs(levels: int = 9) -> bytes:
    """A YAML alias bomb: `levels` nested lists of nine aliases each."""
    names = "abcdefghij"
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip(names, names[1:levels]):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    return ("\n".join(lines) + "\n").encode()


# --- values for the scaffold's stubs ----------------------------------------------------

# Every stub line of a new center, as the scaffold writes it, and a sensible value for it.
CENTER_FILL = {
    'name: ""': "name: 忻州市示例智能矿山技术创新中心",
    'category: ""': "category: 领域类",
    'field: ""': "field: 智能矿山",
    'location: ""': "location: 原平市",
    'supervising_unit: ""': "supervising_unit: 原平市工信和科技局",
    '  name: ""': "  name: 示例智矿装备有限公司（演示）",
    '  kind: ""': "  kind: 企业",
    '  - ""': "  - 矿山智能感知与监测\n  - 井下无人化开采装备\n  - 矿山安全预警",
}
NOTICE_FILL = {
    'title: ""': "title: 关于2026年度拟批准建设忻州市技术创新中心名单（第二批）的公示",
    'issuer: ""': "issuer: 忻州市科学技术局",
    'issue_date: ""': "issue_date: 2026-12-01",
    'subject: ""': "subject: 拟批准建设",
    '  - center: ""': "  - center: sample-wenwu",
    '    name: ""': "    name: 忻州市样例文物数字保护技术创新中心",
    'objection: ""': "objection: 对公示名单有异议的，请于公示期内以书面形式提出，单位须加盖公章，个人须签署真实姓名；匿名及逾期异议不予受理。",
    '  office: ""': "  office: 忻州市科学技术局平台建设科（演示）",
    '  office_phone: ""': "  office_phone: 0350-3030100",
}


def fill(text: str, values: dict[str, str]) -> str:
    """Replace each stub line by its value; every blank must be one of the known stub lines."""
    out = []
    for line in text.splitlines():
        if '""' in line and not line.lstrip().startswith("#"):
            assert line in values, f"unexpected stub line {line!r}"
            line = values[line]
        out.append(line)
    return "\n".join(out) + "\n"


# --- the command line ------------------------------------------------------------------


def run_cli(*args: str, cwd: Path, timeout: float = 60, today: str | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m generator ...` in a subprocess, the way CI runs it (`today`: TIC_TODAY)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    if today is not None:
        env["TIC_TODAY"] = today
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


# --- temporary projects ----------------------------------------------------------------


def hand_written_docs() -> list[str]:
    """docs/ files that are not generated: the tracked ones (generated files are ignored by
    Git); without Git, the files the generator's manifest does not list."""
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files", "docs"], capture_output=True, text=True, encoding="utf-8", check=True
        ).stdout.split()
        if out:
            return [name.removeprefix("docs/") for name in out]
    except (OSError, subprocess.CalledProcessError):
        pass
    try:
        generated = set(json.loads((ROOT / "docs" / ".generated.json").read_text(encoding="utf-8")))
    except (OSError, ValueError):
        generated = set()
    return [
        p.relative_to(ROOT / "docs").as_posix()
        for p in (ROOT / "docs").rglob("*")
        if p.is_file() and not p.name.startswith(".") and p.relative_to(ROOT / "docs").as_posix() not in generated
    ]


# --- hostile record text -------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
LINK = "[x](http://evil.example)"
JINJA = "{{ 7*7 }}"
RAW = "{% raw %}"
HOSTILE_ID = "sample-hostile"
HOSTILE_NAME = f"忻州市{SCRIPT}|*bold*{JINJA}&amp;`技术创新中心"
HOSTILE_FORMER = f"忻州市旧{LINK}{RAW}技术创新中心"
HOSTILE_FIELD = f"固废{LINK}|"
HOSTILE_UNIT = f"示例{RAW}&amp;`*bold*|{SCRIPT}{LINK}有限公司"
HOSTILE_NOTE_LINES = (f"第一行{SCRIPT}|*bold*{LINK}{JINJA}{RAW}&amp;`", "第二行")
HOSTILE_NOTE = "\n".join(HOSTILE_NOTE_LINES)
HOSTILE_DIRECTION = f"方向{JINJA}|{RAW}*bold*"
HOSTILE_COMMIT = f"添加中心 {SCRIPT} | *bold* {LINK}"
HOSTILE_DOC_NUMBER = "忻科函〔2024〕99号|*bold*`"


def add_hostile_center(registry: Path) -> None:
    """registry/centers/sample-hostile.yaml: sample-gufei (two overdue deadlines, so it is on
    the home page) with hostile text in its name, former name, field, units and notes."""
    reg = Registry(registry.parent)
    data = reg.load("center", "sample-gufei")
    data["id"] = HOSTILE_ID
    data["name"] = HOSTILE_NAME
    data["field"] = HOSTILE_FIELD
    data["first_host_unit"]["name"] = HOSTILE_UNIT
    data["research_directions"] = [HOSTILE_DIRECTION, "煤矸石制备建材", "工业固废井下充填"]
    data["events"][0]["note"] = HOSTILE_NOTE
    data["events"].append(
        {
            "date": "2024-05-10",
            "kind": "change",
            "change_kind": "更名",
            "old": HOSTILE_FORMER,
            "new": HOSTILE_NAME,
            "source": {"document_number": HOSTILE_DOC_NUMBER},
            "note": HOSTILE_NOTE,
        }
    )
    data["events"].sort(key=lambda e: str(e["date"]))
    reg.dump("center", HOSTILE_ID, data)


def make_project(dest: Path, registry: Path = ROOT / "registry", **settings: Any) -> Path:
    """A project folder like the repository: mkdocs.yml, overrides/, hand-written docs/ and
    a copy of `registry`; `settings` are changed in its registry.yaml. (The MkDocs plugin is
    the installed project's entry point.)"""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", dest / "overrides")
    (dest / "docs").mkdir()
    for name in hand_written_docs():
        (dest / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "docs" / name, dest / "docs" / name)
    shutil.copytree(registry, dest / "registry")
    if settings:
        path = dest / "registry" / "registry.yaml"
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        for key, value in settings.items():  # None removes a setting
            data.pop(key, None) if value is None else data.__setitem__(key, value)
        schema_line = text.partition("\n")[0]
        path.write_text(f"{schema_line}\n{yaml.safe_dump(data, allow_unicode=True, sort_keys=False)}", encoding="utf-8")
    return dest


@contextlib.contextmanager
def cwd(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def generate(project: Path, as_of: dt.date = AS_OF, docs: Path | None = None):
    """generate_docs for a project folder, run from that folder (as the CLI is)."""
    from generator.build import generate_docs

    with cwd(project):
        return generate_docs(project / "registry", as_of, docs=docs or project / "docs", repo=project)


def build(project: Path, as_of: dt.date = AS_OF):
    """Generate the docs, then `mkdocs build --strict` into project/site; the Generated."""
    from generator.build import build_site

    generated = generate(project, as_of)
    build_site(as_of, project / "registry", repo=project)
    return generated


def git(project: Path, *args: str, when: str = "2026-01-05T10:00:00+08:00") -> str:
    env = dict(
        os.environ,
        GIT_AUTHOR_DATE=when,
        GIT_COMMITTER_DATE=when,
        GIT_AUTHOR_NAME="测试",
        GIT_COMMITTER_NAME="测试",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_EMAIL="t@example.org",
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(project),
    )
    return subprocess.run(
        ["git", "-C", str(project), "-c", "commit.gpgsign=false", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) by relative path → bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- a small HTML tree -----------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, pred: Callable[[Node], bool] | None = None, **attrs: str) -> list[Node]:
        found = []
        for n in self.iter():
            if n is self or (tag and n.tag != tag):
                continue
            if any(n.attrs.get(k.rstrip("_")) != v for k, v in attrs.items()):
                continue
            if pred and not pred(n):
                continue
            found.append(n)
        return found

    def find(self, tag: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}> in <{self.tag} {self.attrs}>"
        return found[0]

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()

    def text(self, skip_headerlinks: bool = True) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "br":
                parts.append("\n")
            elif not (skip_headerlinks and child.has_class("headerlink")):
                parts.append(child.text(skip_headerlinks))
        return "".join(parts)

    def rows(self) -> list[list[Node]]:
        """The cells of each row of a table (thead and tbody)."""
        return [[c for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")] for tr in self.find_all("tr")]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}, self.stack[-1]))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


def page(site: Path, path: str) -> Node:
    file = site / path / "index.html" if not path.endswith(".html") else site / path
    return parse_html(file.read_text(encoding="utf-8"))


def article(doc: Node) -> Node:
    return doc.find("article")


# --- the one sample site of the browser, offline-asset and link tests -------------------
#
# ``python -m generator build --site --as-of YYYY-MM-DD --registry DIR`` run in the repository
# writes the generated pages into docs/ and builds site/ (``mkdocs build --strict``). site/ is
# copied to a temporary folder right after the build, under a file lock, so that pytest-xdist
# workers and builds of other registries cannot change a site a test is looking at.
#
# Environment:
#   TIC_TEST_SITE_DIR  use this already built site folder instead of building
#   TIC_TEST_REGISTRY  build from this prepared registry instead of a copy of registry/

BUILD_TIMEOUT = 900

_sites: dict[tuple[str, dt.date], Path] = {}
_tmpdirs: list[str] = []


class SiteBuildError(RuntimeError):
    """The sample site could not be built; the message carries the build's output."""


def _tmpdir(prefix: str) -> Path:
    path = tempfile.mkdtemp(prefix=prefix)
    _tmpdirs.append(path)
    return Path(path)


@atexit.register
def _cleanup() -> None:
    for path in _tmpdirs:
        shutil.rmtree(path, ignore_errors=True)


def build_sample_site(registry: Path | None = None, as_of: dt.date = AS_OF) -> Path:
    """A folder holding the built site (built at most once per process and arguments)."""
    prebuilt = os.environ.get("TIC_TEST_SITE_DIR")
    if prebuilt:
        site = Path(prebuilt).resolve()
        if not (site / "index.html").is_file():
            raise SiteBuildError(f"TIC_TEST_SITE_DIR={prebuilt} has no index.html")
        return site
    if registry is None and os.environ.get("TIC_TEST_REGISTRY"):
        registry = Path(os.environ["TIC_TEST_REGISTRY"])
    key = (str(registry.resolve()) if registry else "", as_of)
    if key in _sites:
        return _sites[key]

    if registry is None:
        # A copy, so that nothing a test or the build does can touch the real records.
        registry = _tmpdir("tic-registry-") / "registry"
        shutil.copytree(SAMPLE_REGISTRY, registry)

    cmd = [
        sys.executable,
        "-m",
        "generator",
        "build",
        "--site",
        "--as-of",
        as_of.isoformat(),
        "--registry",
        str(registry),
    ]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1")
    # One lock per checkout: builds in the same ROOT wait for each other, other checkouts do not.
    tree = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
    lock_path = Path(tempfile.gettempdir()) / f"tic-site-build-{os.getuid()}-{tree}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
        if proc.returncode != 0:
            raise SiteBuildError(
                f"site build failed (exit {proc.returncode}): {' '.join(cmd)}\n"
                f"--- stdout ---\n{proc.stdout[-6000:]}\n--- stderr ---\n{proc.stderr[-6000:]}"
            )
        built = ROOT / "site"
        if not (built / "index.html").is_file():
            raise SiteBuildError(f"build succeeded but {built}/index.html is missing\n{proc.stderr[-3000:]}")
        copy = _tmpdir("tic-site-") / "site"
        shutil.copytree(built, copy)
    _sites[key] = copy
    return copy


#: The articles of 忻科规〔2024〕4号 as its text numbers them (第一条 … 第二十一条).
ARTICLE_NUMERALS = [
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "十一",
    "十二",
    "十三",
    "十四",
    "十五",
    "十六",
    "十七",
    "十八",
    "十九",
    "二十",
    "二十一",
]
