"""Formulas saved without their computed value.

Excel and LibreOffice write beside every formula the value they computed (``<v>``), and intake
reads that value (openpyxl's ``data_only``). A workbook written by a script, or saved without
recalculation, has the formula alone: openpyxl reads such a cell as empty, so a required field
was reported «не заполнена» and an optional one silently kept the register's value. The sheet's
XML is scanned for these cells — only when it holds a formula at all, so a workbook without
formulas costs one byte search per sheet — and the reader puts an :class:`Uncomputed` marker
where openpyxl gave None; :func:`service.intake.sheets.convert_cell` reports it with the cell.

The same reading finds the sheet's hidden rows (a filter, «Скрыть»): they are read as data,
as a hidden sheet is, and the report says so (:func:`hidden_warning`).
"""

from __future__ import annotations

import re
from typing import IO, Any

from lxml import etree
from openpyxl.utils.cell import coordinate_to_tuple

_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
"""The start of a formula element, with or without a namespace prefix."""
_CHUNK = 1 << 20
_OVERLAP = 512
"""Bytes of one chunk kept for the next: a tag split between two reads is still found."""


class Uncomputed:
    """A cell holding a formula and no computed value; ``coordinate`` is its address («C7»)."""

    __slots__ = ("coordinate",)

    def __init__(self, coordinate: str) -> None:
        self.coordinate = coordinate

    def __str__(self) -> str:
        return "="

    def __repr__(self) -> str:
        return f"Uncomputed({self.coordinate!r})"


def uncomputed_cells(source: IO[bytes]) -> tuple[dict[int, dict[int, Uncomputed]], set[int]]:
    """Row → column → marker for every cell of a worksheet's XML ``source`` with a formula
    and no computed value (:func:`_has_value`); and the rows hidden (by a filter or «Скрыть»:
    the value of a cell does not say it), found in the same reading of the sheet."""
    holds, hidden = _scan(source)
    if not holds:
        return {}, hidden
    source.seek(0)
    found: dict[int, dict[int, Uncomputed]] = {}
    for _, cell in etree.iterparse(source, tag="{*}c", resolve_entities=False):
        children = {etree.QName(child).localname: child for child in cell}
        coordinate = cell.get("r")
        if "f" in children and coordinate and not _has_value(cell, children):
            row, column = coordinate_to_tuple(coordinate)
            found.setdefault(row, {})[column] = Uncomputed(coordinate)
        cell.clear()
    return found, hidden


_HIDDEN_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*>")
_HIDDEN = re.compile(rb"""\shidden\s*=\s*["'](?:1|true)["']""")
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")


def _scan(source: IO[bytes]) -> tuple[bool, set[int]]:
    """Whether the sheet's XML has a formula element, and the numbers of its hidden rows; read
    a megabyte at a time (a sheet is never held whole: the reader bounds memory whatever the
    file). A ``<row>`` start tag split between two reads is found in the overlap."""
    tail = b""
    holds = False
    hidden: set[int] = set()
    while chunk := source.read(_CHUNK):
        text = tail + chunk
        holds = holds or bool(_FORMULA.search(text))
        if b"hidden" in text:
            for tag in _HIDDEN_ROW.finditer(text):
                if _HIDDEN.search(tag[0]) and (number := _ROW_NUMBER.search(tag[0])):
                    hidden.add(int(number[1]))
        tail = chunk[-_OVERLAP:]
    return holds, hidden


def _has_value(cell: Any, children: dict[str, Any]) -> bool:
    """True if the formula cell holds a computed value: a ``<v>`` with text, or an empty one
    of a text result (``t="str"``: the formula computed «»). openpyxl writes an empty ``<v>``
    of no type beside every formula it saves: that is no value."""
    if "is" in children:
        return True
    value = children.get("v")
    if value is None:
        return False
    return bool(value.text) or cell.get("t") in ("str", "s")


def mark(values: tuple[Any, ...], markers: dict[int, Uncomputed]) -> tuple[Any, ...]:
    """A row's ``values`` with each uncomputed formula's None replaced by its marker (the row
    is padded when a marker lies past its last value)."""
    marked = list(values)
    for column, marker in markers.items():
        marked.extend([None] * (column - len(marked)))
        if marked[column - 1] is None:
            marked[column - 1] = marker
    return tuple(marked)


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
