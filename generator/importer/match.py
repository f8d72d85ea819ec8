"""Which center a row of a list means: by id, by current or former name, by credit code.

Every key the row gives must agree. A name is compared after Unicode compatibility
normalisation (full-width and half-width brackets alike) with spaces removed, which is how
the same name differs between a Word document and the registry; nothing looser, so a row
never lands on a center it does not name. A row that names none gets the nearest names
as a hint, never as a guess.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from generator.importer.read import Problem, Row
from generator.records.model import Center, Registry


def normal_name(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class Index:
    centers: dict[str, Center]
    by_name: dict[str, set[str]]  # normalised current and former names → ids
    by_code: dict[str, set[str]]  # the first host unit's credit code → ids
    names: dict[str, str]  # normalised name → as written (for hints)


def index(registry: Registry) -> Index:
    by_name: dict[str, set[str]] = {}
    by_code: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for center in registry.centers:
        for name in [center.name, *(old for old, _ in center.former_names if isinstance(old, str))]:
            by_name.setdefault(normal_name(name), set()).add(center.id)
            names.setdefault(normal_name(name), name)
        code = center.first_host_unit.get("credit_code")
        if isinstance(code, str):
            by_code.setdefault(code.upper(), set()).add(center.id)
    return Index({c.id: c for c in registry.centers}, by_name, by_code, names)


def _listed(ids: Iterable[str]) -> str:
    return "、".join(sorted(ids))


def match(row: Row, idx: Index) -> tuple[Center | None, Problem | None]:
    """The one center a row names, or the problem that says why there is not one."""
    given: list[tuple[str, str, set[str]]] = []  # (what, value, candidates)
    if row.values.get("id"):
        value = row.values["id"]
        given.append(("标识", value, {value} if value in idx.centers else set()))
    if row.values.get("name"):
        value = row.values["name"]
        given.append(("中心名称", value, idx.by_name.get(normal_name(value), set())))
    if row.values.get("credit_code"):
        value = row.values["credit_code"].upper()
        given.append(("统一社会信用代码", value, idx.by_code.get(value, set())))
    if not given:
        return None, Problem(row.where, "没有填写中心名称（或标识）", unmatched=True)
    for what, value, found in given:
        if not found:
            hint = ""
            if what == "中心名称":
                near = difflib.get_close_matches(normal_name(value), list(idx.names), n=2, cutoff=0.75)
                if near:
                    hint = "；名称相近的有：" + "、".join(f"“{idx.names[n]}”" for n in near)
            where = "现用名称或曾用名" if what == "中心名称" else what
            return None, Problem(row.where, f"名录中没有{where}为“{value}”的中心{hint}", unmatched=True)
    common = set.intersection(*(found for _, _, found in given))
    if not common:
        said = "，".join(f"{what}“{value}”对应 {_listed(found)}" for what, value, found in given)
        return None, Problem(row.where, f"各列指向不同的中心：{said}；请核对", unmatched=True)
    if len(common) > 1:
        return None, Problem(
            row.where,
            f"对应多个中心：{_listed(common)}；请加一列“标识”或“统一社会信用代码”加以区分",
            unmatched=True,
        )
    return idx.centers[next(iter(common))], None
