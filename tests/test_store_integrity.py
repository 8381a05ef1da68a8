"""A stored file changed on disk is never served beside its genuine signature: every read
re-hashes it, the refusal is in Russian, logged and written to the ledger."""

from __future__ import annotations

import os
import subprocess

from sqlalchemy import select

from service.register.db import session_scope
from service.register.models import Document, Event
from service.store import FileStore
from tests import cli
from tests.signing_calls import sign_documents
from tests.web_school import KEY_PASSWORD, NAMES, issue_key, login


def tamper(settings, document_id: int) -> str:
    """Change one byte of the document's stored file; returns its SHA-256."""
    with session_scope(settings.database_url) as s:
        digest = s.get(Document, document_id).sha256
    path = FileStore(settings.store_dir).path_for(digest)
    data = bytearray(path.read_bytes())
    data[-10] ^= 1
    path.write_bytes(bytes(data))
    return digest


def ledger_verify(settings) -> subprocess.CompletedProcess:
    """``nastavnik ledger verify`` run on the school's home, as its administrator runs it."""
    return cli.nastavnik(
        "ledger", "verify", env={**os.environ, "NASTAVNIK_HOME": str(settings.home)}
    )


def refusal(digest: str) -> str:
    return (
        f"Файл хранилища {digest[:12]}… изменён на диске после записи (его SHA-256 не совпадает "
        "с записанным в реестре), поэтому он не выдаётся. Сообщите администратору: файл нужно "
        "восстановить из резервной копии."
    )


def test_a_changed_file_is_refused_at_download_in_the_pages_and_the_api(client, web_school, caplog):
    settings = web_school.settings
    order = web_school.doc_id("order_pairs")
    digest = tamper(settings, order)
    login(client, "curator")
    page = client.get(f"/documents/{order}/file")
    assert page.status_code == 409 and refusal(digest) in page.get_data(as_text=True)
    api = client.get(f"/api/documents/{order}/file")
    assert (api.status_code, api.get_json()) == (409, {"error": refusal(digest)})
    with session_scope(settings.database_url) as s:
        events = s.scalars(select(Event).where(Event.kind == "store_file_changed")).all()
        assert [(e.actor, e.details) for e in events] == [
            ("curator", {"sha256": digest, "request": f"GET /documents/{order}/file"}),
            ("curator", {"sha256": digest, "request": f"GET /api/documents/{order}/file"}),
        ]
    path = FileStore(settings.store_dir).path_for(digest)
    logged = [r.getMessage() for r in caplog.records if r.name == "nastavnik.store"]
    assert logged == [f"файл хранилища изменён на диске: {path}"] * 2


def test_a_changed_file_is_neither_signed_nor_packed(client, web_school):
    settings = web_school.settings
    program = web_school.doc_id("program")
    (approved,) = sign_documents(settings, "director", [program], KEY_PASSWORD)
    assert approved.ok, approved.message
    digest = tamper(settings, program)  # the curator signs the approved bytes as they are
    issue_key(settings, "curator", NAMES["curator"], "Куратор", "curator", "ключ-куратора-1")
    (result,) = sign_documents(settings, "curator", [program], "ключ-куратора-1")
    assert not result.ok
    assert result.message == f"Документ № {program} не подписан. {refusal(digest)}"
    regulation = tamper(settings, web_school.doc_id("regulation"))
    login(client, "curator")
    pack = client.get("/packs/section12.zip")
    assert pack.status_code == 409 and refusal(regulation) in pack.get_data(as_text=True)


def test_the_ledger_check_names_a_changed_file_nobody_downloaded(web_school):
    """`nastavnik ledger verify` said «Журнал цел» over a document changed on disk: only a
    download would have told."""
    settings = web_school.settings
    regulation = web_school.doc_id("regulation")
    digest = tamper(settings, regulation)
    result = ledger_verify(settings)
    assert (result.returncode, result.stdout) == (
        1,
        "Файлы хранилища изменены на диске после записи (их SHA-256 не совпадает с реестром); "
        "восстановите их из резервной копии:\n"
        f"документ № {regulation} «Положение о наставничестве.docx»: {digest[:12]}…\n",
    )


def test_the_inspector_is_told_of_a_changed_file_on_his_page(client, web_school):
    regulation = web_school.doc_id("regulation")
    login(client, "inspector")
    assert 'id="changed-files"' not in client.get("/inspector/").get_data(as_text=True)
    digest = tamper(web_school.settings, regulation)
    page = client.get("/inspector/").get_data(as_text=True)
    assert (
        "Файлы хранилища изменены на диске после записи (их SHA-256 не совпадает с реестром), "
        "они не выдаются. Сообщите администратору: файлы нужно восстановить из резервной копии."
    ) in page
    line = f"документ № {regulation} «Положение о наставничестве.docx»: {digest[:12]}…"
    assert f"<li>{line}</li>" in page


def test_the_inspectors_page_hashes_again_only_what_changed_on_disk(
    client, web_school, monkeypatch
):
    """Every visit re-hashed the whole store (0.3–0.4 s for 3,094 documents): a file is read
    again only when its status on disk moved. A file changed and its time set back (touch -r)
    is found all the same: its change time moved."""
    from service.signing import stored

    read = []

    def counted(path):
        read.append(path)
        return real(path)

    real = stored.sha256_file
    monkeypatch.setattr(stored, "sha256_file", counted)
    login(client, "inspector")
    assert 'id="changed-files"' not in client.get("/inspector/").get_data(as_text=True)
    first = len(read)
    with session_scope(web_school.settings.database_url) as s:
        files = len(s.scalars(select(Document.id).where(Document.status != "superseded")).all())
    assert first >= files
    read.clear()
    assert 'id="changed-files"' not in client.get("/inspector/").get_data(as_text=True)
    assert read == []
    regulation = web_school.doc_id("regulation")
    with session_scope(web_school.settings.database_url) as s:
        path = FileStore(web_school.settings.store_dir).path_for(s.get(Document, regulation).sha256)
    before = path.stat()
    digest = tamper(web_school.settings, regulation)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # its old time back
    page = client.get("/inspector/").get_data(as_text=True)
    assert read == [path]
    line = f"документ № {regulation} «Положение о наставничестве.docx»: {digest[:12]}…"
    assert f"<li>{line}</li>" in page


def test_a_changed_signature_file_is_named_in_russian(web_school):
    """The line of a changed signature named the signer's role by its code («(director)»)."""
    from service.register.models import Signature
    from service.signing.stored import changed_files

    settings = web_school.settings
    program = web_school.doc_id("program")
    (approved,) = sign_documents(settings, "director", [program], KEY_PASSWORD)
    assert approved.ok, approved.message
    with session_scope(settings.database_url) as s:
        digest = s.scalars(select(Signature.sha256).where(Signature.document_id == program)).one()
    path = FileStore(settings.store_dir).path_for(digest)
    path.write_bytes(path.read_bytes() + b"\0")
    with session_scope(settings.database_url) as s:
        name = s.get(Document, program).file_name
        assert changed_files(s, FileStore(settings.store_dir)) == [
            f"документ № {program} «{name}», подпись (руководитель): {digest[:12]}…"
        ]


def test_the_ledger_check_names_a_signed_documents_file_deleted_from_the_store(client, web_school):
    """A signed document's file or its .p7s deleted from var/store: the check said «Журнал
    цел». A file nobody signed yet is not named (an upgraded release 0.1 home lacks those)."""
    from service.register.models import Signature

    settings = web_school.settings
    order = web_school.doc_id("order_implementation")
    (signed,) = sign_documents(settings, "director", [order], KEY_PASSWORD)
    assert signed.ok, signed.message
    regulation = web_school.doc_id("regulation")  # not signed
    with session_scope(settings.database_url) as s:
        document = s.get(Document, order)
        name, digest = document.file_name, document.sha256
        p7s = s.scalars(select(Signature.sha256).where(Signature.document_id == order)).one()
        draft = s.get(Document, regulation).sha256
    store = FileStore(settings.store_dir)
    for gone in (digest, p7s, draft):
        store.path_for(gone).unlink()
    result = ledger_verify(settings)
    assert (result.returncode, result.stdout) == (
        1,
        "Файлов подписанных документов нет в хранилище (var/store): они удалены в обход "
        "сервиса; восстановите их из резервной копии:\n"
        f"документ № {order} «{name}»: {digest[:12]}… — файла нет в хранилище\n"
        f"документ № {order} «{name}», подпись (руководитель): {p7s[:12]}… — файла нет в "
        "хранилище\n",
    )
    login(client, "inspector")
    page = client.get("/inspector/").get_data(as_text=True)
    assert (
        "Файлов подписанных документов нет в хранилище: они удалены в обход сервиса. Сообщите "
        "администратору: файлы нужно восстановить из резервной копии."
    ) in page
    assert f"<li>документ № {order} «{name}»: {digest[:12]}… — файла нет в хранилище</li>" in page
    assert 'id="changed-files"' not in page and draft[:12] not in page


def test_a_signed_programme_whose_file_was_deleted_is_refused_in_words(web_school):
    """The next signer of a document whose file is gone got a FileNotFoundError (an unsigned
    one's file is made again at its first signature: the approval date is put in)."""
    settings = web_school.settings
    program = web_school.doc_id("program")
    (approved,) = sign_documents(settings, "director", [program], KEY_PASSWORD)
    assert approved.ok, approved.message
    with session_scope(settings.database_url) as s:
        digest = s.get(Document, program).sha256
    FileStore(settings.store_dir).path_for(digest).unlink()
    issue_key(settings, "curator", NAMES["curator"], "Куратор", "curator", "ключ-куратора-1")
    (result,) = sign_documents(settings, "curator", [program], "ключ-куратора-1")
    assert (result.ok, result.message) == (
        False,
        f"Документ № {program} не подписан: его файла {digest[:12]}… нет в хранилище. "
        "Сообщите администратору: файл нужно восстановить из резервной копии.",
    )
