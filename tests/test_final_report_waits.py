"""«Итоги» in May for some of the year's pairs: the year's final report waits for the others,
and the workbook says so. Found by play11: a May workbook with «Итоги» of six pairs of seven
(the seventh began in December) made the mentors' reports and no final report, and nothing
said why — the secretary looked for it in vain."""

from __future__ import annotations

from datetime import date

from service.dryrun import dry_run
from service.pipeline import Outcome, process_workbook
from tests.test_year_boundary import RESULT_HEADER, YEAR, Y, year  # noqa: F401
from tests.workbooks import write_workbook

WAITS = (
    f"лист «Итоги»: Итоговый аналитический отчёт за {YEAR} учебный год пока не составлен: "
    f"«Итогов» нет у пары П-02 (по 31.05.{Y + 1}). Он составляется, когда «Итоги» есть у каждой "
    "пары учебного года или её срок истёк, — дайте их в следующей книге."
)


def early(code: str) -> str:
    """The warning of «завершена» given more than a month before the pair's end (play17): the
    year here is the next one, so that no pair has ended."""
    return (
        f"лист «Итоги», строка 2, столбец «Статус»: Пара «{code}» идёт по 31.05.{Y + 1} — "
        f"больше месяца после сегодняшнего дня ({date.today():%d.%m.%Y}): со статусом "
        "«завершена» её отчёт наставника назовёт программу выполненной в полном объёме. "
        "Проверьте код пары; если пара прекратила работу, укажите «завершена досрочно» и "
        "причину."
    )


def test_results_of_some_pairs_say_what_the_final_report_waits_for(year, tmp_path):  # noqa: F811
    done = ["П-01", "завершена", None, "Проведено 20 встреч, открытый урок"]
    may = write_workbook(tmp_path / "май.xlsx", {"Итоги": [RESULT_HEADER, done]})
    checked = dry_run(year, may)
    assert [str(w) for w in checked.report.warnings] == [early("П-01"), WAITS]
    made = process_workbook(year, may)
    assert made.outcome == Outcome.DONE, made.message
    assert [(e.kind, e.subject) for e in made.entries] == [("report_pair", "П-01")]
    assert [str(w) for w in made.report.warnings] == [early("П-01"), WAITS]
    assert made.message.endswith("Предупреждений: 2.")
    last = ["П-02", "завершена", None, "Проведено 18 встреч"]
    june = process_workbook(
        year, write_workbook(tmp_path / "июнь.xlsx", {"Итоги": [RESULT_HEADER, last]})
    )
    assert [(e.kind, e.subject) for e in june.entries] == [
        ("report_pair", "П-02"),
        ("report_final", "МБОУ Идринская СОШ"),
    ]
    assert [str(w) for w in june.report.warnings] == [early("П-02")]


def test_the_final_reports_statuses_are_judged_by_the_batchs_day(year, tmp_path):  # noqa: F811
    """Commit 4fe6442: a pair without «Итоги» is «срок истёк» or «реализуется» by the day of
    the batch that makes the final report (Register.today, which decided the report was due),
    not by the calendar's. Judged by the calendar, a report planned for 1 June of a year still
    ahead called П-02, ended 31 May, «реализуется» in the very report made because its term
    had ended (left17: the commit had no test; this one fails without it)."""
    from datetime import date

    from service.documents.planning import plan_documents
    from service.register.db import session_scope

    done = ["П-01", "завершена", None, "Проведено 20 встреч, открытый урок"]
    may = write_workbook(tmp_path / "май.xlsx", {"Итоги": [RESULT_HEADER, done]})
    assert process_workbook(year, may).outcome == Outcome.DONE
    with session_scope(year.database_url) as session:
        planned = plan_documents(session, today=date(Y + 1, 6, 1))
    [report] = [p for p in planned if p.kind.id == "report_final"]
    ended = "срок истёк (итоги не представлены)"
    assert {"status": ended, "count": 1} in report.context["stats"]["by_status"]
    assert [p.get("unreported") for p in report.context["pairs"]] == [None, ended]
