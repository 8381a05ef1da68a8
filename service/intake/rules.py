"""Rules across rows and sheets: unique codes, who is who in pairs, ages, programme length.

Runs on what :mod:`service.intake.sheets` could read, so one bad cell does not hide the
problems of the other rows.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from service.intake import schema
from service.intake.both_roles import check_mentors_as_mentees
from service.intake.classes import check_lower_classes, check_stale_classes
from service.intake.early import check_early_ends, check_new_term_results
from service.intake.forms import check_form
from service.intake.initials import check_responsible, fitting, reference, several
from service.intake.lookup import RegisterLookup
from service.intake.model import IntakeReport
from service.intake.name_order import misordered, surname_first
from service.intake.names import to_name
from service.intake.normalise import ValueProblem, code_key, person_key
from service.intake.particles import check_capital_particle
from service.intake.plans import check_pair_code, check_results
from service.intake.problems import cell_error as _error
from service.intake.problems import day_text as _d
from service.intake.relisted import check_listed_again
from service.intake.repeats import (
    check_code_owners,
    check_corrected_names,
    check_external,
    check_mentor_change,
    check_reused_codes,
    check_twins,
    check_unique_codes,
    listed_and_registered,
    shared_code,
)
from service.intake.schedule import check_whole_schedule
from service.intake.sex import check_name_order, check_office_sex, check_sex
from service.intake.sheets import Record
from service.intake.standing import check_signers
from service.intake.withdrawn_pairs import check_withdrawn_pairs
from service.intake.wording import agree, gender_of
from service.intake.years import (
    check_earlier_year,
    check_future_year,
    check_school_year,
    check_term_moved_back,
)

ADULT_AGE = 18
MIN_MONTHS, MAX_MONTHS = 3, 12


@dataclass
class Draft:
    """Every record of one workbook, by :attr:`Sheet.target`."""

    tables: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    single: dict[str, Record] = field(default_factory=dict)
    """«Параметр / Значение» sheets that were filled."""
    sheets_read: set[str] = field(default_factory=set)
    """Targets of the sheets found in the workbook (filled or not)."""

    def records(self, sheet: schema.Sheet) -> list[Record]:
        """Rows read from ``sheet``."""
        return self.tables.get(sheet.target, [])

    def has_data(self) -> bool:
        """True if anything besides «Организация» was filled."""
        return any(self.tables.values()) or schema.FINAL_EVENT.target in self.single


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later (the last day of the month if it is shorter)."""
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def age_on(birth: date, day: date) -> int:
    """Full years of age on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class People:
    """The people of one sheet, found by Код or by ФИО."""

    def __init__(self, records: list[Record]) -> None:
        self.records = records
        self.by_code: dict[str, Record] = {}
        self.by_name: dict[str, list[Record]] = defaultdict(list)
        for record in records:
            if code := record.get("code"):
                self.by_code.setdefault(code_key(str(code)), record)
            if name := record.get("full_name"):
                same = self.by_name[person_key(str(name))]
                if all(r.get("birth_date") != record.get("birth_date") for r in same):
                    same.append(record)

    def find(self, ref: str) -> tuple[list[Record], str]:
        """The records ``ref`` can mean (by Код first, then by ФИО) and the field that matched."""
        if code_key(ref) in self.by_code:
            return [self.by_code[code_key(ref)]], "code"
        return self.by_name.get(person_key(ref), []), "full_name"

    def row_of(self, full_name: str) -> int | None:
        """The row of the one person of this ФИО on the sheet; None if none or several."""
        found = self.by_name.get(person_key(full_name), [])
        return found[0].row if len(found) == 1 else None


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
    starts = _check_pairs(draft, sheets["mentor"], sheets["mentee"], report, lookup, own)
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


def _check_pairs(
    draft: Draft,
    mentors: People,
    mentees: People,
    report: IntakeReport,
    lookup: RegisterLookup | None,
    own: RegisterLookup | None,
) -> dict[int, date]:
    """Check each pair; return the earliest pair start of every person (by record id).
    ``own``: the register when the workbook is of its school, to compare pairs with.

    References that name a person of this workbook are rewritten to that person's own ФИО or
    Код, so the register finds them however the secretary spelled the reference.
    """
    starts: dict[int, date] = {}
    people: dict[int, tuple] = {}  # each pair's mentor and mentees, as check_twins keys them

    def joined(person: Record | None, start: object) -> None:
        if person is not None and isinstance(start, date):
            starts[id(person)] = min(start, starts.get(id(person), start))

    def who(person: Record | None, ref: str) -> tuple[str, object]:
        return ("row", id(person)) if person is not None else ("ref", person_key(ref))

    for pair in draft.records(schema.PAIRS):
        start, mentor_ref = pair.get("start"), pair.get("mentor_ref")
        mentor_key: tuple[str, object] | None = None
        mentor: tuple[Record | None, str] | None = None
        resolved: list[tuple[Record | None, str]] = []
        if isinstance(mentor_ref, str):
            before = len(report.problems)
            person, pair.values["mentor_ref"] = _resolve(
                pair, "mentor_ref", mentor_ref, mentors, report, lookup
            )
            joined(person, start)
            mentor = (person, pair.values["mentor_ref"])
            mentor_key = who(person, pair.values["mentor_ref"])
            # a mentor not found (refused above) is no change of mentor
            if own is not None and all(p.severity != "error" for p in report.problems[before:]):
                check_mentor_change(pair, person, pair.values["mentor_ref"], report, own)
        refs: tuple[str, ...] = pair.get("mentee_refs") or ()  # type: ignore[assignment]
        seen: set[str] = set()
        canonical: list[str] = []
        keys: set[tuple[str, object]] = set()
        for ref in refs:
            if person_key(ref) in seen:
                _error(
                    report,
                    pair,
                    "mentee_refs",
                    f"«{ref}» "
                    + agree(ref, "указан", "указана", "встречается", _sex(mentees, ref))
                    + " в паре дважды.",
                )
                continue
            seen.add(person_key(ref))
            if isinstance(mentor_ref, str) and person_key(ref) == person_key(mentor_ref):
                _error(
                    report,
                    pair,
                    "mentee_refs",
                    f"«{ref}» — наставник этой пары и не может быть в ней наставляемым.",
                )
            person, ref = _resolve(pair, "mentee_refs", ref, mentees, report, lookup)
            resolved.append((person, ref))
            joined(person, start)
            canonical.append(ref)
            keys.add(who(person, ref))
        if refs:
            pair.values["mentee_refs"] = tuple(canonical)
        if mentor_key is not None and keys:
            people[id(pair)] = (mentor_key, frozenset(keys))
        _check_duration(pair, report)
        check_form(pair, mentor, resolved, report, lookup)
    check_twins(draft.records(schema.PAIRS), people, report, own)
    if own is not None:
        check_reused_codes(draft.records(schema.PAIRS), report, own)
    return starts


def _sex(people: People, ref: str) -> object:
    """The «Пол» of the one person of the sheet ``ref`` names, if the sheet gives it."""
    found, _ = people.find(ref)
    return found[0].get("sex") if len(found) == 1 else None


FEMININE = {"Наставляемый": "Наставляемая"}
"""The role word for a woman (a «наставник» is a «наставник» either way)."""
ROLES = {
    "mentor_ref": ("mentor", "Наставник", schema.MENTORS.name),
    "mentee_refs": ("mentee", "Наставляемый", schema.MENTEES.name),
}


def _resolve(
    pair: Record,
    name: str,
    ref: str,
    people: People,
    report: IntakeReport,
    lookup: RegisterLookup | None,
) -> tuple[Record | None, str]:
    """The workbook person ``ref`` names, if any, and the reference to store; report unknowns."""
    role, who, sheet = ROLES[name]
    found, by = people.find(ref)
    if len(found) > 1:
        rows = " и ".join(str(r.row) for r in found)
        _error(
            report,
            pair,
            name,
            f"На листе «{sheet}» несколько человек с ФИО «{ref}» (строки {rows}). Чтобы было "
            f"понятно, о ком речь, заполните у них столбец «Код» на листе «{sheet}» и укажите "
            "здесь Код вместо ФИО.",
        )
        return None, ref
    if found and by == "code" and lookup is not None:  # «Н-01» of the sheet's «Н01», or not
        clash = listed_and_registered(ref, found[0], sheet, role, lookup)
        if clash is not None:
            _error(report, pair, name, clash)
            return None, ref
    if found:
        return found[0], str(found[0].get(by))
    if lookup is not None and len(owners := lookup.code_owners(ref, role)) > 1:
        _error(
            report, pair, name, shared_code(ref, owners) + " Укажите здесь ФИО нужного человека."
        )
        return None, ref
    if lookup is not None and lookup.ambiguous(ref, role):
        _error(
            report,
            pair,
            name,
            f"В реестре несколько человек с ФИО «{ref}». Чтобы было понятно, о ком речь, "
            "укажите здесь Код или ФИО с датой рождения в скобках, например "
            f"«{ref} (14.03.2010)».",
        )
        return None, ref
    if lookup is not None and lookup.has_person(ref, role):
        code = lookup.code_of(ref, role)
        renamed = people.by_code.get(code_key(code)) if code else None
        if renamed is not None:  # the old ФИО of a person this workbook renames (same Код)
            if renamed.get("full_name") is None:  # the new ФИО is refused on its own sheet
                return renamed, str(renamed.get("code"))
            _error(
                report,
                pair,
                name,
                f"«{ref}» — прежнее ФИО: на листе «{sheet}» (строка {renamed.row}) у человека "
                f"с Кодом «{code}» новое ФИО «{renamed.get('full_name')}». Пара записана с "
                "новым ФИО; укажите здесь новое ФИО или Код, чтобы книга не расходилась с "
                "реестром.",
                warning=True,
            )
            return renamed, str(renamed.get("code"))
        return None, ref
    if (fit := fitting(ref, people.records, role, lookup)) is not None:  # «Петрова А.С.»
        listed, registered = fit
        if len(listed) + len(registered) > 1:
            _error(report, pair, name, several(ref, sheet, listed, registered))
            return None, ref
        if listed:
            return listed[0], str(listed[0].get("code") or listed[0].get("full_name"))
        if registered and lookup is not None:
            return None, reference(registered[0], role, lookup)
    if (told := misordered(ref, people.row_of, sheet, role, lookup)) is not None:
        named, advice = told
        whom = who if gender_of(named) != "f" else FEMININE.get(who, who)
        found = agree(named, "не найден", "не найдена", "не найден")
        _error(report, pair, name, f"{whom} «{ref}» {found}: {advice}")
        return None, ref
    sexed = surname_first(ref) or ref  # «Ольга Петровна Иванова» is a woman
    whom = who if gender_of(sexed) != "f" else FEMININE.get(who, who)
    try:
        to_name(ref)
        spelled = "проверьте написание ФИО"
    except ValueProblem:
        spelled = "укажите ФИО полностью (Фамилия Имя Отчество) или Код, как на том листе"
    _error(
        report,
        pair,
        name,
        f"{whom} «{ref}» "
        + agree(sexed, "не найден: его", "не найдена: её", "не найден: его")
        + f" нет ни на листе «{sheet}», ни в реестре. "
        f"Добавьте человека на лист «{sheet}» или {spelled}.",
    )
    return None, ref


def _check_duration(pair: Record, report: IntakeReport) -> None:
    start, end = pair.get("start"), pair.get("end")
    if not (isinstance(start, date) and isinstance(end, date)):
        return
    span = f"Программа с {_d(start)} по {_d(end)}"
    rule = "а персонализированная программа длится от 3 месяцев до 1 года"
    # Both ways of counting are accepted at the edges: 01.10–31.12 and 01.10–01.01 are 3 months.
    shortest = add_months(start, MIN_MONTHS) - timedelta(days=1)
    longest = add_months(start, MAX_MONTHS)
    if end < start:
        message = f"Дата окончания {_d(end)} раньше даты начала {_d(start)}. Проверьте даты."
    elif end < shortest:
        message = (
            f"{span} короче 3 месяцев, {rule}. Дата окончания должна быть не раньше {_d(shortest)}."
        )
    elif end > longest:
        message = (
            f"{span} длиннее 1 года, {rule}. Дата окончания должна быть не позже {_d(longest)}."
        )
    else:
        return
    _error(report, pair, "end", message)


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
