"""Rules across rows and sheets: unique codes and people, ages, then every other cross-row
check in turn (:func:`check_workbook`); who is who in pairs and a programme's length are
:mod:`service.intake.pairs`.

Runs on what :mod:`service.intake.sheets` could read, so one bad cell does not hide the
problems of the other rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from service.intake import schema
from service.intake.both_roles import check_mentors_as_mentees
from service.intake.classes import check_lower_classes, check_stale_classes
from service.intake.early import check_early_ends, check_new_term_results
from service.intake.initials import check_responsible
from service.intake.lookup import RegisterLookup
from service.intake.mentor_back import saved_day
from service.intake.model import IntakeReport
from service.intake.normalise import code_key, person_key
from service.intake.pairs import People, check_pairs
from service.intake.particles import check_capital_particle
from service.intake.plans import check_pair_code, check_results
from service.intake.problems import cell_error as _error
from service.intake.problems import day_text as _d
from service.intake.relisted import check_listed_again
from service.intake.repeats import (
    check_code_owners,
    check_corrected_names,
    check_external,
    check_unique_codes,
)
from service.intake.schedule import check_whole_schedule
from service.intake.sex import check_name_order, check_office_sex, check_sex
from service.intake.sheets import Record
from service.intake.standing import check_signers
from service.intake.withdrawn_pairs import check_withdrawn_pairs
from service.intake.wording import agree
from service.intake.years import (
    check_earlier_year,
    check_future_year,
    check_school_year,
    check_term_moved_back,
)

ADULT_AGE = 18


@dataclass
class Draft:
    """Every record of one workbook, by :attr:`Sheet.target`."""

    tables: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    single: dict[str, Record] = field(default_factory=dict)
    """«Параметр / Значение» sheets that were filled."""
    sheets_read: set[str] = field(default_factory=set)
    """Targets of the sheets found in the workbook (filled or not)."""
    saved_at: datetime | None = None
    """When the workbook was last saved, by its properties' «modified» (UTC, as openpyxl
    reads it; the moment of reading when the file does not say)."""

    def records(self, sheet: schema.Sheet) -> list[Record]:
        """Rows read from ``sheet``."""
        return self.tables.get(sheet.target, [])

    def has_data(self) -> bool:
        """True if anything besides «Организация» was filled."""
        return any(self.tables.values()) or schema.FINAL_EVENT.target in self.single


def age_on(birth: date, day: date) -> int:
    """Full years of age on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def check_workbook(
    draft: Draft, report: IntakeReport, lookup: RegisterLookup | None, today: date
) -> None:
    """Report every cross-row problem of ``draft``."""
    mentors = draft.records(schema.MENTORS)
    mentees = draft.records(schema.MENTEES)
    pairs = draft.records(schema.PAIRS)
    for records in (mentors, mentees, pairs):
        check_unique_codes(records, "code", report)
    for records in (mentors, mentees):
        _unique_people(records, report)
    organization = draft.single.get(schema.ORGANIZATION.target)
    # the register's people and pairs are compared with this workbook's only when it is of
    # this school: another school's workbook is refused for that alone (read_and_check)
    own = lookup if lookup is not None and _own_school(organization, lookup) else None
    check_corrected_names(mentors, "mentor", report, own)
    check_corrected_names(mentees, "mentee", report, own)
    check_code_owners(mentors, "mentor", report, own)
    check_code_owners(mentees, "mentee", report, own)
    sheets = {"mentor": People(mentors), "mentee": People(mentees)}
    starts = check_pairs(
        pairs, sheets["mentor"], sheets["mentee"], report, lookup, own, saved_day(draft.saved_at)
    )
    check_stale_classes(pairs, lambda role, ref: bool(sheets[role].find(ref)[0]), report, own)
    check_lower_classes(mentors, "mentor", report, own)
    check_lower_classes(mentees, "mentee", report, own)
    check_mentors_as_mentees(mentors, mentees, report, own)
    fallback = today
    if organization is not None and (year := organization.get("school_year")):
        fallback = date(int(str(year)[:4]), 9, 1)
    for record in (*mentors, *mentees):
        _check_age(record, starts.get(id(record), fallback), today, report)
    check_listed_again(
        organization, [("mentor", mentors), ("mentee", mentees)], starts, report, own
    )
    for role, records in (("mentor", mentors), ("mentee", mentees)):
        for record in records:
            check_name_order(record, report)
            check_capital_particle(record, role, report, own)
            check_sex(record, role, report, lookup)
    people = [(schema.MENTORS.name, mentors), (schema.MENTEES.name, mentees)]
    final_event = draft.single.get(schema.FINAL_EVENT.target)
    check_responsible(final_event, organization, people, own, report)  # «Бутрина О.Н.»
    offices = [organization, final_event]
    check_office_sex([o for o in offices if o is not None], [*mentors, *mentees], report, lookup)
    check_signers(organization, report, own)  # a director switched off, a key revoked
    check_external(mentors, report, lookup)
    if not check_future_year(organization, report, today):  # «2027–2028» in December 2026
        check_school_year(draft.tables, final_event, organization, report, own)
    check_earlier_year(organization, report, own, today)  # last May's workbook in December
    check_term_moved_back(pairs, report, own)  # last December's pairs a year later
    codes = {code_key(str(r.get("code"))): r for r in pairs if r.get("code")}
    check_withdrawn_pairs(draft.records, report, own)
    for sheet in (schema.PLAN, schema.RESULTS):
        for record in draft.records(sheet):
            check_pair_code(record, codes, report, lookup)
    check_results(draft.records(schema.RESULTS), report)
    check_early_ends(pairs, draft.records(schema.RESULTS), report, own)
    check_new_term_results(pairs, draft.records(schema.RESULTS), report, own, today)
    check_whole_schedule(draft.records(schema.TRAININGS), report, own)
    refused = any(p.sheet == schema.ORGANIZATION.name for p in report.errors)
    if (
        draft.has_data()
        and organization is None
        and not refused  # the sheet is there, refused for what its own line says
        and not (lookup is not None and lookup.has_organization())
    ):
        report.add(
            schema.ORGANIZATION.name,
            None,
            None,
            "Заполните лист «Организация»: сведений о школе нет ни в этой книге, ни в реестре, "
            "а без них документы не составить.",
        )


def _unique_people(records: list[Record], report: IntakeReport) -> None:
    first: dict[tuple[str, date], Record] = {}
    for record in records:
        name, birth = record.get("full_name"), record.get("birth_date")
        if not (isinstance(name, str) and isinstance(birth, date)):
            continue
        key = (person_key(name), birth)
        if key in first:
            _error(
                report,
                record,
                "full_name",
                f"{name} ({_d(birth)}) "
                + agree(name, "уже указан", "уже указана", "уже есть", record.get("sex"))
                + f" в строке {first[key].row}. Оставьте одну строку на человека.",
            )
        else:
            first[key] = record


def _own_school(organization: Record | None, lookup: RegisterLookup) -> bool:
    if organization is None or not isinstance(name := organization.get("full_name"), str):
        return True
    inn = organization.get("inn")
    return not lookup.is_other_school(name, str(inn) if inn else None)


def _check_age(person: Record, on: date, today: date, report: IntakeReport) -> None:
    birth, name = person.get("birth_date"), person.get("full_name") or "Участник"
    if not isinstance(birth, date):
        return
    if birth > today or birth > on:
        _error(
            report,
            person,
            "birth_date",
            f"Дата рождения {_d(birth)} позже {_d(min(today, on))}. Проверьте дату рождения.",
        )
        return
    if age_on(birth, on) >= ADULT_AGE:
        return
    if not person.get("guardian_name") and "guardian_name" not in person.bad:
        _error(
            report,
            person,
            "guardian_name",
            f"{name} на {_d(on)} нет 18 лет (дата рождения {_d(birth)}). Укажите законного "
            "представителя — ФИО родителя или опекуна полностью: он подписывает согласие на "
            "обработку персональных данных.",
        )
