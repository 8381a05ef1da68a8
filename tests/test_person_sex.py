"""A person's «Пол» when the ФИО does not tell it: «Ким Сон Хи», a schoolgirl.

Without «Пол» the intake warns and the documents take her for a boy; with «ж» the documents
whose text speaks of her are made again — and only those — and what the director signs says
«Наставляемая», «несовершеннолетней обучающейся» and leaves her foreign name undeclined. The
same workbook with «Пол» empty keeps the register's «ж»: nothing is made again.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from service.documents.text import docx_text
from service.intake.demo import ORGANIZATION, write_filled_workbook
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Document, DocumentStatus, Person
from service.store import FileStore
from tests.archive_school import DIRECTOR_PASSWORD, demo_school_with_signers
from tests.signing_calls import sign_documents

KIM = "Ким Сон Хи"
KID = "person:14"
"""Her documents' subject: the demo has 13 people (4 mentors, 5 mentees, 4 guardians)."""
WARNING = (
    f"По ФИО «{KIM}» не понять, мужчина это или женщина: документы будут составлены как о "
    "мужчине («наставляемый», «ознакомлен»). Заполните столбец «Пол»: «м» или «ж» (если "
    "столбца нет, добавьте его)."
)


@pytest.fixture
def school(homes, database_kind, tmp_path, request):
    """A copy of the demo school with the director's and the curator's keys."""
    return homes.copy(request, demo_school_with_signers, database_kind, tmp_path / "home")


def workbook(folder, name: str, sex: str | None):
    """Ким Сон Хи, 7 А, in a new pair П-05 with the demo's mentor Белова Елена Викторовна."""
    mentee = {
        "Код": "У-06",
        "ФИО": KIM,
        "Дата рождения": date(2010, 6, 1),
        "Категория": "обучающийся",
        "Класс или должность": "7 А",
        "Законный представитель (ФИО)": "Ким Ольга Ивановна",
        "Телефон представителя": "+7 913 222-33-44",
    }
    if sex is not None:
        mentee["Пол"] = sex
    pair = {
        "Код пары": "П-05",
        "Наставник": "Белова Елена Викторовна",
        "Наставляемые": "У-06",
        "Форма": "Учитель – ученик",
        "Дата начала": date(2023, 10, 9),
        "Дата окончания": date(2024, 5, 24),
        "Цель": "Адаптация в новом классе",
    }
    path = folder / name
    write_filled_workbook(path, organization=ORGANIZATION, mentees=[mentee], pairs=[pair])
    return path


def current(settings) -> dict[tuple[str, str], tuple[int, int, str]]:
    """(kind, subject) → (id, version, text) of every document's current version."""
    store = FileStore(settings.store_dir)
    with session_scope(settings.database_url) as s:
        rows = s.scalars(select(Document).where(Document.status != DocumentStatus.SUPERSEDED))
        return {
            (d.kind, d.subject_key): (d.id, d.version, docx_text(store.get(d.sha256))) for d in rows
        }


def test_sex_given_for_a_foreign_name_remakes_her_documents_and_they_agree(school, tmp_path):
    first = process_workbook(school, workbook(tmp_path, "1.xlsx", None))
    assert first.outcome is Outcome.DONE, first.message
    assert [(p.sheet, p.row, p.column, p.message) for p in first.report.warnings] == [
        ("Наставляемые", 2, "Пол", WARNING)
    ]
    before = current(school)
    program, consent, dissemination = (
        ("program", "pair:5"),
        ("consent_guardian", KID),
        (
            "consent_dissemination",
            KID,
        ),
    )
    assert "Наставляемый | Ким Сон Хи (7\xa0А класс)" in before[program][2]
    # her Korean name declines for neither sex; the words around it take her for a boy
    assert (
        "несовершеннолетнего обучающегося 7\xa0А класса МБОУ Идринская СОШ Ким Сон Хи, "
        "01.06.2010 года рождения (далее\u00a0— Несовершеннолетний)"
    ) in before[consent][2]
    assert "законным представителем несовершеннолетнего Ким Сон Хи" in before[dissemination][2]

    second = process_workbook(school, workbook(tmp_path, "2.xlsx", " Жен. "))
    assert second.outcome is Outcome.DONE, second.message
    assert second.report.warnings == []
    after = current(school)
    assert after.keys() == before.keys()
    remade = sorted(k for k in after if after[k][1] != before[k][1])
    # exactly the documents whose text speaks of her, each a version up; the order of pairs
    # (her name in the nominative), the final report (initials) and her mentor's consent (her
    # name, which does not decline) stay as they were
    assert remade == [dissemination, consent, program]
    assert [after[k][1] - before[k][1] for k in remade] == [1, 1, 1]
    assert all(after[k][2] != before[k][2] for k in remade)
    with session_scope(school.database_url) as s:
        assert s.scalars(select(Person.sex).where(Person.full_name == KIM)).one() == "ж"
    text = after[consent][2]
    assert (
        "несовершеннолетней обучающейся 7\xa0А класса МБОУ Идринская СОШ Ким Сон Хи, "
        "01.06.2010 года рождения (далее\u00a0— Несовершеннолетняя)"
    ) in text
    assert "в интересах Несовершеннолетней даю согласие" in text
    assert "Несовершеннолетнего" not in text and "Несовершеннолетний" not in text
    assert "законным представителем несовершеннолетней Ким Сон Хи" in after[dissemination][2]
    assert "проживающей по адресу" in after[dissemination][2]
    # her mentor Белова (two mentees) consents to mentor «следующих наставляемых: – Ким Сон Хи…»
    line = "–\u00a0Ким Сон Хи (7\xa0А класс): наставническая пара П-05"
    assert line in after[("mentor_consent", "person:2")][2]
    assert "Наставляемая | _____________ | С.Х.\u00a0Ким" in after[program][2]
    # the director signs her programme: the signed bytes agree with her
    results = sign_documents(school, "director", [after[program][0]], DIRECTOR_PASSWORD)
    assert [r.ok for r in results] == [True], [r.message for r in results]
    with session_scope(school.database_url) as s:
        signed = s.get(Document, after[program][0])
        assert "director" in {sig.role for sig in signed.signatures}
        digest = signed.sha256
    signed_text = docx_text(FileStore(school.store_dir).get(digest))
    assert "Наставляемая | Ким Сон Хи (7\xa0А класс)" in signed_text
    assert "Наставляемый" not in signed_text

    # listed again with «Пол» empty: the register's «ж» stays, no warning, nothing made again
    # (the column is there, her cell blank: the first workbook again would be refused as a file
    # already processed when both were written within the same second)
    third = process_workbook(school, workbook(tmp_path, "3.xlsx", ""))
    assert third.outcome is Outcome.DONE, third.message
    assert third.report.warnings == []
    assert third.entries == []
    with session_scope(school.database_url) as s:
        assert s.scalars(select(Person.sex).where(Person.full_name == KIM)).one() == "ж"


def test_a_new_template_remakes_a_document_her_sex_does_not_show_in(school, tmp_path):
    """The order of pairs names her in the nominative: «Пол» alone does not make it again, but
    a school template installed for it does, as for everyone (the «Пол» comparison kept the
    version made by the old template, batch after batch)."""
    import io

    from docx import Document as Docx

    from tests.test_web_templates import TEMPLATES

    assert process_workbook(school, workbook(tmp_path, "1.xlsx", "ж")).outcome is Outcome.DONE
    before = current(school)
    order = next(k for k in before if k[0] == "order_pairs")
    doc = Docx(str(TEMPLATES / "order_pairs.docx"))
    doc.add_paragraph("Приказ издан по положению о наставничестве школы.")
    out = io.BytesIO()
    doc.save(out)
    school.school_templates.mkdir(parents=True, exist_ok=True)
    (school.school_templates / "order_pairs.docx").write_bytes(out.getvalue())
    again = process_workbook(school, workbook(tmp_path, "2.xlsx", " Жен. "))
    assert again.outcome is Outcome.DONE, again.message
    after = current(school)
    assert after[order][1] == before[order][1] + 1
    assert "Приказ издан по положению о наставничестве школы." in after[order][2]
