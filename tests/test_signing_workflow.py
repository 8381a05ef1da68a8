"""The director's signature end to end: a real CA, real keys, real SQLite, the system openssl."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from service.documents.text import docx_text
from service.intake.demo import write_demo_workbook
from service.pipeline import process_workbook
from service.register.db import new_session, session_scope
from service.register.models import Checkpoint, Document, DocumentStatus, Event, Signer, User
from service.signing import workflow
from service.signing.authority import ensure_ca
from service.signing.errors import SigningError, WrongPassword
from service.signing.ledger import inclusion_proof_for_document, verify_ledger, write_checkpoint
from service.signing.merkle import verify_inclusion
from service.signing.signers import get_or_create_user, revoke_signer
from service.signing.verification import verify_file
from service.signing.workflow import pending_documents
from service.store import FileStore
from tests.signing_calls import attach_scan, return_document, sign_documents
from tests.web_school import issue_key

CA_PASSWORD = "ca-пароль-1"
DIRECTOR_PASSWORD = "директор-школы-2"
ORG = "Муниципальное бюджетное общеобразовательное учреждение Идринская СОШ"


def director_key(settings, org: str = ORG) -> None:
    """The school's CA (of ``org``) and the key of its director, Кинякина."""
    ensure_ca(settings.var, org, CA_PASSWORD)
    issue_key(
        settings,
        "director",
        "Кинякина Татьяна Игоревна",
        "Директор",
        "director",
        DIRECTOR_PASSWORD,
        ca_password=CA_PASSWORD,
        org=org,
    )


def build_school(settings, folder: Path) -> None:
    """The demo workbook processed, a CA, the director's key and the secretary."""
    workbook = folder / "школа.xlsx"
    write_demo_workbook(workbook)
    process_workbook(settings, workbook)
    director_key(settings)
    with session_scope(settings.database_url) as s:
        get_or_create_user(s, "secretary", "Иванова Анна Петровна", "secretary")


@pytest.fixture
def school(homes, database_kind, tmp_path, request):
    """A copy of a home with the demo workbook processed, a CA and the director's key (built
    once per session, see tests/homes.py)."""
    return homes.copy(request, build_school, database_kind, tmp_path / "home")


def doc_id(settings, kind: str) -> int:
    with session_scope(settings.database_url) as s:
        return s.scalars(
            select(Document.id).where(
                Document.kind == kind, Document.status != DocumentStatus.SUPERSEDED
            )
        ).first()


def files_of(settings, document_id: int, tmp_path: Path) -> tuple[Path, Path]:
    """The signed document and its .p7s, as an inspector receives them."""
    store = FileStore(settings.store_dir)
    with session_scope(settings.database_url) as s:
        document = s.get(Document, document_id)
        doc, sig = document.sha256, document.signatures[-1].sha256
    (tmp_path / "doc.docx").write_bytes(store.get(doc))
    (tmp_path / "doc.p7s").write_bytes(store.get(sig))
    return tmp_path / "doc.docx", tmp_path / "doc.p7s"


def openssl_verify(settings, doc: Path, p7s: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            "openssl",
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            str(p7s),
            "-content",
            str(doc),
            "-CAfile",
            str(settings.ca_certificate),
            "-out",
            "/dev/null",
        ],
        capture_output=True,
        text=True,
    )


def service_verify(settings, data: bytes, p7s: bytes | None = None):
    with session_scope(settings.database_url) as s:
        return verify_file(s, settings.var, FileStore(settings.store_dir), data, p7s)


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_orders_wait_for_the_director(school):
    with session_scope(school.database_url) as s:
        kinds = {d.kind for d in pending_documents(s, "director")}
    assert {"order_implementation", "order_pairs", "regulation", "program"} <= kinds
    assert "consent_adult" not in kinds


@pytest.mark.postgresql
def test_signed_order_carries_its_number_and_verifies_with_openssl(school, tmp_path):
    first, second = doc_id(school, "order_implementation"), doc_id(school, "order_pairs")
    results = sign_documents(school, "director", [first, second], DIRECTOR_PASSWORD)
    assert [r.ok for r in results] == [True, True]
    assert results[0].number.startswith("1/") and results[1].number.startswith("2/")
    doc, p7s = files_of(school, second, tmp_path)
    text = docx_text(doc)
    head = text.split("с.\u00a0Идринское")[0]  # the order's head: its date, number and place
    assert f"№\u00a0{results[1].number}" in head and "_______" not in head
    assert openssl_verify(school, doc, p7s).returncode == 0
    verdict = service_verify(school, doc.read_bytes(), p7s.read_bytes())
    assert verdict.found and verdict.ok
    assert "Кинякина Татьяна Игоревна" in verdict.to_text()
    assert results[1].number in verdict.to_text()


def test_one_changed_byte_is_detected(school, tmp_path):
    order = doc_id(school, "order_pairs")
    sign_documents(school, "director", [order], DIRECTOR_PASSWORD)
    doc, p7s = files_of(school, order, tmp_path)
    flip(doc, 1000)
    assert openssl_verify(school, doc, p7s).returncode != 0
    verdict = service_verify(school, doc.read_bytes(), p7s.read_bytes())
    assert not verdict.found and not verdict.ok
    assert "нет в реестре" in verdict.to_text()

    doc, p7s = files_of(school, order, tmp_path)
    flip(p7s, len(p7s.read_bytes()) - 20)  # inside the signature value
    assert openssl_verify(school, doc, p7s).returncode != 0
    assert not service_verify(school, doc.read_bytes(), p7s.read_bytes()).ok


def test_a_wrong_password_signs_nothing(school):
    order = doc_id(school, "order_pairs")
    with pytest.raises(WrongPassword):
        sign_documents(school, "director", [order], "не тот пароль")
    with session_scope(school.database_url) as s:
        document = s.get(Document, order)
        assert document.status == DocumentStatus.AWAITING_SIGNATURE
        assert not document.signatures and document.number is None


def test_a_revoked_signer_signs_nothing_and_verification_dates_the_revocation(school, tmp_path):
    """A key revoked after it signed (the ledger recorded the signature first) leaves that
    signature valid, with a warning — as the archive bag's check and its ПРОВЕРКА.txt count
    it; revoked before the signing moment, the signature is invalid."""
    order = doc_id(school, "order_pairs")
    sign_documents(school, "director", [order], DIRECTOR_PASSWORD)
    with session_scope(school.database_url) as s:
        revoke_signer(s, "director", "утерян ключ")
        signer = s.scalars(select(Signer).where(Signer.revoked_at.is_not(None))).one()
        revoked_at, serial = signer.revoked_at, signer.serial
    with pytest.raises(SigningError, match="нет действующего ключа"):
        sign_documents(school, "director", [doc_id(school, "order_training")], DIRECTOR_PASSWORD)
    doc, p7s = files_of(school, order, tmp_path)
    later = (
        f"сертификат отозван {revoked_at:%d.%m.%Y %H:%M} — после подписания: подпись "
        "поставлена до отзыва и остаётся действительной"
    )
    for brought in (None, p7s.read_bytes()):
        verdict = service_verify(school, doc.read_bytes(), brought)
        assert verdict.ok, verdict.to_text()
        assert verdict.signatures[0].warnings == [later]
        assert f"  — ВНИМАНИЕ: {later}\n" in verdict.to_text()
    with session_scope(school.database_url) as s:  # as if revoked a minute before it signed
        signature = s.get(Document, order).signatures[0]
        s.scalars(select(Signer).where(Signer.serial == serial)).one().revoked_at = (
            signature.signed_at - timedelta(minutes=1)
        )
    verdict = service_verify(school, doc.read_bytes(), p7s.read_bytes())
    assert not verdict.ok
    assert verdict.signatures[0].status.problems == (
        f"Сертификат отозван (серийный номер {serial}): подпись недействительна",
    )
    assert verdict.external.problems == verdict.signatures[0].status.problems


def test_a_secretary_cannot_sign_an_order(school):
    with pytest.raises(SigningError, match="нет действующего ключа"):
        sign_documents(school, "secretary", [doc_id(school, "order_pairs")], "x")
    with session_scope(school.database_url) as s:
        assert pending_documents(s, "secretary") == []


def test_a_curator_key_cannot_sign_an_order(school):
    issue_key(
        school,
        "curator",
        "Бутрина Ольга Николаевна",
        "заместитель директора по УВР",
        "curator",
        "пароль-куратора",
        ca_password=CA_PASSWORD,
        org=ORG,
    )
    (result,) = sign_documents(
        school, "curator", [doc_id(school, "order_pairs")], "пароль-куратора"
    )
    assert not result.ok and "не подписывается" in result.message


@pytest.mark.postgresql
def test_returned_document_is_superseded_by_its_corrected_version(school, tmp_path):
    order = doc_id(school, "order_pairs")
    return_document(school, "director", order, "Уточните сроки пары П-02")
    with session_scope(school.database_url) as s:
        document = s.get(Document, order)
        assert document.status == DocumentStatus.RETURNED
        assert document.comment == "Уточните сроки пары П-02"
    again = tmp_path / "снова.xlsx"
    write_demo_workbook(again)
    from openpyxl import load_workbook

    book = load_workbook(again)
    book["Обучение наставников"]["A2"] = "Другая тема обучения"
    book.save(again)
    process_workbook(school, again)  # the pairs' data unchanged: the order stays returned
    with session_scope(school.database_url) as s:
        (version,) = s.scalars(select(Document).where(Document.kind == "order_pairs")).all()
        assert version.status == DocumentStatus.RETURNED

    book = load_workbook(again)
    book["Пары"]["H3"] = datetime(2024, 5, 17)  # П-02's end, as the comment asks (the order
    book.save(again)  # prints no goals: a goal alone would leave the same text returned)
    process_workbook(school, again)
    with session_scope(school.database_url) as s:
        versions = s.scalars(
            select(Document).where(Document.kind == "order_pairs").order_by(Document.version)
        ).all()
        assert [v.version for v in versions] == [1, 2]
        assert versions[0].status == DocumentStatus.SUPERSEDED
        assert versions[0].comment == "Уточните сроки пары П-02"
        assert versions[1].status == DocumentStatus.AWAITING_SIGNATURE


def test_signed_version_is_never_changed(school, tmp_path):
    order = doc_id(school, "order_pairs")
    sign_documents(school, "director", [order], DIRECTOR_PASSWORD)
    with session_scope(school.database_url) as s:
        signed_sha = s.get(Document, order).sha256
    again = tmp_path / "снова.xlsx"
    write_demo_workbook(again)
    from openpyxl import load_workbook

    book = load_workbook(again)
    book["Пары"]["I2"] = "Новая цель"
    book.save(again)
    process_workbook(school, again)
    with session_scope(school.database_url) as s:
        first = s.get(Document, order)
        assert first.sha256 == signed_sha and first.status == DocumentStatus.SIGNED


@pytest.mark.postgresql
def test_scan_of_a_paper_consent_signs_it(school):
    consent = doc_id(school, "consent_adult")
    attach_scan(school, consent, b"%PDF-1.4 scan")
    with session_scope(school.database_url) as s:
        document = s.get(Document, consent)
        assert document.status == DocumentStatus.SIGNED
        assert document.signatures[0].method == "paper"
        kinds = [e.kind for e in s.scalars(select(Event).where(Event.document_id == consent))]
    assert "scan_attached" in kinds


@pytest.mark.postgresql
def test_ledger_detects_an_edited_row_and_proves_inclusion(school):
    order = doc_id(school, "order_pairs")
    sign_documents(school, "director", [order], DIRECTOR_PASSWORD)
    store = FileStore(school.store_dir)
    with session_scope(school.database_url) as s:
        write_checkpoint(s, school.var, store, CA_PASSWORD)
        assert verify_ledger(s, school.var, store).ok
        proof = inclusion_proof_for_document(s, order)
    assert verify_inclusion(
        proof["entry"].encode(),
        proof["index"],
        proof["tree_size"],
        [bytes.fromhex(h) for h in proof["proof"]],
        bytes.fromhex(proof["root"]),
    )
    with session_scope(school.database_url) as s:  # someone edits a row in the database
        event = s.get(Event, proof["event"])
        event.details = {**event.details, "number": "99/99"}
    with session_scope(school.database_url) as s:
        verdict = verify_ledger(s, school.var, store)
    assert not verdict.ok and verdict.first_bad_event == proof["event"]


def test_a_user_is_created_for_a_new_signer(school):
    with session_scope(school.database_url) as s:
        user = s.scalars(select(User).where(User.login == "director")).one()
        assert "director" in user.role_set


def test_a_scan_does_not_reopen_a_signed_or_archived_document(school):
    consent = doc_id(school, "consent_adult")
    attach_scan(school, consent, b"%PDF-1.4 scan")
    with pytest.raises(SigningError, match="не прикладывается"):
        attach_scan(school, consent, b"%PDF-1.4 another scan")
    with session_scope(school.database_url) as s:
        s.get(Document, consent).status = DocumentStatus.ARCHIVED
    with pytest.raises(SigningError, match="не прикладывается"):
        attach_scan(school, consent, b"%PDF-1.4 scan")
    with session_scope(school.database_url) as s:
        assert s.get(Document, consent).status == DocumentStatus.ARCHIVED


def test_the_director_replaces_the_password_the_admin_chose(school):
    from tests.signing_calls import change_key_password

    with pytest.raises(WrongPassword):
        change_key_password(school.database_url, "director", "не тот пароль", "мой-пароль-ключа")
    with pytest.raises(SigningError, match="не короче 10 символов"):
        change_key_password(school.database_url, "director", DIRECTOR_PASSWORD, "короткий")
    assert (
        change_key_password(school.database_url, "director", DIRECTOR_PASSWORD, "мой-пароль-ключа")
        == 1
    )
    with pytest.raises(WrongPassword):
        sign_documents(school, "director", [doc_id(school, "order_pairs")], DIRECTOR_PASSWORD)
    (result,) = sign_documents(
        school, "director", [doc_id(school, "order_pairs")], "мой-пароль-ключа"
    )
    assert result.ok


def test_the_caller_owns_the_signing_transaction(school):
    """Signed in the caller's session and rolled back by it: no signature, no number, no
    checkpoint row nor file. Committed: all of them, the checkpoint file after the commit."""
    order = doc_id(school, "order_pairs")
    ledger = school.var / "ledger"

    def state() -> tuple:
        with session_scope(school.database_url) as s:
            document = s.get(Document, order)
            checkpoints = len(s.scalars(select(Checkpoint)).all())
            signed = (len(document.signatures), document.number, document.status)
        return signed, checkpoints, sorted(p.name for p in ledger.glob("*"))

    before = state()
    assert before[0] == (0, None, DocumentStatus.AWAITING_SIGNATURE)
    session = new_session(school.database_url)
    try:
        (result,) = workflow.sign_documents(session, school, "director", [order], DIRECTOR_PASSWORD)
        assert result.ok and not (ledger / f"checkpoint-{before[1] + 1:04d}.txt").exists()
        session.rollback()
    finally:
        session.close()
    assert state() == before
    with session_scope(school.database_url) as session:
        (result,) = workflow.sign_documents(session, school, "director", [order], DIRECTOR_PASSWORD)
        assert not (ledger / f"checkpoint-{before[1] + 1:04d}.txt").exists()
    (signatures, number, status), checkpoints, files = state()
    assert (signatures, number, status, checkpoints) == (
        1,
        result.number,
        DocumentStatus.SIGNED,
        before[1] + 1,
    )
    assert number and files == sorted(
        [*before[2], f"checkpoint-{checkpoints:04d}.txt", f"checkpoint-{checkpoints:04d}.txt.p7s"]
    )


def test_the_inspector_page_shows_a_revocation_after_signing(app, web_school):
    """The warnings of a sound signature (here: its key revoked after it signed) are on the
    inspector's page itself, not only under «подробнее»."""
    import io
    import re

    from tests.web_school import KEY_PASSWORD, login

    settings = web_school.settings
    order = web_school.doc_id("order_pairs")
    (result,) = sign_documents(settings, "director", [order], KEY_PASSWORD)
    assert result.ok, result.message
    with session_scope(settings.database_url) as s:
        revoke_signer(s, "director", "перевод в другую школу")
        revoked_at = s.scalars(select(Signer.revoked_at)).one()
        document = s.get(Document, order)
        data, signed_at = (
            FileStore(settings.store_dir).get(document.sha256),
            document.signatures[0].signed_at,
        )
    inspector = app.test_client()
    login(inspector, "inspector")
    page = inspector.post(
        "/inspector/verify",
        data={"file": (io.BytesIO(data), "приказ.docx")},
        content_type="multipart/form-data",
    )
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.get_data(as_text=True)))
    signatures = shown[shown.index("Подписи:") : shown.index("ИТОГ:")]
    assert signatures.strip() == (
        f"Подписи: ПОДПИСЬ ВЕРНА : руководитель — Кинякина Татьяна Игоревна, подписано "
        f"{signed_at:%d.%m.%Y %H:%M} — ВНИМАНИЕ: сертификат отозван {revoked_at:%d.%m.%Y %H:%M} "
        "— после подписания: подпись поставлена до отзыва и остаётся действительной"
    )


@pytest.mark.postgresql
def test_one_document_signed_from_two_clients_at_once_gets_one_signature(school):
    """The director's double click, or two of her browsers, on PostgreSQL as on SQLite: the
    register's write lock lets one signing in at a time, so one signature, one number, and
    the other told the document is signed already."""
    import threading

    order = doc_id(school, "order_pairs")
    start = threading.Barrier(2)
    results: list = []

    def sign() -> None:
        start.wait()
        results.extend(sign_documents(school, "director", [order], DIRECTOR_PASSWORD))

    threads = [threading.Thread(target=sign) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(r.ok for r in results) == [False, True]
    with session_scope(school.database_url) as s:
        document = s.get(Document, order)
        assert len(document.signatures) == 1
        assert s.scalars(select(Event.kind).where(Event.kind == "document_signed")).all() == [
            "document_signed"
        ]


def test_a_signed_pair_document_is_named_with_its_pair(school):
    """The console's «Подписан: …» names the pair of a programme, as the web page does — the
    director signing eight programmes at once read the same line eight times."""
    with session_scope(school.database_url) as s:
        programme, label = s.execute(
            select(Document.id, Document.subject_label)
            .where(Document.kind == "program", Document.status != DocumentStatus.SUPERSEDED)
            .order_by(Document.id)
        ).first()
    (result,) = sign_documents(school, "director", [programme], DIRECTOR_PASSWORD)
    assert result.message == f"Подписан: Персонализированная программа наставничества — {label}."
    assert label == "П-01"
