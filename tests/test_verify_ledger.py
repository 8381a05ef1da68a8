"""What verification believes: the signer's name from the certificate and the order's number
from the signed text — never an editable row; ``ledger verify`` holds the register's signatures
and order journal against the ledger, and a checkpoint after every signing batch catches a
ledger whose end was cut off."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, select

from service.register.db import session_scope
from service.register.models import Checkpoint, Document, Event, JournalEntry, Signature
from service.store import FileStore
from tests.signing_calls import sign_documents
from tests.test_signing_cli import run
from tests.web_school import KEY_PASSWORD, NAMES


def sign_order(school) -> tuple[int, str, Path]:
    """The director signs the order on pairs; returns its id, number and the file as given to
    an inspector."""
    order = school.doc_id("order_pairs")
    (result,) = sign_documents(school.settings, "director", [order], KEY_PASSWORD)
    assert result.ok, result.message
    with session_scope(school.settings.database_url) as s:
        document = s.get(Document, order)
        data = FileStore(school.settings.store_dir).get(document.sha256)
    path = school.settings.home.parent / "приказ.docx"
    path.write_bytes(data)
    return order, result.number, path


def test_verify_names_the_signer_from_the_certificate_and_the_number_from_the_text(web_school):
    settings = web_school.settings
    order, number, path = sign_order(web_school)
    with session_scope(settings.database_url) as s:
        s.scalars(
            select(Signature).where(Signature.document_id == order)
        ).one().signer_name = "Подделкин Иван Иванович"
        registered = s.get(Document, order).reg_date  # the signing day (not the test's clock)
        s.get(Document, order).number = "999/99"
        s.scalars(
            select(JournalEntry).where(JournalEntry.document_id == order)
        ).one().number = "999/99"
    checked = run(settings.home, "verify", str(path))
    assert checked.returncode == 0, checked.stdout
    assert "Подделкин" not in checked.stdout and "999/99" not in checked.stdout
    assert f"ПОДПИСЬ ВЕРНА: руководитель — {NAMES['director']}, подписано" in checked.stdout
    assert (
        "  — ВНИМАНИЕ: в реестре подписант этой подписи записан иначе, чем в сертификате: "
        "запись реестра изменена в обход сервиса" in checked.stdout
    )
    assert f"  регистрационный номер {number} от {registered:%d.%m.%Y}\n" in checked.stdout
    assert "ВНИМАНИЕ: в журнале приказов этот номер записан не за этим документом" in checked.stdout
    ledger = run(settings.home, "ledger", "verify")
    assert ledger.returncode == 1
    assert ledger.stdout == (
        "Реестр не совпадает с журналом:\n"
        f"Запись журнала приказов № 999/99 от {registered:%d.%m.%Y} (документ № {order}) не "
        "совпадает с журналом событий.\n"
    )


def test_a_signature_row_added_behind_the_services_back_is_found(web_school):
    settings = web_school.settings
    order, _, _ = sign_order(web_school)
    assert run(settings.home, "ledger", "verify").returncode == 0
    other = web_school.doc_id("order_training")
    with session_scope(settings.database_url) as s:
        real = s.scalars(select(Signature).where(Signature.document_id == order)).one()
        s.add(
            Signature(
                document_id=other,
                role="director",
                method="cms",
                signer_id=real.signer_id,
                signer_name=real.signer_name,
                sha256=real.sha256,
                signed_at=real.signed_at,
            )
        )
    ledger = run(settings.home, "ledger", "verify")
    assert (ledger.returncode, ledger.stdout) == (
        1,
        "Реестр не совпадает с журналом:\n"
        f"Подпись документа № {other} (руководитель) не записана в журнале событий: она "
        "добавлена в обход сервиса, или конец журнала удалён.\n",
    )


def test_cutting_the_end_of_the_ledger_is_detected(web_school):
    settings = web_school.settings
    sign_order(web_school)
    intact = run(settings.home, "ledger", "verify")
    assert intact.returncode == 0 and intact.stdout.startswith("Журнал цел: записей ")
    assert (settings.var / "ledger" / "checkpoint-0001.txt").is_file()
    with session_scope(settings.database_url) as s:
        size = s.scalars(select(Checkpoint)).one().size
        last = s.scalars(select(Event.id).order_by(Event.id.desc())).first()
        # the signature's entries go, and with them the signature rows and the checkpoint row
        s.execute(delete(Signature))
        s.execute(delete(JournalEntry))
        s.execute(delete(Checkpoint))
        s.execute(delete(Event).where(Event.id > last - 3))
    cut = run(settings.home, "ledger", "verify")
    assert (cut.returncode, cut.stdout) == (
        1,
        f"Журнал короче контрольной точки № 1: в ней записей {size}, в журнале {size - 3} — "
        "конец журнала удалён.\n",
    )
