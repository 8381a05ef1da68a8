"""A workbook opened for the intake reads each sheet's dimensions from the part's prologue (up
to ``<sheetData>``), not from its first 16 KB of rows (service/intake/sheetdata.py)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._reader import WorkSheetParser

from service.intake.demo import write_demo_workbook
from service.intake.reader import read_workbook
from service.intake.sheetdata import (
    CellsOnly,
    EntitiesForbidden,
    SheetsReader,
    prologue,
    streamed_dimensions,
)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


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


MEASURE_READ = """
import re, sys
from pathlib import Path
from service.intake.reader import read_workbook
book, report = read_workbook(sys.argv[1])
print(re.search(r"VmHWM:\\s*(\\d+)", Path("/proc/self/status").read_text()).group(1))
print("".join(p.message + "\\n" for p in report.problems), end="")
"""
"""Reads a workbook; prints the peak of its memory (KB: VmHWM, which, unlike ru_maxrss, does
not start from the parent's at the fork) and the report's messages."""


def test_a_sheet_whose_cells_start_past_its_first_megabyte_is_read_in_bounded_memory(tmp_path):
    """attack22: a megabyte of line breaks in place of «Наставники»' ``<dimension>`` put its
    ``<sheetData>`` past the first megabyte, where neither the dimensions' prologue nor the
    cells-only stream looked for it: openpyxl parsed the part as it is, keeping an element for
    every row — on opening (for the dimensions) and again reading the rows. 15 million empty
    rows (a 630 KB workbook) took 1.4 GB and 59 s of CPU; here 3 million, 400 MB. Now the
    dimensions are parsed with nothing kept and the cells are found past the megabyte; the
    workbook reads as without the filler."""
    demo = tmp_path / "пример.xlsx"
    write_demo_workbook(demo)
    hostile = tmp_path / "строки.xlsx"
    part = "xl/worksheets/sheet3.xml"  # «Наставники»
    with zipfile.ZipFile(demo) as book, zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as out:
        for item in book.infolist():
            data = book.read(item.filename)
            if item.filename == part:
                data = re.sub(rb'<dimension ref="[^"]*"/>', b"\n" * 1_100_000, data)
                data = data.replace(b"</sheetData>", b"<row/>" * 3_000_000 + b"</sheetData>")
            out.writestr(item.filename, data)
    assert hostile.stat().st_size < 200_000
    script = [sys.executable, "-c", MEASURE_READ]
    plain = subprocess.run([*script, str(demo)], capture_output=True, check=True, timeout=120)
    read = subprocess.run([*script, str(hostile)], capture_output=True, check=True, timeout=120)
    maxrss_kb, *messages = read.stdout.decode().split("\n")
    assert messages == plain.stdout.decode().split("\n")[1:]
    assert int(maxrss_kb) < 150 * 1024, f"{int(maxrss_kb) // 1024} MB"


def test_the_cells_past_the_first_megabyte_are_found_and_the_rest_left_out():
    root = b'<worksheet xmlns="' + MAIN.encode() + b'">'
    cells = b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
    part = root + b"<sheetPr/>" + b" " * (3 << 20) + b'<dimension ref="A1"/>' + cells
    with CellsOnly(io.BytesIO(part + b'<mergeCells count="1"/></worksheet>')) as stream:
        assert stream.read() == root + cells + b"</worksheet>"
    assert prologue(io.BytesIO(part)) is None  # not in the first megabyte: parsed streaming
    assert streamed_dimensions(io.BytesIO(part)) == (1, 1, 1, 1)
    assert streamed_dimensions(io.BytesIO(root + b" " * (3 << 20) + cells)) is None
    declared = b'<!DOCTYPE worksheet [<!ENTITY a "x">]>' + part
    with pytest.raises(EntitiesForbidden):
        streamed_dimensions(io.BytesIO(declared))


DAMAGED = (
    "Лист повреждён и прочитан не полностью. Скопируйте данные на новый лист в Excel и "
    "сохраните книгу заново."
)


@pytest.mark.parametrize("before", [b"", b" " * 1_100_000], ids=["near", "past_a_megabyte"])
def test_cells_in_a_comment_before_the_sheet_s_are_not_read_for_them(tmp_path, before):
    """attack22: a comment holding a copy of «Организация»'s cells with another coordinator,
    put before the real ones: Excel (and openpyxl reading the whole part) shows the real
    coordinator, while the cells-only stream took the first ``<sheetData>`` it found — the
    comment's — and read «Подменова Ирина Ивановна». Past the first megabyte the workbook was
    taken with her; nearer, refused as a damaged file. Now the sheet is refused as damaged:
    Excel writes no comment there."""
    demo = tmp_path / "пример.xlsx"
    write_demo_workbook(demo)
    hostile = tmp_path / "подмена.xlsx"
    part = "xl/worksheets/sheet2.xml"  # «Организация»
    fake = "Подменова Ирина Ивановна".encode("ascii", "xmlcharrefreplace")
    with zipfile.ZipFile(demo) as book, zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as out:
        for item in book.infolist():
            data = book.read(item.filename)
            if item.filename == part:
                cells = data[data.index(b"<sheetData") : data.index(b"</sheetData>") + 12]
                copy = re.sub(rb'(<c r="B12"[^>]*><is><t>)[^<]*', rb"\g<1>" + fake, cells)
                assert copy != cells
                root_end = data.index(b">", data.index(b"<worksheet")) + 1
                data = data[:root_end] + before + b"<!-- " + copy + b" -->" + data[root_end:]
            out.writestr(item.filename, data)
    shown = openpyxl.load_workbook(hostile)["Организация"]["B12"].value
    assert shown == openpyxl.load_workbook(demo)["Организация"]["B12"].value
    book, report = read_workbook(hostile)
    assert book is None
    assert [(p.sheet, p.message) for p in report.problems if p.sheet == "Организация"] == [
        ("Организация", DAMAGED)
    ]
    assert not any("Подменова" in p.message for p in report.problems)


def test_a_comment_among_the_rows_does_not_pass_the_rest_on_unread(tmp_path):
    """attack22: a comment right after ``<sheetData>`` had the rest of the sheet passed to
    openpyxl as it is, past the empty rows' defence: 3 million empty rows took 320 MB. Now the
    sheet is refused as damaged (Excel writes no comment there), in bounded memory."""
    demo = tmp_path / "пример.xlsx"
    write_demo_workbook(demo)
    hostile = tmp_path / "комментарий.xlsx"
    part = "xl/worksheets/sheet3.xml"  # «Наставники»
    with zipfile.ZipFile(demo) as book, zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as out:
        for item in book.infolist():
            data = book.read(item.filename)
            if item.filename == part:
                data = data.replace(b"<sheetData>", b"<sheetData><!-- x -->", 1)
                data = data.replace(b"</sheetData>", b"<row/>" * 3_000_000 + b"</sheetData>")
            out.writestr(item.filename, data)
    script = [sys.executable, "-c", MEASURE_READ]
    read = subprocess.run([*script, str(hostile)], capture_output=True, check=True, timeout=120)
    maxrss_kb, *messages = read.stdout.decode().split("\n")
    assert DAMAGED in messages
    assert int(maxrss_kb) < 150 * 1024, f"{int(maxrss_kb) // 1024} MB"
