"""What the director signs has no blanks: the signed versions, read back from the store, carry
the order's number and date, the approval date and the council's protocol (issue 12, point 1)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from service.documents.russian import format_date as date_text
from service.documents.text import docx_text
from service.register.db import session_scope
from service.register.models import Document, DocumentStatus
from service.signing.workflow import pending_documents
from service.store import FileStore
from tests.archive_school import CURATOR_PASSWORD, DIRECTOR_PASSWORD, demo_school_with_signers
from tests.signing_calls import sign_documents

NBSP = "\u00a0"


def format_date(day: date, style: str = "long") -> str:
    """``day`` as a document prints it: the day joined to its month by a no-break space
    (:mod:`service.documents.typeset`), «03 декабря 2026 г.»."""
    return date_text(day, style).replace(" ", NBSP, 1)


BLANK_DATE = f"«____»{NBSP}____________{NBSP}20___{NBSP}г."
APPENDICES = {"roadmap": 1, "regulation": 2, "target_model": 3}


@pytest.fixture
def school(homes, database_kind, tmp_path, request):
    """A copy of the demo school with the director's and the curator's keys (tests/homes.py)."""
    return homes.copy(request, demo_school_with_signers, database_kind, tmp_path / "home")


def ids(settings, kind: str) -> list[int]:
    with session_scope(settings.database_url) as s:
        return list(
            s.scalars(
                select(Document.id)
                .where(Document.kind == kind, Document.status != DocumentStatus.SUPERSEDED)
                .order_by(Document.id)
            )
        )


def signed_text(settings, document_id: int) -> str:
    """The text of the bytes the director's signature covers."""
    with session_scope(settings.database_url) as s:
        document = s.get(Document, document_id)
        assert "director" in {sig.role for sig in document.signatures}
        digest = document.sha256
    return docx_text(FileStore(settings.store_dir).get(digest))


def signed_on(settings, document_id: int, role: str) -> date:
    """The day of ``role``'s signature in the register: the date the signed text must carry
    (not the test's own clock, which may read the next day after a signature at midnight)."""
    with session_scope(settings.database_url) as s:
        document = s.get(Document, document_id)
        (signature,) = [sig for sig in document.signatures if sig.role == role]
        return signature.signed_at.date()


def test_appendices_signed_with_their_order_carry_its_number_and_date(school):
    (order,) = ids(school, "order_implementation")
    appendices = {kind: ids(school, kind)[0] for kind in APPENDICES}
    # the director ticks everything; the appendices come first in the list
    before = date.today()
    results = sign_documents(school, "director", [*appendices.values(), order], DIRECTOR_PASSWORD)
    assert [r.ok for r in results] == [True, True, True, True], [r.message for r in results]
    number = results[-1].number
    assert number
    day = signed_on(school, order, "director")
    assert before <= day <= date.today()  # the day of the signing, by the product's clock
    when = format_date(day)
    order_text = signed_text(school, order)
    assert f"{when} | №{NBSP}{number}" in order_text
    for kind, n in APPENDICES.items():
        text = signed_text(school, appendices[kind])
        assert "____»" not in text and "№ ___" not in text and f"№{NBSP}___" not in text, kind
        lines = text.splitlines()
        at = lines.index(f"Приложение {n}")
        assert lines[at : at + 4] == [
            f"Приложение {n}",
            "к приказу МБОУ Идринская СОШ",
            f"от {when} №{NBSP}{number}",
            "«О внедрении целевой модели наставничества»",
        ], kind
        # «УТВЕРЖДАЮ» carries the signing date
        assert format_date(signed_on(school, appendices[kind], "director"), "form") in text, kind
    regulation = signed_text(school, appendices["regulation"])
    assert f"Введено в действие приказом МБОУ Идринская СОШ от {when} №{NBSP}{number}" in regulation
    assert (
        f"ПРИНЯТОна заседании педагогического совета МБОУ Идринская СОШпротокол от 30.08.2023 "
        f"№{NBSP}1"
    ) in regulation


def test_an_appendix_before_its_order_is_refused_with_the_way_out(school):
    (order,) = ids(school, "order_implementation")
    (regulation,) = ids(school, "regulation")
    (result,) = sign_documents(school, "director", [regulation], DIRECTOR_PASSWORD)
    assert not result.ok
    assert result.message == (
        "«Положение о наставничестве» — приложение 2 к приказу «О внедрении целевой модели "
        f"наставничества»: сначала подпишите приказ (документ № {order}), затем приложение — "
        "в приложение войдут номер и дата приказа. Приказ и приложения можно подписать вместе, "
        "одним действием."
    )
    with session_scope(school.database_url) as s:
        assert s.get(Document, regulation).status == DocumentStatus.AWAITING_SIGNATURE
    # after the order, the appendix signs
    sign_documents(school, "director", [order], DIRECTOR_PASSWORD)
    (result,) = sign_documents(school, "director", [regulation], DIRECTOR_PASSWORD)
    assert result.ok, result.message


def test_a_program_is_approved_by_the_director_before_the_curator_signs(school):
    program = ids(school, "program")[0]
    with session_scope(school.database_url) as s:
        assert program not in {d.id for d in pending_documents(s, "curator")}
    (early,) = sign_documents(school, "curator", [program], CURATOR_PASSWORD)
    assert not early.ok
    assert early.message == (
        "«Персонализированная программа наставничества» сначала утверждает руководитель: "
        "ваша подпись ставится после его подписи (даты утверждения)."
    )
    (approved,) = sign_documents(school, "director", [program], DIRECTOR_PASSWORD)
    assert approved.ok, approved.message
    with session_scope(school.database_url) as s:
        assert program in {d.id for d in pending_documents(s, "curator")}
    (curator,) = sign_documents(school, "curator", [program], CURATOR_PASSWORD)
    assert curator.ok, curator.message
    text = signed_text(school, program)
    lines = text.splitlines()
    at = lines.index("УТВЕРЖДАЮ")
    assert lines[at : at + 4] == [
        "УТВЕРЖДАЮ",
        "Директор МБОУ Идринская СОШ",
        f"____________ Т.И.{NBSP}Кинякина",
        format_date(signed_on(school, program, "director"), "form"),
    ]
    assert BLANK_DATE not in text
    # the participants sign on paper: their lines stay for the pen
    assert f"Наставник | _____________ | А.С.{NBSP}Петрова" in text


def test_the_final_report_is_dated_by_its_first_signature(school):
    (report,) = ids(school, "report_final")
    (curator,) = sign_documents(school, "curator", [report], CURATOR_PASSWORD)
    assert curator.ok, curator.message
    (director,) = sign_documents(school, "director", [report], DIRECTOR_PASSWORD)
    assert director.ok, director.message
    text = signed_text(school, report)
    assert BLANK_DATE not in text
    lines = text.splitlines()
    first = format_date(signed_on(school, report, "curator"))
    assert lines[lines.index(first) + 1].startswith("Заместитель директора")


def test_the_contract_the_director_signs_is_dated(school):
    (contract,) = ids(school, "contract_external")
    (result,) = sign_documents(school, "director", [contract], DIRECTOR_PASSWORD)
    assert result.ok, result.message
    text = signed_text(school, contract)
    lines = text.splitlines()
    assert lines[:3] == [
        "ДОГОВОР",
        "о сотрудничестве на безвозмездной основе",
        f"с.{NBSP}Идринское | {format_date(signed_on(school, contract, 'director'), 'form')}",
    ]
    assert "№ ___" not in text and f"№{NBSP}___" not in text


def test_the_mentors_report_is_dated_by_the_curators_signature(school):
    report = ids(school, "report_pair")[0]
    (result,) = sign_documents(school, "curator", [report], CURATOR_PASSWORD)
    assert result.ok, result.message
    with session_scope(school.database_url) as s:
        digest = s.get(Document, report).sha256
    text = docx_text(FileStore(school.store_dir).get(digest))
    assert (
        BLANK_DATE not in text
        and format_date(signed_on(school, report, "curator")) in text.splitlines()
    )


CITED = "«О внедрении целевой модели наставничества»"


def test_the_coordinators_order_cites_the_implementation_order_by_number_and_date(school):
    """The curator «назначена приказом «О внедрении…»» had no number or date (docs11): the
    coordinators order, ticked before the implementation order, is signed after it and cites
    it as an office does — «приказом от 02.12.2026 № 1/26 «О внедрении…»»."""
    (coordinators,) = ids(school, "order_coordinators")
    (implementation,) = ids(school, "order_implementation")
    draft = docx_text(FileStore(school.store_dir).get(_sha256(school, coordinators)))
    assert (
        "3. Куратору внедрения целевой модели наставничества Бутриной Ольге Николаевне "
        f"(назначена приказом от {BLANK_DATE} №{NBSP}_______ {CITED}):\n"
    ) in draft
    results = sign_documents(school, "director", [coordinators, implementation], DIRECTOR_PASSWORD)
    assert [r.ok for r in results] == [True, True], [r.message for r in results]
    day = signed_on(school, implementation, "director")
    text = signed_text(school, coordinators)
    assert (
        "3. Куратору внедрения целевой модели наставничества Бутриной Ольге Николаевне "
        f"(назначена приказом от {day:%d.%m.%Y} №{NBSP}{results[1].number} {CITED}):\n"
    ) in text
    assert int(results[1].number.split("/")[0]) + 1 == int(results[0].number.split("/")[0])


def test_an_order_signed_before_the_one_it_cites_says_so_and_stays_as_signed(school):
    """Signed alone, before the implementation order, the coordinators order cannot carry its
    number: it says, with no blank, that the order is not signed yet. Signing the
    implementation order afterwards changes nothing in it, and the next workbook makes no
    new version of it."""
    from service.intake.demo import write_demo_workbook
    from service.pipeline import Outcome, process_workbook

    (coordinators,) = ids(school, "order_coordinators")
    (implementation,) = ids(school, "order_implementation")
    (result,) = sign_documents(school, "director", [coordinators], DIRECTOR_PASSWORD)
    assert result.ok, result.message
    signed = _sha256(school, coordinators)
    assert (
        "3. Куратору внедрения целевой модели наставничества Бутриной Ольге Николаевне "
        f"(назначается приказом {CITED}, не подписанным на дату настоящего приказа):\n"
    ) in signed_text(school, coordinators)
    (result,) = sign_documents(school, "director", [implementation], DIRECTOR_PASSWORD)
    assert result.ok, result.message
    workbook = school.home / "снова.xlsx"
    write_demo_workbook(workbook)
    again = process_workbook(school, workbook)
    assert again.outcome == Outcome.DONE, again.message
    assert "order_coordinators" not in {e.kind for e in again.entries}
    assert _sha256(school, coordinators) == signed
    assert ids(school, "order_coordinators") == [coordinators]


def _sha256(settings, document_id: int) -> str:
    with session_scope(settings.database_url) as s:
        return s.get(Document, document_id).sha256
