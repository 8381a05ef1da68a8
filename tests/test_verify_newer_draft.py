"""`nastavnik verify` on a signed version whose document has a newer version not signed yet.
Found by play13: the order on pairs signed (v1), then made again (v2, awaiting the director):
the old file's verdict said only «документ подлинный» — as if nothing were to replace it —
while a newer signed version is named («ВНИМАНИЕ: действует более новая подписанная версия»).
Then the director returns v2: the line says so."""

from __future__ import annotations

from datetime import date

from service.register.db import session_scope
from service.register.models import Document
from service.signing.returning import return_document
from service.signing.verification import verify_file
from service.store import FileStore
from tests.cli import nastavnik
from tests.test_reissued_orders import sign_latest, versions
from tests.test_signing_workflow import school  # noqa: F401
from tests.test_year_results import PAIR_HEADER, Outcome, p02, process


def test_verify_names_a_newer_version_waiting_for_signature(school, tmp_path):  # noqa: F811
    first = sign_latest(school)
    moved = process(school, tmp_path / "1.xlsx", {"Пары": [PAIR_HEADER, p02(date(2024, 5, 30))]})
    assert moved.outcome == Outcome.DONE, moved.message
    old, new = versions(school, "order_pairs")
    with session_scope(school.database_url) as s:
        document = s.get(Document, old.id)
        (signature,) = document.signatures
        serial = signature.signer.serial
        signed_at = f"{signature.signed_at:%d.%m.%Y %H:%M}"
    path = tmp_path / "приказ.docx"
    path.write_bytes(FileStore(school.store_dir).get(old.sha256))
    title = "Приказ об утверждении наставников и наставнических пар"

    def stdout(state: str) -> str:
        return (
            f"SHA-256: {old.sha256}\n"
            f"Документ реестра: {title} — МБОУ Идринская СОШ\n"
            f"  вид: {title}, версия 1, документ № {old.id}\n"
            "  состояние: подписан\n"
            f"  регистрационный номер {first.number} от {first.reg_date:%d.%m.%Y}\n"
            f"  ВНИМАНИЕ: в новой версии 2 документ {state}; пока она не подписана, действует "
            "эта версия\n"
            "Подписи:\n"
            "  ПОДПИСЬ ВЕРНА: руководитель — Кинякина Татьяна Игоревна, подписано "
            f"{signed_at}, сертификат № {serial}\n"
            "ИТОГ: документ подлинный, подписи верны.\n"
        )

    waiting = nastavnik("--home", str(school.home), "verify", str(path))
    assert (waiting.returncode, waiting.stdout) == (0, stdout("ожидает подписи"))
    with session_scope(school.database_url) as s:
        return_document(s, "director", new.id, "П-02: дата окончания не та")
        # what the command prints (one process is enough: the text is the same verdict's)
        store = FileStore(school.store_dir)
        returned = verify_file(s, school.var, store, path.read_bytes()).to_text()
    assert returned == stdout("возвращён на доработку")
