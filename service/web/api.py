"""The JSON API for other school systems (``/api/``, described at ``/api/openapi.json``).
The same roles as the pages; a session cookie (with its CSRF token for POST) or a per-user
API token (``Authorization: Bearer …``). Errors are ``{"error": "…"}`` with their status."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from service.archive.packs import batch_pack, pair_pack, section12_pack
from service.archive.section12 import completeness
from service.documents.records import document_fields
from service.errors import Conflict
from service.health import read_health
from service.register.archive import destroying_acts
from service.register.labels import in_role_order
from service.register.models import Batch, Document, DocumentStatus
from service.register.queries import (
    batch_documents,
    find_documents,
    recent_batches,
    withdrawn_versions,
)
from service.register.returns import ThreadEntry, threads
from service.register.returns import thread as thread_of
from service.register.states import state_names
from service.signing.returning import ANSWER_LIMIT, resubmit_document, return_document
from service.signing.verification import Verdict
from service.signing.workflow import sign_documents
from service.web.files import document_file, pair_year, send_pack, signature_file
from service.web.filters import batch_progress, batch_status, returned_by
from service.web.inspector import verify_upload
from service.web.lookups import (
    chosen_year,
    db,
    document_filter,
    form_file,
    form_text,
    get_batch,
    get_document,
    organization,
    settings,
)
from service.web.openapi import openapi_document
from service.web.secretary import already_processed, upload_workbook
from service.web.security import ALL_ROLES, READERS, csrf, role_required, token_authenticated

bp = Blueprint("api", __name__, url_prefix="/api")
SIGNERS = ("director", "curator")
BATCH_READERS = ("secretary", "curator")
VERIFIERS = ("inspector", "curator")


@bp.before_request
def _csrf_for_sessions():
    """A browser session must send its CSRF token with a POST; a token client need not."""
    if request.method in ("GET", "HEAD", "OPTIONS") or not current_app.config["WTF_CSRF_ENABLED"]:
        return
    if current_user.is_authenticated and not token_authenticated():
        csrf.protect()


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def thread_json(entries: list[ThreadEntry]) -> list[dict]:
    """A document's thread; a return names the role it was made in (``role``: ``director`` or
    ``curator``, null when unknown) and ``who`` writes it out («куратор Бутрина О.Н.»)."""
    return [
        {
            "kind": e.kind,
            "login": e.login,
            "name": e.name,
            "at": _iso(e.at),
            "text": e.text,
            **({"role": e.role or None, "who": returned_by(e)} if e.kind == "returned" else {}),
        }
        for e in entries
    ]


def document_json(
    document: Document,
    thread: list[ThreadEntry] | None = None,
    withdrawn: dict[int, int] | None = None,
    states: dict[int, str] | None = None,
    acts: dict[int, str] | None = None,
) -> dict:
    """One document; ``thread`` (its returns and answers), ``withdrawn`` (of the drafts
    withdrawn for their signed version, which version is in force) and ``states`` (id → its
    state as the office names it: :func:`~service.register.states.state_names`) are read when
    not given. A withdrawn draft is stored superseded and a document destroyed by an act
    archived; their ``status_name`` says so (the act named), ``destroyed_by`` names the act
    (``acts``: id → «№ 1/28 от 01.01.2028», as ``nastavnik documents --json``; null for a
    document not destroyed; its ``file_url`` and signatures' ``url`` are null then: the files
    went with it), and ``in_force_version`` names the signed version in force of a withdrawn
    draft (null for any other document)."""
    if thread is None:
        thread = thread_of(db(), document.id)
    if withdrawn is None:
        withdrawn = withdrawn_versions(db(), [document.id])
    if states is None:
        states = state_names(db(), [document])
    if acts is None:
        acts = destroying_acts(db(), [document.id])
    fields = document_fields(document, states.get(document.id))
    in_force = withdrawn.get(document.id)
    kept = document.id not in acts  # a destroyed document's files went with it: no links
    return {
        **fields,
        "destroyed_by": acts.get(document.id),
        "in_force_version": in_force,
        "comment": document.comment,
        "thread": thread_json(thread),
        "file_name": document.file_name,
        "created_at": _iso(document.created_at),
        "signatures": [
            {
                "id": s.id,
                "role": s.role,
                "method": s.method,
                "signer": s.signer_name,
                "signed_at": _iso(s.signed_at),
                "url": url_for("api.signature", document_id=document.id, signature_id=s.id)
                if kept
                else None,
            }
            for s in document.signatures
        ],
        "url": url_for("api.document", document_id=document.id),
        "file_url": url_for("api.document_file_", document_id=document.id) if kept else None,
    }


def documents_json(documents: list[Document]) -> list[dict]:
    """Many documents, their threads read in one query."""
    ids = [d.id for d in documents]
    found, withdrawn = threads(db(), ids), withdrawn_versions(db(), ids)
    states = state_names(db(), documents)
    acts = destroying_acts(db(), [d.id for d in documents if d.status == DocumentStatus.ARCHIVED])
    return [document_json(d, found.get(d.id, []), withdrawn, states, acts) for d in documents]


def batch_json(batch: Batch) -> dict:
    done, total = batch_progress(batch)
    withdrawn = (batch.manifest or {}).get("withdrawn")  # None: a batch of before it was kept
    return {
        "id": batch.id,
        "source_name": batch.source_name,
        "status": batch.status,
        "status_name": batch_status(batch.status),
        "attempts": batch.attempts,
        "documents_total": total,
        "documents_done": done,
        "documents_unchanged": (batch.manifest or {}).get("unchanged"),
        "drafts_withdrawn": None if withdrawn is None else len(withdrawn),
        "started_at": _iso(batch.started_at),
        "finished_at": _iso(batch.finished_at),
        "folder": batch.folder,
        "url": url_for("api.batch", batch_id=batch.id),
        "report_url": url_for("api.batch_report", batch_id=batch.id),
    }


def verdict_json(verdict: Verdict) -> dict:
    external = verdict.external
    return {
        "ok": verdict.ok,
        "sha256": verdict.sha256,
        "found": verdict.found,
        "draft": verdict.draft,
        "unchecked": verdict.unchecked,
        "title": verdict.title,
        "details": verdict.details,
        "signatures": [
            {
                "role": s.role,
                "method": s.method,
                "signer": s.signer_name,
                "signed_at": s.signed_at,
                "ok": s.ok,
                "description": s.describe(),
            }
            for s in verdict.signatures
        ],
        "external": None
        if external is None
        else {
            "ok": verdict.external_ok,
            "intact": external.intact,
            "valid": external.valid,
            "trusted": external.trusted,
            "revoked": external.revoked,
            "signer": external.signer_name,
            "serial": external.serial,
            "problems": verdict.external_problems,
        },
        "text": verdict.to_text(),
    }


@bp.get("/openapi.json")
@role_required(*ALL_ROLES)
def openapi() -> Response:
    return jsonify(openapi_document())


@bp.get("/me")
@role_required(*ALL_ROLES)
def me() -> Response:
    return jsonify(
        {
            "login": current_user.login,
            "name": current_user.full_name,
            "roles": in_role_order(current_user.roles),
        }
    )


@bp.get("/documents")
@role_required(*READERS)
def documents() -> Response:
    found = find_documents(db(), document_filter())
    return jsonify({"documents": documents_json(found)})


@bp.get("/documents/<int:document_id>")
@role_required(*READERS)
def document(document_id: int) -> Response:
    return jsonify(document_json(get_document(document_id)))


@bp.get("/documents/<int:document_id>/file")
@role_required(*READERS)
def document_file_(document_id: int) -> Response:
    return document_file(get_document(document_id))


@bp.get("/documents/<int:document_id>/signatures/<int:signature_id>")
@role_required(*READERS)
def signature(document_id: int, signature_id: int) -> Response:
    return signature_file(get_document(document_id), signature_id)


@bp.post("/documents/<int:document_id>/sign")
@role_required(*SIGNERS)
def sign(document_id: int) -> Response:
    get_document(document_id)
    password = form_text("password", "password", limit=500, strip=False)
    # a wrong password is 403, a locked key 423 (their class's status, by the error handler)
    (result,) = sign_documents(db(), settings(), current_user.login, [document_id], password)
    if not result.ok:  # this document refused, the key was fine
        raise Conflict(result.message)
    db().commit()
    return jsonify(
        {"message": result.message, "document": document_json(get_document(document_id))}
    )


@bp.post("/documents/<int:document_id>/return")
@role_required(*SIGNERS)
def return_(document_id: int) -> Response:
    get_document(document_id)
    comment = form_text("comment", "comment", limit=2000)
    return_document(db(), current_user.login, document_id, comment)
    db().commit()
    return jsonify({"document": document_json(get_document(document_id))})


@bp.post("/documents/<int:document_id>/resubmit")
@role_required("secretary", "admin")
def resubmit(document_id: int) -> Response:
    get_document(document_id)
    answer = form_text("answer", "answer", limit=ANSWER_LIMIT)
    resubmit_document(db(), current_user.login, document_id, answer)
    db().commit()
    return jsonify({"document": document_json(get_document(document_id))})


@bp.get("/batches")
@role_required(*BATCH_READERS)
def batches() -> Response:
    return jsonify({"batches": [batch_json(b) for b in recent_batches(db(), 200)]})


@bp.post("/batches")
@role_required("secretary")
def upload() -> tuple[Response, int]:
    filename, data = form_file("file", "file")
    (batch_id, duplicate), digest = upload_workbook(filename, data)
    body = {"batch": batch_id, "sha256": digest, "duplicate": duplicate}
    if batch_id is not None:
        body["url"] = url_for("api.batch", batch_id=batch_id)
    if duplicate:  # nothing accepted: the batch that processed it is the answer
        body["message"] = already_processed(filename, batch_id)
        return jsonify(body), 200
    return jsonify(body), 202


@bp.get("/watcher")
@role_required("secretary", "admin")
def watcher() -> Response:
    health = read_health(settings().var)
    return jsonify(
        {
            "state": health.state,
            "ok": health.ok,
            "text": health.text(),
            "heartbeat": health.beat.isoformat() if health.beat else None,
            "file": health.file,
            "since": health.since.isoformat() if health.since else None,
            "handled": health.handled,
        }
    )


@bp.get("/batches/<int:batch_id>")
@role_required(*BATCH_READERS)
def batch(batch_id: int) -> Response:
    item = get_batch(batch_id)
    body = batch_json(item)
    body["documents"] = documents_json(batch_documents(db(), item))
    return jsonify(body)


@bp.get("/batches/<int:batch_id>/report")
@role_required(*BATCH_READERS)
def batch_report(batch_id: int) -> Response:
    item = get_batch(batch_id)
    return jsonify({"id": item.id, "status": item.status, "report": item.report or ""})


@bp.post("/verify")
@role_required(*VERIFIERS)
def verify() -> Response:
    filename, verdict = verify_upload(("file", "signature"))
    return jsonify({"file": filename, **verdict_json(verdict)})


@bp.get("/section12")
@role_required("curator", "inspector")
def section12() -> Response:
    year = chosen_year()
    rows = [
        {
            "position": row.position,
            "kind": row.kind.id,
            "title": row.kind.title,
            "present": row.present,
            "signed": row.signed,
            "number": row.number,
            "reg_date": _iso(row.reg_date),
            "document": row.document.id if row.document else None,
            "signatures": [
                {
                    "signer": s.name,
                    "role": s.role,
                    "method": s.method,
                    "signed_at": _iso(s.signed_at),
                }
                for s in row.signatures
            ],
        }
        for row in completeness(db(), year)
    ]
    org = organization()
    return jsonify({"year": year or (org.school_year if org else None), "documents": rows})


@bp.get("/packs/section12")
@role_required("curator", "inspector")
def pack_section12() -> Response:
    year = chosen_year()
    return send_pack(lambda s, st, var: section12_pack(s, st, var, year))


@bp.get("/packs/batches/<int:batch_id>")
@role_required("curator")
def pack_batch(batch_id: int) -> Response:
    return send_pack(lambda s, st, var: batch_pack(s, st, var, batch_id))


@bp.get("/packs/pairs/<int:pair_id>")
@role_required("curator")
def pack_pair(pair_id: int) -> Response:
    year = pair_year(pair_id)
    return send_pack(lambda s, st, var: pair_pack(s, st, var, pair_id, year))
