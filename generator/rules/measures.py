"""The numbers of the measures (忻科规〔2024〕4号) and the date-free facts built on them.

Both the validator and the derivation read these, so a threshold or a period is written
once, next to its article. Which measures govern a fact is data (registry/measures/, read
into a `Book`); this module implements the rules of one of them, `IMPLEMENTED`, and says for
every fact whether those rules judge it: a fact dated before 2024-08-04, or one its record
places under other measures, is shown and named, never judged (第二十一条, and this site's
reading of it, published on the rules page).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.records.book import Book, Measures
from generator.records.model import Center, Event
from generator.rules.dates import add_months, add_years

#: The one measures whose rules this code implements. Everything else about it (title,
#: dates, what it repealed, what replaced it) is read from its record in registry/measures/.
IMPLEMENTED = "忻科规〔2024〕4号"
#: Its 第二十一条, as its text states it: the book of a center read without a registry, and
#: what the registry's record of it must agree with (rule measures.record).
TEXT_START = dt.date(2024, 8, 4)
TEXT = Measures(
    number=IMPLEMENTED,
    title="市技术创新中心建设与运行管理办法",
    in_force_from=TEXT_START,
    expires=add_years(TEXT_START, 5) - dt.timedelta(days=1),
    repeals=("忻科规〔2023〕2号",),
)
TEXT_BOOK = Book.of([TEXT, Measures("忻科规〔2023〕2号", "忻州市技术创新中心管理办法（试行）")])

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


# --- which measures judge a fact (第二十一条) ---------------------------------------------


def book_of(center: Center) -> Book:
    """The measures the center's registry knows; the implemented text alone for a bare record."""
    return center.book or TEXT_BOOK


def implemented(book: Book) -> Measures:
    """The registry's record of the implemented measures (its text, should the record be missing)."""
    return book.get(IMPLEMENTED) or TEXT


def start_of(book: Book) -> dt.date:
    """The day the implemented measures took effect."""
    return implemented(book).in_force_from or TEXT_START


def judges(book: Book, day: dt.date) -> bool:
    """Whether the implemented rules judge a fact dated `day`.

    From the day the measures took effect, unless other recorded measures are in force that
    day (a successor): after their validity ends with nothing recorded to follow them, the
    site still judges by them and says so (policy.validity).
    """
    if day < start_of(book):
        return False
    current = book.in_force(day)
    return current is None or current.number == IMPLEMENTED


def governing(book: Book, event: Event) -> Measures | None:
    """The measures a fact falls under: the one its record names, else the one in force on its date."""
    named = event.get("measures")
    if named:
        return book.get(named) or Measures(named, named)  # an unrecorded number: ref.measures reports it
    if judges(book, event.date):
        return implemented(book)
    return book.in_force(event.date)


def judged(center: Center, event: Event) -> bool:
    """Whether the implemented rules judge this recorded fact."""
    named = event.get("measures")
    if named:
        return named == IMPLEMENTED
    return judges(book_of(center), event.date)


def judged_on(center: Center, day: dt.date) -> bool:
    """Whether the implemented rules judge what falls due on `day` for this center."""
    return judges(book_of(center), day)


def establishment(center: Center) -> Event | None:
    """The approval (批准建设) or recognition (认定) that made the center, whichever came first."""
    found = [e for e in (center.first("approval"), center.first("recognition")) if e is not None]
    return min(found, key=lambda e: e.index) if found else None


def legacy(center: Center) -> bool:
    """Established under other measures than the implemented ones (before 2024-08-04, as a rule)."""
    made = establishment(center)
    return made is not None and not judged(center, made)


def established_under(center: Center) -> Measures | None:
    """The measures the center was set up under: named by its approval or recognition, else by
    its application (for a fact these rules do not judge), else the ones in force that day."""
    made = establishment(center)
    if made is None:
        return None
    book = book_of(center)
    if made.get("measures") or judged(center, made):
        return governing(book, made)
    application = center.first("application")
    if application is not None and application.get("measures") and application.index < made.index:
        return governing(book, application)
    return governing(book, made)


def measures_of_fact(center: Center, event: Event) -> Measures | None:
    """The measures a recorded fact is shown under: its own or those in force on its date; a fact
    from before these measures that names none falls under the ones the center was set up under,
    when its record names those (None: not recorded, and not guessed)."""
    found = governing(book_of(center), event)
    if found is not None or event.date >= start_of(book_of(center)) or not legacy(center):
        return found
    return established_under(center)


def applied_under_these(center: Center) -> bool:
    """Whether the implemented rules judge the application (or, lacking one, the establishment)."""
    round_ = center.current()
    fact = round_.first("application") or establishment(round_)
    return fact is not None and judged(center, fact)


# --- construction (第十二条) -------------------------------------------------------------


@dataclass(frozen=True)
class Construction:
    """The construction period of an approved center and where each end date came from.

    `planned_end` is None when nothing fixes it: an approval under other measures whose
    record holds no task book (the site never assumes their period: 记录不足，无法推算).
    """

    approval: Event
    planned_end: dt.date | None
    extension: Event | None

    @property
    def end(self) -> dt.date | None:
        """Last day of construction: the extension's end, else the planned end."""
        return self.extension.date_field("new_end") if self.extension else self.planned_end

    @property
    def acceptance_application_due(self) -> dt.date | None:
        return add_months(self.end, ACCEPTANCE_APPLY_MONTHS) if self.end else None


def construction(center: Center) -> Construction | None:
    """The construction period, or None before approval (第十二条)."""
    return center.derived(_construction)


def _construction(center: Center) -> Construction | None:
    approval = center.first("approval")
    if approval is None:
        return None
    return construction_of(approval, center.last("task_book"), center.first("extension"), judged(center, approval))


def construction_of(
    approval: Event, task_book: Event | None, extension: Event | None, under_these: bool
) -> Construction:
    """The period from the events that fix it: the last task book's planned end, else two years
    from an approval under these measures, else (other measures, no task book) unknown."""
    if task_book is not None:
        planned: dt.date | None = task_book.date_field("planned_end")
    else:
        planned = add_years(approval.date, CONSTRUCTION_YEARS) if under_these else None
    return Construction(approval, planned, extension)


def application_rule_applies(center: Center, period: Construction) -> bool:
    """Whether the 1-month application rule judges this period: its end is known and falls
    under these measures (an end before 2024-08-04 was governed by the measures then)."""
    return period.end is not None and judged_on(center, period.end)


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


def sequence_entry(center: Center) -> Event | None:
    """The fact that put the center in the municipal sequence: an acceptance passed or a recognition."""
    found = [e for e in (acceptance_passed(center), center.first("recognition")) if e is not None]
    return min(found, key=lambda e: e.index) if found else None


# --- ratings (第十三条, 第十八条) -----------------------------------------------------------


def annual_grades(center: Center) -> dict[int, Event]:
    """Annual assessment events by the year assessed (the last one wins if repeated); shared, read only."""
    return center.derived(_annual_grades)


def _annual_grades(center: Center) -> dict[int, Event]:
    return {e.get("year"): e for e in center.of_kind("annual_assessment")}


def judged_grades(center: Center) -> dict[int, Event]:
    """The grades these measures judge: assessments made under them. Only these count towards
    what the measures attach to a run of grades (an award, a revocation, priority support)."""
    return center.derived(_judged_grades)


def _judged_grades(center: Center) -> dict[int, Event]:
    return {year: e for year, e in annual_grades(center).items() if judged(center, e)}


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


def award_years(center: Center, grades: dict[int, Event] | None = None) -> list[int]:
    """Years in which a further award became due: each third year of a run of 优秀 (第十三条),
    counting the judged grades unless `grades` says otherwise."""
    due: list[int] = []
    for run in runs(judged_grades(center) if grades is None else grades, "优秀"):
        due.extend(run[i] for i in range(AWARD_STREAK - 1, len(run), AWARD_STREAK))
    return due


def fail_trigger(center: Center) -> list[int] | None:
    """The first two consecutive 不合格 years among the judged grades, if any (第十八条)."""
    for run in runs(judged_grades(center), "不合格"):
        if len(run) >= FAIL_STREAK:
            return run[:FAIL_STREAK]
    return None
