"""Hostile workbooks for tests: a «zip bomb» (a few MB that unpack to gigabytes of sheet rows)
and a sheet with more rows than the service reads.

The bomb is a real xlsx (content types, workbook, one sheet) that openpyxl would start to
read. Its sheet is made of one megabyte of ``<row>`` elements repeated: that megabyte is
deflated once, ending on a full flush, so the same compressed bytes can follow each other as
often as needed — gigabytes are never compressed, only their CRC is computed.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    b'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    b'worksheet+xml"/></Types>'
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    + '<sheets><sheet name="Наставники" sheetId="1" r:id="rId1"/></sheets></workbook>'.encode()
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData>"
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SHEET_TAIL = b"</sheetData></worksheet>"
_ROW = '<row><c t="inlineStr"><is><t>Иванов</t></is></c></row>'.encode()
MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"


class _Member:
    def __init__(self, name: str, compressed: bytes, crc: int, size: int):
        self.name, self.compressed, self.crc, self.size = name.encode(), compressed, crc, size


def _deflated(name: str, data: bytes) -> _Member:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return _Member(name, packer.compress(data) + packer.flush(), zlib.crc32(data), len(data))


def _bomb_sheet(unpacked: int) -> _Member:
    chunk = _ROW * (MB // len(_ROW))
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = packer.compress(_SHEET_HEAD) + packer.flush(zlib.Z_FULL_FLUSH)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    tail = packer.compress(_SHEET_TAIL) + packer.flush()
    count = unpacked // len(chunk)
    crc = zlib.crc32(_SHEET_HEAD)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(_SHEET_TAIL, crc)
    size = len(_SHEET_HEAD) + count * len(chunk) + len(_SHEET_TAIL)
    return _Member("xl/worksheets/sheet1.xml", head + block * count + tail, crc, size)


def write_zip_bomb(path: Path, unpacked: int = 1536 * MB) -> Path:
    """An xlsx of a few MB whose one sheet unpacks to ``unpacked`` bytes (< 4 GiB) of rows."""
    return _write_zip(path, [*_frame(_CONTENT_TYPES, _WORKBOOK_RELS), _bomb_sheet(unpacked)])


def write_shared_strings(path: Path, strings: list[str]) -> Path:
    """An xlsx whose one sheet holds ``strings`` in column A, kept as shared strings (as Excel
    writes them; openpyxl writes inline strings)."""
    types = _CONTENT_TYPES.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    rels = _WORKBOOK_RELS.replace(
        b"</Relationships>",
        b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    table = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    cells = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>{n - 1}</v></c></row>'
                    for n in range(1, len(strings) + 1))  # fmt: skip
    sst = f'<sst xmlns="{_MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">'
    return _write_zip(
        path,
        [
            *_frame(types, rels),
            _deflated("xl/sharedStrings.xml", (sst + table + "</sst>").encode()),
            _deflated("xl/worksheets/sheet1.xml", _SHEET_HEAD + cells.encode() + _SHEET_TAIL),
        ],
    )


def write_declared_entity(path: Path, text: str, uses: int, part: str) -> Path:
    """An xlsx whose one sheet «Наставники» names the XML entity ``&a;`` (declared as ``text``
    in a DOCTYPE) ``uses`` times, in column A: in the sheet itself (``part="sheet"``) or in its
    shared strings (``part="strings"``). Excel never writes a DOCTYPE; expanded, a few kilobytes
    become as many megabytes as the parser allows."""
    doctype = f'<!DOCTYPE x [<!ENTITY a "{escape(text)}">]>'.encode()
    declaration, rest = _SHEET_HEAD.split(b"?>", 1)
    if part == "sheet":
        cells = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>&a;</t></is></c></row>'
                        for n in range(1, uses + 1))  # fmt: skip
        sheet = declaration + b"?>" + doctype + rest + cells.encode() + _SHEET_TAIL
        return _write_zip(path, [*_frame(_CONTENT_TYPES, _WORKBOOK_RELS), _deflated(SHEET, sheet)])
    write_shared_strings(path, ["&a;"] * uses)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    strings = members[STRINGS].replace(b"&amp;a;", b"&a;")
    members[STRINGS] = b'<?xml version="1.0" encoding="UTF-8"?>' + doctype + strings
    return _write_zip(path, [_deflated(name, data) for name, data in members.items()])


def _frame(types: bytes, workbook_rels: bytes) -> list[_Member]:
    return [
        _deflated("[Content_Types].xml", types),
        _deflated("_rels/.rels", _RELS),
        _deflated("xl/workbook.xml", _WORKBOOK),
        _deflated("xl/_rels/workbook.xml.rels", workbook_rels),
    ]


def _write_zip(path: Path, members: list[_Member]) -> Path:
    offsets = []
    with path.open("wb") as out:
        for m in members:
            offsets.append(out.tell())
            out.write(
                struct.pack(
                    "<4s5H3L2H",
                    b"PK\x03\x04",
                    20,
                    0,
                    8,
                    0,
                    0,
                    m.crc,
                    len(m.compressed),
                    m.size,
                    len(m.name),
                    0,
                )  # fmt: skip
            )
            out.write(m.name)
            out.write(m.compressed)
        directory = out.tell()
        for m, offset in zip(members, offsets, strict=True):
            out.write(
                struct.pack(
                    "<4s6H3L5H2L",
                    b"PK\x01\x02",
                    20,
                    20,
                    0,
                    8,
                    0,
                    0,
                    m.crc,
                    len(m.compressed),
                    m.size,
                    len(m.name),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )  # fmt: skip
            )
            out.write(m.name)
        end = out.tell()
        out.write(
            struct.pack(
                "<4s4H2LH",
                b"PK\x05\x06",
                0,
                0,
                len(members),
                len(members),
                end - directory,
                directory,
                0,
            )  # fmt: skip
        )
    return path


def write_many_rows(path: Path, sheet: str, header: list[str], row: list[object], rows: int):
    """A workbook whose sheet ``sheet`` has ``header`` and then ``rows`` copies of ``row``."""
    book = Workbook(write_only=True)
    worksheet = book.create_sheet(sheet)
    worksheet.append(header)
    for _ in range(rows):
        worksheet.append(row)
    book.save(path)
    return path
