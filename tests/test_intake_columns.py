"""Every text a workbook may hold fits the register's column for it. PostgreSQL refuses a text
longer than its ``String(n)`` column (SQLite stores it): a 51-character protocol number, a
201-character locality or e-mail, a 21-character ИНН or a 301-character «Вариант» passed the
workbook's checks and then failed the whole workbook there with «Внутренняя ошибка» instead
of a line of its error report."""

from __future__ import annotations

import pytest
from sqlalchemy import String, func, select

from service.intake import schema
from service.intake.columns import Kind
from service.pipeline import Outcome, process_workbook
from service.register import models
from service.register.db import session_scope
from tests.workbooks import (
    MENTOR_HEADER,
    PAIR_HEADER,
    organization_rows,
    valid_sheets,
    write_workbook,
)

MODELS = {
    "Организация": models.Organization,
    "Наставники": models.Person,
    "Наставляемые": models.Person,
    "Пары": models.Pair,
    "План": models.PlanItem,
    "Дорожная карта": models.RoadmapItem,
    "Обучение наставников": models.Training,
    "Итоговое мероприятие": models.FinalEvent,
    "Итоги": models.Result,
}
COLUMNS = {"term": "term_text"}
"""A field of the workbook kept under another name in the register."""
STORED = {Kind.SEX: len("ж"), Kind.SCHOOL_YEAR: len("2023–2024")}
"""What the reader stores of a cell of these kinds, whatever its length in the workbook."""


def test_every_text_limit_fits_its_column():
    assert set(MODELS) == {sheet.name for sheet in schema.SHEETS}
    too_long = []
    for sheet in schema.SHEETS:
        table = MODELS[sheet.name].__table__
        for column in sheet.columns:
            stored = table.columns.get(COLUMNS.get(column.field, column.field))
            if stored is None or not isinstance(stored.type, String) or not stored.type.length:
                continue  # kept elsewhere (a reference, a guardian's phone) or as Text
            longest = STORED.get(column.kind, column.limit)
            if column.kind is Kind.CHOICE:  # the canonical spelling is stored
                longest = max(len(choice) for choice in column.choices)
            if longest > stored.type.length:
                too_long.append((sheet.name, column.header, longest, stored.type.length))
    assert too_long == []


@pytest.mark.postgresql
def test_texts_past_their_column_are_errors_of_the_report_on_either_server(settings):
    sheets = valid_sheets()
    sheets["Организация"] = organization_rows(
        **{
            "Населённый пункт": "с. " + "И" * 198,
            "ИНН": "2" * 21,
            "Положение принято педсоветом (протокол №)": "№" * 51,
        }
    )
    sheets["Наставники"][0] = [*MENTOR_HEADER, "E-mail"]
    sheets["Наставники"][1].append("а" * 192 + "@школа.рф")
    sheets["Пары"][0] = [*PAIR_HEADER, "Вариант"]
    sheets["Пары"][1].append("в" * 301)
    path = write_workbook(settings.inbox / "длинные.xlsx", sheets)
    result = process_workbook(settings, path)
    assert result.outcome == Outcome.REJECTED
    errors = [line for line in result.message.splitlines() if "Текст слишком длинный" in line]
    assert errors == [
        "1. лист «Организация», строка 4, столбец «Значение»: «Населённый пункт»: Текст слишком "
        "длинный — знаков: 201, а допускается не больше 200. Сократите его.",
        "2. лист «Организация», строка 9, столбец «Значение»: «ИНН»: Текст слишком длинный — "
        "знаков: 21, а допускается не больше 20. Сократите его.",
        "3. лист «Организация», строка 10, столбец «Значение»: «Положение принято педсоветом "
        "(протокол №)»: Текст слишком длинный — знаков: 51, а допускается не больше 50. "
        "Сократите его.",
        "4. лист «Наставники», строка 2, столбец «E-mail»: Текст слишком длинный — знаков: 201, "
        "а допускается не больше 200. Сократите его.",
        "5. лист «Пары», строка 2, столбец «Вариант»: Текст слишком длинный — знаков: 301, а "
        "допускается не больше 300. Сократите его.",
    ]
    with session_scope(settings.database_url) as s:
        assert s.scalar(select(func.count()).select_from(models.Organization)) == 0
