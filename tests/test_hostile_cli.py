"""Fuzz-style: hostile records and revisions through every command (issue 14, "done when").

`validate`, `build`, `diff`, `new` and `status` never show a traceback or die, whatever a
record or a revision holds: the exit status is 0, 1 or 2 and a problem is a finding.
Part one runs the real command line on a registry full of hostile files; part two changes
every value of a sample record to every hostile value in turn, in-process, and takes each
one that still validates through derive, the status text and (for some) the renderers.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.derive.facts import derive
from generator.records.load import MAX_BYTES, SCHEMA_LINES
from generator.render.env import text_env
from generator.validate.registry import validate_registry
from tests.support import FORBIDDEN_TEXT, HOSTILE_FILES, ROOT, TODAY, dump_yaml, make_project

AS_OF = "2026-11-27"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "x",
    "GIT_AUTHOR_EMAIL": "x@example.org",
    "GIT_COMMITTER_NAME": "x",
    "GIT_COMMITTER_EMAIL": "x@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        env={**os.environ, **GIT_ENV},
        check=True,
        capture_output=True,
    )
    return done.stdout.decode().strip()


def hostile_files() -> dict[str, bytes]:
    """File name → bytes: every hostile file of the loader's tests, and more."""
    sample = (ROOT / "registry" / "centers" / "sample-guangfu.yaml").read_text(encoding="utf-8")
    files = {f"load-{i:02d}.yaml": raw for i, (raw, *_) in enumerate(HOSTILE_FILES.values())}
    files |= {f"text-{i:02d}.yaml": text.encode() for i, (text, *_) in enumerate(FORBIDDEN_TEXT.values())}
    files |= {
        "deep-dashes.yaml": b"id: x\nx:\n  " + b"- " * 100_000 + b"v\n",
        "deep-keys.yaml": b"id: x\nx:\n" + b"? " * 100_000 + b"v\n",
        "huge-int.yaml": b"id: x\nx: " + b"9" * 5000 + b"\n",
        "big.yaml": b"#" * (MAX_BYTES + 1),
        "not-utf8-\xff.yaml".encode("utf-8", "surrogateescape").decode("utf-8", "replace"): b"\xff",
        "x\n::error::forged\x1b[2J.yaml": b"id: x\n",
        "sample-forged.yaml": sample.replace("sample-guangfu", "sample-forged")
        .replace("name: 忻州市示例光伏储能技术创新中心", 'name: "忻州市示例伪造技术创新中心\\n::error::x"')
        .encode(),
        "sample-future.yaml": sample.replace("sample-guangfu", "sample-future")
        .replace("2026-11-05", "2999-11-05")
        .encode(),
        "sample-types.yaml": sample.replace("sample-guangfu", "sample-types")
        .replace("age_at_application: 44", "age_at_application: [44]")
        .replace("amount_wan: 10", "amount_wan: 1e400x")
        .encode(),
    }
    return files


def _assert_survived(done: subprocess.CompletedProcess[str], *codes: int) -> None:
    output = done.stdout + done.stderr
    assert done.returncode in (codes or (0, 1, 2)), f"exit {done.returncode}\n{output[-3000:]}"
    assert "Traceback" not in output, output[-3000:]
    lines = [line for line in done.stdout.splitlines() if line.lstrip().startswith("::")]
    assert all(line.startswith(("::error file=", "::warning file=")) for line in lines), lines[:3]


def _cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(project), PYTHONIOENCODING="utf-8", NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=300,
    )


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Git repository with its own copy of the generator (so the CLI's docs/ is its own):
    the samples committed, then every hostile file committed on top."""
    project = make_project(tmp_path_factory.mktemp("hostile") / "project")
    shutil.copytree(ROOT / "generator", project / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "schema", project / "schema")
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "samples")
    for name, raw in hostile_files().items():
        (project / "registry" / "centers" / name).write_bytes(raw)
    (project / "registry" / "notices" / "linked").symlink_to(ROOT / "registry" / "notices")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "hostile\x1b[31m\x1e\x1f subject")
    return project


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("validate",), 1),
        (("validate", "--format", "github"), 1),
        (("validate", "--format", "json"), 1),
        (("status", "--as-of", AS_OF), 1),
        (("build", "--as-of", AS_OF), 1),
        (("diff", "HEAD~1", "HEAD", "--as-of", AS_OF), 2),  # a revision with such names is refused
        (("diff", "HEAD~1", "--format", "markdown", "--as-of", AS_OF), 1),  # the work tree: read in place
    ],
    ids=lambda a: " ".join(a) if isinstance(a, tuple) else str(a),
)
def test_every_command_survives_a_registry_of_hostile_files(
    hostile_project: Path, args: tuple[str, ...], code: int
) -> None:
    before = sorted(p.relative_to(hostile_project).as_posix() for p in (hostile_project / "docs").rglob("*"))
    done = _cli(hostile_project, *args)
    _assert_survived(done, code)  # 1: the registry has errors
    after = sorted(p.relative_to(hostile_project).as_posix() for p in (hostile_project / "docs").rglob("*"))
    assert after == before  # nothing written with errors in the registry
    if args[0] == "validate" and args[1:] != ("--format", "json"):
        assert "[yaml.depth]" in done.stdout or "yaml.depth" in done.stdout


@pytest.mark.parametrize(
    "record_id",
    [
        "abc\n",  # a whole slug but for the newline: `$` would have let it through
        "tic-2026-001\n",
        "x\n",
        "tic-2026-001\n::error::x",
        "../escape",
        "a/b",
        "/tmp/abs",
        "ABC",
        "-x",
        "x" * 65,
        "a--b",
        "中心",
        "a\x00b",
    ],
)
def test_new_refuses_every_id_that_is_not_a_whole_slug(hostile_project: Path, record_id: str) -> None:
    if "\x00" in record_id:  # no command line can carry a NUL; the check itself must still refuse it
        from generator.scaffold import SLUG

        assert SLUG.fullmatch(record_id) is None
        return
    done = _cli(hostile_project, "new", "center", "--stub", f"--id={record_id}", "--as-of", AS_OF)
    _assert_survived(done, 2)
    assert "标识" in done.stderr
    assert _git(hostile_project, "status", "--porcelain") == ""  # no file written anywhere


# --- part two: every value of a record, every hostile value --------------------------------

HOSTILE_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    2**53 - 1,
    1.5,
    "",
    "x" * 3000,
    [],
    {},
    [[[]]],
    {"a": {"b": None}},
    "2024-02-30",
    "2999-12-31",
    "1000-01-01",
    "a\nb",
    "::error::伪造",
    "100%,:",
    "１３８１２３４５６７８",
    "https://a.gov.cn@b.example/",
    "<script>alert(1)</script>{{ 7*7 }}| a |",
]


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, (*path, i))
    else:
        yield path


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _minimal(root: Path, records: dict[str, tuple[str, Any]]) -> Path:
    """The sample registry's settings, measures and calendars, with only `records` as centers and notices."""
    registry = root / "registry"
    if registry.exists():
        shutil.rmtree(registry)
    shutil.copytree(ROOT / "registry", registry)
    for folder in ("centers", "notices"):
        shutil.rmtree(registry / folder)
        (registry / folder).mkdir()
    for name, (kind, data) in records.items():
        (registry / name).write_text(f"{SCHEMA_LINES[kind]}\n{dump_yaml(data)}", encoding="utf-8")
    return registry


def _load(folder: str, record_id: str) -> dict[str, Any]:
    return yaml.safe_load((ROOT / "registry" / folder / f"{record_id}.yaml").read_text(encoding="utf-8"))


def _as_written(data: Any) -> Any:
    """The sample as the loader reads it: dates are text (YAML 1.2), not date objects."""
    if isinstance(data, dict):
        return {k: _as_written(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_as_written(v) for v in data]
    return data.isoformat() if isinstance(data, dt.date) else data


@pytest.mark.parametrize(
    ("target", "others"),
    [
        ("centers/sample-guangfu.yaml", {"notices/approval-2024.yaml": ("notice", "approval-2024")}),
        ("notices/approval-2025.yaml", {"centers/sample-duanzao.yaml": ("center", "sample-duanzao")}),
    ],
    ids=["center", "notice"],
)
def test_every_value_replaced_by_every_hostile_value(tmp_path: Path, target: str, others: dict[str, Any]) -> None:
    from generator.build import render_outputs
    from generator.render.batch import run_batches  # noqa: F401  (the renderers import cleanly)

    folder, name = target.split("/")
    kind = "center" if folder == "centers" else "notice"
    original = _as_written(_load(folder, name.removesuffix(".yaml")))
    fixed = {path: (k, _as_written(_load(path.split("/")[0], rid))) for path, (k, rid) in others.items()}
    as_of = dt.date.fromisoformat(AS_OF)
    valid = rendered = 0
    for leaf in list(_leaves(original)):
        for value in HOSTILE_VALUES:
            data = _as_written(original)
            _set(data, leaf, value)
            registry = _minimal(tmp_path, {target: (kind, data), **fixed})
            result = validate_registry(registry, tmp_path, today=TODAY)
            for finding in result.findings:
                assert "\n" not in finding.message and finding.line >= 1, finding
            if not result.ok:
                continue
            valid += 1
            facts = derive(result.registry, as_of)
            text_env().get_template("status.txt.j2").render(facts=facts, centers=list(facts.centers), notices=[])
            if valid % 40 == 1:  # the renderers are slower: a sample of the valid mutations
                render_outputs(facts, [])
                rendered += 1
    assert valid > 50 and rendered > 1  # the mutations did reach derive and render
