"""A «Учебный год» typed a year ahead (review17): «2027–2028» sent in December 2026 was taken
with warnings only, and the corrected workbook («2026–2027») was then refused for good as last
year's — the office was stuck. A workbook whose school year begins more than three months
after the day it comes is refused and changes nothing; next year's comes from 1 June on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from service.intake.reader import read_workbook
from service.intake.years import school_year
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Document, Organization
from tests.test_year_boundary import september
from tests.workbooks import organization_rows, write_workbook


def message(year: int, now: int) -> str:
    return (
        f"Учебный год «{year}–{year + 1}» ещё не начался: он начнётся 1 сентября {year}\xa0г. "
        f"Проверьте ячейку «Учебный год» — сейчас идёт {now}–{now + 1} учебный год. Книгу "
        "следующего учебного года можно передать с 1 июня."
    )


def test_a_school_year_typed_a_year_ahead_is_refused_and_the_corrected_one_taken(
    settings, tmp_path
):
    now = school_year(date.today())
    typed = school_year(date.today() + timedelta(days=92)) + 1  # more than 3 months ahead
    sheets = september(now)  # the pairs of this school year, the year's cell mistyped
    sheets["Организация"] = organization_rows(**{"Учебный год": f"{typed}–{typed + 1}"})
    refused = process_workbook(settings, write_workbook(tmp_path / "сентябрь.xlsx", sheets))
    assert refused.outcome == Outcome.REJECTED, refused.message
    assert [(p.sheet, p.row, p.column, p.message) for p in refused.report.problems] == [
        ("Организация", 8, "Учебный год", message(typed, now))
    ]
    with session_scope(settings.database_url) as session:
        assert session.scalar(select(func.count(Organization.id))) == 0
        assert session.scalar(select(func.count(Document.id))) == 0
    corrected = september(now)
    done = process_workbook(settings, write_workbook(tmp_path / "исправленная.xlsx", corrected))
    assert done.outcome == Outcome.DONE, done.message
    with session_scope(settings.database_url) as session:
        assert session.get(Organization, 1).school_year == f"{now}–{now + 1}"


@pytest.mark.parametrize(
    ("day", "year", "refused"),
    [
        (date(2026, 12, 3), 2027, True),  # review17's December
        (date(2027, 5, 31), 2027, True),  # three months and a day ahead
        (date(2027, 6, 1), 2027, False),  # next year's workbook in June
        (date(2027, 8, 31), 2027, False),
        (date(2027, 8, 31), 2028, True),
        (date(2026, 12, 3), 2026, False),  # this year's
        (date(2026, 12, 3), 2024, False),  # a past year is another rule's (the register's)
    ],
)
def test_the_school_year_is_refused_from_three_months_ahead(tmp_path, day, year, refused):
    sheets = {"Организация": organization_rows(**{"Учебный год": f"{year}–{year + 1}"})}
    book, report = read_workbook(write_workbook(tmp_path / "книга.xlsx", sheets), today=day)
    expected = [message(year, school_year(day))] if refused else []
    assert [p.message for p in report.problems] == expected
    assert (book is None) is refused
