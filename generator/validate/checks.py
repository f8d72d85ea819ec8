"""The rules of the measures that a record can be checked against without a date.

Each rule is a small function, listed under its rule id in `CENTER_CHECKS` or
`REGISTRY_CHECKS` at the end of this module (the ids and articles are in rules/table.py). A
center rule yields (path, message) hits inside one record; a registry rule yields
(record, path, message) across records. Warnings among them are also the center page's
flags, applied to the record as it stood on the as-of date.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from generator.records.load import JsonPath
from generator.records.model import DEFAULT_SETTINGS, OFFICIAL_FACTS, Center, Notice, Registry, UnitList
from generator.rules import measures as m
from generator.rules.dates import add_years, parse_date
from generator.rules.links import LINK_KEYS, deceptive_link
from generator.rules.text import quoted
from generator.rules.workdays import WorkCalendar
from generator.validate import privacy

Hit = tuple[JsonPath, str]
Check = Callable[[Center], Iterable[Hit]]

NAME = re.compile(r"忻州市(?P<core>.+)技术创新中心")  # fullmatch: no trailing newline slips by
CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
HAN_ONLY = re.compile(r"[\u4e00-\u9fff]+")
UNIT_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "（演示）")


def credit_code_check(code: str) -> str:
    """The check character of a unified social credit code (GB 32100-2015)."""
    total = sum(CODE_CHARS.index(c) * w for c, w in zip(code[:17], CODE_WEIGHTS))
    return CODE_CHARS[(31 - total % 31) % 31]


def _units(center: Center) -> Iterator[tuple[JsonPath, Mapping[str, Any]]]:
    yield ("first_host_unit",), center.first_host_unit
    for i, unit in enumerate(center.co_building_units):
        yield ("co_building_units", i), unit


# --- errors: the record cannot be right ------------------------------------------------


def _named_under_these(center: Center) -> bool:
    """Whether these measures judge the current name: the center was set up or renamed under
    them (第二十条), or no recorded fact gives the name at all; a name from before 2024-08-04
    is shown as recorded."""
    renames = [e for e in center.of_kind("change") if e.get("change_kind") == "更名"]
    if renames:
        return m.judged(center, renames[-1]) or renames[-1].get("new") != center.name
    return not m.legacy(center)


def check_name(center: Center) -> Iterable[Hit]:
    if _named_under_these(center) and not NAME.fullmatch(center.name):
        yield ("name",), f"名称“{quoted(center.name)}”不符合“忻州市××技术创新中心”"
    for event in center.of_kind("change"):
        new = event.get("new")
        if not m.judged(center, event):
            continue
        if event.get("change_kind") == "更名" and not (isinstance(new, str) and NAME.fullmatch(new)):
            yield event.path + ("new",), f"更名后的名称“{quoted(new)}”不符合“忻州市××技术创新中心”"


def check_rename_chain(center: Center) -> Iterable[Hit]:
    renames = [e for e in center.of_kind("change") if e.get("change_kind") == "更名"]
    for before, after in zip(renames, renames[1:]):
        if after.get("old") != before.get("new"):
            yield (
                after.path + ("old",),
                f"变更前名称“{quoted(after.get('old'))}”与上一次更名后的“{quoted(before.get('new'))}”不一致",
            )
    if renames and renames[-1].get("new") != center.name:
        yield (
            renames[-1].path + ("new",),
            f"最后一次更名后的名称“{quoted(renames[-1].get('new'))}”与现用名称“{quoted(center.name)}”不一致",
        )


def check_event_order(center: Center) -> Iterable[Hit]:
    for before, after in zip(center.events, center.events[1:]):
        if after.date < before.date:
            yield after.path + ("date",), f"日期 {after.date} 早于前一条事件的 {before.date}"
            return


def check_lifecycle(center: Center) -> Iterable[Hit]:
    approved, closed = False, None
    for event in center.events:
        if closed is not None:
            if closed.kind != "revocation" and event.kind == "application":
                approved, closed = False, None  # a new application: a new round of the procedure
            else:
                allowed = "" if closed.kind == "revocation" else "，除非重新提交申请"
                yield event.path + ("kind",), f"“{closed.label}”（{closed.date}）之后不应再有“{event.label}”{allowed}"
                return
        if event.kind in ("withdrawal", "rejection", "revocation"):
            closed = event
        elif event.kind in ("approval", "recognition"):
            if approved:
                yield event.path + ("kind",), "批准建设或认定只能记录一次"
            approved = True
        elif not approved and event.kind in (
            "task_book",
            "extension",
            "acceptance_application",
            "acceptance",
            "annual_assessment",
            "evaluation",
            "funding",
            "change",
        ):
            yield event.path + ("kind",), f"“{event.label}”须在批准建设或认定之后"
        if event.kind == "revocation" and not approved:
            yield event.path + ("kind",), f"“{event.label}”须在批准建设或认定之后"


def check_construction_period(center: Center) -> Iterable[Hit]:
    approval = center.first("approval")
    if approval is None or not m.judged(center, approval):
        return
    latest = add_years(approval.date, m.CONSTRUCTION_YEARS)
    for task_book in center.of_kind("task_book"):
        end = task_book.date_field("planned_end")
        if end > latest:
            yield (
                task_book.path + ("planned_end",),
                f"建设期满日期 {end} 超过批准（{approval.date}）之日起2年，最晚为 {latest}",
            )
        elif end <= approval.date:
            yield task_book.path + ("planned_end",), f"建设期满日期 {end} 不晚于批准日期 {approval.date}"


def check_extension_once(center: Center) -> Iterable[Hit]:
    for extra in center.of_kind("extension")[1:]:
        if m.judged(center, extra):
            yield extra.path + ("kind",), "建设期已延期过一次，不能再次延期"


def check_extension_length(center: Center) -> Iterable[Hit]:
    period = m.construction(center)
    if period is None or period.extension is None or not m.judged(center, period.extension):
        return
    if period.planned_end is None:  # an approval under other measures, no task book: nothing to compare
        return
    new_end = period.extension.date_field("new_end")
    latest = add_years(period.planned_end, m.EXTENSION_MAX_YEARS)
    path = period.extension.path + ("new_end",)
    if new_end > latest:
        yield path, f"延期至 {new_end} 超过原定期满日期 {period.planned_end} 后1年（最晚 {latest}）"
    elif new_end <= period.planned_end:
        yield path, f"延期至 {new_end} 不晚于原定期满日期 {period.planned_end}"


def check_assessment_years(center: Center) -> Iterable[Hit]:
    seen: set[int] = set()
    approval = m.establishment(center)
    for event in center.of_kind("annual_assessment"):
        year = event.get("year")
        if year in seen:
            yield event.path + ("year",), f"{year} 年度的考核结果已记录过"
        elif approval and year < approval.date.year:
            yield event.path + ("year",), f"考核年度 {year} 早于{approval.label}的 {approval.date.year} 年"
        elif year > event.date.year:
            yield event.path + ("year",), f"考核年度 {year} 晚于公布日期 {event.date}"
        seen.add(year)


def check_credit_codes(center: Center) -> Iterable[Hit]:
    for path, unit in _units(center):
        code = unit.get("credit_code")
        if code and credit_code_check(code) != code[17]:
            yield path + ("credit_code",), f"统一社会信用代码 {code} 的校验位应为 {credit_code_check(code)}"


_JSON_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|.)")


def _values(value: Any, path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    """Every text and every number of a record (as text), with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield path, str(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _values(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _values(item, path + (i,))


def as_json(record: Any) -> str:
    """A record as one JSON text: what the whole-record quick tests below search."""
    return json.dumps(record, ensure_ascii=False)


def _center_json(center: Center) -> str:
    return as_json(center.data)


def personal_data(record: Any, flat: str | None = None) -> Iterator[Hit]:
    """Mobile numbers and ID card numbers anywhere in a record, text or number (privacy.py).

    The whole record is looked at once, as one JSON text (`flat`, if the caller has it) whose
    escapes are made NULs (so that `\\n` neither glues a letter to a number nor, as a space,
    joins or ends one): that finds whatever any single value would, and more. Only a record
    with a hit is walked value by value, to say where.
    """
    flat = as_json(record) if flat is None else flat
    if "\\" in flat:
        flat = _JSON_ESCAPE.sub("\0", flat)
    if privacy.find(flat) is None:
        return
    for path, text in _values(record, ()):
        if path and path[-1] == "credit_code":
            continue
        kind = privacy.find(text)
        if kind == privacy.MOBILE:
            yield path, "含有手机号码（无论全角、分隔或带 +86 的写法）；名录公开发布，只能填写带区号的办公固定电话"
        elif kind == privacy.ID_CARD:
            yield path, "含有身份证号码；名录公开发布，不得记录个人证件信息"


def check_personal_data(center: Center) -> Iterable[Hit]:
    return personal_data(center.data, center.derived(_center_json))


#: A link field's value in a record's JSON text, up to its closing quote or first escape.
_LINK_VALUE = re.compile('"(?:' + "|".join(sorted(LINK_KEYS)) + r')": "([^"\\]*)(.)')


def _links(value: Any, path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in LINK_KEYS and isinstance(item, str):
                yield path + (key,), item
            else:
                yield from _links(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _links(item, path + (i,))


def deceptive_links(record: Any, flat: str | None = None) -> Iterator[Hit]:
    """Every link field (LINK_KEYS, anywhere) whose link is deceptive (rules/links.py).

    The record's JSON text (`flat`) says at once whether any link could be: only then is the
    record walked to say where (a value with an escape is always looked at).
    """
    if flat is not None and all(
        match[2] == '"' and deceptive_link(match[1]) is None for match in _LINK_VALUE.finditer(flat)
    ):
        return
    for path, url in _links(record, ()):
        why = deceptive_link(url)
        if why is not None:
            yield path, f"链接“{quoted(url)}”：{why}"


def check_links(center: Center) -> Iterable[Hit]:
    return deceptive_links(center.data, center.derived(_center_json))


# --- warnings: well formed, but the measures frown on it ---------------------------------


def check_director(center: Center) -> Iterable[Hit]:
    director = center.data.get("director")
    if not director or not m.applied_under_these(center):
        return
    if director["title_level"] not in m.SENIOR_TITLES:
        yield ("director", "title_level"), f"中心负责人职称为{director['title_level']}，未达到高级专业技术职称"
    if director["age_at_application"] > m.DIRECTOR_MAX_AGE:
        yield ("director", "age_at_application"), f"中心负责人申报时 {director['age_at_application']} 周岁，超过60周岁"


def check_conditions(center: Center) -> Iterable[Hit]:
    conditions = center.data.get("application_conditions", {}) if m.applied_under_these(center) else {}
    limits = (
        ("floor_area_m2", m.MIN_FLOOR_AREA_M2, "使用面积 {} 平方米，少于500平方米"),
        ("equipment_value_wan", m.MIN_EQUIPMENT_WAN, "仪器设备原值 {} 万元，少于500万元"),
        ("rd_spending_3y_wan", m.MIN_RD_SPENDING_WAN, "近3年研发总投入 {} 万元，少于500万元"),
        ("first_host_share_percent", m.MIN_FIRST_HOST_SHARE, "第一依托单位占比 {}%，未达到50%"),
    )
    for key, minimum, message in limits:
        if key in conditions and conditions[key] < minimum:
            yield ("application_conditions", key), message.format(conditions[key])


def check_registration(center: Center) -> Iterable[Hit]:
    code = center.first_host_unit.get("credit_code")
    if code and code[2:6] != m.XINZHOU_CODE_PREFIX and m.applied_under_these(center):
        yield ("first_host_unit", "credit_code"), f"信用代码中的登记机关区划为 {code[2:8]}，不在忻州市（1409）"


def check_partners(center: Center) -> Iterable[Hit]:
    if not m.applied_under_these(center):
        return
    lead = center.first_host_unit
    partner_kinds = {u["kind"] for u in center.co_building_units}
    if lead["kind"] == "企业":
        if not (lead.get("high_tech_enterprise") or lead.get("above_scale_with_rd")):
            yield ("first_host_unit",), "第一依托单位为企业，但既非高新技术企业，也非建有专门研发机构的规模以上企业"
        if "高校" not in partner_kinds:
            yield ("first_host_unit",), "第一依托单位为企业，须有高校共建"
    elif "企业" not in partner_kinds:
        yield ("first_host_unit",), "第一依托单位不是企业，须有企业共建"


def check_category(center: Center) -> Iterable[Hit]:
    if not m.applied_under_these(center):
        return
    lead_kind = center.first_host_unit["kind"]
    if center.category == "综合类":
        if lead_kind not in ("高校", "科研院所", "新型研发机构"):
            yield ("category",), f"综合类中心应由高校院所或新型研发机构牵头，现牵头单位为{lead_kind}"
        if not center.data.get("institutions"):
            yield ("category",), "综合类中心应列出所设的专业化创新研发机构"
        if "converted_from" in center.data:
            yield ("converted_from",), "只有领域类中心可由原市工程技术研究中心转建"
    elif lead_kind != "企业":
        yield ("category",), f"领域类中心应由企业牵头，现牵头单位为{lead_kind}"


def check_provincial_naming(center: Center) -> Iterable[Hit]:
    if not _named_under_these(center):
        return
    match = NAME.fullmatch(center.name)
    if match and not HAN_ONLY.fullmatch(match["core"]):
        yield ("name",), f"名称中的“{quoted(match['core'])}”含有汉字以外的字符"
    if match:
        for _path, unit in _units(center):
            if unit["kind"] == "企业" and _unit_core(unit["name"]) in match["core"]:
                yield ("name",), f"名称使用了企业名称“{quoted(_unit_core(unit['name']))}”"
    directions = center.data["research_directions"]
    if not 3 <= len(directions) <= 5:
        yield ("research_directions",), f"研究方向为 {len(directions)} 个，省级做法为3至5个"


def _unit_core(name: str) -> str:
    """A unit's name without its legal form, however the suffixes are stacked."""
    previous = None
    while previous != name:
        previous = name
        for suffix in UNIT_SUFFIXES:
            name = name.removesuffix(suffix)
    return name


def check_late_acceptance_application(center: Center) -> Iterable[Hit]:
    period = m.construction(center)
    if period is None or not m.application_rule_applies(center, period):
        return
    application = m.acceptance_application(center, period)
    due = period.acceptance_application_due
    if application and due and application.date > due:
        yield (
            application.path + ("date",),
            f"验收申请于 {application.date} 提出，晚于建设期满（{period.end}）后1个月的 {due}",
        )


def _unrevoked(center: Center, after: Any) -> bool:
    revocation = center.last("revocation")
    return revocation is None or revocation.date < after


def check_two_fails(center: Center) -> Iterable[Hit]:
    years = m.fail_trigger(center)
    if years and _unrevoked(center, m.annual_grades(center)[years[1]].date):
        event = m.annual_grades(center)[years[1]]
        yield event.path + ("grade",), f"{years[0]}、{years[1]} 年度考核连续两年不合格，未记录撤销"


def check_evaluation_fail(center: Center) -> Iterable[Hit]:
    for event in center.of_kind("evaluation"):
        if event.get("grade") == "不合格" and m.judged(center, event) and _unrevoked(center, event.date):
            yield event.path + ("grade",), f"{event.date} 评估不合格，未记录撤销"


def check_safety(center: Center) -> Iterable[Hit]:
    for event in center.of_kind("safety_incident"):
        if m.establishment(center) and m.judged(center, event) and _unrevoked(center, event.date):
            yield event.path + ("kind",), f"{event.date} 记录了安全事故或重大隐患，未记录撤销"


def check_funding(center: Center) -> Iterable[Hit]:
    """Grants made under these measures; an award is matched against every recorded grade,
    since the grant is the Bureau's own decision (only the entitlements the site derives
    are limited to grades made under these measures)."""
    grants = center.of_kind("funding")
    construction = [e for e in grants if e.get("funding_kind") == "建设经费"]
    for event in construction:
        if event.get("amount_wan") != m.CONSTRUCTION_FUNDING_WAN and m.judged(center, event):
            yield event.path + ("amount_wan",), f"建设经费为 {event.get('amount_wan')} 万元，办法规定为10万元"
    for event in construction[1:]:
        if m.judged(center, event):
            yield event.path + ("funding_kind",), "建设经费只对新建中心给予一次"
    awards = [e for e in grants if e.get("funding_kind") == "优秀奖励"]
    due = m.award_years(center, m.annual_grades(center))
    for i, event in enumerate(awards):
        if not m.judged(center, event):
            continue
        if event.get("amount_wan") != m.AWARD_FUNDING_WAN:
            yield event.path + ("amount_wan",), f"优秀奖励为 {event.get('amount_wan')} 万元，办法规定为5万元"
        if i >= len(due):
            yield event.path + ("funding_kind",), "没有与之对应的连续3年考核优秀"


def check_recognition(center: Center) -> Iterable[Hit]:
    for event in center.of_kind("recognition"):
        if m.judged(center, event):
            yield (
                event.path + ("kind",),
                f"{event.date} 的认定适用本办法，但本办法没有认定程序：新设中心须经批准建设并通过验收；"
                "依据其他办法作出的认定请用 measures 写明该办法",
            )


_STEPS = (
    ("recommendation", "归口管理单位的推荐"),
    ("expert_review", "专家评审"),
    ("publicity", "列有本中心的公示"),
)


def check_procedure(center: Center) -> Iterable[Hit]:
    round_ = center.current()
    approval = round_.first("approval")
    if approval is None or not m.judged(center, approval):
        return
    before = {e.kind for e in round_.events if e.index < approval.index}
    for kind, step in _STEPS:
        if kind not in before:
            yield approval.path + ("kind",), f"按本办法批准建设（{approval.date}），但批准之前没有记录{step}"


def _unsourced(center: Center) -> Iterator[tuple[Any, bool]]:
    for event in center.events:
        if event.kind in OFFICIAL_FACTS and not event.get("source"):
            yield event, m.judged(center, event)


def check_sources(center: Center) -> Iterable[Hit]:
    for event, under_these in _unsourced(center):
        if under_these:
            yield (
                event.path + ("kind",),
                f"{event.date} 的“{event.label}”是官方事实，须注明出处（文号、公示标识或官方网址）",
            )


def check_legacy_sources(center: Center) -> Iterable[Hit]:
    for event, under_these in _unsourced(center):
        if not under_these:
            yield (
                event.path + ("kind",),
                f"{event.date} 的“{event.label}”（本办法施行前）没有注明出处；请补查原文，补上文号、公示标识或官方网址",
            )


CENTER_CHECKS: dict[str, Check] = {
    "name.pattern": check_name,
    "name.history": check_rename_chain,
    "events.order": check_event_order,
    "events.lifecycle": check_lifecycle,
    "construction.period": check_construction_period,
    "extension.once": check_extension_once,
    "extension.length": check_extension_length,
    "assessment.year": check_assessment_years,
    "credit-code.check": check_credit_codes,
    "privacy.personal-data": check_personal_data,
    "link.deceptive": check_links,
    "eligibility.director": check_director,
    "eligibility.conditions": check_conditions,
    "eligibility.registration": check_registration,
    "eligibility.partners": check_partners,
    "category.structure": check_category,
    "naming.provincial": check_provincial_naming,
    "acceptance.late-application": check_late_acceptance_application,
    "revocation.two-fails": check_two_fails,
    "revocation.evaluation-fail": check_evaluation_fail,
    "revocation.safety": check_safety,
    "funding.amounts": check_funding,
    "recognition.legacy": check_recognition,
    "procedure.steps": check_procedure,
    "source.required": check_sources,
    "source.legacy": check_legacy_sources,
}

# --- across records ----------------------------------------------------------------------

RegistryHit = tuple[str, JsonPath, str]
RegistryCheck = Callable[[Registry], Iterable[RegistryHit]]


def _notice_refs(center: Center) -> Iterator[tuple[JsonPath, str]]:
    """Every notice a center's record cites: its publicity events, and sources naming a notice."""
    for event in center.events:
        if event.kind == "publicity":
            yield event.path + ("notice",), event.get("notice")
        source = event.get("source")
        if isinstance(source, dict) and source.get("notice"):
            yield event.path + ("source", "notice"), source["notice"]


def check_notice_refs(registry: Registry) -> Iterable[RegistryHit]:
    listed = {n.id: {e["center"] for e in n.entries} for n in registry.notices}
    for center in registry.centers:
        for path, notice_id in _notice_refs(center):
            notice = registry.notice(notice_id)
            if notice is None and notice_id in registry.unreadable:
                continue
            if notice is None:
                yield center.path, path, f"公示 {notice_id} 不存在"
            elif center.id not in listed[notice.id]:
                yield center.path, path, f"公示 {notice.id} 的名单中没有本中心"


def check_center_refs(registry: Registry) -> Iterable[RegistryHit]:
    for notice in registry.notices:
        seen: set[str] = set()
        for i, entry in enumerate(notice.entries):
            path = ("entries", i, "center")
            if entry["center"] in registry.unreadable:
                continue
            if registry.center(entry["center"]) is None:
                yield notice.path, path, f"中心 {entry['center']} 不存在"
            elif entry["center"] in seen:
                yield notice.path, path, f"中心 {entry['center']} 在名单中重复"
            seen.add(entry["center"])


def check_notice_names(registry: Registry) -> Iterable[RegistryHit]:
    for notice in registry.notices:
        for i, entry in enumerate(notice.entries):
            center = registry.center(entry["center"])
            if center and entry["name"] != center.name_on(notice.issue_date):
                yield (
                    notice.path,
                    ("entries", i, "name"),
                    (
                        f"公示中的名称“{quoted(entry['name'])}”与中心当时的名称“{quoted(center.name_on(notice.issue_date))}”不一致"
                    ),
                )


def check_notice_hosts(registry: Registry) -> Iterable[RegistryHit]:
    for notice in registry.notices:
        if not m.judges(registry.book, notice.issue_date):
            continue
        for i, entry in enumerate(notice.entries):
            center = registry.center(entry["center"])
            if center is None or not entry.get("host_units"):
                continue
            reorganised = any(
                e.get("change_kind") == "调整重组" and e.date > notice.issue_date for e in center.of_kind("change")
            )
            units = [center.first_host_unit["name"], *(u["name"] for u in center.co_building_units)]
            listed = list(entry["host_units"])
            if reorganised or (listed[0] == units[0] and sorted(listed) == sorted(units)):
                continue
            differs = [
                *(f"公示有“{quoted(name)}”而记录没有" for name in listed if name not in units),
                *(f"记录有“{quoted(name)}”而公示没有" for name in units if name not in listed),
            ]
            if not differs:
                differs = [f"公示把“{quoted(listed[0])}”列在首位，记录的第一依托单位是“{quoted(units[0])}”"]
            yield (
                notice.path,
                ("entries", i, "host_units"),
                f"公示名单中本中心的依托单位与记录不一致：{'；'.join(differs)}",
            )


PERIOD_START_DAYS = 30  # interpretation: a notice's period starts within a month of its issue
PERIOD_MAX_DAYS = 100  # 60 working days (the schema's most) with the longest holidays


def check_notice_period(registry: Registry) -> Iterable[RegistryHit]:
    for notice in registry.notices:
        period, issued = notice.period, notice.issue_date
        start = parse_date(period.get("start", notice.data["issue_date"]))
        if start < issued:
            yield notice.path, ("period", "start"), f"公示开始日期 {start} 早于发布日期 {issued}"
        elif start > issued + dt.timedelta(days=PERIOD_START_DAYS):
            yield (
                notice.path,
                ("period", "start"),
                f"公示开始日期 {start} 晚于发布日期 {issued} 超过{PERIOD_START_DAYS}天",
            )
        end = parse_date(period["end"]) if "end" in period else None
        if end is not None and end < start:
            yield notice.path, ("period", "end"), f"公示结束日期 {end} 早于开始日期 {start}"
        elif end is not None and end > start + dt.timedelta(days=PERIOD_MAX_DAYS):
            yield notice.path, ("period", "end"), f"公示期 {start} 至 {end} 超过{PERIOD_MAX_DAYS}天，不可能是公示期"
        outcome = notice.data.get("outcome")
        if outcome and parse_date(outcome["date"]) < (end or start):
            yield notice.path, ("outcome", "date"), f"公示结果日期 {outcome['date']} 早于公示期（{start} 起）结束"


def check_notice_privacy(registry: Registry) -> Iterable[RegistryHit]:
    for notice in registry.notices:
        for path, message in personal_data(notice.data):
            yield notice.path, path, message


def check_publicity_dates(registry: Registry) -> Iterable[RegistryHit]:
    for center in registry.centers:
        for event in center.of_kind("publicity"):
            notice = registry.notice(event.get("notice"))
            if notice is None or center.id not in {e["center"] for e in notice.entries}:
                continue  # ref.notice says so
            start = parse_date(notice.period.get("start", notice.data["issue_date"]))
            if event.date not in (notice.issue_date, start):
                also = "" if start == notice.issue_date else f"或公示开始日期 {start}"
                yield (
                    center.path,
                    event.path + ("date",),
                    f"公示事件日期 {event.date} 与公示 {notice.id} 的发布日期 {notice.issue_date}{also}不一致",
                )


def check_notice_links(registry: Registry) -> Iterable[RegistryHit]:
    for notice in registry.notices:
        for path, message in deceptive_links(notice.data):
            yield notice.path, path, message
    if registry.settings is not DEFAULT_SETTINGS:
        for path, message in deceptive_links(registry.settings.data):
            yield registry.settings.path, path, message


# --- supervising units (第七条) against registry/supervising_units.yaml ---------------------
# A center or a notice names its supervising unit in words, as the Bureau's documents do; the
# list gives every unit a stable id. A name the list does not hold is an error that offers
# the nearest listed names, so a typo cannot quietly make a second unit (and page) of one.
UNIT_NEAREST = 3  # how many known names an unknown one is offered
UNIT_CUTOFF = 0.5  # difflib's similarity below which a listed name is no help


def nearest(name: str, units: UnitList) -> list[str]:
    """The listed names (current or former) most like `name`, best first."""
    return difflib.get_close_matches(name, units.all_names, n=UNIT_NEAREST, cutoff=UNIT_CUTOFF)


def unknown_unit(name: str, units: UnitList) -> str:
    """Why `name` is refused, with the nearest listed names (also said by `new center` at its prompt)."""
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
            yield path, at, unknown_unit(name, units)


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


def check_similar_names(registry: Registry) -> Iterable[RegistryHit]:
    cores: dict[str, Center] = {}
    for center in registry.centers:
        match = NAME.fullmatch(center.name)
        if match:
            if match["core"] in cores:
                other = cores[match["core"]]
                yield center.path, ("name",), f"名称与{other.name}（{other.id}）相同"
            cores.setdefault(match["core"], center)
    for core, center in cores.items():
        inner = {core[i:j] for i in range(len(core)) for j in range(i + 2, len(core) + 1)} - {core}
        for other_core in sorted(inner & cores.keys()):
            other = cores[other_core]
            yield center.path, ("name",), f"名称包含另一中心{other.name}（{other.id}）的名称"
            break


def check_measures(registry: Registry) -> Iterable[RegistryHit]:
    book = registry.book
    own = book.get(m.IMPLEMENTED)
    if own is None:
        path = next((x.path for x in book.measures), registry.settings.path)
        yield path, (), f"registry/measures/ 中没有本站所实现的办法 {m.IMPLEMENTED} 的记录"
    else:
        for key, label in (("in_force_from", "施行日期"), ("expires", "有效期至")):
            stated, text = getattr(own, key), getattr(m.TEXT, key)
            if stated != text:
                yield own.path, (key,), f"{m.IMPLEMENTED}的{label}应为 {text}（第二十一条），记录为 {stated or '空'}"
    seen: dict[str, str] = {}
    for record in book.measures:
        if record.number in seen:
            yield record.path, ("number",), f"文号 {record.number} 已由 {seen[record.number]} 登记"
        seen.setdefault(record.number, record.path)
        if record.id and record.id != _stem(record.path):
            yield record.path, ("id",), f"id “{quoted(record.id)}”与文件名 {_stem(record.path)}.yaml 不一致"
        for i, number in enumerate(record.repeals):
            if number == record.number:
                yield record.path, ("repeals", i), f"{number} 不能废止自身"
            elif book.get(number) is None:
                yield record.path, ("repeals", i), f"废止的办法 {number} 没有登记"
        if record.in_force_from and record.expires and record.expires < record.in_force_from:
            yield record.path, ("expires",), f"有效期至 {record.expires} 早于施行日期 {record.in_force_from}"


def check_measures_refs(registry: Registry) -> Iterable[RegistryHit]:
    for center in registry.centers:
        for event in center.events:
            named = event.get("measures")
            if named and registry.book.get(named) is None:
                yield center.path, event.path + ("measures",), f"适用办法 {named} 没有在 registry/measures/ 中登记"


def check_ids(registry: Registry) -> Iterable[RegistryHit]:
    records: tuple[Center | Notice, ...] = (*registry.centers, *registry.notices)
    for record in records:
        stem = _stem(record.path)
        if record.id != stem:
            yield record.path, ("id",), f"id “{quoted(record.id)}”与文件名 {stem}.yaml 不一致"


def _stem(path: str) -> str:
    """`PurePosixPath(path).stem` of a record's (normalized) path, without building the object."""
    name = path.rpartition("/")[2]
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


# --- holiday schedules (registry/calendar/) and the working days they decide -----------------
WEEKDAY_NAMES = "一二三四五六日"


def check_notice_period_count(registry: Registry) -> Iterable[RegistryHit]:
    """A stated number of working days that the stated dates do not hold, on a known schedule."""
    calendar = WorkCalendar.of(registry.schedules)
    for notice in registry.notices:
        period = notice.period
        if "end" not in period or "working_days" not in period:
            continue
        start, end = parse_date(period.get("start", notice.data["issue_date"])), parse_date(period["end"])
        if start < notice.issue_date or end < start:
            continue  # notice.period reports a period that cannot be counted
        count, provisional = calendar.working_days_between(start, end)
        if not provisional and count != period["working_days"]:
            yield (
                notice.path,
                ("period", "working_days"),
                f"公示写明 {period['working_days']} 个工作日，但按国务院节假日安排 {start} 至 {end} 是 {count} 个工作日",
            )


def check_calendar_year(registry: Registry) -> Iterable[RegistryHit]:
    """One file per year, named after its year: a second file for a year is an error."""
    owners: dict[int, str] = {}
    for schedule in registry.schedules:
        if _stem(schedule.path) == str(schedule.year):
            owners[schedule.year] = schedule.path
    for schedule in registry.schedules:
        owner = owners.setdefault(schedule.year, schedule.path)
        if owner != schedule.path:
            yield schedule.path, ("year",), f"{schedule.year} 年的节假日安排已由 {owner} 记录；每年只能有一个文件"
        elif _stem(schedule.path) != str(schedule.year):
            yield schedule.path, ("year",), f"文件名应为 {schedule.year}.yaml：节假日安排的文件名即其年份"


def check_calendar_dates(registry: Registry) -> Iterable[RegistryHit]:
    """Every date in its year (元旦 may begin in December before it), no holiday ending before it starts."""
    for schedule in registry.schedules:
        year = schedule.year
        for h in schedule.holidays:
            earliest = dt.date(year - 1, 12, 1) if "元旦" in h.name else dt.date(year, 1, 1)
            dated = [
                (("start",), h.start),
                (("end",), h.end),
                *((("workdays", i), d) for i, d in enumerate(h.workdays)),
            ]
            for where, day in dated:
                if not earliest <= day <= dt.date(year, 12, 31):
                    hint = "（元旦的放假与调休最早可在上一年 12 月）" if "元旦" in h.name else ""
                    yield schedule.path, (*h.path, *where), f"{h.name}的日期 {day} 不在 {year} 年内{hint}"
            if h.end < h.start:
                yield schedule.path, (*h.path, "end"), f"{h.name}放假最后一天 {h.end} 早于第一天 {h.start}"


def check_calendar_conflicts(registry: Registry) -> Iterable[RegistryHit]:
    """A day that one entry gives off and another (or the same) makes a working day."""
    listed: dict[dt.date, tuple[bool, str]] = {}
    for schedule in registry.schedules:
        for day, working, path in schedule.listed():
            first = listed.setdefault(day, (working, schedule.path))
            if first[0] != working:
                other = "" if first[1] == schedule.path else f"（见 {first[1]}）"
                yield schedule.path, path, f"{day} 既是放假日又是调休上班日{other}"


def check_calendar_workdays(registry: Registry) -> Iterable[RegistryHit]:
    """调休 working days are Saturdays or Sundays: a weekday is a working day anyway."""
    for schedule in registry.schedules:
        for h in schedule.holidays:
            for i, day in enumerate(h.workdays):
                if day.weekday() < 5:
                    message = f"{day} 是星期{WEEKDAY_NAMES[day.weekday()]}：调休上班日应是周六或周日"
                    yield schedule.path, (*h.path, "workdays", i), message


REGISTRY_CHECKS: dict[str, RegistryCheck] = {
    "id.filename": check_ids,
    "calendar.year-file": check_calendar_year,
    "calendar.dates": check_calendar_dates,
    "calendar.conflict": check_calendar_conflicts,
    "calendar.weekday-workday": check_calendar_workdays,
    "ref.notice": check_notice_refs,
    "ref.center": check_center_refs,
    "ref.unit": check_unit_refs,
    "units.unique": check_unique_units,
    "notice.name-match": check_notice_names,
    "notice.host-match": check_notice_hosts,
    "notice.period": check_notice_period,
    "notice.period-count": check_notice_period_count,
    "privacy.notice": check_notice_privacy,
    "publicity.date": check_publicity_dates,
    "link.notice": check_notice_links,
    "naming.similar": check_similar_names,
    "measures.record": check_measures,
    "ref.measures": check_measures_refs,
}

# --- against the calendar: needs today's date ----------------------------------------------

DatedRegistryCheck = Callable[[Registry, dt.date], Iterable[RegistryHit]]
EARLIEST = dt.date(1990, 1, 1)  # no record of this kind (nor its engineering-centre forerunner) is older
#: How many days after today an event may be dated (rules/table.py says why, per kind):
#: a document may carry its issue date a few days before it is published and recorded;
#: what a host unit does, or an accident, is recorded once it has happened.
AHEAD_DAYS = {
    **dict.fromkeys(
        ("approval", "rejection", "task_book", "extension", "acceptance", "annual_assessment", "evaluation"), 7
    ),
    **dict.fromkeys(("funding", "change", "revocation", "publicity"), 7),
    **dict.fromkeys(("application", "recommendation", "expert_review", "acceptance_application"), 0),
    **dict.fromkeys(("withdrawal", "safety_incident"), 0),
}


def check_plausible_dates(registry: Registry, today: dt.date) -> Iterable[RegistryHit]:
    for center in registry.centers:
        for event in center.events:
            latest = today + dt.timedelta(days=AHEAD_DAYS.get(event.kind, 0))
            if event.date > latest:
                yield (
                    center.path,
                    event.path + ("date",),
                    f"“{event.label}”日期 {event.date} 晚于今天（{today}）"
                    + (f"超过 {AHEAD_DAYS[event.kind]} 天" if AHEAD_DAYS.get(event.kind) else "")
                    + "：记录的是已经发生的事",
                )
            elif event.date < EARLIEST:
                yield (
                    center.path,
                    event.path + ("date",),
                    f"“{event.label}”日期 {event.date} 早于 {EARLIEST}，不可能是本名录的事件",
                )
    for notice in registry.notices:
        if notice.issue_date > today + dt.timedelta(days=AHEAD_DAYS["publicity"]):
            yield (
                notice.path,
                ("issue_date",),
                f"发布日期 {notice.issue_date} 晚于今天（{today}）超过 {AHEAD_DAYS['publicity']} 天",
            )
        elif notice.issue_date < EARLIEST:
            yield notice.path, ("issue_date",), f"发布日期 {notice.issue_date} 早于 {EARLIEST}，不可能是本名录的公示"


DATED_REGISTRY_CHECKS: dict[str, DatedRegistryCheck] = {"dates.plausible": check_plausible_dates}

#: Every rule this module applies, by id (tests check that every rule of the table is applied).
APPLIES: dict[str, Callable[..., Any]] = {**CENTER_CHECKS, **REGISTRY_CHECKS, **DATED_REGISTRY_CHECKS}
