"""The «Пары» sheet row by row: whom each pair's «Наставник» and «Наставляемые» name — a
person of this workbook's «Наставники» / «Наставляемые» (:class:`People`) or of the register —
with the reference rewritten to that person's own ФИО or Код, and how long each programme lasts.
Called by :func:`service.intake.rules.check_workbook`."""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, timedelta

from service.intake import schema
from service.intake.forms import check_form
from service.intake.initials import fitting, reference, several
from service.intake.lookup import RegisterLookup
from service.intake.model import IntakeReport
from service.intake.name_order import misordered, surname_first
from service.intake.names import to_name
from service.intake.normalise import ValueProblem, code_key, person_key
from service.intake.problems import cell_error as _error
from service.intake.problems import day_text as _d
from service.intake.repeats import (
    check_mentor_change,
    check_reused_codes,
    check_twins,
    listed_and_registered,
    shared_code,
)
from service.intake.sheets import Record
from service.intake.wording import agree, gender_of

MIN_MONTHS, MAX_MONTHS = 3, 12


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later (the last day of the month if it is shorter)."""
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


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


def check_pairs(
    pairs: list[Record],
    mentors: People,
    mentees: People,
    report: IntakeReport,
    lookup: RegisterLookup | None,
    own: RegisterLookup | None,
    saved_on: date | None = None,
) -> dict[int, date]:
    """Check each pair; return the earliest pair start of every person (by record id).
    ``own``: the register when the workbook is of its school, to compare pairs with;
    ``saved_on``: the day the workbook was last saved, if it says.

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

    for pair in pairs:
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
                check_mentor_change(pair, person, pair.values["mentor_ref"], report, own, saved_on)
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
        _check_duration(pair, report, own)
        check_form(pair, mentor, resolved, report, lookup)
    check_twins(pairs, people, report, own)
    if own is not None:
        check_reused_codes(pairs, report, own)
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


def _check_duration(pair: Record, report: IntakeReport, own: RegisterLookup | None) -> None:
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
    elif end < shortest and _stopped_early(pair, end, own):
        return  # a signed programme that stopped: completed early, not planned short
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


def _stopped_early(pair: Record, end: date, own: RegisterLookup | None) -> bool:
    """Whether ``end`` moves the pair's end before the one the signed order on pairs approved:
    the 3 months to 1 year of seed 000 §1 are the term a programme is planned and approved
    for; one that stops within three months (a mentee moved to another school in December,
    play22) is completed early (seed 000 §7: its «Итоги», :mod:`service.intake.early`)."""
    code = pair.get("code")
    ends = own.pair_ends(str(code)) if own is not None and code else None
    return ends is not None and ends[1] is not None and end < ends[1]
