"""Workbooks an attacker (or a careless script) would send, tried on the live watcher first:
each case here is one that gave a wrong answer, as small as it can be."""

from __future__ import annotations

import openpyxl

from service.intake.reader import read_workbook
from service.pipeline import Outcome, process_workbook
from tests.counted import rows_given
from tests.workbooks import valid_sheets, write_workbook


def test_a_renamed_person_whose_new_name_is_refused_is_not_said_to_be_called_none(
    settings, tmp_path
):
    """Н-01's new ФИО is refused (too long); the pair naming her by the old ФИО was reported
    as «у человека с Кодом «Н-01» новое ФИО «None»» under the refusal itself."""
    assert process_workbook(
        settings, write_workbook(tmp_path / "1.xlsx", valid_sheets())
    ).outcome == (Outcome.DONE)
    renamed = valid_sheets()
    renamed["Наставники"][1][1] = "Я" * 300
    del renamed["Организация"], renamed["Наставляемые"]
    refused = process_workbook(settings, write_workbook(tmp_path / "2.xlsx", renamed))
    assert refused.outcome == Outcome.REJECTED
    assert [(p.sheet, p.row, p.column, p.message) for p in refused.report.errors] == [
        (
            "Наставники",
            2,
            "ФИО",
            "Текст слишком длинный — знаков: 300, а допускается не больше 200. Сократите его.",
        )
    ]
    assert refused.report.warnings == []


def test_a_cell_at_the_millionth_row_costs_no_million_rows(tmp_path, monkeypatch):
    """One code at row 1,000,000 of a 40 KB workbook: openpyxl gives every skipped row, and
    each went through the sheet's reader (4 s of CPU per sheet while the inbox waited). The
    row is still read and reported by its number."""
    path = write_workbook(tmp_path / "far.xlsx", valid_sheets())
    book = openpyxl.load_workbook(path)
    book["Наставники"].cell(row=1_000_000, column=1, value="Н-99")
    book.save(path)
    given = rows_given(monkeypatch)
    workbook, report = read_workbook(path)
    # the filled rows only (header, the form's one mentor, the far one), not a million
    assert given["Наставники"] == 3
    assert workbook is None
    assert [(p.sheet, p.row, p.column) for p in report.errors][:2] == [
        ("Наставники", 1_000_000, "ФИО"),
        ("Наставники", 1_000_000, "Дата рождения"),
    ]
