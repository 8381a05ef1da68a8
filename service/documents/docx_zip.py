"""A DOCX package as ZIP members, read once and written back without recompressing.

A template's unchanged parts (styles, theme, numbering, images…) are kept as the compressed
bytes found in the template file and copied into every rendered document as they are; only
the parts a render changes are deflated again. Entries keep the template's order and carry a
fixed timestamp, so the same template and the same data give the same bytes.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

STORED = zipfile.ZIP_STORED
DEFLATED = zipfile.ZIP_DEFLATED
DOS_DATE = (0 << 9) | (1 << 5) | 1
"""1 January 1980, the earliest ZIP date: no clock in the output, so it is reproducible."""
DOS_TIME = 0
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_UTF8_FLAG = 0x800
_VERSION = 20
_ZIP64_LIMIT = 0xFFFFFFFF


@dataclass(frozen=True)
class Member:
    """One entry of the package: its name and its data as stored in the ZIP."""

    name: str
    method: int
    """:data:`STORED` or :data:`DEFLATED`."""
    crc: int
    size: int
    """Uncompressed size."""
    payload: bytes
    """The data as stored (deflated for :data:`DEFLATED`)."""


def deflate(name: str, data: bytes, level: int = 6) -> Member:
    """A deflated member holding ``data`` (level 6, zlib's and zipfile's default)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    payload = compressor.compress(data) + compressor.flush()
    return Member(name, DEFLATED, zlib.crc32(data), len(data), payload)


def read_members(data: bytes) -> list[Member]:
    """Every member of the ZIP ``data`` in stored order, payloads still compressed.

    Members compressed with a method other than deflate (or encrypted) are decompressed and
    deflated again, so the writer only ever meets the two common methods.
    """
    members: list[Member] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            if info.compress_type in (STORED, DEFLATED) and not info.flag_bits & 0x1:
                start = info.header_offset
                header = data[start : start + _LOCAL.size]
                if len(header) < _LOCAL.size or header[:4] != b"PK\x03\x04":
                    raise zipfile.BadZipFile(f"bad local header for {info.filename}")
                name_len, extra_len = struct.unpack("<HH", header[26:30])
                begin = start + _LOCAL.size + name_len + extra_len
                payload = data[begin : begin + info.compress_size]
                members.append(
                    Member(info.filename, info.compress_type, info.CRC, info.file_size, payload)
                )
            else:
                members.append(deflate(info.filename, archive.read(info)))
    return members


def member_data(member: Member) -> bytes:
    """The uncompressed data of ``member``, never more than the size its directory entry
    gives: a part whose entry says 1 KB but which inflates to 1.5 GB (a 1.5 MB template) raised
    the checking process to 3 GB of memory. :class:`zipfile.BadZipFile` when the sizes differ."""
    if member.method == STORED:
        data = member.payload
    else:
        data = zlib.decompressobj(-15).decompress(member.payload, member.size + 1)
    if len(data) != member.size:
        raise zipfile.BadZipFile(
            f"часть «{member.name}» распаковывается не в тот размер, что записан в оглавлении "
            "архива"
        )
    return data


def write_zip(members: Iterable[Member]) -> bytes:
    """A ZIP archive of ``members`` in the given order, every entry dated 1980-01-01."""
    out = bytearray()
    central = bytearray()
    count = 0
    for member in members:
        name = member.name.encode("utf-8")
        flags = 0 if name.isascii() else _UTF8_FLAG
        offset = len(out)
        if max(offset, member.size, len(member.payload)) >= _ZIP64_LIMIT:
            raise ValueError("document too large for a plain ZIP")
        out += _LOCAL.pack(
            0x04034B50,
            _VERSION,
            flags,
            member.method,
            DOS_TIME,
            DOS_DATE,
            member.crc,
            len(member.payload),
            member.size,
            len(name),
            0,
        )
        out += name
        out += member.payload
        central += _CENTRAL.pack(
            0x02014B50,
            _VERSION,
            _VERSION,
            flags,
            member.method,
            DOS_TIME,
            DOS_DATE,
            member.crc,
            len(member.payload),
            member.size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += name
        count += 1
    directory = len(out)
    out += central
    out += _END.pack(0x06054B50, 0, 0, count, count, len(central), directory, 0)
    return bytes(out)


def named_twice(names: list[str]) -> str | None:
    """A part name the ZIP holds twice — as Word reads names, without regard to case
    (attack17: a second «word/document.xml» passed; Python's zipfile and LibreOffice read the
    last one, the package's rules allow only one)."""
    seen: set[str] = set()
    for name in names:
        key = name.lower()
        if key in seen:
            return name
        seen.add(key)
    return None


_NO_BREAK_SPACES = (b"\xc2\xa0", b"&#160;", b"&#xA0;", b"&#xa0;")
"""A no-break space as a part's XML may hold it: the UTF-8 character or a reference."""
_WHERE_LINES_BREAK = re.compile(rb"<w:(?:keepNext|jc)(?: w:val=\"[^\"]*\")?/>")
"""A paragraph kept on the page of the next, a paragraph's alignment: where a page or a line
breaks, not what it prints."""
_LAST_EMPTY_PARAGRAPH = re.compile(rb"<w:p>(?:<w:pPr>(?:(?!</w:pPr>).)*</w:pPr>)?</w:p>(<w:sectPr)")
"""The empty paragraph a body ends with before its section's properties, with its own
spacing and size: it prints nothing (reader22 made it 1 pt high after a closing table)."""


def prints_the_same_words(first: bytes, second: bytes) -> bool:
    """Whether the DOCX files ``first`` and ``second`` hold the same parts, each the same but
    for what prints the same words: no-break spaces where the other has plain ones (names18), a
    paragraph kept with the next or not, its alignment (flush left or justified), the spacing
    and size of the empty paragraph the body ends with (reader22). False when either is not a
    ZIP."""
    try:
        with zipfile.ZipFile(io.BytesIO(first)) as a, zipfile.ZipFile(io.BytesIO(second)) as b:
            names = sorted(a.namelist())
            if names != sorted(b.namelist()):
                return False
            return all(_printed(a.read(name)) == _printed(b.read(name)) for name in names)
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _printed(part: bytes) -> bytes:
    for space in _NO_BREAK_SPACES:
        part = part.replace(space, b" ")
    part = _WHERE_LINES_BREAK.sub(b"", part)
    return _LAST_EMPTY_PARAGRAPH.sub(rb"<w:p/>\1", part)
