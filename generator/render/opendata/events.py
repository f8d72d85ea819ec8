"""A center's recorded events as data: a stable id, a phrase, the typed values, the source.

events.csv and the center's Atom feed both read events through here, so a row and a
feed entry name the same event the same way. An event's id is its date and kind
(`2024-03-15-approval`), with `-2`, `-3` … for a second and third event of the same kind
on the same day in record order: unlike its position, it does not move when an earlier
event is added to the record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from generator.records.model import Center, Event

_PHRASES: dict[str, Callable[[Callable[[str], Any]], str]] = {
    "application": lambda g: f"依据 {g('measures')}" if g("measures") else "",
    "expert_review": lambda g: f"评审{g('result')}",
    "publicity": lambda g: f"列入公示 {g('notice')}",
    "task_book": lambda g: f"计划 {g('planned_end')} 建设期满",
    "extension": lambda g: f"延期至 {g('new_end')}" + (f"；{g('reason')}" if g("reason") else ""),
    "acceptance": lambda g: f"验收{g('result')}",
    "annual_assessment": lambda g: f"{g('year')}年度：{g('grade')}",
    "evaluation": lambda g: f"评估结果：{g('grade')}",
    "funding": lambda g: f"{g('funding_kind')} {g('amount_wan')} 万元",
    "change": lambda g: f"{g('change_kind')}：{_joined(g('old'))} → {_joined(g('new'))}",
    "safety_incident": lambda g: g("description"),
    "revocation": lambda g: f"{g('reason')}（{g('article')}）",
    "withdrawal": lambda g: g("reason") or "",
    "rejection": lambda g: g("reason") or "",
}


def _joined(value: str | list[str]) -> str:
    return "、".join(value) if isinstance(value, list) else value


def phrase(event: Event, note: bool = True) -> str:
    """What an event says beyond its kind and date, in one line (with its note after a ；,
    unless `note` is false: a table has a column of its own for the note)."""
    make = _PHRASES.get(event.kind)
    text = make(event.get) if make else ""
    remark = event.get("note") if note else None
    return f"{text}；{remark}" if text and remark else text or remark or ""


def with_ids(center: Center) -> Iterator[tuple[str, Event]]:
    """(event id, event) for each event of the center, in record order."""
    seen: dict[str, int] = {}
    for event in center.events:
        base = f"{event.date.isoformat()}-{event.kind}"
        count = seen[base] = seen.get(base, 0) + 1
        yield (base if count == 1 else f"{base}-{count}"), event


def source_parts(event: Event) -> tuple[str | None, str | None, str | None]:
    """(document number, title, URL) of the event's official source; None where not recorded."""
    source = event.get("source")
    if not isinstance(source, dict):
        return None, None, None
    return source.get("document_number"), source.get("title"), source.get("url")
