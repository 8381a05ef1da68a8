"""Read an intake workbook: every problem into a report, a Workbook only when there is no error.

Bad input is data: a file that is not an xlsx, a damaged sheet or a wrong cell becomes a
Russian message in the report, never an exception.
"""

from __future__ import annotations

import itertools
import re
import warnings
from collections.abc import Callable, Iterator
from datetime import date, datetime
from os import PathLike
from pathlib import Path
from typing import Any

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.xml.constants import ARC_CORE

from service.intake import model, schema
from service.intake.file_kind import (
    SAVE_AS,
    Unreadable,
    check_file,
    is_strict,
    not_a_workbook,
)
from service.intake.formulas import Uncomputed, mark, uncomputed_cells
from service.intake.guard import Limits, WorkbookRefused, check_archive
from service.intake.lookup import RegisterLookup
from service.intake.marks import SheetMarks, hidden_warning, scan
from service.intake.model import IntakeReport, Problem, Workbook
from service.intake.normalise import (
    header_key,
    is_empty,
    is_placeholder,
    quoted_list,
    unescape_excel,
)
from service.intake.parameters import read_key_value
from service.intake.rules import Draft, check_workbook
from service.intake.sheetdata import CellsOnly, SheetsReader
from service.intake.sheets import read_table

__all__ = ["RegisterLookup", "read_sheets", "read_workbook"]

_MODELS: dict[str, type] = {
    "mentors": model.Mentor,
    "mentees": model.Mentee,
    "pairs": model.Pair,
    "plan": model.PlanItem,
    "roadmap": model.RoadmapItem,
    "trainings": model.Training,
    "results": model.Result,
}
_SINGLE_MODELS: dict[str, type] = {
    "organization": model.Organization,
    "final_event": model.FinalEvent,
}


class _BrokenSheet(Exception):
    """openpyxl failed while streaming a sheet's rows."""


class _HugeCell(_BrokenSheet):
    """A cell holds more text than Excel can (:data:`EXCEL_CELL_CHARACTERS`); reading the sheet
    stops at its row."""

    def __init__(self, row: int) -> None:
        super().__init__(row)
        self.row = row


MAX_COLUMNS = 256
"""Columns of a sheet read (A to IV, the width of Excel 2003): the form's sheets have a
dozen or two."""
EXCEL_CELL_CHARACTERS = 32_767
"""The most characters Excel keeps in one cell. Longer text comes from no spreadsheet program;
megabytes of it made each check of the cell (spaces, dashes, the header match) take seconds,
20 MB in a 22 KB file 18 s of CPU while the inbox waited."""


class _TooManyRows(Exception):
    """A sheet has more filled rows than the limit; reading it stops there."""


def read_workbook(
    path: str | PathLike[str],
    lookup: RegisterLookup | None = None,
    *,
    today: date | None = None,
    limits: Limits | None = None,
    sheets: Callable[[], tuple[Draft | None, IntakeReport]] | None = None,
) -> tuple[Workbook | None, IntakeReport]:
    """Read and check the workbook at ``path``; the Workbook is None when there is any error.

    ``lookup`` answers for people, pairs and the organization given in earlier workbooks
    (None: nothing is registered). ``today`` is for tests; it decides ages when no date does.
    ``limits`` bound the unpacked size and the rows of a sheet (default: the settings'
    defaults); a workbook past them is refused before, or while, it is read. ``sheets``: the
    result of :func:`read_sheets` of this file, read already (``nastavnik process`` has its
    render worker read them while it opens the home); ``path`` and ``limits`` are then not used.
    """
    draft, report = sheets() if sheets is not None else read_sheets(path, limits)
    if draft is None:
        return None, report
    check_workbook(draft, report, lookup, today or date.today())
    report.problems.sort(key=_problem_order)
    if report.errors:
        return None, report
    return _build(draft), report


def read_sheets(
    path: str | PathLike[str], limits: Limits | None = None
) -> tuple[Draft | None, IntakeReport]:
    """The workbook's sheets as read, before any check against each other or the register:
    the draft (None when the file cannot be read as a workbook at all) and the report of what
    reading found. Both are picklable, so another process may read them
    (:func:`service.documents.parallel.run_beside`)."""
    report = IntakeReport()
    source = Path(path)
    draft = Draft()
    limits = limits or Limits()
    try:
        check_file(source)
        check_archive(source, limits)
        # openpyxl warns about features it drops (data-validation extensions, drawings…);
        # they do not matter for reading values.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            _read_sheets(source, draft, report, limits.rows)
    except (Unreadable, WorkbookRefused) as problem:
        report.add("", None, None, str(problem))
        return None, report
    except OSError:
        report.add(
            "",
            None,
            None,
            "Не удалось открыть файл: нет доступа или он занят другой программой. Закройте "
            "его в Excel и передайте снова.",
        )
        return None, report
    return draft, report


def _read_sheets(path: Path, draft: Draft, report: IntakeReport, max_rows: int) -> None:
    if is_strict(path):
        raise Unreadable(
            "Файл сохранён в формате «Strict Open XML» (строгий Open XML), который сервис не "
            f"читает. {SAVE_AS}"
        )
    with path.open("rb") as handle:
        try:
            # keep_links=False: the copy Excel keeps of every linked workbook's cells (665 MB
            # read for 600,000 of them) is never a value of this one
            reader = SheetsReader(handle, read_only=True, data_only=True, keep_links=False)
            reader.read()
            book = reader.wb
            draft.saved_at = _saved_at(reader)
        except Exception as exc:  # a damaged file can make openpyxl fail in any way
            raise Unreadable(not_a_workbook(path)) from exc
        missing = _sheets_without_part(reader)
        if missing:
            book.close()
            which = "листа" if len(missing) == 1 else "листов"
            raise Unreadable(
                f"Файл повреждён: в нём нет {which} {quoted_list(missing)}, хотя книга "
                f"{'его' if len(missing) == 1 else 'их'} перечисляет. {SAVE_AS}"
            )
        try:
            _read_worksheets(book, draft, report, max_rows)
        finally:
            book.close()


def _saved_at(reader: ExcelReader) -> datetime | None:
    """The workbook's «modified» property (UTC); None when it has none — openpyxl then gives
    the moment of reading, which is no day the workbook was saved."""
    if ARC_CORE not in reader.valid_files or b"modified>" not in reader.archive.read(ARC_CORE):
        return None
    modified = reader.wb.properties.modified
    return modified if isinstance(modified, datetime) else None


def _sheets_without_part(reader: ExcelReader) -> list[str]:
    """Sheets the workbook lists that openpyxl did not read: their part is not in the file, or
    the list gives no part for them. openpyxl leaves such a sheet out without a word: a
    workbook whose «Организация» had lost its part was taken with the other sheets, the
    changes to it silently not made (attack15)."""
    read = set(reader.wb.sheetnames)
    return [sheet.name for sheet in reader.parser.sheets if sheet.name not in read]


def _read_worksheets(book: Any, draft: Draft, report: IntakeReport, max_rows: int) -> None:
    recognised = False
    for worksheet in book.worksheets:
        if header_key(worksheet.title) in schema.IGNORED_SHEETS:
            continue
        sheet = schema.find_sheet(worksheet.title)
        if sheet is None:
            _unknown_sheet(worksheet, report, max_rows, book.sheetnames)
            continue
        if sheet.target in draft.sheets_read:
            report.add(
                sheet.name,
                None,
                None,
                f"Лист «{worksheet.title}» повторяет уже прочитанный лист «{sheet.name}» "
                "и не прочитан. Оставьте в книге один такой лист.",
            )
            continue
        recognised = True
        draft.sheets_read.add(sheet.target)
        if getattr(worksheet, "sheet_state", "visible") != "visible":
            report.add(
                sheet.name,
                None,
                None,
                f"Лист «{worksheet.title}» в книге скрыт, но прочитан: его строки входят в "
                "реестр и документы так же, как с видимого листа. Если они не нужны, удалите "
                "их и передайте книгу снова.",
                warning=True,
            )
        _read_sheet(worksheet, sheet, draft, report, max_rows)
    if not recognised:
        report.add(
            "",
            None,
            None,
            "В книге нет ни одного листа формы. Ожидаются листы: "
            f"{quoted_list(s.name for s in schema.SHEETS)}. Возьмите пустую форму "
            "(ссылка на странице сервиса) и перенесите данные в неё.",
        )


def _read_sheet(
    worksheet: Any, sheet: schema.Sheet, draft: Draft, report: IntakeReport, max_rows: int
) -> None:
    far = _cells_only(worksheet)
    _read_rows(worksheet, sheet, draft, report, max_rows)
    for row, column in far:
        report.add(
            sheet.name,
            row,
            None,
            f"В столбце {get_column_letter(column)} есть данные, но сервис читает только первые "
            f"{MAX_COLUMNS} столбцов листа (до {get_column_letter(MAX_COLUMNS)}) — они не "
            "прочитаны. Перенесите их в столбцы формы.",
            warning=True,
        )


def _read_rows(
    worksheet: Any, sheet: schema.Sheet, draft: Draft, report: IntakeReport, max_rows: int
) -> None:
    seen = SheetMarks()  # filled by _rows as it starts: the hidden rows read, merged cells
    try:
        if sheet.key_value:
            record = read_key_value(sheet, _rows(worksheet, max_rows, seen), report)
            if record is not None:
                draft.single[sheet.target] = record
        else:
            rows = _rows(worksheet, max_rows, seen)
            draft.tables[sheet.target] = read_table(sheet, rows, report, seen.merged_down)
        if seen.hidden:
            report.add(sheet.name, None, None, hidden_warning(sorted(seen.hidden)), warning=True)
    except _TooManyRows:
        limit = f"{max_rows:,}".replace(",", "\u00a0")
        report.add(
            sheet.name,
            None,
            None,
            f"На листе больше {limit} заполненных строк; дальше лист не прочитан. Программа "
            "наставничества одной школы столько не занимает: проверьте, не попали ли на лист "
            "лишние данные, и удалите их (если строк действительно столько, разделите их на "
            "несколько книг).",
        )
    except _HugeCell as huge:
        report.add(
            sheet.name,
            huge.row,
            None,
            "Ячейка длиннее 32\u00a0767 знаков — столько Excel в ячейку не пишет; лист не "
            "прочитан. Проверьте, что попало в эту строку, и сохраните книгу в Excel заново.",
        )
    except _BrokenSheet:
        report.add(
            sheet.name,
            None,
            None,
            "Лист повреждён и прочитан не полностью. Скопируйте данные на новый лист в Excel "
            "и сохраните книгу заново.",
        )


def _rows(
    worksheet: Any, max_rows: int, seen: SheetMarks | None = None
) -> Iterator[tuple[int, tuple[object, ...]]]:
    """Filled rows as (Excel row number, values), streamed; a failure inside openpyxl is
    _BrokenSheet, the filled row past ``max_rows`` is _TooManyRows. Empty rows, formatted or
    skipped (openpyxl gives each skipped one), are neither counted nor given to the sheet's
    reader: a cell at row 1,000,000 of a 40 KB workbook made a million rows for it to look
    at (4 s of CPU; a million formatted empty rows 13 s)."""
    # Dimensions written by some programs are wrong; without them openpyxl reads every row.
    worksheet.reset_dimensions()
    _cells_only(worksheet)
    uncomputed, marks = _marks(worksheet)
    if seen is not None:  # the merged cells for the sheet's reader; the hidden rows as read
        seen.merged_down[:] = marks.merged_down
    rows = worksheet.iter_rows(values_only=True)
    number = filled = 0
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # damaged sheet XML
            raise _BrokenSheet from exc
        number += 1
        if number in uncomputed:
            values = mark(values, uncomputed[number])
        values = tuple(unescape_excel(v) if isinstance(v, str) and "_x" in v else v for v in values)
        if not any(v is not None and v != "" for v in values):
            continue  # every reader skips an empty row; a million of them took seconds each
        if any(isinstance(v, str) and len(v) > EXCEL_CELL_CHARACTERS for v in values):
            raise _HugeCell(number)
        filled += 1
        if filled > max_rows:
            raise _TooManyRows
        if number in marks.hidden and seen is not None:
            seen.hidden.add(number)
        yield number, tuple(values)


def _cells_only(worksheet: Any) -> list[tuple[int, int]]:
    """Have openpyxl read only the sheet's cells (:mod:`service.intake.sheetdata`: a million
    merged cells after them took 760 MB to read), and of each row no more than
    :data:`MAX_COLUMNS` (a value in column XFD made its row 16,384 cells that every check went
    through: 20,000 such rows, 142 KB, were 90 s of CPU). Returns where the first filled cell
    past them was found (row, column), once the rows are read."""
    far: list[tuple[int, int]] | None = vars(worksheet).get("_far_cells")
    if far is not None:
        return far
    far = []
    whole, get_row = worksheet._get_source, worksheet._get_row

    def narrow(row: list[dict], min_col: int = 1, max_col: int | None = None, values_only=False):
        if max_col is None and row and row[-1]["column"] > MAX_COLUMNS:
            max_col = MAX_COLUMNS
            if not far:
                beyond = (c for c in row if c["column"] > MAX_COLUMNS and not is_empty(c["value"]))
                far.extend((c["row"], c["column"]) for c in itertools.islice(beyond, 1))
        return get_row(row, min_col, max_col, values_only)

    worksheet._get_source = lambda: CellsOnly(whole())
    worksheet._raw_source = whole
    worksheet._get_row = narrow
    worksheet._far_cells = far
    return far


def _marks(worksheet: Any) -> tuple[dict[int, dict[int, Uncomputed]], SheetMarks]:
    """The sheet's formulas saved without a value (:mod:`service.intake.formulas`), and its
    hidden rows and merged cells (:mod:`service.intake.marks`, read from the whole part); the
    XML is read through openpyxl's read-only worksheet, a failure there is _BrokenSheet."""
    try:
        with worksheet._raw_source() as raw:
            marks = scan(raw)
        if not marks.holds_formula:
            return {}, marks
        with worksheet._get_source() as source:
            return uncomputed_cells(source), marks
    except Exception as exc:  # damaged sheet XML
        raise _BrokenSheet from exc


_COPY_RE = re.compile(r"^(.*?)\s*(?:\(\d+\)|_\d+|\d+|-?\s*копия(?:\s*\d+)?)$", re.IGNORECASE)
"""A sheet copied in Excel («Пары (2)»), in LibreOffice («Пары_2») or by hand («Пары копия»)."""


def _unknown_sheet(worksheet: Any, report: IntakeReport, max_rows: int, titles: list[str]) -> None:
    try:
        filled = any(not is_placeholder(v) for _, row in _rows(worksheet, max_rows) for v in row)
    except (_BrokenSheet, _TooManyRows):
        filled = True
    copied = _COPY_RE.match(worksheet.title.strip())
    original = schema.find_sheet(copied[1]) if copied and copied[1] else None
    if filled and original is not None:  # play17: the edits made in the copy were lost
        there = any(schema.find_sheet(title) is original for title in titles)
        advice = (
            f"сервис читает только лист «{original.name}», и правки, сделанные в копии, "
            f"потерялись бы. Оставьте в книге один лист «{original.name}» — с верными "
            "данными — и удалите другой."
            if there
            else f"а листа «{original.name}» в книге нет. Переименуйте лист в «{original.name}»."
        )
        report.add(
            worksheet.title,
            None,
            None,
            f"Лист «{worksheet.title}» похож на копию листа «{original.name}»: {advice}",
        )
    elif filled:
        known = quoted_list(s.name for s in schema.SHEETS)
        report.add(
            worksheet.title,
            None,
            None,
            f"Лист «{worksheet.title}» не относится к форме и не прочитан. Листы формы: {known}.",
            warning=True,
        )


def _problem_order(problem: Problem) -> tuple[int, int, int]:
    names = [s.name for s in schema.SHEETS]
    sheet_index = names.index(problem.sheet) if problem.sheet in names else -1
    if problem.sheet and sheet_index < 0:
        sheet_index = len(names)
    columns: list[str] = []
    if 0 <= sheet_index < len(names):
        columns = [c.header for c in schema.SHEETS[sheet_index].columns]
    column_index = columns.index(problem.column) if problem.column in columns else -1
    return sheet_index, problem.row or 0, column_index


def _build(draft: Draft) -> Workbook:
    parts: dict[str, object] = {}
    for target, cls in _MODELS.items():
        parts[target] = tuple(cls(row=r.row, **r.values) for r in draft.tables.get(target, []))
    for target, cls in _SINGLE_MODELS.items():
        if (record := draft.single.get(target)) is not None:
            parts[target] = cls(**record.values)
    return Workbook(**parts)  # type: ignore[arg-type]
