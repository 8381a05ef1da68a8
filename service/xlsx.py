"""Writing workbooks people open: text stays text.

Values in the service's own xlsx files (inventories, error reports) come from workbooks and
forms filled by people. openpyxl stores a string that starts with «=» as a formula, and a
spreadsheet program evaluates it when the file is opened (``=HYPERLINK(…)`` becomes a live
link, ``=WEBSERVICE(…)`` a request). :func:`append_text_row` stores every string as a string,
and marks the ones that start with ``=``, ``+``, ``-`` or ``@`` with a quote prefix, so they
are not turned into a formula when someone edits the cell either.
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@")
"""What a spreadsheet program may read as the start of a formula."""


def keep_as_text(cell: Cell) -> None:
    """Store the cell's string value as a string, never as a formula."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def append_text_row(sheet: Worksheet, values: Iterable[object]) -> None:
    """``sheet.append(values)``, with every string kept as text (:func:`keep_as_text`).

    The cells are made and marked before they are appended: reading the row back
    (``sheet[sheet.max_row]``) costs a scan of every cell of the sheet, which made an
    inventory of 10,000 documents quadratic (minutes instead of a second)."""
    cells = [Cell(sheet, value=value) for value in values]
    for cell in cells:
        keep_as_text(cell)
    sheet.append(cells)
