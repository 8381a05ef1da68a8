"""The secretary's pages: upload a workbook (processed exactly as one dropped into inbox/),
the batches with their status, progress and error report, the blank workbook, scans of
paper-signed documents, and the answer that sends a returned document back for signature
unchanged (also the administrator's)."""

from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from service.documents.catalogue import BY_ID
from service.health import read_health
from service.intake.blank import build_blank_workbook
from service.register.labels import DocumentStatus, withdrawn_pair
from service.register.models import Document
from service.register.queries import (
    batch_documents,
    recent_batches,
    returned_documents,
    withdrawn_versions,
)
from service.register.repeats import own_last_word, same_scan, scan_elsewhere
from service.register.returns import ThreadEntry, thread, threads
from service.register.succession import year_of
from service.resent import changed_since
from service.signing.paper import (
    BESIDE_MINOR,
    EVERY_ONE,
    awaiting_paper,
    expected_as,
    paper_candidates,
    signed_as,
    who_signed,
)
from service.signing.returning import ANSWER_LIMIT, resubmit_document
from service.signing.workflow import attach_scan
from service.uploads import check_scan, dry_run_upload, stage_upload
from service.web.confirm import Field, confirm_page
from service.web.errors import BadInput, WebError, refusals_flash_to
from service.web.files import send_bytes
from service.web.filters import document_label, returned_by, ru_date
from service.web.jobs import Submitted, uploads
from service.web.lookups import (
    db,
    form_file,
    form_text,
    get_batch,
    get_document,
    settings,
    store,
)
from service.web.security import role_required

bp = Blueprint("secretary", __name__, url_prefix="/secretary")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BLANK_NAME = "Книга для заполнения — наставничество.xlsx"
SCAN_ACCEPT = ".pdf,.jpg,.jpeg,.png,.tif,.tiff"


def upload_workbook(filename: str, data: bytes) -> tuple[Submitted, str]:
    """Stage and queue an uploaded workbook; what became of it and its digest."""
    path, digest = stage_upload(settings(), filename, data)
    return uploads().submit(path, digest), digest


def already_processed(filename: str, batch_id: int) -> str:
    """The same workbook came before (as in inbox/, where «.повтор.txt» says so)."""
    done = get_batch(batch_id)
    return (
        f"Книга «{filename}» уже обработана (пакет № {done.id} от "
        f"{done.started_at:%d.%m.%Y %H:%M}): ничего не изменено."
        + changed_since(db(), done.id, "загрузите её снова")
    )


@bp.route("/", methods=["GET", "POST"])
@role_required("secretary")
def index() -> str:
    """The secretary's page; a POST is «Отмена» on the resubmit's confirmation (the answer
    comes back into its form, nothing is changed)."""
    session = db()
    return render_template(
        "secretary/index.html",
        batches=recent_batches(session),
        watcher=read_health(settings().var),
        **returned_context(),
    )


def returned_context() -> dict:
    """The returned documents and their threads, for the page that lists them; on a POST
    («Отмена» on the resubmit's confirmation) the answer typed for ``document``, filled in."""
    returned = returned_documents(db())
    answers: dict[int, str] = {}
    raw_id = request.form.get("document", "") if request.method == "POST" else ""
    if raw_id.isdigit():
        answers[int(raw_id)] = request.form.get("answer", "")[:ANSWER_LIMIT]
    return {
        "returned": returned,
        "threads": threads(db(), [d.id for d in returned]),
        "answers": answers,
    }


@bp.post("/upload")
@role_required("secretary")
def upload() -> Response:
    filename, data = form_file("workbook", "книга Excel")
    (batch_id, duplicate), _ = upload_workbook(filename, data)
    if batch_id is None:
        flash("Книга принята и ждёт очереди на обработку; она появится в списке пакетов.")
        return redirect(url_for("secretary.index"))
    if duplicate:
        flash(already_processed(filename, batch_id) + " Документы пакета — ниже.")
    return redirect(url_for("secretary.batch", batch_id=batch_id))


@bp.post("/check")
@role_required("secretary")
def check() -> str:
    """«Проверить без изменений»: the errors, or what the workbook would change; the file is
    not kept and nothing changes (the page is the answer, so it is not a redirect)."""
    filename, data = form_file("workbook", "книга Excel")
    result = dry_run_upload(settings(), filename, data)
    return render_template("secretary/check.html", result=result)


@bp.get("/batches/<int:batch_id>")
@role_required("secretary")
def batch(batch_id: int) -> str:
    item = get_batch(batch_id)
    documents = batch_documents(db(), item)
    superseded = [d.id for d in documents if d.status == DocumentStatus.SUPERSEDED]
    return render_template(
        "secretary/batch.html",
        batch=item,
        documents=documents,
        withdrawn_now=withdrawn_versions(db(), superseded),
        withdrawal=withdrawn_pair(item.source_name) is not None,
    )


@bp.get("/blank.xlsx")
@role_required("secretary")
def blank() -> Response:
    out = io.BytesIO()
    build_blank_workbook().save(out)
    return send_bytes(out.getvalue(), BLANK_NAME, XLSX)


@bp.get("/scans")
@role_required("secretary")
def scans() -> str:
    return render_template("secretary/scans.html", waiting=awaiting_paper(db()))


def _signer_field(document: Document, role: str, names: list[str]) -> Field:
    """Who signed as ``role``: a select of the document's people for it, the expected one
    pre-filled; ticks when several may each sign (the mentees of a group's programme, ticked,
    and the guardians of its minor mentees, not ticked: they sign only where they did)."""
    beside = role not in BY_ID[document.kind].signers  # a minor mentee's guardian
    if beside or (role in EVERY_ONE and len(names) > 1):
        return Field(
            f"signer_{role}",
            f"{who_signed(document, role, names)} (отметьте каждого)",
            "checkboxes",
            required=False,
            options=[(n, n) for n in names],
            checked=[] if beside else list(names),
        )
    return Field(
        f"signer_{role}",
        who_signed(document, role, names),
        "select",
        required=False,
        value=names[0] if names else "",
        options=[(n, n) for n in names] + [("", "— подписи нет на этом скане —")],
    )


@bp.get("/scans/<int:document_id>")
@role_required("secretary")
def confirm_scan(document_id: int) -> str:
    """The scan form of one document: who signs it on paper (a select of the document's own
    people, the expected one pre-filled), the file, and the summary of what will be recorded."""
    document = get_document(document_id)
    candidates = paper_candidates(db(), document)
    if not candidates:
        raise BadInput(f"Документ «{document_label(document)}» не ждёт бумажной подписи.")
    fields = [_signer_field(document, role, names) for role, names in candidates.items()]
    fields.append(Field("scan", "Скан (PDF, JPEG, PNG или TIFF)", "file", accept=SCAN_ACCEPT))
    year = year_of(document)
    return confirm_page(
        heading="Приложить скан",
        summary=f"Приложить скан к документу «{document_label(document)}»"
        + (f" ({year} учебный год)" if year else ""),
        items=[
            f"{expected_as(document, role, names)}: "
            + (", ".join(names) if names else "не указан в реестре")
            for role, names in candidates.items()
        ],
        notes=[
            "Скан заменяет подпись на бумаге в реестре; когда подпишут все, документ станет "
            "подписанным. Приложенный скан не удаляется."
        ],
        fields=fields,
        hidden=[("document", document.id), ("named", "1")],
        action=url_for("secretary.attach"),
        button="Приложить скан",
        cancel=url_for("secretary.scans"),
        multipart=True,
    )


@bp.post("/scans")
@role_required("secretary")
def attach() -> str | Response:
    raw_id = form_text("document", "Документ", limit=12)
    if not raw_id.isdigit():
        raise BadInput("Выберите документ из списка.")
    document = get_document(int(raw_id))
    filename, data = _scan_file()
    roles = [
        r for r in (*BY_ID[document.kind].signers, BESIDE_MINOR) if f"signer_{r}" in request.form
    ]
    signers: dict[str, str | list[str]] | None = {
        r: [n.strip() for n in request.form.getlist(f"signer_{r}")] for r in roles
    }
    if not roles and "named" not in request.form:
        signers = None  # a form without the choice: the document's own people
    label = document_label(document)
    check_scan(filename, data)
    before = same_scan(db(), document.id, data)
    named = {(r, n) for r, people in (signers or {}).items() for n in people if n}
    if before and (signers is None or named) and named <= {(s.role, s.signer_name) for s in before}:
        # a second click (the first one's answer never reached the page): the same file, no
        # one named whom it has not recorded already
        who = "; ".join(
            f"{s.signer_name} ({signed_as(document, s.role, s.signer_name)})" for s in before
        )
        flash(
            f"Этот скан уже приложен к документу «{label}» {before[0].signed_at:%d.%m.%Y в %H:%M}:"
            f" подписали на бумаге {who}. Второй раз он не прикладывается."
        )
        return redirect(url_for("secretary.scans"))
    elsewhere = scan_elsewhere(db(), document.id, data)
    if elsewhere and request.form.get("same_file") != "1":
        return _confirm_same_file(document, filename, data, elsewhere)
    made = attach_scan(
        db(), settings(), document.id, data, signers=signers, actor=current_user.login
    )
    db().commit()
    who = "; ".join(f"{s.signer_name} ({signed_as(document, s.role, s.signer_name)})" for s in made)
    flash(f"Скан приложен к документу «{label}»: подписали на бумаге {who}.")
    return redirect(url_for("secretary.scans"))


def _scan_file() -> tuple[str, bytes]:
    """The scan sent with the form, or — from the page that asked about a file attached to
    another document already — the one it kept in the store (named by its SHA-256)."""
    kept = request.form.get("kept_scan", "")
    if request.form.get("same_file") != "1" or not kept:
        return form_file("scan", "скан")
    if len(kept) != 64 or any(c not in "0123456789abcdef" for c in kept):
        raise BadInput("Файл скана не найден: выберите его снова.")
    try:
        return request.form.get("kept_name", "скан.pdf")[:200], store().get(kept)
    except FileNotFoundError:
        raise BadInput("Файл скана не найден: выберите его снова.") from None


def _confirm_same_file(document: Document, filename: str, data: bytes, elsewhere: list):
    """The same file is the scan of another document already: asked before it is recorded
    (a scan is never removed). The file waits in the store; the choice of signers is kept."""
    kept = store().put(data)
    others = {}
    for signature in elsewhere:
        others.setdefault(signature.document_id, []).append(signature)
    label = document_label(document)
    return confirm_page(
        heading="Этот файл уже приложен к другому документу",
        summary=f"Файл «{filename}» — тот же скан, что уже приложен к "
        + ("документу:" if len(others) == 1 else "документам:"),
        items=[
            f"«{document_label(signatures[0].document)}»: подписали на бумаге "
            + ", ".join(s.signer_name for s in signatures)
            + f" (приложен {signatures[0].signed_at:%d.%m.%Y в %H:%M})"
            for signatures in others.values()
        ],
        notes=[
            f"У каждого бумажного документа обычно свой скан. Если файл выбран по ошибке, "
            f"нажмите «Отмена» и выберите скан документа «{label}». Если в этом файле "
            "действительно несколько подписанных документов, приложите его и сюда.",
            "Приложенный скан не удаляется.",
        ],
        hidden=[
            ("document", document.id),
            *[
                (name, value)
                for name in request.form
                if name.startswith("signer_") or name == "named"
                for value in request.form.getlist(name)
            ],
            ("same_file", "1"),
            ("kept_scan", kept),
            ("kept_name", filename),
        ],
        action=url_for("secretary.attach"),
        button="Приложить тот же файл",
        cancel=url_for("secretary.confirm_scan", document_id=document.id),
    )


ANSWER_FIELD = "Ответ на комментарий"


def last_return(document_id: int) -> ThreadEntry | None:
    """The latest return of the document (who returned it, in which role, when); None when
    the ledger has none."""
    returns = [e for e in thread(db(), document_id) if e.kind == "returned"]
    return returns[-1] if returns else None


def _home() -> str:
    """The page a returned document is answered from: the secretary's, else the
    administrator's."""
    return "secretary.index" if "secretary" in current_user.roles else "admin.index"


@bp.route("/returned/<int:document_id>", methods=["GET", "POST"])
@role_required("secretary", "admin")
def confirm_resubmit(document_id: int) -> str | Response:
    """The answer in words before it is sent: the director's comment, the answer, and that
    the same version goes back to his queue; the POST of this page sends it. The form beside
    a returned document POSTs its answer here, so the text stays out of the address (and of
    the browser's history); a GET with ``?answer=`` is read as well."""
    document = get_document(document_id)
    label = document_label(document)
    waiting = DocumentStatus.AWAITING_SIGNATURE
    if document.status == waiting:  # Back to this page after sending it, sent again
        done = own_last_word(db(), document.id, current_user.login, "resubmitted", waiting)
        if done and done.text == (request.values.get("answer") or "").strip():
            return _resubmitted_already(label, last_return(document.id), done)
    if document.status != DocumentStatus.RETURNED:
        raise WebError(
            f"Документ «{label}» не возвращён на доработку: его нельзя вернуть на подпись.", 409
        )
    answer = (request.values.get("answer") or "").strip()
    if not answer:
        raise BadInput(f"Не заполнено поле «{ANSWER_FIELD}».")
    if len(answer) > ANSWER_LIMIT:
        raise BadInput(f"Поле «{ANSWER_FIELD}» слишком длинное (не больше {ANSWER_LIMIT} знаков).")
    last = last_return(document.id)
    said = f" ({returned_by(last, short=False)}, {ru_date(last.at)})" if last else ""
    return confirm_page(
        heading="Вернуть на подпись",
        summary=f"Вернуть на подпись без изменений: «{label}», версия {document.version}",
        items=[
            f"Комментарий{said}: «{document.comment or '—'}»",
            f"Ваш ответ: «{answer}»",
        ],
        notes=[
            "Документ не меняется: та же версия снова появится в списке на подпись"
            + (f" у {returned_by(last, 'gent')}" if last else "")
            + " вместе с комментарием и вашим ответом. Ответ записывается в журнал и не "
            "удаляется."
        ],
        hidden=[("document", document.id), ("answer", answer)],
        action=url_for("secretary.resubmit"),
        button="Вернуть на подпись",
        cancel=url_for(_home(), _anchor=f"returned-{document.id}"),
        cancel_keeps=True,
    )


def _resubmitted_already(label: str, last: ThreadEntry | None, done: ThreadEntry):
    whose = f" у {returned_by(last, 'gent')}" if last else ""
    flash(
        f"Документ «{label}» уже снова на подписи{whose}: вы вернули его "
        f"{done.at:%d.%m.%Y в %H:%M} с ответом «{done.text}»"
    )
    return redirect(url_for(_home()))


@bp.post("/returned")
@role_required("secretary", "admin")
def resubmit() -> Response:
    raw_id = form_text("document", "Документ", limit=12)
    if not raw_id.isdigit():
        raise BadInput("Выберите документ из списка.")
    answer = form_text("answer", ANSWER_FIELD, limit=ANSWER_LIMIT)
    document = get_document(int(raw_id))
    label = document_label(document)
    last = last_return(document.id)
    whose = f" у {returned_by(last, 'gent')}" if last else ""
    done = own_last_word(
        db(), document.id, current_user.login, "resubmitted", DocumentStatus.AWAITING_SIGNATURE
    )
    if done and done.text == answer.strip():  # a second click: its first answer never came
        return _resubmitted_already(label, last, done)
    refusals_flash_to(_home())
    resubmit_document(db(), current_user.login, document.id, answer)
    db().commit()
    flash(f"Документ «{label}» снова на подписи{whose} с вашим ответом: «{answer}»")
    return redirect(url_for(_home()))
