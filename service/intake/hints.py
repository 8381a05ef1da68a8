"""The rows a blank puts between the header and the data, read as nothing: a row of column
numbers (:func:`is_numbering`) and a row of hints — what a blank copied from a ministry form
or a colleague's table says each column wants: «ДД.ММ.ГГГГ», «да/нет», «из списка», «м/ж»,
«через ;». Read as a person, a row of hints gave an error per cell. :func:`hint_row`
recognises it (every filled cell a known hint or a column number, at least one hint) and
:func:`skip_guides` skips it with one warning."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from itertools import chain

from openpyxl.utils.datetime import to_excel

from service.intake.model import IntakeReport
from service.intake.normalise import is_empty

Row = tuple[int, tuple[object, ...]]

_HINTS = frozenset(
    {
        "дд.мм.гггг",
        "дд.мм.гг",
        "да/нет",
        "нет/да",
        "из списка",
        "выберите из списка",
        "выбрать из списка",
        "м/ж",
        "ж/м",
        "через ;",
        "через;",
        "через точку с запятой",
        "через запятую",
    }
)
_SPACES = re.compile(r"\s+")
_AROUND_SLASH = re.compile(r"\s*/\s*")


def _key(text: str) -> str:
    text = _SPACES.sub(" ", text.replace("\u00a0", " ")).strip().strip("()[]«»\"'").strip()
    return _AROUND_SLASH.sub("/", text.lower().replace("ё", "е"))


def _column_number(value: object) -> int | None:
    """A whole number as a numbering row holds it (a January-1900 date: a number LibreOffice kept
    as a date in a date column)."""
    if isinstance(value, datetime | date) and value.year == 1900:
        value = to_excel(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if float(value).is_integer() else None


def hint_row(cells: tuple[object, ...]) -> list[str] | None:
    """The hints of ``cells`` as typed, if the row is a row of hints; otherwise None. Column
    numbers among them must follow the columns (each one more than the one to its left)."""
    hints: list[str] = []
    offsets: set[int] = set()
    for index, value in enumerate(cells):
        if is_empty(value):
            continue
        if isinstance(value, str) and _key(value) in _HINTS:
            hints.append(_SPACES.sub(" ", value).strip())
            continue
        number = _column_number(value)
        if number is None:
            return None
        offsets.add(number - index)
    return hints if hints and len(offsets) <= 1 else None


def hint_warning(hints: list[str]) -> str:
    shown = ", ".join(f"«{h}»" for h in hints)
    return f"Строка подсказок под заголовком ({shown}) — не данные, она не прочитана."


def is_numbering(cells: tuple[object, ...]) -> bool:
    """A row of column numbers under the header («1 2 3 …», as official forms number their
    columns): at least three whole numbers, each column's one more than the column's to its
    left. A number in a date column shows as a date of January 1900 (LibreOffice, saving the
    blank, keeps it a date): it counts as its number."""
    numbers: list[tuple[int, int]] = []
    for index, value in enumerate(cells):
        if is_empty(value):
            continue
        if (number := _column_number(value)) is None:
            return False
        numbers.append((index, number))
    start = numbers[0][1] - numbers[0][0] if numbers else 0
    return len(numbers) >= 3 and all(number - index == start for index, number in numbers)


def skip_guides(sheet: str, rows: Iterator[Row], report: IntakeReport) -> Iterator[Row]:
    """``rows`` (those under the header) without a row of column numbers and a row of hints
    among the first two, in either order; a row of hints is said once, as a warning."""
    for _ in range(2):
        if (first := next(rows, None)) is None:
            break
        if is_numbering(first[1]):
            continue
        if (hints := hint_row(first[1])) is not None:
            report.add(sheet, first[0], None, hint_warning(hints), warning=True)
            continue
        return chain([first], rows)
    return rows
