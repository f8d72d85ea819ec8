"""The built site, page by page: hostile record text stays text, every page shows what it should.

Two sites are built once per module into temporary project folders (copies of mkdocs.yml,
overrides/ and the hand-written docs/ files), never into the repository's docs/ or site/:

* ``site_a``: the sample registry plus a center whose name, field, units and notes hold
  hostile text, ``edit_url`` set, in a Git repository with two commits;
* ``site_b``: the sample registry with ``sample_data: false`` and no ``.git``.

The projects, the hostile text and the HTML tree come from tests/support.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from generator.render.site.record_page import read_record_page
from tests.support import (
    ARTICLE_NUMERALS,
    AS_OF,
    HOSTILE_COMMIT,
    HOSTILE_DIRECTION,
    HOSTILE_DOC_NUMBER,
    HOSTILE_FIELD,
    HOSTILE_FORMER,
    HOSTILE_ID,
    HOSTILE_NAME,
    HOSTILE_NOTE_LINES,
    HOSTILE_UNIT,
    JINJA,
    LINK,
    RAW,
    ROOT,
    SCRIPT,
    Node,
    Registry,
    add_hostile_center,
    article,
    build,
    cwd,
    git,
    make_project,
    page,
    parse_html,
)

pytestmark = pytest.mark.slow  # both sites are built with MkDocs


def assert_tables_regular(doc: Node, where: str) -> None:
    """Every row of every table in the article has as many cells as its header row."""
    for table in article(doc).find_all("table"):
        rows = table.rows()
        widths = {len(r) for r in rows}
        assert len(widths) == 1, f"{where}: table rows have {sorted(widths)} cells: " + repr(
            [[c.text() for c in r] for r in rows if len(r) != len(rows[0])][:3]
        )


def row_with(table: Node, text: str) -> list[Node]:
    rows = [r for r in table.rows() if any(text in c.text() for c in r)]
    assert rows, f"no row with {text!r}"
    return rows[0]


def header_texts(table: Node) -> list[str]:
    return [c.text().strip() for c in table.rows()[0]]


def built_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts)


# --- the two sites -----------------------------------------------------------------------


class Built:
    def __init__(self, project: Path, generated) -> None:
        self.project, self.generated = project, generated
        self.site, self.docs, self.facts = project / "site", project / "docs", generated.facts


EDIT_URL = "https://example.org/registry/edit/main/registry"


@pytest.fixture(scope="module")
def site_a(tmp_path_factory) -> Built:
    """Sample registry + hostile center, edit_url, two Git commits; built with mkdocs."""
    project = make_project(tmp_path_factory.mktemp("site-a") / "project", edit_url=EDIT_URL)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "registry")
    git(project, "commit", "-q", "-m", "初始名录")
    add_hostile_center(project / "registry")
    reg = Registry(project)
    reg.modify("center", "sample-zaliang", lambda d: d["contact"].update(office="中心综合办公室"))
    git(project, "add", "registry")
    git(project, "commit", "-q", "-m", HOSTILE_COMMIT, when="2026-02-10T10:00:00+08:00")
    return Built(project, build(project))


@pytest.fixture(scope="module")
def site_b(tmp_path_factory) -> Built:
    """Sample registry with sample_data: false, no edit_url, no Git history; built with mkdocs."""
    project = make_project(tmp_path_factory.mktemp("site-b") / "project", sample_data=False, edit_url=None)
    return Built(project, build(project))


# --- 1. escaping end to end ---------------------------------------------------------------


def _no_record_script(doc: Node, where: str) -> None:
    for script in doc.find_all("script"):
        assert "alert" not in script.text() and "evil" not in script.attrs.get("src", ""), (
            f"{where}: a <script> element came from the record: {script.attrs} {script.text()[:80]!r}"
        )
    for link in doc.find_all("a"):
        assert "evil.example" not in link.attrs.get("href", ""), f"{where}: link to evil.example"
    for n in article(doc).iter():
        assert not (n.tag in ("em", "strong") and n.text() == "bold"), f"{where}: *bold* became <{n.tag}>"
        assert not (n.tag == "code" and ("bold" in n.text() or "技术创新中心" in n.text())), (
            f"{where}: a backtick opened <code>: {n.text()!r}"
        )


def test_hostile_center_page_shows_text_literally(site_a: Built):
    doc = page(site_a.site, f"centers/{HOSTILE_ID}")
    _no_record_script(doc, "center page")
    same = page(site_a.site, "centers/sample-gufei")
    assert len(doc.find_all("script")) == len(same.find_all("script")), "extra <script> elements"
    assert article(doc).find("h1").text().strip() == HOSTILE_NAME  # no 49, no <em>, no link
    assert doc.find("title").text().startswith(HOSTILE_NAME + " - ")
    body = article(doc).text()
    for literal in (SCRIPT, LINK, JINJA, RAW, "&amp;", "*bold*", "`", HOSTILE_FORMER, HOSTILE_DIRECTION):
        assert literal in body, f"{literal!r} not shown as text on the center page"
    assert_tables_regular(doc, "center page")
    info = article(doc).find_all("table")[0]
    assert row_with(info, "技术领域")[1].text().strip() == HOSTILE_FIELD
    assert row_with(info, "第一依托单位")[1].text().strip() == f"{HOSTILE_UNIT}（企业）"
    # The note's newline is a line break inside its cell; the row still has 4 cells.
    events = [t for t in article(doc).find_all("table") if "事件" in t.rows()[0][1].text()][0]
    cell = row_with(events, "第二行")[2]
    assert cell.find_all("br") and HOSTILE_NOTE_LINES[0] in cell.text() and "\n第二行" in cell.text()
    assert row_with(events, "更名")[4].text() == HOSTILE_DOC_NUMBER  # the source column
    assert "49" not in article(doc).find("h1").text()


def test_hostile_center_in_list_page(site_a: Built):
    doc = page(site_a.site, "centers")
    _no_record_script(doc, "list page")
    assert_tables_regular(doc, "list page")
    table = doc.find("table", id="center-list")
    row = [r for r in table.rows() if r[0].find_all("a", href=f"{HOSTILE_ID}/")]
    assert len(row) == 1
    cells = dict(zip(header_texts(table), (c.text().strip() for c in row[0])))
    assert cells["中心名称"] == HOSTILE_NAME
    assert cells["第一依托单位"] == HOSTILE_UNIT and cells["技术领域"] == HOSTILE_FIELD
    # The script's rows: the record's text as data (the script sets it as text, never as HTML).
    rows = {r[0]: r for r in json.loads((site_a.site / "centers" / "rows.json").read_text(encoding="utf-8"))["rows"]}
    assert rows[HOSTILE_ID][1] == HOSTILE_NAME and HOSTILE_FORMER in rows[HOSTILE_ID][16]
    field_filter = doc.find("select", id="tic-f-field")
    assert HOSTILE_FIELD in [o.attrs["value"] for o in field_filter.find_all("option")]
    assert HOSTILE_FIELD in [o.text() for o in field_filter.find_all("option")]


def test_hostile_center_on_home_and_changes_pages(site_a: Built):
    home = page(site_a.site, "")
    _no_record_script(home, "home page")
    assert_tables_regular(home, "home page")
    links = [a.text() for a in article(home).find_all("a", href=f"centers/{HOSTILE_ID}/")]
    hostile = site_a.facts.by_id[HOSTILE_ID]
    overdue = [d for d in hostile.open_deadlines if d.state == "overdue"]
    revocations = [f for f in hostile.flags if f.kind == "revocation"]
    assert overdue and revocations, (
        "the hostile center should be overdue and due for revocation, to be on the home page"
    )
    # its overdue deadlines, its revocation and its recent change, each by name
    assert sorted(links) == sorted([HOSTILE_NAME] * (len(overdue) + len(revocations) + 1))
    # commit subjects are English (the project's convention): the public page never shows them
    assert HOSTILE_COMMIT not in article(home).text()
    changes = page(site_a.site, "changes")
    _no_record_script(changes, "changes page")
    assert_tables_regular(changes, "changes page")
    assert not any(HOSTILE_COMMIT in c.text() for c in article(changes).find_all("td"))
    assert HOSTILE_NAME in [a.text() for a in article(changes).find_all("a")]


def test_no_page_links_to_evil_example(site_a: Built):
    for file in built_pages(site_a.site):
        doc = parse_html(file.read_text(encoding="utf-8"))
        hrefs = [n.attrs.get("href", "") + n.attrs.get("src", "") for n in doc.iter()]
        assert not [h for h in hrefs if "evil.example" in h], file


def test_hostile_text_in_search_index_is_escaped(site_a: Built):
    index = json.loads((site_a.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = [d for d in index["docs"] if d["location"].startswith(f"centers/{HOSTILE_ID}/")]
    assert entries
    for d in entries:
        # Material puts title and text into the result list as HTML.
        for key in ("title", "text"):
            assert "<script" not in d[key].replace("\u200b", ""), (key, d[key][:200])


# --- 4. pages ---------------------------------------------------------------------------


def _home_list(home: Node, heading: str) -> list[Node]:
    """The items of the card list in a section (up to the next h2) of the home page."""
    h2 = next(h for h in home.find_all("h2") if h.text().strip() == heading)
    siblings = [n for n in h2.parent.children if isinstance(n, Node)]
    for node in siblings[siblings.index(h2) + 1 :]:
        if node.tag == "h2":
            break
        if node.tag == "ul" and node.has_class("tic-home-list"):
            return node.find_all("li")
    return []


def _count_href(key: str, label: str) -> str:
    """Where a figure of the home page leads: a county's page, else the filtered center list."""
    return f"counties/{quote(label)}/" if key == "location" else f"centers/?{key}={quote(label, safe='')}"


def test_home_counts_notices_deadlines(site_b: Built):
    """On the sample registry alone (site_b), so hostile text cannot disturb the lists."""
    facts = site_b.facts
    home = article(page(site_b.site, ""))
    sections = {s.find("h3").text().strip(): s for s in home.find_all("section")}
    for key, header in (("status", "状态（本站推算）"), ("category", "类别"), ("location", "所在地")):
        shown = {
            a.find_all("span")[0].text(): (a.find_all("span")[1].text(), a.attrs["href"])
            for a in sections[header].find_all("a")
        }
        total = shown.pop("合计", None)
        assert shown == {k: (str(v), _count_href(key, k)) for k, v in facts.counts(key).items()}, header
        if key == "status":
            assert total == (str(len(facts.centers)), "centers/") and len(facts.centers) == 15
    # The active notice with its period's end and its working days left.
    active = next(n for n in facts.notices if n.state == "active")
    items = _home_list(home, "公示")
    assert [li.find("a").attrs["href"] for li in items] == [f"notices/{active.id}/"]
    assert (
        items[0]
        .text()
        .endswith(
            f"公示中：公示期 {active.period.start} 至 {active.period.end}，剩余 {active.working_days_left} 个工作日"
        )
    )
    # Revocations, then overdue deadlines, then deadlines within 90 days; none beyond 90 days.
    items = _home_list(home, "逾期、应予撤销与 90 天内到期")
    shown = [(li.find("a").attrs["href"], li.text()) for li in items]
    flagged = [(f"centers/{c.id}/", f) for c in facts.centers for f in c.flags if f.kind == "revocation"]
    due = sorted(
        (
            (f"centers/{c.id}/", d)
            for c in facts.centers
            for d in c.open_deadlines
            if d.rule_id != "deadline.publicity-end" and (d.state != "open" or d.days <= 90)
        ),
        key=lambda cd: (cd[1].state != "overdue", cd[1].due, cd[0], cd[1].rule_id),
    )
    assert flagged and any(d.state == "overdue" for _, d in due)
    assert len(shown) == len(flagged) + len(due)
    for (href, text), (want, f) in zip(shown, flagged):
        assert href == want and f.statement in text and f.message in text
    for (href, text), (want, d) in zip(shown[len(flagged) :], due):
        assert href == want and text.startswith(
            f"{facts.by_id[want.split('/')[1]].center.name}\n{d.title}：截止 {d.due}"
        )
        assert (f"还有 {d.days} 天" if d.state == "open" else f"已逾期 {d.days} 天") in text
    beyond = {
        (f"centers/{c.id}/", d.title)
        for c in facts.centers
        for d in c.open_deadlines
        if d.state == "open" and d.days > 90
    }
    assert beyond and not any(href == b and title in text for b, title in beyond for href, text in shown)


def test_home_and_changes_page_list_commits(site_a: Built):
    home = article(page(site_a.site, ""))
    recent = _home_list(home, "最近变更")
    assert recent, "no recent changes on the home page"
    log = git(site_a.project, "log", "--format=%h %cs").split("\n")
    assert [li.find("time").text() for li in recent] == [x.split()[1] for x in log if x]
    table = article(page(site_a.site, "changes")).find("table")
    rows = table.rows()[1:]
    assert [(r[1].text().strip(), r[0].text().strip()) for r in rows] == [tuple(x.split()) for x in log if x]
    hostile_row = rows[0]
    assert [a.text() for a in hostile_row[2].find_all("a", href=f"../centers/{HOSTILE_ID}/")] == [HOSTILE_NAME]
    assert "新增中心：" in hostile_row[2].text() and "修改中心：" in hostile_row[2].text()
    assert len(rows[1][2].find_all("a")) == 15 + 5 + 1  # every sample center and notice by name, the measures' text
    assert "新增名录设置" in rows[1][2].text()  # registry.yaml in words
    for doc in (home, article(page(site_a.site, "changes"))):
        assert "registry/" not in doc.text() and ".yaml" not in doc.text()


def test_no_git_history_builds_and_says_so(site_b: Built):
    assert "没有 Git 历史" in article(page(site_b.site, "changes")).text()
    assert "没有 Git 历史" in article(page(site_b.site, "")).text()


def test_list_page_has_every_center_and_filters(site_a: Built):
    html = (site_a.site / "centers" / "index.html").read_text(encoding="utf-8")
    assert '<table class="tic-table tic-cards tic-center-list" id="center-list" data-rows="rows.json"' in html
    doc = page(site_a.site, "centers")
    table = doc.find("table", id="center-list")
    hrefs = [r[0].find("a").attrs["href"] for r in table.rows()[1:]]
    assert sorted(hrefs) == sorted(f"{c.id}/" for c in site_a.facts.centers)  # fewer than a page: all of them
    for href in hrefs:  # each center page is at centers/<id>/
        assert (site_a.site / "centers" / href / "index.html").is_file(), href
    data = json.loads((site_a.site / "centers" / "rows.json").read_text(encoding="utf-8"))
    assert [r[0] for r in data["rows"]] == [c.id for c in site_a.facts.centers]
    texts, statuses = data["texts"], [label for _, label in data["statuses"]]
    values = {  # what each URL parameter's filter offers, and what the rows hold
        "status": {statuses[r[2]] for r in data["rows"]} | {texts[r[4]] for r in data["rows"]},
        "category": {texts[r[5]] for r in data["rows"]},
        "location": {data["locations"][r[7]] for r in data["rows"]},
        "field": {texts[r[14]] for r in data["rows"]},
    }
    for param, held in values.items():
        select = doc.find("select", **{"data-param": param})
        label = doc.find("label", **{"for": select.attrs["id"]})
        assert select.attrs["data-table"] == "center-list" and label.text().strip()
        assert {o.attrs["value"] for o in select.find_all("option")[1:]} == held, param
    sort = doc.find("select", id="tic-sort")
    assert [o.attrs["value"] for o in sort.find_all("option")][:3] == ["", "name", "-name"]


def test_center_page_sections(site_a: Built):
    c = site_a.facts.by_id["sample-zaliang"]
    assert (site_a.site / "centers" / "sample-zaliang" / "index.html").is_file()
    doc = article(page(site_a.site, "centers/sample-zaliang"))
    text = doc.text()
    assert doc.find("span", class_=f"tic-status status-{c.status}").text() == "已认定运行"
    assert f"下一步：{c.next_deadline.title}，{c.next_deadline.due}，" in text
    assert "下一步：2026年度绩效考核，2027-06-30，还有 215 天" in text
    nxt = doc.find("div", pred=lambda n: n.has_class("tic-next"))
    assert nxt.has_class("tic-derived") and nxt.find("span", class_="tic-derived-tag").text() == "本站推算"
    assert "deadline.annual-assessment" in nxt.text() and "以市科技局决定为准" in nxt.text()
    assert nxt.find("a").attrs["href"] == "../../measures/xinkegui-2024-4/#第十八条"
    assert doc.find_all("svg", pred=lambda n: n.has_class("tic-lifeline"))
    chart = doc.find_all("svg", pred=lambda n: n.has_class("tic-ratings"))
    assert chart and len(chart[0].find_all("rect")) == len(c.ratings.annual) == 4
    ratings = [t for t in doc.find_all("table") if t.rows()[0][0].text().strip() == "年度 / 日期"][0]
    assert [(r[0].text(), r[2].text()) for r in ratings.rows()[1:5]] == [
        ("2022年度", "优秀"),
        ("2023年度", "优秀"),
        ("2024年度", "优秀"),
        ("2025年度", "良好"),
    ]
    # approved in 2020: the grants are shown as recorded; no 10万元 is derived (funding.construction)
    grants = [t for t in doc.find_all("table") if header_texts(t) == ["日期", "类别", "金额（万元）", "出处"]][0]
    assert [(r[1].text(), r[2].text(), r[3].text()) for r in grants.rows()[1:]] == [
        ("建设经费", "10", "忻科发〔2020〕25号"),
        ("优秀奖励", "5", "忻科发〔2025〕20号"),
    ]
    assert "已记录拨付合计 15 万元" in text and "未记录拨付" not in text
    assert "第十三条的10万元建设经费只适用于按本办法新批准建设的中心，本站不推算（本站解释）" in text
    flags = doc.find_all("div", pred=lambda n: n.has_class("tic-derived") and not n.has_class("tic-next"))
    assert len(flags) == len(c.flags) >= 1
    for flag, f in zip(flags, c.flags):
        assert f.statement in flag.text() and f.rule_id in flag.text()
        assert flag.find("span", class_="tic-derived-tag").text() == "本站推算"
    assert not doc.find_all("div", pred=lambda n: n.has_class("admonition"))
    assert "曾用名：忻州市示例杂粮加工技术创新中心（2024-05-10 更名）" in text
    events = [t for t in doc.find_all("table") if "事件" in t.rows()[0][1].text()][0]
    assert header_texts(events) == ["日期", "事件", "内容", "适用办法", "出处"]
    assert len(events.rows()) - 1 == len(c.center.events)
    assert [x.text() for x in row_with(events, "2020-04-20")[3:]] == ["施行前（未记录）", "忻科发〔2020〕18号"]
    assert [x.text() for x in row_with(events, "2025-10-20")[3:]] == ["忻科规〔2024〕4号", "忻科发〔2025〕33号"]
    edit = doc.find("p", class_="tic-edit")
    assert edit.find("a").attrs["href"] == f"{EDIT_URL}/centers/sample-zaliang.yaml"
    assert edit.find("code").text() == "registry/centers/sample-zaliang.yaml"


def test_center_page_without_edit_url_has_no_edit_link(site_b: Built):
    edit = article(page(site_b.site, "centers/sample-zaliang")).find("p", class_="tic-edit")
    assert not edit.find_all("a")


def test_notice_page(site_a: Built):
    n = next(n for n in site_a.facts.notices if n.id == "approval-2026")
    doc = article(page(site_a.site, "notices/approval-2026"))
    text = doc.text()
    d = n.notice.data
    assert f"根据{d['basis']}" in text
    entries = doc.find("table").rows()[1:]
    assert len(entries) == len(d["entries"]) == 1
    assert entries[0][1].find("a").attrs["href"] == "../../centers/sample-shengtai/"
    assert entries[0][1].text() == "忻州市样例生态修复技术创新中心"
    assert "公示期：2026-11-25 至 2026-12-01，共 5 个工作日" in text
    assert f"剩余 {n.working_days_left} 个工作日" in text
    assert f"异议方式：{d['objection']}" in text
    assert d["contact"]["office"] in text and d["contact"]["office_phone"] in text
    issuer = doc.find("p", class_="tic-issuer").text()
    assert issuer == "忻州市科学技术局\n2026年11月25日"


def test_rules_page_folds_the_contributors_tables(site_a: Built):
    """The public part of the rules page is open; each stage's table of format rules is folded
    under a summary that names the stage and counts its rules."""
    from generator.rules.table import RULES

    html_page = (site_a.site / "rules" / "index.html").read_text(encoding="utf-8")
    public, contributors = html_page.split('id="contributors"', 1)
    assert "<details" not in public and "<table" in public
    folds = re.findall(
        r'<details class="abstract">\s*<summary>(.+?)：(\d+) 条规则</summary>(.*?)</details>', contributors, re.S
    )
    assert len(folds) == contributors.count("<table") >= 3
    assert sum(int(n) for _, n, _ in folds) == len(RULES)
    for _, count, body in folds:
        assert body.count("<code>") == int(count)


def test_rules_page_lists_every_rule_with_its_article(site_a: Built):
    from generator.rules.table import RULES

    doc = article(page(site_a.site, "rules"))
    rows = {}
    for table in doc.find_all("table"):
        if table.rows()[0][0].text().strip() != "规则":  # the holiday schedules' tables
            continue
        for r in table.rows()[1:]:
            rows[r[0].find("code").text()] = r
    missing = sorted(set(RULES) - set(rows))
    assert not missing, f"rules missing from the rules page: {missing}"
    for rule_id, rule in RULES.items():
        assert rows[rule_id][1].text().strip() == (rule.article or "—"), rule_id
        assert rule.title in rows[rule_id][0].text()
        assert rows[rule_id][2].text().strip() == rule.basis_label, rule_id
        assert rows[rule_id][5].text().strip() == (rule.reading or "—"), rule_id
    # what the issue found unmarked: each is the site's interpretation, said in one sentence
    for rule_id in INTERPRETATIONS:
        assert rows[rule_id][2].text().strip() == "本站解释", rule_id
        assert rows[rule_id][5].text().count("。") == 1 and rows[rule_id][5].text().endswith("。"), rule_id
    assert rows["construction.period"][2].text().strip() == "条文"
    assert rows["source.required"][2].text().strip() == "名录规则"
    text = doc.text()
    for phrase in ("本办法施行前的记录", "记录不足，无法推算", "按第十二条应予撤销（本站推算，以市科技局决定为准）"):
        assert phrase in text, phrase


#: Rules whose reading of the measures is this site's, not the article's text (issue 12).
INTERPRETATIONS = (
    "flag.priority",  # the window of priority support after 优秀
    "funding.award",  # the 5万元 award once per run of three
    "funding.construction",  # 10万元 for conversions (第四条) and only for new centers
    "deadline.evaluation",  # the first evaluation anchored on acceptance or recognition
    "policy.transition",  # facts under the trial measures
    "eligibility.registration",  # the credit code's division as proof of registration
    "revocation.extension-expired",  # an application missed after the extension
    "deadline.annual-assessment",
    "deadline.construction-end",
    "notice.period-default",
    "rating.streak",
    "status",
    "status.detail",
)


def test_deadlines_page_sorted_soonest_first(site_a: Built):
    tables = article(page(site_a.site, "deadlines")).find_all("table", pred=lambda n: n.has_class("tic-deadline-list"))
    rows = [r for table in tables for r in table.rows()[1:]]  # the open table, then each later year's
    dues = [r[0].text() for r in rows]
    assert dues == sorted(dues)
    assert len(dues) == sum(len(c.open_deadlines) for c in site_a.facts.centers)
    overdue = [r[0].text() for r in rows if "已逾期" in r[3].text()]
    assert overdue and dues[: len(overdue)] == overdue  # the overdue ones first


def test_ratings_matrix(site_a: Built):
    table = article(page(site_a.site, "ratings")).find("table", id="rating-matrix")
    rows = table.rows()
    years = [c.text() for c in rows[0][1:]]
    assert years == sorted(years) and {"2022", "2023", "2024", "2025"} <= set(years)
    zaliang = row_with(table, "忻州市示例功能杂粮技术创新中心")
    grades = dict(zip(years, (c.text() for c in zaliang[1:])))
    assert [grades[y] for y in ("2022", "2023", "2024", "2025")] == ["优秀", "优秀", "优秀", "良好"]
    rated = [c for c in site_a.facts.centers if c.ratings.annual]
    assert len(rows) - 1 == len(rated)


def test_every_page_has_as_of_footer_and_sample_banner(site_a: Built):
    pages = built_pages(site_a.site)
    assert len(pages) >= len(site_a.facts.centers) + len(site_a.facts.notices) + 8
    for file in pages:
        doc = parse_html(file.read_text(encoding="utf-8"))
        footers = doc.find_all("div", class_="tic-as-of")
        assert footers and footers[0].text().startswith(f"数据截至 {AS_OF}"), file
        banner = doc.find_all("div", pred=lambda n: n.has_class("tic-sample-banner"))
        assert banner and "演示数据" in banner[0].text(), file


def test_no_sample_banner_when_sample_data_false(site_b: Built):
    pages = built_pages(site_b.site)
    assert len(pages) >= len(site_b.facts.centers) + len(site_b.facts.notices) + 8
    for file in pages:
        html = file.read_text(encoding="utf-8")
        assert "tic-sample-banner" not in html, file
        assert f'数据截至 <time datetime="{AS_OF}">' in html, file


# --- 5. search --------------------------------------------------------------------------


def _center_entries(site: Path, center_id: str) -> list[dict]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return [d for d in index["docs"] if d["location"].startswith(f"centers/{center_id}/")]


def test_search_index_segments_chinese_names(site_a: Built):
    entries = _center_entries(site_a.site, "sample-zaliang")
    top = next(d for d in entries if d["location"] == "centers/sample-zaliang/")
    # jieba puts U+200B between words; Material's separator splits on it. The title is shown
    # whole; its words are indexed in the `words` field (plugin/search.py, mkdocs.yml).
    assert top["title"] == "忻州市示例功能杂粮技术创新中心"
    title_words = top["words"].split("\u200b")
    assert "杂粮" in title_words, top["words"]
    text_words = re.split(r"[\s\u200b（）：]+", top["text"])
    assert "曾用名" in text_words and "杂粮" in text_words and "加工" in text_words
    assert "忻州市示例杂粮加工技术创新中心" in top["text"].replace("\u200b", "")


def test_search_index_size_per_center_page(site_a: Built, record_property):
    sizes = {}
    for c in site_a.facts.centers:
        entries = _center_entries(site_a.site, c.id)
        assert entries, c.id
        sizes[c.id] = sum(len(json.dumps(d, ensure_ascii=False).encode()) for d in entries)
    mean = sum(sizes.values()) / len(sizes)
    record_property("search_index_bytes_per_center_mean", round(mean))
    record_property("search_index_bytes_per_center_max", max(sizes.values()))
    print(f"search index bytes per center page: mean {mean:.0f}, max {max(sizes.values())}")
    assert max(sizes.values()) < 16_000, sizes


# --- determinism of the cwd: paths shown on pages -------------------------------------------


def test_record_paths_do_not_depend_on_the_working_directory(tmp_path: Path):
    """generate_docs(registry, docs=..., repo=...) run from another folder must still show
    `registry/centers/<id>.yaml` and build the edit link from it."""
    from generator.build import generate_docs

    project = make_project(tmp_path / "project", edit_url=EDIT_URL)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with cwd(elsewhere):
        generate_docs(project / "registry", AS_OF, docs=project / "docs", repo=project)
    text = read_record_page((project / "docs" / "centers" / "sample-zaliang" / "index.md").read_text(encoding="utf-8"))[
        "body"
    ]
    assert "<code>registry/centers/sample-zaliang.yaml</code>" in text
    assert f'<a href="{EDIT_URL}/centers/sample-zaliang.yaml">' in text


# --- record pages and list pages: what the build sets aside comes back -----------------------


def test_no_placeholder_shell_or_sentinel_is_left_in_the_site(site_a: Built):
    for file in site_a.site.rglob("*"):
        if file.suffix in (".html", ".xml", ".json"):
            text = file.read_text(encoding="utf-8")
            for leftover in ("TICRAW", "TICSLOT", "_record/page/"):  # placeholders, sentinels, the shell's URL
                assert leftover not in text, f"{leftover} in {file.relative_to(site_a.site)}"
    assert not (site_a.site / "_record").exists()


def test_sitemap_lists_every_page_once(site_a: Built):
    sitemap = (site_a.site / "sitemap.xml").read_text(encoding="utf-8")
    locs = [unquote(loc) for loc in re.findall(r"<loc>(.*?)</loc>", sitemap)]  # counties/<中文名>/ is encoded
    base = "https://xinzhou-tic.github.io/registry/"
    pages = {
        p.relative_to(site_a.site).parent.as_posix() + "/" for p in built_pages(site_a.site) if p.name == "index.html"
    }
    assert sorted(locs) == sorted(base + ("" if p == "./" else p) for p in pages)
    for c in site_a.facts.centers:
        assert f"{base}centers/{c.id}/" in locs


# --- 5. recorded facts and what the site derives -------------------------------------------------


def test_derived_statements_are_labelled_and_never_styled_as_decisions(site_b: Built):
    """A derived revocation reads 按第十二条应予撤销（本站推算，以市科技局决定为准）, in a dashed
    本站推算 box, never an admonition (the red 'danger' box a decision would get)."""
    doc = article(page(site_b.site, "centers/sample-gufei"))
    boxes = doc.find_all("div", pred=lambda n: n.has_class("tic-derived"))
    revocation = [b for b in boxes if b.has_class("tic-derived-revocation")]
    assert len(revocation) == 1
    assert "按第十二条应予撤销（本站推算，以市科技局决定为准）" in revocation[0].text()
    assert "revocation.extension-expired" in revocation[0].text()
    for path in built_pages(site_b.site):
        html = path.read_text(encoding="utf-8")
        assert "admonition danger" not in html, path
    deadlines = [t for t in doc.find_all("table") if t.has_class("tic-derived-table")]
    assert deadlines and all(r[3].find("span", class_="tic-derived-tag") for r in deadlines[0].rows()[1:])
    for path in ("", "centers", "deadlines"):
        tags = article(page(site_b.site, path)).find_all("span", pred=lambda n: n.has_class("tic-derived-tag"))
        assert tags and tags[0].text() == "本站推算", path
    css = (site_b.site / "assets" / "site.css").read_text(encoding="utf-8")
    assert re.search(r"\.tic-derived \{[^}]*dashed", css)


def test_legacy_center_pages(site_b: Built):
    """Recognized in 2023 (sample-meitan) and approved in 2022 without a task book (sample-niangzao):
    their measures named, no invented deadline, no 10万元, 第十八条 and 第十九条 from 2024-08-04."""
    doc = article(page(site_b.site, "centers/sample-meitan"))
    text = doc.text()
    assert "适用办法：依据《忻州市技术创新中心管理办法（试行）》（忻科规〔2023〕2号）设立" in text
    events = [t for t in doc.find_all("table") if "事件" in t.rows()[0][1].text()][0]
    assert [x.text() for x in row_with(events, "认定")[3:]] == ["忻科规〔2023〕2号", "忻科发〔2023〕24号"]
    deadlines = [t for t in doc.find_all("table") if header_texts(t) == ["期限", "截止日期", "状态", "依据"]][0]
    assert [r[0].text() for r in deadlines.rows()[1:]] == [
        "2024年度绩效考核",
        "2025年度绩效考核",
        "2026年度绩效考核",
        "三年评估",
    ]
    assert "未记录拨付" not in text and "建设期满" not in text
    doc = article(page(site_b.site, "centers/sample-niangzao"))
    text = doc.text()
    assert doc.find("span", class_="tic-status status-construction").text() == "建设中 · 期满日期记录不足"
    deadlines = [t for t in doc.find_all("table") if header_texts(t) == ["期限", "截止日期", "状态", "依据"]][0]
    assert [[c.text().strip() for c in r[:3]] for r in deadlines.rows()[1:]] == [
        ["建设期满", "—", "记录不足，无法推算"]
    ]
    assert "逾期" not in text and "未记录拨付" not in text
    # approved in 2023 on an application under the trial measures: its facts before 2024-08-04 are
    # shown under them; the extension of 2025 under these measures
    doc = article(page(site_b.site, "centers/sample-gufei"))
    events = [t for t in doc.find_all("table") if "事件" in t.rows()[0][1].text()][0]
    assert row_with(events, "2023-09-12")[3].text() == "忻科规〔2023〕2号"
    assert row_with(events, "2025-08-20")[3].text() == "忻科规〔2024〕4号"


def test_sources_are_linked(site_b: Built):
    """The site links each source that has a URL, and the notice a source names."""
    doc = article(page(site_b.site, "centers/sample-duanzao"))
    link = [a for a in doc.find_all("a") if a.text() == "忻科发〔2025〕31号"]
    assert link and link[0].attrs["href"] == "https://kjj.example.org/tzgg/2025/31.html"
    doc = article(page(site_b.site, "centers/sample-nongmu"))
    title = next(n.notice.title for n in site_b.facts.notices if n.id == "acceptance-2024")
    link = [a for a in doc.find_all("a") if a.text() == title]  # a notice is named by its title
    assert link and link[0].attrs["href"] == "../../notices/acceptance-2024/"
    assert (site_b.site / "notices" / "acceptance-2024" / "index.html").is_file()


def test_an_official_fact_without_a_source_says_so() -> None:
    from generator.records.model import Event
    from generator.render.site.html import source

    assert "未注明出处" in source(Event(0, dt.date(2023, 3, 15), "annual_assessment", {"year": 2022, "grade": "优秀"}))
    assert source(Event(0, dt.date(2023, 3, 15), "task_book", {"planned_end": "2025-01-01"})) == ""


def test_list_distinguishes_the_centers_waiting_for_acceptance(site_b: Built):
    """status.detail: 待验收 · 已申请 22 天 and 待验收 · 逾期未申请, each with a filter value."""
    doc = page(site_b.site, "centers")
    table = doc.find("table", id="center-list")
    col = header_texts(table).index("状态（本站推算）")
    cells = {r[0].find("a").attrs["href"]: r[col] for r in table.rows()[1:]}
    assert cells["sample-guangfu/"].text().strip() == "待验收 · 已申请 22 天"
    assert cells["sample-gufei/"].text().strip().startswith("待验收 · 逾期未申请")
    data = json.loads((site_b.site / "centers" / "rows.json").read_text(encoding="utf-8"))
    filters = {r[0]: data["texts"][r[4]] for r in data["rows"]}
    assert filters["sample-guangfu"] == "待验收 · 已申请" and filters["sample-nongmu"] == "已认定运行"
    select = doc.find("select", id="tic-f-status")
    options = [o.attrs["value"] for o in select.find_all("option")][1:]
    assert options.index("待验收") < options.index("待验收 · 已申请") < options.index("待验收 · 逾期未申请")
    assert "建设中 · 期满日期记录不足" in options


def test_deadlines_page_says_what_it_derives(site_b: Built):
    doc = article(page(site_b.site, "deadlines"))
    assert "不是市科学技术局的通知；以市科技局决定为准" in doc.text()
    unknown = doc.find("table", id="deadline-unknown")
    assert [(r[0].text(), r[2].text()) for r in unknown.rows()[1:]] == [
        ("忻州市样例杂粮酿造技术创新中心", "记录不足，无法推算")
    ]


def test_pages_after_the_measures_expired_say_so_on_every_derived_statement():
    """policy.validity: on 2029-08-04 the center pages, the list, the deadlines and the home page
    say that what they derive follows measures that expired on 2029-08-03, citing 第二十一条."""
    from generator.derive.facts import derive
    from generator.render.site.pages import render_site
    from generator.validate.registry import validate_registry

    records = validate_registry(ROOT / "registry", ROOT).registry
    pages = {k: v.decode("utf-8") for k, v in render_site(derive(records, dt.date(2029, 8, 4)), []).items()}
    note = "本站依据已于 2029-08-03 期满的忻科规〔2024〕4号推算（第二十一条）"
    centers = [k for k in pages if re.fullmatch(r"centers/[^/]+/index\.md", k)]
    assert len(centers) == 15
    for key in centers:
        body = read_record_page(pages[key])["body"]
        assert note in body, key
        flags = body.count('class="tic-derived tic-derived-')
        assert body.count(f"；{note}") >= flags, key  # every flag box repeats it
    assert (
        pages["deadlines.md"].count("（已期满的办法，第二十一条）") == pages["deadlines.md"].count("<tr><td><time") > 0
    )
    assert note in pages["centers/index.md"]
    assert "已于 2029-08-03 期满（第二十一条）" in pages["index.md"]
    before = render_site(derive(records, dt.date(2029, 8, 3)), [])
    assert not [k for k, v in before.items() if "期满的忻科规" in v.decode("utf-8")]


# --- issue 16: the measures' text, a center's page top, the rules page, search ----------------

MEASURES_PAGE = "measures/xinkegui-2024-4"


def test_measures_page_has_every_article_under_its_anchor(site_a: Built):
    doc = article(page(site_a.site, MEASURES_PAGE))
    h3 = [h.attrs["id"] for h in doc.find_all("h3")]
    assert h3 == [f"第{n}条" for n in ARTICLE_NUMERALS]
    h2 = [h.text().replace("¶", "").strip() for h in doc.find_all("h2")]
    assert h2[0] == "印发通知" and [t.split()[0] for t in h2[1:]] == [f"第{n}章" for n in "一二三四五六"]
    text = doc.text()
    assert "市科技局对申请资料进行初审" in text and "2024年7月4日印发" in text
    assert "文字照录原文" in text and "忻科规〔2024〕4号" in text
    # the older measures have no text: no page, and nothing says otherwise
    assert not (site_a.site / "measures" / "xinkegui-2023-2").exists()


def _article_hrefs(doc: Node) -> list[str]:
    return [a.attrs["href"] for a in doc.find_all("a") if a.has_class("tic-article-link")]


def test_center_page_top_for_a_revoked_center(site_b: Built):
    c = site_b.facts.by_id["sample-shengwufei"]
    assert c.status == "revoked"
    doc = article(page(site_b.site, "centers/sample-shengwufei"))
    top = doc.find("div", class_="tic-summary")
    first = top.find("p", class_="tic-summary-status").text()
    revocation = c.center.last("revocation")
    assert first.startswith(f"已撤销 自 {revocation.date} 起")
    decision = top.find("p", class_="tic-decision").text()
    assert decision == f"撤销资格（{revocation.date}）：{revocation.get('source')['document_number']}"
    reason = top.find("p", class_="tic-reason")
    assert revocation.get("reason") in reason.text()
    assert _article_hrefs(reason) == [f"../../{MEASURES_PAGE}/#{revocation.get('article')}"]
    assert not doc.find_all("div", pred=lambda n: n.has_class("tic-next"))  # nothing is due


def test_center_page_top_for_a_rejected_center_and_a_notice(site_b: Built):
    doc = article(page(site_b.site, "centers/sample-wurenji"))
    top = doc.find("div", class_="tic-summary")
    assert top.find("p", class_="tic-summary-status").text().startswith("未获批准 自 ")
    assert "忻科函〔2025〕35号" in top.find("p", class_="tic-decision").text()
    assert top.find("p", class_="tic-reason").text()  # the recorded note, or that no reason is published
    doc = article(page(site_b.site, "centers/sample-duanzao"))
    events = [t for t in doc.find_all("table") if header_texts(t)[:2] == ["日期", "事件"]][0]
    publicity = row_with(events, "公示")
    link = publicity[2].find("a")
    assert link.attrs["href"] == "../../notices/approval-2025/"
    assert link.text() == next(n.notice.title for n in site_b.facts.notices if n.id == "approval-2025")


def test_center_page_top_for_a_center_in_publicity(site_b: Built):
    c = next(c for c in site_b.facts.centers if c.status in ("publicity", "pending"))
    top = article(page(site_b.site, f"centers/{c.id}")).find("div", class_="tic-summary")
    decision = top.find("p", class_="tic-decision")
    assert decision.text().startswith(f"公示（{c.center.last('publicity').date}）")
    assert decision.find("a").attrs["href"] == f"../../notices/{c.center.last('publicity').get('notice')}/"


def test_article_labels_link_only_these_measures(site_b: Built):
    for c in site_b.facts.centers:
        doc = article(page(site_b.site, f"centers/{c.id}"))
        events = [t for t in doc.find_all("table") if header_texts(t)[:2] == ["日期", "事件"]][0]
        for row in events.rows()[1:]:
            if row[3].text() != "忻科规〔2024〕4号":  # a fact under other measures: its articles are not ours
                assert not _article_hrefs(row[2]), (c.id, row[2].text())
        for deadline in (t for t in doc.find_all("table") if header_texts(t) == ["期限", "截止日期", "状态", "依据"]):
            for row in deadline.rows()[1:]:
                article_no = row[3].find("span", class_="tic-article")
                if article_no is not None:
                    assert _article_hrefs(article_no) == [f"../../{MEASURES_PAGE}/#{article_no.text()}"]


def test_rules_page_starts_with_what_the_public_needs(site_a: Built):
    doc = article(page(site_a.site, "rules"))
    ids = [h.attrs["id"] for h in doc.find_all("h2")]
    assert ids[:3] == ["statuses", "deadlines", "ratings"]
    assert ids[-1] == "contributors"
    statuses = doc.find_all("table")[0]
    from generator.derive.status import STATUSES

    assert [r[0].text() for r in statuses.rows()[1:]] == list(STATUSES.values())
    assert all(r[1].text() for r in statuses.rows()[1:])
    deadlines = doc.find_all("table")[1]
    row = row_with(deadlines, "deadline.construction-end")
    assert row[2].text() == "本站解释" and _article_hrefs(row[1]) == [f"../{MEASURES_PAGE}/#第十二条"]
    assert f"../{MEASURES_PAGE}/#第二十一条" in _article_hrefs(doc)  # in the prose, too
    # another law's articles are not linked to these measures
    holidays = row_with([t for t in doc.find_all("table") if header_texts(t)[0] == "年份"][0], "其余年份")
    assert not _article_hrefs(holidays[2])


def test_search_titles_have_no_invisible_characters(site_a: Built):
    index = json.loads((site_a.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["pipeline"] == []  # no stemming: a credit code is found as typed
    assert index["config"]["fields"]["words"]["boost"] == index["config"]["fields"]["title"]["boost"]
    invisible = re.compile("[\u200b-\u200d\u2060\ufeff]")
    assert not [d["title"] for d in index["docs"] if invisible.search(d["title"])]
    top = next(d for d in index["docs"] if d["location"] == "centers/sample-duanzao/")
    assert "91140921MA0K1C003J" in top["text"] and "〔2025〕31号" in top["text"] and "sample-duanzao" in top["text"]
    articles = [d for d in index["docs"] if d["location"].startswith(f"{MEASURES_PAGE}/#")]
    assert f"{MEASURES_PAGE}/#第十二条" in [d["location"] for d in articles]


def test_deadlines_page_links_each_deadline_to_its_article(site_a: Built):
    table = article(page(site_a.site, "deadlines")).find("table", id="deadline-list")
    for row in table.rows()[1:]:
        label = row[4].find("span", class_="tic-article")
        assert _article_hrefs(label) == [f"../{MEASURES_PAGE}/#{label.text()}"]


def test_center_page_quotes_the_measures_word_for_word(site_b: Built):
    doc = article(page(site_b.site, "centers/sample-zaliang"))
    quotes = re.findall("“([^”]+)”", doc.text())
    funding = [q for q in quotes if "10万元" in q]
    assert funding and all(q in site_b.facts.measures.full_text for q in funding)
    assert f"../../{MEASURES_PAGE}/#第九条" in _article_hrefs(
        doc
    ) and f"../../{MEASURES_PAGE}/#第十三条" in _article_hrefs(doc)
