"""Record and cross-record rules: every rule has a record that passes and one that fails.

`CASES` maps each RECORD/REGISTRY rule id to a change of a sample record and the line the
finding must point at; `test_every_rule_has_a_case` fails when a rule is registered without
one. Boundary cases of the measures' numbers and periods follow the table.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from generator.rules.table import RULES, Stage
from tests.support import GB32100_WEIGHTS, Registry, dump_yaml, gb32100_check, line_of, run_cli, valid_code

Data = dict[str, Any]


@dataclass(frozen=True)
class Case:
    """Change `record` with `fail`; the finding is on the line holding `at` (after `after`)."""

    record: tuple[str, str]
    fail: Callable[[Data], Any]
    at: str
    after: str | None = None
    passing: Callable[[Data], Any] | None = None  # a change that must leave no finding at all
    alone: bool = True  # the rule's finding is the only finding of the registry
    setup: Callable[[Registry], Any] | None = None  # puts the record in the registry first


def _set(*path: Any, value: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return change


def _event(data: Data, kind: str, nth: int = 0) -> Data:
    return [e for e in data["events"] if e["kind"] == kind][nth]


def _insert_before(kind: str, *events: Data) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        i = next(i for i, e in enumerate(data["events"]) if e["kind"] == kind)
        data["events"][i:i] = list(events)

    return change


def _append(*events: Data) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        data["events"].extend(events)

    return change


def _both(*changes: Callable[[Data], Any]) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        for c in changes:
            c(data)

    return change


GUANGFU = ("center", "sample-guangfu")  # approved 2024-10-15, planned end 2026-10-15
QINGNENG = ("center", "sample-qingneng")  # applying under these measures, in no notice: names change freely
ZALIANG = ("center", "sample-zaliang")  # approved 2020, accepted, assessed 2022-2025, renamed once
SHENGWUFEI = ("center", "sample-shengwufei")  # approved 2021; 不合格 for 2023 and 2024, then revoked
NONGMU = ("center", "sample-nongmu")  # approved 2022, accepted 2024-11-08, assessed for 2024 and 2025
MEITAN = ("center", "sample-meitan")  # recognized in 2023 under the trial measures, no task book
DUANZAO = ("center", "sample-duanzao")
WURENJI = ("center", "sample-wurenji")
APPROVAL_2024 = ("notice", "approval-2024")
APPROVAL_2025 = ("notice", "approval-2025")
UNITS = ("supervising_units", "supervising_units")  # registry/supervising_units.yaml
SCHEDULE_2027 = ("calendar", "2027")  # tests/fixtures/calendar/2027.yaml: invented, for tests only


def _holiday(data: Data, name: str) -> Data:
    return next(h for h in data["holidays"] if h["name"] == name)


MEASURES_2024 = ("measures", "xinkegui-2024-4")

GUANGFU_CODE = "91140981MA0K1F006E"
OUTSIDE_XINZHOU = valid_code("91141002MA0K1F006")  # 1410xx: not registered in Xinzhou


def _doc(number: str) -> Data:
    return {"document_number": number}


def _ext(date: str, new_end: str) -> Data:
    return {"date": date, "kind": "extension", "new_end": new_end, "source": _doc(f"忻科函〔{date[:4]}〕7号")}


def _revocation(date: str, article: str, reason: str = "测试用撤销原因") -> Data:
    return {
        "date": date,
        "kind": "revocation",
        "reason": reason,
        "article": article,
        "source": _doc("忻科发〔2026〕40号"),
    }


def _drop(kind: str) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        data["events"] = [e for e in data["events"] if e["kind"] != kind]

    return change


def _drop_last(n: int) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        del data["events"][-n:]

    return change


def _direction_change(date: str) -> Data:
    return {
        "date": date,
        "kind": "change",
        "change_kind": "研究方向变更",
        "old": "光伏组件",
        "new": "光伏储能",
        "source": {"document_number": "忻科函〔2026〕40号"},
    }


CASES: dict[str, Case] = {
    # --- record rules, errors
    "name.pattern": Case(
        QINGNENG,
        _set("name", value="示例氢能装备技术创新中心"),
        "name: 示例氢能装备技术创新中心",
        passing=_set("name", value="忻州市示例氢能储运装备技术创新中心"),
    ),
    "name.history": Case(
        ZALIANG,
        _set("name", value="忻州市示例功能杂粮食品技术创新中心"),
        "new: 忻州市示例功能杂粮技术创新中心",
    ),
    "events.order": Case(
        GUANGFU,
        lambda d: _event(d, "funding").update(date="2024-11-01"),
        "date: '2024-11-01'",
        passing=lambda d: _event(d, "funding").update(date="2024-11-08"),  # same day as the task book
    ),
    "events.lifecycle": Case(
        GUANGFU,
        _append({"date": "2026-12-01", "kind": "approval", "source": {"document_number": "忻科发〔2026〕1号"}}),
        "kind: approval",
        after="2026-12-01",
    ),
    "construction.period": Case(
        GUANGFU,
        lambda d: _event(d, "task_book").update(planned_end="2026-10-16"),
        "planned_end: '2026-10-16'",
        passing=lambda d: _event(d, "task_book").update(planned_end="2026-10-15"),  # exactly 2 years
    ),
    "extension.once": Case(
        GUANGFU,
        _insert_before("acceptance_application", _ext("2026-09-01", "2027-10-15"), _ext("2026-09-10", "2027-10-15")),
        "kind: extension",
        after="2026-09-10",
        passing=_insert_before("acceptance_application", _ext("2026-09-01", "2027-10-15")),
    ),
    "extension.length": Case(
        GUANGFU,
        _insert_before("acceptance_application", _ext("2026-09-01", "2027-10-16")),
        "new_end: '2027-10-16'",
        passing=_insert_before("acceptance_application", _ext("2026-09-01", "2027-10-15")),  # exactly +1 year
    ),
    "assessment.year": Case(
        ZALIANG,
        lambda d: _event(d, "annual_assessment", 3).update(year=2027),
        "year: 2027",
        passing=lambda d: _event(d, "annual_assessment", 3).update(year=2026),  # the year it was published
    ),
    "credit-code.check": Case(
        GUANGFU,
        _set("first_host_unit", "credit_code", value=GUANGFU_CODE[:17] + "F"),
        "credit_code: 91140981MA0K1F006F",
        passing=_set("first_host_unit", "credit_code", value=GUANGFU_CODE),
    ),
    "privacy.personal-data": Case(
        GUANGFU,
        lambda d: _event(d, "acceptance_application").update(note="联系人手机13812345678"),
        "note: 联系人手机13812345678",
        passing=lambda d: _event(d, "acceptance_application").update(note="联系电话 0350-3030206"),
    ),
    # --- record rules, warnings
    "eligibility.director": Case(
        GUANGFU,
        _set("director", "age_at_application", value=61),
        "age_at_application: 61",
        passing=_set("director", "age_at_application", value=60),
    ),
    "eligibility.conditions": Case(
        GUANGFU,
        _set("application_conditions", "floor_area_m2", value=499),
        "floor_area_m2: 499",
        passing=_set("application_conditions", "floor_area_m2", value=500),
    ),
    "eligibility.registration": Case(
        GUANGFU,
        _set("first_host_unit", "credit_code", value=OUTSIDE_XINZHOU),
        f"credit_code: {OUTSIDE_XINZHOU}",
        passing=_set("first_host_unit", "credit_code", value=valid_code("91140900MA0K1F006")),  # city level
    ),
    "eligibility.partners": Case(
        GUANGFU,
        _set("first_host_unit", "high_tech_enterprise", value=False),
        "first_host_unit:",
        passing=_both(
            _set("first_host_unit", "high_tech_enterprise", value=False),
            _set("first_host_unit", "above_scale_with_rd", value=True),
        ),
    ),
    "category.structure": Case(GUANGFU, _set("category", value="综合类"), "category: 综合类"),
    "naming.provincial": Case(
        QINGNENG,
        _set("name", value="忻州市示例H2装备技术创新中心"),
        "name: 忻州市示例H2装备技术创新中心",
        passing=_set("name", value="忻州市示例制氢装备技术创新中心"),
    ),
    "acceptance.late-application": Case(
        GUANGFU,
        lambda d: _event(d, "acceptance_application").update(date="2026-11-16"),
        "date: '2026-11-16'",
        passing=lambda d: _event(d, "acceptance_application").update(date="2026-11-15"),  # exactly 1 month
    ),
    "revocation.two-fails": Case(
        NONGMU,
        _both(*(lambda d, i=i: _event(d, "annual_assessment", i).update(grade="不合格") for i in (0, 1))),
        "grade: 不合格",
        after="year: 2025",
        passing=lambda d: _event(d, "annual_assessment", 0).update(grade="不合格"),  # one year only
    ),
    "revocation.evaluation-fail": Case(
        ZALIANG,
        lambda d: _event(d, "evaluation").update(grade="不合格"),
        "grade: 不合格",
        after="kind: evaluation",
        passing=lambda d: _event(d, "evaluation").update(grade="基本合格"),
    ),
    "revocation.safety": Case(
        GUANGFU,
        _insert_before(
            "acceptance_application", {"date": "2025-06-01", "kind": "safety_incident", "description": "实验室发生火灾"}
        ),
        "kind: safety_incident",
        passing=_append(
            {"date": "2026-12-01", "kind": "safety_incident", "description": "实验室发生火灾"},
            _revocation("2026-12-20", "第十条", "发生安全事故"),
        ),
    ),
    "funding.amounts": Case(
        GUANGFU,
        lambda d: _event(d, "funding").update(amount_wan=8),
        "amount_wan: 8",
        passing=lambda d: _event(d, "funding").update(amount_wan=10.0),
    ),
    "recognition.legacy": Case(
        MEITAN,
        lambda d: _event(d, "recognition").update(measures="忻科规〔2024〕4号"),
        "kind: recognition",
        passing=lambda d: _event(d, "recognition").pop("measures"),  # dated 2023: before these measures
    ),
    "procedure.steps": Case(GUANGFU, _drop("expert_review"), "kind: approval"),
    "source.required": Case(
        GUANGFU,
        lambda d: _event(d, "funding").pop("source"),
        "kind: funding",
        passing=lambda d: _event(d, "funding").update(source={"url": "https://kjj.example.org/2024/52.html"}),
    ),
    "source.legacy": Case(
        ZALIANG,
        lambda d: _event(d, "annual_assessment").pop("source"),
        "kind: annual_assessment",
        passing=lambda d: _event(d, "annual_assessment").update(source={"url": "https://kjj.example.org/2023/6.html"}),
    ),
    # --- cross-record rules
    "ref.notice": Case(
        DUANZAO,
        lambda d: _event(d, "publicity").update(notice="approval-2099"),
        "notice: approval-2099",
    ),
    "ref.center": Case(
        APPROVAL_2025,
        lambda d: d["entries"].append({"center": "sample-missing", "name": "忻州市示例缺失技术创新中心"}),
        "center: sample-missing",
    ),
    "ref.unit": Case(
        GUANGFU,
        _set("supervising_unit", value="原平市工信与科技局"),  # 与 for 和: a typo
        "supervising_unit: 原平市工信与科技局",
        passing=_set("supervising_unit", value="忻府区科学技术局"),  # a former name of a listed unit
    ),
    "units.unique": Case(
        UNITS,
        lambda d: d["units"].append({"id": "xinfu-gxkj", "name": "忻府区工信和科技局新址", "county": "忻府区"}),
        "id: xinfu-gxkj",
        after="name: 忻州经济开发区创新创业服务中心",  # the last unit before the appended one
        passing=lambda d: d["units"].append({"id": "shizhi-gxj", "name": "忻州市工业和信息化局", "county": "市直"}),
    ),
    "notice.name-match": Case(
        APPROVAL_2025,
        _set("entries", 0, "name", value="忻州市示例精密锻造技术创新中心"),
        "name: 忻州市示例精密锻造技术创新中心",
    ),
    "notice.host-match": Case(
        APPROVAL_2025,
        _set("entries", 0, "host_units", 1, value="样例工业大学（演示）"),
        "host_units:",
    ),
    "notice.period": Case(
        APPROVAL_2025,
        _set("period", "start", value="2025-11-07"),
        "start: '2025-11-07'",
        passing=_set("period", "start", value="2025-11-10"),  # the issue date itself
    ),
    "privacy.notice": Case(
        APPROVAL_2025,
        _set("outcome", "note", value="联系人手机13812345678"),
        "note: 联系人手机13812345678",
        passing=_set("outcome", "note", value="咨询电话 0350-3030100"),
    ),
    "naming.similar": Case(
        WURENJI,
        _set("name", value="忻州市示例光伏储能材料技术创新中心"),
        "name: 忻州市示例光伏储能材料技术创新中心",
        passing=_set("name", value="忻州市示例光储材料技术创新中心"),
    ),
    "id.filename": Case(QINGNENG, _set("id", value="sample-qingneng-old"), "id: sample-qingneng-old"),
    "notice.period-count": Case(
        APPROVAL_2025,
        _set("period", "working_days", value=6),  # 2025-11-10 (Mon) to 11-14 (Fri) is 5 working days
        "working_days: 6",
        passing=_both(_set("period", "end", value="2025-11-17"), _set("period", "working_days", value=6)),
    ),
    # --- holiday schedules (registry/calendar/)
    "calendar.year-file": Case(
        SCHEDULE_2027,
        _set("year", value=2028),
        "year: 2028",
        alone=False,  # every date is then outside its year too
        setup=Registry.add_test_schedule,
    ),
    "calendar.dates": Case(
        SCHEDULE_2027,
        lambda d: _holiday(d, "元旦").update(start="2026-11-30"),
        "start: '2026-11-30'",
        passing=lambda d: _holiday(d, "元旦").update(start="2026-12-01"),  # New Year's Day may begin in December
        setup=Registry.add_test_schedule,
    ),
    "calendar.conflict": Case(
        SCHEDULE_2027,
        lambda d: _holiday(d, "春节")["workdays"].append("2027-02-06"),  # a Saturday inside the holiday
        "'2027-02-06'",
        setup=Registry.add_test_schedule,
    ),
    "calendar.weekday-workday": Case(
        SCHEDULE_2027,
        lambda d: _holiday(d, "春节")["workdays"].append("2027-02-22"),  # a Monday
        "'2027-02-22'",
        passing=lambda d: _holiday(d, "春节")["workdays"].append("2027-02-21"),  # a Sunday
        setup=Registry.add_test_schedule,
    ),
    "measures.record": Case(
        MEASURES_2024,
        _set("expires", value="2029-08-04"),
        "expires: '2029-08-04'",
        passing=_set("note", value="第二十一条：有效期五年。"),
    ),
    "ref.measures": Case(
        MEITAN,
        lambda d: _event(d, "recognition").update(measures="忻科规〔2022〕1号"),
        "measures: 忻科规〔2022〕1号",
        passing=lambda d: _event(d, "recognition").update(measures="忻科规〔2023〕2号"),
    ),
    # --- issue 14: links that lead elsewhere, dates that cannot be true
    "link.deceptive": Case(
        GUANGFU,
        lambda d: _event(d, "approval")["source"].update(url="https://10.0.0.8/notice"),  # user@ fails the schema
        "url: https://10.0.0.8/notice",
        passing=lambda d: _event(d, "approval")["source"].update(url="https://kjj.xinzhou.gov.cn/notice?id=1"),
    ),
    "link.notice": Case(
        APPROVAL_2025,
        _set("url", value="https://xn--80ak6aa92e.com/"),  # Cyrillic letters that imitate Latin ones
        "url: https://xn--80ak6aa92e.com/",
        passing=_set("url", value="https://www.xinzhou.gov.cn/kjj/gs/2025.html"),
    ),
    "publicity.date": Case(
        DUANZAO,
        lambda d: _event(d, "publicity").update(date="2025-11-12"),
        "date: '2025-11-12'",
        passing=lambda d: _event(d, "publicity").update(date="2025-11-10"),  # the notice's issue date
    ),
    "dates.plausible": Case(
        GUANGFU,
        _append(_direction_change("2031-01-09")),  # a document dated 8 days after today (TODAY)
        "date: '2031-01-09'",
        passing=_append(_direction_change("2031-01-08")),  # 7 days: dated before it is published
    ),
}


def test_every_rule_has_a_case() -> None:
    """A rule registered without a row in CASES fails here."""
    applied = {r.id for r in RULES.values() if r.stage in (Stage.RECORD, Stage.REGISTRY)}
    assert set(CASES) == applied


def _check_failing(reg: Registry, rule_id: str, case: Case) -> None:
    kind, record_id = case.record
    if case.setup is not None:
        case.setup(reg)
    text = reg.modify(kind, record_id, case.fail)
    line, col = line_of(text, case.at, case.after)
    findings = reg.validate()
    rule = RULES[rule_id]
    hits = [f for f in findings if f.rule_id == rule_id]
    assert hits, f"{rule_id} not reported; findings: {findings}"
    hit = hits[0]
    assert (hit.path, hit.line, hit.col) == (reg.shown(kind, record_id), line, col), findings
    assert hit.severity == rule.severity.value
    assert hit.message and hit.message.strip() == hit.message
    if case.alone:
        assert [f.rule_id for f in findings] == [rule_id] * len(findings), findings


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fails(reg: Registry, rule_id: str) -> None:
    _check_failing(reg, rule_id, CASES[rule_id])


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_passes(reg: Registry, rule_id: str) -> None:
    """The unchanged record, or the boundary case, gives no finding at all."""
    case = CASES[rule_id]
    kind, record_id = case.record
    if case.setup is not None:
        case.setup(reg)
    if case.passing is not None:
        reg.modify(kind, record_id, case.passing)
    assert reg.validate() == []


def test_dump_round_trip_keeps_the_registry_clean(reg: Registry) -> None:
    """The helpers' YAML reads back to the same values, so a rewritten registry stays clean."""
    for folder, kind in (("centers", "center"), ("notices", "notice")):
        for file in sorted((reg.dir / folder).glob("*.yaml")):
            data = reg.load(kind, file.stem)
            reg.dump(kind, file.stem, data)
            assert reg.load(kind, file.stem) == data
    assert reg.validate() == []


# --- boundaries and variants ------------------------------------------------------------


def _write_notice(reg: Registry, notice_id: str, issue_date: str) -> None:
    """A copy of approval-2024 (listing sample-guangfu) issued on another day."""
    data = reg.load("notice", "approval-2024")
    data.update(id=notice_id, issue_date=issue_date, period={"working_days": 5})
    data.pop("outcome")
    reg.dump("notice", notice_id, data)


def _approved_on(reg: Registry, approval: str, *later: Data) -> Callable[[Data], None]:
    """Guangfu approved on `approval` after the whole procedure of 第十二条, then `later` events."""
    year = int(approval[:4])
    _write_notice(reg, f"approval-test-{year}", f"{year - 1}-12-20")

    def change(data: Data) -> None:
        data["events"] = [
            {"date": f"{year - 1}-09-01", "kind": "application"},
            {"date": f"{year - 1}-09-15", "kind": "recommendation"},
            {"date": f"{year - 1}-11-10", "kind": "expert_review", "result": "通过"},
            {"date": f"{year - 1}-12-20", "kind": "publicity", "notice": f"approval-test-{year}"},
            {"date": approval, "kind": "approval", "source": _doc(f"忻科发〔{year}〕9号")},
            *later,
        ]

    return change


def _leap_center(reg: Registry, planned_end: str) -> Callable[[Data], None]:
    return _approved_on(reg, "2028-02-29", {"date": "2028-03-10", "kind": "task_book", "planned_end": planned_end})


def test_construction_from_29_february_ends_28_february(reg: Registry) -> None:
    reg.modify(*GUANGFU, _leap_center(reg, "2030-02-28"))
    assert reg.validate() == []


def test_construction_from_29_february_one_day_late(reg: Registry) -> None:
    text = reg.modify(*GUANGFU, _leap_center(reg, "2030-03-01"))
    findings = reg.validate()
    assert [(f.rule_id, f.line) for f in findings] == [
        ("construction.period", line_of(text, "planned_end: '2030-03-01'")[0])
    ]
    assert "2030-02-28" in findings[0].message


def test_construction_must_end_after_approval(reg: Registry) -> None:
    text = reg.modify(*GUANGFU, lambda d: _event(d, "task_book").update(planned_end="2024-10-15"))
    hits = [(f.rule_id, f.line) for f in reg.validate() if f.rule_id == "construction.period"]
    assert hits == [("construction.period", line_of(text, "planned_end: '2024-10-15'")[0])]


def test_task_book_may_end_earlier_than_two_years(reg: Registry) -> None:
    reg.modify(*GUANGFU, lambda d: _event(d, "task_book").update(planned_end="2025-10-15"))
    # the acceptance application of 2026-11-05 is now late: only that warning
    assert [f.rule_id for f in reg.validate()] == ["acceptance.late-application"]


def test_second_extension_fails_even_when_both_are_short(reg: Registry) -> None:
    reg.modify(
        *GUANGFU,
        _insert_before("acceptance_application", _ext("2026-09-01", "2027-01-15"), _ext("2026-10-01", "2027-02-15")),
    )
    assert [f.rule_id for f in reg.validate()] == ["extension.once"]


def test_extension_must_move_the_end_later(reg: Registry) -> None:
    reg.modify(*GUANGFU, _insert_before("acceptance_application", _ext("2026-09-01", "2026-10-15")))
    assert [f.rule_id for f in reg.validate()] == ["extension.length"]


def test_acceptance_application_due_after_extension(reg: Registry) -> None:
    """With an extension to 2027-10-15 an application on 2027-11-15 is on time, 2027-11-16 late."""

    def with_extension(applied: str) -> Callable[[Data], None]:
        return _both(
            _insert_before("acceptance_application", _ext("2026-09-01", "2027-10-15")),
            lambda d: _event(d, "acceptance_application").update(date=applied),
        )

    reg.modify(*GUANGFU, with_extension("2027-11-15"))
    assert reg.validate() == []
    reg.modify(*GUANGFU, lambda d: _event(d, "acceptance_application").update(date="2027-11-16"))
    assert [f.rule_id for f in reg.validate()] == ["acceptance.late-application"]


def test_acceptance_due_date_clamps_to_month_end(reg: Registry) -> None:
    """Construction ending 2026-01-31: the application is due 2026-02-28 (clamped), not 03-03."""

    def center(applied: str) -> Callable[[Data], None]:
        def change(data: Data) -> None:
            data["events"] = [
                {"date": "2024-01-10", "kind": "application"},
                {"date": "2024-02-01", "kind": "approval", "source": {"document_number": "忻科发〔2024〕5号"}},
                {"date": "2024-03-01", "kind": "task_book", "planned_end": "2026-01-31"},
                {"date": applied, "kind": "acceptance_application"},
            ]

        return change

    reg.modify(*GUANGFU, center("2026-02-28"))
    assert reg.validate() == []
    reg.modify(*GUANGFU, center("2026-03-01"))
    assert [f.rule_id for f in reg.validate()] == ["acceptance.late-application"]


@pytest.mark.parametrize(
    ("key", "ok", "low"),
    [
        ("floor_area_m2", 500, 499),
        ("equipment_value_wan", 500, 499.9),
        ("rd_spending_3y_wan", 500, 499),
        ("first_host_share_percent", 50, 49.9),
    ],
)
def test_condition_thresholds(reg: Registry, key: str, ok: float, low: float) -> None:
    reg.modify(*GUANGFU, _set("application_conditions", key, value=ok))
    assert reg.validate() == []
    text = reg.modify(*GUANGFU, _set("application_conditions", key, value=low))
    findings = reg.validate()
    assert [(f.rule_id, f.severity, f.line) for f in findings] == [
        ("eligibility.conditions", "warning", line_of(text, f"{key}: {low}")[0])
    ]


def test_director_title_below_senior_warns(reg: Registry) -> None:
    text = reg.modify(*GUANGFU, _set("director", "title_level", value="中级"))
    assert [(f.rule_id, f.line) for f in reg.validate()] == [
        ("eligibility.director", line_of(text, "title_level: 中级")[0])
    ]
    reg.modify(*GUANGFU, _set("director", "title_level", value="副高级"))
    assert reg.validate() == []


def test_sample_credit_codes_have_valid_check_characters(reg: Registry) -> None:
    """Computed from GB 32100-2015 here, independently of the validator."""
    assert GB32100_WEIGHTS == GB32100_WEIGHTS_DOMAIN
    codes = []
    for file in sorted((reg.dir / "centers").glob("*.yaml")):
        data = reg.load("center", file.stem)
        for unit in [data["first_host_unit"], *data.get("co_building_units", [])]:
            if "credit_code" in unit:
                codes.append(unit["credit_code"])
    assert codes
    for code in codes:
        assert gb32100_check(code[:17]) == code[17], code


GB32100_WEIGHTS_DOMAIN = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


CODE17 = "91140981MA0K1F006"
WRONG_CHECKS = [c for c in "0YA5" if c != gb32100_check(CODE17)][:3]


@pytest.mark.parametrize("wrong", WRONG_CHECKS)
def test_credit_code_every_wrong_check_character_fails(reg: Registry, wrong: str) -> None:
    code17 = CODE17
    reg.modify(*GUANGFU, _set("first_host_unit", "credit_code", value=code17 + wrong))
    findings = reg.validate()
    assert [f.rule_id for f in findings] == ["credit-code.check"]
    assert gb32100_check(code17) in findings[0].message


def test_credit_code_of_a_co_building_unit_is_checked(reg: Registry) -> None:
    code = valid_code("12140000MB0K1Q001")
    bad = code[:17] + ("0" if code[17] != "0" else "1")
    reg.modify(*GUANGFU, _set("co_building_units", 0, "credit_code", value=code))
    assert reg.validate() == []
    text = reg.modify(*GUANGFU, _set("co_building_units", 0, "credit_code", value=bad))
    assert [(f.rule_id, f.line) for f in reg.validate()] == [
        ("credit-code.check", line_of(text, f"credit_code: {bad}")[0])
    ]


@pytest.mark.parametrize(
    "text_with_number",
    [
        "联系人手机13812345678",
        "请致电 138-1234-5678",
        "+86 138 1234 5678",
        "手机：19912345678。",
        # however it is written (issue 14): widths, separators, prefixes
        "手机１３８１２３４５６７８",  # full-width digits
        "手机１３８ 1234 ５６７８",  # mixed widths
        "手机138.1234.5678",
        "手机138\u00a01234\u00a05678",  # no-break spaces
        "手机138\u30001234\u30005678",  # ideographic spaces
        "手机１３８－１２３４－５６７８",  # full-width hyphens
        "手机138 - 1234 - 5678",
        "手机+8613812345678",
        "手机0086 138 1234 5678",
        "手机(+86)138-1234-5678",
        "电话 0350-3030206 或 13812345678",  # next to an office phone
        "电话 0350-3030206 13812345678",  # joined to it by a space
        "邮箱 13812345678@163.com",
    ],
)
def test_mobile_number_anywhere_is_an_error(reg: Registry, text_with_number: str) -> None:
    text = reg.modify(*GUANGFU, _set("research_directions", 3, value=text_with_number))
    findings = reg.validate()
    assert [(f.rule_id, f.severity, f.line) for f in findings] == [
        ("privacy.personal-data", "error", line_of(text, text_with_number)[0])
    ]


@pytest.mark.parametrize(
    "not_personal",
    [
        "0350-3030206",
        "项目编号 2024123456",
        "建设经费 1380 万元",
        # what officials write every day (issue 14)
        "总投资13500000000元",
        "总投资 13500000000 元",
        "总投资13500000000.00元",
        "总投资¥13800000000",
        "年产13800000000吨",
        "详见 https://www.xinzhou.gov.cn/kjj/13812345678/110101199003071237.html",
        "设备序列号 SN13812345678",
        "设备序列号：110101900307123",
        "IMEI 352099001761481",
        "统一社会信用代码 91140981MA0K1F006E",
        "电话 0350-3030206-8012",
        "电话（0350）3030206",
        "电话 +86 350 3030206",
        "2024.10.15 至 2025.11.30",
        "编号110101199003071230",  # a real date, but the wrong check character
        "编号110101199013071234",  # no 13th month
    ],
)
def test_office_numbers_are_not_personal_data(reg: Registry, not_personal: str) -> None:
    reg.modify(*GUANGFU, lambda d: _event(d, "acceptance_application").update(note=not_personal))
    assert reg.validate() == []


def test_the_whole_record_quick_test_never_loses_a_value_hit() -> None:
    """personal_data looks at the whole record as one JSON text first and walks it only on a
    hit: every value that privacy.find flags on its own must still be reported, whatever the
    escapes, quotes, URLs and neighbours around it."""
    import random

    from generator.validate import privacy
    from generator.validate.checks import personal_data

    rng = random.Random(7)
    pieces = [
        *"0123456789" * 4,
        *"１３８",
        " ",
        "-",
        ".",
        "\u3000",
        "\xa0",
        "\n",
        '"',
        "\\",
        "x",
        "X",
        "元",
        "SN",
        "+86",
        "0086",
        "https://a.cn/",
        "序列号",
        "：",
        "13812345678",
        "110101199003071237",
        "¥",
    ]
    for _ in range(4000):
        values = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(3)]
        record = {"a": values[0], "b": [values[1], {"c": values[2]}], "n": rng.choice([0, 13812345678, 2024])}
        reported = {path for path, _ in personal_data(record)}
        for path, value in ((("a",), values[0]), (("b", 0), values[1]), (("b", 1, "c"), values[2])):
            assert (privacy.find(value) is not None) == (path in reported), (value, reported)
        assert (("n",) in reported) == (record["n"] == 13812345678)


def resident_id(first17: str) -> str:
    """An ID card number with its check character, by GB 11643 as written (ISO 7064 MOD 11-2:
    weights 2^(17-i) mod 11, check value (12 − sum mod 11) mod 11, 10 written X), written
    here independently of the validator."""
    total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(first17))
    value = (12 - total % 11) % 11
    return first17 + ("X" if value == 10 else str(value))


VALID_ID = resident_id("11010119900307123")


def test_id_card_number_is_an_error(reg: Registry) -> None:
    text = reg.modify(*GUANGFU, _set("director", "name", value=VALID_ID))
    findings = reg.validate()
    assert [(f.rule_id, f.severity, f.line) for f in findings] == [
        ("privacy.personal-data", "error", line_of(text, VALID_ID)[0])
    ]
    assert "身份证" in findings[0].message


def test_id_card_with_impossible_date_is_not_flagged(reg: Registry) -> None:
    reg.modify(*GUANGFU, lambda d: _event(d, "acceptance_application").update(note="编号110101199013071234"))
    assert reg.validate() == []


def test_id_card_with_a_wrong_check_character_is_not_flagged(reg: Registry) -> None:
    """18 digits with a real date but the wrong check character: some other number."""
    wrong = VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")
    reg.modify(*GUANGFU, lambda d: _event(d, "acceptance_application").update(note=f"编号{wrong}"))
    assert reg.validate() == []


def _id_card_like_credit_code() -> str:
    """A valid credit code that is also a valid 18-digit ID card number (1990-03-07)."""
    for serial in range(1000):
        code = valid_code(f"91140919900307{serial:03d}")
        if code[17].isdigit() and resident_id(code[:17]) == code:
            return code
    raise AssertionError("no such code")


def test_credit_code_field_is_exempt_from_id_card_check(reg: Registry) -> None:
    code = _id_card_like_credit_code()
    reg.modify(*GUANGFU, _set("first_host_unit", "credit_code", value=code))
    assert reg.validate() == []
    # the same digits in another field are an ID card number
    text = reg.modify(*GUANGFU, lambda d: _event(d, "acceptance_application").update(note=code))
    assert [(f.rule_id, f.line) for f in reg.validate()] == [
        ("privacy.personal-data", line_of(text, code, after="acceptance_application")[0])
    ]


ID_WITH_X = next(i for i in (resident_id(f"14010219850110{n:03d}") for n in range(1000)) if i[-1] == "X")


@pytest.mark.parametrize(
    "written",
    [
        VALID_ID,
        f"{VALID_ID[:6]} {VALID_ID[6:14]} {VALID_ID[14:]}",
        f"{VALID_ID[:6]}-{VALID_ID[6:10]}-{VALID_ID[10:14]}-{VALID_ID[14:]}",
        "".join(chr(ord(c) + 0xFEE0) for c in VALID_ID),  # full-width
        ID_WITH_X.lower(),
        f"{ID_WITH_X[:6]} {ID_WITH_X[6:14]} {ID_WITH_X[14:]}",
        "110101900307123",  # the old 15-digit number (1990-03-07)
        "110101 900307 123",
    ],
)
def test_id_card_number_however_written_is_an_error(reg: Registry, written: str) -> None:
    text = reg.modify(*GUANGFU, lambda d: _event(d, "acceptance_application").update(note=f"负责人身份证：{written}"))
    assert [(f.rule_id, f.line) for f in reg.validate()] == [
        ("privacy.personal-data", line_of(text, "note: ", after="acceptance_application")[0])
    ]


def test_a_mobile_number_in_a_number_field_is_an_error(reg: Registry) -> None:
    text = reg.modify(*GUANGFU, _set("application_conditions", "floor_area_m2", value=13812345678))
    assert [(f.rule_id, f.line) for f in reg.validate()] == [
        ("privacy.personal-data", line_of(text, "floor_area_m2: 13812345678")[0])
    ]


def test_a_personal_number_in_a_notice_is_an_error(reg: Registry) -> None:
    text = reg.modify(*APPROVAL_2025, _set("outcome", "note", value="联系人：138 1234 5678"))
    assert [(f.rule_id, f.line) for f in reg.validate()] == [("privacy.notice", line_of(text, "note: ")[0])]


def test_the_quick_search_never_hides_a_number() -> None:
    """privacy.find reads tokens only where its quick search matched: with that search made
    to match everywhere, the answer must be the same for any text."""
    import random
    import re

    from generator.validate import privacy

    rng = random.Random(11)
    pieces = [
        *"0123456789" * 3,
        "138",
        "1234",
        "13812345678",
        " ",
        "-",
        ".",
        "\u3000",
        "－",
        "x",
        "X",
        "+",
        "元",
        "SN",
        "86",
        "1",
        "0350-",
    ]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(5, 30))) for _ in range(6000)]
    quick = [privacy.find(t) for t in texts]
    everywhere = re.compile("")
    original, privacy._QUICK = privacy._QUICK, everywhere
    try:
        assert [privacy.find(t) for t in texts] == quick
    finally:
        privacy._QUICK = original
    assert sum(q is not None for q in quick) > 100  # the texts do hold numbers


def test_two_fails_with_revocation_is_quiet(reg: Registry) -> None:
    assert reg.validate() == []  # sample-shengwufei: 2023, 2024 不合格, then revoked


def test_two_fails_revoked_before_the_second_still_warns(reg: Registry) -> None:
    """A revocation dated before the second 不合格 does not answer it (the lifecycle error aside)."""

    def change(data: Data) -> None:
        for grade in data["events"][-2:]:
            grade["grade"] = "不合格"
        data["events"].insert(-1, _revocation("2026-01-10", "第十条"))

    text = reg.modify(*NONGMU, change)
    findings = [f for f in reg.validate() if f.rule_id != "events.lifecycle"]
    assert [(f.rule_id, f.line) for f in findings] == [
        ("revocation.two-fails", line_of(text, "grade: 不合格", after="year: 2025")[0])
    ]


def test_two_fails_count_only_grades_given_under_these_measures(reg: Registry) -> None:
    """第十八条 with this site's reading (rating.streak): the 2023 不合格 of sample-shengwufei was
    given on 2024-03-20, before the measures took effect, so 2023 and 2024 are not two consecutive
    不合格 years under them: without its revocation the center is not flagged. Given on 2024-08-04,
    the same grade counts."""
    reg.modify(*SHENGWUFEI, _drop_last(2))  # the publicity and the revocation
    assert reg.validate() == []
    text = reg.modify(*SHENGWUFEI, lambda d: _event(d, "annual_assessment").update(date="2024-08-04"))
    assert [(f.rule_id, f.line) for f in reg.validate()] == [
        ("revocation.two-fails", line_of(text, "grade: 不合格", after="year: 2024")[0])
    ]


def test_rename_chain_mismatch(reg: Registry) -> None:
    """A second rename whose `old` is not the first rename's `new`."""

    def change(data: Data) -> None:
        i = next(i for i, e in enumerate(data["events"]) if e["kind"] == "change") + 1
        data["events"].insert(
            i,
            {
                "date": "2024-06-10",
                "kind": "change",
                "change_kind": "更名",
                "old": "忻州市示例杂粮技术创新中心",
                "new": "忻州市示例功能杂粮技术创新中心",
                "source": {"document_number": "忻科函〔2024〕30号"},
            },
        )
        data["events"][i - 1]["new"] = "忻州市示例杂粮食品技术创新中心"

    text = reg.modify(*ZALIANG, change)
    findings = reg.validate()
    assert [(f.rule_id, f.line) for f in findings] == [
        ("name.history", line_of(text, "old: 忻州市示例杂粮技术创新中心", after="2024-06-10")[0])
    ]


def test_rename_to_a_bad_name(reg: Registry) -> None:
    """第二十条 judges a rename approved under these measures, and the name it gives."""

    def change(data: Data) -> None:
        data["events"].append(
            {
                "date": "2026-05-01",
                "kind": "change",
                "change_kind": "更名",
                "old": data["name"],
                "new": "示例功能杂粮中心",
                "source": _doc("忻科函〔2026〕15号"),
            }
        )
        data["name"] = "示例功能杂粮中心"

    text = reg.modify(*ZALIANG, change)
    lines = {(f.rule_id, f.line) for f in reg.validate()}
    assert ("name.pattern", line_of(text, "new: 示例功能杂粮中心")[0]) in lines
    assert ("name.pattern", line_of(text, "name: 示例功能杂粮中心")[0]) in lines


def test_a_name_from_before_these_measures_is_not_judged(reg: Registry) -> None:
    """No 2024-only error for a fact dated before 2024-08-04 (policy.transition): sample-zaliang was
    renamed on 2024-05-10 to a name that 第二十条 would refuse; the record stands as written."""

    def change(data: Data) -> None:
        _event(data, "change").update(new="示例功能杂粮中心")
        data["name"] = "示例功能杂粮中心"

    reg.modify(*ZALIANG, change)
    assert reg.validate() == []


@pytest.mark.parametrize(
    "name", ["忻州市技术创新中心", "忻州市示例技术创新中心分中心", "山西省示例光伏储能技术创新中心"]
)
def test_name_pattern_of_article_20(reg: Registry, name: str) -> None:
    reg.modify(*GUANGFU, _set("name", value=name))
    assert "name.pattern" in {f.rule_id for f in reg.validate()}


@pytest.mark.parametrize("core", ["示例H2装备", "示例氢能2装备", "示例氢能、装备", "示例qingneng装备"])
def test_provincial_naming_only_chinese_characters(reg: Registry, core: str) -> None:
    name = f"忻州市{core}技术创新中心"
    text = reg.modify(*QINGNENG, _set("name", value=name))
    findings = reg.validate()
    assert [(f.rule_id, f.severity, f.line) for f in findings] == [
        ("naming.provincial", "warning", line_of(text, "name: ")[0])
    ]


def test_provincial_naming_research_directions_three_to_five(reg: Registry) -> None:
    reg.modify(*GUANGFU, lambda d: d["research_directions"].__delitem__(slice(3, None)))
    assert reg.validate() == []  # three
    text = reg.modify(*GUANGFU, lambda d: d["research_directions"].__delitem__(2))
    assert [(f.rule_id, f.line) for f in reg.validate()] == [
        ("naming.provincial", line_of(text, "research_directions:")[0])
    ]


def test_similar_names_identical_core(reg: Registry) -> None:
    text = reg.modify(*WURENJI, _set("name", value="忻州市示例光伏储能技术创新中心"))
    findings = reg.validate()
    assert [(f.path, f.rule_id, f.line) for f in findings] == [
        (reg.shown(*WURENJI), "naming.similar", line_of(text, "name: ")[0])
    ]


def test_notice_period_end_before_start(reg: Registry) -> None:
    text = reg.modify(*APPROVAL_2025, _set("period", "end", value="2025-11-09"))
    assert [(f.rule_id, f.line) for f in reg.validate()] == [("notice.period", line_of(text, "end: '2025-11-09'")[0])]


def test_publicity_notice_that_does_not_list_the_center(reg: Registry) -> None:
    text = reg.modify(*DUANZAO, lambda d: _event(d, "publicity").update(notice="revocation-2025"))
    assert [(f.path, f.rule_id, f.line) for f in reg.validate()] == [
        (reg.shown(*DUANZAO), "ref.notice", line_of(text, "notice: revocation-2025")[0])
    ]


def test_center_listed_twice_in_a_notice(reg: Registry) -> None:
    text = reg.modify(*APPROVAL_2025, lambda d: d["entries"].append(copy.deepcopy(d["entries"][0])))
    findings = reg.validate()
    second = [i + 1 for i, line in enumerate(text.splitlines()) if "center: sample-duanzao" in line][1]
    assert [(f.rule_id, f.line) for f in findings] == [("ref.center", second)]


def test_notice_uses_the_name_on_its_issue_date(reg: Registry) -> None:
    """sample-duanzao renamed after approval-2025 was issued: the notice keeps the old name."""
    old, new = "忻州市示例精密锻件技术创新中心", "忻州市示例高端锻件技术创新中心"

    def rename(data: Data) -> None:
        data["name"] = new
        data["events"].append(
            {
                "date": "2026-02-01",
                "kind": "change",
                "change_kind": "更名",
                "old": old,
                "new": new,
                "source": {"document_number": "忻科函〔2026〕3号"},
            }
        )

    reg.modify(*DUANZAO, rename)
    assert reg.validate() == []
    # renamed before the notice (and so before approval: also a lifecycle error): the notice
    # should have shown the new name
    reg.modify(
        *DUANZAO, lambda d: _event(d, "change").update(date="2025-11-09") or d["events"].sort(key=lambda e: e["date"])
    )
    findings = reg.validate()
    assert [(f.path, f.rule_id) for f in findings if f.rule_id != "events.lifecycle"] == [
        (reg.shown(*APPROVAL_2025), "notice.name-match")
    ]


def test_event_after_revocation_breaks_lifecycle(reg: Registry) -> None:
    text = reg.modify(
        *SHENGWUFEI,
        _append(
            {
                "date": "2026-03-17",
                "kind": "annual_assessment",
                "year": 2025,
                "grade": "合格",
                "source": _doc("忻科发〔2026〕9号"),
            }
        ),
    )
    assert [(f.rule_id, f.line) for f in reg.validate()] == [
        ("events.lifecycle", line_of(text, "kind: annual_assessment", after="2026-03-17")[0])
    ]


def test_warnings_do_not_fail_and_errors_do(reg: Registry) -> None:
    from generator.validate.registry import validate_registry

    reg.modify(*GUANGFU, _set("director", "age_at_application", value=61))
    result = validate_registry(reg.dir, reg.root)
    assert result.findings and result.ok
    reg.modify(*GUANGFU, _set("id", value="sample-other"))
    result = validate_registry(reg.dir, reg.root)
    assert not result.ok


def test_dump_yaml_quotes_dates() -> None:
    assert dump_yaml({"date": "2024-01-01"}) == "date: '2024-01-01'\n"


# --- every rule id leads to its code ---------------------------------------------------------


def _applies_tables() -> dict[str, dict[str, Any]]:
    """Each module of generator/ that declares `APPLIES`, by module name."""
    import pkgutil

    import generator

    tables = {}
    for info in pkgutil.walk_packages(generator.__path__, "generator."):
        if info.name == "generator.__main__":  # runs the command line when imported
            continue
        module = importlib.import_module(info.name)
        if isinstance(getattr(module, "APPLIES", None), dict):
            tables[info.name] = module.APPLIES
    return tables


def test_every_rule_is_applied_by_exactly_one_module() -> None:
    """No rule of the table without code, no code for a rule the table lacks, no rule applied twice."""
    seen: dict[str, str] = {}
    for module, table in _applies_tables().items():
        for rule_id, fn in table.items():
            assert rule_id in RULES, f"{module} applies {rule_id}, which the rule table does not have"
            assert rule_id not in seen, f"{rule_id} is applied by both {seen[rule_id]} and {module}"
            assert callable(fn) and fn.__module__ == module, (rule_id, module, fn)
            seen[rule_id] = module
    assert set(seen) == set(RULES), f"rules no module applies: {sorted(set(RULES) - set(seen))}"


def test_a_rule_id_is_found_where_it_is_applied_with_one_grep() -> None:
    """The id is written, quoted, in the module that applies it (not built from parts)."""
    for module, table in _applies_tables().items():
        source = inspect.getsource(importlib.import_module(module))
        for rule_id in table:
            assert f'"{rule_id}"' in source, (module, rule_id)


# --- records from before these measures (第二十一条) ---------------------------------------------

LEGACY_2020 = {  # approved in 2020 under an earlier scheme: no task book, nothing else recorded
    "date": "2020-06-18",
    "kind": "approval",
    "source": {"document_number": "忻科发〔2020〕21号"},
}


def test_legacy_samples_validate_without_any_finding(reg: Registry) -> None:
    """The sample registry holds a center recognized in 2023 (no task book), one approved in 2020
    and accepted without a recorded task book, and one approved in 2022 with nothing after."""
    for record in ("sample-meitan", "sample-kuangshan", "sample-niangzao"):
        data = reg.load("center", record)
        assert not any(e["kind"] == "task_book" for e in data["events"]), record
    assert _event(reg.load("center", "sample-meitan"), "recognition")["date"] == "2023-06-16"
    assert _event(reg.load("center", "sample-kuangshan"), "approval")["date"].startswith("2020")
    assert reg.validate() == []


@pytest.mark.parametrize(
    "day, expected",
    [("2024-08-03", []), ("2024-08-04", ["construction.period", "procedure.steps"])],
)
def test_2024_only_rules_start_on_2024_08_04(reg: Registry, day: str, expected: list[str]) -> None:
    """construction.period and procedure.steps judge an approval dated from 2024-08-04 only: a task
    book running 3 years and an approval without recommendation, review or publicity are how an
    approval under earlier measures may well have been, and are shown as recorded."""
    end = f"{int(day[:4]) + 3}{day[4:]}"

    def change(data: Data) -> None:
        data["events"] = [
            {"date": day, "kind": "approval", "source": _doc("忻科发〔2024〕30号")},
            {"date": day, "kind": "task_book", "planned_end": end},
        ]

    reg.modify(*QINGNENG, change)
    assert sorted({f.rule_id for f in reg.validate()}) == expected


def test_an_approval_may_name_the_measures_it_was_made_under(reg: Registry) -> None:
    """policy.transition: a record that names other measures for a fact is taken at its word
    (an approval on 2024-08-05 under the trial measures is not judged by these ones); it must
    name measures that are recorded (ref.measures)."""

    def change(data: Data) -> None:
        data["events"] = [
            {
                "date": "2024-08-05",
                "kind": "approval",
                "measures": "忻科规〔2023〕2号",
                "source": _doc("忻科发〔2024〕31号"),
            },
            {"date": "2024-09-01", "kind": "task_book", "planned_end": "2027-09-01"},
        ]

    reg.modify(*QINGNENG, change)
    assert reg.validate() == []
    text = reg.modify(*QINGNENG, lambda d: _event(d, "approval").update(measures="忻科规〔2019〕5号"))
    assert [(f.rule_id, f.line) for f in reg.validate()] == [
        ("ref.measures", line_of(text, "measures: 忻科规〔2019〕5号")[0])
    ]


def test_eligibility_of_a_legacy_center_is_not_judged(reg: Registry) -> None:
    """第九条 is checked at an application under these measures: not for sample-zaliang (2019)."""
    reg.modify(*ZALIANG, _set("director", "age_at_application", value=61))
    assert reg.validate() == []
    reg.modify(*QINGNENG, _set("director", "age_at_application", value=61))
    assert [f.rule_id for f in reg.validate()] == ["eligibility.director"]


def test_recognition_before_and_after_2024_08_04(reg: Registry) -> None:
    """recognition.legacy: these measures have no 认定; one dated 2024-08-03 is a legacy fact."""

    def recognized(day: str) -> Callable[[Data], None]:
        def change(data: Data) -> None:
            data["events"] = [{"date": day, "kind": "recognition", "source": _doc("忻科发〔2024〕20号")}]

        return change

    reg.modify(*QINGNENG, recognized("2024-08-03"))
    assert reg.validate() == []
    text = reg.modify(*QINGNENG, recognized("2024-08-04"))
    findings = reg.validate()
    assert [(f.rule_id, f.severity, f.line) for f in findings] == [
        ("recognition.legacy", "error", line_of(text, "kind: recognition")[0])
    ]
    assert "measures" in findings[0].message


def test_an_event_after_a_recognition_needs_no_approval(reg: Registry) -> None:
    """events.lifecycle: a recognition admits what an approval admits (assessments, changes, revocation)."""
    reg.modify(
        *MEITAN,
        _append(
            {
                "date": "2026-06-01",
                "kind": "change",
                "change_kind": "研究方向变更",
                "old": ["煤基针状焦制备"],
                "new": ["煤基针状焦制备", "煤基储能材料"],
                "source": _doc("忻科函〔2026〕20号"),
            }
        ),
    )
    assert reg.validate() == []
    text = reg.modify(*MEITAN, _append({"date": "2026-07-01", "kind": "approval", "source": _doc("忻科发〔2026〕1号")}))
    lifecycle = [f for f in reg.validate() if f.rule_id == "events.lifecycle"]
    assert [f.line for f in lifecycle] == [line_of(text, "kind: approval")[0]]
    assert "批准建设或认定只能记录一次" in lifecycle[0].message


# --- procedure (第十二条) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "missing, step",
    [("recommendation", "归口管理单位的推荐"), ("expert_review", "专家评审"), ("publicity", "列有本中心的公示")],
)
def test_procedure_warning_names_the_missing_step(reg: Registry, missing: str, step: str) -> None:
    from generator.rules.findings import format_text

    text = reg.modify(*GUANGFU, _drop(missing))
    findings = [f for f in reg.validate() if f.rule_id == "procedure.steps"]
    assert [(f.severity, f.line) for f in findings] == [("warning", line_of(text, "kind: approval")[0])]
    assert step in findings[0].message
    assert format_text(findings[0]).endswith(f"{step}（第十二条）")
    assert "[procedure.steps]" in format_text(findings[0])


def test_procedure_steps_must_come_before_the_approval(reg: Registry) -> None:
    """A review recorded after the approval does not make up for the one missing before it."""

    def change(data: Data) -> None:
        review = _event(data, "expert_review")
        data["events"].remove(review)
        data["events"].insert(-1, dict(review, date="2026-11-05"))

    reg.modify(*GUANGFU, change)
    assert "procedure.steps" in {f.rule_id for f in reg.validate()}


def test_host_units_in_another_order_but_the_first(reg: Registry) -> None:
    """notice.host-match: the first host unit leads; co-building units may be listed in any order."""

    def three(data: Data) -> None:
        data["co_building_units"].append({"name": "样例研究院（演示）", "kind": "科研院所"})

    reg.modify(*DUANZAO, three)
    reg.modify(
        *APPROVAL_2025,
        lambda d: (
            d["entries"][0]["host_units"].extend(["样例研究院（演示）"]) or d["entries"][0]["host_units"][1:].reverse()
        ),
    )
    assert reg.validate() == []
    text = reg.modify(*APPROVAL_2025, lambda d: d["entries"][0]["host_units"].reverse())
    findings = reg.validate()
    assert [(f.rule_id, f.line) for f in findings] == [("notice.host-match", line_of(text, "host_units:")[0])]
    assert "首位" in findings[0].message


def test_host_units_after_a_reorganisation_are_not_compared(reg: Registry) -> None:
    """notice.host-match: a 调整重组 approved after the notice may change the units legitimately."""
    reorganised = {
        "date": "2026-06-01",
        "kind": "change",
        "change_kind": "调整重组",
        "old": "示例乙锻造股份有限公司（演示）、样例理工大学（演示）",
        "new": "示例乙锻造股份有限公司（演示）、样例工业大学（演示）",
        "source": _doc("忻科函〔2026〕21号"),
    }
    reg.modify(
        *DUANZAO, _both(_append(reorganised), _set("co_building_units", 0, "name", value="样例工业大学（演示）"))
    )
    assert reg.validate() == []


def test_host_units_of_a_notice_before_these_measures_are_not_compared(reg: Registry) -> None:
    """notice.host-match judges notices issued from 2024-08-04: one of 2024-05 is shown as published."""
    data = reg.load(*APPROVAL_2025)
    data.pop("outcome")
    data["entries"][0]["host_units"] = ["示例乙锻造股份有限公司（演示）", "样例工业大学（演示）"]
    for issued in ("2024-05-06", "2024-08-05"):
        data.update(id=f"approval-{issued}", issue_date=issued, period={"working_days": 5})
        reg.dump("notice", f"approval-{issued}", data)
    assert [(f.path, f.rule_id) for f in reg.validate()] == [
        ("registry/notices/approval-2024-08-05.yaml", "notice.host-match")
    ]


# --- sources of official facts ------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, rule_id, severity", [("2024-08-03", "source.legacy", "warning"), ("2024-08-04", "source.required", "error")]
)
def test_missing_source_error_or_warning_by_date(reg: Registry, day: str, rule_id: str, severity: str) -> None:
    def change(data: Data) -> None:
        data["events"] = [{"date": day, "kind": "approval"}]

    text = reg.modify(*QINGNENG, change)
    findings = [f for f in reg.validate() if f.rule_id.startswith("source.")]
    assert [(f.rule_id, f.severity, f.line) for f in findings] == [
        (rule_id, severity, line_of(text, "kind: approval")[0])
    ]


@pytest.mark.parametrize(
    "kind, fields",
    [
        ("approval", {}),
        ("extension", {"new_end": "2027-10-15"}),
        ("acceptance", {"result": "通过"}),
        ("annual_assessment", {"year": 2026, "grade": "良好"}),
        ("evaluation", {"grade": "良好"}),
        ("funding", {"funding_kind": "其他", "amount_wan": 3}),
        ("change", {"change_kind": "研究方向变更", "old": "甲", "new": "乙"}),
        ("revocation", {"reason": "测试用撤销原因", "article": "第十条"}),
    ],
)
def test_every_official_fact_needs_a_source(reg: Registry, kind: str, fields: Data) -> None:
    """The official facts of the issue; recognition is tested above with its own dates."""
    reg.modify(*GUANGFU, _append({"date": "2026-11-20", "kind": kind, **fields}))
    hits = [f for f in reg.validate() if f.rule_id == "source.required"]
    assert len(hits) == 1 and hits[0].severity == "error"


def test_procedural_events_need_no_source(reg: Registry) -> None:
    """Application, recommendation, review, task book and acceptance application are not decisions."""
    data = reg.load(*GUANGFU)
    assert all("source" not in e for e in data["events"] if e["kind"] in ("application", "recommendation", "task_book"))
    assert reg.validate() == []


def test_a_source_may_name_a_notice_that_lists_the_center(reg: Registry) -> None:
    """ref.notice covers sources too: the acceptance of sample-nongmu cites its notice."""
    reg.modify(*NONGMU, lambda d: _event(d, "acceptance").update(source={"notice": "acceptance-2024"}))
    assert reg.validate() == []
    text = reg.modify(*NONGMU, lambda d: _event(d, "acceptance").update(source={"notice": "approval-2025"}))
    assert [(f.rule_id, f.line) for f in reg.validate()] == [("ref.notice", line_of(text, "notice: approval-2025")[0])]


def test_a_source_with_only_a_title_is_not_enough(reg: Registry) -> None:
    reg.modify(*GUANGFU, lambda d: _event(d, "funding").update(source={"title": "关于下达建设经费的通知"}))
    findings = reg.validate()
    assert [f.rule_id for f in findings] == ["schema"]
    assert "至少填写以下字段之一" in findings[0].message


def test_private_facts_are_not_invited_by_the_format(reg: Registry) -> None:
    """A failed expert review and the reasons for a rejection are not published: the schema has
    no place for them, and says why."""
    import json

    from generator.records.schema import SCHEMA_DIR

    schema = json.loads((SCHEMA_DIR / "center.schema.json").read_text(encoding="utf-8"))
    defs = schema["$defs"]
    assert defs["event_expert_review"]["properties"]["result"]["enum"] == ["通过"]
    assert "reason" not in defs["event_rejection"]["properties"]
    assert "不公开" in defs["event_expert_review"]["description"]
    assert "未公开的原因" in defs["event_rejection"]["description"]
    for name in ("approval", "recognition", "extension", "acceptance", "annual_assessment", "evaluation"):
        assert "官方事实，须注明出处" in defs[f"event_{name}"]["description"], name
    reg.modify(*WURENJI, lambda d: _event(d, "rejection").update(reason="专家评审未通过"))
    assert [f.rule_id for f in reg.validate()] == ["schema"]


# --- the measures as data (registry/measures/) -----------------------------------------------------


def test_the_implemented_measures_must_be_recorded(reg: Registry) -> None:
    reg.file("measures", "xinkegui-2024-4").unlink()
    findings = reg.validate()
    assert ("measures.record", "error") in {(f.rule_id, f.severity) for f in findings}
    assert "忻科规〔2024〕4号" in next(f.message for f in findings if f.rule_id == "measures.record")


def test_measures_numbers_are_unique_and_repeals_recorded(reg: Registry) -> None:
    data = reg.load(*MEASURES_2024)
    data.update(id="xinkegui-2024-4-copy")
    reg.dump("measures", "xinkegui-2024-4-copy", data)
    reg.file("measures", "xinkegui-2023-2").unlink()
    messages = [f.message for f in reg.validate() if f.rule_id == "measures.record"]
    assert any("已由" in m for m in messages) and any("忻科规〔2023〕2号 没有登记" in m for m in messages)


def test_a_measures_record_that_cannot_be_true(reg: Registry) -> None:
    """measures.record: a record that repeals itself, or expires before it takes effect."""
    data = reg.load("measures", "xinkegui-2023-2")
    data.update(in_force_from="2023-05-01", expires="2023-04-30", repeals=["忻科规〔2023〕2号"])
    text = reg.dump("measures", "xinkegui-2023-2", data)
    findings = [(f.rule_id, f.line, f.message) for f in reg.validate()]
    assert [(rule_id, line) for rule_id, line, _ in findings] == [
        ("measures.record", line_of(text, "expires:")[0]),
        ("measures.record", line_of(text, "- 忻科规〔2023〕2号")[0]),
    ]


def test_every_reading_is_one_sentence() -> None:
    """The rules page prints each interpretation in one sentence (issue 12)."""
    for r in RULES.values():
        if r.reading:
            assert r.reading.endswith("。") and r.reading.count("。") == 1, r.id
            assert r.basis.value == "interpretation"


def test_a_successor_can_be_recorded_the_day_it_is_published(reg: Registry) -> None:
    """A new record in registry/measures/ is all it takes: from its start, facts fall under it and
    the 2024-only rules no longer judge them (here a 3-year task book approved in 2030)."""
    reg.dump(
        "measures",
        "xinkegui-2029-9",
        {
            "id": "xinkegui-2029-9",
            "number": "忻科规〔2029〕9号",
            "title": "市技术创新中心建设与运行管理办法",
            "issuer": "忻州市科学技术局",
            "in_force_from": "2029-08-04",
            "repeals": ["忻科规〔2024〕4号"],
        },
    )

    def change(data: Data) -> None:
        data["events"] = [
            {"date": "2030-03-01", "kind": "approval", "source": _doc("忻科发〔2030〕3号")},
            {"date": "2030-03-20", "kind": "task_book", "planned_end": "2033-03-01"},
        ]

    reg.modify(*QINGNENG, change)
    assert reg.validate() == []


# --- issue 14: links that hide their host, dates that cannot be true -------------------------


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://kjj.xinzhou.gov.cn@evil.example/", "evil.example"),
        ("https://官方域名@evil.example/", "evil.example"),
        ("https://user:pass@evil.example/", "evil.example"),
        ("https://kjj.xinzhou.gov.cn\\@evil.example/", "反斜杠"),
        ("https://xinzhou.gov.cn.evil.example:8443 /x", "空白"),
        ("https://192.168.1.10/notice", "IP"),
        ("https://2130706433/", "IP"),
        ("https://0x7f.0x0.0x0.0x1/", "IP"),
        ("https://[::1]/", "IP"),
        ("https://xn--80ak6aa92e.com/", "汉字以外"),  # Cyrillic "аррӏе"
        ("https://аррӏе.com/", "非 ASCII"),
        ("https://localhost/", "不是有效的域名"),
        ("https:///path", "缺少主机名"),
    ],
)
def test_deceptive_links_are_refused(reg: Registry, url: str, words: str) -> None:
    """Refused by the rule, or (what is not even a URL) by the schema's format, with the reason."""
    text = reg.modify(*GUANGFU, lambda d: _event(d, "approval")["source"].update(url=url))
    findings = reg.validate()
    assert [f.line for f in findings] == [line_of(text, "url: ")[0]], findings
    assert findings[0].rule_id in ("link.deceptive", "schema") and words in findings[0].message


@pytest.mark.parametrize(
    "url",
    [
        "https://kjj.xinzhou.gov.cn/art/2025/11/10/art_1.html?id=3&from=@list",  # @ in the query, not the host
        "http://www.xinzhou.gov.cn:8080/kjj/",
        "https://xn--fiqs8s.cn/",  # 中国.cn: a Chinese domain in its xn-- form
        "https://www.xinzhou.gov.cn/忻州/公示.html",  # Chinese in the path is fine
    ],
)
def test_plain_links_pass(reg: Registry, url: str) -> None:
    reg.modify(*GUANGFU, lambda d: _event(d, "approval")["source"].update(url=url))
    assert [f.rule_id for f in reg.validate() if f.rule_id.startswith("link.")] == []


def test_deceptive_link_in_the_settings(reg: Registry) -> None:
    settings = reg.dir / "registry.yaml"
    text = settings.read_text(encoding="utf-8").replace(
        "site_url: https://xinzhou-tic.github.io/registry/", "site_url: https://192.168.0.1/registry/"
    )
    settings.write_text(text, encoding="utf-8")
    assert [(f.path, f.rule_id, f.line) for f in reg.validate()] == [
        ("registry/registry.yaml", "link.notice", line_of(text, "site_url:")[0])
    ]


def _plausibility(reg: Registry, today: dt.date) -> list[Any]:
    from generator.validate.registry import validate_registry

    return [f for f in validate_registry(reg.dir, reg.root, today=today).findings if f.rule_id == "dates.plausible"]


def test_future_dates_depend_on_the_kind(reg: Registry) -> None:
    """sample-guangfu's last event, an acceptance application (a host unit's act: not after
    today) is on 2026-11-05; a document (a direction change) may be dated 7 days ahead."""

    def guangfu(today: dt.date) -> list[Any]:
        return [f for f in _plausibility(reg, today) if f.path == reg.shown(*GUANGFU)]

    assert guangfu(dt.date(2026, 11, 5)) == []
    early = guangfu(dt.date(2026, 11, 4))
    assert len(early) == 1 and "提出验收申请" in early[0].message and "2026-11-05" in early[0].message
    text = reg.modify(*GUANGFU, _append(_direction_change("2026-11-20")))
    assert guangfu(dt.date(2026, 11, 13)) == []
    assert [f.line for f in guangfu(dt.date(2026, 11, 12))] == [line_of(text, "date: '2026-11-20'")[0]]


def test_dates_before_1990_and_notices_far_ahead(reg: Registry) -> None:
    text = reg.modify(*GUANGFU, lambda d: d["events"][0].update(date="1989-12-31"))
    assert [(f.path, f.line) for f in _plausibility(reg, dt.date(2027, 1, 1))] == [
        (reg.shown(*GUANGFU), line_of(text, "date: '1989-12-31'")[0])
    ]
    notice = reg.text(*APPROVAL_2025)
    hits = {(f.path, f.line) for f in _plausibility(reg, dt.date(2025, 11, 2))}  # issued 2025-11-10: 8 days on
    assert (reg.shown(*APPROVAL_2025), line_of(notice, "issue_date:")[0]) in hits
    hits = {(f.path, f.line) for f in _plausibility(reg, dt.date(2025, 11, 3))}
    assert (reg.shown(*APPROVAL_2025), line_of(notice, "issue_date:")[0]) not in hits


def test_validate_reads_the_clock_for_future_dates(reg: Registry) -> None:
    """Through the command line, today is the real date: an event in 2999 is an error."""
    path = reg.file(*GUANGFU)
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2026-11-05", "date: 2999-11-05"), encoding="utf-8")
    result = run_cli("validate", "--registry", "registry", cwd=reg.root)
    assert result.returncode == 1 and "[dates.plausible]" in result.stdout and "2999-11-05" in result.stdout


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (  # starts 31 days after the issue
            _both(
                _set("period", "start", value="2025-12-11"),
                _set("period", "end", value="2025-12-17"),
                _set("outcome", "date", value="2025-12-18"),
            ),
            "start: '2025-12-11'",
        ),
        (  # 101 days long
            _both(_set("period", "end", value="2026-02-19"), _set("outcome", "date", value="2026-02-20")),
            "end: '2026-02-19'",
        ),
        (_set("outcome", "date", value="2025-11-13"), "date: '2025-11-13'"),  # before the period ends
    ],
)
def test_notice_period_bounds(reg: Registry, change: Callable[[Data], Any], needle: str) -> None:
    text = reg.modify(*APPROVAL_2025, change)
    assert [(f.rule_id, f.line) for f in reg.validate() if f.rule_id == "notice.period"] == [
        ("notice.period", line_of(text, needle)[0])
    ]


def test_the_link_quick_test_never_loses_a_deceptive_link() -> None:
    """check_links reads a center's JSON text first and walks the record only on a suspect
    link: with or without that text, the same hits, whatever the escapes around a link."""
    import random

    from generator.validate.checks import as_json, deceptive_links

    rng = random.Random(5)
    urls = [
        "https://kjj.xinzhou.gov.cn/a",
        "https://10.0.0.1/",
        'https://a.cn/"q"',
        "https://a.cn/\\x",
        "https://a.cn/\nx",
        "https://a@b.cn/",
        "http://xn--80ak6aa92e.com/",
        "ftp://a.cn/",
        "https://a.cn/中文",
    ]
    for _ in range(500):
        record = {
            "contact": {"website": rng.choice(urls)},
            "events": [{"source": {"url": rng.choice(urls), "title": rng.choice(urls)}} for _ in range(3)],
            "url": rng.choice([*urls, 5, None]),
        }
        assert list(deceptive_links(record, as_json(record))) == list(deceptive_links(record)), record
