"""Supervising units (第七条) against the registry's controlled list of them.

A center or a notice names its supervising unit in words, as the Bureau's documents do;
registry/supervising_units.yaml lists every unit with a stable id. A name the list does
not hold is an error that offers the nearest listed names, so a typo cannot quietly make
a second unit (and a second unit page) out of one.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from generator.records.load import JsonPath
from generator.records.model import Registry, UnitList
from generator.rules.text import quoted

RegistryHit = tuple[str, JsonPath, str]
NEAREST = 3  # how many known names an unknown one is offered
CUTOFF = 0.5  # difflib's similarity below which a listed name is no help


def nearest(name: str, units: UnitList) -> list[str]:
    """The listed names (current or former) most like `name`, best first."""
    return difflib.get_close_matches(name, units.all_names, n=NEAREST, cutoff=CUTOFF)


def _unknown(name: str, units: UnitList) -> str:
    near = nearest(name, units)
    hint = f"最接近的已登记名称：{'、'.join(near)}" if near else "请从名录中选择，或先在名录中登记这个单位"
    return f"归口管理单位“{quoted(name)}”不在归口管理单位名录 {units.path} 中；{hint}"


def _named_units(registry: Registry) -> Iterator[tuple[str, JsonPath, str]]:
    """Every supervising unit a record names: each center's, and each notice entry that gives one."""
    for center in registry.centers:
        yield center.path, ("supervising_unit",), center.data["supervising_unit"]
    for notice in registry.notices:
        for i, entry in enumerate(notice.entries):
            if entry.get("supervising_unit"):
                yield notice.path, ("entries", i, "supervising_unit"), entry["supervising_unit"]


def check_unit_refs(registry: Registry) -> Iterable[RegistryHit]:
    units = registry.units
    if units is None:  # the list itself is missing or broken: its own finding says so
        return
    for path, at, name in _named_units(registry):
        if units.named(name) is None:
            yield path, at, _unknown(name, units)


def check_unique_units(registry: Registry) -> Iterable[RegistryHit]:
    units = registry.units
    if units is None:
        return
    ids: dict[str, int] = {}
    names: dict[str, str] = {}
    for unit in units.units:
        if unit.id in ids:
            yield units.path, unit.path + ("id",), f"标识 {unit.id} 重复（第 {ids[unit.id] + 1} 项已使用）"
        ids.setdefault(unit.id, unit.index)
        for j, name in enumerate(unit.names):
            at = unit.path + (("name",) if j == 0 else ("former_names", j - 1))
            if name in names:
                yield units.path, at, f"名称“{quoted(name)}”已属于单位 {names[name]}：一个名称只能指一个单位"
            names.setdefault(name, unit.id)
