"""The version of the open data's format, and what changed in each version.

Paths stay where they are; every JSON document, the Data Package and the workbook's
说明 sheet carry `DATA_VERSION`, and the changelog page (data/changelog.md) says what
each version changed. The major number moves when a field is removed or changes
meaning or type, the minor number when fields or files are added: a consumer that
checks the major number knows when to read the changelog before trusting a column.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.render.env import markup_env
from generator.render.opendata.common import code_spans


@dataclass(frozen=True)
class Version:
    number: str
    date: str  # when this version of the format was first published
    changes: tuple[str, ...]  # Chinese, one change per line, field names in backticks


#: Newest first. A change to a column, field or file adds a version here (tests check that
#: DATA_VERSION is the newest).
VERSIONS = (
    Version(
        "2.1.0",
        "2026-12-06",
        (
            "新增 `units.csv`（归口管理单位名录，每个单位一行：`id`、名称、所属地区、曾用名、页面），"
            "加入工作簿与 `datapackage.json`。",
            "`centers.csv`、`notices.csv` 与 `centers.json`（及每个中心的 JSON）增加 `supervising_unit_id`："
            "归口管理单位在 `units.csv` 中的 `id`（外键），单位更名后不变；名录中没有这个名称时为空。",
        ),
    ),
    Version(
        "2.0.0",
        "2026-12-06",
        (
            "公示状态（`notices.json` 与 `notices.csv` 的 `state`/`state_label`）增加 `result_pending`（结果待公布）："
            "公示期已结束而名录中还没有数据截至日前公布的公示结果（`outcome`）。"
            "`ended`（已结束）从此只指已记录公示结果的公示；按 `ended` 统计全部期满公示的程序应同时计入 `result_pending`。",
        ),
    ),
    Version(
        "1.0.0",
        "2026-12-06",
        (
            "首个带版本号的格式。此前的文件没有版本号，视为 0.x；以下是相对于 0.x 的变化。",
            "每个 JSON 文件、`datapackage.json` 和工作簿的“说明”工作表都有 `version`（本页的版本号）。",
            "每张 CSV 末尾增加 `as_of`（数据截至日期）与 `sample_data`（是否为演示数据）两列；工作簿增加“说明”工作表。",
            "`centers.csv`：`status` 由中文名称改为英文代码，中文名称移到新列 `status_label`，删除 `status_key`；"
            "`status_detail` 由中文说明改为英文代码，中文说明移到新列 `status_detail_label`，删除 `status_detail_key`；"
            "`next_deadline_state` 由中文名称改为英文代码，中文名称在新列 `next_deadline_state_label`；"
            "新增 `next_deadline_uid`。",
            "`deadlines.csv` 与 JSON 的期限增加 `uid`：期限的稳定标识，与日历事件的 UID 相同，期限延期后不变；"
            "`deadlines.csv` 的主键由（center_id、key）改为 `uid`，`key` 保留为中心内的期限标识。",
            "`days` 的说明改正：已届满（passed）的期限与已逾期的一样，为到期日之后已过的天数。",
            "新增 `notices.csv`（每份公示的每个名单条目一行）与 `events.csv`（每条事件记录一行，含出处），"
            "两者都加入工作簿与 `datapackage.json`，`center_id` 是指向 `centers.csv` 的外键。",
            "`funding.entitlements[].due_on` 由文字改为日期（应获之日），原来的文字移到新字段 `due_reason`。",
            "`data/centers/<标识>.json` 改为与 `centers.json` 相同的文件头（`as_of`、`version` 等）加 `center` 对象。",
            "`notices.json` 中数据截至日之后的公示结果（`outcome`）不再提前列出。",
            "新增每个中心的日历 `data/centers/<标识>.ics`（到期前 30 天、7 天提醒）与订阅源 `data/centers/<标识>.atom`，"
            "新增中心动态订阅源 `data/centers.atom`、各县（市、区）期限日历 `data/counties/<代码>.ics`；"
            "全部日历事件都带提醒。",
            "`notices.xml` 中条目的 `updated` 取该公示最近一个有日期的事实（发布日期或公示结果日期）。",
            "`datapackage.json` 改为描述全部文件（不只三张 CSV），`profile` 由 `tabular-data-package` 改为 `data-package`。",
        ),
    ),
)
DATA_VERSION = VERSIONS[0].number


def render_changelog() -> str:
    """data/changelog.md: every version with its changes, newest first."""
    versions = [(v.number, v.date, [code_spans(c) for c in v.changes]) for v in VERSIONS]
    return markup_env().get_template("data/changelog.md.j2").render(versions=versions, current=DATA_VERSION)
