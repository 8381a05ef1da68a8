"""Destroying archived documents whose retention period is over — always by an act:
«Акт о выделении к уничтожению документов, не подлежащих хранению» is generated (DOCX), signed by
the official who approves it (his key, his password), kept in the archive for ever, and recorded
in the ledger together with one ``document_destroyed`` entry per document. Only then is every copy
the service keeps of the documents' files removed — the archive's, the working store's, the
service's copies in ``outbox/``, the packs and the kept bag that held them
(:mod:`service.archive.erasure`). Nothing is ever deleted silently.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from service.archive.erasure import Erasure, erase_destroyed
from service.archive.errors import ArchiveError
from service.archive.retention import document_date, retention_text
from service.archive.store import ArchiveStore
from service.config import Settings
from service.documents.catalogue import BY_ID
from service.documents.tidy import tidy
from service.register.archive import acts_in_year, archive_item_of
from service.register.archive_models import ArchiveItem, DestructionAct
from service.register.db import SessionFactory, begin_writing
from service.register.events import append_event
from service.register.models import Signer
from service.register.school import the_school
from service.signing.signer import open_signer
from service.signing.signers import active_signers

ACT_TITLE = "Акт о выделении к уничтожению документов, не подлежащих хранению"


@dataclass(frozen=True)
class ActResult:
    act_id: int
    number: str
    sha256: str
    """Of the act's DOCX, kept in the archive store."""
    signature_sha256: str
    documents: int
    files_deleted: int
    """Files removed from the archive (``var/archive``)."""
    erasure: Erasure = field(default_factory=Erasure)
    """Everything removed (the working store, outbox/, packs, the kept bag) and left."""


def destroy_documents(
    sessions: SessionFactory,
    settings: Settings,
    document_ids: list[int],
    login: str,
    password: str,
    *,
    today: date | None = None,
) -> ActResult:
    """Make, sign and record the act for ``document_ids`` (each must be archived and due),
    then remove every copy of their files (:func:`~service.archive.erasure.erase_destroyed`,
    which also completes an earlier act a crash stopped midway). :class:`WrongPassword` or
    :class:`ArchiveError` leave everything as it was.

    Takes a session factory because it commits in steps: the act and its ledger entries are
    committed before any file is deleted, so a failed transaction never leaves a document
    whose files are gone; the key's password is tried in a transaction of its own (its
    wrong-password counter must stay counted when the act is refused)."""
    today = today or date.today()
    archive = ArchiveStore(settings.archive_dir)
    url = settings.database_url
    with sessions() as session:
        signers = [s.id for s in active_signers(session, login) if s.role == "director"]
    if not signers:
        raise ArchiveError(
            f"Акт утверждает руководитель: у пользователя «{login}» нет действующего "
            "ключа руководителя."
        )
    key = open_signer(url, signers[0], password, actor=login)
    with sessions() as session:
        # the documents are read as not destroyed and the act's number counted under the
        # register's write lock: an act made at the same time (a second run, another
        # administrator) waits, then finds them destroyed — two acts «№ 1/32» for the same
        # documents were both recorded (attack22)
        begin_writing(session)
        signer = session.get(Signer, signers[0])
        items = []
        for document_id in document_ids:
            item = archive_item_of(session, document_id)
            if item is None or item.destroyed_at is not None:
                raise ArchiveError(f"Документа № {document_id} нет в архиве (или он уничтожен).")
            if item.retain_until is None or item.retain_until > today:
                until = f"{item.retain_until:%d.%m.%Y}" if item.retain_until else "постоянно"
                raise ArchiveError(
                    f"Срок хранения документа № {document_id} не истёк (до {until})."
                )
            items.append(item)
        if not items:
            raise ArchiveError("Не указано ни одного документа.")
        number = f"{acts_in_year(session, today.year) + 1}/{today:%y}"
        org = the_school(session)
        rows = [_row(item, settings) for item in items]
        act = act_docx(org.full_name if org else "", number, today, rows, signer)
        signature = key.sign(act)
        record = DestructionAct(
            number=number,
            made_at=datetime.now().replace(microsecond=0),
            actor=login,
            sha256=archive.put(act),
            signature_sha256=archive.put(signature),
            documents=[
                {"document": i.document_id, "title": r[0], "sha256": i.document.sha256}
                for i, r in zip(items, rows, strict=True)
            ],
        )
        session.add(record)
        session.flush()
        append_event(
            session,
            "destruction_act",
            actor=login,
            details={
                "act": record.id,
                "number": number,
                "sha256": record.sha256,
                "signature_sha256": record.signature_sha256,
                "documents": [i.document_id for i in items],
            },
        )
        for item in items:
            item.destroyed_at, item.act_id = record.made_at, record.id
            append_event(
                session,
                "document_destroyed",
                actor=login,
                document_id=item.document_id,
                details={"act": number, "files": [f["sha256"] for f in item.files]},
            )
        result = ActResult(record.id, number, record.sha256, record.signature_sha256, len(items), 0)
    erasure = erase_destroyed(sessions, settings, login)
    return ActResult(**{**result.__dict__, "files_deleted": erasure.archive, "erasure": erasure})


def _row(item: ArchiveItem, settings: Settings) -> tuple[str, str, str, str]:
    """Title, date and number, retention, note — one line of the act."""
    document = item.document
    kind = BY_ID[document.kind]
    number = f"№ {document.number}, " if document.number else ""
    return (
        f"{kind.title} — {document.subject_label} (версия {document.version})",
        f"{number}{document_date(document):%d.%m.%Y}",
        retention_text(document.kind, settings),
        f"SHA-256 {document.sha256[:16]}…; хранится до {item.retain_until:%d.%m.%Y}",
    )


def act_docx(organization: str, number: str, day: date, rows: list[tuple], signer: Signer) -> bytes:
    """The act as a DOCX: approval stamp, title, the table of documents, signatures."""
    doc = DocxDocument()
    section = doc.sections[0]
    section.left_margin, section.right_margin = Mm(30), Mm(10)
    section.top_margin = section.bottom_margin = Mm(20)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(14)
    # its texts typed as the templates' are (tidy: «Гимназия №\u00a03», «АКТ №\u00a01/28»)
    doc.add_paragraph(tidy(organization)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    approve = doc.add_paragraph(
        f"УТВЕРЖДАЮ\n{signer.position}\n____________ {signer.full_name}\n{day:%d.%m.%Y}"
    )
    approve.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading = f"АКТ № {number}\nо выделении к уничтожению документов,\nне подлежащих хранению"
    title.add_run(tidy(heading)).bold = True
    doc.add_paragraph(
        "На основании номенклатуры дел отобраны к уничтожению как не имеющие научно-"
        "исторической ценности и утратившие практическое значение следующие документы "
        "программы наставничества, сроки хранения которых истекли:"
    )
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        ("№ п/п", "Документ", "Номер и дата", "Срок хранения", "Примечание"),
        strict=True,
    ):
        cell.text = tidy(text)
    for index, row in enumerate(rows, 1):
        for cell, text in zip(table.add_row().cells, (str(index), *row), strict=True):
            cell.text = tidy(text)
    doc.add_paragraph(f"Итого документов: {len(rows)}.")
    doc.add_paragraph(
        "Электронные документы, их подписи, сканы и PDF-копии удаляются после утверждения акта "
        "из электронного архива и из хранилища службы вместе со всеми копиями, которые служба "
        "сделала; запись об уничтожении вносится в журнал событий."
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
