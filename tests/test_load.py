"""Hostile input: each broken file gives exactly one finding, with its rule id and line,
and the rest of the registry is still validated.

Each case puts one broken file into a copy of the sample registry next to a center with a
known rule error (a wrong credit-code check character in sample-taoci), and asserts that
the registry yields exactly those two findings.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.records.load import MAX_BYTES, parse
from tests.support import AMBIGUOUS, FORBIDDEN_TEXT, HOSTILE_FILES, Registry, billion_laughs, line_of, run_cli

TAOCI = ("center", "sample-taoci")


@pytest.fixture
def known(reg: Registry) -> tuple[Registry, tuple[str, str, int]]:
    """The registry copy with one known rule error; (path, rule id, line) of that finding."""

    def change(data: dict) -> None:
        code = data["first_host_unit"]["credit_code"]
        data["first_host_unit"]["credit_code"] = code[:17] + ("0" if code[17] != "0" else "1")

    text = reg.modify(*TAOCI, change)
    line = line_of(text, "credit_code:")[0]
    return reg, (reg.shown(*TAOCI), "credit-code.check", line)


def _assert_one_plus_known(
    reg: Registry, known_finding: tuple[str, str, int], path: str, rule_id: str, line: int, col: int | None = None
) -> None:
    findings = reg.validate()
    got = [(f.path, f.rule_id, f.line) for f in findings]
    assert sorted(got) == sorted([(path, rule_id, line), known_finding]), findings
    broken = next(f for f in findings if f.path == path)
    assert broken.severity == "error"
    assert broken.message and "\n" not in broken.message and "Traceback" not in broken.message
    if col is not None:
        assert broken.col == col


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_hostile_file_gives_one_finding(known: tuple[Registry, tuple], name: str) -> None:
    reg, known_finding = known
    raw, rule_id, line, col = HOSTILE_FILES[name]
    reg.write_raw("centers", "broken.yaml", raw)
    _assert_one_plus_known(reg, known_finding, "registry/centers/broken.yaml", rule_id, line, col)


def test_yaml_1_2_scalars_load_as_yaml_1_2(reg: Registry) -> None:
    doc, problems = parse(
        b"a: true\nb: false\nc: 10\nd: -3\ne: 0\nf: 1.5\ng: ~\nh: null\ni:\n"
        b"j: 2024-01-31\nk: 'no'\nl: \"on\"\nm: '010'\nn: 0350-3030100\n",
        "x.yaml",
        "center",
    )
    assert problems == []
    assert doc is not None and doc.data == {
        "a": True,
        "b": False,
        "c": 10,
        "d": -3,
        "e": 0,
        "f": 1.5,
        "g": None,
        "h": None,
        "i": None,
        "j": "2024-01-31",
        "k": "no",
        "l": "on",
        "m": "010",
        "n": "0350-3030100",
    }


def test_quoted_ambiguous_values_are_accepted(reg: Registry) -> None:
    for value in AMBIGUOUS:
        doc, problems = parse(f"field: '{value}'\n".encode(), "x.yaml", "center")
        assert problems == [] and doc is not None and doc.data == {"field": value}


def test_python_tag_is_not_executed(known: tuple[Registry, tuple], tmp_path: Path) -> None:
    reg, known_finding = known
    marker = tmp_path / "pwned"
    reg.write_raw("centers", "broken.yaml", f'id: broken\nfield: !!python/object/apply:os.system ["touch {marker}"]\n')
    _assert_one_plus_known(reg, known_finding, "registry/centers/broken.yaml", "yaml.tag", 2)
    assert not marker.exists()


def test_alias_bomb_is_refused_fast(known: tuple[Registry, tuple]) -> None:
    reg, known_finding = known
    reg.write_raw("centers", "broken.yaml", billion_laughs(9))
    started = time.perf_counter()
    findings = reg.validate()
    assert time.perf_counter() - started < 2
    broken = [f for f in findings if f.path == "registry/centers/broken.yaml"]
    assert [f.rule_id for f in broken] == ["yaml.alias"]
    assert known_finding in [(f.path, f.rule_id, f.line) for f in findings]
    assert len(findings) == 2


def test_alias_points_at_the_alias(known: tuple[Registry, tuple]) -> None:
    """The finding is on the line of the first `*alias` (what to write out), not the anchor.

    In the bomb, line 1 holds `&a` and line 2 the first `*a`; for a single alias, line 2
    holds `&x` and line 3 `*x`.
    """
    reg, known_finding = known
    reg.write_raw("centers", "broken.yaml", billion_laughs(9))
    _assert_one_plus_known(reg, known_finding, "registry/centers/broken.yaml", "yaml.alias", 2)
    reg.write_raw("centers", "broken.yaml", b"id: broken\nname: &x foo\nfield: *x\n")
    _assert_one_plus_known(reg, known_finding, "registry/centers/broken.yaml", "yaml.alias", 3)


def test_block_nesting_too_deep(known: tuple[Registry, tuple]) -> None:
    reg, known_finding = known
    raw = "".join("  " * i + f"k{i}:\n" for i in range(40))
    reg.write_raw("centers", "broken.yaml", raw)
    # the 33rd nested mapping starts at key k33, line 34
    _assert_one_plus_known(reg, known_finding, "registry/centers/broken.yaml", "yaml.depth", 34, 67)


def test_moderate_nesting_is_fine() -> None:
    raw = "".join("  " * i + f"k{i}:\n" for i in range(10)) + "  " * 10 + "leaf: 1\n"
    doc, problems = parse(raw.encode(), "x.yaml", "center")
    assert problems == [] and doc is not None


def test_control_character_reports_its_line(known: tuple[Registry, tuple]) -> None:
    """A control character is found on its own line and column, with a one-line message."""
    reg, known_finding = known
    reg.write_raw("centers", "broken.yaml", b"id: broken\nname: a\nfield: b\x07c\n")
    _assert_one_plus_known(reg, known_finding, "registry/centers/broken.yaml", "file.control", 3, 9)


def test_file_over_one_mebibyte(known: tuple[Registry, tuple]) -> None:
    reg, known_finding = known
    reg.write_raw("centers", "broken.yaml", b"id: broken\n" + b"#" * MAX_BYTES)
    _assert_one_plus_known(reg, known_finding, "registry/centers/broken.yaml", "file.too-large", 1, 1)


def test_file_of_exactly_one_mebibyte_is_read(known: tuple[Registry, tuple]) -> None:
    """The limit is 'over 1 MiB': a comments-only file of exactly 1 MiB is read (and is empty)."""
    reg, known_finding = known
    assert MAX_BYTES == 1024 * 1024
    reg.write_raw("centers", "broken.yaml", b"#" * (MAX_BYTES - 1) + b"\n")
    _assert_one_plus_known(reg, known_finding, "registry/centers/broken.yaml", "file.empty", 1, 1)


def test_symlink_outside_the_registry(known: tuple[Registry, tuple], tmp_path: Path) -> None:
    reg, known_finding = known
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(reg.file(*TAOCI).read_bytes())
    (reg.dir / "centers" / "linked.yaml").symlink_to(outside)
    _assert_one_plus_known(reg, known_finding, "registry/centers/linked.yaml", "file.symlink", 1, 1)


def test_symlink_inside_and_dangling_symlink(known: tuple[Registry, tuple], tmp_path: Path) -> None:
    reg, known_finding = known
    (reg.dir / "centers" / "linked.yaml").symlink_to(reg.file("center", "sample-guangfu"))
    (reg.dir / "notices" / "gone.yaml").symlink_to(tmp_path / "does-not-exist.yaml")
    got = sorted((f.path, f.rule_id) for f in reg.validate())
    assert got == sorted(
        [
            ("registry/centers/linked.yaml", "file.symlink"),
            ("registry/notices/gone.yaml", "file.symlink"),
            known_finding[:2],
        ]
    )


@pytest.mark.parametrize("name", ["broken.yml", "broken.YAML", "README.md", "broken.yaml.bak"])
def test_wrong_file_name(known: tuple[Registry, tuple], name: str) -> None:
    reg, known_finding = known
    reg.write_raw("centers", name, reg.file(*TAOCI).read_bytes())
    _assert_one_plus_known(reg, known_finding, f"registry/centers/{name}", "file.name", 1, 1)


def test_directory_named_like_a_record(known: tuple[Registry, tuple]) -> None:
    reg, known_finding = known
    (reg.dir / "notices" / "folder.yaml").mkdir()
    _assert_one_plus_known(reg, known_finding, "registry/notices/folder.yaml", "file.name", 1, 1)


def test_hidden_files_are_ignored(known: tuple[Registry, tuple]) -> None:
    reg, known_finding = known
    reg.write_raw("centers", ".broken.yaml.swp", b"\xff\xfe\x00")
    assert [(f.path, f.rule_id, f.line) for f in reg.validate()] == [known_finding]


def test_broken_notice_is_one_finding(known: tuple[Registry, tuple]) -> None:
    """approval-2025 cannot be read: sample-duanzao's publicity event is not reported as dangling."""
    reg, known_finding = known
    reg.write_raw("notices", "approval-2025.yaml", b"id: approval-2025\ntitle: x\ntitle: y\n")
    _assert_one_plus_known(reg, known_finding, "registry/notices/approval-2025.yaml", "yaml.duplicate-key", 3, 1)


def test_broken_center_referenced_by_a_notice(known: tuple[Registry, tuple]) -> None:
    """sample-duanzao cannot be read: the notice listing it does not get a ref.center error."""
    reg, known_finding = known
    raw = reg.file("center", "sample-duanzao").read_bytes().replace(b"category: ", b"category:\t", 1)
    reg.write_raw("centers", "sample-duanzao.yaml", raw)
    line = raw[: raw.index(b"\t")].count(b"\n") + 1
    _assert_one_plus_known(reg, known_finding, "registry/centers/sample-duanzao.yaml", "file.tab", line)


def test_schema_invalid_center_referenced_by_a_notice(known: tuple[Registry, tuple]) -> None:
    reg, known_finding = known
    text = reg.modify("center", "sample-duanzao", lambda d: d.update(category="综合"))
    _assert_one_plus_known(
        reg, known_finding, "registry/centers/sample-duanzao.yaml", "schema", line_of(text, "category: 综合")[0]
    )


def test_bare_invalid_date_is_a_schema_error(known: tuple[Registry, tuple]) -> None:
    """2024-02-30 loads as text (not a YAML 1.1 timestamp) and fails the schema's date format."""
    reg, known_finding = known
    path = reg.file("center", "sample-guangfu")
    raw = path.read_bytes()
    assert b"date: 2024-12-10\n" in raw
    raw = raw.replace(b"date: 2024-12-10\n", b"date: 2024-02-30\n")
    path.write_bytes(raw)
    line = raw[: raw.index(b"2024-02-30")].count(b"\n") + 1
    _assert_one_plus_known(reg, known_finding, "registry/centers/sample-guangfu.yaml", "schema", line)
    message = next(f.message for f in reg.validate() if f.rule_id == "schema")
    assert "2024-02-30" in message and "日期" in message


def test_broken_settings_file(known: tuple[Registry, tuple]) -> None:
    reg, known_finding = known
    (reg.dir / "registry.yaml").write_bytes(b"title: x\nsample_data: yes\n")
    _assert_one_plus_known(reg, known_finding, "registry/registry.yaml", "yaml.ambiguous", 2, 14)


def test_crlf_line_endings_are_fine(reg: Registry) -> None:
    path = reg.file("center", "sample-guangfu")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert reg.validate() == []


def test_crlf_tab_line(reg: Registry) -> None:
    path = reg.file("center", "sample-guangfu")
    raw = path.read_bytes().replace(b"\n", b"\r\n").replace(b"field: ", b"field:\t", 1)
    path.write_bytes(raw)
    findings = reg.validate()
    assert [(f.rule_id, f.line) for f in findings] == [("file.tab", raw[: raw.index(b"\t")].count(b"\n") + 1)]


def test_many_broken_files_each_one_finding(known: tuple[Registry, tuple]) -> None:
    """All hostile files at once: one finding per file, and the known error still found."""
    reg, known_finding = known
    expected = [known_finding]
    for i, name in enumerate(sorted(HOSTILE_FILES)):
        raw, rule_id, line, _ = HOSTILE_FILES[name]
        reg.write_raw("centers", f"broken-{i:02d}.yaml", raw)
        expected.append((f"registry/centers/broken-{i:02d}.yaml", rule_id, line))
    got = [(f.path, f.rule_id, f.line) for f in reg.validate()]
    assert sorted(got) == sorted(expected)


# --- through the command line: no traceback, exit status 1 ------------------------------

CLI_CASES = ["invalid-utf8", "python-tag", "ambiguous-no", "two-documents", "duplicate-key"]


@pytest.mark.slow
def test_cli_reports_hostile_files_without_traceback(known: tuple[Registry, tuple]) -> None:
    reg, (known_path, known_rule, known_line) = known
    for i, name in enumerate(CLI_CASES):
        reg.write_raw("centers", f"broken-{i}.yaml", HOSTILE_FILES[name][0])
    reg.write_raw("centers", "bomb.yaml", billion_laughs(9))
    (reg.dir / "centers" / "big.yaml").write_bytes(b"#" * (MAX_BYTES + 1))
    result = run_cli("validate", "--registry", "registry", cwd=reg.root, timeout=30)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stderr
    out = result.stdout.splitlines()
    for i, name in enumerate(CLI_CASES):
        _raw, rule_id, line, _ = HOSTILE_FILES[name]
        assert sum(f"registry/centers/broken-{i}.yaml:{line}:" in o and f"[{rule_id}]" in o for o in out) == 1, out
    assert sum("registry/centers/bomb.yaml:" in o and "[yaml.alias]" in o for o in out) == 1
    assert sum("registry/centers/big.yaml:1:1:" in o and "[file.too-large]" in o for o in out) == 1
    assert any(o.startswith(f"{known_path}:{known_line}:") and f"[{known_rule}]" in o for o in out)
    assert len(out) == len(CLI_CASES) + 3


@pytest.mark.slow
def test_cli_survives_extreme_nesting(reg: Registry) -> None:
    """A 120 kB file of nested brackets (well under 1 MiB) is one yaml.depth finding, not a crash."""
    depth = 60_000
    reg.write_raw("centers", "deep.yaml", b"id: deep\nx: " + b"[" * depth + b"]" * depth + b"\n")
    started = time.perf_counter()
    result = run_cli("validate", "--registry", "registry", cwd=reg.root, timeout=60)
    elapsed = time.perf_counter() - started
    assert result.returncode == 1, (
        f"exit status {result.returncode} (negative: killed by a signal)\n{result.stderr[-2000:]}"
    )
    assert "Traceback" not in result.stderr
    assert "[yaml.depth]" in result.stdout and "registry/centers/deep.yaml:" in result.stdout
    assert elapsed < 10


@pytest.mark.slow
def test_cli_survives_a_date_before_year_one(reg: Registry) -> None:
    """0000-01-01 matches the date pattern; the validator must report it, not crash on it."""
    path = reg.file("center", "sample-guangfu")
    path.write_bytes(path.read_bytes().replace(b"date: 2024-12-10\n", b"date: 0000-01-01\n"))
    result = run_cli("validate", "--registry", "registry", cwd=reg.root)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 1
    assert "registry/centers/sample-guangfu.yaml:" in result.stdout and "0000-01-01" in result.stdout


@pytest.mark.parametrize("first_line", ["", "# yaml-language-server: $schema=../schema/center.schema.json"])
def test_missing_or_wrong_schema_line_is_a_warning(reg: Registry, first_line: str) -> None:
    """Editors complete and check a record from its first line; without it (or with a wrong
    path) the record still loads, with one warning at 1:1 that says what the line should be."""
    text = reg.text("center", "sample-zaliang")
    body = text.partition("\n")[2]
    reg.write_raw("centers", "sample-zaliang.yaml", f"{first_line}\n{body}" if first_line else body)
    findings = reg.validate()
    assert [(f.path, f.rule_id, f.severity, f.line, f.col) for f in findings] == [
        ("registry/centers/sample-zaliang.yaml", "file.schema-line", "warning", 1, 1)
    ]
    assert "$schema=../../schema/center.schema.json" in findings[0].message


def test_samples_carry_their_schema_line(reg: Registry) -> None:
    assert not [f for f in reg.validate() if f.rule_id == "file.schema-line"]


def test_a_folder_or_a_pipe_named_yaml_is_a_finding_not_a_hang(reg: Registry) -> None:
    import os

    (reg.dir / "centers" / "folder.yaml").mkdir()
    os.mkfifo(reg.dir / "centers" / "pipe.yaml")  # opening it would block forever
    (reg.dir / "registry.yaml").unlink()
    (reg.dir / "registry.yaml").mkdir()
    found = [(f.path, f.rule_id, f.line) for f in reg.validate()]
    assert found == [
        ("registry/centers/folder.yaml", "file.name", 1),
        ("registry/centers/pipe.yaml", "file.name", 1),
        ("registry/registry.yaml", "file.name", 1),
    ]


def test_an_io_error_is_a_finding(reg: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.records.load as load

    real_open = open

    def failing(file, *args, **kwargs):
        if str(file).endswith("sample-zaliang.yaml"):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(load, "open", failing, raising=False)
    found = [(f.path, f.rule_id) for f in reg.validate() if f.is_error]
    assert found == [("registry/centers/sample-zaliang.yaml", "file.unreadable")]


@pytest.mark.parametrize(
    "raw, hint",
    [
        (b"a: [\n", "括号或引号没有闭合"),
        (b"a: b: c\n", "未加引号的冒号"),
        (b"a:\n  b: 1\n c: 2\n", "可能缩进不对"),
        (b"a: 1\n---\nb: 2\n", "删去多余的 ---"),
    ],
)
def test_syntax_errors_say_what_to_fix_in_chinese(raw: bytes, hint: str) -> None:
    doc, findings = parse(raw, "f.yaml", "center")
    assert doc is None and [f.rule_id for f in findings] == ["yaml.syntax"]
    assert hint in findings[0].message and "（" in findings[0].message  # PyYAML's words kept in brackets


# --- hostile input that used to crash: issue 14 ---------------------------------------------


DEEP = 100_000  # far past what the C stack of PyYAML's composer survives


@pytest.mark.parametrize(
    ("body", "line", "col"),
    [
        ("x:\n  " + "- " * DEEP + "y\n", 2, 67),  # compact sequences: one line, no indentation
        ("x:\n" + "? " * DEEP + "y\n", 2, 67),  # complex mapping keys
        ("x: " + "[" * DEEP + "\n", 1, 36),  # unclosed flow: too deep before it is a syntax error
        ("x:\n" + "".join(" " * i + "-\n" for i in range(200)), 34, 33),  # indentation
    ],
    ids=["dashes", "keys", "unclosed-brackets", "indented"],
)
def test_deep_block_nesting_is_refused_before_it_can_crash(
    known: tuple[Registry, tuple], body: str, line: int, col: int
) -> None:
    """In a subprocess: a C stack overflow kills the process (a negative exit status)."""
    reg, _ = known
    reg.write_raw("centers", "deep.yaml", "id: deep\n" + body)
    result = run_cli("validate", "--registry", "registry", cwd=reg.root, timeout=60)
    assert result.returncode == 1, f"exit status {result.returncode} (negative: killed by a signal)"
    assert "Traceback" not in result.stderr
    assert f"registry/centers/deep.yaml:{line + 1}:{col}: error [yaml.depth]" in result.stdout, result.stdout


def test_depth_limit_is_the_same_on_every_path() -> None:
    """32 levels below the top are a record's limit, whether written with `- `, `? ` or brackets."""
    for deep in (31, 32):
        for body in ("x:\n  " + "- " * deep + "v\n", "x: " + "[" * deep + "v" + "]" * deep + "\n"):
            _, problems = parse(body.encode(), "x.yaml", "center")
            assert [p.rule_id for p in problems] == ([] if deep == 31 else ["yaml.depth"]), (deep, body[:20])


def test_brackets_inside_a_quoted_value_are_not_nesting() -> None:
    text = 'id: x\nnote: "' + "[" * 40 + '"\n'
    doc, problems = parse(text.encode(), "x.yaml", "center")
    assert problems == [] and doc is not None and doc.data["note"] == "[" * 40


@pytest.mark.parametrize(
    ("value", "col"),
    [
        ("9" * 5000, 8),  # beyond Python's 4,300-digit limit: int() raises
        ("9" * 17, 8),
        ("-9007199254740992", 8),  # one past 2^53
        ("9" * 400 + ".5", 8),  # a float that overflows to inf
        ("[1, " + "9" * 5000 + "]", 12),  # the same inside a flow list (the full YAML path)
    ],
    ids=["huge", "17-digits", "2^53", "float-inf", "in-flow-list"],
)
def test_numbers_beyond_what_json_holds_are_a_finding(known: tuple[Registry, tuple], value: str, col: int) -> None:
    reg, known_finding = known
    reg.write_raw("centers", "broken.yaml", f"id: broken\nfield: {value}\n")
    _assert_one_plus_known(reg, known_finding, "registry/centers/broken.yaml", "yaml.value", 2, col)


def test_largest_safe_integer_is_read() -> None:
    doc, problems = parse(b"a: 9007199254740991\nb: -9007199254740991\nc: 1.5e3x\n", "x.yaml", "center")
    assert problems == [] and doc is not None and doc.data["a"] == 2**53 - 1 and doc.data["b"] == -(2**53 - 1)


@pytest.mark.parametrize("name", sorted(FORBIDDEN_TEXT))
def test_characters_that_forge_output_are_refused_however_written(known: tuple[Registry, tuple], name: str) -> None:
    reg, known_finding = known
    text, rule_id, line, col = FORBIDDEN_TEXT[name]
    reg.write_raw("centers", "broken.yaml", text)
    _assert_one_plus_known(reg, known_finding, "registry/centers/broken.yaml", rule_id, line, col)
    message = next(f.message for f in reg.validate() if f.rule_id == rule_id)
    assert "U+" in message and all(c.isprintable() for c in message), message


def test_newlines_in_a_value_are_text(reg: Registry) -> None:
    """A block scalar's lines, or an escaped \\n, are a multi-line note: allowed (and shown escaped)."""
    path = reg.file("center", "sample-guangfu")
    raw = path.read_text(encoding="utf-8").replace("field: ", 'field: "新能源\\n装备"\nx_: ', 1)
    path.write_text(raw.replace("x_: ", "field_: ", 1), encoding="utf-8")
    doc, problems = parse(path.read_bytes(), "x.yaml", "center")
    assert problems == [] and doc is not None and doc.data["field"] == "新能源\n装备"


def test_a_missing_settings_file_is_an_error(known: tuple[Registry, tuple]) -> None:
    """Without registry.yaml the sample-data banner and the licence would silently vanish."""
    reg, known_finding = known
    (reg.dir / "registry.yaml").unlink()
    _assert_one_plus_known(reg, known_finding, "registry/registry.yaml", "registry.settings", 1, 1)


def test_a_symlinked_record_folder_is_refused_and_not_read(known: tuple[Registry, tuple], tmp_path: Path) -> None:
    """notices/ pointing elsewhere: one file.symlink finding, and no file is read through it."""
    reg, _ = known
    elsewhere = tmp_path / "elsewhere"
    (reg.dir / "notices").rename(elsewhere)
    (elsewhere / "broken.yaml").write_bytes(b"\xff")  # would be a file.encoding finding if read
    (reg.dir / "notices").symlink_to(elsewhere, target_is_directory=True)
    findings = reg.validate()
    by_rule = {(f.path, f.rule_id) for f in findings}
    assert ("registry/notices", "file.symlink") in by_rule
    assert not any("broken.yaml" in f.path for f in findings)
    message = next(f.message for f in findings if f.path == "registry/notices")
    assert "符号链接" in message and "文件夹" in message
