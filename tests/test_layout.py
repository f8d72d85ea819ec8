"""The house has no circles and no upward arrows: the import graph of generator/, read with ast.

The stages, bottom to top, and what each may import are the two tables below. A module that
fits no stage, an import of a later stage, an import between the two wings of render/ or a
cycle between modules fails here, with the offending imports named. Imports inside functions
and under ``if TYPE_CHECKING:`` count as well: a lazy or typing-only import is still an arrow.

The tests keep to the same discipline: helpers come from a support module, never from another
test module or a conftest.py.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from tests.support import ROOT

PACKAGE = "generator"

# Bottom to top. Records and rules are the ground floor: the rule vocabulary (table, dates,
# findings) lies under the records, and the measures' arithmetic over loaded records on top
# of them. runtime/ is plumbing that knows nothing of the registry, usable by every stage.
ORDER = ("runtime", "rules", "records", "measures", "validate", "derive", "render", "write", "commands")

# Where each module lives: the longest matching prefix wins (a package name covers its modules).
PLACE = {
    "generator.runtime": "runtime",
    "generator.rules": "rules",
    "generator.records": "records",
    "generator.rules.measures": "measures",
    "generator.validate": "validate",
    "generator.derive": "derive",
    "generator.render": "render",
    "generator.write": "write",
    "generator.cli": "commands",
    "generator.__main__": "commands",
    "generator.build": "commands",
    "generator.scaffold": "commands",
    "generator.diff": "commands",
    "generator.fmt": "commands",
    "generator.importer": "commands",
    "generator.issues": "commands",
    "generator.plugin": "commands",
    "generator.exits": "commands",  # the exit statuses the commands share
}

# The stages each stage may import (besides itself); each entry must lie below it in ORDER.
MAY_IMPORT: dict[str, set[str]] = {
    "runtime": set(),
    "rules": {"runtime"},
    "records": {"rules", "runtime"},  # a file's findings carry rule ids; record dates parse with rules.dates
    "measures": {"records", "rules", "runtime"},
    "validate": {"measures", "records", "rules", "runtime"},
    # flags show the validator's date-free warnings as they stood on the as-of date
    "derive": {"validate", "measures", "records", "rules", "runtime"},
    "render": {"derive", "measures", "records", "rules", "runtime"},  # pages show derived facts, never validate
    "write": {"runtime"},  # puts bytes on disk; what they mean is the stages' business
    "commands": set(ORDER) - {"commands"},
}

# Sibling wings of render/: each is drawn from the derived facts, neither from the other.
WINGS = ("generator.render.site", "generator.render.opendata")


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by the name of its __init__)."""
    found = {}
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imported(module: str, path: Path, modules: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """(imported module of the package, line) for every import statement in `path`."""
    is_package = path.name == "__init__.py"

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against this module's package
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join(anchor + ([base] if base else []))
            # `from pkg import mod` imports the submodule when there is one
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for name in names:
            if name == PACKAGE or name.startswith(PACKAGE + "."):
                target = known(name)
                if target and target != module:
                    yield target, node.lineno


@cache
def _graph() -> dict[str, dict[str, int]]:
    """module → {imported module: first line importing it}."""
    modules = _modules()
    graph: dict[str, dict[str, int]] = {}
    for module, path in modules.items():
        edges = graph.setdefault(module, {})
        for target, line in _imported(module, path, modules):
            edges.setdefault(target, line)
    return graph


def _stage(module: str) -> str | None:
    if module == PACKAGE:
        return "commands"  # the bare package (an empty __init__) sits with the entry points
    places = [p for p in PLACE if module == p or module.startswith(p + ".")]
    return PLACE[max(places, key=len)] if places else None


def _where(module: str, line: int) -> str:
    return f"{_modules()[module].relative_to(ROOT)}:{line}"


def test_the_graph_is_read_from_the_source() -> None:
    """The reader finds what is known to be there, so the checks below look at real arrows."""
    graph = _graph()
    assert "generator.validate.checks" in graph["generator.derive.flags"]
    assert "generator.rules.measures" in graph["generator.derive.flags"]  # `from generator.rules import measures`
    assert "generator.diff.compare" in graph["generator.diff.report"]  # under `if TYPE_CHECKING:`
    assert "generator.cli" in graph["generator.__main__"]
    assert len(graph) > 40


def test_the_stage_table_points_only_down() -> None:
    assert set(MAY_IMPORT) == set(ORDER) and set(PLACE.values()) <= set(ORDER)
    for stage, allowed in MAY_IMPORT.items():
        upward = allowed - set(ORDER[: ORDER.index(stage)])
        assert not upward, f"{stage} is allowed to import later stages: {sorted(upward)}"


def test_every_module_has_a_stage() -> None:
    homeless = [m for m in _graph() if _stage(m) is None]
    assert not homeless, f"modules in no stage (add them to PLACE in {Path(__file__).name}): {homeless}"


def test_no_stage_imports_a_later_one() -> None:
    wrong = []
    for module, edges in _graph().items():
        here = _stage(module)
        for target, line in edges.items():
            there = _stage(target)
            if here and there and there != here and there not in MAY_IMPORT[here]:
                wrong.append(f"{_where(module, line)}: {module} ({here}) imports {target} ({there})")
    assert not wrong, "imports against the stage order:\n" + "\n".join(wrong)


def test_the_two_render_wings_do_not_import_each_other() -> None:
    wrong = [
        f"{_where(module, line)}: {module} imports {target}"
        for module, edges in _graph().items()
        for target, line in edges.items()
        for a, b in (WINGS, WINGS[::-1])
        if module.startswith(a) and target.startswith(b)
    ]
    assert not wrong, "\n".join(wrong)


def _cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, {})))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1, "d": 1}, "d": {}, "e": {"e": 1}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b": 1}, "b": {}}) == []


def test_no_circles_between_modules() -> None:
    cycles = _cycles(_graph())
    assert not cycles, "modules that import each other, directly or around a circle:\n" + "\n".join(
        " ↔ ".join(c) for c in cycles
    )


def test_no_test_module_imports_another_test_module() -> None:
    """Shared helpers live in tests/support.py and tests/browser/support.py; fixtures in conftest.py."""
    wrong = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = "." * node.level + (node.module or "")
                names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            for name in names:
                last = name.rpartition(".")[2]
                if name.startswith(".") or last == "conftest" or last.startswith("test_"):
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: imports {name}")
    assert not wrong, "\n".join(wrong)
