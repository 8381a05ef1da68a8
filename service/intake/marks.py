"""What a sheet's cell values do not say, read from its XML in one pass of bytes: whether it
holds a formula at all (:mod:`service.intake.formulas` then looks for those saved without a
value), which rows are hidden (a filter, «Скрыть»: read as data, as a hidden sheet is, and
said to be), and which cells are merged down over several rows (one mentor's name over her two
pairs: the value belongs to each row it covers).

The part is read a megabyte at a time and never held whole; a tag split between two reads is
found in the overlap. Reading stops after the merged cells: what follows them (conditional
formats, data validations, hyperlinks — a million of them in a hostile file) is never unpacked.
At most :data:`MAX_MERGED` merged ranges are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import IO

from openpyxl.utils.cell import column_index_from_string

_CHUNK = 1 << 20
_OVERLAP = 512
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_FORMULA = re.compile(rb"<" + _PREFIX + rb"f[\s>/]")
_ROW = re.compile(rb"<" + _PREFIX + rb"row\s[^>]*>")
_HIDDEN = re.compile(rb"""\shidden\s*=\s*["'](?:1|true)["']""")
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")
_MERGED = re.compile(
    rb"<"
    + _PREFIX
    + rb"""mergeCell\s[^>]*?ref\s*=\s*["']([A-Za-z]{1,3})(\d+):([A-Za-z]{1,3})(\d+)["']"""
)
_DATA_END = re.compile(rb"</" + _PREFIX + rb"sheetData\s*>")
_AFTER_MERGED = re.compile(
    rb"</" + _PREFIX + rb"mergeCells\s*>|<" + _PREFIX
    + rb"(?:phoneticPr|conditionalFormatting|dataValidations|hyperlinks|printOptions|pageMargins)"
    rb"[\s>/]|</" + _PREFIX + rb"worksheet\s*>"
)  # fmt: skip
MAX_MERGED = 10_000
"""Merged ranges read per sheet: a school's sheet has a few dozen."""


@dataclass
class SheetMarks:
    """What :func:`scan` found in a sheet."""

    holds_formula: bool = False
    hidden: set[int] = field(default_factory=set)
    """Numbers of the hidden rows."""
    merged_down: list[tuple[int, int, int]] = field(default_factory=list)
    """(first row, last row, column) of each range merged over more than one row; the value
    is in its first row (a range wider than a column gives it to its first column only)."""


def scan(source: IO[bytes]) -> SheetMarks:
    """The marks of a worksheet's XML ``source`` (the whole part, not only its cells)."""
    marks = SheetMarks()
    tail = b""
    past_data = False
    ranges: set[tuple[int, int, int]] = set()
    counted = 0
    while chunk := source.read(_CHUNK):
        text = tail + chunk
        if not past_data:
            marks.holds_formula = marks.holds_formula or bool(_FORMULA.search(text))
            if b"hidden" in text:
                for tag in _ROW.finditer(text):
                    if _HIDDEN.search(tag[0]) and (number := _ROW_NUMBER.search(tag[0])):
                        marks.hidden.add(int(number[1]))
            past_data = bool(_DATA_END.search(text))
        if past_data:
            for match in _MERGED.finditer(text):
                counted += 1
                first, last = int(match[2]), int(match[4])
                entry = (first, last, column_index_from_string(match[1].decode().upper()))
                if last > first and entry not in ranges:
                    ranges.add(entry)
                    marks.merged_down.append(entry)
            if _AFTER_MERGED.search(text) or counted >= MAX_MERGED:
                break
        tail = chunk[-_OVERLAP:]
    return marks


def hidden_warning(rows: list[int]) -> str:
    """The warning for filled rows hidden on a sheet of the form: they are read."""
    if len(rows) == 1:
        return (
            f"Строка {rows[0]} скрыта (фильтром или командой «Скрыть»), но прочитана: скрытые "
            "строки входят в реестр и документы так же, как видимые. Если они не нужны, "
            "удалите их и передайте книгу снова."
        )
    listed = ", ".join(str(r) for r in rows[:10]) + (
        f" и ещё {len(rows) - 10}" if len(rows) > 10 else ""
    )
    return (
        f"Строки {listed} скрыты (фильтром или командой «Скрыть»), но прочитаны: скрытые "
        "строки входят в реестр и документы так же, как видимые. Если они не нужны, удалите "
        "их и передайте книгу снова."
    )
