"""How a cross-row rule words a problem: the cell it points to and the dates it quotes."""

from __future__ import annotations

from datetime import date

from service.intake.model import IntakeReport
from service.intake.sheets import Record


def day_text(day: date) -> str:
    """«01.10.2023»: a date as the workbook shows it."""
    return day.strftime("%d.%m.%Y")


def cell_error(report: IntakeReport, record: Record, name: str, message: str, **kw: bool) -> None:
    """Report ``message`` at the cell of field ``name`` in ``record`` (``warning=True``: a
    warning, the workbook still taken)."""
    column = record.sheet.column(name)
    report.add(record.sheet.name, record.row_of(name), column.header, message, **kw)
