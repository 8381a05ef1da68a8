"""Writing workbooks people open: text stays text.

Values in the service's own xlsx files (inventories, error reports) come from workbooks and
forms filled by people. openpyxl stores a string that starts with «=» as a formula, and a
spreadsheet program evaluates it when the file is opened (``=HYPERLINK(…)`` becomes a live
link, ``=WEBSERVICE(…)`` a request). :func:`append_text_row` stores every string as a string,
and marks the ones that start with ``=``, ``+``, ``-`` or ``@`` with a quote prefix, so they
are not turned into a formula when someone edits the cell either.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

FORMULA_STARTS = ("=", "+", "-", "@")
"""What a spreadsheet program may read as the start of a formula."""
REGISTER_TIME = timezone(timedelta(hours=3), "Europe/Moscow")
"""The zone a register's time without one is taken in where a file must say it in UTC (the
workbook's properties): Moscow time, UTC+3 all year since 2014 — stated, not the server's."""


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


class _DatedZip(zipfile.ZipFile):
    """A ZIP whose members all carry one date (``writestr`` of a name otherwise stamps the
    clock's, ``write`` the file's), so the same workbook gives the same bytes."""

    def __init__(self, file: BinaryIO, moment: datetime):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.date_time = moment.timetuple()[:6]

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: bytes | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, self.date_time)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16  # what ZipFile.writestr gives a named file
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(
        self,
        filename: str | os.PathLike[str],
        arcname: str | os.PathLike[str] | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """A file into the ZIP (openpyxl writes each sheet to a temporary file first), dated
        as the rest, not by the file's time."""
        with open(filename, "rb") as fh:
            data = fh.read()
        name = os.fspath(arcname) if arcname is not None else os.path.basename(filename)
        self.writestr(name, data, compress_type, compresslevel)


def dated_workbook(book: Workbook, moment: datetime) -> bytes:
    """The xlsx of ``book`` as of ``moment`` (the register's time, without a zone: Moscow
    time, :data:`REGISTER_TIME`): its properties' «created» and «modified» and its parts' ZIP
    dates are ``moment``, not the clock's, so the same rows and the same moment give the same
    bytes (a pack's inventory, which a resumed download must find unchanged) — on any server,
    whatever its time zone (left17: the properties, kept in UTC, were converted by the
    server's TZ, and the same pack had other bytes under TZ=Asia/Vladivostok).
    ``Workbook.save`` stamps «modified» with now; openpyxl's writer, which it calls, does
    not."""
    stated = moment if moment.tzinfo is not None else moment.replace(tzinfo=REGISTER_TIME)
    utc = stated.astimezone(UTC).replace(tzinfo=None)
    book.properties.created = book.properties.modified = utc
    out = io.BytesIO()
    with _DatedZip(out, moment) as archive:
        ExcelWriter(book, archive).write_data()
    return out.getvalue()
