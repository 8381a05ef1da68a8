"""Build real intake workbooks (xlsx) for tests from plain Python lists.

``write_workbook(path, {"Наставники": [header_row, *rows]})`` writes one sheet per key, rows
as given (an empty list is an empty row), so a test shows exactly what the secretary typed.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from service.intake.lookup import RegisterLookup
from service.intake.model import IntakeReport, Problem
from service.intake.model import Workbook as IntakeWorkbook
from service.intake.reader import read_workbook

Sheets = dict[str, list[list[Any]]]
TODAY = date(2024, 1, 15)
"""The «today» the reading tests use, so ages do not change with the calendar."""


def write_workbook(path: Path, sheets: Sheets) -> Path:
    """Write ``sheets`` ({sheet name: [header_row, *rows]}) as an xlsx at ``path``."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        worksheet = book.create_sheet(name)
        for number, row in enumerate(rows, 1):
            for column, value in enumerate(row, 1):
                if value is not None:
                    worksheet.cell(number, column, value)
    book.save(path)
    return path


def organization_rows(**changes: Any) -> list[list[Any]]:
    """A complete «Организация» sheet; ``changes`` replace (or, with None, drop) parameters."""
    values = {
        "Полное наименование": "Муниципальное бюджетное общеобразовательное учреждение "
        "Идринская средняя общеобразовательная школа",
        "Краткое наименование": "МБОУ Идринская СОШ",
        "Населённый пункт": "с. Идринское",
        "Руководитель (ФИО)": "Кинякина Татьяна Игоревна",
        "Куратор (ФИО)": "Бутрина Ольга Николаевна",
        "Должность куратора": "заместитель директора по учебно-воспитательной работе",
        "Учебный год": "2023–2024",
    }
    values.update(changes)
    return [["Параметр", "Значение"]] + [[k, v] for k, v in values.items() if v is not None]


# fmt: off
# Rows are written as the secretary sees them: one list per row.
MENTOR_HEADER = ["Код", "ФИО", "Дата рождения", "Категория", "Должность или класс",
                 "Место работы", "Внешний наставник", "Документ, удостоверяющий личность",
                 "Законный представитель (ФИО)"]
MENTEE_HEADER = ["Код", "ФИО", "Дата рождения", "Категория", "Класс или должность",
                 "Законный представитель (ФИО)"]
PAIR_HEADER = ["Код пары", "Наставник", "Наставляемые", "Форма", "Вид", "Дата начала",
               "Дата окончания", "Цель"]


def valid_sheets() -> Sheets:
    """A small workbook that reads with no problem: one teacher mentoring a young teacher."""
    return copy.deepcopy({
        "Организация": organization_rows(),
        "Наставники": [
            MENTOR_HEADER,
            ["Н-01", "Петрова Анна Сергеевна", date(1980, 3, 14), "педагог",
             "учитель математики", None, "нет", None, None],
        ],
        "Наставляемые": [
            MENTEE_HEADER,
            ["У-01", "Смирнов Илья Олегович", date(1999, 11, 20), "молодой специалист",
             "учитель истории", None],
        ],
        "Пары": [
            PAIR_HEADER,
            ["П-01", "Петрова Анна Сергеевна", "Смирнов Илья Олегович", "Учитель – учитель",
             None, date(2023, 10, 1), date(2024, 5, 31), "Адаптация молодого специалиста"],
        ],
    })
# fmt: on


def read_sheets(
    tmp_path: Path,
    sheets: Sheets,
    lookup: RegisterLookup | None = None,
    name: str = "книга.xlsx",
) -> tuple[IntakeWorkbook | None, IntakeReport]:
    """Write ``sheets`` into ``tmp_path`` and read them back as the service does."""
    path = write_workbook(tmp_path / name, sheets)
    return read_workbook(path, lookup, today=TODAY)


def problems_at(
    report: IntakeReport, sheet: str, row: int | None = None, column: str | None = None
) -> list[Problem]:
    """Problems located at ``sheet`` (and ``row``, ``column`` when given)."""
    return [
        p
        for p in report.problems
        if p.sheet == sheet
        and (row is None or p.row == row)
        and (column is None or p.column == column)
    ]
