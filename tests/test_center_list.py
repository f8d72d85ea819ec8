"""The center list's pages and data (render/site/center_list.py), and the folded long tables:
every center reachable from static pages, rows.json in the list's order with life-cycle ranks."""

from __future__ import annotations

import json
import re

import pytest

from bench.synth import generate
from generator.derive.facts import RegistryFacts, derive
from generator.derive.status import STATUSES
from generator.render.site import center_list
from generator.render.site.pages import render_site
from generator.validate.registry import validate_registry
from tests.support import AS_OF, ROOT

N = 230


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> tuple[RegistryFacts, dict[str, bytes]]:
    registry = tmp_path_factory.mktemp("list") / "registry"
    generate(registry, N, 5)
    facts = derive(validate_registry(registry, ROOT).registry, AS_OF)
    return facts, render_site(facts, [])


def _links(page: str, prefix: str) -> list[str]:
    return re.findall(rf'<a href="{re.escape(prefix)}([a-z0-9-]+)/">', page)


def test_static_pages_link_every_center_once(many):
    facts, pages = many
    assert center_list.page_count(N) == 3
    files = [center_list.static_page_file(k) for k in (2, 3)]
    assert all(f in pages for f in files) and center_list.static_page_file(4) not in pages
    first = pages["centers/index.md"].decode()
    rows = first.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    linked = _links(rows, "")
    for f in files:
        body = pages[f].decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        linked += _links(body, "../")
    assert linked == [c.id for c in facts.centers]  # the list's order, each once
    assert '<a rel="next" href="page_2/">下一页</a>' in first
    last = pages[files[-1]].decode()
    assert '<a rel="prev" href="../page_2/">上一页</a>' in last and 'rel="next"' not in last


def test_rows_json_in_the_lists_order_with_life_cycle_ranks(many):
    facts, pages = many
    data = json.loads(pages[center_list.DATA_FILE])
    rows = data["rows"]
    assert [r[0] for r in rows] == [c.id for c in facts.centers] and data["pageSize"] == center_list.PAGE_SIZE
    keys = list(STATUSES)
    for r, c in zip(rows, facts.centers):
        assert keys[r[2]] == c.status and data["texts"][r[4]] == c.status_filter
        d = c.next_deadline
        assert r[10] == (d.due.isoformat() if d else None)  # empty deadlines are null: the script puts them last
        assert r[12] == int(bool(d and d.state == "overdue"))
        assert bool(r[15]) == any(f.kind == "revocation" for f in c.flags)
        if r[15]:
            assert "本站推算" in r[15] and "以市科技局决定为准" in r[15]
    by_rank = sorted(rows, key=lambda r: r[17])
    assert [r[2] for r in by_rank] == sorted(r[2] for r in rows)  # rank follows STATUSES, not the labels


def test_long_tables_fold_all_but_what_is_due_soon(many):
    facts, pages = many
    deadlines = pages["deadlines.md"].decode()
    assert deadlines.count("<tr><td><time") == sum(len(c.open_deadlines) for c in facts.centers)
    assert deadlines.index('id="deadline-list"') < deadlines.index('<details class="tic-group" id="year-')
    ratings = pages["ratings.md"].decode()
    assert ratings.count('<details class="tic-group">') > 1 and 'id="rating-matrix-' in ratings
