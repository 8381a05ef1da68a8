"""The rows a blank puts between the header and the data, read as nothing: a row of column
numbers (:func:`is_numbering`) and a row of hints — what a blank copied from a ministry form
or a colleague's table says each column wants: «ДД.ММ.ГГГГ», «да/нет», «из списка», «м/ж»,
«через ;», also with words around them («формат: ДД.ММ.ГГГГ», «выберите из списка») or an
instruction of its own («укажите при наличии»). Read as a person, a row of hints gave an error
per cell. :func:`hint_row` recognises it (every filled cell a hint or a column number, at
least one hint: a real ФИО, code or date in any cell makes the row data) and
:func:`skip_guides` skips such rows before the first row of data, wherever they sit among the
blank rows and each other, with one warning each; a row of hints between rows of data is an
error (a table pasted under another one: its rows need checking) when it holds a format or a
choice of two, which no value does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime

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
_TYPES = frozenset({"число", "целое число", "текст", "фио", "дата", "дата или месяц"})
"""What a school's copy of the blank writes under a header for the kind of value (play10:
«число» under «Часов», «ФИО» under «Ответственный», «дата или месяц» under «Срок», beside
«ДД.ММ.ГГГГ»): a hint typed alone only — «дата» or «число» inside a text may be a value."""
_HINT_IN_WORDS = re.compile(
    r"(?<![\w.])(?:" + "|".join(re.escape(h) for h in sorted(_HINTS, key=len, reverse=True)) + r")"
    r"(?![\w])"
)
"""A known hint inside a longer text: «формат: дд.мм.гггг», «да/нет (по умолчанию нет)»."""
_INSTRUCTION = re.compile(
    r"(?:формат|в формате|например|пример|укажите|выберите|выбрать|введите|впишите|заполните|"
    r"заполняется|необязательно|обязательно|при наличии)\b"
)
"""How an instruction of a blank opens («укажите при наличии», «например: учитель физики»)."""
_NAME_LIKE = re.compile(r"[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё.]*")
"""Two capitalised words in a row: a ФИО (or a name) an instruction cell must not hold."""
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


_LONGEST = 200
"""The longest text a hint may be (a cell may hold 32,767 characters: not cleaned for this)."""
_FORMATS = re.compile(r"(?<![\w.])(?:дд\.мм\.гггг|дд\.мм\.гг|да/нет|нет/да|м/ж|ж/м)(?!\w)")
"""The hints no text of a school's own writes: a date's format, a choice of two."""


def hint_strength(text: str) -> int:
    """Whether a cell's text is a blank's hint, not a value: 2 for a format or a choice of two
    («ДД.ММ.ГГГГ», «формат: ДД.ММ.ГГГГ», «да/нет (по умолчанию нет)»), which no value holds;
    1 for another known hint, alone or with words around it («из списка», «выберите из
    списка»), or an instruction («укажите при наличии») that holds no digit and no ФИО
    («например: Иванов Иван Иванович» is a person) — a plan's «Заполните дневник» may be an
    activity; 0 for a value."""
    if len(text) > _LONGEST:
        return 0
    key = _key(text)
    if _FORMATS.search(key):
        return 2
    if key in _HINTS or key in _TYPES or _HINT_IN_WORDS.search(key):
        return 1
    if not _INSTRUCTION.match(key):
        return 0
    return int(not any(ch.isdigit() for ch in key) and _NAME_LIKE.search(text) is None)


def hint_row(cells: tuple[object, ...], *, strong: bool = False) -> list[str] | None:
    """The hints of ``cells`` as typed, if the row is a row of hints (``strong``: with at least
    one format or choice, :func:`hint_strength`); otherwise None. Column numbers among them
    must follow the columns (each one more than the one to its left)."""
    hints: list[str] = []
    offsets: set[int] = set()
    strongest = 0
    for index, value in enumerate(cells):
        if isinstance(value, str) and len(value) > _LONGEST:
            return None  # a value: every row passes here, and a cell may hold 32,767 characters
        if is_empty(value):
            continue
        if isinstance(value, str) and (strength := hint_strength(value)):
            hints.append(_SPACES.sub(" ", value).strip())
            strongest = max(strongest, strength)
            continue
        number = _column_number(value)
        if number is None:
            return None
        offsets.add(number - index)
    if strong and strongest < 2:
        return None
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
    """``rows`` (those under the header) without the rows of column numbers and of hints
    before the first row of data, in any order and among blank rows (a row of hints is said,
    as a warning); a row of hints after the first row of data is an error and is not read."""
    data = False
    for number, cells in rows:
        if data:
            # after the data only a format or a choice tells a hint: «Заполните дневник» alone
            # on a plan's row (its code merged down from the row above) is an activity
            if (hints := hint_row(cells, strong=True)) is not None:
                report.add(sheet, number, None, _between_data(hints))
                continue
        elif _blank(cells) or is_numbering(cells):
            continue
        elif (hints := hint_row(cells)) is not None:
            report.add(sheet, number, None, hint_warning(hints), warning=True)
            continue
        else:
            data = True
        yield number, cells


def _blank(cells: tuple[object, ...]) -> bool:
    return all(not (isinstance(c, str) and len(c) > _LONGEST) and is_empty(c) for c in cells)


def _between_data(hints: list[str]) -> str:
    shown = ", ".join(f"«{h}»" for h in hints)
    return (
        f"Строка подсказок ({shown}) стоит между строками данных: подсказки пишут только "
        "сразу под заголовком. Похоже, сюда вставлена часть другой таблицы — удалите эту "
        "строку и проверьте строки под ней."
    )
