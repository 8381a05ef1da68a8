"""A «Параметр / Значение» sheet («Организация», «Итоговое мероприятие»): one parameter a row,
its name in the column «Параметр», its value beside it in «Значение». A sheet filled across (the
names along a row, the values under them) is refused with one line saying how to turn it."""

from __future__ import annotations

from service.intake import normalise as norm
from service.intake.columns import Column, Sheet
from service.intake.hints import is_numbering
from service.intake.model import IntakeReport
from service.intake.normalise import header_key, is_empty, is_placeholder, shown
from service.intake.schema import PARAMETER_HEADER, VALUE_HEADER, find_column
from service.intake.sheets import Record, Rows, read_cell
from service.intake.typos import lost, misspelt, suggestion


def _transposed(sheet: Sheet, row: int, named: list[Column]) -> str:
    shown_names = norm.quoted_list(c.header for c in named[:3]) + ("…" if len(named) > 3 else "")
    return (
        f"Лист «{sheet.name}» заполнен по строкам: названия параметров стоят в строке {row} "
        f"({shown_names}), а значения — под ними. Этот лист читается по столбцам: название "
        f"параметра — в столбце «{PARAMETER_HEADER}», его значение — справа, в столбце "
        f"«{VALUE_HEADER}». Скопируйте заполненные строки и вставьте их на новый лист через "
        "«Специальная вставка» → «Транспонировать» (или перенесите значения в пустую форму), "
        "затем передайте книгу снова."
    )


def read_key_value(sheet: Sheet, rows: Rows, report: IntakeReport) -> Record | None:
    """The parameters of a «Параметр / Значение» sheet; None when no value is filled."""
    name_at, value_at = 0, 1
    found: dict[str, tuple[int, object]] = {}
    unknown: list[tuple[int, object]] = []  # (row, name) of a parameter not known, with a value
    record = Record(sheet, None)
    labels = {header_key(PARAMETER_HEADER), header_key(VALUE_HEADER)}
    for number, cells in rows:
        keys = [header_key(c) if not is_empty(c) else "" for c in cells]
        if labels <= set(keys):
            name_at = keys.index(header_key(PARAMETER_HEADER))
            value_at = keys.index(header_key(VALUE_HEADER))
            continue
        named = [c for c in (find_column(sheet, c) for c in cells if not is_empty(c)) if c]
        if len(named) >= 2:  # the names along a row: the sheet was filled transposed
            report.add(sheet.name, number, None, _transposed(sheet, number, named))
            return None
        if is_numbering(cells):  # «1 2 3» under «Параметр», «Значение», «Пояснение»
            continue
        name = cells[name_at] if name_at < len(cells) else None
        value = cells[value_at] if value_at < len(cells) else None
        if is_empty(name):
            continue
        column = find_column(sheet, name)
        if column is None:
            if not is_placeholder(value):
                unknown.append((number, name))
        elif column.field in found:
            report.add(
                sheet.name,
                number,
                PARAMETER_HEADER,
                f"Параметр «{column.header}» указан дважды; прочитана первая строка "
                f"(строка {found[column.field][0]}).",
                warning=True,
            )
        else:
            found[column.field] = (number, value)
    typos = misspelt(sheet, unknown, [c for c in sheet.columns if c.field in found])
    for number, name in unknown:
        if (column := typos.get(number)) is None:
            said = f"Неизвестный параметр «{shown(name)}» не прочитан.{suggestion(sheet, name)}"
            report.add(sheet.name, number, PARAMETER_HEADER, said, warning=True)
        elif not column.required:  # its value would be lost (service.intake.typos)
            told = lost(column, name)
            report.add(sheet.name, number, PARAMETER_HEADER, told)
    if all(is_placeholder(value) for _, value in found.values()):
        return None
    for column in sheet.columns:
        if column.field in found:
            number, value = found[column.field]
            record.rows[column.field] = number
            read_cell(record, column, value, report)
        elif column.required and (number := _row_of(typos, column)):
            record.bad.add(column.field)
            report.add(
                sheet.name,
                number,
                PARAMETER_HEADER,
                f"Нет строки с параметром «{column.header}»: похоже, это строка {number} "
                f"«{shown(dict(unknown)[number])}» с опечаткой. Исправьте название на "
                f"«{column.header}».",
            )
        elif column.required:
            record.bad.add(column.field)
            report.add(
                sheet.name,
                None,
                PARAMETER_HEADER,
                f"Нет строки с параметром «{column.header}». Добавьте строку «{column.header}» "
                f"и укажите {column.expectation()}.",
            )
    return record


def _row_of(typos: dict[int, Column], column: Column) -> int | None:
    """The row of ``column``'s parameter misspelt, if it is among ``typos`` (row → column)."""
    return next((row for row, c in typos.items() if c is column), None)
