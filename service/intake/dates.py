"""Dates of the workbook (INTAKE.md, «Reading rules»): a real Excel date or text ДД.ММ.ГГГГ,
Д.М.ГГГГ, ГГГГ-ММ-ДД, of a possible year; a «Срок» may be free text instead."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from openpyxl.utils.datetime import to_excel

from service.intake.examples import example_date, example_month
from service.intake.normalise import DASHES, ValueProblem, clean_text, shown, to_text

_DASH_RE = re.compile(f"[{DASHES}]")

_MIDNIGHT = r"(?:[ t]0{1,2}:00(?::00)?)?"
"""A date written out with its time, midnight (a date cell exported as text)."""
_DMY_RE = re.compile(rf"^(\d{{1,2}})\.(\d{{1,2}})\.(\d{{1,4}}){_MIDNIGHT}$")
_ISO_RE = re.compile(rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_MIDNIGHT}$")
_YEAR_WORD_RE = re.compile(r"\s*(?:г\.?|года?)$")


def date_hint() -> str:
    """What a date cell should hold, with an example of this school year."""
    return f"Введите дату в виде ДД.ММ.ГГГГ, например {example_date()}"


def _looks_like_date(text: str) -> bool:
    return bool(_DMY_RE.match(text) or _ISO_RE.match(text))


def _date_text(value: str) -> str:
    text = clean_text(value).lower()
    text = _YEAR_WORD_RE.sub("", text).strip()
    return re.sub(r"\s*([.\-])\s*", r"\1", _DASH_RE.sub("-", text))


FIRST_YEAR, LAST_YEAR = 1901, 2100
"""The years a date of the workbook may fall in: no participant was born before 1901, and a
date cell of 1900 is a small number shown as a date («4» in a date column: «04.01.1900»)."""


def _possible(day: date, original: str, cell: bool) -> date:
    """``day`` if its year is possible, else a ValueProblem saying why."""
    if cell and day.year == 1900:
        number = int(to_excel(day))
        raise ValueProblem(
            f"«{original}» — так Excel показывает число {number} в ячейке с форматом даты: в "
            f"ячейке число, а не дата. {date_hint()}."
        )
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueProblem(
            f"В дате «{original}» невозможный год {day.year}: даты принимаются с {FIRST_YEAR} "
            f"по {LAST_YEAR} год. Проверьте год и введите дату в виде ДД.ММ.ГГГГ, например "
            f"{example_date()}."
        )
    return day


def to_date(value: object) -> date:
    """A real Excel date, or text ДД.ММ.ГГГГ, Д.М.ГГГГ or ГГГГ-ММ-ДД, of a possible year."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return _possible(value, shown(value), cell=True)
    if isinstance(value, time) and value == time(0):  # serial 0: openpyxl reads it as a time
        raise ValueProblem(
            "В ячейке ноль в формате даты (Excel показывает его как «00.01.1900» или «0:00») — "
            f"например, формула, которая ссылается на пустую ячейку. {date_hint()}."
        )
    if isinstance(value, time):
        raise ValueProblem(f"В ячейке время «{value:%H:%M}», а нужна дата. {date_hint()}.")
    if isinstance(value, bool | int | float):
        raise ValueProblem(
            f"В ячейке число «{shown(value)}», а нужна дата. Если в Excel здесь видна дата, "
            f"задайте ячейке формат «Дата». {date_hint()}."
        )
    original = shown(value)
    text = _date_text(str(value))
    order = "сначала день, потом месяц"
    if match := _DMY_RE.match(text):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) != 4:
            raise ValueProblem(
                f"В дате «{original}» год нужно писать четырьмя цифрами. {date_hint()}."
            )
    elif match := _ISO_RE.match(text):
        year, month, day = (int(part) for part in match.groups())
        order = "в записи ГГГГ-ММ-ДД сначала месяц, потом день"
    else:
        raise ValueProblem(f"Не удалось прочитать дату «{original}». {date_hint()}.")
    try:
        result = date(year, month, day)
    except ValueError:
        swap = f" ({order})" if month > 12 and day <= 12 else ""
        raise ValueProblem(
            f"Дата «{original}» не существует{swap}. Введите дату в виде ДД.ММ.ГГГГ."
        ) from None
    return _possible(result, original, cell=False)


def to_term(value: object) -> date | str:
    """A «Срок»: a date, or free text such as «в течение года», «октябрь 2026»."""
    if isinstance(value, datetime | date | time):
        return to_date(value)
    if isinstance(value, bool):
        raise ValueProblem(
            f"Укажите срок: дату ДД.ММ.ГГГГ, месяц («{example_month()}») или период."
        )
    text = to_text(value)
    if _looks_like_date(_date_text(text)):
        return to_date(text)
    return text
