"""A deterministic synthetic registry, valid by construction, for the scale benchmark.

    python -m bench.synth --seed 1 --count 1000 OUT_DIR

writes OUT_DIR/registry.yaml (sample_data: true), OUT_DIR/supervising_units.yaml (one unit
per county), OUT_DIR/centers/<id>.yaml (COUNT files)
and OUT_DIR/notices/<id>.yaml (about COUNT/10). Every center runs a realistic life cycle
between 2019 and the horizon (2026-10-31): application, recommendation, expert review,
publicity in a generated notice, approval, task book, construction funding, sometimes an
extension, acceptance application within a month of the end of construction, acceptance
(mostly 通过), annual assessments from the acceptance year, evaluations every three years,
优秀奖励 after each third consecutive 优秀, renames, and revocation after two consecutive
不合格 (第十八条); some applications are withdrawn or rejected.

The files are written the way people write them (plain scalars, the modeline first) and
pass `validate_registry` with zero findings: errors and warnings. Names are
"忻州市" + a 2-character code + a 4-character field word + "技术创新中心"; every ×× has
the same length, so none can contain another (the similar-name warning), and each one
is drawn without replacement so none repeats. The same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.rules.dates import add_months, add_years
from generator.rules.workdays import WorkCalendar

HORIZON = dt.date(2026, 10, 31)  # no event after this day: the data "as of" the benchmark
AS_OF = dt.date(2026, 11, 2)  # the date the benchmark derives for
FIRST_ROUND = dt.date(2019, 3, 1)
LAST_ROUND = dt.date(2025, 12, 1)
ROUND_SIZE = 10  # applications per approval round, i.e. per approval notice

# GB 32100-2015 (unified social credit code)
GB_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
GB_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

CODE_TABLE = "".join(
    dict.fromkeys("晋华源泰恒盛兴隆丰瑞鑫昌宏达远通博海峰云岳川宁安康德信和嘉锦鼎汇诚裕润明启航卓越")
)  # distinct characters

# field label → (4-character words for the name, industry word for units, research directions)
FIELDS: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...]], ...] = (
    (
        "新材料",
        ("特种合金", "碳基材料", "先进陶瓷", "镁铝合金", "磁性材料", "精密铸造"),
        "材料",
        (
            "高性能合金成分设计",
            "粉末冶金成形工艺",
            "陶瓷基复合材料制备",
            "材料表面改性",
            "材料服役性能评价",
            "再生金属提纯",
            "功能涂层研制",
        ),
    ),
    (
        "装备制造",
        ("精密锻件", "法兰锻造", "矿山装备", "智能农机", "轨道部件", "液压元件"),
        "机械",
        (
            "大型环件精密轧制",
            "锻件热处理工艺",
            "数控成形装备研制",
            "关键零部件检测",
            "装备远程运维",
            "液压系统可靠性",
            "智能产线集成",
        ),
    ),
    (
        "新能源",
        ("光伏储能", "氢能装备", "风电运维", "储能电池", "地热利用", "生物质能"),
        "能源",
        (
            "高效光伏组件封装",
            "电化学储能系统集成",
            "光储一体化微电网控制",
            "储能电池安全监测",
            "氢气制储运",
            "风机叶片检测维护",
            "中深层地热换热",
        ),
    ),
    (
        "现代农业",
        ("智慧农牧", "旱作农业", "设施蔬菜", "畜禽育种", "杂粮育种", "食用菌业"),
        "农业",
        (
            "畜禽智能化养殖",
            "旱作农业精准种植",
            "农业物联网与大数据",
            "杂粮新品种选育",
            "设施环境调控",
            "病虫害绿色防控",
            "农田墒情监测",
        ),
    ),
    (
        "农产品加工",
        ("功能杂粮", "杂粮加工", "乳品加工", "肉品加工", "沙棘加工", "果蔬保鲜"),
        "食品",
        (
            "功能性杂粮食品开发",
            "杂粮营养成分评价",
            "农产品副产物高值化利用",
            "食品质量安全控制",
            "果蔬产地预冷",
            "乳品发酵工艺",
            "沙棘活性成分提取",
        ),
    ),
    (
        "生物医药",
        ("道地药材", "中药饮片", "生物制药", "医疗器械", "兽用疫苗", "药用辅料"),
        "药业",
        (
            "道地药材规范化种植",
            "中药饮片炮制工艺",
            "中药质量标准研究",
            "生物药制剂开发",
            "兽用疫苗研制",
            "医疗器械检测评价",
            "药用辅料质量控制",
        ),
    ),
    (
        "节能环保",
        ("固废利用", "污水处理", "土壤修复", "大气治理", "尾矿利用", "节能建材"),
        "环保",
        (
            "煤矸石综合利用",
            "粉煤灰高值化利用",
            "工业废水深度处理",
            "污染土壤修复",
            "烟气超低排放",
            "尾矿制备建材",
            "建筑节能材料",
        ),
    ),
    (
        "信息技术",
        ("工业互联", "数字孪生", "北斗应用", "无人系统", "智能传感", "数据服务"),
        "信息",
        (
            "工业互联网平台",
            "设备数字孪生建模",
            "北斗高精度定位",
            "无人机巡检",
            "智能传感器研制",
            "数据治理与共享",
            "边缘计算应用",
        ),
    ),
    (
        "文化旅游",
        ("文物保护", "古建修缮", "非遗传承", "智慧文旅", "陶瓷工艺", "文创设计"),
        "文化",
        (
            "古建筑数字化测绘",
            "彩塑壁画保护修复",
            "文物病害监测",
            "非遗技艺数字化",
            "智慧景区服务",
            "传统陶瓷釉料研究",
            "文创产品设计",
        ),
    ),
    (
        "煤炭与化工",
        ("煤基材料", "煤炭洗选", "焦化副产", "煤矿安全", "瓦斯利用", "智能矿山"),
        "煤业",
        (
            "煤基碳材料制备",
            "煤炭高效分选",
            "焦化副产品精制",
            "矿井灾害预警",
            "低浓度瓦斯利用",
            "综采工作面智能化",
            "矿区生态修复",
        ),
    ),
)
COUNTIES = (
    "忻府区",
    "定襄县",
    "五台县",
    "代县",
    "繁峙县",
    "宁武县",
    "静乐县",
    "神池县",
    "五寨县",
    "岢岚县",
    "河曲县",
    "保德县",
    "偏关县",
    "原平市",
    "忻州经济开发区",
)
UNIVERSITIES = (
    ("晋北理工大学", True),
    ("汾河农业大学", True),
    ("云中医学院", True),
    ("雁门科技大学", True),
    ("滹沱师范学院", True),
    ("太行工程大学", True),
    ("燕山能源大学", False),
    ("京华化工大学", False),
)
INSTITUTES = ("晋北材料研究院", "云中农业科学研究所", "汾河能源研究院", "雁门中医药研究所", "太行环境科学研究院")
NEW_RD = ("忻州产业技术研究院", "晋北新型研发中心", "云中协同创新研究院")
ROADS = ("和平街", "建设路", "长征街", "七一路", "雁门大道", "开元路", "云中路", "新建路", "利民街")
UNIT_SUFFIXES = ("股份有限公司", "有限公司", "科技有限公司")
OBJECTION = (
    "任何单位或个人对公示名单有异议的，请于公示期内以书面形式向忻州市科学技术局提出，写明异议理由并提供必要的证明材料。"
    "单位提出异议的须加盖本单位公章；个人提出异议的须签署真实姓名并注明联系方式。匿名异议及逾期提出的异议不予受理。"
)
MEASURES = "忻科规〔2024〕4号"
MEASURES_DIR = Path(__file__).resolve().parents[1] / "registry" / "measures"
MEASURES_START = dt.date(2024, 8, 4)
GRADES = ("优秀", "良好", "合格", "基本合格", "不合格")


def supervising_unit(location: str) -> str:
    """The supervising unit of a center in `location`: the county's S&T body, as in practice."""
    return {"忻州经济开发区": "忻州经济开发区创新创业服务中心", "河曲县": "河曲县经济发展服务中心"}.get(
        location, f"{location}工信和科技局"
    )


def units_yaml() -> str:
    """registry/supervising_units.yaml listing every unit `supervising_unit` gives, one per county."""
    lines = ["# yaml-language-server: $schema=../schema/supervising-units.schema.json", "units:"]
    for i, county in enumerate(COUNTIES):
        lines += [f"  - id: unit-{i + 1:02d}", f"    name: {supervising_unit(county)}", f"    county: {county}"]
    return "\n".join(lines) + "\n"


def credit_code(prefix: str, serial: int) -> str:
    """prefix (10 characters) + 7 characters from `serial` + the GB 32100 check character."""
    body = ""
    for _ in range(7):
        serial, digit = divmod(serial, 31)
        body = GB_CHARS[digit] + body
    first17 = prefix + body
    total = sum(GB_CHARS.index(c) * w for c, w in zip(first17, GB_WEIGHTS))
    return first17 + GB_CHARS[(31 - total % 31) % 31]


CALENDAR = WorkCalendar()  # synthetic registries record no holiday schedule: the package's, then the statutory rule


def _workday_from(day: dt.date) -> dt.date:
    while not CALENDAR.workday(day).is_workday:
        day += dt.timedelta(days=1)
    return day


# --- YAML written the way a person writes it --------------------------------------------

_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"
_NOT_TEXT = (
    re.compile(r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$"),
    re.compile(r"^[-+]?[0-9]+$"),
    re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$"),
    re.compile(
        r"^[-+]?(?:0[0-9_]+|[0-9][0-9_]*_[0-9_]*|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|0b[01_]+|0o[0-7]+)$"
    ),
)


def _scalar(value: Any) -> str:
    """A plain scalar when YAML 1.1 and 1.2 both read it back as this text, else a quoted one."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    plain = (
        text
        and text == text.strip()
        and text[0] not in _INDICATORS
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and not any(p.match(text) for p in _NOT_TEXT)
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def _emit(value: Any, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                out.append(f"{pad}{key}:")
                _emit(item, indent + 2, out)
            else:
                out.append(f"{pad}{key}: {_scalar(item)}")
    else:
        for item in value:
            if isinstance(item, dict):
                lines: list[str] = []
                _emit(item, 0, lines)
                out.append(f"{pad}- {lines[0]}")
                out.extend(f"{pad}  {line}" for line in lines[1:])
            else:
                out.append(f"{pad}- {_scalar(item)}")


def to_yaml(data: dict[str, Any], schema: str) -> str:
    out = [f"# yaml-language-server: $schema={schema}"]
    _emit(data, 0, out)
    return "\n".join(out) + "\n"


# --- the registry --------------------------------------------------------------------------


@dataclass
class NoticeDraft:
    id: str
    subject: str
    issue: dt.date
    title: str
    procedure: str
    basis: str
    entries: list[str] = field(default_factory=list)  # center ids, names resolved at the end


@dataclass
class CenterDraft:
    data: dict[str, Any]
    events: list[tuple[dt.date, int, dict[str, Any]]]
    renames: list[tuple[dt.date, str, str]]  # (date, old, new)

    def name_on(self, day: dt.date) -> str:
        name = self.data["name"]
        for date, old, _ in reversed(self.renames):
            if date > day:
                name = old
        return name


class Synth:
    def __init__(self, seed: int, count: int) -> None:
        self.rng = random.Random(seed)
        self.count = count
        self.doc_counters: dict[tuple[str, int], int] = {}
        self.notices: list[NoticeDraft] = []
        self.notice_seq: dict[tuple[str, int], int] = {}
        codes = [a + b for a in CODE_TABLE for b in CODE_TABLE if a != b]
        # one shuffled pool of unused ×× per field: 1,560 codes × 6 words = 9,360 names each
        self._pools = [
            [
                codes[k // len(f[1])] + f[1][k % len(f[1])]
                for k in self.rng.sample(range(len(codes) * len(f[1])), len(codes) * len(f[1]))
            ]
            for f in FIELDS
        ]
        self._approval_batches: dict[int, int] = {}

    # names ---------------------------------------------------------------------------
    def core(self, field_index: int | None = None) -> tuple[str, int]:
        """A fresh ×× of six characters (2-character code + 4-character field word), never used before."""
        if field_index is None:
            field_index = self.rng.randrange(len(FIELDS))
        for fi in (field_index, *range(len(FIELDS))):
            if self._pools[fi]:
                return self._pools[fi].pop(), fi
        raise ValueError("名称空间已用尽：count 太大")

    def doc(self, kind: str, year: int) -> str:
        key = (kind, year)
        self.doc_counters[key] = self.doc_counters.get(key, 0) + 1
        return f"{kind}〔{year}〕{self.doc_counters[key]}号"

    def notice(self, subject: str, issue: dt.date, title: str, procedure: str, basis: str) -> NoticeDraft:
        prefix = {"拟批准建设": "approval", "拟撤销": "revocation"}[subject]
        key = (prefix, issue.year)
        self.notice_seq[key] = self.notice_seq.get(key, 0) + 1
        draft = NoticeDraft(
            f"{prefix}-{issue.year}-{self.notice_seq[key]:03d}", subject, issue, title, procedure, basis
        )
        self.notices.append(draft)
        return draft

    # the whole registry ----------------------------------------------------------------
    def build(self) -> tuple[list[CenterDraft], list[NoticeDraft]]:
        rounds = max(1, -(-self.count // ROUND_SIZE))
        span = (LAST_ROUND - FIRST_ROUND).days
        centers: list[CenterDraft] = []
        for r in range(rounds):
            base = FIRST_ROUND + dt.timedelta(days=int(span * (r + self.rng.random()) / rounds))
            review = _workday_from(base + dt.timedelta(days=self.rng.randint(70, 100)))
            issue = _workday_from(review + dt.timedelta(days=self.rng.randint(15, 30)))
            period = CALENDAR.working_period(issue, 5)
            approval = _workday_from(period.end + dt.timedelta(days=self.rng.randint(10, 30)))
            batch = self._approval_batches[issue.year] = self._approval_batches.get(issue.year, 0) + 1
            draft = self.notice(
                "拟批准建设",
                issue,
                f"关于{issue.year}年度第{batch}批拟批准建设忻州市技术创新中心名单的公示",
                "经依托单位申报、归口管理单位审核推荐、市科学技术局初审和专家评审，拟批准建设以下市技术创新中心，现予以公示。",
                f"《市技术创新中心建设与运行管理办法》（{MEASURES}）",
            )
            approval_doc = self.doc("忻科发", approval.year)
            for i in range(r * ROUND_SIZE, min(self.count, (r + 1) * ROUND_SIZE)):
                centers.append(self.center(i, base, review, draft, period.end, approval, approval_doc))
            if not draft.entries:
                self.notices.remove(draft)
        return centers, self.notices

    def center(
        self,
        i: int,
        base: dt.date,
        review: dt.date,
        notice: NoticeDraft,
        notice_end: dt.date,
        approval: dt.date,
        approval_doc: str,
    ) -> CenterDraft:
        rng = self.rng
        core, fi = self.core()
        field_label, _, industry, directions = FIELDS[fi]
        cid = f"synth-{i + 1:05d}"
        category = "综合类" if rng.random() < 0.3 else "领域类"
        location = rng.choice(COUNTIES)
        supervising = supervising_unit(location)
        company_code = rng.choice(CODE_TABLE) + rng.choice(CODE_TABLE)
        company = {"name": f"山西{company_code}{industry}{rng.choice(UNIT_SUFFIXES)}", "kind": "企业"}
        university = rng.choice(UNIVERSITIES)
        uni = {"name": university[0], "kind": "高校", "in_province": university[1]}
        data: dict[str, Any] = {
            "id": cid,
            "name": f"忻州市{core}技术创新中心",
            "category": category,
            "field": field_label,
            "location": location,
            "supervising_unit": supervising,
        }
        if category == "领域类":
            company["credit_code"] = credit_code("91140900MA", i * 7 + 3)
            company["high_tech_enterprise" if rng.random() < 0.8 else "above_scale_with_rd"] = True
            data["first_host_unit"] = company
            partners = [uni]
            if rng.random() < 0.4:
                partners.append(
                    {"name": rng.choice(INSTITUTES), "kind": "科研院所", "in_province": True, "in_city": True}
                )
        else:
            kind = rng.choice(("高校", "科研院所", "新型研发机构"))
            lead_name = {
                "高校": "忻州理工学院",
                "科研院所": rng.choice(INSTITUTES),
                "新型研发机构": rng.choice(NEW_RD),
            }[kind]
            data["first_host_unit"] = {
                "name": lead_name,
                "kind": kind,
                "credit_code": credit_code("12140900MB" if kind != "新型研发机构" else "52140900MJ", i * 7 + 5),
            }
            company["in_city"] = True
            partners = [company]
            if kind != "高校" and rng.random() < 0.5:
                partners.append(uni)
        data["co_building_units"] = partners
        data["director"] = {
            "title_level": rng.choice(("正高级", "正高级", "副高级")),
            "age_at_application": rng.randint(38, 60),
        }
        data["application_conditions"] = {
            "floor_area_m2": rng.randrange(520, 3000, 10),
            "equipment_value_wan": rng.randrange(510, 3000, 10),
            "rd_spending_3y_wan": rng.randrange(520, 4000, 10),
            "first_host_share_percent": rng.randint(50, 90),
        }
        if category == "综合类":
            data["institutions"] = [
                {
                    "name": f"{rng.choice(CODE_TABLE)}{rng.choice(CODE_TABLE)}{d[:4]}研发中心",
                    "location": rng.choice(COUNTIES),
                    "focus": d,
                }
                for d in rng.sample(directions, rng.randint(2, 3))
            ]
        elif rng.random() < 0.05:
            data["converted_from"] = {
                "name": f"忻州市{core[:2]}{industry}工程技术研究中心",
                "approval_year": rng.randint(2010, 2018),
            }
        data["research_directions"] = rng.sample(directions, rng.randint(3, 5))
        data["contact"] = {
            "office": "中心办公室",
            "office_phone": f"0350-3{(i * 7919) % 1000000:06d}",
            "email": f"{cid}@example.org",
            "address": f"忻州市{location}{rng.choice(ROADS)}{rng.randint(1, 300)}号",
        }
        draft = CenterDraft(data, [], [])
        self.life(draft, base, review, notice, notice_end, approval, approval_doc)
        return draft

    def life(
        self,
        c: CenterDraft,
        base: dt.date,
        review: dt.date,
        notice: NoticeDraft,
        notice_end: dt.date,
        approval: dt.date,
        approval_doc: str,
    ) -> None:
        rng, events = self.rng, c.events
        seq = iter(range(10**6))

        def add(date: dt.date, kind: str, **fields: Any) -> None:
            events.append((date, next(seq), {"date": date.isoformat(), "kind": kind, **fields}))

        def days(a: int, b: int) -> dt.timedelta:
            return dt.timedelta(days=rng.randint(a, b))

        applied = base - days(0, 30)
        add(applied, "application", **({"measures": MEASURES} if applied >= MEASURES_START else {}))
        recommended = applied + days(8, 25)
        fate = rng.random()
        if fate < 0.04:
            if rng.random() < 0.5:
                add(recommended, "recommendation")
            add(recommended + days(5, 40), "withdrawal", reason="依托单位因建设条件调整，书面申请撤回。")
            return
        add(recommended, "recommendation")
        if fate < 0.10:  # a failed review is not public: only the published result is recorded
            rejected = review + days(10, 30)
            add(rejected, "rejection", source={"document_number": self.doc("忻科函", rejected.year)})
            return
        add(review, "expert_review", result="通过")
        add(notice.issue, "publicity", notice=notice.id)
        notice.entries.append(c.data["id"])
        add(approval, "approval", source={"document_number": approval_doc})
        planned_end = add_years(approval, 2) if rng.random() < 0.85 else add_months(approval, 18)
        add(approval + days(20, 45), "task_book", planned_end=planned_end.isoformat())
        funded = approval + days(50, 80)
        add(
            funded,
            "funding",
            funding_kind="建设经费",
            amount_wan=10,
            source={"document_number": self.doc("忻科发", funded.year)},
        )
        end = planned_end
        if rng.random() < 0.1:
            end = add_months(planned_end, rng.choice((6, 12)))
            extended_on = planned_end - days(20, 80)
            if extended_on <= HORIZON:
                add(
                    extended_on,
                    "extension",
                    new_end=end.isoformat(),
                    reason="关键设备到货延迟，建设任务未能按期完成。",
                    source={"document_number": self.doc("忻科函", extended_on.year)},
                )
            else:
                end = planned_end
        extended = end != planned_end
        terminal: dt.date | None = None
        applied_acc = end + days(1, 25)
        if applied_acc <= HORIZON:
            add(applied_acc, "acceptance_application")
            accepted = applied_acc + days(20, 60)
            if accepted <= HORIZON:
                passed = rng.random() < 0.9
                add(
                    accepted,
                    "acceptance",
                    result="通过" if passed else "未通过",
                    source={"document_number": self.doc("忻科发", accepted.year)},
                )
                if passed:
                    terminal = self.operation(c, add, accepted)
                elif extended and accepted + dt.timedelta(days=90) <= HORIZON:
                    terminal = self.revoke(c, add, accepted + days(20, 60), "延期后验收仍未通过。", "第十二条")
        self.rename(c, add, approval, terminal or HORIZON)
        events.sort(key=lambda e: (e[0], e[1]))

    def operation(self, c: CenterDraft, add: Any, accepted: dt.date) -> dt.date | None:
        """Annual assessments, evaluations and awards after acceptance; the revocation date if any."""
        rng = self.rng
        profile = rng.random()
        weights = (
            (85, 10, 5, 0, 0) if profile < 0.15 else (5, 15, 30, 20, 30) if profile < 0.22 else (15, 35, 30, 12, 8)
        )
        streak, previous = 0, None
        year = accepted.year
        evaluation_base = accepted
        revoked: dt.date | None = None
        while True:
            published = dt.date(year + 1, 3, rng.randint(5, 28))
            next_eval = add_years(evaluation_base, 3) - dt.timedelta(days=rng.randint(10, 60))
            if next_eval <= min(published, HORIZON):
                add(
                    next_eval,
                    "evaluation",
                    grade=rng.choices(GRADES[:4], (20, 40, 30, 10))[0],
                    note=f"{next_eval.year}年建设与运行情况评估。",
                    source={"document_number": self.doc("忻科发", next_eval.year)},
                )
                evaluation_base = next_eval
                continue
            if published > HORIZON:
                break
            grade = rng.choices(GRADES, weights)[0]
            add(
                published,
                "annual_assessment",
                year=year,
                grade=grade,
                source={"document_number": self.doc("忻科发", published.year)},
            )
            streak = streak + 1 if grade == "优秀" else 0
            if streak and streak % 3 == 0:
                awarded = published + dt.timedelta(days=rng.randint(20, 80))
                add(
                    awarded,
                    "funding",
                    funding_kind="优秀奖励",
                    amount_wan=5,
                    note=f"{year - 2}—{year}年度绩效考核连续3年为优秀。",
                    source={"document_number": self.doc("忻科发", awarded.year)},
                )
            if grade == "不合格" and previous == "不合格":
                revoked = self.revoke(
                    c,
                    add,
                    published + dt.timedelta(days=rng.randint(10, 30)),
                    f"{year - 1}年度、{year}年度绩效考核结果连续两年为“不合格”。",
                    "第十八条",
                )
                break
            previous = grade
            year += 1
        if revoked:  # nothing may follow a revocation
            c.events[:] = [e for e in c.events if e[0] <= revoked]
        return revoked

    def revoke(self, c: CenterDraft, add: Any, issue: dt.date, reason: str, article: str) -> dt.date:
        issue = _workday_from(issue)
        period = CALENDAR.working_period(issue, 5)
        notice = self.notice(
            "拟撤销",
            issue,
            f"关于拟撤销{c.data['id']}资格的公示",  # the title is finished in `finish`
            f"{reason}根据{article}规定，拟撤销其市技术创新中心资格，现予以公示。",
            f"《市技术创新中心建设与运行管理办法》（{MEASURES}）{article}",
        )
        notice.entries.append(c.data["id"])
        add(issue, "publicity", notice=notice.id)
        revoked = _workday_from(period.end + dt.timedelta(days=self.rng.randint(5, 15)))
        add(
            revoked,
            "revocation",
            reason=reason,
            article=article,
            source={"document_number": self.doc("忻科发", revoked.year)},
        )
        return revoked

    def rename(self, c: CenterDraft, add: Any, approval: dt.date, last: dt.date) -> None:
        rng = self.rng
        first = approval + dt.timedelta(days=120)
        if (last - first).days < 60 or rng.random() >= 0.12:
            return
        dates = sorted(
            first + dt.timedelta(days=rng.randint(0, (last - first).days - 1))
            for _ in range(2 if rng.random() < 0.15 else 1)
        )
        if len(dates) == 2 and dates[0] == dates[1]:
            dates.pop()
        field_index = next(i for i, f in enumerate(FIELDS) if f[0] == c.data["field"])
        for date in dates:
            old = c.data["name"]
            new = f"忻州市{self.core(field_index)[0]}技术创新中心"
            c.data["name"] = new
            c.renames.append((date, old, new))
            add(
                date,
                "change",
                change_kind="更名",
                old=old,
                new=new,
                source={"document_number": self.doc("忻科函", date.year)},
                note="依托单位书面申请，经归口管理单位审核后报市科学技术局批准。",
            )
        if rng.random() < 0.3:  # sometimes the research directions change too
            date = dates[-1] + dt.timedelta(days=rng.randint(1, 30))
            if date < last:
                directions = next(f[3] for f in FIELDS if f[0] == c.data["field"])
                new_dirs = rng.sample(directions, rng.randint(3, 5))
                add(
                    date,
                    "change",
                    change_kind="研究方向变更",
                    old=list(c.data["research_directions"]),
                    new=new_dirs,
                    source={"document_number": self.doc("忻科函", date.year)},
                )
                c.data["research_directions"] = new_dirs


def _notice_data(n: NoticeDraft, centers: dict[str, CenterDraft]) -> dict[str, Any]:
    period = CALENDAR.working_period(n.issue, 5)
    outcome = _workday_from(period.end + dt.timedelta(days=1))
    entries = []
    for cid in n.entries:
        c = centers[cid]
        units = [c.data["first_host_unit"]["name"], *(u["name"] for u in c.data["co_building_units"])]
        entries.append(
            {
                "center": cid,
                "name": c.name_on(n.issue),
                "category": c.data["category"],
                "host_units": units,
                "supervising_unit": c.data["supervising_unit"],
                "location": c.data["location"],
            }
        )
    title = n.title
    if n.subject == "拟撤销":
        title = f"关于拟撤销{entries[0]['name']}资格的公示"
    return {
        "id": n.id,
        "title": title,
        "issuer": "忻州市科学技术局",
        "issue_date": n.issue.isoformat(),
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(), "working_days": 5},
        "subject": n.subject,
        "basis": n.basis,
        "procedure": n.procedure,
        "entries": entries,
        "objection": OBJECTION,
        "contact": {
            "office": "忻州市科学技术局平台建设科",
            "office_phone": "0350-3030100",
            "email": "kjj-demo@example.org",
            "address": "忻州市忻府区示例大街1号",
        },
        "outcome": {"result": "无异议", "date": outcome.isoformat(), "note": "公示期内未收到异议。"},
    }


REGISTRY_YAML = """# yaml-language-server: $schema=../schema/registry.schema.json
title: 忻州市技术创新中心名录
publisher: 忻州市科学技术局（演示）
sample_data: true
sample_notice: 本站所有中心、单位、公示与事件记录均为按随机种子合成的基准测试数据，不代表任何真实单位或官方公布的信息。
license: CC-BY-4.0
"""


def generate(out: Path, count: int, seed: int = 1) -> tuple[int, int]:
    """Write the registry into `out` (created; existing record files are replaced). Returns (centers, notices)."""
    centers, notices = Synth(seed, count).build()
    by_id = {c.data["id"]: c for c in centers}
    (out / "centers").mkdir(parents=True, exist_ok=True)
    (out / "notices").mkdir(parents=True, exist_ok=True)
    for folder in ("centers", "notices"):
        for old in (out / folder).glob("*.yaml"):
            old.unlink()
    (out / "registry.yaml").write_bytes(REGISTRY_YAML.encode())
    (out / "supervising_units.yaml").write_bytes(units_yaml().encode())
    (out / "measures").mkdir(exist_ok=True)
    for record in sorted(MEASURES_DIR.glob("*.yaml")):  # the measures themselves are real, not synthetic
        (out / "measures" / record.name).write_bytes(record.read_bytes())
    for c in centers:
        c.data["events"] = [e for _, _, e in c.events]
        (out / "centers" / f"{c.data['id']}.yaml").write_bytes(
            to_yaml(c.data, "../../schema/center.schema.json").encode()
        )
    for n in notices:
        (out / "notices" / f"{n.id}.yaml").write_bytes(
            to_yaml(_notice_data(n, by_id), "../../schema/notice.schema.json").encode()
        )
    return len(centers), len(notices)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synth", description="生成确定性的合成名录（基准测试用）")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=1000, help="中心数")
    parser.add_argument("out", type=Path, help="输出目录（名录根目录）")
    args = parser.parse_args(argv)
    centers, notices = generate(args.out, args.count, args.seed)
    print(f"{args.out}: {centers} 个中心，{notices} 个公示", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
