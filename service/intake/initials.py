"""A person named in «Пары» by surname and initials, as orders write people: «Петрова А.С.»,
«Петрова А. С.», «А.С. Петрова». Such a reference is the one person of the workbook's sheet or
of the register (of the role) it fits; two or more that fit it are named back to the secretary.
The final event's «Ответственный» may be written so too (:func:`check_responsible`): it is the
one person of «Организация» (the curator, as a rule), of the workbook's mentors and mentees or
of the register it fits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from service.intake.lookup import RegisterLookup
from service.intake.model import IntakeReport
from service.intake.names import NAME_HINT
from service.intake.normalise import SURNAME_PARTICLES, code_key, person_key

if TYPE_CHECKING:  # the sheets' reader asks this module whether a name is initials
    from service.intake.sheets import Record

_LETTER = r"[^\W\d_]"
_PARTICLE = "|".join(sorted(SURNAME_PARTICLES, key=len, reverse=True))
_SURNAME = rf"(?:(?:{_PARTICLE}) )*{_LETTER}[^\W\d_'-]*(?:['-]{_LETTER}+)*"
"""A surname, after its particles in lower case if any: «фон Визин»."""
_SURNAME_FIRST = re.compile(
    rf"^(?P<surname>{_SURNAME})\s+(?P<first>{_LETTER})\.\s*(?:(?P<second>{_LETTER})\.?)?$"
)
_INITIALS_FIRST = re.compile(
    rf"^(?P<first>{_LETTER})\.\s*(?:(?P<second>{_LETTER})\.\s*)?(?P<surname>{_SURNAME})$"
)


@dataclass(frozen=True)
class Initials:
    """A reference «Фамилия И.О.» read: the surname and one or two initials."""

    surname: str
    initials: tuple[str, ...]

    def fits(self, full_name: str) -> bool:
        """True if ``full_name`` has this surname and these initials (case and ё/е ignored; a
        second initial needs a patronymic)."""
        words, surname = _key(full_name).split(), _key(self.surname).split()
        if len(words) <= len(surname) or words[: len(surname)] != surname:
            return False
        given = words[len(surname) :]
        if len(self.initials) > len(given):
            return False
        return all(word[0] == _key(i) for word, i in zip(given, self.initials, strict=False))


def read_initials(ref: str) -> Initials | None:
    """The surname and initials of ``ref`` if it is written so, else None."""
    text = " ".join(ref.split())
    match = _SURNAME_FIRST.match(text) or _INITIALS_FIRST.match(text)
    if match is None:
        return None
    initials = tuple(i for i in (match["first"], match["second"]) if i)
    return Initials(match["surname"], initials)


def _key(text: str) -> str:
    return text.casefold().replace("ё", "е")


def fitting(
    ref: str, records: list[Record], role: str, lookup: RegisterLookup | None
) -> tuple[list[Record], list[tuple[str, str | None, date | None]]] | None:
    """The rows of the sheet and the people of the register (ФИО, Код, date of birth; not
    those the sheet lists) that ``ref`` fits, if it is surname and initials; else None."""
    initials = read_initials(ref)
    if initials is None:
        return None
    listed = [r for r in records if isinstance(r.get("full_name"), str)]
    listed = [r for r in listed if initials.fits(str(r.get("full_name")))]
    registered = lookup.people_fitting(initials.fits, role) if lookup is not None else []
    return listed, [p for p in registered if not any(_same(p, r) for r in listed)]


def _same(person: tuple[str, str | None, date | None], record: Record) -> bool:
    name, code, birth = person
    if code and record.get("code") and code_key(code) == code_key(str(record.get("code"))):
        return True
    return person_key(name) == person_key(str(record.get("full_name"))) and (
        birth == record.get("birth_date")
    )


def reference(
    person: tuple[str, str | None, date | None], role: str, lookup: RegisterLookup
) -> str:
    """How the register finds ``person``: his Код (unless another registered person's is the
    same code: «Н01» and «Н 01» of a register of before), else his ФИО (with the date of birth
    when another of the role shares it)."""
    name, code, birth = person
    if code and len(lookup.code_owners(code, role)) < 2:
        return code
    if birth is not None and lookup.ambiguous(name, role):
        return f"{name} ({birth:%d.%m.%Y})"
    return name


def several(
    ref: str,
    sheet: str,
    listed: list[Record],
    registered: list[tuple[str, str | None, date | None]],
) -> str:
    """The message for ``ref`` fitting more than one person."""
    described = [f"{record.get('full_name')} ({_listed_at(sheet, record)})" for record in listed]
    for name, code, birth in registered:
        told = f"Код «{code}»" if code else (f"{birth:%d.%m.%Y}" if birth else "")
        described.append(f"{name} (в реестре" + (f", {told})" if told else ")"))
    return (
        f"«{ref}» подходит нескольким людям: {', '.join(described)}. Укажите ФИО полностью или Код."
    )


def _listed_at(sheet: str, record: Record) -> str:
    """Where a person of the workbook stands: «лист «Наставники», строка 3, Код «Н-02»»."""
    code = record.get("code")
    return f"лист «{sheet}», строка {record.row}" + (f", Код «{code}»" if code else "")


_OFFICES = {
    "head_name": "руководитель",
    "curator_name": "куратор",
    "coordinator_name": "координатор",
}


def check_responsible(
    event: Record | None,
    organization: Record | None,
    people: list[tuple[str, list[Record]]],
    lookup: RegisterLookup | None,
    report: IntakeReport,
) -> None:
    """The final event's «Ответственный» written as surname and initials («Бутрина О.Н.»)
    replaced by the ФИО of the one person it fits: an office of «Организация» (of the register
    when the workbook has no such sheet), a mentor or mentee of ``people`` (sheet name, rows)
    or of the register. Fitting nobody or several, it is refused naming them."""
    ref = event.get("responsible") if event is not None else None
    if event is None or not isinstance(ref, str) or (initials := read_initials(ref)) is None:
        return
    found: dict[str, tuple[str, str]] = {}  # person_key → ФИО, where it was found
    offices = [(f, organization.get(f)) for f in _OFFICES] if organization is not None else []
    where = "лист «Организация»" if organization is not None else "в реестре"
    if organization is None and lookup is not None:
        offices = lookup.offices()
    for office, name in offices:
        if isinstance(name, str) and initials.fits(name):
            found.setdefault(person_key(name), (name, f"{_OFFICES[office]}, {where}"))
    for sheet, records in people:
        for record in records:
            name = record.get("full_name")
            if isinstance(name, str) and initials.fits(name):
                found.setdefault(person_key(name), (name, _listed_at(sheet, record)))
    for role in ("mentor", "mentee") if lookup is not None else ():
        for name, code, _ in lookup.people_fitting(initials.fits, role):
            found.setdefault(
                person_key(name), (name, "в реестре" + (f", Код «{code}»" if code else ""))
            )
    if len(found) == 1:
        [(name, _)] = found.values()
        event.values["responsible"] = name
        return
    event.bad.add("responsible")
    if found:
        described = ", ".join(f"{name} ({told})" for name, told in found.values())
        message = f"«{ref}» подходит нескольким людям: {described}. Укажите ФИО полностью."
    else:
        message = (
            f"«{ref}» — фамилия и инициалы, а такого человека нет ни на листе «Организация», ни "
            f"среди наставников и наставляемых (в книге и в реестре). {NAME_HINT}, без сокращений."
        )
    report.add(
        event.sheet.name, event.row_of("responsible"), "Значение", f"«Ответственный»: {message}"
    )
