"""The home page, the notices' 结果待公布 and the recent changes in words (issue 16), rendered
from the sample registry at as-of dates that put its notices in each state:

* 2025-11-15: approval-2025's period ended 11-14 and its outcome is dated 11-17: 结果待公布;
* 2026-11-27 (the tests' date): approval-2026 is in publicity, sample-gufei is overdue and
  the site reads it as due for revocation;
* 2026-12-03: approval-2026's period ended 12-01 and no outcome is recorded: 结果待公布.

The pages are rendered without MkDocs (render_site); tests/test_site_render.py and the
browser tests look at the built site.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

import pytest

from generator.derive.facts import RegistryFacts, derive
from generator.records.history import Change, FileChange
from generator.records.model import Registry as Records
from generator.render.site.changes import ChangeWords
from generator.render.site.pages import render_site
from generator.render.site.record_page import read_record_page, record_page_file

D = dt.date.fromisoformat
CHANGES = [
    Change(
        "abc1234",
        D("2026-11-20"),
        "Records",
        (
            FileChange("M", "registry/centers/sample-zaliang.yaml"),
            FileChange("D", "registry/centers/old-one.yaml", gone=True, last_name="忻州市旧名<b>技术创新中心"),
            FileChange("D", "registry/centers/old-two.yaml", gone=True),
            FileChange("M", "registry/registry.yaml"),
            FileChange("M", "registry/supervising_units.yaml"),
            FileChange("A", "registry/calendar/2027.yaml"),
            FileChange("M", "registry/measures/xinkegui-2024-4.yaml"),
            FileChange("M", "registry/notices/approval-2025.yaml"),
            FileChange("M", "registry/notices/old-notice.yaml", gone=True, last_name="关于旧公示"),
        ),
    ),
    Change("def5678", D("2026-11-01"), "Settings", (FileChange("M", "registry/registry.yaml"),)),
]


def _pages(records: Records, day: str, changes: list[Change] | None = None) -> tuple[RegistryFacts, dict[str, str]]:
    facts = derive(records, D(day))
    return facts, {path: page.decode("utf-8") for path, page in render_site(facts, changes or []).items()}


def _section(page: str, heading: str) -> str:
    """The text of a `## heading` section of a Markdown page, up to the next `## `."""
    start = page.index(f"\n## {heading}\n")
    end = page.find("\n## ", start + 1)
    return page[start : end if end > 0 else None]


def _notice_body(pages: dict[str, str], notice_id: str) -> str:
    return str(read_record_page(pages[record_page_file("notices", notice_id)])["body"])


def _notice_row(pages: dict[str, str], notice_id: str) -> str:
    return next(row for row in pages["notices/index.md"].split("<tr>") if f'href="{notice_id}/"' in row)


# --- 结果待公布 --------------------------------------------------------------------------


@pytest.mark.parametrize("day, notice_id", [("2025-11-15", "approval-2025"), ("2026-12-03", "approval-2026")])
def test_a_period_ended_without_an_outcome_says_result_pending(records: Records, day: str, notice_id: str) -> None:
    facts, pages = _pages(records, day)
    notice = next(n for n in facts.notices if n.id == notice_id)
    assert notice.state == "result_pending" and notice.outcome is None
    end = notice.period.end.isoformat()
    body = _notice_body(pages, notice_id)
    assert f"结果待公布：公示期已于 {end} 结束，本站尚未记录公示结果" in body
    assert "规则 notice.result-pending" in body  # the derived tag names the rule and its article
    assert "公示结果</p>" not in body  # no outcome box
    assert "结果待公布" in _notice_row(pages, notice_id) and "notice.result-pending" in _notice_row(pages, notice_id)
    home = _section(pages["index.md"], "公示")
    assert f'href="notices/{notice_id}/"' in home
    assert f"结果待公布</strong>：公示期已于 {end} 结束，本站尚未记录公示结果" in home


def test_an_outcome_known_on_the_day_ends_the_notice(records: Records) -> None:
    """approval-2025's outcome (无异议, 2025-11-17): from that day on the notice is 已结束 with it."""
    _, before = _pages(records, "2025-11-16")
    _, after = _pages(records, "2025-11-17")
    assert "结果待公布" in _notice_row(before, "approval-2025")
    row = _notice_row(after, "approval-2025")
    assert "已结束：无异议" in row and "结果待公布" not in row
    body = _notice_body(after, "approval-2025")
    assert "已结束：无异议" in body and "2025-11-17：无异议" in body
    assert 'href="notices/approval-2025/"' not in _section(after["index.md"], "公示")  # an ended notice is not news


# --- the home page's first sections ------------------------------------------------------


def test_home_puts_notices_overdue_and_changes_before_the_figures(records: Records) -> None:
    facts, pages = _pages(records, "2026-11-27", CHANGES)
    home = pages["index.md"]
    headings = re.findall(r"^## (.+)$", home, re.M)
    assert headings == ["公示", "逾期、应予撤销与 90 天内到期", "最近变更", "概况", "关于本站"]
    notices = _section(home, "公示")
    assert 'href="notices/approval-2026/"' in notices
    assert "<strong>公示中</strong>：公示期 2026-11-25 至 2026-12-01，剩余 3 个工作日" in notices
    due = _section(home, "逾期、应予撤销与 90 天内到期")
    assert "不是市科技局的决定" in due
    gufei = facts.by_id["sample-gufei"]
    revocation = next(f for f in gufei.flags if f.kind == "revocation")
    item = next(li for li in due.split("<li") if "tic-derived-revocation" in li)
    assert 'href="centers/sample-gufei/"' in item and revocation.statement in re.sub("<[^>]+>", "", item)
    assert '<a class="tic-article-link" href="measures/xinkegui-2024-4/#第十二条">第十二条</a>' in item  # linked
    assert f"规则 {revocation.rule_id}" in item and "本站推算</span>" in item  # labelled, with rule and article
    assert "（第十二条）" in item
    overdue = next(d for d in gufei.open_deadlines if d.state == "overdue")
    assert f'{overdue.title}：截止 {overdue.due}，<strong class="tic-overdue">已逾期 {overdue.days} 天</strong>' in due
    assert 'href="centers/?flag=overdue">有逾期期限的中心：1 个</a>' in due
    assert 'href="centers/?flag=revocation">本站推算应予撤销的中心：1 个</a>' in due
    assert "deadline.publicity-end" not in due  # a publicity period's end is shown with its notice


def test_every_figure_links_to_the_list_it_counts(records: Records) -> None:
    facts, pages = _pages(records, "2026-11-27")
    figures = _section(pages["index.md"], "概况")
    links = dict(re.findall(r'<a href="([^"]+)"><span>([^<]+)</span> <span class="tic-home-n">\d+</span></a>', figures))
    by_label = {label: href for href, label in links.items()}
    for key in ("status", "category", "location"):
        for label, n in facts.counts(key).items():
            href = f"counties/{quote(label)}/" if key == "location" else f"centers/?{key}={quote(label, safe='')}"
            assert by_label[label] == href, label
            assert f'<a href="{href}"><span>{label}</span> <span class="tic-home-n">{n}</span></a>' in figures
    assert by_label["合计"] == "centers/"
    assert sum(facts.counts("status").values()) == len(facts.centers) == 15


def test_a_quiet_day_says_so(records: Records) -> None:
    """2024-08-01: no notice running or awaiting its result, nothing overdue or due soon."""
    facts, pages = _pages(records, "2024-08-01")
    assert not [n for n in facts.notices if n.state != "ended"]
    home = pages["index.md"]
    assert "目前没有正在公示或结果待公布的名单。" in _section(home, "公示")
    assert "没有 Git 历史可供显示" in _section(home, "最近变更")


# --- recent changes in words ---------------------------------------------------------------


def test_changes_name_records_in_words_never_by_path(facts: RegistryFacts) -> None:
    words = ChangeWords(facts).phrase(CHANGES[0], "../")
    assert "registry/" not in words and ".yaml" not in words
    zaliang = facts.by_id["sample-zaliang"].center.name
    approval = next(n for n in facts.notices if n.id == "approval-2025").notice.title
    assert words == (
        f'新增节假日安排：2027 年；修改中心：<a href="../centers/sample-zaliang/">{zaliang}</a>；'
        f'修改公示：<a href="../notices/approval-2025/">{approval}</a>、关于旧公示（记录已删除）；'
        '修改办法记录：<a href="../measures/xinkegui-2024-4/">《市技术创新中心建设与运行管理办法》（忻科规〔2024〕4号）</a>；'
        "修改名录设置；修改归口管理单位名单；"
        "删除中心：忻州市旧名&lt;b&gt;技术创新中心、已删除的中心记录（old-two）"
    )
    assert (
        ChangeWords(facts).phrase(CHANGES[0], "", 2)
        == f'修改中心：<a href="centers/sample-zaliang/">{zaliang}</a>；删除中心：忻州市旧名&lt;b&gt;技术创新中心 等 9 条记录'
    )


def test_a_record_the_as_of_date_does_not_know_yet_is_not_called_deleted(facts: RegistryFacts) -> None:
    """A center file still in the registry whose first event lies after the as-of date has no
    page yet: it is named by its id, unlinked, and not as deleted."""
    change = Change("0000001", D("2026-11-20"), "x", (FileChange("A", "registry/centers/later-one.yaml"),))
    assert ChangeWords(facts).phrase(change, "") == "新增中心：中心记录（later-one，数据截至日尚未收录）"


def test_changes_page_and_home_list_commits_in_words(records: Records) -> None:
    _, pages = _pages(records, "2026-11-27", CHANGES)
    page = pages["changes.md"]
    assert "registry/" not in page and ".yaml" not in page
    assert "| 2026-11-20 | <code>abc1234</code> | 新增节假日安排：2027 年；" in page
    assert "| 2026-11-01 | <code>def5678</code> | 修改名录设置 |" in page
    home = _section(pages["index.md"], "最近变更")
    assert "registry/" not in home and ".yaml" not in home
    assert '<time datetime="2026-11-20">2026-11-20</time> 修改中心：' in home
    assert "等 9 条记录" in home  # five of the nine named on the home page
    assert '<time datetime="2026-11-01">2026-11-01</time> 修改名录设置</li>' in home
