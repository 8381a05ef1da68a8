"""A workbook opened for the intake reads each sheet's dimensions from the part's prologue (up
to ``<sheetData>``), not from its first 16 KB of rows (service/intake/sheetdata.py)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._reader import WorkSheetParser

from service.intake.demo import write_demo_workbook
from service.intake.sheetdata import SheetsReader, prologue


def _sheets(reader_class, path: Path) -> list[tuple]:
    with path.open("rb") as handle:
        reader = reader_class(handle, read_only=True, data_only=True, keep_links=False)
        reader.read()
        sheets = [
            (ws.title, ws.sheet_state, ws.min_column, ws.min_row, ws.max_column, ws.max_row)
            for ws in reader.wb.worksheets
        ]
        reader.wb.close()
    return sheets


def test_the_dimensions_are_read_from_the_prologue_only_and_are_openpyxl_s(tmp_path, monkeypatch):
    path = tmp_path / "demo.xlsx"
    write_demo_workbook(path)
    expected = _sheets(ExcelReader, path)
    parsed: list[bytes] = []
    parse = WorkSheetParser.parse_dimensions

    def seen(self):
        parsed.append(self.source.getvalue() if isinstance(self.source, io.BytesIO) else b"")
        return parse(self)

    monkeypatch.setattr(WorkSheetParser, "parse_dimensions", seen)
    assert _sheets(SheetsReader, path) == expected
    with zipfile.ZipFile(path) as archive:
        parts = [archive.read(f"xl/worksheets/sheet{n}.xml") for n in range(1, len(expected) + 1)]
    # each sheet: its start up to <sheetData>, and the root's end tag — no row
    assert parsed == [part[: part.index(b"<sheetData")] + b"</worksheet>" for part in parts]
    assert all(b"<row" not in text for text in parsed)


def test_the_prologue_of_a_part_with_a_prefixed_root_and_of_one_not_as_excel_writes_it():
    part = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<x:worksheet xmlns:x="urn:s">'
        b'<x:dimension ref="A1:C9"/><x:sheetData><x:row r="1"/></x:sheetData></x:worksheet>'
    )
    assert prologue(io.BytesIO(part)) == (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<x:worksheet xmlns:x="urn:s">'
        b'<x:dimension ref="A1:C9"/></x:worksheet>'
    )
    cp1251 = part.replace(b"UTF-8", b"windows-1251")
    assert prologue(io.BytesIO(cp1251)) is None  # read by openpyxl as it is
    assert prologue(io.BytesIO(b"<worksheet/>")) is None
