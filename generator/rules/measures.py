"""The numbers of the measures (忻科规〔2024〕4号) and the date-free facts built on them.

Both the validator and the derivation read these, so a threshold or a period is written
once, next to its article.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.records.model import Center, Event
from generator.rules.dates import add_months, add_years

MEASURES_NUMBER = "忻科规〔2024〕4号"
TRIAL_MEASURES_NUMBER = "忻科规〔2023〕2号"
MEASURES_TITLE = "《市技术创新中心建设与运行管理办法》"
MEASURES_START = dt.date(2024, 8, 4)  # 第二十一条
MEASURES_END = add_years(MEASURES_START, 5) - dt.timedelta(days=1)  # five years, inclusive

CONSTRUCTION_YEARS = 2  # 第十二条
EXTENSION_MAX_YEARS = 1  # 第十二条
ACCEPTANCE_APPLY_MONTHS = 1  # 第十二条
EVALUATION_YEARS = 3  # 第十九条
FAIL_STREAK = 2  # 第十八条
AWARD_STREAK = 3  # 第十三条
CONSTRUCTION_FUNDING_WAN = 10  # 第十三条
AWARD_FUNDING_WAN = 5  # 第十三条
DIRECTOR_MAX_AGE = 60  # 第九条
SENIOR_TITLES = ("正高级", "副高级")  # 第九条
MIN_FLOOR_AREA_M2 = 500  # 第九条
MIN_EQUIPMENT_WAN = 500  # 第九条
MIN_RD_SPENDING_WAN = 500  # 第九条
MIN_FIRST_HOST_SHARE = 50  # 第九条
XINZHOU_CODE_PREFIX = "1409"  # 第九条: registered in Xinzhou
PUBLICITY_WORKING_DAYS = 5  # practice of comparable bureaus; the measures fix none
ASSESSMENT_DUE_MONTH_DAY = (6, 30)  # interpretation: year Y is assessed by 30 June of Y+1


@dataclass(frozen=True)
class Construction:
    """The construction period of an approved center and where each end date came from."""

    approval: Event
    planned_end: dt.date
    extension: Event | None

    @property
    def end(self) -> dt.date:
        """Last day of construction: the extension's end, else the planned end."""
        return self.extension.date_field("new_end") if self.extension else self.planned_end

    @property
    def acceptance_application_due(self) -> dt.date:
        return add_months(self.end, ACCEPTANCE_APPLY_MONTHS)


def construction(center: Center) -> Construction | None:
    """The construction period, or None before approval (第十二条)."""
    return center.derived(_construction)


def _construction(center: Center) -> Construction | None:
    approval = center.first("approval")
    if approval is None:
        return None
    return construction_of(approval, center.last("task_book"), center.first("extension"))


def construction_of(approval: Event, task_book: Event | None, extension: Event | None) -> Construction:
    """The period from the events that fix it: the last task book's planned end, else two years."""
    planned = task_book.date_field("planned_end") if task_book else add_years(approval.date, CONSTRUCTION_YEARS)
    return Construction(approval, planned, extension)


def acceptance_application(center: Center, period: Construction) -> Event | None:
    """The application that answers this construction period (第十二条).

    Once construction was extended, only an application after the extension counts: the
    extension moved the end, and the application is due after the new end.
    """
    since = period.extension.date if period.extension else None
    return next((e for e in center.of_kind("acceptance_application") if since is None or e.date > since), None)


def acceptance_passed(center: Center) -> Event | None:
    """The acceptance that put the center in the municipal sequence, if any."""
    return next((e for e in center.of_kind("acceptance") if e.get("result") == "通过"), None)


def annual_grades(center: Center) -> dict[int, Event]:
    """Annual assessment events by the year assessed (the last one wins if repeated); shared, read only."""
    return center.derived(_annual_grades)


def _annual_grades(center: Center) -> dict[int, Event]:
    return {e.get("year"): e for e in center.of_kind("annual_assessment")}


def runs(grades: dict[int, Event], grade: str) -> list[list[int]]:
    """Runs of consecutive assessed years with `grade`; a year without an assessment breaks a run."""
    out: list[list[int]] = []
    for year in sorted(grades):
        if grades[year].get("grade") != grade:
            continue
        if out and out[-1][-1] == year - 1:
            out[-1].append(year)
        else:
            out.append([year])
    return out


def award_years(center: Center) -> list[int]:
    """Years in which a further award became due: each third year of a run of 优秀 (第十三条)."""
    due: list[int] = []
    for run in runs(annual_grades(center), "优秀"):
        due.extend(run[i] for i in range(AWARD_STREAK - 1, len(run), AWARD_STREAK))
    return due


def fail_trigger(center: Center) -> list[int] | None:
    """The first two consecutive 不合格 years, if any (第十八条)."""
    for run in runs(annual_grades(center), "不合格"):
        if len(run) >= FAIL_STREAK:
            return run[:FAIL_STREAK]
    return None


def under_trial_measures(center: Center) -> bool:
    """Approved (or applied) under the trial measures that 第二十一条 replaced."""
    application = center.first("application")
    if application and application.get("measures"):
        return application.get("measures") == TRIAL_MEASURES_NUMBER
    approval = center.first("approval")
    return approval is not None and approval.date < MEASURES_START
