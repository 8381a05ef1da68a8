"""A pair's «Итоги» given again with only the columns at hand keep what the register holds:
play20 — a June workbook correcting П-03's «Достигнутые результаты» with the four required
columns erased its «Выводы», monitoring scores and SWOT («выводы «…» → —»), made its mentor's
report and the year's final report again without them, and changed the final report's
averages. As for people and pairs (docs/intake.md), an empty optional cell erases nothing."""

from __future__ import annotations

from sqlalchemy import select

from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Pair, Result
from tests.test_signing_workflow import school  # noqa: F401
from tests.workbooks import write_workbook

ACHIEVED = "Проведено 24 встречи, каждый наставляемый дал открытый урок"


def result_of(settings, code: str) -> tuple:
    with session_scope(settings.database_url) as s:
        result = s.scalars(select(Result).join(Pair).where(Pair.code == code)).one()
        return (
            result.status,
            result.achieved,
            result.conclusions,
            result.proposals,
            dict(result.scores),
            dict(result.swot),
        )


def test_results_given_again_with_fewer_columns_keep_the_rest(school, tmp_path):  # noqa: F811
    status, _, conclusions, proposals, scores, swot = result_of(school, "П-01")
    assert conclusions and proposals and len(scores) == 6 and len(swot) == 4
    sheets = {
        "Итоги": [
            ["Код пары", "Статус", "Причина", "Достигнутые результаты"],
            ["П-01", "завершена", None, ACHIEVED],
        ]
    }
    result = process_workbook(school, write_workbook(tmp_path / "июнь.xlsx", sheets))
    assert result.outcome == Outcome.DONE, result.message
    assert result_of(school, "П-01") == (status, ACHIEVED, conclusions, proposals, scores, swot)
