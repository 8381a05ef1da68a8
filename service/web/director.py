"""The director's pages: the queue of documents awaiting his signature, a readable preview of
each, signing one or all selected with one password, returning with a comment."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from service.documents.compare import ChangedLine, text_changes
from service.documents.text import docx_text
from service.register.models import Document, DocumentStatus
from service.register.queries import previous_version
from service.signing.errors import SigningError
from service.signing.signers import active_signers
from service.signing.workflow import (
    SignResult,
    pending_documents,
    return_document,
    sign_documents,
)
from service.web.lookups import db, form_text, get_document, int_list, settings, store
from service.web.security import role_required

bp = Blueprint("director", __name__, url_prefix="/director")


def preview_blocks(document: Document) -> list[tuple[str, object]]:
    """The document's text as blocks for the page: ("p", line) and ("table", [cells…])."""
    blocks: list[tuple[str, object]] = []
    for line in docx_text(store().get(document.sha256)).splitlines():
        if " | " in line:
            cells = [cell.strip() for cell in line.split(" | ")]
            if blocks and blocks[-1][0] == "table":
                blocks[-1][1].append(cells)  # type: ignore[union-attr]
            else:
                blocks.append(("table", [cells]))
        elif line.strip():
            blocks.append(("p", line))
    return blocks


def changes_since(previous: Document | None, document: Document) -> list[ChangedLine]:
    """The text diff between the previous version and this one (empty without a previous)."""
    if previous is None:
        return []
    read = store().get
    return text_changes(docx_text(read(previous.sha256)), docx_text(read(document.sha256)))


def sign(ids: list[int], password: str) -> list[SignResult]:
    """Sign with the current user's key; a domain refusal becomes the page's message."""
    return sign_documents(settings(), current_user.login, ids, password)


def flash_results(results: list[SignResult]) -> None:
    for result in results:
        flash(f"№ {result.document_id}: {result.message}", "info" if result.ok else "error")


@bp.get("/")
@role_required("director")
def index():
    session = db()
    return render_template(
        "director/index.html",
        documents=pending_documents(session, current_user.login),
        has_key=bool(active_signers(session, current_user.login)),
    )


@bp.get("/documents/<int:document_id>")
@role_required("director")
def document(document_id: int):
    item = get_document(document_id)
    pending = {d.id for d in pending_documents(db(), current_user.login)}
    previous = previous_version(db(), item)
    return render_template(
        "director/document.html",
        document=item,
        blocks=preview_blocks(item),
        previous=previous,
        changes=changes_since(previous, item),
        can_sign=item.id in pending,
        can_return=item.status == DocumentStatus.AWAITING_SIGNATURE,
    )


@bp.post("/sign")
@role_required("director")
def sign_selected():
    ids = int_list("document", "отметьте документы для подписи")
    password = form_text("password", "Пароль подписи", limit=500, strip=False)
    try:
        flash_results(sign(ids, password))
    except SigningError as exc:
        flash(f"Ничего не подписано: {exc}", "error")
    return redirect(url_for("director.index"))


@bp.post("/documents/<int:document_id>/return")
@role_required("director")
def return_back(document_id: int):
    item = get_document(document_id)
    comment = form_text("comment", "Что исправить", limit=2000)
    try:
        return_document(settings(), current_user.login, item.id, comment)
    except SigningError as exc:
        flash(str(exc), "error")
        return redirect(url_for("director.document", document_id=item.id))
    flash(f"Документ № {item.id} возвращён на доработку: {comment}")
    return redirect(url_for("director.index"))
