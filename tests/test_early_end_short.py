"""A pair that stopped within three months of its start could not be recorded (play22: П-04
began 15.09.2026, its mentee moved to another school on 04.12.2026; the December workbook
moved its «Дата окончания» to 04.12.2026, as docs/intake.md asks, with «Итоги» «завершена
досрочно» — and the whole workbook, its new pair too, was refused: «Программа с 15.09.2026 по
04.12.2026 короче 3 месяцев … Дата окончания должна быть не раньше 14.12.2026»). The 3 months
to 1 year of seed 000 §1 are the term a programme is planned and approved for; a signed
programme that stops early is completed, not planned (seed 000 §7). Before the order on pairs is
signed the date is a correction of the plan, and the rule holds."""

from __future__ import annotations

from datetime import date

from tests.signing_calls import sign_documents
from tests.test_signing_workflow import DIRECTOR_PASSWORD, doc_id, school  # noqa: F401
from tests.test_year_results import PAIR_HEADER, RESULT_HEADER, Outcome, p02, process

STOPPED = [RESULT_HEADER, ["П-02", "завершена досрочно", "переезд семьи", "Проведено 4 встречи"]]
SHORT = "короче 3 месяцев"


def test_a_signed_pair_stopping_within_three_months_is_taken(school, tmp_path):  # noqa: F811
    # П-02 begins 09.10.2023; it stops on 01.12.2023
    moved = {"Пары": [PAIR_HEADER, p02(date(2023, 12, 1))], "Итоги": STOPPED}
    refused = process(school, tmp_path / "1.xlsx", moved)
    assert refused.outcome == Outcome.REJECTED  # the order not signed: a plan of under 3 months
    assert [p.message for p in refused.report.errors if SHORT in p.message] != []
    signed = sign_documents(school, "director", [doc_id(school, "order_pairs")], DIRECTOR_PASSWORD)
    assert [r.message for r in signed if not r.ok] == []
    taken = process(school, tmp_path / "2.xlsx", moved)
    assert taken.outcome == Outcome.DONE, taken.message
    assert [p.message for p in taken.report.errors] == []
    assert ("report_pair", "П-02") in [(e.kind, e.subject) for e in taken.entries]
