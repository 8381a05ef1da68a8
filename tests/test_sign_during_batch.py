"""The director signs a document while a batch is making its next version.

The batch reads the register's latest versions, renders, and then marks each replaced version
«заменён новой версией». A signature that came in between must not be overwritten by that mark:
a signed document is never superseded (its paper is the version that was signed).
"""

from __future__ import annotations

import threading
import time

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, select, text

from service import versions
from service.intake.demo import write_demo_workbook
from service.pipeline import process_workbook
from service.register import db as register_db
from service.register.db import session_scope
from service.register.models import Document, DocumentStatus, Signature
from tests.lock_waits import LockWaits
from tests.signing_calls import sign_documents
from tests.test_signing_workflow import DIRECTOR_PASSWORD, build_school


@pytest.fixture
def school(homes, database_kind, tmp_path, request):
    return homes.copy(request, build_school, database_kind, tmp_path / "home")


WAITING = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")


def _start_signer_and_wait(url: str, signer: threading.Thread) -> None:
    """Start ``signer`` and return once it has finished, or waits for the register's write lock
    (PostgreSQL: seen in ``pg_locks``; SQLite: inside the statement that takes it,
    tests/lock_waits.py). A signer that never asks for the lock has ten seconds to finish, as
    before (it used to be given them whatever it did)."""
    if url.startswith("postgresql"):
        signer.start()
        _signer_waits_on_postgresql(url, signer)
        return
    waits = LockWaits(url)
    signer.start()
    waits.wait_until_waiting(signer, timeout=10)


def _signer_waits_on_postgresql(url: str, signer: threading.Thread) -> None:
    engine = create_engine(url)
    try:
        while signer.is_alive():
            with engine.connect() as connection:
                waiting = connection.execute(WAITING).scalar()
            if waiting:
                return
            time.sleep(0.05)
    finally:
        engine.dispose()


@pytest.mark.postgresql
def test_a_document_signed_while_a_batch_renews_it_is_never_marked_superseded(
    school, tmp_path, monkeypatch
):
    with session_scope(school.database_url) as s:
        order = s.scalars(
            select(Document.id).where(
                Document.kind == "program",
                Document.subject_label == "П-01",
                Document.status != DocumentStatus.SUPERSEDED,
            )
        ).one()
    changed = tmp_path / "новая цель.xlsx"
    write_demo_workbook(changed)
    book = load_workbook(changed)
    book["Пары"]["I2"] = "Новая цель пары"
    book.save(changed)

    results: list = []
    signer = threading.Thread(
        target=lambda: results.extend(
            sign_documents(school, "director", [order], DIRECTOR_PASSWORD)
        )
    )
    real = versions.latest_versions

    def latest_then_sign(session, wanted):
        found = real(session, wanted)
        # the batch has read the order as awaiting its signature: the director signs it now
        _start_signer_and_wait(school.database_url, signer)
        return found

    monkeypatch.setattr(versions, "latest_versions", latest_then_sign)
    # PostgreSQL: the signing waits for the batch however long a loaded machine makes it
    monkeypatch.setattr(register_db, "BUSY_TIMEOUT_SECONDS", 600)
    result = process_workbook(school, changed)
    signer.join(120)
    assert not signer.is_alive()
    assert result.outcome.name == "DONE"

    with session_scope(school.database_url) as s:
        first = s.get(Document, order)
        signatures = s.scalars(select(Signature).where(Signature.document_id == order)).all()
        newer = s.scalars(
            select(Document).where(
                Document.kind == "program", Document.subject_key == first.subject_key
            )
        ).all()
        states = sorted((d.version, str(d.status)) for d in newer)
    # the batch came first: the version it replaced is superseded and nobody signed it
    assert (first.status, signatures) == (DocumentStatus.SUPERSEDED, [])
    assert [r.ok for r in results] == [False]
    assert results[0].message == (
        f"Документ № {order} не ожидает подписи (состояние: заменён новой версией)."
    )
    assert states == [(1, "superseded"), (2, "awaiting_signature")]


@pytest.mark.parametrize("database_kind", ["postgresql"], indirect=True)
def test_a_signing_waits_for_the_register_no_longer_than_sqlite_would(
    school, database_kind, monkeypatch
):
    """On PostgreSQL a writer waited for the register's lock without end: a director signing
    during a batch of thousands of documents had her page hang for minutes. It now waits as
    long as SQLite's busy timeout (30 s; 1 s here) and is told to try again (503 on the pages,
    «повторите чуть позже»)."""
    # PostgreSQL only: SQLite's own busy timeout bounds its wait (tests/test_concurrency.py)
    from service.register import db
    from service.register.db import REGISTER_LOCK, is_locked_error

    with session_scope(school.database_url) as s:
        order = s.scalars(
            select(Document.id).where(
                Document.kind == "order_pairs", Document.status != DocumentStatus.SUPERSEDED
            )
        ).one()
    monkeypatch.setattr(db, "BUSY_TIMEOUT_SECONDS", 1)
    failures: list[BaseException] = []

    def sign() -> None:
        try:
            sign_documents(school, "director", [order], DIRECTOR_PASSWORD)
        except BaseException as exc:  # what the adapter is given
            failures.append(exc)

    engine = create_engine(school.database_url)
    signer = threading.Thread(target=sign)
    try:
        with engine.connect() as holder:  # another writer, holding the register
            holder.execute(text(f"SELECT pg_advisory_xact_lock({REGISTER_LOCK})"))
            signer.start()
            signer.join(60)
            waited_without_end = signer.is_alive()
            holder.rollback()
        signer.join(120)
    finally:
        engine.dispose()
    assert not waited_without_end
    assert len(failures) == 1 and is_locked_error(failures[0])
    with session_scope(school.database_url) as s:
        assert s.get(Document, order).status == DocumentStatus.AWAITING_SIGNATURE
