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
from tests.test_event_order_stands import COUNT
from tests.test_year_results import current_text
from tests.workbooks import MENTEE_HEADER, problems_at, read_sheets, valid_sheets, write_workbook

PETROVA = "Петрова Анна Сергеевна"


def listed_twice(settings, tmp_path, **more):
    """The workbook: Петрова (Н-01) mentors Смирнов and is mentored by Белова (Н-02) as У-02
    (``more``: other sheets, by name)."""
    sheets = valid_sheets() | more
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


ALSO_MENTEE = (
    f"{PETROVA} (14.03.1980) {{where}}: эта строка добавит её ещё и как наставляемую — "
    "отдельного участника со своими согласиями на обработку персональных данных. Если строка "
    "попала сюда по ошибке, удалите её; если она и наставник, и наставляемый, предупреждение "
    "можно не учитывать."
)


def test_a_mentor_pasted_into_the_mentees_is_warned_of(settings, tmp_path):
    """The secretary's mistake: the mentor's row pasted into «Наставляемые» too. Taken (a
    teacher may be mentored while she mentors: her consents as a mentee are made), with a
    warning at the row — on the same workbook's «Наставники» row, or on the register's mentor;
    once: a workbook listing her again on both sheets says nothing."""
    petrova = ["У-02", PETROVA, date(1980, 3, 14), "педагог", "учитель математики", None]
    sheets = valid_sheets()
    sheets["Наставляемые"].append(petrova)
    _, report = read_sheets(tmp_path, sheets)
    assert [(p.severity, p.message) for p in problems_at(report, "Наставляемые", 3, "ФИО")] == [
        ("warning", ALSO_MENTEE.format(where="есть и на листе «Наставники» (строка 2)"))
    ]
    assert process_workbook(settings, write_workbook(tmp_path / "1.xlsx", valid_sheets()))
    later = {"Наставляемые": [MENTEE_HEADER, petrova]}
    result = process_workbook(settings, write_workbook(tmp_path / "2.xlsx", later))
    assert result.outcome == Outcome.DONE, result.message
    assert [p.message for p in problems_at(result.report, "Наставляемые", 2, "ФИО")] == [
        ALSO_MENTEE.format(where="уже есть в реестре как наставник (Н-01)")
    ]
    both = {**later, "Наставники": valid_sheets()["Наставники"]}
    again = process_workbook(settings, write_workbook(tmp_path / "3.xlsx", both))
    assert again.outcome == Outcome.DONE, again.message
    assert problems_at(again.report, "Наставляемые") == []


def test_a_mentor_who_is_a_mentee_is_one_participant(settings, tmp_path):
    """Play21: the order on the final event and the final report counted register rows, so
    Петрова, mentor of П-01 and mentee of П-02, was two of the year's participants."""
    event = [["Параметр", "Значение"], ["Дата", date(2024, 5, 24)], ["Форма", "круглый стол"],
             ["Место", "актовый зал"], ["Ответственный", "Бутрина Ольга Николаевна"]]  # fmt: skip
    results = [["Код пары", "Статус", "Причина", "Достигнутые результаты"],
               ["П-01", "завершена", None, "Проведено 8 встреч"],
               ["П-02", "завершена", None, "Аттестация пройдена"]]  # fmt: skip
    listed_twice(settings, tmp_path, **{"Итоговое мероприятие": event, "Итоги": results})
    order = current_text(settings, "order_final_event")
    # Петрова, Смирнов (П-01), Белова (П-02): three people, four rows of the register
    assert COUNT.format("2 пары (группы), 3 участника") in order
    report = current_text(settings, "report_final")
    assert "наставнических пар и групп\xa0— 2, участников\xa0— 3 (наставников\xa0— 2, " in report
