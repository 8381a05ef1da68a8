"""A mentor's new position in the middle of the year (play15: «педагог-организатор» made
«советник директора по воспитанию» in March) does not make the signed order on pairs, the
signed training order and the programme the director approved new versions to sign again —
new orders voiding the signed ones: they were true when signed, as under a new director.
What is not signed yet (the mentor's consent, on paper) prints the new position."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from service.register.db import session_scope
from service.register.models import Document
from tests.signing_calls import sign_documents
from tests.test_signing_workflow import DIRECTOR_PASSWORD, doc_id, school  # noqa: F401
from tests.test_year_results import Outcome, process

MENTOR_HEADER = ["Код", "ФИО", "Дата рождения", "Категория", "Должность или класс"]
MENTOR_HEADER += ["Внешний наставник"]
PETROVA = ["Н-01", "Петрова Анна Сергеевна", date(1980, 3, 14), "педагог"]


def versions(settings) -> dict[tuple[str, str], list[tuple[int, str]]]:
    with session_scope(settings.database_url) as s:
        rows = s.execute(
            select(Document.kind, Document.subject_label, Document.version, Document.status)
            .where(
                Document.kind.in_(["order_pairs", "order_training", "program", "mentor_consent"])
            )
            .order_by(Document.version)
        )
        found: dict[tuple[str, str], list[tuple[int, str]]] = {}
        for kind, subject, version, status in rows:
            found.setdefault((kind, subject), []).append((version, str(status)))
        return found


def test_signed_documents_stand_when_a_mentors_position_changes(school, tmp_path):  # noqa: F811
    with session_scope(school.database_url) as s:
        programme = s.scalars(
            select(Document.id).where(Document.kind == "program", Document.subject_label == "П-01")
        ).one()
    wanted = [doc_id(school, "order_pairs"), doc_id(school, "order_training"), programme]
    signed = sign_documents(school, "director", wanted, DIRECTOR_PASSWORD)
    assert [r.message for r in signed if not r.ok] == []
    mentors = [MENTOR_HEADER, [*PETROVA, "заместитель директора по УВР", "нет"]]
    changed = process(school, tmp_path / "март.xlsx", {"Наставники": mentors})
    assert changed.outcome == Outcome.DONE, changed.message
    found = versions(school)
    assert found["order_pairs", "МБОУ Идринская СОШ"] == [(1, "signed")]
    assert found["order_training", "МБОУ Идринская СОШ"] == [(1, "signed")]
    assert found["program", "П-01"] == [(1, "awaiting_signature")]
    assert found["mentor_consent", "Петрова Анна Сергеевна"] == [
        (1, "superseded"),
        (2, "generated"),
    ]
    assert sorted(e.kind for e in changed.entries) == ["mentor_consent", "report_pair"]
