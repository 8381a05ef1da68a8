"""Workbooks as school offices really make them: headers written the office's way, a group
header over two columns, a totals row. Each is read exactly as the secretary meant or refused
with one clear line per mistake."""

from __future__ import annotations

import pytest

from tests.workbooks import read_sheets, valid_sheets


@pytest.mark.parametrize(
    "header",
    ["Ф.И.О.", "Ф. И. О.", "Фамилия, имя, отчество", "Фамилия Имя Отчество", "ФИО полностью"],
)
def test_the_fio_column_under_an_office_header_is_read(tmp_path, header):
    """«Ф.И.О.» or «Фамилия, имя, отчество» over the names: the workbook was refused for a
    missing «ФИО» column (and every pair for people not found), the names an unknown column."""
    sheets = valid_sheets()
    sheets["Наставники"][0][1] = header
    sheets["Наставляемые"][0][1] = header
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert [m.full_name for m in book.mentors] == ["Петрова Анна Сергеевна"]
    assert [m.full_name for m in book.mentees] == ["Смирнов Илья Олегович"]


def test_the_people_columns_of_pairs_under_office_headers_are_read(tmp_path):
    sheets = valid_sheets()
    sheets["Наставники"][0][1] = "ФИО наставника"
    sheets["Наставляемые"][0][1] = "ФИО наставляемого"
    sheets["Пары"][0][1:3] = ["ФИО наставника", "ФИО наставляемых"]
    book, report = read_sheets(tmp_path, sheets)
    assert report.problems == []
    assert (book.pairs[0].mentor_ref, book.pairs[0].mentee_refs) == (
        "Петрова Анна Сергеевна",
        ("Смирнов Илья Олегович",),
    )
