"""Dates against the school year the workbook's «Организация» names: a pair starting, a
training or the final event in 2100 — or in 2032 — in the workbook of 2023–2024 is a typed
year, refused; a date just outside the school year (mentors trained in the summer before it) is
taken with a line to check. A registered pair the workbook keeps unchanged — dates and people (a
school keeping its older pairs in each year's workbook) — was checked when it came: it is taken
as it is; a new pair, or one whose dates or people changed, is checked as any."""

from __future__ import annotations

from datetime import date

from service.intake import schema
from service.intake.examples import school_year
from service.intake.lookup import RegisterLookup
from service.intake.model import IntakeReport
from service.intake.problems import cell_error
from service.intake.problems import day_text as _d
from service.intake.sheets import Record

DATED = ((schema.PAIRS, "start"), (schema.TRAININGS, "date"))
"""The table sheets' dates that fall in the school year, by sheet and field."""


def school_year_span(year: object) -> tuple[date, date] | None:
    """1 September of the school year «2023–2024» and 31 August after it."""
    if not isinstance(year, str) or len(year) < 4 or not year[:4].isdigit():
        return None
    first = int(year[:4])
    return date(first, 9, 1), date(first + 1, 8, 31)


def check_school_year(
    tables: dict[str, list[Record]],
    final_event: Record | None,
    organization: Record | None,
    report: IntakeReport,
    lookup: RegisterLookup | None = None,
) -> None:
    """Report each date of :data:`DATED` and of the final event outside the school year of
    ``organization`` — or, in a workbook without it, of ``lookup``'s register (play20: last
    May's «Итоговое мероприятие» sent in a May workbook of pairs' results moved the year's
    final event to a year before, with no word) — an error a year or more away, else a
    warning. A pair of ``lookup``'s register with the same start and end is not reported."""
    if organization is not None:
        year, whose = organization.get("school_year"), "который указан на листе «Организация»"
    else:
        year = lookup.school_year() if lookup is not None else None
        whose = "который ведёт реестр (листа «Организация» в книге нет)"
    span = school_year_span(year)
    if span is None:
        return
    records = [(r, field) for sheet, field in DATED for r in tables.get(sheet.target, [])]
    if final_event is not None:
        records.append((final_event, "date"))
    for record, field in records:
        day = record.get(field)
        if isinstance(day, date) and not span[0] <= day <= span[1]:
            if record.sheet is schema.PAIRS and _registered_as_is(record, lookup):
                continue
            _outside(record, field, day, f"{year}", span, whose, report)


def _registered_as_is(pair: Record, lookup: RegisterLookup | None) -> bool:
    """True if ``pair`` is a registered pair as the register holds it: its start and end, its
    mentor and its mentees (a pair of 2023 given another mentor in 2025 is a change, checked
    as any — review9: it slipped through and rewrote the 2023 programme)."""
    code, start, end = pair.get("code"), pair.get("start"), pair.get("end")
    mentor, mentees = pair.get("mentor_ref"), pair.get("mentee_refs") or ()
    if lookup is None or not isinstance(code, str) or not isinstance(mentor, str):
        return False
    if not (isinstance(start, date) and isinstance(end, date)):
        return False
    return lookup.pair_as_registered(code, start, end, mentor, tuple(mentees))


def _outside(
    record: Record,
    field: str,
    day: date,
    year: str,
    span: tuple[date, date],
    whose: str,
    report: IntakeReport,
) -> None:
    start, end = span
    far = day < date(start.year - 1, 9, 1) or day > date(end.year + 1, 8, 31)
    said = f"Дата {_d(day)} — не в учебном году {year} (с {_d(start)} по {_d(end)}), {whose}"
    if far:
        cell_error(report, record, field, f"{said}, и даже не в соседнем. Проверьте год.")
    else:
        cell_error(
            report,
            record,
            field,
            f"{said}. Если это не ошибка, предупреждение можно не учитывать.",
            warning=True,
        )


def check_future_year(organization: Record | None, report: IntakeReport, today: date) -> bool:
    """Refuse a workbook whose «Учебный год» begins more than three months after ``today``
    (the day of the batch): «2027–2028» typed in December 2026 was taken with warnings, and
    the corrected «2026–2027» was then refused for good as last year's (year17). Next year's
    workbook comes from 1 June on. True if refused."""
    year = organization.get("school_year") if organization is not None else None
    span = school_year_span(year)
    if organization is None or span is None or today >= date(span[0].year, 6, 1):
        return False
    now = school_year(today)
    cell_error(
        report,
        organization,
        "school_year",
        f"Учебный год «{year}» ещё не начался: он начнётся 1 сентября {span[0].year}\xa0г. "
        f"Проверьте ячейку «Учебный год» — сейчас идёт {now}–{now + 1} учебный год. Книгу "
        "следующего учебного года можно передать с 1 июня.",
    )
    return True


def check_earlier_year(
    organization: Record | None, report: IntakeReport, own: RegisterLookup | None, today: date
) -> None:
    """Refuse a workbook of this school whose «Учебный год» is before the register's (last
    May's workbook put in the inbox in December): taken, it would bring last year's
    «Организация» back into the register, and every document of that year would be made
    again for the director to sign (play16). Last year's late «Итоги» go without the sheet.

    A register whose own year has not begun (:func:`check_future_year` would refuse it today:
    «2027–2028» typed in December 2026 and taken before year17) takes the year going on: it
    is the mistake corrected, not last year's workbook — refused, the office was stuck, as the
    register's year is refused too (left20)."""
    if organization is None or own is None:
        return
    given, held = organization.get("school_year"), own.school_year()
    span = school_year_span(held)
    if school_year_span(given) is None or span is None:
        return
    if today < date(span[0].year, 6, 1) and int(str(given)[:4]) >= school_year(today):
        return  # the register's year typed ahead, corrected
    if str(given)[:4] < str(held)[:4]:
        cell_error(
            report,
            organization,
            "school_year",
            f"Учебный год {given} — прошлый: реестр уже ведёт {held} учебный год. Книга "
            f"прошлого года вернула бы в реестр его сведения о школе, и все документы {given} "
            "учебного года пришлось бы подписывать заново. Поздние «Итоги» пар прошлого года "
            "передайте без листа «Организация» (очистите его): они попадут в отчёты своего "
            "учебного года.",
        )


def check_term_moved_back(
    pairs: list[Record], report: IntakeReport, own: RegisterLookup | None
) -> None:
    """Refuse a row of a registered pair starting in an earlier school year than its term in
    the register (play17: last December's workbook, re-saved and put in the inbox again, moved
    a pair continued since September back to last year's dates: this year's order on pairs
    dropped it and voided the signed order). A term is moved only within its school year; one
    registered in a school year after the register's (a year typed wrong) may be corrected."""
    span = school_year_span(own.school_year()) if own is not None else None
    if own is None or span is None:
        return
    for pair in pairs:
        code, start, end = pair.get("code"), pair.get("start"), pair.get("end")
        if not isinstance(code, str) or not isinstance(start, date):
            continue
        term = own.registered_term(code)
        if term is None or school_year(start) >= school_year(term[0]):
            continue
        if term[0] > span[1]:  # registered a year ahead (a typed year): corrected back
            continue
        given = f"с {_d(start)}" + (f" по {_d(end)}" if isinstance(end, date) else "")
        now, then = school_year(term[0]), school_year(start)
        cell_error(
            report,
            pair,
            "start",
            f"Пара «{code}» идёт в {now}–{now + 1} учебном году (с {_d(term[0])} по "
            f"{_d(term[1])}), а здесь её срок — {given}, {then}–{then + 1} учебного года: "
            "похоже, это строка книги прошлого года. Срок пары переносится только в пределах "
            "её учебного года, прежний срок остаётся в документах своего года. Уберите пару из "
            "книги (или всю книгу, если она прошлогодняя).",
        )
