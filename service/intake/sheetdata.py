"""A sheet's XML as the intake reads it: the root element and its cells (``<sheetData>``).

openpyxl, even streaming a sheet (``read_only``), parses everything after the cells into
objects — merged ranges, data validations, hyperlinks, conditional formats — and builds the
element tree of each such list whole before it clears it: a million merged cells (33 MB of XML
in a 4.7 MB workbook, below every size limit) took 760 MB of memory and 14 s of CPU. None of it
is a value the intake reads. :class:`CellsOnly` hands openpyxl the sheet's part with everything
outside ``<sheetData>`` left out: the XML declaration and the root's start tag (its namespaces),
the cells, and the root's end tag; what follows ``</sheetData>`` is never even unpacked.

Nor are the rows without a value (:class:`_Rows`): a row only formatted — a height, a style,
cells with a style and nothing in them — is left out before openpyxl parses it. A million
such rows (a 2.6 MB workbook, 65 MB of XML) took 7–15 s of CPU to parse into elements and
cells the reader then skipped; now they are a pass of regular expressions. The rows after them
keep Excel's numbers (a row written without its number gets the one openpyxl would give it).

A part that is not plain UTF-8 XML as Excel and LibreOffice write it (another encoding, no
``<sheetData>`` at all) is passed on as it is; one whose ``<sheetData>`` is past its first
megabyte is read on to it (:func:`_skipped_to_cells`).
"""

from __future__ import annotations

import io
import re
from typing import IO
from xml.parsers import expat

from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG, WorkSheetParser

_CHUNK = 1 << 16
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>/]")
_DATA_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData(?:\s[^>]*)?(/?)>")
_DATA_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData\s*>")
_MARKUP = re.compile(rb"<[!?]")
"""A comment, a CDATA section, a processing instruction: Excel writes none between a sheet's
root and its cells, and a ``<sheetData>`` inside one is not the sheet's."""
_BROKEN = b"<!-- "
"""Passed on in place of the rest of a sheet not read (:class:`_Rows`): a comment never closed,
which openpyxl refuses as a damaged sheet."""
_PROLOGUE_LIMIT = 1 << 20
"""Bytes read before the root's start tag or, after it, up to ``<sheetData>`` without that
tag found: past them the part is passed on as it is (openpyxl reads it as before)."""
_OVERLAP = 256
"""Bytes kept from one chunk for the next: a tag split between two reads is still found."""


_NAME = rb"<(?:[A-Za-z_][\w.-]*:)?"
_END = rb"</(?:[A-Za-z_][\w.-]*:)?"
_EMPTY_ROW = (  # no value: only attributes, or cells with attributes only
    _NAME
    + rb"row(?=[\s/>])[^>]*(?:(?<=/)>|>(?:\s*"
    + _NAME
    + rb"c(?=[\s/>])[^>]*(?:(?<=/)>|>\s*"
    + _END
    + rb"c\s*>))*\s*"
    + _END
    + rb"row\s*>)"
)
_ROW = (  # the body: up to the row's end tag, never past another row's start or end tag
    _NAME + rb"row(?=[\s/>])([^>]*)((?<=/)>|>([^<]*(?:<(?!/?(?:[A-Za-z_][\w.-]*:)?row[\s/>])"
    rb"[^<]*)*)" + _END + rb"row\s*>)"
)
_ROWS = re.compile(rb"(?P<empty>" + _EMPTY_ROW + rb"(?:\s*" + _EMPTY_ROW + rb"){0,4095})|" + _ROW)
"""A run of empty rows or one row. Each starts at a «<»: a run that could start with spaces
was tried from every space of a long stretch of them, scanning it to its end each time —
19 MB of spaces in a 62 KB workbook kept the watcher busy for hours (attack20)."""
_ROW_START = re.compile(_NAME + rb"row[\s/>]")
_NUMBER = re.compile(rb"""\sr\s*=\s*["']\s*(\d+)\s*["']""")
_LAST_NUMBER = re.compile(
    rb".*" + _NAME + rb"""row(?=[\s/>])[^>]*?\sr\s*=\s*["']\s*(\d+)""", re.DOTALL
)
_VALUE = re.compile(_NAME + rb"(?:v|f|is)[\s/>]")


def _last_row_start(data: bytes) -> int:
    """Where the last row starting in ``data`` starts (it may be cut by the end of the piece:
    it waits for the rest); with no row there, all but the last bytes (a tag cut in two)."""
    end = len(data)
    while (found := data.rfind(b"row", 0, end)) >= 0:
        opening = _ROW_START.match(data, data.rfind(b"<", 0, found))
        if opening is not None and opening.end() == found + 4:
            return opening.start()
        end = found
    return max(0, len(data) - _OVERLAP)


class _Rows:
    """The rows of ``<sheetData>`` that hold a value (``<v>``, a formula, an inline text),
    the others left out. Bytes are fed in as they are unpacked; a row split between two
    pieces waits for the rest (and the next look waits for twice as much: a row of 20 MB is
    not searched again at every 64 KB). Runs of empty rows are left out by the pattern alone,
    thousands at a time; Python looks at each row that is kept. What the pattern does not take
    for a row is passed on as it is (openpyxl then says the sheet is damaged); so is a sheet with
    a comment, a CDATA section or a processing instruction among its rows — Excel writes none,
    a comment could hide a row's end: nothing more is passed on but the start of a comment
    never closed (:data:`_BROKEN`). Passed on as it was, the rest reached openpyxl without
    any of these defences: ``<!-- -->`` after ``<sheetData>`` and 3 million empty rows took
    320 MB (attack22)."""

    def __init__(self) -> None:
        self._pending = b""
        self._wait_for = 0
        self._number = 0
        self._dropped = False
        self._lost = False

    def feed(self, data: bytes, out: bytearray, final: bool = False) -> None:
        self._pending += data
        if not final and len(self._pending) < self._wait_for:
            return
        pending, position = self._pending, 0
        if not self._lost and (b"<!" in pending or b"<?" in pending):
            self._lost = True
            out += _BROKEN
        if self._lost:
            self._pending = b""
            return
        limit = len(pending) if final else _last_row_start(pending)
        for row in _ROWS.finditer(pending, 0, limit):
            out += pending[position : row.start()]
            position = row.end()
            if row.group("empty") is not None:
                self._skip(row.group("empty"))
            else:
                out += self._kept(row)
        out += pending[position:limit]  # before the last row's start: whole, or not a row
        self._pending = pending[limit:]
        self._wait_for = 2 * len(self._pending)

    def _skip(self, run: bytes) -> None:
        """Rows without a value, left out; the number of the last is remembered."""
        self._dropped = True
        last = _LAST_NUMBER.match(run)
        if last is not None:
            self._number = int(last.group(1))
        self._number += len(_ROW_START.findall(run, last.end() if last else 0))

    def _kept(self, row: re.Match[bytes]) -> bytes:
        whole = row.group(0)
        number = _NUMBER.search(row.group(2) or b"")
        self._number = int(number.group(1)) if number else self._number + 1
        if row.group(4) is None or not _VALUE.search(row.group(4)):
            self._dropped = True  # a row the run's pattern did not take, but no value either
            return b""
        if number is None and self._dropped:  # openpyxl would count from a row left out
            at = row.start(2) - row.start()
            return whole[:at] + b' r="%d"' % self._number + whole[at:]
        return whole


def _head(
    source: IO[bytes], skip: bool = False
) -> tuple[bytes, re.Match[bytes] | None, re.Match[bytes] | None, bool]:
    """The part's first bytes, up to its ``<sheetData>`` (at most :data:`_PROLOGUE_LIMIT`), and
    where its root's start tag and ``<sheetData>`` are in them — None for either when the part
    is not plain UTF-8 XML as Excel writes it (to be read as it is). With ``skip``, a UTF-8
    part whose ``<sheetData>`` is further on is read on to it (:func:`_skipped_to_cells`).
    Last, whether markup Excel never writes (:data:`_MARKUP`) lies between the root and that
    ``<sheetData>``: the one found may be in a comment, the cells Excel shows after it."""
    head = b""
    while len(head) < _PROLOGUE_LIMIT:
        chunk = source.read(_CHUNK)
        if not chunk:
            break
        head += chunk
        if _DATA_START.search(head) or len(chunk) < _CHUNK:
            break
    root = _ROOT.search(head)
    start = _DATA_START.search(head, root.end()) if root else None
    declared = head[: head.find(b"?>")] if head.startswith(b"<?xml") else b""
    other_encoding = b"encoding" in declared and not re.search(
        rb"""encoding\s*=\s*["']utf-?8["']""", declared, re.IGNORECASE
    )
    if other_encoding:
        return head, None, None, False
    hidden = False
    if skip and start is None and len(head) >= _PROLOGUE_LIMIT:
        head, hidden = _skipped_to_cells(source, head)
        root = _ROOT.search(head)
        start = _DATA_START.search(head, root.end()) if root else None
    if root is not None and start is not None:
        hidden = hidden or _MARKUP.search(head, root.end(), start.start()) is not None
    return head, root, start, hidden


def _skipped_to_cells(source: IO[bytes], head: bytes) -> tuple[bytes, bool]:
    """The root's start tag and the part from its ``<sheetData>`` on, of a part where that is
    not in the first :data:`_PROLOGUE_LIMIT` bytes: read on with only a window of bytes kept.
    Such a part was passed on as it is, and openpyxl kept an element for every row it parsed,
    and every element after the cells: a megabyte of line breaks before ``<sheetData>``, and
    15 million empty rows after it (a 630 KB workbook) took 1.3 GB of memory and 40 s of CPU
    (attack22). No root, or no ``<sheetData>`` after it: what is left is not a sheet (openpyxl
    says it is damaged). Second, whether the bytes left out held :data:`_MARKUP`."""
    window, root = head, _ROOT.search(head)
    while root is None or window.find(b">", root.end()) < 0:  # the root's start tag, whole
        chunk = source.read(_CHUNK)
        if not chunk:
            return window[-_OVERLAP:], False
        window = (window[-_OVERLAP:] if root is None else window[root.start() :]) + chunk
        root = _ROOT.search(window)
    tag = window[root.start() : window.index(b">", root.end()) + 1]
    window = window[root.start() + len(tag) :]
    hidden = False
    while (start := _DATA_START.search(window)) is None:
        hidden = hidden or _MARKUP.search(window) is not None
        chunk = source.read(_CHUNK)
        if not chunk:
            return tag, hidden
        window = window[-_OVERLAP:] + chunk
    hidden = hidden or _MARKUP.search(window, 0, start.start()) is not None
    return tag + window[start.start() :], hidden


def prologue(source: IO[bytes]) -> bytes | None:
    """The part up to its ``<sheetData>``, closed as a whole document (the root's end tag
    after it): what openpyxl reads a sheet's dimensions from. None when the part is not
    plain UTF-8 XML with a ``<sheetData>`` in its first megabyte, markup Excel never writes
    before it (:func:`streamed_dimensions` parses such a part as XML is parsed)."""
    head, root, start, hidden = _head(source)
    if root is None or start is None or hidden:
        return None
    return head[: start.start()] + b"</" + (root.group(1) or b"") + b"worksheet>"


class _Found(Exception):
    """The part's dimensions are known (or there are none before its cells): parsing stops."""


class EntitiesForbidden(ValueError):
    """The part declares an entity (refused, as defusedxml refuses it to openpyxl)."""


def _forbidden(*_args: object) -> None:
    raise EntitiesForbidden("an entity is declared")


def streamed_dimensions(source: IO[bytes]) -> tuple[int, int, int, int] | None:
    """openpyxl's ``parse_dimensions`` (the ``<dimension>`` before ``<sheetData>``, None
    without it) of a part whose :func:`prologue` is not found, parsed by expat with no element
    kept. openpyxl built the tree of all that comes before its stop — the whole of
    ``<sheetData>`` where ``<dimension>`` is missing — and cleared each element but kept it in
    its parent: 15 million empty rows after a megabyte of line breaks (a 630 KB workbook)
    took 1.3 GB of memory and 18 s of CPU to open (attack22). Refused as openpyxl refuses:
    XML broken before the stop, an entity declared (defusedxml), a ``ref`` not a range."""
    found: list[tuple[int, int, int, int]] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        tag = "{" + name if "}" in name else name
        if tag == DIMENSION_TAG:
            found.append(range_boundaries(attributes.get("ref")))  # type: ignore[arg-type]
            raise _Found
        if tag == DATA_TAG:
            raise _Found

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    parser.EntityDeclHandler = _forbidden
    parser.UnparsedEntityDeclHandler = _forbidden
    parser.ExternalEntityRefHandler = _forbidden
    try:
        while chunk := source.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Found:
        return found[0] if found else None
    return None


class SheetPrologue(ReadOnlyWorksheet):
    """openpyxl's read-only worksheet whose dimensions (read when the workbook is opened) are
    read from the sheet's :func:`prologue` only. openpyxl parsed the part's first 16 KB into
    elements for them, and all of ``<sheetData>`` where they are missing — 1–1.5 ms a sheet,
    12–15 ms of CPU for the form's eleven sheets, a third of what a small school's workbook
    costs to read before its first row, for sizes the reader then throws away (written wrong
    by some programs: ``reset_dimensions``). What is refused is refused as before: a part that
    is not XML before its dimensions, entities declared (defusedxml)."""

    def _get_size(self) -> None:
        with self._get_source() as source:
            head = prologue(source)
        if head is None:  # not as Excel writes it: parsed up to its cells, nothing kept
            with self._get_source() as source:
                dimensions = streamed_dimensions(source)
        else:
            dimensions = WorkSheetParser(io.BytesIO(head), []).parse_dimensions()
        if dimensions is not None:
            self._min_column, self._min_row, self._max_column, self._max_row = dimensions


class SheetsReader(ExcelReader):
    """openpyxl's reader of a workbook read only (``read_only=True``), its worksheets
    :class:`SheetPrologue`; the rest as openpyxl's ``read_worksheets`` does it in that mode
    (each sheet's relationships read, as there: a damaged list refuses the workbook)."""

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            rels_path = get_rels_path(rel.target)
            if rels_path in self.valid_files:
                get_dependents(self.archive, rels_path)
            worksheet = SheetPrologue(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


class CellsOnly:
    """A readable stream of ``source`` (a sheet's XML part) without what lies outside its
    ``<sheetData>``; closes ``source`` when closed."""

    def __init__(self, source: IO[bytes]) -> None:
        self._source = source
        self._reset()

    def _reset(self) -> None:
        self._out = bytearray()
        self._pending = b""
        self._done = False
        self._end_tag = b""
        self._passthrough = False
        self._rows = _Rows()
        self._start()

    def _start(self) -> None:
        head, root, start, hidden = _head(self._source, skip=True)
        if hidden:  # its cells as Excel shows them are not where they would be read: nothing
            self._done = True  # passed on, openpyxl says the sheet is damaged (attack22)
            return
        if root is None or start is None:
            self._passthrough = True
            self._out += head
            return
        root_end = head.index(b">", root.start()) + 1
        prefix = root.group(1) or b""
        self._end_tag = b"</" + prefix + b"worksheet>"
        if head[root_end - 2 : root_end] == b"/>":  # an empty root: nothing to cut
            self._passthrough = True
            self._out += head
            return
        self._out += head[:root_end]
        self._out += head[start.start() : start.end()]
        if start.group(1):  # <sheetData/>: no cells
            self._finish()
            return
        self._pending = head[start.end() :]
        self._cut_at_end()

    def _cut_at_end(self) -> None:
        """Move what is pending to the output, up to ``</sheetData>`` when it is there."""
        end = _DATA_END.search(self._pending)
        if end is not None:
            self._rows.feed(self._pending[: end.start()], self._out, final=True)
            self._out += self._pending[end.start() : end.end()]
            self._finish()
            return
        keep = min(len(self._pending), _OVERLAP)
        self._rows.feed(self._pending[: len(self._pending) - keep], self._out)
        self._pending = self._pending[len(self._pending) - keep :]

    def _finish(self) -> None:
        self._out += self._end_tag
        self._pending = b""
        self._done = True

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._out) < size):
            chunk = self._source.read(_CHUNK)
            if not chunk:
                if self._passthrough:
                    self._done = True
                else:  # the part ends inside <sheetData>: give it as it is
                    self._rows.feed(self._pending, self._out, final=True)
                    self._pending = b""
                    self._done = True
                break
            if self._passthrough:
                self._out += chunk
            else:
                self._pending += chunk
                self._cut_at_end()
        if size < 0 or size >= len(self._out):
            data, self._out = bytes(self._out), bytearray()
        else:
            data = bytes(self._out[:size])
            del self._out[:size]
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        """Back to the start only (the formula scan reads the sheet twice)."""
        if (offset, whence) != (0, 0):
            raise OSError("only a return to the start is supported")
        self._source.seek(0)
        self._reset()
        return 0

    def close(self) -> None:
        self._source.close()

    def __enter__(self) -> CellsOnly:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
