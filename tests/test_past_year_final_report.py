"""A past school year entered after it ended, month by month: the year's final report is made
once, when its results are in. Found by the last session: every pair's end had passed before
September's workbook was even processed, so January's «Итоги» of one pair (ended early) made
the year's final report at once (each pair had «Итоги» or its end had passed), and May's
«Итоги» of the other made it again — the director signed it twice."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from service.dryrun import dry_run
from service.intake.years import school_year
from service.pipeline import Outcome, process_workbook
from tests.test_reverted_content import versions
from tests.workbooks import (
    MENTEE_HEADER,
    MENTOR_HEADER,
    PAIR_HEADER,
    organization_rows,
    write_workbook,
)

Y = school_year(date.today()) - 2
"""The first calendar year of the school's year: two years back, every pair's end long past."""
YEAR = f"{Y}–{Y + 1}"
RESULT_HEADER = ["Код пары", "Статус", "Причина", "Достигнутые результаты"]
EARLY = ["П-02", "завершена досрочно", "переезд наставляемой", "Проведено 8 встреч"]
DONE = ["П-01", "завершена", None, "Проведено 20 встреч, открытый урок"]


def september() -> dict[str, list[list]]:
    # fmt: off
    return {
        "Организация": organization_rows(**{"Учебный год": YEAR}),
        "Наставники": [
            MENTOR_HEADER,
            ["Н-01", "Петрова Анна Сергеевна", date(1980, 3, 14), "педагог",
             "учитель математики", None, "нет", None, None],
            ["Н-02", "Белова Ирина Петровна", date(1975, 6, 2), "педагог",
             "учитель русского языка", None, "нет", None, None],
        ],
        "Наставляемые": [
            MENTEE_HEADER,
            ["У-01", "Смирнов Илья Олегович", date(1999, 11, 20), "молодой специалист",
             "учитель истории", None],
            ["У-02", "Морозова Дарья Игоревна", date(2000, 4, 8), "молодой специалист",
             "учитель литературы", None],
        ],
        "Пары": [
            PAIR_HEADER,
            ["П-01", "Н-01", "У-01", "Учитель – учитель", None, date(Y, 10, 1),
             date(Y + 1, 5, 31), "Адаптация"],
            ["П-02", "Н-02", "У-02", "Учитель – учитель", None, date(Y, 10, 1),
             date(Y + 1, 5, 31), "Адаптация"],
        ],
    }
    # fmt: on


def build_past_year(settings, folder: Path) -> None:
    done = process_workbook(settings, write_workbook(folder / "сентябрь.xlsx", september()))
    assert done.outcome == Outcome.DONE, done.message


@pytest.fixture
def past(homes, database_kind, tmp_path, request):
    return homes.copy(request, build_past_year, database_kind, tmp_path / "home")


def process(settings, path: Path, sheets: dict):
    done = process_workbook(settings, write_workbook(path, sheets))
    assert done.outcome == Outcome.DONE, done.message
    return done


WAITS = (
    f"лист «Итоги»: Итоговый аналитический отчёт за {YEAR} учебный год пока не составлен: "
    f"«Итогов» нет у пары П-01 (по 31.05.{Y + 1}). Учебный год внесён после его окончания, и "
    "отчёт ждёт «Итоги» каждой пары, работавшей дольше пар, чьи «Итоги» уже даны, — дайте их "
    "в следующей книге."
)


def test_a_past_year_entered_late_makes_its_final_report_once(past, tmp_path):
    january = write_workbook(tmp_path / "январь.xlsx", {"Итоги": [RESULT_HEADER, EARLY]})
    assert [str(w) for w in dry_run(past, january).report.warnings] == [WAITS]
    made = process(past, tmp_path / "январь.xlsx", {"Итоги": [RESULT_HEADER, EARLY]})
    assert [(e.kind, e.subject) for e in made.entries] == [("report_pair", "П-02")]
    assert [str(w) for w in made.report.warnings] == [WAITS]
    assert versions(past, "report_final") == []

    made = process(past, tmp_path / "май.xlsx", {"Итоги": [RESULT_HEADER, DONE, EARLY]})
    assert [(e.kind, e.subject) for e in made.entries] == [
        ("report_pair", "П-01"),
        ("report_final", "МБОУ Идринская СОШ"),
    ]
    assert made.report.warnings == []
    assert [(v.version, str(v.status)) for v in versions(past, "report_final")] == [
        (1, "awaiting_signature")
    ]


def test_a_past_year_entered_whole_counts_a_pair_without_results_that_ended_first(past, tmp_path):
    """One workbook with the year's «Итоги»: a pair without a row whose term ended no later
    than a pair reported «завершена» is over, and the report is made at once (the demo's
    school year, entered after it, is made so)."""
    made = process(past, tmp_path / "итоги.xlsx", {"Итоги": [RESULT_HEADER, DONE]})
    assert [(e.kind, e.subject) for e in made.entries] == [
        ("report_pair", "П-01"),
        ("report_final", "МБОУ Идринская СОШ"),
    ]
    assert made.report.warnings == []
