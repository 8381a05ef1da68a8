"""The order on pairs made again after a pair ended early (play22). In December a mentee moved
to another school — «Итоги» «завершена досрочно» — and the same workbook added a new pair: the
new order, «Признать утратившим силу» the one signed in September, approved again the pair that
had ended, «с 15.09.2026 по 25.05.2027», a week after its mentee had left. An early end alone
still leaves the signed order standing (seed 000 §7 asks for no order; the mentor's report
records it); an order made again for a reason of its own lists the pairs of its own day, as
the order on the final event counts them (:mod:`service.documents.event_count`)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from service.register.db import session_scope
from service.register.models import Document
from tests.signing_calls import sign_documents
from tests.test_signing_workflow import DIRECTOR_PASSWORD, doc_id, school  # noqa: F401
from tests.test_year_register import docx_text_of
from tests.test_year_results import RESULT_HEADER, Outcome, process
from tests.workbooks import MENTEE_HEADER, PAIR_HEADER

ENDED = [RESULT_HEADER, ["П-03", "завершена досрочно", "перешёл в другую школу", "3 встречи"]]
NEW_MENTEE = [
    MENTEE_HEADER,
    ["У-06", "Ёлкина Варвара Никитична", date(2011, 5, 20), "обучающийся", "7 Б",
     "Ёлкин Никита Львович"],
]  # fmt: skip
NEW_PAIR = [
    PAIR_HEADER,
    ["П-05", "Н-02", "У-06", "Учитель – ученик", None, date(2024, 1, 15), date(2024, 5, 24),
     "Чтение"],
]  # fmt: skip


def pairs_orders(settings) -> list[tuple[int, str]]:
    with session_scope(settings.database_url) as s:
        rows = s.execute(
            select(Document.version, Document.status)
            .where(Document.kind == "order_pairs")
            .order_by(Document.version)
        )
        return [(version, str(status)) for version, status in rows]


def order_text(settings, version: int) -> str:
    with session_scope(settings.database_url) as s:
        sha256 = s.scalars(
            select(Document.sha256).where(
                Document.kind == "order_pairs", Document.version == version
            )
        ).one()
    return docx_text_of(settings, sha256)


def listed(text: str) -> list[str]:
    """The codes of the pairs the order's table lists."""
    return [line.split(" | ")[0] for line in text.splitlines() if line.startswith("П-")]


@pytest.mark.postgresql
def test_an_order_on_pairs_made_again_leaves_out_a_pair_ended_early(school, tmp_path):  # noqa: F811
    signed = sign_documents(school, "director", [doc_id(school, "order_pairs")], DIRECTOR_PASSWORD)
    assert [r.message for r in signed if not r.ok] == []
    assert listed(order_text(school, 1)) == ["П-01", "П-02", "П-03", "П-04"]
    # the early end alone: the signed order stands, П-03 in it as approved
    ended = process(school, tmp_path / "1.xlsx", {"Итоги": ENDED})
    assert ended.outcome == Outcome.DONE, ended.message
    assert pairs_orders(school) == [(1, "signed")]
    # a new pair: the order is made again, with the pairs of its day
    added = process(school, tmp_path / "2.xlsx", {"Наставляемые": NEW_MENTEE, "Пары": NEW_PAIR})
    assert added.outcome == Outcome.DONE, added.message
    assert pairs_orders(school) == [(1, "signed"), (2, "awaiting_signature")]
    text = order_text(school, 2)
    # П-04 of the demo ended early too (its mentee moved in April): listed by the first order,
    # approved while no order stood, it is left out with П-03
    assert listed(text) == ["П-01", "П-02", "П-05"]
    assert "Признать утратившим силу приказ" in text
    # signed, it stands when nothing else changes: the same sheets again make nothing
    with session_scope(school.database_url) as s:
        newest = s.scalars(
            select(Document.id).where(Document.kind == "order_pairs", Document.version == 2)
        ).one()
    signed = sign_documents(school, "director", [newest], DIRECTOR_PASSWORD)
    assert [r.message for r in signed if not r.ok] == []
    again = process(school, tmp_path / "3.xlsx", {"Итоги": ENDED, "Пары": NEW_PAIR})
    assert again.outcome == Outcome.DONE, again.message
    assert pairs_orders(school) == [(1, "signed"), (2, "signed")]
