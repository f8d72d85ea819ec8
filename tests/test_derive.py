"""The derivation stage (generator/derive/*): status, deadlines, ratings, funding, flags, notices.

Every center here is built in code from the sample record `sample-duanzao` with a chosen list
of events, written into a scratch registry together with a few publicity notices, and read
back through `validate_registry`: the inputs are exactly what the site derives from. The
registry must validate without errors, with exactly the warnings listed in
`EXPECTED_WARNINGS`.

`DERIVE_RULE_TESTS` at the end maps every rule of stage DERIVE to the tests that exercise it;
`test_every_derive_rule_has_a_test` fails when a derived rule is registered without one.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import inspect
import shutil
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from generator.derive.deadlines import DEADLINE_STATES
from generator.derive.facts import CenterFacts, RegistryFacts, derive, derive_center
from generator.derive.flags import DATED_CHECKS, FLAG_KINDS, Flag, derived_note, policy_notes
from generator.derive.notices import NOTICE_STATES, known_outcome, notice_period, notice_state
from generator.derive.ratings import funding, ratings
from generator.derive.status import STATUSES, status_history, status_on, statuses_on
from generator.records.load import SCHEMA_LINES, Document, parse
from generator.records.model import OFFICIAL_FACTS, Center, Event, Registry, center_from
from generator.rules import measures as m
from generator.rules.table import RULES, Severity, Stage, rule
from generator.rules.workdays import WorkCalendar
from generator.validate.checks import CENTER_CHECKS
from generator.validate.registry import validate_registry
from tests.support import SAMPLE_REGISTRY, dump_yaml, line_of, schema_checker

D = dt.date.fromisoformat
Data = dict[str, Any]

# --- building records ---------------------------------------------------------------------


def _sample(kind_dir: str, record_id: str, kind: str) -> Data:
    doc, problems = parse((SAMPLE_REGISTRY / kind_dir / f"{record_id}.yaml").read_bytes(), "x.yaml", kind)
    assert doc is not None and not problems
    return doc.data


BASE_CENTER = _sample("centers", "sample-duanzao", "center")  # clean: no warnings of its own
BASE_NOTICE = _sample("notices", "approval-2025", "notice")
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def ev(date: str, kind: str, **fields: Any) -> Data:
    """An event; an official fact gets a source (source.required) unless one is given."""
    if kind in OFFICIAL_FACTS and "source" not in fields:
        fields["source"] = {"document_number": f"忻科发〔{date[:4]}〕{int(date[5:7]) * 31 + int(date[8:])}号"}
    return {"date": date, "kind": kind, **fields}


def approval(date: str) -> Data:
    return ev(date, "approval", source={"document_number": f"忻科发〔{date[:4]}〕9号"})


def application(date: str, measures: str | None = m.IMPLEMENTED) -> Data:
    return ev(date, "application", **({"measures": measures} if measures else {}))


def steps(recommended: str, reviewed: str, published: str, notice: str) -> list[Data]:
    """The procedure of 第十二条 before an approval: recommendation, expert review, publicity."""
    return [
        ev(recommended, "recommendation"),
        ev(reviewed, "expert_review", result="通过"),
        ev(published, "publicity", notice=notice),
    ]


def assessment(date: str, year: int, grade: str) -> Data:
    return ev(date, "annual_assessment", year=year, grade=grade)


def revocation(date: str, article: str) -> Data:
    return ev(date, "revocation", reason="测试用撤销原因", article=article)


def center_data(center_id: str, n: int, events: list[Data], **overrides: Any) -> Data:
    """A schema-valid center: the sample's units and conditions, a unique name, these events.

    Names differ only in two characters of equal-length cores, so no core contains another
    (naming.similar) and none uses the host enterprise's name (naming.provincial).
    """
    data = copy.deepcopy(BASE_CENTER)
    data["id"] = center_id
    data["name"] = f"忻州市演练{_STEMS[n % 10]}{_BRANCHES[n % 12]}材料技术创新中心"
    data["events"] = events
    for key, value in overrides.items():
        data[key] = value
    return data


def notice_data(
    notice_id: str, issue_date: str, period: Data, centers: list[Data], outcome: Data | None = None
) -> Data:
    data = copy.deepcopy(BASE_NOTICE)
    data.pop("outcome", None)
    data.update(id=notice_id, issue_date=issue_date, period=period)
    if outcome:
        data["outcome"] = outcome
    entry = data["entries"][0]
    data["entries"] = [dict(entry, center=c["id"], name=c["name"]) for c in centers]
    return data


def center_of(data: Data) -> Center:
    """A typed center straight from a record, after the schema and the error rules pass it."""
    doc = Document(f"registry/centers/{data['id']}.yaml", "center", data, dump_yaml(data))
    assert schema_checker().check(doc) == []
    center = center_from(doc)
    errors = [(i, hit) for i, c in CENTER_CHECKS.items() if rule(i).severity == Severity.ERROR for hit in c(center)]
    assert errors == []
    return center


# --- the scenario registry ----------------------------------------------------------------

LIFE = [  # one center through its whole life (第十二条 … 第十九条)
    application("2024-09-02"),
    ev("2024-09-20", "recommendation"),
    ev("2024-10-15", "expert_review", result="通过"),
    ev("2024-10-30", "publicity", notice="life-2024"),  # default period: 10-30 … 11-05
    approval("2024-11-20"),
    ev("2024-12-10", "task_book", planned_end="2026-11-20"),
    ev("2025-01-10", "funding", funding_kind="建设经费", amount_wan=10),
    ev("2026-10-15", "extension", new_end="2027-05-20", reason="测试用延期原因"),
    ev("2027-06-23", "acceptance_application"),  # 3 days after the 2027-06-20 due date
    ev("2027-09-15", "acceptance", result="通过"),
    assessment("2028-03-20", 2027, "优秀"),
    assessment("2029-05-10", 2028, "优秀"),
    assessment("2030-04-01", 2029, "优秀"),
    ev("2030-05-01", "funding", funding_kind="优秀奖励", amount_wan=5),
    ev("2030-09-20", "evaluation", grade="良好"),  # 5 days after acceptance + 3 years
    assessment("2031-07-05", 2030, "良好"),  # 5 days after its 2031-06-30 due date
]

_STEPS_2024 = steps("2024-08-21", "2024-08-22", "2024-08-23", "pub-2024")  # pub-2024: 2024-08-23 … 08-29
_APPROVED_2024 = [application("2024-08-20"), *_STEPS_2024, approval("2024-09-10")]
_FAILED_THEN_EXTENDED = [
    application("2024-08-20"),
    *_STEPS_2024,
    approval("2024-09-02"),
    ev("2024-10-01", "task_book", planned_end="2025-09-02"),
    ev("2025-09-20", "acceptance_application"),
    ev("2025-11-10", "acceptance", result="未通过"),
    ev("2025-12-01", "extension", new_end="2026-09-02", reason="测试用延期原因"),  # after the failure
]
_ACCEPTED_2025 = [
    application("2024-08-10"),
    *_STEPS_2024,
    approval("2024-09-01"),
    ev("2024-09-20", "task_book", planned_end="2025-09-01"),
    ev("2025-09-05", "acceptance_application"),
    ev("2025-10-01", "acceptance", result="通过"),
]

CENTERS: dict[str, tuple[list[Data], Data]] = {
    "life": (LIFE, {}),
    "rejected": (  # a failed review is not public: only the published result is recorded
        [application("2025-06-01"), ev("2025-10-31", "rejection", source={"document_number": "忻科函〔2025〕35号"})],
        {},
    ),
    "withdrawn": (
        [
            application("2026-01-05"),
            ev("2026-03-02", "publicity", notice="pub-2026"),
            ev("2026-03-09", "withdrawal", reason="依托单位撤回"),
        ],
        {},
    ),
    "late2027": ([application("2026-12-01"), ev("2027-03-01", "publicity", notice="pub-2027")], {}),
    "noext": ([*_APPROVED_2024, ev("2024-10-01", "task_book", planned_end="2026-06-30")], {}),
    "failed": (
        [
            *_FAILED_THEN_EXTENDED,
            ev("2026-09-20", "acceptance_application"),
            ev("2026-11-10", "acceptance", result="未通过"),
            revocation("2026-12-20", "第十二条"),
        ],
        {},
    ),
    "failed-noapp": (list(_FAILED_THEN_EXTENDED), {}),
    "extpass": (
        [
            *_APPROVED_2024,
            ev("2024-10-01", "task_book", planned_end="2025-09-10"),
            ev("2025-08-01", "extension", new_end="2026-03-10", reason="测试用延期原因"),
            ev("2026-03-20", "acceptance", result="通过"),
        ],
        {},
    ),  # passed without a recorded application
    "safety": (
        [
            application("2024-09-01"),
            *steps("2024-09-10", "2025-03-01", "2025-05-06", "pub-2025"),  # publicity.date: the notice's own date
            approval("2025-06-15"),
            ev("2027-03-01", "safety_incident", description="实验室发生火灾"),
            revocation("2027-04-01", "第十条"),
        ],
        {},
    ),
    "evalfail": (
        [
            *_ACCEPTED_2025,
            assessment("2026-03-01", 2025, "合格"),
            ev("2026-10-10", "evaluation", grade="不合格"),
            revocation("2026-12-01", "第十九条"),
        ],
        {},
    ),
    "twofail": (
        [
            *_ACCEPTED_2025,
            assessment("2026-03-01", 2025, "不合格"),
            assessment("2027-03-01", 2026, "不合格"),
            revocation("2027-05-01", "第十八条"),
        ],
        {},
    ),
    "gapfail": (
        [*_ACCEPTED_2025, assessment("2026-03-01", 2025, "不合格"), assessment("2028-03-01", 2027, "不合格")],
        {},
    ),
    "trial23": ([application("2023-05-01", "忻科规〔2023〕2号"), approval("2023-09-01")], {}),
    "trialold": ([application("2024-03-01", None), approval("2024-08-03")], {}),
    "newrule": (
        [
            application("2024-03-01", None),
            *steps("2024-03-10", "2024-05-01", "2024-07-15", "pub-2024-07"),
            approval("2024-08-04"),
        ],
        {},
    ),
    # --- from before these measures (第二十一条) ---
    "recog23": (  # recognized in 2023 under the trial measures: no construction, no task book
        [
            application("2023-03-10", "忻科规〔2023〕2号"),
            ev("2023-06-16", "recognition", measures="忻科规〔2023〕2号"),
            assessment("2024-03-20", 2023, "不合格"),  # given before 2024-08-04: shown, not counted
            assessment("2025-03-18", 2024, "不合格"),
            assessment("2026-03-17", 2025, "不合格"),  # the second under these measures: 第十八条
        ],
        {},
    ),
    "old2020": ([approval("2020-06-18")], {}),  # approved under an earlier scheme; nothing else recorded
    "acc2020": (  # approved 2020, accepted 2022, no task book; then judged by 第十八条, 第十九条
        [
            approval("2020-06-18"),
            ev("2022-07-01", "acceptance", result="通过"),
            assessment("2025-03-18", 2024, "优秀"),
            ev("2027-09-01", "evaluation", grade="不合格"),
        ],
        {},
    ),
    "oldtb": (  # approved 2021 with a task book that ended before these measures; no application
        [approval("2021-03-01"), ev("2021-04-01", "task_book", planned_end="2023-03-01")],
        {},
    ),
    "convert": (  # a 市工程技术研究中心 converted under these measures (第四条): newly approved
        [
            application("2025-03-01"),
            *steps("2025-03-10", "2025-04-10", "2025-05-06", "pub-2025"),
            approval("2025-06-10"),
        ],
        {"converted_from": {"name": "忻州市示例演练工程技术研究中心", "approval_year": 2012}},
    ),
    "eligible": (
        [application("2025-05-01")],
        {
            "director": {"title_level": "中级", "age_at_application": 61},
            "application_conditions": {**BASE_CENTER["application_conditions"], "floor_area_m2": 400},
        },
    ),
}
CENTER_DATA = {cid: center_data(cid, i, events, **over) for i, (cid, (events, over)) in enumerate(CENTERS.items())}

NOTICES = {
    "pub-2024-07": ("2024-07-15", {}, ["newrule"]),
    "pub-2024": ("2024-08-23", {}, ["noext", "extpass", "failed", "failed-noapp", "evalfail", "twofail", "gapfail"]),
    "pub-2025": ("2025-05-06", {}, ["convert", "safety"]),
    "life-2024": ("2024-10-30", {}, ["life"]),  # default: 5 working days from the issue date
    "pub-2026": ("2026-03-02", {"start": "2026-03-04", "end": "2026-03-13"}, ["withdrawn"]),  # stated
    "pub-2027": ("2027-03-01", {"working_days": 5}, ["late2027"]),  # past chinese_calendar: provisional
    "pub-7days": ("2025-09-28", {"working_days": 7}, ["rejected"]),  # across National Day 2025
}
OUTCOMES = {"pub-2026": {"result": "无异议", "date": "2026-03-16"}}  # the others never record one
NOTICE_DATA = {
    nid: notice_data(nid, issue, period, [CENTER_DATA[c] for c in cs], OUTCOMES.get(nid))
    for nid, (issue, period, cs) in NOTICES.items()
}

EXPECTED_WARNINGS = Counter(
    {
        ("eligible", "eligibility.director"): 2,  # 中级 title, aged 61
        ("eligible", "eligibility.conditions"): 1,  # 400 m²
        ("life", "acceptance.late-application"): 1,
        ("recog23", "revocation.two-fails"): 1,  # 2024 and 2025, not 2023: 第十八条 from 2024-08-04
        ("acc2020", "revocation.evaluation-fail"): 1,  # 第十九条 for a center approved in 2020
    }
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    root = tmp_path_factory.mktemp("derive")
    folder = root / "registry"
    (folder / "centers").mkdir(parents=True)
    (folder / "notices").mkdir()
    for single in ("registry.yaml", "supervising_units.yaml"):
        (folder / single).write_bytes((SAMPLE_REGISTRY / single).read_bytes())
    shutil.copytree(SAMPLE_REGISTRY / "measures", folder / "measures")
    for cid, data in CENTER_DATA.items():
        (folder / "centers" / f"{cid}.yaml").write_text(
            SCHEMA_LINES["center"] + "\n" + dump_yaml(data), encoding="utf-8"
        )
    for nid, data in NOTICE_DATA.items():
        (folder / "notices" / f"{nid}.yaml").write_text(
            SCHEMA_LINES["notice"] + "\n" + dump_yaml(data), encoding="utf-8"
        )
    result = validate_registry(folder, root)
    assert result.errors == []
    warnings = Counter((Path(f.path).stem, f.rule_id) for f in result.findings)
    assert warnings == EXPECTED_WARNINGS
    assert len(result.registry.centers) == len(CENTERS)
    return result.registry


@pytest.fixture(scope="module")
def periods(world: Registry) -> dict:
    return {n.id: notice_period(n, WorkCalendar.of(world.schedules)) for n in world.notices}


def facts(world: Registry, periods: dict, cid: str, day: str) -> CenterFacts:
    return derive_center(world.center(cid), D(day), periods)


def deadline_table(f: CenterFacts) -> dict[str, tuple]:
    return {
        d.title: (d.due and d.due.isoformat(), d.state, d.days, d.met_on.isoformat() if d.met_on else None)
        for d in f.deadlines
    }


def check_row(f: CenterFacts, status: str, expected: dict[str, tuple | None], flag_ids: set[str]) -> None:
    """Status label, deadlines (title → (due, state, days[, met_on]); None: present, state not
    asserted here) and the set of flag rule ids."""
    assert f.status_label == status
    actual = deadline_table(f)
    assert set(actual) == set(expected), actual
    for title, want in expected.items():
        if want is None:
            continue
        due, state, days, *met = want
        assert actual[title] == (due, state, days, met[0] if met else None), (title, actual[title])
    assert {fl.rule_id for fl in f.flags} == flag_ids, [(fl.rule_id, fl.message) for fl in f.flags]


def test_scenario_registry_is_realistic(world: Registry) -> None:
    """The fixture itself asserts no errors and exactly the expected warnings."""
    assert {c.id for c in world.centers} == set(CENTERS)


# --- 2. the whole life of one center ------------------------------------------------------

PUB = "公示期结束"
BUILD, EXT, APPLY, EVAL = "建设期满", "延期期满", "提出验收申请", "三年评估"
DONE = {  # construction deadlines once the acceptance application is in
    BUILD: ("2026-11-20", "extended", 0, "2026-10-15"),
    EXT: ("2027-05-20", "met", 0, "2027-06-23"),
    APPLY: ("2027-06-20", "met", 0, "2027-06-23"),
}
MET_2027 = ("2028-06-30", "met", 0, "2028-03-20")
MET_2028 = ("2029-06-30", "met", 0, "2029-05-10")
MET_2029 = ("2030-06-30", "met", 0, "2030-04-01")
LATE = "acceptance.late-application"
PRIORITY = "flag.priority"

LIFE_ROWS = [
    # as_of, status, deadlines, flags
    ("2024-09-02", "申报中", {}, set()),
    ("2024-10-29", "申报中", {}, set()),
    # publicity: 5 working days from 2024-10-30 (Wed) is 10-30, 10-31, 11-01, 11-04, 11-05
    ("2024-10-30", "公示中", {PUB: ("2024-11-05", "open", 6)}, set()),
    ("2024-11-05", "公示中", {PUB: ("2024-11-05", "due_today", 0)}, set()),
    ("2024-11-06", "待批准", {PUB: ("2024-11-05", "passed", 1)}, set()),
    ("2024-11-19", "待批准", {PUB: ("2024-11-05", "passed", 14)}, set()),
    # approval: no task book yet, so the end is approval + 2 years
    ("2024-11-20", "建设中", {BUILD: ("2026-11-20", "open", 730), APPLY: ("2026-12-20", "open", 760)}, set()),
    ("2024-12-10", "建设中", {BUILD: ("2026-11-20", "open", 710), APPLY: ("2026-12-20", "open", 740)}, set()),
    ("2026-10-14", "建设中", {BUILD: ("2026-11-20", "open", 37), APPLY: ("2026-12-20", "open", 67)}, set()),
    # extension approved before the planned end
    (
        "2026-10-15",
        "建设中",
        {
            BUILD: ("2026-11-20", "extended", 0, "2026-10-15"),
            EXT: ("2027-05-20", "open", 217),
            APPLY: ("2027-06-20", "open", 248),
        },
        set(),
    ),
    (
        "2026-11-20",
        "建设中",
        {
            BUILD: ("2026-11-20", "extended", 0, "2026-10-15"),
            EXT: ("2027-05-20", "open", 181),
            APPLY: ("2027-06-20", "open", 212),
        },
        set(),
    ),
    (
        "2026-11-21",
        "延期建设",
        {
            BUILD: ("2026-11-20", "extended", 0, "2026-10-15"),
            EXT: ("2027-05-20", "open", 180),
            APPLY: ("2027-06-20", "open", 211),
        },
        set(),
    ),
    (
        "2027-05-20",
        "延期建设",
        {BUILD: DONE[BUILD], EXT: ("2027-05-20", "due_today", 0), APPLY: ("2027-06-20", "open", 31)},
        set(),
    ),
    # after the extension's end: the period end itself is asserted in test_period_end_passes_not_lapses
    ("2027-05-21", "待验收", {BUILD: DONE[BUILD], EXT: None, APPLY: ("2027-06-20", "open", 30)}, set()),
    ("2027-06-20", "待验收", {BUILD: DONE[BUILD], EXT: None, APPLY: ("2027-06-20", "due_today", 0)}, set()),
    (
        "2027-06-21",
        "待验收",
        {BUILD: DONE[BUILD], EXT: None, APPLY: ("2027-06-20", "overdue", 1)},
        {"revocation.extension-expired"},
    ),
    (
        "2027-06-22",
        "待验收",
        {BUILD: DONE[BUILD], EXT: None, APPLY: ("2027-06-20", "overdue", 2)},
        {"revocation.extension-expired"},
    ),
    # the (late) application meets both; the validator's lateness warning becomes a flag
    # the late application does not clear the revocation due under 第十二条: only a pass does
    ("2027-06-23", "待验收", DONE, {LATE, "revocation.extension-expired"}),
    ("2027-09-14", "待验收", DONE, {LATE, "revocation.extension-expired"}),
    # acceptance 通过: in the municipal sequence; evaluation at +3 years, assessment from this year
    (
        "2027-09-15",
        "已认定运行",
        {**DONE, EVAL: ("2030-09-15", "open", 1096), "2027年度绩效考核": ("2028-06-30", "open", 289)},
        {LATE},
    ),
    (
        "2028-03-20",
        "已认定运行",
        {
            **DONE,
            EVAL: ("2030-09-15", "open", 909),
            "2027年度绩效考核": MET_2027,
            "2028年度绩效考核": ("2029-06-30", "open", 467),
        },
        {LATE, PRIORITY},
    ),
    (
        "2029-06-30",
        "已认定运行",
        {
            **DONE,
            EVAL: ("2030-09-15", "open", 442),
            "2027年度绩效考核": MET_2027,
            "2028年度绩效考核": MET_2028,
            "2029年度绩效考核": ("2030-06-30", "open", 365),
        },
        {LATE, PRIORITY},
    ),
    (
        "2030-09-15",
        "已认定运行",
        {
            **DONE,
            EVAL: ("2030-09-15", "due_today", 0),
            "2027年度绩效考核": MET_2027,
            "2028年度绩效考核": MET_2028,
            "2029年度绩效考核": MET_2029,
            "2030年度绩效考核": ("2031-06-30", "open", 288),
        },
        {LATE, PRIORITY},
    ),
    (
        "2030-09-16",
        "已认定运行",
        {
            **DONE,
            EVAL: ("2030-09-15", "overdue", 1),
            "2027年度绩效考核": MET_2027,
            "2028年度绩效考核": MET_2028,
            "2029年度绩效考核": MET_2029,
            "2030年度绩效考核": ("2031-06-30", "open", 287),
        },
        {LATE, PRIORITY},
    ),
    # the evaluation recorded: the next one is 3 years after it, not after the due date
    (
        "2030-09-20",
        "已认定运行",
        {
            **DONE,
            EVAL: ("2033-09-20", "open", 1096),
            "2027年度绩效考核": MET_2027,
            "2028年度绩效考核": MET_2028,
            "2029年度绩效考核": MET_2029,
            "2030年度绩效考核": ("2031-06-30", "open", 283),
        },
        {LATE, PRIORITY},
    ),
    (
        "2031-06-30",
        "已认定运行",
        {
            **DONE,
            EVAL: ("2033-09-20", "open", 813),
            "2027年度绩效考核": MET_2027,
            "2028年度绩效考核": MET_2028,
            "2029年度绩效考核": MET_2029,
            "2030年度绩效考核": ("2031-06-30", "due_today", 0),
            "2031年度绩效考核": ("2032-06-30", "open", 366),
        },
        {LATE, PRIORITY},
    ),
    (
        "2031-07-01",
        "已认定运行",
        {
            **DONE,
            EVAL: ("2033-09-20", "open", 812),
            "2027年度绩效考核": MET_2027,
            "2028年度绩效考核": MET_2028,
            "2029年度绩效考核": MET_2029,
            "2030年度绩效考核": ("2031-06-30", "overdue", 1),
            "2031年度绩效考核": ("2032-06-30", "open", 365),
        },
        {LATE, PRIORITY},
    ),
    # recorded late: met, with the day it was met; the latest grade is 良好, so no priority flag
    (
        "2031-07-05",
        "已认定运行",
        {
            **DONE,
            EVAL: ("2033-09-20", "open", 808),
            "2027年度绩效考核": MET_2027,
            "2028年度绩效考核": MET_2028,
            "2029年度绩效考核": MET_2029,
            "2030年度绩效考核": ("2031-06-30", "met", 0, "2031-07-05"),
            "2031年度绩效考核": ("2032-06-30", "open", 361),
        },
        {LATE},
    ),
]


@pytest.mark.parametrize("as_of, status, expected, flag_ids", LIFE_ROWS, ids=[r[0] for r in LIFE_ROWS])
def test_life_cycle(
    world: Registry, periods: dict, as_of: str, status: str, expected: dict, flag_ids: set[str]
) -> None:
    """status; deadline.publicity-end, deadline.construction-end, deadline.extension-end,
    deadline.acceptance-application, deadline.evaluation, deadline.annual-assessment;
    dates.calendar (the due day is not overdue; the next day is, by 1); flag.priority;
    revocation.extension-expired; acceptance.late-application as a flag."""
    check_row(facts(world, periods, "life", as_of), status, expected, flag_ids)


def test_life_status_history(world: Registry, periods: dict) -> None:
    """status: the life line as dated intervals, each starting on the day its status begins."""
    history = status_history(world.center("life"), D("2031-07-05"), periods)
    assert [(i.label, i.start.isoformat(), i.end and i.end.isoformat()) for i in history] == [
        ("申报中", "2024-09-02", "2024-10-29"),
        ("公示中", "2024-10-30", "2024-11-05"),
        ("待批准", "2024-11-06", "2024-11-19"),
        ("建设中", "2024-11-20", "2026-11-20"),
        ("延期建设", "2026-11-21", "2027-05-20"),
        ("待验收", "2027-05-21", "2027-09-14"),
        ("已认定运行", "2027-09-15", None),
    ]
    early = status_history(world.center("life"), D("2024-11-06"), periods)
    assert [(i.label, i.end) for i in early][-1] == ("待批准", None)
    assert status_history(world.center("life"), D("2024-09-01"), periods) == []


def test_statuses_replayed_in_one_pass_equal_status_on_day_by_day(world: Registry, periods: dict) -> None:
    """status: the life line replays the events once instead of asking status_on for each day;
    on every day the replay answers as status_on does, also for an event list that is not the
    record as read (a later round alone, or events out of date order: the literal path)."""
    life, rejected = world.center("life"), world.center("rejected")
    swapped = replace(life, events=(life.events[1], life.events[0], *life.events[2:]))
    n = len(rejected.events)
    again = replace(
        rejected,
        events=(
            *rejected.events,
            *(  # a second round after the rejection
                Event(n + i, D(day), kind, fields)
                for i, (day, kind, fields) in enumerate(
                    [
                        ("2026-01-05", "application", {}),
                        ("2026-03-02", "approval", {}),
                        ("2027-12-01", "extension", {"new_end": "2028-09-30"}),
                        ("2028-10-10", "acceptance", {"result": "通过"}),
                    ]
                )
            ),
        ),
    )
    centers = [*world.centers, again, again.current(), swapped]
    days = [D("2024-08-01") + dt.timedelta(days=n) for n in range(0, 7 * 366, 3)]
    for center in centers:
        assert list(statuses_on(center, days, periods)) == [status_on(center, d, periods) for d in days], center.id


def test_deadline_states_and_articles(world: Registry, periods: dict) -> None:
    """Every deadline cites its article and has a Chinese state label; is_open covers overdue."""
    for day in ("2024-11-01", "2026-11-21", "2027-06-21", "2031-07-01"):
        for d in facts(world, periods, "life", day).deadlines:
            assert d.article in ("第十二条", "第十八条", "第十九条")
            assert d.state_label == DEADLINE_STATES[d.state]
            assert d.is_open == (d.state in ("open", "due_today", "overdue"))
    f = facts(world, periods, "life", "2026-11-21")
    assert f.next_deadline is not None and f.next_deadline.title == EXT
    assert [d.title for d in f.open_deadlines] == [EXT, APPLY]  # 建设期满 is 已延期: not open


@pytest.mark.parametrize(
    "as_of, expected",
    [
        ("2027-05-21", ("2027-05-20", "passed", 1)),
        ("2027-06-20", ("2027-05-20", "passed", 31)),
        ("2027-06-22", ("2027-05-20", "passed", 33)),
    ],
)
def test_period_end_passes_not_lapses(world: Registry, periods: dict, as_of: str, expected: tuple) -> None:
    """deadline.extension-end: the end of a (construction or extension) period is a date that
    passes (已届满), not an obligation that lapses (已逾期): the host has a further month to
    apply (deadline.acceptance-application), and on 2027-05-21 it is not late at all.
    `_deadline`'s own docstring says `passes` is for "a period's end"."""
    f = facts(world, periods, "life", as_of)
    table = deadline_table(f)
    assert table[EXT][:3] == expected
    assert table[APPLY][1] in ("open", "due_today", "overdue")
    assert f.next_deadline.title == APPLY  # the most pressing deadline is the application


def test_construction_end_without_extension_passes_not_lapses(world: Registry, periods: dict) -> None:
    """deadline.construction-end: the same for a period that was not extended (see above)."""
    table = deadline_table(facts(world, periods, "noext", "2026-07-01"))
    assert table[BUILD][:3] == ("2026-06-30", "passed", 1)
    assert table[APPLY][:3] == ("2026-07-30", "open", 29)


# --- 2. other paths and end states ---------------------------------------------------------

OTHER_ROWS = [
    # cid, as_of, status, deadlines, flags
    ("rejected", "2025-10-30", "申报中", {}, set()),
    ("rejected", "2025-10-31", "未获批准", {}, set()),
    ("rejected", "2031-01-01", "未获批准", {}, set()),
    ("withdrawn", "2026-03-06", "公示中", {PUB: ("2026-03-13", "open", 7)}, set()),
    ("withdrawn", "2026-03-09", "已撤回", {}, set()),
    ("withdrawn", "2026-03-16", "已撤回", {}, set()),
    ("late2027", "2027-03-05", "公示中", {PUB: ("2027-03-05", "due_today", 0)}, set()),
    ("late2027", "2027-03-06", "待批准", {PUB: ("2027-03-05", "passed", 1)}, set()),
    # not extended: the planned end (task book, earlier than 2 years) then 1 month to apply
    (
        "noext",
        "2026-06-30",
        "建设中",
        {BUILD: ("2026-06-30", "due_today", 0), APPLY: ("2026-07-30", "open", 30)},
        set(),
    ),
    ("noext", "2026-07-01", "待验收", {BUILD: None, APPLY: ("2026-07-30", "open", 29)}, set()),
    ("noext", "2026-07-30", "待验收", {BUILD: None, APPLY: ("2026-07-30", "due_today", 0)}, set()),
    (
        "noext",
        "2026-07-31",
        "待验收",
        {BUILD: None, APPLY: ("2026-07-30", "overdue", 1)},
        {"acceptance.application-overdue"},
    ),
    # acceptance 未通过, then an extension approved after it: back to construction
    (
        "failed",
        "2025-11-10",
        "验收未通过",
        {BUILD: ("2025-09-02", "met", 0, "2025-09-20"), APPLY: ("2025-10-02", "met", 0, "2025-09-20")},
        set(),
    ),
    ("failed", "2025-11-30", "验收未通过", {BUILD: None, APPLY: None}, set()),
    (
        "failed",
        "2025-12-01",
        "延期建设",
        {BUILD: ("2025-09-02", "extended", 0, "2025-12-01"), EXT: None, APPLY: None},
        set(),
    ),
    ("failed", "2026-09-02", "延期建设", {BUILD: None, EXT: None, APPLY: None}, set()),
    ("failed", "2026-09-03", "待验收", {BUILD: None, EXT: None, APPLY: None}, set()),
    # failed again after the extension: 第十二条 says revoke
    ("failed", "2026-11-10", "验收未通过", {BUILD: None, EXT: None, APPLY: None}, {"revocation.extension-expired"}),
    ("failed", "2026-12-20", "已撤销", {}, set()),
    ("safety", "2026-11-27", "建设中", {BUILD: None, APPLY: None}, set()),
    ("safety", "2027-02-28", "建设中", {BUILD: None, APPLY: None}, set()),
    ("safety", "2027-03-01", "建设中", {BUILD: None, APPLY: None}, {"revocation.safety"}),
    ("safety", "2027-04-01", "已撤销", {}, set()),
    (
        "evalfail",
        "2026-10-09",
        "已认定运行",
        {
            BUILD: None,
            APPLY: None,
            EVAL: ("2028-10-01", "open", 723),
            "2025年度绩效考核": ("2026-06-30", "met", 0, "2026-03-01"),
            "2026年度绩效考核": ("2027-06-30", "open", 264),
        },
        set(),
    ),
    (
        "evalfail",
        "2026-10-10",
        "已认定运行",
        {
            BUILD: None,
            APPLY: None,
            EVAL: ("2029-10-10", "open", 1096),
            "2025年度绩效考核": None,
            "2026年度绩效考核": None,
        },
        {"revocation.evaluation-fail"},
    ),
    ("evalfail", "2026-12-01", "已撤销", {}, set()),
    (
        "twofail",
        "2027-02-28",
        "已认定运行",
        {
            BUILD: None,
            APPLY: None,
            EVAL: None,
            "2025年度绩效考核": None,
            "2026年度绩效考核": None,
            "2027年度绩效考核": None,
        },
        set(),
    ),
    (
        "twofail",
        "2027-03-01",
        "已认定运行",
        {
            BUILD: None,
            APPLY: None,
            EVAL: None,
            "2025年度绩效考核": None,
            "2026年度绩效考核": ("2027-06-30", "met", 0, "2027-03-01"),
            "2027年度绩效考核": None,
        },
        {"revocation.two-fails"},
    ),
    ("twofail", "2027-05-01", "已撤销", {}, set()),
    ("twofail", "2030-01-01", "已撤销", {}, set()),
    # a year without an assessment breaks the run: no flag, and that year is overdue
    (
        "gapfail",
        "2028-03-01",
        "已认定运行",
        {
            BUILD: None,
            APPLY: None,
            EVAL: None,
            "2025年度绩效考核": None,
            "2026年度绩效考核": ("2027-06-30", "overdue", 245),
            "2027年度绩效考核": ("2028-06-30", "met", 0, "2028-03-01"),
            "2028年度绩效考核": None,
        },
        set(),
    ),
    ("eligible", "2025-05-01", "申报中", {}, {"eligibility.director", "eligibility.conditions"}),
    # approved before 2024-08-04 without a task book: no period is assumed, nothing is overdue
    ("trial23", "2023-09-01", "建设中", {BUILD: (None, "unknown", 0)}, {"policy.transition"}),
    ("trial23", "2031-01-01", "建设中", {BUILD: (None, "unknown", 0)}, {"policy.transition"}),
    ("trialold", "2024-08-03", "建设中", {BUILD: (None, "unknown", 0)}, {"policy.transition"}),
    ("newrule", "2024-08-04", "建设中", {BUILD: None, APPLY: None}, set()),
    (
        "extpass",
        "2026-03-20",
        "已认定运行",
        {
            BUILD: None,
            EXT: ("2026-03-10", "met", 0, "2026-03-20"),
            APPLY: ("2026-04-10", "met", 0, "2026-03-20"),
            EVAL: None,
            "2026年度绩效考核": None,
        },
        set(),
    ),
]


@pytest.mark.parametrize(
    "cid, as_of, status, expected, flag_ids", OTHER_ROWS, ids=[f"{r[0]}-{r[1]}" for r in OTHER_ROWS]
)
def test_other_paths(
    world: Registry, periods: dict, cid: str, as_of: str, status: str, expected: dict, flag_ids: set[str]
) -> None:
    """status (未获批准, 已撤回, 已撤销, 验收未通过, back to 延期建设 after a later extension);
    acceptance.application-overdue; revocation.extension-expired after a failed acceptance
    post-extension; revocation.safety, revocation.evaluation-fail, revocation.two-fails;
    policy.transition; no deadlines after a terminal event."""
    check_row(facts(world, periods, cid, as_of), status, expected, flag_ids)


def test_publicity_status_waits_for_the_period_to_start(world: Registry, periods: dict) -> None:
    """status: the rule defines 公示中 as "所在公示的公示期内". Notice pub-2026 was issued on
    2026-03-02 but its stated period runs 2026-03-04 … 03-13; on 03-03 the notice itself is
    即将开始 (notice.state), so the center is not yet 公示中."""
    f = facts(world, periods, "withdrawn", "2026-03-03")
    assert periods["pub-2026"].state(D("2026-03-03")) == "upcoming"
    assert f.status_label == "申报中"
    assert facts(world, periods, "withdrawn", "2026-03-04").status_label == "公示中"


def test_failed_acceptance_then_extension_needs_a_new_application_flag(world: Registry, periods: dict) -> None:
    """revocation.extension-expired: acceptance failed, the Bureau extended construction, the
    extension ended on 2026-09-02 and nobody applied again by 2026-10-02. The application of
    2025-09-20 was for the failed acceptance; it cannot count for the extended period."""
    on_due = facts(world, periods, "failed-noapp", "2026-10-02")
    assert "revocation.extension-expired" not in {f.rule_id for f in on_due.flags}
    after = facts(world, periods, "failed-noapp", "2026-10-03")
    assert "revocation.extension-expired" in {f.rule_id for f in after.flags}


def test_failed_acceptance_then_extension_application_deadline(world: Registry, periods: dict) -> None:
    """deadline.acceptance-application: after an extension granted for a failed acceptance the
    application due 1 month after the extension's end is open/overdue, not met by the old one."""
    table = deadline_table(facts(world, periods, "failed-noapp", "2026-10-03"))
    assert table[APPLY][:3] == ("2026-10-02", "overdue", 1)
    assert table[EXT][1] != "met"


def test_extension_then_acceptance_passed_without_application_is_not_flagged(world: Registry, periods: dict) -> None:
    """revocation.extension-expired: a center that passed acceptance after its extension is in
    the municipal sequence; the deadline code already counts the 通过 as meeting the
    application deadline, the flag must too."""
    f = facts(world, periods, "extpass", "2026-05-01")
    assert f.status_label == "已认定运行"
    assert deadline_table(f)[APPLY][1] == "met"
    assert "revocation.extension-expired" not in {fl.rule_id for fl in f.flags}


def test_flags_carry_their_articles(world: Registry, periods: dict) -> None:
    """Each flag cites the article of its rule (revocation.* 第十条/第十二条/第十八条/第十九条 …)."""
    cases = {
        ("twofail", "2027-03-01", "revocation.two-fails"): (
            "第十八条",
            "应予撤销",
            "2025、2026 年度考核连续两年不合格",
        ),
        ("evalfail", "2026-10-10", "revocation.evaluation-fail"): ("第十九条", "应予撤销", "2026-10-10 评估不合格"),
        ("safety", "2027-03-01", "revocation.safety"): ("第十条", "应予撤销", "2027-03-01 记录了安全事故"),
        ("life", "2027-06-21", "revocation.extension-expired"): ("第十二条", "应予撤销", "延期已于 2027-05-20 期满"),
        ("failed", "2026-11-10", "revocation.extension-expired"): ("第十二条", "应予撤销", "2026-11-10 验收未通过"),
        ("noext", "2026-07-31", "acceptance.application-overdue"): ("第十二条", "逾期", "2026-07-30 前提出验收申请"),
        ("life", "2028-03-20", "flag.priority"): ("第十八条", "优先支持", "2027年度考核优秀"),
        ("trial23", "2024-01-01", "policy.transition"): (
            "第二十一条",
            "适用办法",
            "依据《忻州市技术创新中心管理办法（试行）》（忻科规〔2023〕2号）批准建设",
        ),
        ("trialold", "2024-08-03", "policy.transition"): (
            "第二十一条",
            "适用办法",
            "于 2024-08-03 批准建设（记录未写明当时适用的办法），早于本办法施行（2024-08-04）",
        ),
        ("recog23", "2024-01-01", "policy.transition"): (
            "第二十一条",
            "适用办法",
            "2023-06-16 依据《忻州市技术创新中心管理办法（试行）》",
        ),
        ("eligible", "2025-05-01", "eligibility.director"): ("第九条", "申报条件", "超过60周岁"),
        ("eligible", "2025-05-01", "eligibility.conditions"): ("第九条", "申报条件", "400 平方米"),
        ("life", "2027-06-23", "acceptance.late-application"): ("第十二条", "逾期", "2027-06-23 提出"),
    }
    for (cid, day, rule_id), (article, kind, text) in cases.items():
        found = [f for f in facts(world, periods, cid, day).flags if f.rule_id == rule_id]
        assert found, (cid, day, rule_id)
        assert all(f.article == article and f.kind_label == kind for f in found), (rule_id, found)
        assert any(text in f.message for f in found), (rule_id, [f.message for f in found])
        if kind == "应予撤销":  # never worded like a decision
            assert all(f.statement == f"按{article}应予撤销（本站推算，以市科技局决定为准）" for f in found)
            assert all("应撤销资格" not in f.message for f in found)


def test_director_flags_are_two(world: Registry, periods: dict) -> None:
    """第九条: both the title and the age of the director are flagged."""
    messages = [
        f.message for f in facts(world, periods, "eligible", "2025-06-01").flags if f.rule_id == "eligibility.director"
    ]
    assert len(messages) == 2 and any("中级" in t for t in messages) and any("61" in t for t in messages)


def test_every_flag_rule_has_a_kind() -> None:
    """Warnings of the validator and the dated checks all map to a flag kind with a label (a missing
    source is shown beside its fact, not as a flag)."""
    ids = [i for i in CENTER_CHECKS if rule(i).severity == Severity.WARNING and not i.startswith("source.")]
    ids += list(DATED_CHECKS)
    for rule_id in ids:
        flag = Flag(rule_id, "x")
        assert flag.kind in FLAG_KINDS and flag.kind_label == FLAG_KINDS[flag.kind]
        assert flag.title == RULES[rule_id].title


def test_future_events_are_ignored(world: Registry, periods: dict) -> None:
    """Events after the as-of date do not count: the 2027 safety incident and revocation of
    `safety` are unknown on 2026-11-27; for every center and many dates, the facts equal those
    derived from the record cut at that date."""
    f = facts(world, periods, "safety", "2026-11-27")
    assert f.status_label == "建设中" and f.flags == ()
    assert f.center.events[-1].date > D("2026-11-27")  # the record itself is whole
    for center in world.centers:
        for day in ("2024-11-05", "2025-10-01", "2026-11-27", "2027-06-21", "2028-03-01", "2030-09-16"):
            full = derive_center(center, D(day), periods)
            cut = derive_center(center.until(D(day)), D(day), periods)
            assert (full.status, full.history, full.deadlines, full.ratings, full.funding, full.flags) == (
                cut.status,
                cut.history,
                cut.deadlines,
                cut.ratings,
                cut.funding,
                cut.flags,
            ), (center.id, day)


def test_no_deadlines_or_revocation_flags_after_a_terminal_event(world: Registry, periods: dict) -> None:
    """status: 已撤销/已撤回/未获批准 end the life: no deadlines, no revocation or lateness flags."""
    for cid, day in (
        ("failed", "2027-01-01"),
        ("safety", "2028-01-01"),
        ("evalfail", "2030-01-01"),
        ("twofail", "2031-01-01"),
        ("withdrawn", "2027-01-01"),
        ("rejected", "2027-01-01"),
    ):
        f = facts(world, periods, cid, day)
        assert f.status in ("revoked", "withdrawn", "rejected")
        assert f.deadlines == () and f.next_deadline is None
        assert not [fl for fl in f.flags if fl.kind in ("revocation", "late", "priority")]


# --- 3. ratings and funding ----------------------------------------------------------------


def rated(grades: list[tuple[int, str]], grants: list[Data] = ()) -> Center:
    """An accepted center (approved under these measures, 2024-09-01) with these annual grades,
    each recorded on 15 March of the following year."""
    events = [
        application("2024-08-10", None),
        approval("2024-09-01"),
        ev("2024-09-20", "task_book", planned_end="2024-12-01"),
        ev("2024-12-05", "acceptance_application"),
        ev("2024-12-20", "acceptance", result="通过"),
    ]
    events += [assessment(f"{year + 1}-03-15", year, grade) for year, grade in grades]
    events += list(grants)
    events.sort(key=lambda e: e["date"])
    return center_of(center_data("rated", 0, events))


EX, GOOD, OK, BASIC, FAIL = "优秀", "良好", "合格", "基本合格", "不合格"


def _years(*grades: str | None, start: int = 2025) -> list[tuple[int, str]]:
    """Consecutive years from `start`; None leaves a year without an assessment."""
    return [(start + i, g) for i, g in enumerate(grades) if g is not None]


@pytest.mark.parametrize(
    "grades, awards, excellent_streak, fail_streak",
    [
        (_years(EX, EX), [], 2, 0),
        (_years(EX, EX, EX), [2027], 3, 0),  # one award, due in the 3rd year
        (_years(EX, EX, EX, EX, EX), [2027], 5, 0),  # 5 → still one
        (_years(EX, EX, EX, EX, EX, EX), [2027, 2030], 6, 0),  # 6 → two
        (_years(EX, EX, GOOD, EX, EX, EX), [2030], 3, 0),  # the run restarts: one, in year 6
        (_years(EX, EX, None, EX), [], 1, 0),  # a missing year breaks the streak
        (_years(EX, EX, None, EX, EX, EX), [2030], 3, 0),
        (_years(EX, EX, EX, GOOD), [2027], 0, 0),
        (_years(FAIL, FAIL), [], 0, 2),
        (_years(FAIL, None, FAIL), [], 0, 1),
        (_years(FAIL, BASIC, FAIL), [], 0, 1),
        (_years(OK, FAIL, FAIL, FAIL), [], 0, 3),
        ([], [], 0, 0),
    ],
)
def test_streaks_and_award_years(grades: list, awards: list[int], excellent_streak: int, fail_streak: int) -> None:
    """rating.streak: consecutive means adjacent assessed years; funding.award: every 3rd year of a run of 优秀."""
    center = rated(grades)
    assert m.award_years(center) == awards
    r = ratings(center)
    assert (r.excellent_streak, r.fail_streak) == (excellent_streak, fail_streak)
    assert [g.label for g in r.annual] == [f"{y}年度" for y, _ in sorted(grades)]
    if grades:
        assert r.latest.grade == sorted(grades)[-1][1]
        assert r.by_year()[grades[0][0]] == grades[0][1]
    assert 1999 not in r.by_year()


@pytest.mark.parametrize(
    "grades, trigger",
    [
        (_years(FAIL, FAIL), [2025, 2026]),
        (_years(FAIL, None, FAIL), None),  # gap year: not consecutive (rules page says so)
        (_years(GOOD, FAIL, FAIL, FAIL), [2026, 2027]),
        (_years(FAIL, OK, FAIL), None),
    ],
)
def test_fail_trigger(grades: list, trigger: list[int] | None) -> None:
    """rating.streak with 第十八条: the first two consecutive 不合格 years."""
    assert m.fail_trigger(rated(grades)) == trigger


def test_runs_need_adjacent_years() -> None:
    """rating.streak: runs of one grade over assessed years; a year not assessed ends a run."""
    center = rated(_years(EX, EX, None, EX, GOOD, EX))
    assert m.runs(m.annual_grades(center), EX) == [[2025, 2026], [2028], [2030]]
    assert m.runs(m.annual_grades(center), GOOD) == [[2029]]


def test_funding_entitlements_and_grants() -> None:
    """funding.construction (10万元 on approval) and funding.award (5万元 per award), with
    outstanding versus granted read from the funding events."""
    grants = [
        ev("2024-10-01", "funding", funding_kind="建设经费", amount_wan=10),
        ev("2028-05-01", "funding", funding_kind="优秀奖励", amount_wan=5),
        ev("2029-01-10", "funding", funding_kind="其他", amount_wan=3),
    ]
    center = rated(_years(EX, EX, EX, EX, EX, EX), grants)
    f = funding(center)
    assert [(e.kind, e.amount_wan, e.granted is not None) for e in f.entitlements] == [
        ("建设经费", 10, True),
        ("优秀奖励", 5, True),
        ("优秀奖励", 5, False),
    ]
    assert "2024-09-01 批准建设" in f.entitlements[0].due_on
    assert [e.due_on for e in f.entitlements[1:]] == ["截至2027年度连续3年考核优秀", "截至2030年度连续3年考核优秀"]
    assert f.granted_wan == 18
    assert [(e.kind, e.amount_wan) for e in f.outstanding] == [("优秀奖励", 5)]
    assert f.entitlements[1].granted.date == D("2028-05-01")


def test_funding_before_approval_and_without_grants(world: Registry, periods: dict) -> None:
    """funding.construction: nothing is due before approval; once approved, 10万元 is outstanding until granted."""
    assert facts(world, periods, "life", "2024-11-19").funding.entitlements == ()
    f = facts(world, periods, "life", "2024-11-20").funding
    assert [(e.kind, e.amount_wan) for e in f.outstanding] == [("建设经费", 10)] and f.granted_wan == 0
    f = facts(world, periods, "life", "2025-01-10").funding
    assert f.outstanding == () and f.granted_wan == 10
    f = facts(world, periods, "life", "2030-04-01").funding  # the third 优秀 is recorded: award due
    assert [(e.kind, e.due_on) for e in f.outstanding] == [("优秀奖励", "截至2029年度连续3年考核优秀")]
    f = facts(world, periods, "life", "2030-05-01").funding
    assert f.outstanding == () and f.granted_wan == 15
    r = facts(world, periods, "life", "2030-09-20").ratings
    assert r.excellent_streak == 3 and [g.grade for g in r.evaluations] == ["良好"]


# --- 4. policy -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, expected",
    [
        ("2024-08-03", "自 2024-08-04 起施行"),
        ("2024-08-04", None),
        ("2026-11-27", None),
        ("2029-08-03", None),
        ("2029-08-04", "已于 2029-08-03 期满"),
    ],
)
def test_policy_notes(day: str, expected: str | None) -> None:
    """policy.validity (第二十一条): in force 2024-08-04 … 2029-08-03; a note outside it."""
    notes = list(policy_notes(D(day)))
    if expected is None:
        assert notes == []
    else:
        assert len(notes) == 1 and expected in notes[0] and m.IMPLEMENTED in notes[0] and "（第二十一条）" in notes[0]


def test_policy_notes_reach_the_registry_facts(world: Registry) -> None:
    """policy.validity: derive() carries the note for the as-of date."""
    assert derive(world, D("2029-08-04")).policy != ()
    assert derive(world, D("2026-11-27")).policy == ()


def test_legacy_and_the_measures_a_center_was_set_up_under(world: Registry) -> None:
    """policy.transition: set up before 2024-08-04 (or under measures the record names) is legacy;
    the measures are the ones named by the approval or recognition, else by the application."""
    trial = "忻科规〔2023〕2号"
    under = {cid: m.established_under(world.center(cid)) for cid in ("trial23", "recog23", "trialold", "old2020")}
    assert {cid: u.number if u else None for cid, u in under.items()} == {
        "trial23": trial,  # the approval names none, the application does
        "recog23": trial,
        "trialold": None,  # 2024-08-03, nothing named: not guessed
        "old2020": None,
    }
    assert all(m.legacy(world.center(cid)) for cid in under)
    assert not any(m.legacy(world.center(cid)) for cid in ("newrule", "life", "convert", "rejected"))
    assert m.established_under(world.center("newrule")).number == m.IMPLEMENTED


# --- 7. notices --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "notice_id, start, end, working_days, provisional, stated",
    [
        ("life-2024", "2024-10-30", "2024-11-05", 5, False, False),  # default 5 working days
        ("pub-2026", "2026-03-04", "2026-03-13", 8, False, True),  # stated start and end
        ("pub-2027", "2027-03-01", "2027-03-05", 5, True, False),  # past chinese_calendar: statutory rule, provisional
        ("pub-7days", "2025-09-28", "2025-10-13", 7, False, False),  # stated length, across National Day
    ],
)
def test_notice_periods(
    world: Registry, notice_id: str, start: str, end: str, working_days: int, provisional: bool, stated: bool
) -> None:
    """notice.period-default: 5 working days counting the issue date unless the notice says
    otherwise; dates.working-days: holidays and 调休 days count as the State Council set them."""
    p = notice_period(world.notice(notice_id), WorkCalendar.of(world.schedules))
    assert (p.start, p.end, p.working_days, p.provisional, p.stated) == (
        D(start),
        D(end),
        working_days,
        provisional,
        stated,
    )


@pytest.mark.parametrize(
    "notice_id, day, state, left",
    [
        ("life-2024", "2024-10-29", None, 0),  # issued 10-30: not yet published on 10-29
        ("life-2024", "2024-10-30", "active", 5),  # the as-of day counts
        ("life-2024", "2024-11-01", "active", 3),  # Fri: 11-01, 11-04, 11-05
        ("life-2024", "2024-11-02", "active", 2),  # Sat: 11-04, 11-05
        ("life-2024", "2024-11-05", "active", 1),
        ("life-2024", "2024-11-06", "result_pending", 0),  # ended, and no outcome is ever recorded
        ("life-2024", "2029-01-01", "result_pending", 0),
        ("pub-2026", "2026-03-03", "upcoming", 8),  # issued 03-02, runs from 03-04
        ("pub-2026", "2026-03-04", "active", 8),
        ("pub-2026", "2026-03-13", "active", 1),
        ("pub-2026", "2026-03-14", "result_pending", 0),  # its outcome is dated 03-16: not known yet
        ("pub-2026", "2026-03-15", "result_pending", 0),
        ("pub-2026", "2026-03-16", "ended", 0),  # the outcome's own date: known from then on
        ("pub-2026", "2027-01-01", "ended", 0),
        ("pub-2027", "2027-03-03", "active", 3),
        ("pub-7days", "2025-09-30", "active", 5),  # 9-30, 10-9, 10-10, 10-11 (Sat, 调休), 10-13
        ("pub-7days", "2025-10-05", "active", 4),
    ],
)
def test_notice_state(world: Registry, notice_id: str, day: str, state: str, left: int) -> None:
    """notice.state: upcoming / active / ended; working days left count the as-of day itself.
    notice.result-pending: ended without an outcome known on the day is 结果待公布.
    A notice issued after the as-of date is not known yet (state None: not in the facts)."""
    facts_ = derive(world, D(day))
    n = next((n for n in facts_.notices if n.id == notice_id), None)
    if state is None:
        assert n is None
        return
    assert (n.state, n.working_days_left) == (state, left)
    assert n.state_label == NOTICE_STATES[state]
    assert (n.outcome is not None) == (state == "ended")  # known exactly when the state says so
    if n.outcome:
        assert dict(n.outcome) == OUTCOMES[notice_id]


def test_result_pending_is_an_ended_period_without_a_known_outcome(world: Registry) -> None:
    """notice.result-pending on one period: before and during it the outcome does not matter;
    after it, 结果待公布 until an outcome dated on or before the day is recorded."""
    period = notice_period(world.notice("pub-2026"), WorkCalendar.of(world.schedules))  # 03-04 … 03-13
    outcome = {"result": "无异议", "date": "2026-03-16"}
    assert [notice_state(period, outcome, D(day)) for day in ("2026-03-03", "2026-03-13", "2026-03-14")] == [
        "upcoming",
        "active",
        "ended",  # the caller passes only an outcome known on the day: see known_outcome
    ]
    assert [notice_state(period, None, D(day)) for day in ("2026-03-03", "2026-03-13", "2026-03-14")] == [
        "upcoming",
        "active",
        "result_pending",
    ]
    notice = world.notice("pub-2026")
    assert known_outcome(notice, D("2026-03-15")) is None
    assert known_outcome(notice, D("2026-03-16")) == outcome
    assert NOTICE_STATES["result_pending"] == "结果待公布"
    assert list(NOTICE_STATES) == ["upcoming", "active", "result_pending", "ended"]  # the order they come in


# --- 6. determinism ------------------------------------------------------------------------------


def test_derive_is_deterministic(world: Registry) -> None:
    for day in ("2026-11-27", "2029-08-04"):
        first, second = derive(world, D(day)), derive(world, D(day))
        assert isinstance(first, RegistryFacts)
        assert first == second
        known = sorted(i for i, (events, _) in CENTERS.items() if events[0]["date"] <= day)
        assert [c.id for c in first.centers] == known


def test_counts(world: Registry) -> None:
    f = derive(world, D("2026-11-27"))
    assert "late2027" not in f.by_id  # its first event is in December: not in the registry yet
    assert sum(f.counts("status").values()) == len(f.centers) == len(CENTERS) - 1
    assert set(f.counts("status")) <= set(STATUSES.values())
    assert f.counts("category") == Counter({"领域类": len(f.centers)})


# --- 5. every DERIVE rule has a test -----------------------------------------------------------

DERIVE_RULE_TESTS: dict[str, list[str]] = {
    "dates.calendar": ["tests.test_dates::test_add_years", "tests.test_dates::test_add_months", "test_life_cycle"],
    "dates.working-days": [
        "tests.test_dates::test_five_working_days_counting_the_issue_date",
        "tests.test_dates::test_working_period_across_national_day_with_a_sunday_workday",
        "test_notice_periods",
    ],
    "status": ["test_life_cycle", "test_life_status_history", "test_other_paths"],
    "deadline.publicity-end": ["test_life_cycle"],
    "deadline.construction-end": ["test_life_cycle", "test_construction_end_without_extension_passes_not_lapses"],
    "deadline.extension-end": ["test_life_cycle", "test_period_end_passes_not_lapses"],
    "deadline.acceptance-application": [
        "test_life_cycle",
        "test_failed_acceptance_then_extension_application_deadline",
    ],
    "deadline.evaluation": ["test_life_cycle"],
    "deadline.annual-assessment": ["test_life_cycle"],
    "rating.streak": ["test_streaks_and_award_years", "test_fail_trigger", "test_runs_need_adjacent_years"],
    "funding.construction": ["test_funding_entitlements_and_grants", "test_funding_before_approval_and_without_grants"],
    "funding.award": ["test_streaks_and_award_years", "test_funding_entitlements_and_grants"],
    "revocation.extension-expired": [
        "test_life_cycle",
        "test_other_paths",
        "test_failed_acceptance_then_extension_needs_a_new_application_flag",
        "test_extension_then_acceptance_passed_without_application_is_not_flagged",
    ],
    "acceptance.application-overdue": ["test_other_paths"],
    "flag.priority": ["test_life_cycle", "test_flags_carry_their_articles"],
    "policy.transition": [
        "test_other_paths",
        "test_legacy_and_the_measures_a_center_was_set_up_under",
        "test_recognized_in_2023_is_judged_by_article_18_from_2024_08_04",
    ],
    "status.detail": ["test_acceptance_wait_details", "test_unknown_end_is_never_overdue"],
    "policy.validity": [
        "test_policy_notes",
        "test_policy_notes_reach_the_registry_facts",
        "test_every_derived_fact_names_expired_measures",
        "test_a_successor_ends_what_the_site_derives",
    ],
    "notice.period-default": ["test_notice_periods"],
    "dates.provisional-holidays": [
        "tests.test_workdays::test_statutory_holidays_of_2027",
        "tests.test_workdays::test_statutory_days_agree_with_the_state_council_in_2025_and_2026",
        "tests.test_calendar_build::test_spring_festival_2027_without_a_schedule",
    ],
    "notice.state": ["test_notice_state"],
    "notice.result-pending": ["test_notice_state", "test_result_pending_is_an_ended_period_without_a_known_outcome"],
}


def _test_function(name: str) -> Any:
    module, _, func = name.rpartition("::")
    return getattr(importlib.import_module(module) if module else sys.modules[__name__], func, None)


def test_every_derive_rule_has_a_test() -> None:
    """A rule of stage DERIVE registered without a test here fails; so does a stale entry."""
    derive_ids = {r.id for r in RULES.values() if r.stage == Stage.DERIVE}
    assert set(DERIVE_RULE_TESTS) == derive_ids
    for rule_id, names in DERIVE_RULE_TESTS.items():
        assert names, rule_id
        for name in names:
            fn = _test_function(name)
            assert callable(fn) and fn.__name__.startswith("test_"), name
            # the test names the rule it exercises (in its docstring or body)
            assert rule_id in inspect.getsource(fn), (rule_id, name)


# --- a new application after a withdrawal or a rejection (same id) -------------------------------


def test_reapplication_after_rejection_starts_a_new_round(reg) -> None:
    """The id never changes: a center rejected in 2025 applies again in 2026 and is approved."""

    def reapply(data: dict) -> None:
        data["events"] += [
            {"date": "2026-03-02", "kind": "application"},
            {"date": "2026-03-20", "kind": "recommendation"},
            {"date": "2026-06-10", "kind": "approval", "source": {"document_number": "忻科发〔2026〕18号"}},
        ]

    reg.modify("center", "sample-wurenji", reapply)
    assert [f for f in reg.validate() if f.is_error] == []
    registry = validate_registry(reg.dir, reg.root).registry
    c = derive(registry, D("2026-11-27")).by_id["sample-wurenji"]
    assert c.status == "construction"
    assert [i.status for i in c.history] == ["applying", "rejected", "applying", "construction"]
    assert [d.rule_id for d in c.open_deadlines] == ["deadline.construction-end", "deadline.acceptance-application"]
    assert derive(registry, D("2026-03-01")).by_id["sample-wurenji"].status == "rejected"


def test_after_a_rejection_only_a_new_application_may_follow(reg) -> None:
    text = reg.modify(
        "center",
        "sample-wurenji",
        lambda d: d["events"].append(
            {"date": "2026-06-10", "kind": "approval", "source": {"document_number": "忻科发〔2026〕18号"}}
        ),
    )
    errors = [f for f in reg.validate() if f.is_error]
    line, _ = line_of(text, "kind: approval", after="date: '2026-06-10'")
    assert [(f.rule_id, f.line) for f in errors] == [("events.lifecycle", line)]
    assert "除非重新提交申请" in errors[0].message


# --- records from before these measures (第二十一条) ---------------------------------------------


def test_recognized_in_2023_is_judged_by_article_18_from_2024_08_04(world: Registry, periods: dict) -> None:
    """policy.transition: recognized in 2023 under the trial measures, no task book. Before
    2024-08-04 nothing is derived from these measures; from that day on they govern its operation:
    the 2024 assessment and the first evaluation fall due (2023's does not), and two consecutive
    不合格 among the grades given under them (2024, 2025) call for revocation; the 2023 不合格,
    given on 2024-03-20, does not count."""
    check_row(facts(world, periods, "recog23", "2024-01-01"), "已认定运行", {}, {"policy.transition"})
    check_row(
        facts(world, periods, "recog23", "2024-08-04"),
        "已认定运行",
        {"2024年度绩效考核": ("2025-06-30", "open", 330), EVAL: ("2027-08-04", "open", 1095)},
        {"policy.transition"},
    )
    check_row(
        facts(world, periods, "recog23", "2025-03-18"),
        "已认定运行",
        {"2024年度绩效考核": ("2025-06-30", "met", 0, "2025-03-18"), "2025年度绩效考核": None, EVAL: None},
        {"policy.transition"},  # 2023 and 2024 are both 不合格, but 2023 was graded under the trial measures
    )
    later = facts(world, periods, "recog23", "2026-03-17")
    flag = next(f for f in later.flags if f.rule_id == "revocation.two-fails")
    assert flag.statement == "按第十八条应予撤销（本站推算，以市科技局决定为准）"
    assert "2024、2025 年度" in flag.message
    f = facts(world, periods, "recog23", "2029-08-04")
    assert f.funding.entitlements == () and f.funding.legacy


@pytest.mark.parametrize("day", ["2020-06-18", "2024-08-03", "2024-08-04", "2026-11-27", "2031-01-01"])
def test_approved_in_2020_shows_no_invented_deadline_or_funding(world: Registry, periods: dict, day: str) -> None:
    """deadline.construction-end: approved in 2020 under an earlier scheme, no task book: the end
    of construction is 记录不足，无法推算 on every date, never overdue, and no 10万元 is due."""
    f = facts(world, periods, "old2020", day)
    check_row(f, "建设中", {BUILD: (None, "unknown", 0)}, {"policy.transition"})
    assert f.next_deadline is None and f.open_deadlines == ()
    assert f.unknown_deadlines[0].state_label == "记录不足，无法推算"
    assert f.funding.entitlements == () and f.funding.outstanding == () and f.funding.legacy
    assert f.legacy and f.established_under is None


def test_accepted_after_a_2020_approval_is_judged_by_article_19(world: Registry, periods: dict) -> None:
    """deadline.evaluation (本站解释): in the sequence since 2022, so the first evaluation under these
    measures is 3 years from 2024-08-04; an evaluation 不合格 given in 2027 calls for revocation."""
    check_row(
        facts(world, periods, "acc2020", "2024-08-04"),
        "已认定运行",
        {"2024年度绩效考核": ("2025-06-30", "open", 330), EVAL: ("2027-08-04", "open", 1095)},
        {"policy.transition"},
    )
    f = facts(world, periods, "acc2020", "2027-08-05")
    assert deadline_table(f)[EVAL][:3] == ("2027-08-04", "overdue", 1)
    assert "2022年度绩效考核" not in deadline_table(f) and "2023年度绩效考核" not in deadline_table(f)
    f = facts(world, periods, "acc2020", "2027-09-01")
    flag = next(fl for fl in f.flags if fl.rule_id == "revocation.evaluation-fail")
    assert flag.statement == "按第十九条应予撤销（本站推算，以市科技局决定为准）"
    assert f.funding.entitlements == ()


def test_acceptance_wait_details(world: Registry, periods: dict) -> None:
    """status.detail: 待验收 · 申请期内 / 逾期未申请 / 已申请 N 天 / 未记录验收申请, with the filter's
    value (no number of days) beside the text shown."""
    cases = {
        ("noext", "2026-07-01"): ("apply_window", "待验收 · 申请期内", "待验收 · 申请期内"),
        ("noext", "2026-07-31"): ("application_overdue", "待验收 · 逾期未申请", "待验收 · 逾期未申请"),
        ("life", "2027-06-25"): ("applied", "待验收 · 已申请 2 天", "待验收 · 已申请"),
        ("life", "2027-09-14"): ("applied", "待验收 · 已申请 83 天", "待验收 · 已申请"),
        ("oldtb", "2024-01-01"): ("not_applied", "待验收 · 未记录验收申请", "待验收 · 未记录验收申请"),
        ("oldtb", "2026-11-27"): ("not_applied", "待验收 · 未记录验收申请", "待验收 · 未记录验收申请"),
    }
    for (cid, day), (key, text, filtered) in cases.items():
        f = facts(world, periods, cid, day)
        assert (f.detail.key, f.status_text, f.status_filter) == (key, text, filtered), (cid, day)
    # the task book of 2021 ended before these measures: its end is shown, no 1-month rule is applied
    old = facts(world, periods, "oldtb", "2026-11-27")
    assert deadline_table(old) == {BUILD: ("2023-03-01", "passed", 1367, None)}
    assert "acceptance.application-overdue" not in {fl.rule_id for fl in old.flags}
    assert facts(world, periods, "life", "2027-09-15").detail is None  # 已认定运行: nothing to add


def test_unknown_end_is_never_overdue(world: Registry, periods: dict) -> None:
    """status.detail: 建设中 · 期满日期记录不足 for a legacy approval without a task book."""
    f = facts(world, periods, "old2020", "2031-01-01")
    assert (f.status, f.detail.key, f.status_text) == ("construction", "end_unknown", "建设中 · 期满日期记录不足")
    assert [i.status for i in f.history] == ["construction"]


def test_construction_funding_only_for_centers_new_under_these_measures(world: Registry, periods: dict) -> None:
    """funding.construction (本站解释): 10万元 for an approval under these measures, including a
    conversion of a 市工程技术研究中心 (第四条); none for an approval or recognition before them."""
    convert = facts(world, periods, "convert", "2025-07-01").funding
    assert [(e.kind, e.amount_wan) for e in convert.outstanding] == [("建设经费", 10)] and not convert.legacy
    for cid in ("old2020", "acc2020", "recog23", "trialold", "trial23"):
        f = facts(world, periods, cid, "2026-11-27").funding
        assert f.entitlements == () and f.legacy, cid


def test_awards_count_only_grades_given_under_these_measures() -> None:
    """funding.award (本站解释): 优秀 for 2021, 2022, 2023 (given in 2022–2024, before the measures)
    is no award the site derives; a grant for them is the Bureau's decision and passes the check
    (funding.amounts counts every recorded grade)."""
    events = [
        approval("2019-03-01"),
        ev("2019-12-20", "acceptance", result="通过"),
        *(assessment(f"{y + 1}-03-15", y, EX) for y in (2021, 2022, 2023, 2024, 2025)),
        ev("2024-05-01", "funding", funding_kind="优秀奖励", amount_wan=5),
    ]
    events.sort(key=lambda e: e["date"])
    center = center_of(center_data("old-award", 1, events))
    assert m.award_years(center) == []  # 2024, 2025: two years under these measures
    assert m.award_years(center, m.annual_grades(center)) == [2023]
    assert funding(center).entitlements == ()
    assert list(CENTER_CHECKS["funding.amounts"](center)) == []


@pytest.mark.parametrize(
    "day, note",
    [("2029-08-03", None), ("2029-08-04", "本站依据已于 2029-08-03 期满的忻科规〔2024〕4号推算（第二十一条）")],
)
def test_every_derived_fact_names_expired_measures(world: Registry, day: str, note: str | None) -> None:
    """policy.validity: after 2029-08-03 the facts carry the note every page and file prints."""
    assert derive(world, D(day)).derived_note == note


def test_a_successor_ends_what_the_site_derives() -> None:
    """policy.validity: with a successor recorded (in force 2029-01-01, repealing these measures),
    facts from that day fall under it; the notes say so, citing 第二十一条."""
    from generator.records.book import Book, Measures

    successor = Measures("忻科规〔2028〕9号", "市技术创新中心管理办法", D("2029-01-01"), None, (m.IMPLEMENTED,))
    book = Book.of([*m.TEXT_BOOK.measures, successor])
    assert m.judges(book, D("2028-12-31")) and not m.judges(book, D("2029-01-01"))
    assert book.end(m.implemented(book)) == D("2028-12-31")
    notes = list(policy_notes(D("2029-01-01"), book))
    assert len(notes) == 1 and "忻科规〔2028〕9号" in notes[0] and "（第二十一条）" in notes[0]
    assert "取代" in derived_note(D("2029-01-01"), book)
    assert derived_note(D("2028-12-31"), book) is None


def test_failed_acceptance_with_no_extension_left(world: Registry, periods: dict) -> None:
    """revocation.extension-expired: a failed acceptance before any extension is not flagged (the
    Bureau may still extend, 第十二条); after the one extension it is, until a revocation."""
    assert "revocation.extension-expired" not in {
        f.rule_id for f in facts(world, periods, "failed", "2025-11-10").flags
    }
    flagged = facts(world, periods, "failed", "2026-12-19").flags
    assert any(f.rule_id == "revocation.extension-expired" and "已无延期可用" in f.message for f in flagged)
    assert facts(world, periods, "failed", "2026-12-20").flags == ()
