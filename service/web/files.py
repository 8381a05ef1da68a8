"""Downloads shared by the pages: a document, one of its signatures (``.p7s``) or scans, the
CA certificate, and the ZIP packs. Files are found by id in the register and read from the
content-addressed store; no path from the request ever reaches the file system."""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from flask import Blueprint, request, send_file
from sqlalchemy.orm import Session
from werkzeug.http import parse_if_range_header
from werkzeug.wrappers import Response

from service.archive.exports import export_pack
from service.archive.packs import (
    Pack,
    batch_pack,
    pair_pack,
    school_name,
    section12_pack,
)
from service.errors import Busy
from service.register.archive import destroying_act
from service.register.destroyed import earlier_versions
from service.register.models import Document, Signature
from service.register.terms import earlier_terms
from service.scans import scan_mimetype, scan_suffix
from service.signing.authority import ca_cert_path
from service.store import FileStore
from service.web.errors import NotFound
from service.web.lookups import chosen_year, db, get_document, settings, store
from service.web.security import ALL_ROLES, READERS, role_required

bp = Blueprint("files", __name__)
log = logging.getLogger("nastavnik.web")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


_LATIN = str.maketrans(
    {
        **dict(zip("абвгдеёзийклмнопрстуфыэ", "abvgdeeziiklmnoprstufye", strict=True)),
        **{"ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "iu"},
        **{"я": "ia", "ъ": "ie", "ь": "", "—": "-", "–": "-", "№": "N"},
    }
)


def ascii_name(name: str) -> str:
    """``name`` in Latin letters (as a Russian passport writes them): the ``filename`` that
    programs read which know no ``filename*`` — ``curl -OJ`` saved every document as
    «    .docx», the Cyrillic dropped, each download over the one before."""
    latin = "".join(
        c.translate(_LATIN).capitalize() if upper else c.translate(_LATIN)
        for c, upper in ((c.lower(), c.isupper()) for c in name)
    )
    plain = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", " ", plain.replace('"', "")).strip() or "file"


def send_bytes(data: bytes, name: str, mimetype: str, *, stable: bool = False) -> Response:
    """``stable``: the same address always answers these bytes or carries a new ETag (a file
    of the content-addressed store): a strong ETag (the sha256), If-None-Match and Range with
    If-Range are honoured. Otherwise (a blank, a sample — built on each request, never byte
    for byte the same) a Range gets the whole file and ``Accept-Ranges: none``, so that a
    resumed download never joins the start of one file to the end of another."""
    response = send_file(
        io.BytesIO(data),
        mimetype=mimetype,
        as_attachment=True,
        download_name=name,
        etag=hashlib.sha256(data).hexdigest() if stable else False,
        conditional=stable,
    )
    if not stable:
        response.headers["Accept-Ranges"] = "none"
    return _named(response, name)


def _named(response, name: str):
    """``Content-Disposition`` with ``name`` in Latin letters and, when it differs, in UTF-8."""
    names = {"filename": ascii_name(name)}
    if names["filename"] != name:
        names["filename*"] = "UTF-8''" + quote(name, safe="!#$&+^`|~")
    response.headers.set("Content-Disposition", "attachment", **names)
    return response


def _not_destroyed(document: Document) -> None:
    """404 naming the act when the document was destroyed, or a later version of it (an
    earlier version goes with it): its files are gone by design."""
    session = db()
    act = destroying_act(session, document.id)
    if act is not None:
        raise NotFound(
            f"Документ № {document.id} уничтожен по акту {act} (истёк срок хранения): его "
            "файлов и подписей больше нет."
        )
    later = earlier_versions(session, [document.id]).get(document.id)
    if later is not None:
        raise NotFound(
            f"Документ № {document.id} (версия {document.version}, заменённая новой) уничтожен "
            f"вместе с документом № {later} по акту {destroying_act(session, later)} (истёк "
            "срок хранения): его файлов и подписей больше нет."
        )


def document_file(document: Document) -> Response:
    _not_destroyed(document)
    files = store()
    if not files.has(document.sha256):
        raise NotFound(f"Файл документа № {document.id} отсутствует в хранилище.")
    return send_bytes(files.get(document.sha256), document.file_name, DOCX, stable=True)


def signature_file(document: Document, signature_id: int) -> Response:
    signature = db().get(Signature, signature_id)
    if signature is None or signature.document_id != document.id:
        raise NotFound(f"У документа № {document.id} нет подписи № {signature_id}.")
    _not_destroyed(document)
    files = store()
    if not files.has(signature.sha256):
        raise NotFound("Файл подписи отсутствует в хранилище.")
    data = files.get(signature.sha256)
    if signature.method == "cms":
        return send_bytes(
            data, f"{document.file_name}.p7s", "application/pkcs7-signature", stable=True
        )
    stem = document.file_name.rsplit(".", 1)[0]
    return send_bytes(data, f"{stem} — скан{scan_suffix(data)}", scan_mimetype(data), stable=True)


def ca_certificate() -> Response:
    path = ca_cert_path(settings().var)
    if not path.is_file():
        raise NotFound("Удостоверяющий центр школы ещё не создан.")
    return send_bytes(path.read_bytes(), "ca.pem", "application/x-pem-file", stable=True)


PACK_REMOVED = (
    "Архив ZIP удалён, пока его готовили к отправке: его место в хранилище архивов заняли "
    "другие, скачанные в ту же минуту. Ничего не потеряно — скачайте его ещё раз."
)
"""The answer when a pack is removed each time it is made, before it is sent (503)."""


def send_pack(make: Callable[[Session, FileStore, Path], Pack]) -> Response:
    """A pack made with ``make(session, store, var)`` (or kept from before: the same content is
    the same file, :mod:`service.archive.pack_files`), sent from its file in chunks; its
    content key is a strong ETag, so a broken download resumes (Range with If-Range) and one
    resumed after the content changed gets the whole new file. 404 when there is nothing to
    pack. A pack removed between being made and opened (other requests' packs cleaned it up)
    is made again — the same bytes; it was a 500 (left17)."""
    _date_only_if_range_gets_the_whole_file()
    for _ in range(2):
        pack: Pack = make(db(), store(), settings().var)
        try:
            response = send_file(
                pack.path,
                mimetype="application/zip",
                as_attachment=True,
                download_name=pack.file_name,
                etag=pack.key,
                conditional=True,
            )  # Last-Modified: when the file was written — later for any new content
        except FileNotFoundError:  # cleaned up by another request since it was made
            log.info("архив ZIP %s удалён до отправки: составляется заново", pack.path.name)
            continue
        if response.status_code == 206:
            _range_from_the_file(response, pack.path)
        return _named(response, pack.file_name)
    raise Busy(PACK_REMOVED)


def _date_only_if_range_gets_the_whole_file() -> None:
    """A Range whose If-Range is a date, not the ETag, is answered with the whole file (RFC
    9110 §13.1.5: a date validates a range only when it is a strong validator, and a pack's
    Last-Modified is not — a pack kept from before comes back with its older time, two packs
    written in one second share theirs). Werkzeug sent the range when the date was the file's
    time or later: a download begun on one pack resumed on another (left17)."""
    if "HTTP_RANGE" in request.environ and (
        parse_if_range_header(request.headers.get("If-Range")).date is not None
    ):
        del request.environ["HTTP_RANGE"]


def _range_from_the_file(response, path) -> None:
    """A range (a resumed download) sent as the whole file is: the file, opened at the
    range's start, handed to the server (``wsgi.file_wrapper``), which sends the response's
    length from it in its own loop. Werkzeug's range reader was read out by the request's
    thread, which then waited on a slow reader at every block: each resumed download of a
    large pack held one of the ``web_threads`` to its end."""
    wrapper = request.environ.get("wsgi.file_wrapper")
    if wrapper is None or response.content_range is None:
        return
    try:
        source = open(path, "rb")  # noqa: SIM115 — closed by the server when sent
    except FileNotFoundError:  # removed meanwhile: Werkzeug's reader holds it open still
        return
    source.seek(response.content_range.start)
    response.response.close()  # the range reader over the file send_file opened
    response.response = wrapper(source)
    response.direct_passthrough = True


@bp.get("/documents/<int:document_id>/file")
@role_required(*READERS)
def download(document_id: int) -> Response:
    return document_file(get_document(document_id))


@bp.get("/documents/<int:document_id>/signatures/<int:signature_id>/file")
@role_required(*READERS)
def signature(document_id: int, signature_id: int) -> Response:
    return signature_file(get_document(document_id), signature_id)


@bp.get("/ca.pem")
@role_required(*ALL_ROLES)
def ca_pem() -> Response:
    return ca_certificate()


@bp.get("/packs/section12.zip")
@role_required("curator", "inspector")
def pack_section12() -> Response:
    year = chosen_year()
    return send_pack(lambda s, st, var: section12_pack(s, st, var, year))


@bp.get("/packs/archive/<year>.zip")
@role_required("inspector")
def pack_archive(year: str) -> Response:
    """The year's exported bag (``nastavnik archive export`` without a folder) as one ZIP."""
    return send_pack(lambda s, st, var: export_pack(var, year, school_name(s)))


@bp.get("/packs/batches/<int:batch_id>.zip")
@role_required("curator")
def pack_batch(batch_id: int) -> Response:
    return send_pack(lambda s, st, var: batch_pack(s, st, var, batch_id))


@bp.get("/packs/pairs/<int:pair_id>.zip")
@role_required("curator")
def pack_pair(pair_id: int) -> Response:
    year = pair_year(pair_id)
    return send_pack(lambda s, st, var: pair_pack(s, st, var, pair_id, year))


def pair_year(pair_id: int) -> str | None:
    """The «year» of a pair's pack: one the register knows, or one of the pair's earlier
    terms (its page links them)."""
    return chosen_year(t.school_year for t in earlier_terms(db(), pair_id))
