"""A sheet's XML as the intake reads it: the root element and its cells (``<sheetData>``).

openpyxl, even streaming a sheet (``read_only``), parses everything after the cells into
objects — merged ranges, data validations, hyperlinks, conditional formats — and builds the
element tree of each such list whole before it clears it: a million merged cells (33 MB of XML
in a 4.7 MB workbook, below every size limit) took 760 MB of memory and 14 s of CPU. None of it
is a value the intake reads. :class:`CellsOnly` hands openpyxl the sheet's part with everything
outside ``<sheetData>`` left out: the XML declaration and the root's start tag (its namespaces),
the cells, and the root's end tag; what follows ``</sheetData>`` is never even unpacked.

A part that is not plain UTF-8 XML as Excel and LibreOffice write it (another encoding, no
``<sheetData>`` where expected) is passed on as it is.
"""

from __future__ import annotations

import re
from typing import IO

_CHUNK = 1 << 16
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>/]")
_DATA_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData(?:\s[^>]*)?(/?)>")
_DATA_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData\s*>")
_PROLOGUE_LIMIT = 1 << 20
"""Bytes read before the root's start tag or, after it, up to ``<sheetData>`` without that
tag found: past them the part is passed on as it is (openpyxl reads it as before)."""
_OVERLAP = 256
"""Bytes kept from one chunk for the next: a tag split between two reads is still found."""


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
        self._start()

    def _start(self) -> None:
        head = b""
        while len(head) < _PROLOGUE_LIMIT:
            chunk = self._source.read(_CHUNK)
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
        if root is None or start is None or other_encoding:
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
            self._out += self._pending[: end.end()]
            self._finish()
            return
        keep = min(len(self._pending), _OVERLAP)
        self._out += self._pending[: len(self._pending) - keep]
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
                    self._out += self._pending
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
