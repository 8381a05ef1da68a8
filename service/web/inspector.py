"""The inspector's pages, read-only: the section-12 completeness sheet, the archive of current
documents, and verification of any file (with its ``.p7s`` if brought) — the same verdict
``nastavnik verify`` prints."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from service.archive.exports import KeptExport, kept_exports
from service.archive.section12 import completeness
from service.register.archive import year_items
from service.register.queries import find_documents
from service.register.states import destroyed_ids, state_names
from service.register.succession import year_of
from service.signing.authority import has_ca
from service.signing.stored import store_problems
from service.signing.verification import Verdict, verify_file
from service.web.lookups import (
    chosen_year,
    db,
    form_file,
    organization,
    school_years,
    settings,
    store,
)
from service.web.security import role_required

bp = Blueprint("inspector", __name__, url_prefix="/inspector")


def verify_upload(
    labels: tuple[str, str] = ("проверяемый файл", "файл подписи .p7s"),
) -> tuple[str, Verdict]:
    """Verify the uploaded ``file`` (and optional ``signature``); returns its name and the
    verdict. Reads only: nothing is stored."""
    filename, data = form_file("file", labels[0])
    signature = form_file("signature", labels[1], required=False)
    verdict = verify_file(
        db(), settings().var, store(), data, signature[1] if signature and signature[1] else None
    )
    return filename, verdict


@bp.get("/")
@role_required("inspector")
def index() -> str:
    # every visit checks the store (a file changed on disk was told by nothing but its
    # download before), re-hashing only the files changed on disk since this process did
    changed, missing = store_problems(db(), store(), remembered=True)
    org = organization()
    year = chosen_year() or (org.school_year if org else None)
    rows = completeness(db(), year)
    shown = [d for row in rows for d in (row.document, row.pending) if d is not None]
    return render_template(
        "inspector/index.html",
        rows=rows,
        states=state_names(db(), shown),
        destroyed=destroyed_ids(db(), shown),
        year=year,
        years=school_years(),
        has_ca=has_ca(settings().var),
        changed=changed,
        missing=missing,
    )


@bp.get("/archive")
@role_required("inspector")
def archive() -> str:
    exported = kept_exports(settings().var)
    done = {k.year for k in exported}
    years = school_years()
    org = organization()
    year = chosen_year() or (org.school_year if org else None)
    # the documents of one school year (the register's documents of two years at once read
    # as two sets with no year); of each, every version not superseded, as before: a signed
    # order voided by a newer one and a document returned with its comment are on record
    documents = find_documents(db())
    if year:
        documents = [d for d in documents if year_of(d) == year]
    return render_template(
        "inspector/archive.html",
        later=_archived_since(exported),
        documents=documents,
        year=year,
        years=years,
        exports=exported,
        not_exported=[y for y in years if y not in done],
    )


def _archived_since(exported: list[KeptExport]) -> dict[str, int]:
    """Year → how many documents were put into the archive after its bag was exported (not in
    the bag the inspector would download)."""
    later = {}
    for kept in exported:
        archived = {i.document_id for i in year_items(db(), kept.year)}
        if count := len(archived - kept.document_ids()):
            later[kept.year] = count
    return later


@bp.route("/verify", methods=["GET", "POST"])
@role_required("inspector")
def verify() -> str:
    if request.method != "POST":  # HEAD as GET (a HEAD is not checked for the CSRF token)
        return render_template("inspector/verify.html")
    filename, verdict = verify_upload()
    return render_template("inspector/verify.html", filename=filename, verdict=verdict)
