"""A changed template and the register (issue 13.6): each version records its template's
SHA-256; a school's template gives new versions only to unsigned documents, the next time a
workbook touches them; signed versions stay as signed."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from docx import Document as Docx
from openpyxl import load_workbook
from sqlalchemy import select

from service.documents.catalogue import BY_ID
from service.documents.template_files import install_template, reset_template
from service.documents.text import docx_text
from service.pipeline import process_workbook
from service.register.db import session_scope
from service.register.models import Document, DocumentStatus
from service.store import FileStore
from tests import cli
from tests.signing_calls import sign_documents
from tests.web_school import KEY_PASSWORD

TEMPLATES = Path(__file__).resolve().parent.parent / "templates_docx"
WORDING = "Формулировка школы: {{ org.short_name }}."


def own_template(kind_id: str) -> bytes:
    doc = Docx(str(TEMPLATES / BY_ID[kind_id].template))
    doc.add_paragraph(WORDING)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def versions(settings, kind: str) -> list[tuple[int, str, str | None]]:
    with session_scope(settings.database_url) as s:
        return [
            (d.version, d.status, d.template_sha256)
            for d in s.scalars(
                select(Document).where(Document.kind == kind).order_by(Document.version)
            )
        ]


def resaved(workbook: Path, folder: Path) -> Path:
    """The same data saved again (other bytes): a workbook that touches every document."""
    book = load_workbook(workbook)
    # Two saves within one second would give the same bytes, and the same file twice is
    # «уже обработан»: the folder's name makes each copy a file of its own.
    book.properties.description = str(folder)
    folder.mkdir(exist_ok=True)
    path = folder / "снова.xlsx"
    book.save(path)
    return path


def test_a_school_template_renews_only_unsigned_documents(web_school, tmp_path):
    settings = web_school.settings
    shipped = hashlib.sha256((TEMPLATES / "order_pairs.docx").read_bytes()).hexdigest()
    assert versions(settings, "order_pairs") == [(1, DocumentStatus.AWAITING_SIGNATURE, shipped)]
    signed_id = web_school.doc_id("order_implementation")
    (result,) = sign_documents(settings, "director", [signed_id], KEY_PASSWORD)
    assert result.ok
    before_signed = versions(settings, "order_implementation")

    ours = {k: own_template(k) for k in ("order_pairs", "order_implementation")}
    with session_scope(settings.database_url) as s:
        for kind, data in ours.items():
            assert install_template(s, settings, kind, data, actor="admin") == []
    school = {k: hashlib.sha256(d).hexdigest() for k, d in ours.items()}

    outcome = process_workbook(settings, resaved(web_school.workbook, tmp_path))
    assert [e.kind for e in outcome.entries] == ["order_pairs"]
    assert versions(settings, "order_implementation") == before_signed
    assert versions(settings, "order_pairs") == [
        (1, DocumentStatus.SUPERSEDED, shipped),
        (2, DocumentStatus.AWAITING_SIGNATURE, school["order_pairs"]),
    ]
    text = docx_text((outcome.folder / outcome.entries[0].file).read_bytes())
    assert "Формулировка школы: МБОУ Идринская СОШ." in text
    assert FileStore(settings.store_dir).get(school["order_pairs"]) == ours["order_pairs"]

    listed = cli.nastavnik(
        "--home", str(settings.home), "documents", "--kind", "order_pairs", "--json"
    )
    assert (listed.returncode, listed.stderr) == (0, "")
    (current,) = json.loads(listed.stdout)
    assert current["template_sha256"] == school["order_pairs"]

    with session_scope(settings.database_url) as s:
        assert reset_template(s, settings, "order_pairs", actor="admin")
    outcome = process_workbook(settings, resaved(web_school.workbook, tmp_path / "again"))
    assert versions(settings, "order_pairs")[-1] == (3, DocumentStatus.AWAITING_SIGNATURE, shipped)


def test_a_school_template_keeps_a_version_the_director_has_signed(web_school, tmp_path):
    """The contract with an external mentor waits, after the director's signature, for the
    mentor's signed paper: a new school template does not replace it (the paper the mentor
    signs is the version the director signed), as it does not replace a signed document."""
    settings = web_school.settings
    contract = web_school.doc_id("contract_external")
    (result,) = sign_documents(settings, "director", [contract], KEY_PASSWORD)
    assert result.ok
    before = versions(settings, "contract_external")
    assert [(v, status) for v, status, _ in before] == [(1, DocumentStatus.AWAITING_SIGNATURE)]
    with session_scope(settings.database_url) as s:
        own = own_template("contract_external")
        assert install_template(s, settings, "contract_external", own, actor="admin") == []

    outcome = process_workbook(settings, resaved(web_school.workbook, tmp_path))
    assert [e.kind for e in outcome.entries] == []
    assert versions(settings, "contract_external") == before


def test_a_school_template_broken_on_disk_refuses_the_workbook_in_russian(web_school, tmp_path):
    """A school's template damaged by hand after its install: the workbook is refused with the
    template's name and what is wrong (not «Внутренняя ошибка»), and the register is unchanged."""
    from service.pipeline import Outcome

    settings = web_school.settings
    before = versions(settings, "order_pairs")
    settings.school_templates.mkdir(exist_ok=True)
    (settings.school_templates / "order_pairs.docx").write_bytes(b"not a document")
    outcome = process_workbook(settings, resaved(web_school.workbook, tmp_path))
    assert outcome.outcome == Outcome.FAILED
    assert outcome.message == (
        "Файл «снова.xlsx» не обработан: Шаблон «order_pairs.docx» не заполняется: файл "
        "повреждён — это не документ Word (.docx). Реестр не изменён."
    )
    assert versions(settings, "order_pairs") == before


def with_plain_spaces(data: bytes) -> bytes:
    """The template ``data`` with its no-break spaces made plain ones (as before names18)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "word/document.xml":
                part = part.replace("\u00a0".encode(), b" ")
            target.writestr(info, part, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_a_template_changed_only_in_no_break_spaces_makes_no_new_version(web_school, tmp_path):
    """An upgrade rebuilt six shipped templates with no-break spaces in their own dates
    (names18: «27 июля 2006 г.»); the next workbook made every consent again, though each
    printed the same words — and the paper a parent had signed took no scan any more («он
    заменён новой версией», review19). A template that differs from a version's only in its
    no-break spaces makes no new version; one whose words change still does."""
    settings = web_school.settings
    shipped = (TEMPLATES / "consent_adult.docx").read_bytes()
    plain = with_plain_spaces(shipped)
    assert "27\u00a0июля 2006\u00a0г." in docx_text(shipped)
    assert "27 июля 2006 г." in docx_text(plain)
    before = versions(settings, "consent_adult")
    assert before and {status for _, status, _ in before} == {DocumentStatus.GENERATED}
    with session_scope(settings.database_url) as s:
        assert install_template(s, settings, "consent_adult", plain, actor="admin") == []

    outcome = process_workbook(settings, resaved(web_school.workbook, tmp_path / "spaces"))
    assert [e.kind for e in outcome.entries] == []
    assert versions(settings, "consent_adult") == before

    worded = own_template("consent_adult")
    with session_scope(settings.database_url) as s:
        assert install_template(s, settings, "consent_adult", worded, actor="admin") == []
    outcome = process_workbook(settings, resaved(web_school.workbook, tmp_path / "words"))
    assert {e.kind for e in outcome.entries} == {"consent_adult"}
    assert len(outcome.entries) == len(before)
    assert {v[1:] for v in versions(settings, "consent_adult") if v[0] == 2} == {
        (DocumentStatus.GENERATED, hashlib.sha256(worded).hexdigest())
    }


def with_document_xml(data: bytes, change) -> bytes:
    """The DOCX ``data`` with ``change(xml)`` for its word/document.xml."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "word/document.xml":
                part = change(part)
            target.writestr(info, part, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def as_before_reader22(data: bytes) -> bytes:
    """The template ``data`` as the builder made it before reader22: no paragraph kept with
    the signature after it, the empty paragraph after a closing table at 14 pt with 6 pt after."""
    import re
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "word/document.xml":
                part = part.replace(b"<w:keepNext/>", b"")
                part = re.sub(
                    rb"<w:p><w:pPr>(?:(?!</w:pPr>).)*</w:pPr></w:p>(<w:sectPr)",
                    rb'<w:p><w:pPr><w:spacing w:before="0" w:after="120"/>'
                    rb'<w:ind w:firstLine="709"/><w:jc w:val="both"/></w:pPr></w:p>\1',
                    part,
                )
            target.writestr(info, part, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_a_template_changed_only_where_pages_break_makes_no_new_version(web_school, tmp_path):
    """reader22 kept each consent's last words on the page of its signature and made the empty
    paragraph after an order's last table 1 pt high; the next workbook after the upgrade would
    have made every consent waiting for its paper signature again (review19). A template that
    differs from a version's only there makes no new version."""
    from service.documents.docx_zip import prints_the_same_words

    settings = web_school.settings
    shipped = (TEMPLATES / "mentor_consent.docx").read_bytes()
    before = versions(settings, "mentor_consent")
    assert before and {status for _, status, _ in before} == {DocumentStatus.GENERATED}
    older = as_before_reader22(shipped)
    assert older != shipped and docx_text(older) == docx_text(shipped)
    with session_scope(settings.database_url) as s:
        assert install_template(s, settings, "mentor_consent", older, actor="admin") == []
    outcome = process_workbook(settings, resaved(web_school.workbook, tmp_path / "pages"))
    assert [e.kind for e in outcome.entries] == []
    assert versions(settings, "mentor_consent") == before

    order = (TEMPLATES / "order_implementation.docx").read_bytes()
    assert as_before_reader22(order) != order
    assert prints_the_same_words(as_before_reader22(order), order)
    assert not prints_the_same_words(own_template("order_implementation"), order)
    # point 4 of the consent to dissemination set flush left (it was justified)
    flush_left = (TEMPLATES / "consent_dissemination.docx").read_bytes()
    justified = with_document_xml(
        flush_left, lambda xml: xml.replace(b'<w:jc w:val="left"/>', b'<w:jc w:val="both"/>')
    )
    assert justified != flush_left and prints_the_same_words(justified, flush_left)
