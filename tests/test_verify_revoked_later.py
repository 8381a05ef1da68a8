"""A signature of the register brought as a file, after its key was revoked: the verdict on it
counts the revocation from the moment the register recorded that signature, whatever file it
is brought with. Brought with a changed copy of its document, or with another document, it was
«Сертификат отозван …: подпись недействительна» — beside the same signature's «отозван после
подписания: остаётся действительной» on the page, which is the truth (inspector20: an
inspection a year later, the director's key replaced in between)."""

from __future__ import annotations

from service.register.db import session_scope
from service.register.models import Document
from service.signing.signers import revoke_signer
from service.signing.verification import verify_file
from service.store import FileStore
from tests.signing_calls import sign_documents
from tests.web_school import KEY_PASSWORD


def test_a_signature_brought_with_another_file_is_not_called_revoked_before_it_signed(
    web_school,
):
    settings = web_school.settings
    order, regulation = web_school.doc_id("order_pairs"), web_school.doc_id("regulation")
    assert all(r.ok for r in sign_documents(settings, "director", [order], KEY_PASSWORD))
    with session_scope(settings.database_url) as s:
        revoke_signer(s, "director", "ключ заменён: утерян носитель")
    store = FileStore(settings.store_dir)
    with session_scope(settings.database_url) as s:
        signed = s.get(Document, order)
        number = f"№ {signed.number} от {signed.reg_date:%d.%m.%Y}"
        data, p7s = store.get(signed.sha256), store.get(signed.signatures[0].sha256)
        other = store.get(s.get(Document, regulation).sha256)
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x01

    with session_scope(settings.database_url) as s:
        itself = verify_file(s, settings.var, store, data, p7s)
        with_changed = verify_file(s, settings.var, store, bytes(changed), p7s)
        with_other = verify_file(s, settings.var, store, other, p7s)
    assert itself.ok and itself.external_problems == []
    mine = (
        "Подпись относится к другому документу — «Приказ об утверждении наставников и "
        f"наставнических пар — МБОУ Идринская СОШ», {number}, версия 1: подпись цела, но "
        "поставлена не под этим файлом"
    )
    assert with_changed.external_problems == [mine]
    assert with_other.external_problems == [mine]
    assert not with_changed.ok and not with_other.ok
