"""The director's pages: the queue of documents awaiting his signature, a readable preview of
each, signing one or all selected with one password, returning with a comment."""

from __future__ import annotations

import re
import secrets
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from service.documents import russian
from service.documents.catalogue import BY_ID
from service.documents.compare import ChangedLine, text_changes
from service.documents.text import docx_text
from service.register.archive import destroying_act
from service.register.models import Document, DocumentStatus
from service.register.queries import compared_version, signed_by, unsigned_draft
from service.register.repeats import own_last_word
from service.register.returns import thread, threads
from service.register.states import state_names, status_text
from service.register.succession import replaced_in_year
from service.register.users import user_named
from service.signing.late import past_year_warning, school_year_of
from service.signing.mine import is_own, own_signature
from service.signing.returning import return_document, return_refusal
from service.signing.signers import active_signers, name_warnings
from service.signing.workflow import SignResult, pending_documents, sign_documents
from service.web.confirm import DOCUMENT_FORMS, Field, confirm_page, count_of, documents_summary
from service.web.errors import BadInput, WebError, refusals_flash_to
from service.web.filters import document_label, quoted_sentence
from service.web.lookups import db, form_text, get_document, int_list, settings, store
from service.web.preview import text_blocks
from service.web.security import role_required

bp = Blueprint("director", __name__, url_prefix="/director")
SIGNING_ROLES = ("director", "curator")
"""Who signs here: the director, and the curator for what needs her signature (the pairs'
programmes and reports, the final report) — each sees only what his own keys can sign."""
COMMENT_LIMIT = 2000
"""The longest comment a return takes (as the API's)."""


def preview_blocks(document: Document) -> list[tuple[str, object]]:
    """The document's text as blocks for its page (:func:`service.web.preview.text_blocks`);
    of a document destroyed by an act, which has no file any more, what happened to it."""
    act = destroying_act(db(), document.id)
    if act is not None:
        return [
            (
                "p",
                f"Документ уничтожен по акту {act} (истёк срок хранения): его файл, подписи и "
                "копии удалены, текст показать нельзя.",
            )
        ]
    return text_blocks(store().get(document.sha256))


def changes_since(previous: Document | None, document: Document) -> list[ChangedLine]:
    """The text diff between the previous version and this one (empty without a previous).
    A signed version is read as its draft was before signing filled its requisites in
    (:mod:`service.signing.requisites`): a draft has blanks there, and «− от 02 декабря
    2026 г. № 6/26 / + от «____» … № ___» read as if the order's reference had been dropped
    (play13). Draft against draft, only what the new version changes is listed."""
    if previous is None:
        return []
    files = store()

    def draft(version: Document) -> bytes:
        found = unsigned_draft(db(), version)
        return files.get(found if found and files.has(found) else version.sha256)

    if any(destroying_act(db(), v.id) is not None for v in (previous, document)):
        return []  # a version destroyed by an act has no file to compare
    return text_changes(docx_text(draft(previous), " "), docx_text(draft(document), " "))


_ID = re.compile(r"[Дд]окумент № \d+")
_BRACKETED_ID = re.compile(r" \([Дд]окумент № \d+\)")
"""Database ids in a domain message: the CLI's user types ids, a person on the page reads
titles and registration numbers instead."""


def _refusal(result: SignResult) -> str:
    """Why a document was not signed, naming it by title (never by the register's id)."""
    document = db().get(Document, result.document_id)
    message = _ID.sub("Документ", _BRACKETED_ID.sub("", result.message))
    if document is not None and BY_ID[document.kind].title not in message:
        message = f"«{document_label(document)}»: {message}"
    return message


def flash_results(results: list[SignResult]) -> None:
    """What signing did, as one message: one document's own result («Подписан: <title> —
    <whom>, № <registration number> от <date>.», or that this user signed it before), else
    one summary of several — how many were signed, the orders' new numbers, how many this
    user had signed before (a second click), and the list of those not signed and why
    (thirteen messages in a column hid the one refusal among them)."""
    if len(results) == 1:
        (result,) = results
        done = result.ok or result.already
        flash(result.message if done else _refusal(result), "info" if done else "error")
        return
    signed = [r for r in results if r.ok]
    before = [r for r in results if r.already]
    refused = [_refusal(r) for r in results if not r.ok and not r.already]
    parts = []
    if signed or not before:
        tried = len(signed) + len(refused)
        parts.append(f"Подписано документов: {len(signed)}" + (f" из {tried}" if refused else ""))
    numbers = [r.number for r in signed if r.number]
    if numbers:
        got = "Приказы получили номера" if len(numbers) > 1 else "Приказ получил номер"
        parts.append(f"{got} {', '.join(numbers)}")
    if before:
        parts.append(f"Уже подписаны вами: {len(before)} — подписывать снова не нужно")
    text = ". ".join(parts) + (". Не подписаны:" if refused else ".")
    flash({"text": text, "items": refused}, "error" if refused else "info")


def _late_note(late: list[Document]) -> str:
    """The warning for several documents of a past school year chosen to be signed."""
    today = russian.format_date(date.today())
    years = ", ".join(sorted({school_year_of(d) or "" for d in late}))
    return (
        f"Документы прошедшего учебного года ({years}) — {count_of(len(late), DOCUMENT_FORMS)}: "
        f"подписанные сейчас, они получат сегодняшнюю дату — {today}: задним числом документ "
        "не датируется. Подписанные в своё время на бумаге не подписывайте, а верните с "
        "комментарием о бумажном подлиннике."
    )


def selected_ids() -> list[int]:
    """Checked documents from the query string (the queue's form is a GET to the confirmation
    page: choosing signs nothing)."""
    ids = []
    for value in request.args.getlist("document"):
        text = value.strip()
        if not text.isdigit() or len(text) > 12:
            raise BadInput(f"Неверный номер документа: «{text[:20]}».")
        ids.append(int(text))
    return list(dict.fromkeys(ids))


@bp.get("/")
@role_required(*SIGNING_ROLES)
def index() -> str:
    session = db()
    keys = active_signers(session, current_user.login)
    # no key yet: what waits for his role is shown all the same, to read and return
    roles = None if keys else current_user.roles & set(SIGNING_ROLES)
    documents = pending_documents(session, current_user.login, roles)
    return render_template(
        "director/index.html",
        documents=documents,
        threads=threads(session, [d.id for d in documents]),
        has_key=bool(keys),
        has_orders=any(BY_ID[d.kind].is_order for d in documents),
        temporary_key=any(not k.owner_password for k in keys),
        name_warnings=name_warnings(session, current_user.login),
        all_checked=request.args.get("all") == "1",
    )


@bp.get("/signed")
@role_required(*SIGNING_ROLES)
def signed() -> str:
    """What this user has signed, newest first: a document leaves «На подпись» when signed,
    and the director still wants to find it, read it and see its number."""
    me = user_named(db(), current_user.login)  # not his predecessor's under the same login
    signatures = [s for s in signed_by(db(), current_user.login) if is_own(s, me)]
    documents = [s.document for s in signatures]
    successors = replaced_in_year(db(), documents, with_superseded=True)
    return render_template("director/signed.html", signatures=signatures, successors=successors)


@bp.route("/documents/<int:document_id>", methods=["GET", "POST"])
@role_required(*SIGNING_ROLES)
def document(document_id: int) -> str:
    """The document's page; a POST is «Отмена» on the return's confirmation, which brings
    the comment typed before back into the form (nothing is changed)."""
    item = get_document(document_id)
    comment = request.form.get("comment", "")[:COMMENT_LIMIT] if request.method == "POST" else ""
    pending = {d.id for d in pending_documents(db(), current_user.login)}
    keyless = not pending and not active_signers(db(), current_user.login)
    roles = current_user.roles & set(SIGNING_ROLES)
    previous = compared_version(db(), item)
    me = user_named(db(), current_user.login)
    states = state_names(db(), [item] + ([previous] if previous is not None else []))
    return render_template(
        "director/document.html",
        document=item,
        status=states[item.id],
        previous_status=states.get(previous.id) if previous is not None else None,
        blocks=preview_blocks(item),
        previous=previous,
        changes=changes_since(previous, item),
        can_sign=item.id in pending,
        awaits_my_role=keyless
        and item.id in {d.id for d in pending_documents(db(), current_user.login, roles)},
        late=past_year_warning(item, date.today()) if item.id in pending else None,
        signed_by_me=own_signature(item, me) is not None,
        can_return=item.status == DocumentStatus.AWAITING_SIGNATURE
        and return_refusal(item, me) is None,
        thread=thread(db(), item.id),
        comment=comment,
    )


@bp.get("/sign")
@role_required(*SIGNING_ROLES)
def confirm_sign() -> str | Response:
    """What will be signed, in words («Подписать 12 документов: 4 приказа, 8 программ»), and
    the key password; the POST of this page signs."""
    ids = selected_ids()
    if not ids:
        flash("Отметьте документы, которые подписать.", "error")
        return redirect(url_for("director.index"))
    pending = {d.id: d for d in pending_documents(db(), current_user.login)}
    chosen = [pending[i] for i in ids if i in pending]
    if not chosen:
        if active_signers(db(), current_user.login):  # else the queue says why: no key
            flash("Выбранные документы уже не ждут вашей подписи.", "error")
        return redirect(url_for("director.index"))
    notes = []
    if len(chosen) < len(ids):
        gone = len(ids) - len(chosen)
        notes.append(f"Уже не ждут вашей подписи и пропущены: {count_of(gone, DOCUMENT_FORMS)}.")
    if any(BY_ID[d.kind].is_order for d in chosen):
        notes.append("Приказы получат номер и дату из журнала регистрации приказов при подписи.")
    late = [d for d in chosen if past_year_warning(d, date.today())]
    warnings = []
    if len(late) == 1:
        warnings.append(f"{document_label(late[0])}. {past_year_warning(late[0], date.today())}")
    elif late:
        warnings.append(_late_note(late))
    return confirm_page(
        heading="Подписать документы",
        summary=documents_summary("Подписать", [d.kind for d in chosen]),
        items=[document_label(d) for d in chosen],
        notes=notes,
        warnings=warnings,
        hidden=[("document", d.id) for d in chosen] + [("form", secrets.token_urlsafe(12))],
        fields=[Field("password", "Пароль ключа электронной подписи", "password")],
        action=url_for("director.sign_selected"),
        button="Подписать",
        cancel=url_for("director.index"),
    )


@bp.post("/sign")
@role_required(*SIGNING_ROLES)
def sign_selected() -> Response:
    ids = int_list("document", "отметьте документы для подписи")
    password = form_text("password", "Пароль подписи", limit=500, strip=False)
    # a mistyped password: back to the same confirmation, the choice kept
    refusals_flash_to("director.confirm_sign", "Ничего не подписано: ", document=ids)
    form = (request.form.get("form") or "")[:40] or None  # the page's token: a double click
    results = sign_documents(db(), settings(), current_user.login, ids, password, form=form)
    db().commit()
    flash_results(results)
    return redirect(url_for("director.index"))


@bp.route("/documents/<int:document_id>/return/confirm", methods=["GET", "POST"])
@role_required(*SIGNING_ROLES)
def confirm_return(document_id: int) -> str | Response:
    """The return in words before it is made — the document, the comment quoted — as signing
    is: a returned document leaves the queue and only the office sends it back. The form on
    the document's page POSTs its comment here (kept out of the address); its button returns."""
    item = get_document(document_id)
    label = document_label(item)
    if item.status == DocumentStatus.RETURNED:  # Back to this page after the return, resent
        done = own_last_word(db(), item.id, current_user.login, "returned", item.status)
        if done and done.text == (request.values.get("comment") or "").strip():
            return _returned_already(label, done)
    if item.status != DocumentStatus.AWAITING_SIGNATURE:
        raise WebError(
            f"Документ «{label}» не ожидает подписи ({status_text(db(), item)}): его "
            "нельзя вернуть.",
            409,
        )
    refusal = return_refusal(item, user_named(db(), current_user.login))
    if refusal is not None:
        raise WebError(refusal, 409)
    comment = (request.values.get("comment") or "").strip()
    if not comment:
        raise BadInput("Не заполнено поле «Что исправить».")
    if len(comment) > COMMENT_LIMIT:
        raise BadInput(f"Поле «Что исправить» слишком длинное (не больше {COMMENT_LIMIT} знаков).")
    return confirm_page(
        heading="Вернуть на доработку",
        summary=f"Вернуть на доработку: «{label}», версия {item.version}",
        items=[f"Комментарий: «{comment}»"],
        notes=[
            "Документ уйдёт из списка на подпись к секретарю вместе с комментарием. На подпись "
            "его вернёт секретарь — тем же документом с ответом или новой версией из "
            "исправленной книги."
        ],
        hidden=[("comment", comment)],
        action=url_for("director.return_back", document_id=item.id),
        button="Вернуть на доработку",
        cancel=url_for("director.document", document_id=item.id),
        cancel_keeps=True,
        danger=True,
    )


def _returned_already(label: str, done):
    flash(
        f"Документ «{label}» уже возвращён вами на доработку {done.at:%d.%m.%Y в %H:%M} "
        f"с комментарием {quoted_sentence(done.text)}"
    )
    return redirect(url_for("director.index"))


@bp.post("/documents/<int:document_id>/return")
@role_required(*SIGNING_ROLES)
def return_back(document_id: int) -> Response:
    item = get_document(document_id)
    comment = form_text("comment", "Что исправить", limit=COMMENT_LIMIT)
    label = document_label(item)
    done = own_last_word(db(), item.id, current_user.login, "returned", DocumentStatus.RETURNED)
    if done and done.text == comment.strip():  # a second click: its first answer never came
        return _returned_already(label, done)
    refusals_flash_to("director.document")
    return_document(db(), current_user.login, item.id, comment)
    db().commit()
    flash(f"Документ «{label}» возвращён на доработку с комментарием {quoted_sentence(comment)}")
    return redirect(url_for("director.index"))
