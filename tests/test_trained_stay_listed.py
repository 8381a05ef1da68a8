"""A mentor the signed training order sent to its sessions stays listed: the order is not made
again — a new order voiding the signed one — only because the list of now leaves him out (a
mentor whose pair begins after the last session is no longer listed: d5348bc). A school
upgraded past that rule, whose signed order listed a mentor of a pair begun in December, got a
new training order at the next workbook (review17); so did a pair's start moved past the
sessions."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from service.pipeline import Outcome
from service.register.db import session_scope
from service.register.models import Document
from tests.signing_calls import sign_documents
from tests.test_signing_workflow import DIRECTOR_PASSWORD, doc_id, school  # noqa: F401
from tests.test_year_register import docx_text_of
from tests.test_year_results import process
from tests.workbooks import PAIR_HEADER

ORLOV = "Орлов Дмитрий Андреевич"
"""The demo's external mentor, of П-04 (from 01.11.2023; the last session is on 15.11.2023)."""


def p04(start: date) -> list:
    goal = "Профессиональная ориентация и выполнение индивидуального проекта"
    return ["П-04", "Н-03", "У-05", "Работодатель – ученик", None, start, date(2024, 4, 30), goal]


def training_orders(settings) -> list[tuple[int, str, str]]:
    with session_scope(settings.database_url) as s:
        rows = s.execute(
            select(Document.version, Document.status, Document.sha256)
            .where(Document.kind == "order_training")
            .order_by(Document.version)
        ).all()
    return [(version, str(status), sha) for version, status, sha in rows]


@pytest.mark.postgresql
def test_a_mentor_the_signed_training_order_sent_stays_listed(school, tmp_path):  # noqa: F811
    [signed] = sign_documents(
        school, "director", [doc_id(school, "order_training")], DIRECTOR_PASSWORD
    )
    assert signed.ok, signed.message
    [(_, _, sha)] = training_orders(school)
    appendix = docx_text_of(school, sha).split("Список наставников")[-1]
    assert ORLOV in appendix
    pairs = {"Пары": [PAIR_HEADER, p04(date(2023, 12, 1))]}
    moved = process(school, tmp_path / "декабрь.xlsx", pairs)
    assert moved.outcome == Outcome.DONE, moved.message
    assert "order_training" not in [e.kind for e in moved.entries]
    assert training_orders(school) == [(1, "signed", sha)]
