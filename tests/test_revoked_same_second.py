"""A key revoked in the same second as it signed: the signature was made first (signing and
revoking each hold the register's write lock), yet the revocation list the archive bag carries
has whole seconds, and a signature at 12:00:00 with a revocation at 12:00:00 read as revoked
before it — «ОТОЗВАН … — до подписания: ПОДПИСЬ НЕДЕЙСТВИТЕЛЬНА» (found by the last session).
A revocation is now recorded at the whole second after it was made: every signature the ledger
has before it is earlier, at any precision."""

from __future__ import annotations

from datetime import datetime, timedelta
from hashlib import sha256

from cryptography import x509

from service.archive.bag import _crl, _whole_second_after
from service.archive.checks import CmsChecker, Trust
from service.register.db import session_scope
from service.register.models import Document
from service.register.signers import revoked_signers
from service.signing.signer import open_ca
from service.signing.signers import revoke_signer
from service.store import FileStore
from tests.signing_calls import sign_documents
from tests.web_school import CA_PASSWORD, KEY_PASSWORD


def test_a_key_revoked_in_the_second_it_signed_leaves_the_signature_valid(web_school):
    """Signed at 12:00:00.5, revoked at 12:00:00.7 (the times set in the register, so that
    the test does not race the clock): the bag's list says 12:00:01 and the signature stands;
    a revocation made now is recorded at a whole second, after the signature."""
    settings = web_school.settings
    order = web_school.doc_id("order_implementation")
    [signed] = sign_documents(settings, "director", [order], KEY_PASSWORD)
    assert signed.ok, signed.message
    with session_scope(settings.database_url) as s:
        revoke_signer(s, "director", "ключ утерян")
    with session_scope(settings.database_url) as s:
        (signature,) = s.get(Document, order).signatures
        (signer,) = revoked_signers(s)
        assert signer.revoked_at > signature.signed_at
        assert signer.revoked_at.microsecond == 0  # recorded at a whole second
        # the second of the CMS signing time: the register's time is taken before the key is
        # opened, and on a busy machine the signature may be made a second or more later
        cms_time = CmsChecker(Trust((), {}, 0, "")).parse(
            FileStore(settings.store_dir).get(signature.sha256)
        )[1]
        second = cms_time.astimezone().replace(microsecond=0, tzinfo=None)  # local, as kept
        signature.signed_at = second + timedelta(milliseconds=500)
        signer.revoked_at = second + timedelta(milliseconds=700)  # as an earlier release did
    with session_scope(settings.database_url) as s:
        (signature,) = s.get(Document, order).signatures
        (signer,) = revoked_signers(s)
        ca = open_ca(settings.var, CA_PASSWORD)
        crl = _crl(ca.key, ca.certificate, [signer])
        document, p7s = s.get(Document, order).sha256, signature.sha256
        signed_at = signature.signed_at
    revoked = {r.serial_number: r.revocation_date_utc for r in x509.load_pem_x509_crl(crl)}
    assert [d.replace(tzinfo=None).microsecond for d in revoked.values()] == [0]
    store = FileStore(settings.store_dir)
    data = store.get(document)
    status = CmsChecker(Trust((ca.certificate,), revoked, 0, "")).check(
        data, sha256(data).digest(), store.get(p7s), signed_at
    )
    assert (status.revoked, status.problems) == (False, ())


def test_a_fractional_revocation_of_an_earlier_release_is_listed_at_the_next_second():
    """A revocation recorded with a fraction of a second (before revocation_time) is listed at
    the next whole second, after a signature made in its second; a whole one stays."""
    assert _whole_second_after(datetime(2025, 5, 1, 12, 0, 0, 400000)) == datetime(
        2025, 5, 1, 12, 0, 1
    )
    assert _whole_second_after(datetime(2025, 5, 1, 12, 0, 1)) == datetime(2025, 5, 1, 12, 0, 1)
