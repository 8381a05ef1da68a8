"""Formulas saved without their computed value.

Excel and LibreOffice write beside every formula the value they computed (``<v>``), and intake
reads that value (openpyxl's ``data_only``). A workbook written by a script, or saved without
recalculation, has the formula alone: openpyxl reads such a cell as empty, so a required field
was reported «не заполнена» and an optional one silently kept the register's value. The sheet's
XML is scanned for these cells — only when it holds a formula at all
(:func:`service.intake.marks.scan`), so a workbook without formulas costs one byte search per
sheet — and the reader puts an :class:`Uncomputed` marker
where openpyxl gave None; :func:`service.intake.sheets.convert_cell` reports it with the cell.
"""

from __future__ import annotations

from typing import IO, Any

from lxml import etree
from openpyxl.utils.cell import coordinate_to_tuple


class Uncomputed:
    """A cell holding a formula and no computed value; ``coordinate`` is its address («C7»)."""

    __slots__ = ("coordinate",)

    def __init__(self, coordinate: str) -> None:
        self.coordinate = coordinate

    def __str__(self) -> str:
        return "="

    def __repr__(self) -> str:
        return f"Uncomputed({self.coordinate!r})"


def uncomputed_cells(source: IO[bytes]) -> dict[int, dict[int, Uncomputed]]:
    """Row → column → marker for every cell of a worksheet's XML ``source`` with a formula
    and no computed value (:func:`_has_value`); the caller knows the sheet has a formula
    (:func:`service.intake.marks.scan`)."""
    found: dict[int, dict[int, Uncomputed]] = {}
    for _, cell in etree.iterparse(source, tag="{*}c", resolve_entities=False):
        children = {etree.QName(child).localname: child for child in cell}
        coordinate = cell.get("r")
        if "f" in children and coordinate and not _has_value(cell, children):
            row, column = coordinate_to_tuple(coordinate)
            found.setdefault(row, {})[column] = Uncomputed(coordinate)
        cell.clear()
    return found


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
