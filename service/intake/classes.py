"""A student's class is a fact of a school year: «7 «В»» in 2025–2026 is «8 «В»» a year later.
A pair of a new school year that names a student this workbook does not list again prints the
class the register holds from the year he was last listed — the new year's order on pairs and
consents said «Ершова Полина Артёмовна (7 В класс)» of a girl who had moved up to the 8th
(play10). The reader cannot know the new class (a student may repeat a year or change class):
it warns, once per student, and the secretary lists him with his class on the people's sheet.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from service.intake.forms import PUPIL
from service.intake.lookup import RegisterLookup
from service.intake.model import IntakeReport
from service.intake.problems import cell_error
from service.intake.sheets import Record
from service.intake.years import school_year

SHEETS = {"mentor": "Наставники", "mentee": "Наставляемые"}


def check_stale_classes(
    pairs: list[Record],
    listed: Callable[[str, str], bool],
    report: IntakeReport,
    own: RegisterLookup | None,
) -> None:
    """Warn of each registered student a pair of this workbook names (its references as
    :func:`service.intake.pairs.check_pairs` left them) whose class was given for an earlier
    school year than the pair's. ``listed(role, ref)``: whether ``ref`` names a person of this
    workbook's own sheets (his class is this workbook's); ``own``: the register, when the
    workbook is of its school."""
    if own is None:
        return
    warned: set[tuple[str, str]] = set()
    for pair in pairs:
        start = pair.get("start")
        if not isinstance(start, date):
            continue
        mentor = pair.get("mentor_ref")
        refs = [("mentor", "mentor_ref", mentor)] if isinstance(mentor, str) else []
        refs += [("mentee", "mentee_refs", r) for r in pair.get("mentee_refs") or ()]  # type: ignore[union-attr]
        for role, field, ref in refs:
            if listed(role, ref):
                continue
            found = own.student_class(ref, role)
            if found is None or (role, found[0]) in warned:
                continue
            name, position, year = found
            first = school_year(start)
            if not year[:4].isdigit() or int(year[:4]) >= first:
                continue
            warned.add((role, name))
            cell_error(
                report,
                pair,
                field,
                f"{name}: класс {position} указан в книге {year} учебного года, а пара "
                f"«{pair.get('code')}» — {first}–{first + 1} учебного года, и её документы "
                f"напечатают класс {position}. Если класс сменился, добавьте на лист "
                f"«{SHEETS[role]}» этой книги строку «{name}» (ФИО, дата рождения, категория) с "
                "новым классом.",
                warning=True,
            )


_GRADE = re.compile(r"\s*(\d{1,2})(?!\d)")
"""The year of study a class begins with: «7 А», «10Б», «11 «В» класс»."""


def check_lower_classes(
    people: list[Record], role: str, report: IntakeReport, own: RegisterLookup | None
) -> None:
    """Warn at a student's class lower than the class the register holds for him: «7 А» for a
    girl a workbook of this year listed in «8 А» — the row of last year's sheet sent again
    (play17: taken with no word, it put «7 А» back into the order on pairs, her consent and
    the programme, each made again for signing). A class corrected down (a typo) is taken
    as well, so the workbook is not refused."""
    if own is None:
        return
    for person in people:
        position, name, birth = (person.get(k) for k in ("position", "full_name", "birth_date"))
        if person.get("category") != PUPIL or not isinstance(position, str):
            continue
        if not isinstance(name, str) or not isinstance(birth, date):
            continue
        code = person.get("code")
        found = own.listed_class(role, str(code) if code else None, name, birth)
        if found is None:
            continue
        held, year = found
        given, before = _GRADE.match(position), _GRADE.match(held)
        if given is None or before is None or int(given[1]) >= int(before[1]):
            continue
        cell_error(
            report,
            person,
            "position",
            f"{name}: класс {position}, а в реестре — {held} (книга {year} учебного года): "
            f"похоже, это строка книги прошлого года. Документы, где {_named(role)} назван, "
            f"будут составлены заново с классом {position}. Если верен класс {held}, дайте "
            "книгу с ним.",
            warning=True,
        )


def _named(role: str) -> str:
    return "наставник" if role == "mentor" else "наставляемый"
