"""Refuse a hostile workbook before it is parsed: a few megabytes that unpack to gigabytes (a
«zip bomb») would otherwise drive memory past any limit and stall all intake.

An xlsx is a zip. Its directory says how large every part is unpacked, and Python's zipfile
never unpacks a part past that size (a part that lies about it fails its checksum), so summing
the directory is enough to bound what openpyxl will read — checked in milliseconds, without
unpacking anything. Rows are counted while the sheets stream (:mod:`service.intake.reader`).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from service.config import Settings
from service.errors import BadInput

MB = 1024 * 1024
MAX_PARTS = 10_000
"""A workbook of the form has about twenty parts; thousands mean something else."""
MAX_RATIO = 250
"""Excel and LibreOffice compress sheet XML 5–30 times (a sheet of empty formatted rows up to
about 100); a bomb's part, several hundred times or more."""
RATIO_FROM = 20 * MB
"""The ratio is checked for parts larger than this, unpacked (small parts may compress well)."""
EXCEL_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
SHARED_STRINGS = "xl/sharedStrings.xml"
SHARED_STRINGS_SHARE = 4
"""openpyxl keeps every shared string in memory (about 160 bytes each, 4.5 million in 100 MB:
700 MB and a minute and a half of parsing), so that part may take a quarter of the limit —
still ten times what 20,000 rows of unique text need."""
WHOLE_PART = 16 * MB
"""A part openpyxl reads whole into objects (styles, properties, relationships — all but the
sheets, which stream, and the cell texts): 500,000 cell styles, a 2.2 MB file, took 1.1 GB of
memory and 23 s. Excel keeps at most 64,000 styles, about 13 MB at the most."""
WHOLE_PART_LIMITS = {"xl/workbook.xml": MB}
"""Parts read whole that Excel keeps much smaller: the list of sheets and names is a few
kilobytes (500,000 defined names in 1.3 MB of file took 570 MB and 18 s)."""
STREAMED = ("xl/worksheets/", "xl/externalLinks/")
"""Sheets stream (:mod:`service.intake.sheetdata`); linked workbooks' copies are not read."""
PARSED = (".xml", ".rels")
"""What openpyxl parses; pictures and other binary parts are not read."""
PART_NAMES = {"xl/workbook.xml": "список листов и имён"}
LONG_TAG = 64 * 1024
"""The longest tag a parsed part may hold. Excel's tags are a few hundred bytes. The sheets and
the cell texts are parsed in pieces (16 KB at a time), and the expat this Python bundles
(2.5.0, before CVE-2023-52425's fix) parses a tag cut by a piece's end again from its start
at every piece: 19 MB of spaces inside one row's start tag, a 62 KB workbook, took 27 s of
CPU, and a less compressible tag up to the size limit would hold the watcher for many
minutes (attack20)."""
_LONG_TAG = re.compile(rb"<[^<>]{%d}" % LONG_TAG)
_SCAN = 1 << 20

REMEDY = (
    "Скопируйте листы с данными в пустую форму (ссылка на странице сервиса) и сохраните её "
    "как «Книга Excel (*.xlsx)»."
)


@dataclass(frozen=True)
class Limits:
    """How much a workbook may hold; from the settings ``max_unpacked_mb`` and
    ``max_sheet_rows``."""

    unpacked_bytes: int = 100 * MB
    rows: int = 20_000

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        """The limits the settings set."""
        return cls(settings.max_unpacked_mb * MB, settings.max_sheet_rows)


class WorkbookRefused(BadInput):
    """The workbook is not read; the Russian message says why and what to do."""


def _mb(size: int) -> str:
    """Megabytes as people write them: «1 536», «0,3»."""
    if size >= MB:
        return f"{size / MB:,.0f}".replace(",", "\u00a0")
    return f"{size / MB:.1f}".replace(".", ",")


def check_archive(source: Path | BinaryIO, limits: Limits) -> None:
    """Raise :class:`WorkbookRefused` when the workbook at ``source`` (a path or an open
    binary file) is larger than ``limits`` allow, packed or unpacked, or is not compressed the
    way Excel compresses. A file that is not a zip at all passes: the reader says what it is."""
    size = os.stat(source).st_size if isinstance(source, Path) else _length(source)
    if size > limits.unpacked_bytes:
        raise WorkbookRefused(
            f"Файл занимает {_mb(size)} МБ, а книга может занимать не больше "
            f"{_mb(limits.unpacked_bytes)} МБ. Книга программы наставничества одной школы "
            f"обычно меньше 1 МБ: вероятно, в файле лишние данные или картинки. {REMEDY}"
        )
    _check_part_count(_declared_parts(source))
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    with archive:
        _check_parts(archive, limits)


def _check_parts(archive: zipfile.ZipFile, limits: Limits) -> None:
    parts = archive.infolist()
    _check_part_count(len(parts))
    odd = next((p for p in parts if p.compress_type not in EXCEL_METHODS), None)
    if odd is not None:
        raise WorkbookRefused(
            "Файл сжат способом, которым Excel и LibreOffice книги не "
            f"сохраняют (часть «{odd.filename}»). {REMEDY}"
        )
    total = sum(p.file_size for p in parts)
    if total > limits.unpacked_bytes:
        raise WorkbookRefused(
            f"В распакованном виде книга занимает {_mb(total)} МБ, а "
            f"допускается не больше {_mb(limits.unpacked_bytes)} МБ. Книга программы "
            "наставничества одной школы обычно меньше 1 МБ: вероятно, файл испорчен или в нём "
            f"лишние данные (тысячи пустых оформленных строк). {REMEDY} Если книга "
            "действительно такая, администратор может поднять предел (настройка "
            "max_unpacked_mb)."
        )
    strings = next((p for p in parts if p.filename == SHARED_STRINGS), None)
    if strings is not None and strings.file_size > limits.unpacked_bytes // SHARED_STRINGS_SHARE:
        raise WorkbookRefused(
            f"Тексты ячеек книги (часть «{SHARED_STRINGS}») занимают {_mb(strings.file_size)} "
            f"МБ, а допускается не больше "
            f"{_mb(limits.unpacked_bytes // SHARED_STRINGS_SHARE)} МБ. Книга программы "
            "наставничества одной школы обычно меньше 1 МБ: вероятно, в файле лишние данные. "
            f"{REMEDY}"
        )
    for part in parts:
        _check_whole_part(part)
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * part.compress_size:
            raise WorkbookRefused(
                f"Часть книги «{part.filename}» сжата с коэффициентом "
                f"{part.file_size // max(part.compress_size, 1)}:1 — так Excel и LibreOffice не "
                f"сохраняют; такой файл разворачивается в огромный объём данных. {REMEDY}"
            )
    for part in parts:  # unpacked only once every part is known to be of a bounded size
        _check_tags(archive, part)


def _check_tags(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """Refuse a parsed part holding a tag longer than :data:`LONG_TAG`: one pass of a pattern
    over the part unpacked a megabyte at a time (an unfinished tag is carried to the next)."""
    if not part.filename.endswith(PARSED) or part.file_size <= LONG_TAG:
        return
    carried = b""
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(_SCAN):
                data = carried + chunk
                if _LONG_TAG.search(data):
                    raise WorkbookRefused(
                        f"В части книги «{part.filename}» есть тег длиннее "
                        f"{LONG_TAG // 1024} КБ — так Excel и LibreOffice не сохраняют: файл "
                        f"испорчен или собран не в Excel. {REMEDY}"
                    )
                start = data.rfind(b"<")
                carried = data[start:] if start >= 0 and b">" not in data[start:] else b""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        return  # a damaged part: the reader says so


def _declared_parts(source: Path | BinaryIO) -> int:
    """How many parts the zip's end record says its directory holds — read before the
    directory itself: 1.2 million empty parts (99 MB) took 700 MB and 12 s to list. 0 when
    there is no end record (not a zip: the reader says what it is)."""
    try:
        if isinstance(source, Path):
            with source.open("rb") as handle:
                end = zipfile._EndRecData(handle)  # the end record alone (private, stable)
        else:
            position = source.tell()
            try:
                end = zipfile._EndRecData(source)
            finally:
                source.seek(position)
    except (OSError, ValueError, EOFError):
        return 0
    return end[zipfile._ECD_ENTRIES_TOTAL] if end else 0


def _check_part_count(count: int) -> None:
    if count > MAX_PARTS:
        raise WorkbookRefused(
            f"В файле {count} частей, а в книге Excel их бывает несколько "
            f"десятков. Это не книга формы или она испорчена. {REMEDY}"
        )


def _check_whole_part(part: zipfile.ZipInfo) -> None:
    """Refuse a part openpyxl would read whole (:data:`WHOLE_PART`) that is larger than Excel
    ever writes it."""
    name = part.filename
    if name.startswith(STREAMED) or name == SHARED_STRINGS or not name.endswith(PARSED):
        return
    limit = WHOLE_PART_LIMITS.get(name, WHOLE_PART)
    if part.file_size <= limit:
        return
    what = f" ({PART_NAMES[name]})" if name in PART_NAMES else ""
    raise WorkbookRefused(
        f"Часть книги «{name}»{what} занимает в распакованном виде {_mb(part.file_size)} МБ, а "
        f"допускается не больше {_mb(limit)} МБ: эту часть сервис читает целиком. Excel "
        "записывает в неё несколько килобайт: вероятно, файл испорчен или в нём тысячи лишних "
        f"имён или стилей. {REMEDY}"
    )


def _length(handle: BinaryIO) -> int:
    if isinstance(handle, io.BytesIO):
        return handle.getbuffer().nbytes
    position = handle.tell()
    end = handle.seek(0, io.SEEK_END)
    handle.seek(position)
    return end
