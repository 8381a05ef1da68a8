"""A column's header or a parameter's name typed with a mistake: «Дата начла» for «Дата начала».

An unknown column is not read, with a warning (INTAKE.md). One whose header is close to a
column of the sheet that the workbook does not have is that column misspelt (play17): the
warning «Неизвестный столбец «Дата начла» не прочитан» came beside the error «Нет обязательного
столбца «Дата начала». Добавьте его…», which sent the secretary to add a column she had; an
optional column misspelt lost what she typed in it («Внешний наставник» «да»: no contract) with
a warning only, and the documents were made without it. Now one error names the header she
typed and the one expected, and a misspelt column (or parameter) holding data is refused: what
she typed must not vanish from the documents. An empty one stays a warning."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from openpyxl.utils import get_column_letter

from service.intake.columns import Column, Sheet
from service.intake.model import IntakeReport
from service.intake.normalise import header_key, is_placeholder, shown
from service.intake.spans import column_spans

CUTOFF = 0.75
"""How alike (:class:`difflib.SequenceMatcher` ratio) a header and a column's name, or two of
their words, are to be taken for one another."""


def close_column(sheet: Sheet, text: object) -> Column | None:
    """The column of ``sheet`` whose header (or another name of it) ``text`` is, mistyped:
    close to it, and word by word (:func:`_slip`)."""
    columns = {key: column for column in sheet.columns for key in column.keys}
    typed = header_key(text)
    close = difflib.get_close_matches(typed, list(columns), n=3, cutoff=CUTOFF)
    return next((columns[name] for name in close if _slip(typed, name)), None)


def _slip(typed: str, name: str) -> bool:
    """``typed`` is ``name`` with a slip in its words, not another header sharing a word with
    it: each word of one is a word of the other, maybe mistyped. «Дата начла», «Сайтт»,
    «Дата окончания работы», «Координатор» are; «Стаж работы» is not «Место работы»,
    «Дата проведения» not «Форма проведения», «Должность директора» not «Должность
    куратора» (review20: those were refused, the secretary told to rename her Стаж column
    «Место работы», and suggested so in a warning)."""

    def within(words: list[str], others: list[str]) -> bool:
        return all(
            any(difflib.SequenceMatcher(None, word, other).ratio() >= CUTOFF for other in others)
            for word in words
        )

    mine, its = typed.split(), name.split()
    return within(mine, its) or within(its, mine)


def suggestion(sheet: Sheet, text: object) -> str:
    """« Возможно, имелся в виду «…».» for an unknown ``text`` close to a column; else ""."""
    close = close_column(sheet, text)
    return f" Возможно, имелся в виду «{close.header}»." if close else ""


def misspelt(
    sheet: Sheet, unknown: Iterable[tuple[int, object]], present: Iterable[Column]
) -> dict[int, Column]:
    """Which of the ``unknown`` (position, text) are a column of ``sheet`` not ``present``,
    misspelt: each such column once, its first look-alike."""
    found: dict[int, Column] = {}
    taken = {id(column) for column in present}
    for position, text in unknown:
        column = close_column(sheet, text)
        if column is not None and id(column) not in taken:
            taken.add(id(column))
            found[position] = column
    return found


def tell_header(
    sheet: Sheet,
    row: int,
    header: tuple[object, ...],
    unknown: list[tuple[int, object]],
    present: list[Column],
    report: IntakeReport,
) -> dict[int, Column]:
    """Report the header row's unknown columns and the required ones missing; return the
    optional columns misspelt (index → column), told with the rows by :func:`tell_typos`."""
    typos = misspelt(sheet, unknown, present)
    for given in _alike([(i, text) for i, text in unknown if i not in typos]):
        text = given[0][1]
        if len({header_key(t) for _, t in given}) > 1:  # «Столбец11» … «Столбец256»
            said = (
                f"Неизвестные столбцы «{shown(text)}» … «{shown(given[-1][1])}» (столбцы "
                f"{column_spans(i for i, _ in given)}) не прочитаны."
            )
        elif len(given) > 1:  # «0» dragged along the header row to column IV: one line
            said = (
                f"Неизвестный столбец «{shown(text)}» повторяется в столбцах "
                f"{column_spans(i for i, _ in given)}: они не прочитаны."
            )
        else:
            said = f"Неизвестный столбец «{shown(text)}» не прочитан."
        report.add(sheet.name, row, shown(text), said + suggestion(sheet, text), warning=True)
    for column in sheet.columns:
        typo = next((i for i, c in typos.items() if c is column), None)
        if column.required and typo is not None:
            report.add(
                sheet.name,
                row,
                shown(header[typo]),
                f"Нет обязательного столбца «{column.header}»: похоже, это столбец "
                f"{get_column_letter(typo + 1)} «{shown(header[typo])}» с опечаткой в заголовке. "
                f"Исправьте заголовок на «{column.header}».",
            )
        elif column.required and column not in present:
            report.add(
                sheet.name,
                row,
                column.header,
                f"Нет обязательного столбца «{column.header}». Добавьте его в строку "
                f"заголовков (строка {row}) и заполните.",
            )
    return {i: c for i, c in typos.items() if not c.required}


_NUMBERED = 3
"""Headers differing only in their numbers told as one from this many: Excel's table names
the columns it adds «Столбец11», «Столбец12» … and a number dragged along the header row
counts up «1», «2» … to column IV."""


def _alike(unknown: list[tuple[int, object]]) -> list[list[tuple[int, object]]]:
    """The unknown headers (index, text) in groups told in one line each: the same header
    over several columns, or :data:`_NUMBERED` and more differing only in their numbers; any
    other alone. In the order of their first columns."""
    numbered: dict[str, list[tuple[int, object]]] = {}
    for index, text in unknown:
        numbered.setdefault(re.sub(r"\d+", "#", header_key(text)), []).append((index, text))
    groups: list[list[tuple[int, object]]] = []
    for family in numbered.values():
        if len(family) >= _NUMBERED:
            groups.append(family)
            continue
        same: dict[str, list[tuple[int, object]]] = {}
        for index, text in family:
            same.setdefault(header_key(text), []).append((index, text))
        groups.extend(same.values())
    return sorted(groups, key=lambda group: group[0][0])


def note_data(
    cells: tuple[object, ...], typos: dict[int, Column], row: int, typed: dict[int, int]
) -> None:
    """Note in ``typed`` the first ``row`` holding data under each misspelt column."""
    for position in typos:
        if position < len(cells) and not is_placeholder(cells[position]):
            typed.setdefault(position, row)


def tell_typos(
    sheet: Sheet,
    row: int,
    header: tuple[object, ...],
    typos: dict[int, Column],
    typed: dict[int, int],
    report: IntakeReport,
) -> None:
    """Report each optional column misspelt: an error if data under it (first in
    ``typed``) would be lost, else a warning."""
    for index, column in typos.items():
        text = header[index]
        if index in typed:
            report.add(sheet.name, row, shown(text), lost(column, text, typed[index]))
        else:
            said = f"Неизвестный столбец «{shown(text)}» не прочитан.{suggestion(sheet, text)}"
            report.add(sheet.name, row, shown(text), said, warning=True)


def lost(column: Column, text: object, row: int | None = None) -> str:
    """The error of an optional ``column`` typed ``text`` holding data (first in ``row``), or
    (no ``row``) of a parameter's name typed so, with a value."""
    if row is None:
        return (
            f"Параметр «{shown(text)}» не прочитан: похоже, это «{column.header}» с опечаткой, "
            f"а его значение в документы не попало бы. Исправьте название на «{column.header}»."
        )
    return (
        f"Столбец «{shown(text)}» не прочитан: похоже, это «{column.header}» с опечаткой в "
        f"заголовке, а в нём есть данные (строка {row}) — в документы они не попали бы. "
        f"Исправьте заголовок на «{column.header}»."
    )
