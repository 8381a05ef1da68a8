"""One sheet at a time: find the header row, map columns, read and check every cell.

Works on plain rows — ``(excel_row_number, tuple_of_values)`` — so it knows nothing of
openpyxl's reading modes; cross-row rules live in :mod:`service.intake.rules`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain

from openpyxl.utils import get_column_letter

from service.intake import dates, names
from service.intake import normalise as norm
from service.intake.columns import Column, Kind, Sheet
from service.intake.formulas import Uncomputed
from service.intake.hints import skip_guides
from service.intake.initials import read_initials
from service.intake.model import IntakeReport
from service.intake.normalise import ValueProblem, header_key, is_empty, is_placeholder, shown
from service.intake.schema import IGNORED_HEADERS, VALUE_HEADER, find_column
from service.intake.spans import headless_data
from service.intake.typos import note_data, tell_header, tell_typos
from service.intake.vocabulary import EXTERNAL_WORDS

Rows = Iterable[tuple[int, tuple[object, ...]]]
HEADER_SEARCH_ROWS = 10
"""How many non-empty rows may stand above the header (titles, merged captions)."""


@dataclass
class Record:
    """One data row as read; for a «Параметр / Значение» sheet, the whole sheet."""

    sheet: Sheet
    row: int | None
    values: dict[str, object] = field(default_factory=dict)
    """Field → normalised value, only for cells that were filled and readable."""
    rows: dict[str, int] = field(default_factory=dict)
    """Field → Excel row, for «Параметр / Значение» sheets."""
    bad: set[str] = field(default_factory=set)
    """Fields whose cell was unreadable (already reported)."""

    def row_of(self, name: str) -> int | None:
        """Excel row of the cell that holds ``name``."""
        return self.rows.get(name, self.row)

    def get(self, name: str, default: object = None) -> object:
        """The normalised value of ``name``, or ``default``."""
        return self.values.get(name, default)


FORMULA_ERRORS = {
    "#NULL!": "#ПУСТО!",
    "#DIV/0!": "#ДЕЛ/0!",
    "#VALUE!": "#ЗНАЧ!",
    "#REF!": "#ССЫЛКА!",
    "#NAME?": "#ИМЯ?",
    "#NUM!": "#ЧИСЛО!",
    "#N/A": "#Н/Д",
}
"""Error codes a formula that did not compute leaves in the file (Excel and LibreOffice write
the English code whatever the language), with what the Russian Excel shows."""


def convert_cell(value: object, column: Column) -> object:
    """A filled cell read by the rules of ``column.kind``; raises ValueProblem (also for text
    longer than ``column.limit``, for a formula's error code and for a formula saved without
    its value)."""
    if isinstance(value, Uncomputed):
        raise ValueProblem(
            f"В ячейке {value.coordinate} формула без вычисленного значения: откройте книгу в "
            "Excel и сохраните её (Excel вычислит формулы и запишет их значения), затем "
            "передайте книгу снова."
        )
    if isinstance(value, str) and value.strip() in FORMULA_ERRORS:
        code = value.strip()
        raise ValueProblem(
            f"В ячейке ошибка формулы «{code}» (в русском Excel — «{FORMULA_ERRORS[code]}»): "
            "формула не вычислилась. Исправьте формулу или впишите значение."
        )
    if isinstance(value, str) and len(value) > column.limit:
        raise ValueProblem(
            f"Текст слишком длинный — знаков: {_thousands(len(value))}, а допускается не "
            f"больше {_thousands(column.limit)}. Сократите его."
        )
    kind = column.kind
    if kind is Kind.DATE:
        return dates.to_date(value)
    if kind is Kind.YES_NO:
        return norm.to_bool(value, EXTERNAL_WORDS if column.field == "is_external" else None)
    if kind is Kind.CHOICE:
        return norm.to_choice(value, column.choices)
    if kind is Kind.TERM:
        return dates.to_term(value)
    if kind is Kind.NAME:
        if column.field == "responsible" and isinstance(value, str) and read_initials(value):
            return " ".join(value.split())  # «Бутрина О.Н.»: whose, the rules find out
        return names.to_name(value)
    if kind is Kind.SEX:
        return norm.to_sex(value)
    if kind is Kind.REF:
        if len(names.to_refs(value)) > 1:
            raise ValueProblem(
                f"В ячейке «{shown(value)}» несколько человек, а нужен один. "
                f"Укажите {column.expectation()} одного человека."
            )
        return names.to_ref(value)
    if kind is Kind.REFS:
        refs = names.to_refs(value)
        if not refs:
            raise ValueProblem(f"Укажите {column.expectation()}.")
        return refs
    if kind is Kind.LINES:
        return norm.to_lines(value)
    if kind is Kind.SCHOOL_YEAR:
        return norm.to_school_year(value)
    if kind in (Kind.INT, Kind.NUMBER):
        number = (norm.to_int if kind is Kind.INT else norm.to_number)(value, column.units)
        _check_range(number, value, column)
        return number
    text = norm.to_text(value)
    if column.field in ("inn", "ogrn"):
        return norm.to_tax_number(column.field, value)
    if column.field == "regulation_protocol":
        return norm.to_protocol_number(text)
    if column.field in PHONES and isinstance(value, int | float) and len(text) == 11:
        return "+" + text if text.startswith("7") else text  # Excel dropped the «+» of «+7…»
    return text.replace("\n", " ") if column.one_line else text


PHONES = frozenset({"phone", "guardian_phone"})
"""Fields holding a phone number (a number cell loses the «+» of «+7…»)."""


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def _check_range(number: float, value: object, column: Column) -> None:
    whole = "целое число" if column.kind is Kind.INT else "число"
    low, high = column.minimum, column.maximum
    if column.positive and number <= 0:
        raise ValueProblem(f"«{shown(value)}» — нужно {whole} больше нуля.")
    if low is not None and high is not None and not low <= number <= high:
        raise ValueProblem(f"«{shown(value)}» — нужно {whole} от {low:g} до {high:g}.")
    if low is not None and number < low:
        raise ValueProblem(f"«{shown(value)}» — нужно {whole} не меньше {low:g}.")


def _is_blank(value: object, column: Column) -> bool:
    # In a yes/no column «-» means «нет», so only a truly empty cell is blank there.
    return is_empty(value) if column.kind is Kind.YES_NO else is_placeholder(value)


def read_cell(record: Record, column: Column, value: object, report: IntakeReport) -> None:
    """Read one cell into ``record``; report it if required and empty, or unreadable."""
    row = record.row_of(column.field)
    where = VALUE_HEADER if record.sheet.key_value else column.header
    prefix = f"«{column.header}»: " if record.sheet.key_value else ""
    if _is_blank(value, column):
        if column.required:
            record.bad.add(column.field)
            report.add(
                record.sheet.name,
                row,
                where,
                f"{prefix}обязательная ячейка не заполнена. Укажите {column.expectation()}.",
            )
        return
    try:
        record.values[column.field] = convert_cell(value, column)
    except ValueProblem as problem:
        record.bad.add(column.field)
        report.add(record.sheet.name, row, where, f"{prefix}{problem}")


# --- table sheets ---------------------------------------------------------------------------------


def _matches(sheet: Sheet, cells: tuple[object, ...]) -> int:
    return sum(1 for c in cells if not is_empty(c) and find_column(sheet, c) is not None)


def _find_header(
    sheet: Sheet, rows: Iterator[tuple[int, tuple[object, ...]]]
) -> tuple[int, tuple[object, ...], list[tuple[int, tuple[object, ...]]]] | None:
    """The header row among the first non-empty rows, and the rows read past it."""
    seen: list[tuple[int, tuple[object, ...]]] = []
    for number, cells in rows:
        if all(is_empty(c) for c in cells):
            continue
        seen.append((number, cells))
        if _matches(sheet, cells) >= min(2, len(sheet.columns)) or len(seen) >= HEADER_SEARCH_ROWS:
            break
    for index, (number, cells) in enumerate(seen):
        if _matches(sheet, cells) >= min(2, len(sheet.columns)):
            return number, cells, seen[index + 1 :]
    for index, (number, cells) in enumerate(seen):
        if _matches(sheet, cells):
            return number, cells, seen[index + 1 :]
    if seen:
        return None
    return 0, (), []


def read_table(
    sheet: Sheet, rows: Rows, report: IntakeReport, merged: Sequence[tuple[int, int, int]] = ()
) -> list[Record]:
    """Every non-empty data row of a table sheet; problems go to ``report``. ``merged``: the
    sheet's cells merged down over several rows, (first row, last row, column) — filled as
    the rows are read: the value of such a cell belongs to every row under the header it
    covers."""
    stream = iter(rows)
    found = _find_header(sheet, stream)
    if found is None:
        expected = norm.quoted_list(c.header for c in sheet.columns if c.required)
        report.add(
            sheet.name,
            None,
            None,
            "Не найдена строка заголовков столбцов. Первая строка листа должна содержать "
            f"заголовки; обязательные: {expected}.",
        )
        return []
    header_row, header, rest = found
    if not header:
        return []
    following: Iterator[tuple[int, tuple[object, ...]]] = chain(rest, stream)
    if (first := next(following, None)) is not None:
        if (joined := _group_header(sheet, header, first[1])) is None:
            following = chain([first], following)
        else:
            header = joined
    following = skip_guides(sheet.name, following, report)
    doubles: dict[int, int] = {}
    typos: dict[int, Column] = {}
    mapping = _map_header(sheet, header_row, header, report, doubles, typos)
    records: list[Record] = []
    stray: tuple[set[int], set[int]] = (set(), set())  # (columns, rows) of data headless
    typed: dict[int, int] = {}
    carried: dict[int, tuple[int, object]] = {}
    for number, cells in following:
        cells = _merged_down(number, cells, merged, header_row, carried)
        if (label := _totals_label(cells, mapping)) is not None:
            report.add(
                sheet.name,
                number,
                None,
                f"Строка «{shown(label)}» — строка итогов, она не прочитана: сервис считает "
                "пары, участников и часы сам.",
                warning=True,
            )
            continue
        _note_stray(cells, mapping, header, number, stray)
        note_data(cells, typos, number, typed)
        _check_doubles(sheet, number, cells, mapping, doubles, report)
        if all(_is_blank(cells[i] if i < len(cells) else None, c) for i, c in mapping.items()):
            continue
        record = Record(sheet, number)
        for index, column in mapping.items():
            read_cell(record, column, cells[index] if index < len(cells) else None, report)
        records.append(record)
    if stray[0]:
        report.add(sheet.name, min(stray[1]), None, headless_data(*stray), warning=True)
    tell_typos(sheet, header_row, header, typos, typed, report)
    return records


def _check_doubles(
    sheet: Sheet,
    number: int,
    cells: tuple[object, ...],
    mapping: dict[int, Column],
    doubles: dict[int, int],
    report: IntakeReport,
) -> None:
    """A value in a column given twice that the column read does not hold (play17: П-02's
    figures typed under «Вовлеченность на входе» added at the right, lost from the report)."""
    for index, first in doubles.items():
        value = cells[index] if index < len(cells) else None
        read = cells[first] if first < len(cells) else None
        column = mapping[first]
        if _is_blank(value, column) or shown(value) == shown(read):
            continue
        second, one = get_column_letter(index + 1), get_column_letter(first + 1)
        held = "пусто" if _is_blank(read, column) else f"«{shown(read)}»"
        report.add(
            sheet.name,
            number,
            column.header,
            f"Значение «{shown(value)}» — во втором столбце «{column.header}» (столбец "
            f"{second}), а читается первый (столбец {one}), в этой строке в нём {held}. "
            f"Оставьте один столбец: перенесите значения из столбца {second} в столбец {one} "
            f"и удалите столбец {second}.",
        )


def _merged_down(
    number: int,
    cells: tuple[object, ...],
    merged: Sequence[tuple[int, int, int]],
    header_row: int,
    carried: dict[int, tuple[int, object]],
) -> tuple[object, ...]:
    """Row ``number``'s ``cells`` with each cell a range merged down covers given the value of
    the range's first row (``carried``: column index → last row, value). Ranges that start at
    or above the header are the header's."""
    for first, last, column in merged:
        if first == number and first > header_row:
            value = cells[column - 1] if column - 1 < len(cells) else None
            carried[column - 1] = (last, value)
    if not carried:
        return cells
    filled = list(cells)
    for index, (last, value) in list(carried.items()):
        if number > last:
            del carried[index]
            continue
        filled.extend([None] * (index + 1 - len(filled)))
        if filled[index] is None:
            filled[index] = value
    return tuple(filled)


_TOTALS_RE = re.compile(r"^(?:итого|итог|всего)\b", re.IGNORECASE)


def _totals_label(cells: tuple[object, ...], mapping: dict[int, Column]) -> object:
    """The label of a totals row («Итого:», «Всего» in its first filled cell, numbers alone in
    the others, a required cell empty: a row with text beside the label, or with every required
    cell filled, is data whatever its first word), else None."""
    # raw text, not cleaned: every row passes here, and a cell may hold 32,767 characters
    filled = [c for c in cells if c is not None and str(c).strip()]
    if not filled or not isinstance(filled[0], str):
        return None
    if not _TOTALS_RE.match(filled[0].lstrip()[:40]):
        return None
    if any(isinstance(c, bool) or not isinstance(c, int | float) for c in filled[1:]):
        return None
    first = filled[0]
    required = [i for i, column in mapping.items() if column.required]
    if all(i < len(cells) and not is_placeholder(cells[i]) for i in required):
        return None
    return first


def _group_header(
    sheet: Sheet, header: tuple[object, ...], below: tuple[object, ...]
) -> tuple[object, ...] | None:
    """``header`` joined with the row ``below`` it when that row names the columns under group
    headers («Вовлечённость», merged over two columns, above «на входе» and «на выходе»:
    «Вовлечённость на входе»); None when ``below`` is data. Every filled cell of ``below``
    must be a text that, after the group header over it (the nearest filled header cell at or
    left of it: a merged cell keeps its text in the first one), or alone under a header that
    is no column, names a column; and at least one must be joined to a group header."""
    joined = list(header) + [None] * (len(below) - len(header))
    group: object = None
    grouped = False
    for index, sub in enumerate(below):
        top = header[index] if index < len(header) else None
        if not is_empty(top):
            group = top
        if is_empty(sub):
            continue
        if not isinstance(sub, str):
            return None
        if header_key(f"{group} {sub}") in IGNORED_HEADERS:  # «№» over «п/п»
            joined[index] = f"{group} {sub}"
        elif group is not None and find_column(sheet, f"{group} {sub}") is not None:
            joined[index] = f"{group} {sub}"
            grouped = True
        elif find_column(sheet, sub) is not None and (is_empty(top) or not find_column(sheet, top)):
            joined[index] = sub
        else:
            return None
    return tuple(joined) if grouped else None


def _note_stray(
    cells: tuple[object, ...],
    mapping: dict[int, Column],
    header: tuple[object, ...],
    number: int,
    stray: tuple[set[int], set[int]],
) -> None:
    """Note in ``stray`` (columns, rows) the cells of row ``number`` with data and no header."""
    for index, value in enumerate(cells):
        headless = index >= len(header) or is_empty(header[index])
        if headless and index not in mapping and not is_placeholder(value):
            stray[0].add(index)
            stray[1].add(number)


def _map_header(
    sheet: Sheet,
    row: int,
    header: tuple[object, ...],
    report: IntakeReport,
    doubles: dict[int, int],
    typos: dict[int, Column],
) -> dict[int, Column]:
    """The columns read, by index; ``doubles`` gets each column given again (index → the
    index of the one read), ``typos`` each column absent whose header looks misspelt
    (:mod:`service.intake.typos`: told with the rows, whether data would be lost)."""
    mapping: dict[int, Column] = {}
    unknown: list[tuple[int, object]] = []
    for index, text in enumerate(header):
        if is_empty(text) or header_key(text) in IGNORED_HEADERS:
            continue
        column = find_column(sheet, text)
        if column is None:
            unknown.append((index, text))
        elif column in mapping.values():
            doubles[index] = next(i for i, c in mapping.items() if c is column)
            report.add(
                sheet.name,
                row,
                column.header,
                f"Столбец «{column.header}» встречается дважды; прочитан первый из них.",
                warning=True,
            )
        else:
            mapping[index] = column
    typos.update(tell_header(sheet, row, header, unknown, list(mapping.values()), report))
    return mapping
