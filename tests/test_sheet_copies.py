"""A sheet of the form copied in Excel («Пары (2)») or LibreOffice («Пары_2»): play17's secretary
copied «Пары» to edit it and left both; the copy was skipped with «не относится к форме и не
прочитан», the old «Пары» read, her edits lost with a warning among others. A filled copy of a
sheet of the form is refused, naming both sheets; an empty one says nothing."""

from __future__ import annotations

from service.intake.lookup import StaticLookup
from service.intake.reader import read_workbook
from tests.workbooks import TODAY, valid_sheets, write_workbook


def problems(tmp_path, sheets) -> list[tuple]:
    path = write_workbook(tmp_path / "книга.xlsx", sheets)
    _, report = read_workbook(path, StaticLookup(), today=TODAY)
    return [(p.severity, p.sheet, p.message) for p in report.problems]


def test_a_filled_copy_of_a_sheet_of_the_form_is_refused(tmp_path):
    sheets = valid_sheets()
    sheets["Пары (2)"] = [list(row) for row in sheets["Пары"]]
    sheets["Пары (2)"][1][6] = "30.04.2024"
    sheets["наставники_2"] = [list(row) for row in sheets["Наставники"]]
    assert problems(tmp_path, sheets) == [
        (
            "error",
            "Пары (2)",
            "Лист «Пары (2)» похож на копию листа «Пары»: сервис читает только лист «Пары», и "
            "правки, сделанные в копии, потерялись бы. Оставьте в книге один лист «Пары» — с "
            "верными данными — и удалите другой.",
        ),
        (
            "error",
            "наставники_2",
            "Лист «наставники_2» похож на копию листа «Наставники»: сервис читает только лист "
            "«Наставники», и правки, сделанные в копии, потерялись бы. Оставьте в книге один "
            "лист «Наставники» — с верными данными — и удалите другой.",
        ),
    ]


def test_an_empty_copy_says_nothing(tmp_path):
    sheets = valid_sheets()
    sheets["Пары (2)"] = []
    assert problems(tmp_path, sheets) == []


def test_a_copy_without_its_original_is_refused_saying_to_rename_it(tmp_path):
    sheets = valid_sheets()
    sheets["Пары - копия"] = sheets.pop("Пары")
    assert problems(tmp_path, sheets) == [
        (
            "error",
            "Пары - копия",
            "Лист «Пары - копия» похож на копию листа «Пары»: а листа «Пары» в книге нет. "
            "Переименуйте лист в «Пары».",
        )
    ]
