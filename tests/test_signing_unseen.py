"""What the director signs is the text she read: a school's template may not change the words
of a document when the signature adds its number and date (attack15: a clause under
``{% if doc.number %}`` was missing from the page before signing and stood in the signed
order)."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from docx import Document as Docx
from sqlalchemy import select

from service.documents.catalogue import BY_ID
from service.documents.render import render_template_file
from service.documents.sample import sample_context
from service.documents.template_files import install_template, school_template
from service.documents.text import docx_text
from service.documents.unchanged import unseen_change
from service.pipeline import process_workbook
from service.register.db import session_scope
from service.register.models import Document, DocumentStatus, JournalEntry
from service.store import FileStore
from tests.signing_calls import sign_documents
from tests.test_template_versions import TEMPLATES, resaved
from tests.web_school import KEY_PASSWORD


def with_paragraph(kind_id: str, text: str) -> bytes:
    doc = Docx(str(TEMPLATES / BY_ID[kind_id].template))
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def underlined_number(data: bytes) -> bytes:
    """The template ``data`` with its number underlined and bold, its blank «_______» plain,
    as schools write their orders (template16: the check and signing refused the look)."""
    out = io.BytesIO()
    number = "{{ doc.number }}{% else %}"
    underlined = (
        '</w:t></w:r><w:r><w:rPr><w:b/><w:sz w:val="28"/><w:u w:val="single"/></w:rPr>'
        '<w:t>{{ doc.number }}</w:t></w:r><w:r><w:rPr><w:b w:val="0"/><w:sz w:val="28"/>'
        "</w:rPr><w:t>{% else %}"
    )
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            part = zin.read(info)
            if info.filename == "word/document.xml":
                assert number.encode() in part
                part = part.replace(number.encode(), underlined.encode(), 1)
            zout.writestr(info, part)
    return out.getvalue()


def renewed_with(
    web_school, tmp_path, templates: dict[str, bytes], by_hand: dict[str, bytes]
) -> dict[str, int]:
    """Install the school's ``templates``, put ``by_hand`` into the templates folder (as an
    administrator may, past the check) and process the workbook again: the id of each kind's
    new version, awaiting signature."""
    settings = web_school.settings
    with session_scope(settings.database_url) as s:
        for kind, data in templates.items():
            assert install_template(s, settings, kind, data, actor="admin") == []
    for kind, data in by_hand.items():
        folder = school_template(settings, BY_ID[kind]).parent
        folder.mkdir(parents=True, exist_ok=True)
        school_template(settings, BY_ID[kind]).write_bytes(data)
    templates = {**templates, **by_hand}
    process_workbook(settings, resaved(web_school.workbook, tmp_path))
    with session_scope(settings.database_url) as s:
        return {
            kind: s.scalars(
                select(Document.id).where(
                    Document.kind == kind, Document.status == DocumentStatus.AWAITING_SIGNATURE
                )
            ).one()
            for kind in templates
        }


def test_a_clause_added_when_the_number_is_given_is_not_signed(web_school, tmp_path):
    """The pairs' order gets a clause under ``{% if doc.number %}``: refused, nothing taken. A
    school's own wording that does not depend on the requisites signs as before, and so does
    the coordinators' order whose cited order is not signed yet (the shipped template says so
    in words at signing, and so does the school's copy of it)."""
    settings = web_school.settings
    clause = "{% if doc.number %}9. Директору выплатить премию.{% endif %}"
    wording = "Формулировка школы: {{ org.short_name }}."
    ids = renewed_with(
        web_school,
        tmp_path,
        {"order_coordinators": underlined_number(with_paragraph("order_coordinators", wording))},
        {"order_pairs": with_paragraph("order_pairs", clause)},  # the check refuses it
    )
    store = FileStore(settings.store_dir)
    with session_scope(settings.database_url) as s:
        shown = docx_text(store.get(s.get(Document, ids["order_pairs"]).sha256))
    assert "премию" not in shown  # the text the director reads before signing

    refused, signed = sign_documents(
        settings, "director", [ids["order_pairs"], ids["order_coordinators"]], KEY_PASSWORD
    )
    assert not refused.ok
    assert refused.message == (
        f"Документ № {ids['order_pairs']} «Приказ об утверждении наставников и наставнических "
        "пар» не подписан: шаблон школы при подписи меняет его текст не только номером и "
        "датой — меняются слова «9», «Директору», «выплатить», «премию», а их нет в тексте, "
        "который показан перед подписью. Сообщите администратору: шаблон этого вида нужно "
        "исправить или вернуть стандартный (страница «Шаблоны»), после чего обработать книгу "
        "школы."
    )
    assert signed.ok, signed.message
    with session_scope(settings.database_url) as s:
        document = s.get(Document, ids["order_pairs"])
        assert (document.status, document.number, document.signatures) == (
            DocumentStatus.AWAITING_SIGNATURE,
            None,
            [],
        )
        numbered = s.scalars(select(JournalEntry.document_id)).all()
        assert numbered == [ids["order_coordinators"]]  # no number taken by the refused one
        coordinators = store.get(s.get(Document, ids["order_coordinators"]).sha256)
    assert "не подписанным на дату настоящего приказа" in docx_text(coordinators)


def test_a_word_of_the_shipped_change_elsewhere_is_not_allowed(tmp_path):
    """The coordinators' order says «назначается приказом …, не подписанным на дату
    настоящего приказа» when its cited order is not signed: that change is allowed whole, not
    its words anywhere — «не» before «назначен» would turn a sentence round."""
    shipped = TEMPLATES / BY_ID["order_coordinators"].template
    context = sample_context("order_coordinators")
    fields = {"number": "3/26", "date": date(2026, 9, 1), "cited": {"number": "", "date": ""}}
    signed = {**context, "doc": {**context["doc"], **fields}}
    for text, unseen in [
        ("Координатор {% if doc.number %}не {% endif %}назначается.", ["не"]),
        ("Формулировка школы.", []),
    ]:
        path = tmp_path / "order_coordinators.docx"
        path.write_bytes(with_paragraph("order_coordinators", text))
        before = render_template_file(path, context)
        after = render_template_file(path, signed)
        assert unseen_change(path.read_bytes(), shipped, context, fields, before, after) == unseen


def with_struck_clause(kind_id: str) -> bytes:
    """The kind's template with «Приказ вводится в действие.» plain before signing and struck
    out once the number is given: the words the same, their look not."""
    doc = Docx(str(TEMPLATES / BY_ID[kind_id].template))
    paragraph = doc.add_paragraph()
    paragraph.add_run("{% if doc.number %}")
    paragraph.add_run("Приказ вводится в действие.").font.strike = True
    paragraph.add_run("{% else %}Приказ вводится в действие.{% endif %}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_clause_struck_out_when_the_number_is_given_is_not_signed(web_school, tmp_path):
    """review15: the words unchanged, the signing guard took a clause the director read plain
    that the signed order had struck out (and the check took the template): the page shows no
    formatting. The look before and after signing is compared too."""
    ids = renewed_with(web_school, tmp_path, {}, {"order_pairs": with_struck_clause("order_pairs")})
    (refused,) = sign_documents(web_school.settings, "director", [ids["order_pairs"]], KEY_PASSWORD)
    assert not refused.ok
    assert refused.message == (
        f"Документ № {ids['order_pairs']} «Приказ об утверждении наставников и наставнических "
        "пар» не подписан: шаблон школы при подписи меняет оформление его текста "
        "(зачёркивание, цвет, размер…), а не только номер и дату: подписанный документ "
        "выглядел бы иначе, чем прочитанный перед подписью. Сообщите администратору: шаблон "
        "этого вида нужно исправить или вернуть стандартный (страница «Шаблоны»), после чего "
        "обработать книгу школы."
    )
    with session_scope(web_school.settings.database_url) as s:
        document = s.get(Document, ids["order_pairs"])
        assert (document.status, document.number) == (DocumentStatus.AWAITING_SIGNATURE, None)
