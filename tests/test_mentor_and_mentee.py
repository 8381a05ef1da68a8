"""The same person on «Наставники» and on «Наставляемые» (ФИО and date of birth alike, a Код on
each sheet): two people of the register, each with consents of his own — «в качестве
наставника», «в качестве наставляемой». Play20: both were labelled «Петрова Анна Сергеевна
(14.03.1980)», so the secretary's page of scans showed two rows alike for two different
papers, and the batch's page (and its ZIP) listed one document of each kind, not two."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Batch, Document
from service.register.queries import batch_documents
from tests.workbooks import MENTEE_HEADER, valid_sheets, write_workbook

PETROVA = "Петрова Анна Сергеевна"


def listed_twice(settings, tmp_path):
    """The workbook: Петрова (Н-01) mentors Смирнов and is mentored by Белова (Н-02) as У-02."""
    sheets = valid_sheets()
    sheets["Наставники"].append(
        ["Н-02", "Белова Елена Викторовна", date(1972, 11, 8), "педагог",
         "учитель русского языка", None, "нет", None, None]
    )  # fmt: skip
    sheets["Наставляемые"] = [
        MENTEE_HEADER,
        *sheets["Наставляемые"][1:],
        ["У-02", PETROVA, date(1980, 3, 14), "педагог", "учитель математики", None],
    ]
    sheets["Пары"].append(
        ["П-02", "Н-02", "У-02", "Учитель – учитель", None, date(2023, 10, 1),
         date(2024, 5, 31), "Подготовка к аттестации"]
    )  # fmt: skip
    result = process_workbook(settings, write_workbook(tmp_path / "книга.xlsx", sheets))
    assert result.outcome == Outcome.DONE, result.message
    return result


def test_the_same_persons_documents_as_mentor_and_as_mentee_are_told_apart(settings, tmp_path):
    result = listed_twice(settings, tmp_path)
    with session_scope(settings.database_url) as s:
        documents = s.execute(
            select(Document.kind, Document.subject_label, Document.file_name)
            .where(Document.subject_label.like(f"{PETROVA}%"))
            .order_by(Document.kind, Document.subject_label)
        ).all()
    assert [(kind, label) for kind, label, _ in documents] == [
        ("consent_adult", f"{PETROVA} (14.03.1980, наставляемая)"),
        ("consent_adult", f"{PETROVA} (14.03.1980, наставник)"),
        ("consent_dissemination", f"{PETROVA} (14.03.1980, наставляемая)"),
        ("consent_dissemination", f"{PETROVA} (14.03.1980, наставник)"),
        ("mentor_consent", f"{PETROVA} (14.03.1980, наставник)"),
    ]
    assert len({name for _, _, name in documents}) == 5
    with session_scope(settings.database_url) as s:
        listed = batch_documents(s, s.get(Batch, result.batch_id))
        assert len(listed) == len(result.entries) == len({d.id for d in listed})


def test_a_batch_whose_documents_bear_one_label_lists_each(settings, tmp_path):
    """A batch recorded before the labels told the two apart (its manifest and documents bear
    one label): its page and its ZIP list every document it made, each once."""
    result = listed_twice(settings, tmp_path)
    old = f"{PETROVA} (14.03.1980)"
    with session_scope(settings.database_url) as s:
        for document in s.scalars(
            select(Document).where(Document.subject_label.like(f"{PETROVA}%"))
        ):
            document.subject_label = old
        batch = s.get(Batch, result.batch_id)
        entries = [
            {**e, "subject": old} if e["subject"].startswith(PETROVA) else e
            for e in batch.manifest["entries"]
        ]
        batch.manifest = {**batch.manifest, "entries": entries}
    with session_scope(settings.database_url) as s:
        listed = batch_documents(s, s.get(Batch, result.batch_id))
        assert len({d.id for d in listed}) == len(listed) == len(result.entries)
        assert sorted(d.sha256 for d in listed) == sorted(e.sha256 for e in result.entries)
