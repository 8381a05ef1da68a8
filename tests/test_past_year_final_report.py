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
from tests.test_year_boundary import RESULT_HEADER, september
from tests.workbooks import write_workbook

Y = school_year(date.today()) - 2
"""The first calendar year of the school's year: two years back, every pair's end long past."""
YEAR = f"{Y}–{Y + 1}"
EARLY = ["П-02", "завершена досрочно", "переезд наставляемой", "Проведено 8 встреч"]
DONE = ["П-01", "завершена", None, "Проведено 20 встреч, открытый урок"]


def build_past_year(settings, folder: Path) -> None:
    done = process_workbook(settings, write_workbook(folder / "сентябрь.xlsx", september(Y)))
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
