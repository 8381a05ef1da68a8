"""What a signature adds to a document before it is signed: an order's registration number
and date from the journal, the approval date of «УТВЕРЖДАЮ», and for an appendix the number and
date of its order. Each is rendered from the context stored with the version (never by
re-planning the register), so the requisites are inside the signed bytes."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from service.config import Settings
from service.documents import canonical
from service.documents.catalogue import BY_ID, Kind, Subject
from service.documents.look import look_changed
from service.documents.normalise import accepted_docx
from service.documents.render import render_template_file
from service.documents.template_files import shipped_template, template_file
from service.documents.unchanged import explained_words, unseen_change
from service.register.events import append_event
from service.register.journal import last_signed_order, register_order
from service.register.models import Document
from service.register.queries import latest_version
from service.signing.errors import SigningError
from service.store import FileStore


def number_order(
    settings: Settings,
    store: FileStore,
    session: Session,
    document: Document,
    kind: Kind,
    today: date,
) -> str:
    """Take the journal number and re-render the order with it and ``today``, the date of the
    signature (one clock reading for the print, the journal and the register's signing time:
    a signature at midnight is not dated one day and recorded the next)."""
    context = stored_context(document)  # before the journal: no context, no number
    entry = register_order(session, document, kind.title, today, settings.order_number_format)
    fields = {"number": entry.number, "date": today}
    if kind.cites:
        fields["cited"] = cited_order(session, kind.cites, context)
    unsigned = _render_signed_version(settings, store, document, kind, context, fields)
    document.number, document.reg_date = entry.number, today
    append_event(
        session,
        "order_registered",
        document_id=document.id,
        details={
            "number": entry.number,
            "date": today.isoformat(),
            "unsigned_sha256": unsigned,
            "sha256": document.sha256,
        },
    )
    return entry.number


def cited_order(session: Session, kind_id: str, context: dict) -> dict[str, Any]:
    """``doc.cited`` of an order that names the order ``kind_id`` («назначена приказом от
    01.09.2026 № 1/26 «О внедрении…»»): the number and date of that order's newest signed
    version of the same school year, read when the director signs, so they are part of the
    signed bytes; ``{"number": "", "date": ""}`` when none is signed yet (the text says so,
    with no blanks). Taken once: an order signed or made again later changes nothing in one
    signed before it (a signed version never changes)."""
    signed = last_signed_order(session, kind_id, Subject.ORGANIZATION.value)
    year = context.get("org", {}).get("school_year")
    if signed is not None and signed.context is not None and _year_of(signed.context) == year:
        return {"number": signed.number, "date": signed.reg_date}
    return {"number": "", "date": ""}


def _year_of(context: str) -> str | None:
    return canonical.loads(context).get("org", {}).get("school_year")


def date_approval(
    settings: Settings,
    store: FileStore,
    session: Session,
    document: Document,
    kind: Kind,
    today: date,
) -> None:
    """Re-render an approved (or dated-at-signing) document with ``today``, the date of the
    signature, in its «УТВЕРЖДАЮ» (or its date line) and, for an appendix, the number and date
    of its order; refuse an appendix whose order is unsigned."""
    fields: dict = {"date": today}
    if kind.appendix_of:
        order = _appendix_order(session, kind)
        fields |= {"order_number": order.number, "order_date": order.reg_date}
    context = stored_context(document)
    unsigned = _render_signed_version(settings, store, document, kind, context, fields)
    append_event(
        session,
        "document_approved",
        document_id=document.id,
        details={
            "date": fields["date"].isoformat(),
            "order_number": fields.get("order_number"),
            "unsigned_sha256": unsigned,
            "sha256": document.sha256,
        },
    )


def _appendix_order(session: Session, kind: Kind) -> Document:
    """The signed current version of the order ``kind`` is an appendix of."""
    order_kind = BY_ID[kind.appendix_of or ""]
    order = latest_version(session, order_kind.id)
    where = (
        f"«{kind.title}» — приложение {kind.appendix_number} к приказу "
        f"«{order_kind.title.removeprefix('Приказ ').capitalize()}»"
    )
    if order is None:
        raise SigningError(f"{where}, а приказа в реестре нет: подписать приложение нельзя.")
    if not order.number or order.reg_date is None:
        raise SigningError(
            f"{where}: сначала подпишите приказ (документ № {order.id}), затем приложение — "
            "в приложение войдут номер и дата приказа. Приказ и приложения можно подписать "
            "вместе, одним действием."
        )
    return order


def stored_context(document: Document) -> dict:
    """The context ``document`` was rendered from, as stored with it (never re-planned: the
    rest of the register may have changed since, and this version stays signable)."""
    if document.context is None:
        raise SigningError(
            f"Документ № {document.id} создан прежней версией программы, без сохранённых "
            "данных, и не может получить номер или дату. Обработайте любую книгу школы "
            "(например, с одним листом «Организация») — будет создана его новая версия "
            "для подписи."
        )
    return canonical.loads(document.context)


def _render_signed_version(
    settings: Settings,
    store: FileStore,
    document: Document,
    kind: Kind,
    context: dict,
    fields: dict,
) -> str:
    """Render ``document`` from its stored context with ``fields`` added to ``doc`` (number,
    dates), with the template it was made from, and make that the version to sign; returns
    the hash of the unsigned draft."""
    signed = {**context, "doc": {**context["doc"], **fields, "version": document.version}}
    template = template_file(settings, kind)
    if document.template_sha256 and store.has(document.template_sha256):
        template = store.path_for(document.template_sha256)
    unsigned = document.sha256
    after = render_template_file(template, signed)
    try:  # the text shown before signing: the stored draft, else made as it was
        # (an earlier release's draft kept a school template's tracked changes: the page
        # showed them accepted, as the signed version has them — template16)
        before = accepted_docx(store.get(unsigned))
    except OSError:
        before = render_template_file(template, context)
    used, shipped = template.read_bytes(), shipped_template(settings, kind)
    unseen = unseen_change(used, shipped, context, fields, before, after)
    if not unseen and look_changed(used, shipped, before, after, explained_words(fields)):
        raise SigningError(
            f"Документ № {document.id} «{kind.title}» не подписан: шаблон школы при подписи "
            "меняет оформление его текста (зачёркивание, цвет, размер…), а не только номер и "
            "дату: подписанный документ выглядел бы иначе, чем прочитанный перед подписью. "
            "Сообщите администратору: шаблон этого вида нужно исправить или вернуть "
            "стандартный (страница «Шаблоны»), после чего обработать книгу школы."
        )
    if unseen:
        raise SigningError(
            f"Документ № {document.id} «{kind.title}» не подписан: шаблон школы при подписи "
            "меняет его текст не только номером и датой — меняются слова "
            f"{', '.join(f'«{w}»' for w in unseen)}, а их нет в тексте, который показан перед "
            "подписью. Сообщите администратору: шаблон этого вида нужно исправить или "
            "вернуть стандартный (страница «Шаблоны»), после чего обработать книгу школы."
        )
    document.sha256 = store.put(after)
    return unsigned
