"""What an intake workbook says, once read and normalised.

These frozen dataclasses are the contract between the intake reader (which builds them from
an xlsx) and the register (which stores them). Every row keeps its sheet row number so that a
later check (against the register) can still point the secretary at the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Problem:
    """One mistake in a workbook, located the way a secretary finds it in Excel."""

    sheet: str
    """Sheet name as in INTAKE.md, e.g. «Наставники»."""
    row: int | None
    """1-based Excel row number, or None for a problem of the whole sheet/workbook."""
    column: str | None
    """Column header as in INTAKE.md, e.g. «Дата рождения», or None."""
    message: str
    """What is wrong and how to fix it, in Russian."""
    severity: str = "error"
    """«error» rejects the workbook; «warning» is reported but the workbook is accepted."""

    def location(self) -> str:
        """«лист "Наставники", строка 7, столбец "Дата рождения"»."""
        parts = [f"лист «{self.sheet}»"] if self.sheet else []
        if self.row is not None:
            parts.append(f"строка {self.row}")
        if self.column:
            parts.append(f"столбец «{self.column}»")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


@dataclass
class IntakeReport:
    """Every problem found in one workbook (all of them, not only the first)."""

    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(
        self,
        sheet: str,
        row: int | None,
        column: str | None,
        message: str,
        *,
        warning: bool = False,
    ) -> None:
        self.problems.append(
            Problem(sheet, row, column, message, "warning" if warning else "error")
        )

    def to_text(self, source_name: str = "", *, headline: bool = True) -> str:
        """The Russian report written beside a rejected workbook and printed by the CLI: the
        first :data:`REPORT_LIMIT` errors (and warnings) one by one, then — when there are
        more — how many there are per sheet and column, so a sheet full of mistakes gives a
        short report. ``headline=False`` leaves out the verdict line above them (the check
        page says it in its own words: nothing was handed in, so nothing «не принят»)."""
        lines: list[str] = []
        title = f"Файл «{source_name}»" if source_name else "Файл"
        errors, warnings = self.errors, self.warnings
        if headline and errors:
            lines.append(
                f"{title} не принят: найдено ошибок — {_count(len(errors))}. "
                "Исправьте их в книге и передайте её снова. "
                "Ни один документ не создан, реестр не изменён."
            )
        elif headline:
            lines.append(f"{title} принят.")
        if headline:
            lines.append("")
        for number, problem in enumerate(errors[:REPORT_LIMIT], 1):
            lines.append(f"{number}. {problem}")
        lines.extend(_tally(errors, "ошибок"))
        if warnings:
            lines.append("")
            lines.append(WARNINGS_HEADING)
            for problem in warnings[:REPORT_LIMIT]:
                lines.append(f"— {problem}")
            lines.extend(_tally(warnings, "предупреждений"))
        return "\n".join(lines).rstrip() + "\n"


REPORT_LIMIT = 200
WARNINGS_HEADING = "Предупреждения (файл они не останавливают):"


def warnings_part(report: str | None) -> str:
    """The warnings of a report :meth:`IntakeReport.to_text` wrote, from their heading on («» when
    it has none): a page that gives the verdict itself shows only them."""
    start = (report or "").find(WARNINGS_HEADING)
    return "" if start < 0 else (report or "")[start:]


"""Problems of one severity listed one by one in a report."""


def _count(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def _tally(problems: list[Problem], what: str) -> list[str]:
    """Past :data:`REPORT_LIMIT`: how many ``problems`` there are per sheet and column."""
    if len(problems) <= REPORT_LIMIT:
        return []
    counts: dict[tuple[str, str | None], int] = {}
    for problem in problems:
        key = (problem.sheet, problem.column)
        counts[key] = counts.get(key, 0) + 1
    lines = [
        "",
        f"Показаны первые {REPORT_LIMIT} {what} из {_count(len(problems))}. Всего {what} по "
        "листам и столбцам:",
    ]
    for (sheet, column), count in counts.items():
        where = Problem(sheet, None, column, "").location() or "книга в целом"
        lines.append(f"— {where}: {_count(count)}")
    return lines


@dataclass(frozen=True)
class Organization:
    full_name: str
    short_name: str
    locality: str
    head_name: str
    curator_name: str
    curator_position: str
    school_year: str
    """Normalised to «2023–2024» (en dash)."""
    head_position: str = "Директор"
    address: str | None = None
    inn: str | None = None
    ogrn: str | None = None
    coordinator_name: str | None = None
    coordinator_position: str | None = None
    students_total: int | None = None
    teachers_total: int | None = None
    website: str | None = None
    regulation_adopted_on: date | None = None
    """Date of the pedagogical council that adopted the regulation (its «ПРИНЯТО» block)."""
    regulation_protocol: str | None = None
    """That council's protocol number."""


@dataclass(frozen=True)
class Mentor:
    row: int
    full_name: str
    birth_date: date
    category: str
    """One of MENTOR_CATEGORIES, canonical spelling."""
    position: str
    """«Должность или класс»."""
    is_external: bool
    code: str | None = None
    workplace: str | None = None
    experience_years: float | None = None
    competences: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    identity_document: str | None = None
    guardian_name: str | None = None
    sex: str | None = None
    """«м» or «ж» from the optional «Пол»; None: told by the ФИО (or kept from the register)."""


@dataclass(frozen=True)
class Mentee:
    row: int
    full_name: str
    birth_date: date
    category: str
    """One of MENTEE_CATEGORIES, canonical spelling."""
    position: str
    """«Класс или должность»."""
    code: str | None = None
    request: str | None = None
    guardian_name: str | None = None
    guardian_phone: str | None = None
    sex: str | None = None
    """«м» or «ж» from the optional «Пол»; None: told by the ФИО (or kept from the register)."""


@dataclass(frozen=True)
class Pair:
    row: int
    code: str
    mentor_ref: str
    """ФИО (normalised) or Код of the mentor, as written."""
    mentee_refs: tuple[str, ...]
    form: str
    """One of FORMS, canonical spelling with « – »."""
    start: date
    end: date
    goal: str
    mode: str | None = None
    """«Вид»; None: the cell is empty — a new pair is «традиционная» (``DEFAULT_MODE``), a
    registered one keeps its own, as its other optional cells do."""
    variant: str | None = None
    tasks: tuple[str, ...] = ()
    expected_results: str | None = None


@dataclass(frozen=True)
class PlanItem:
    row: int
    pair_code: str
    activity: str
    term: date | str
    """A date, or free text such as «в течение года», «октябрь 2023»."""
    form: str | None = None
    responsible: str | None = None
    expected_result: str | None = None


@dataclass(frozen=True)
class RoadmapItem:
    row: int
    stage: str
    activities: str
    term: date | str
    responsible: str
    result: str | None = None


@dataclass(frozen=True)
class Training:
    row: int
    topic: str
    date: date
    hours: float
    responsible: str
    form: str | None = None


@dataclass(frozen=True)
class FinalEvent:
    date: date
    form: str
    """One of FINAL_EVENT_FORMS."""
    place: str
    responsible: str


@dataclass(frozen=True)
class Result:
    row: int
    pair_code: str
    status: str
    """One of RESULT_STATUSES."""
    achieved: str
    reason: str | None = None
    conclusions: str | None = None
    proposals: str | None = None
    engagement_in: int | None = None
    engagement_out: int | None = None
    self_esteem_in: int | None = None
    self_esteem_out: int | None = None
    anxiety_in: int | None = None
    anxiety_out: int | None = None
    strengths: str | None = None
    weaknesses: str | None = None
    opportunities: str | None = None
    threats: str | None = None


@dataclass(frozen=True)
class Workbook:
    """Everything one workbook carries; each sheet is optional."""

    organization: Organization | None = None
    mentors: tuple[Mentor, ...] = ()
    mentees: tuple[Mentee, ...] = ()
    pairs: tuple[Pair, ...] = ()
    plan: tuple[PlanItem, ...] = ()
    roadmap: tuple[RoadmapItem, ...] = ()
    trainings: tuple[Training, ...] = ()
    final_event: FinalEvent | None = None
    results: tuple[Result, ...] = ()
