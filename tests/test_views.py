"""County, supervising-unit and year pages (render/site/views.py) on the sample registry.

Each page is checked against what the records say, worked out here independently: the
centers it lists, the deadlines it calls due or overdue, the facts of a year and the
numbers of its chart.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from generator.derive.facts import RegistryFacts
from generator.records.model import DIVISION_CODES
from generator.render.site.pages import render_site
from generator.render.site.record_page import read_record_page
from generator.render.site.views import view_page_files
from tests.support import AS_OF, ROOT

CENTER_LINK = re.compile(r'<a href="\.\./\.\./centers/([a-z0-9-]+)/">')


@pytest.fixture(scope="module")
def site(facts: RegistryFacts) -> dict[str, str]:
    return {path: body.decode() for path, body in render_site(facts, []).items()}


def _body(site: dict[str, str], path: str) -> str:
    return read_record_page(site[path])["body"]


def _section(body: str, heading: str) -> str:
    """The HTML from an <h2> with this text to the next <h2>."""
    start = body.index(f'<h2 id="{heading}">')
    end = body.find("<h2 ", start + 1)
    return body[start : end if end > 0 else len(body)]


def test_every_county_unit_and_year_has_a_page(site: dict[str, str], facts: RegistryFacts) -> None:
    assert facts.units is not None
    expected = {f"counties/{name}/index.md" for name in DIVISION_CODES}
    expected |= {f"units/{u.id}/index.md" for u in facts.units.units}
    first = min(c.center.events[0].date.year for c in facts.centers)  # 2019: the first application
    expected |= {f"years/{y}/index.md" for y in range(first, AS_OF.year + 1)}
    assert expected <= set(site)
    assert view_page_files(facts) == expected  # item pages are record pages, outside the nav
    for index in ("counties/index.md", "units/index.md", "years/index.md"):
        assert site[index].startswith("---\ntitle: ")  # a list page in the nav
    nav = yaml.safe_load(re.search(r"^nav:\n(?:  .*\n)+", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)[0])
    pages = [next(iter(item.values())) for item in nav["nav"]]
    assert {"counties/index.md", "units/index.md", "years/index.md"} <= set(pages)


def test_county_page_lists_its_centers_and_their_due_deadlines_soonest_first(
    site: dict[str, str], facts: RegistryFacts
) -> None:
    body = _body(site, "counties/忻府区/index.md")
    mine = [c for c in facts.centers if c.center.data["location"] == "忻府区"]
    assert (
        set(CENTER_LINK.findall(_section(body, "中心")))
        == {c.id for c in mine}
        == {
            "sample-nongmu",
            "sample-shengtai",
            "sample-zaliang",
        }
    )
    due = _section(body, "未到期的期限")
    dates = re.findall(r"<tr><td>(\d{4}-\d\d-\d\d)", due)
    expected = sorted(
        d.due.isoformat()
        for c in mine
        for d in c.open_deadlines
        if d.state != "overdue" and d.rule_id != "deadline.publicity-end"
    )
    assert dates == expected and len(dates) == 4
    assert due.count("本站推算</span>") == len(dates)  # every derived row says so, with its rule
    assert "没有逾期的期限" in _section(body, "逾期与应予撤销")
    assert '<a href="../../units/xinfu-gxkj/">忻府区工信和科技局</a>' in body
    assert '<a href="../../data/counties/140902.ics">' in body
    assert '<a href="../../centers/?location=%E5%BF%BB%E5%BA%9C%E5%8C%BA">' in body  # the list's URL filter


def test_an_empty_county_still_has_its_page(site: dict[str, str]) -> None:
    body = _body(site, "counties/偏关县/index.md")
    assert "共 0 个" in body and "名录中还没有所在地为偏关县的中心" in body
    assert '<a href="../../units/pianguan-gxkj/">偏关县工信和科技局</a>' in body


def test_unit_page_shows_overdue_and_inferred_revocation_as_derived(site: dict[str, str], facts: RegistryFacts) -> None:
    body = _body(site, "units/hequ-jjfz/index.md")
    gufei = facts.by_id["sample-gufei"]
    overdue = _section(body, "逾期与应予撤销")
    late = [d for d in gufei.open_deadlines if d.state == "overdue"]
    flags = [f for f in gufei.flags if f.kind == "revocation"]
    assert late and flags
    assert overdue.count("sample-gufei") == len(late) + len(flags)
    assert f"已逾期 {late[0].days} 天" in overdue and late[0].due.isoformat() in overdue
    assert f"按{flags[0].article}应予撤销（本站推算，以市科技局决定为准）" in overdue
    assert (
        f"<code>{flags[0].rule_id}</code>" in overdue
        and f'<span class="tic-article">{flags[0].article}</span>' in overdue
    )
    assert "不是市科学技术局的决定" in body
    assert '<a href="../../counties/河曲县/">河曲县</a>' in body  # the unit's county


def test_unit_page_lists_exactly_the_centers_that_name_it(site: dict[str, str], facts: RegistryFacts) -> None:
    assert facts.units is not None
    for unit in facts.units.units:
        body = _body(site, f"units/{unit.id}/index.md")
        named = {c.id for c in facts.centers if c.center.data["supervising_unit"] in unit.names}
        assert set(CENTER_LINK.findall(_section(body, "中心"))) == named, unit.id
    former = _body(site, "units/xinfu-gxkj/index.md")
    assert "曾用名：忻府区科学技术局" in former and "<code>units/xinfu-gxkj/</code>" in former


def test_indexes_count_what_the_item_pages_list(site: dict[str, str], facts: RegistryFacts) -> None:
    counties = site["counties/index.md"]
    by_county = Counter(c.center.data["location"] for c in facts.centers)
    for name in DIVISION_CODES:
        row = re.search(rf'<tr><td><a href="{name}/">{name}</a></td><td>[^<]*</td><td>(\d+)</td>', counties)
        assert row and int(row[1]) == by_county.get(name, 0), name
    units = site["units/index.md"]
    assert '<a href="hequ-jjfz/">河曲县经济发展服务中心</a>' in units
    assert re.search(
        r'hequ-jjfz/">.*?<strong class="tic-overdue">1 项逾期</strong>.*?<strong class="tic-overdue">1 个</strong>',
        units,
    )
    assert '<a href="../counties/河曲县/">河曲县</a>' in units


def test_year_page_lists_the_facts_of_its_year_with_sources(site: dict[str, str], facts: RegistryFacts) -> None:
    body = _body(site, "years/2025/index.md")
    known = [(c, e) for c in facts.centers for e in c.center.until(AS_OF).events]
    approvals = {c.id for c, e in known if e.kind in ("approval", "recognition") and e.date.year == 2025}
    revocations = {c.id for c, e in known if e.kind == "revocation" and e.date.year == 2025}
    grades = Counter(e.get("grade") for c, e in known if e.kind == "annual_assessment" and e.get("year") == 2025)
    assert set(CENTER_LINK.findall(_section(body, "批准建设"))) == approvals == {"sample-duanzao"}
    assert set(CENTER_LINK.findall(_section(body, "撤销"))) == revocations == {"sample-shengwufei"}
    assessed = _section(body, "年度绩效考核")
    assert "2025年度考核 4 个中心" in assessed
    for grade in ("优秀", "良好", "合格", "基本合格", "不合格"):
        assert f"{grade} {grades.get(grade, 0)} 个" in assessed
    assert "忻科发〔2025〕31号" in _section(body, "批准建设")  # each fact with its document
    notices = {n.id for n in facts.notices if n.notice.issue_date.year == 2025}
    assert set(re.findall(r'<a href="\.\./\.\./notices/([a-z0-9-]+)/">', _section(body, "公示"))) == notices
    assert '<a href="../2024/">← 2024 年</a>' in body and '<a href="../2026/">2026 年 →</a>' in body


def test_year_chart_is_an_accessible_image_with_a_text_equivalent(site: dict[str, str]) -> None:
    body = _body(site, "years/2025/index.md")
    svg = re.search(r"<svg [^>]*>.*?</svg>", body, re.S)
    assert svg is not None
    tag = svg[0]
    assert 'role="img"' in tag and 'aria-labelledby="chart-year-2025-title chart-year-2025-desc"' in tag
    title = re.search(r'<title id="chart-year-2025-title">([^<]+)</title>', tag)
    desc = re.search(r'<desc id="chart-year-2025-desc">([^<]+)</desc>', tag)
    assert title and title[1] == "2025 年各类事项数量"
    table = dict(re.findall(r'<tr><td><a href="#[^"]+">([^<]+)</a></td><td[^>]*>(\d+)</td></tr>', body))
    assert desc and desc[1] == "，".join(f"{k} {v}" for k, v in table.items())
    assert table["批准建设"] == "1" and table["撤销"] == "1" and table["考核良好"] == "3"
    assert "<a " not in tag  # an image holds no links; the table links each row
    anchors = set(re.findall(r'<a href="#([^"]+)">', body))
    assert anchors <= set(re.findall(r'<h[23] id="([^"]+)">', body))


def test_years_index_has_a_row_and_a_bar_per_year(site: dict[str, str]) -> None:
    page = site["years/index.md"]
    years = re.findall(r'<tr><td><a href="(\d{4})/">', page)
    assert years == [str(y) for y in range(AS_OF.year, 2018, -1)]  # from 2019, the first recorded event
    assert page.count("<rect ") == len(years) and 'role="img"' in page


def test_center_page_links_its_county_and_unit(site: dict[str, str]) -> None:
    body = _body(site, "centers/sample-gufei/index.md")
    assert '<td>所在地</td><td><a href="../../counties/河曲县/">河曲县</a>' in body
    assert '<td>归口管理单位</td><td><a href="../../units/hequ-jjfz/">河曲县经济发展服务中心</a></td>' in body


def test_view_pages_are_deterministic(facts: RegistryFacts, site: dict[str, str]) -> None:
    again = render_site(facts, [])
    views = [p for p in site if p.startswith(("counties/", "units/", "years/"))]
    assert len(views) > 30 and all(again[p].decode() == site[p] for p in views)


def test_built_site_serves_the_views(built_site: Path) -> None:
    """`mkdocs build --strict` published them at their addresses, item pages outside the nav."""
    county = (built_site / "counties" / "忻府区" / "index.html").read_text(encoding="utf-8")
    assert "<title>忻府区 - " in county
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="counties/"' in home and 'href="units/"' in home and 'href="years/"' in home
    nav = home[home.index('<nav class="md-nav md-nav--primary"') : home.index('<div class="md-content"')]
    assert (
        'href="counties/"' in nav
    )  # the index is in the nav, a county's page is not (the home page's figures link it)
    assert "counties/%E5%BF%BB%E5%BA%9C%E5%8C%BA/" not in nav and 'href="counties/忻府区/"' not in nav
    for path in ("units/hequ-jjfz/index.html", "years/2025/index.html", "years/index.html", "units/index.html"):
        assert (built_site / path).is_file(), path
