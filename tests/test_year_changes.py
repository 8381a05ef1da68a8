"""November-to-May changes a secretary sends: the same pair under another code, a name
corrected. Each case is one or two small workbooks over a fresh register."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Pair
from tests.workbooks import PAIR_HEADER, read_sheets, valid_sheets, write_workbook


def pair_row(code: str, start: date = date(2023, 10, 1), end: date = date(2024, 5, 31)) -> list:
    return [
        code,
        "Петрова Анна Сергеевна",
        "Смирнов Илья Олегович",
        "Учитель – учитель",
        None,
        start,
        end,
        "Адаптация молодого специалиста",
    ]


def test_the_same_two_people_under_another_pair_code_are_refused(settings, tmp_path):
    """September registers П-01; November's «Пары» types the same pair as «П-1»: it was a
    second pair, the pairs' order re-made to approve both. A later programme of the same people
    (after the first ends) is a new pair."""
    sheets = valid_sheets()
    assert process_workbook(settings, write_workbook(tmp_path / "1.xlsx", sheets)).outcome == (
        Outcome.DONE
    )
    retyped = {"Пары": [PAIR_HEADER, pair_row("П-1")]}
    refused = process_workbook(settings, write_workbook(tmp_path / "2.xlsx", retyped))
    assert refused.outcome == Outcome.REJECTED
    assert (
        "лист «Пары», строка 2, столбец «Код пары»: Эти наставник и наставляемые уже составляют "
        "пару «П-01» (с 01.10.2023 по 31.05.2024), а сроки пересекаются. Если это та же пара, "
        "укажите её код «П-01»: другой код добавил бы вторую пару, и приказ утвердил бы обе."
        in refused.message
    )
    later = {"Пары": [PAIR_HEADER, pair_row("П-11", date(2024, 9, 2), date(2025, 5, 30))]}
    done = process_workbook(settings, write_workbook(tmp_path / "3.xlsx", later))
    assert done.outcome == Outcome.DONE, done.message
    with session_scope(settings.database_url) as s:
        assert s.scalar(select(func.count()).select_from(Pair)) == 2


def test_the_same_pair_twice_in_one_workbook_is_refused(tmp_path):
    sheets = valid_sheets()
    sheets["Пары"].append(pair_row("П-02", date(2023, 11, 1), date(2024, 4, 30)))
    book, report = read_sheets(tmp_path, sheets)
    assert book is None
    assert [(p.row, p.column, p.message) for p in report.errors] == [
        (
            3,
            "Код пары",
            "Эти наставник и наставляемые уже составляют пару «П-01» (с 01.10.2023 по "
            "31.05.2024), а сроки пересекаются. Если это та же пара, укажите её код «П-01»: "
            "другой код добавил бы вторую пару, и приказ утвердил бы обе.",
        )
    ]
