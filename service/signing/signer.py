"""One signer interface, shaped like pyHanko's ``Signer``: a :class:`KeySigner` is an opened
private key with its certificate and chain, and signs bytes as a detached CMS signature.

Every key is opened here and nowhere else — a signer's (:func:`open_signer`,
:func:`open_signers`) and the school CA's (:func:`open_ca`) — with the same rules for the CLI,
the web pages, the API and the archive:

- a key password has at least :data:`~service.signing.ca.MIN_KEY_PASSWORD` characters
  (:func:`~service.signing.ca.check_key_password`, checked when a password is set);
- a key whose password the administrator chose (``signer add``/``import``) signs nothing until
  its owner sets his own (``nastavnik signer password`` or the account page);
- five wrong passwords in a row lock a signer's key for 15 minutes (a ledger event
  «key_locked»), and the CA's (:mod:`service.signing.ca_attempts`); one submission sent twice
  (a double click on «Подписать»: the same form, documents and password, see ``submission``)
  is one mistake, counted once;
- a key stored under an older, weaker encryption is re-encrypted at its next successful use.

Transactions: opening a signer's key takes the register's URL, not the caller's session, and
commits its counters in short transactions of its own — a refused attempt must stay counted
although the caller's transaction is rolled back, and the slow key derivation runs outside any
transaction, so it never holds the register's write lock. Open keys *before* the caller's
transaction takes the write lock (an inner writer would wait for the outer one).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import NoReturn

from cryptography import x509

from service.register.attempts import (
    count_key_failure,
    lock_key,
    reset_key_attempts,
)
from service.register.db import session_scope
from service.register.events import append_event
from service.register.models import Signer
from service.register.signers import replace_key_if_unchanged
from service.register.users import user_named
from service.signing.authority import ca_key_path, load_ca_certificate
from service.signing.ca import (
    PrivateKey,
    cert_from_pem,
    certs_from_pem,
    encrypt_private_key,
    key_is_outdated,
    load_private_key,
)
from service.signing.ca_attempts import refuse_ca_password, reset_ca_attempts, take_ca_attempt
from service.signing.cms import sign_detached
from service.signing.errors import SigningError, WrongPassword
from service.store import atomic_write

MAX_KEY_ATTEMPTS = 5
"""Wrong passwords in a row before a key is locked."""
KEY_LOCK_MINUTES = 15
REPEAT_SECONDS = 30
"""How long a submission is remembered as counted: sent again within it (a double click, the
page's form resent), its wrong password is not counted again."""


class _Submissions:
    """The last counted submission of each key, in this process's memory only: a keyed hash of
    the form's one-time token, documents and password (never the password), and when. A
    double click reaches the same web process; another process counts every attempt, as
    before. A different password, or another form, is always counted: the lock-out is not
    weakened, only the same mistake sent twice is one."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._seen: dict[tuple[str, int], tuple[bytes, float]] = {}

    def fingerprint(self, submission: str | None, password: str) -> bytes | None:
        if not submission:
            return None
        data = f"{submission}\0{password}".encode()
        return hmac.new(self._key, data, hashlib.sha256).digest()

    def counted_before(self, url: str, signer_id: int, fingerprint: bytes) -> bool:
        """True when this very submission was counted for the key within
        :data:`REPEAT_SECONDS`; else it is remembered as counted now."""
        now = time.monotonic()
        with self._lock:
            for key, (_, at) in list(self._seen.items()):
                if now - at > REPEAT_SECONDS:
                    del self._seen[key]
            seen = self._seen.get((url, signer_id))
            if seen is not None and hmac.compare_digest(seen[0], fingerprint):
                return True
            self._seen[(url, signer_id)] = (fingerprint, now)
            return False

    def forget(self, url: str, signer_id: int) -> None:
        with self._lock:
            self._seen.pop((url, signer_id), None)


_SUBMISSIONS = _Submissions()


@dataclass(frozen=True)
class KeySigner:
    """An opened key: what signs. ``signer_id`` is the register's signer (None for the CA)."""

    key: PrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()
    """Issuer certificates (the school CA) embedded in each signature."""
    signer_id: int | None = None

    def sign(self, data: bytes) -> bytes:
        """A detached CMS (PKCS#7) signature of ``data`` (DER), with the certificate and chain."""
        return sign_detached(data, self.key, self.certificate, list(self.chain))


class KeyLocked(SigningError):
    """The key is locked after too many wrong passwords; the message says until when."""

    status = 423

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(
            f"Ключ электронной подписи заблокирован после {MAX_KEY_ATTEMPTS} неверных паролей "
            f"подряд: попробуйте после {until:%H:%M}. Если пароль ключа забыт, попросите "
            "администратора выпустить новый ключ взамен этого: снять блокировку он не может."
        )


class OwnerPasswordMissing(SigningError):
    """The key still has the password the administrator chose when issuing it."""

    def __init__(self, login: str) -> None:
        super().__init__(
            "Ключ подписи ещё защищён паролем, который задал администратор при выпуске: "
            "подписывать им нельзя. Сначала задайте свой пароль ключа — на странице "
            "«Учётная запись» (раздел «Пароль ключа электронной подписи») или командой "
            f"«nastavnik signer password --user {login}»."
        )


@dataclass
class _KeyRow:
    id: int
    login: str
    serial: str
    key_pem: str
    certificate_pem: str
    chain_pem: str | None
    owner_password: bool
    attempt: int = 0
    """This attempt's number in the current run of wrong passwords."""
    repeat: bool = False
    """The same submission sent again: its mistake was counted by the first one."""


def _take_attempt(
    url: str, signer_id: int, now: datetime, for_signing: bool, fingerprint: bytes | None
) -> _KeyRow:
    """Read the key and count this attempt (one UPDATE) before its password is tried: parallel
    attempts each take a number, and those past the limit are refused without a try. A
    submission counted before (``fingerprint``, under the register's write lock, so the second
    of a double click sees the first's count) takes the first one's number instead."""
    with session_scope(url, write=True) as session:
        signer = session.get(Signer, signer_id)
        if signer is None:
            raise SigningError(f"Ключ подписи № {signer_id} не найден.")
        row = _KeyRow(
            signer.id,
            signer.user.login,
            signer.serial,
            signer.key_pem,
            signer.certificate_pem,
            signer.chain_pem,
            signer.owner_password,
        )
        if for_signing and not row.owner_password:
            raise OwnerPasswordMissing(row.login)
        if signer.locked_until is not None:
            if signer.locked_until > now:
                raise KeyLocked(signer.locked_until)
            reset_key_attempts(session, signer.id, expired_before=now)
        if fingerprint is not None and _SUBMISSIONS.counted_before(url, signer.id, fingerprint):
            row.attempt, row.repeat = signer.failed_key_attempts, True
        else:
            row.attempt = count_key_failure(session, signer.id)
    if row.attempt > MAX_KEY_ATTEMPTS:
        raise KeyLocked(signer.locked_until or now + timedelta(minutes=KEY_LOCK_MINUTES))
    return row


def open_signer(
    url: str,
    signer_id: int,
    password: str,
    *,
    actor: str,
    for_signing: bool = True,
    submission: str | None = None,
) -> KeySigner:
    """The key of signer ``signer_id`` opened with ``password``. Raises
    :class:`OwnerPasswordMissing` (when ``for_signing``), :class:`KeyLocked`, or
    :class:`WrongPassword` saying how many attempts are left. ``submission`` names the form
    sent (its one-time token and the documents): sent again with the same password within
    :data:`REPEAT_SECONDS`, a wrong password is not counted a second time."""
    now = datetime.now().replace(microsecond=0)
    fingerprint = _SUBMISSIONS.fingerprint(submission, password)
    row = _take_attempt(url, signer_id, now, for_signing, fingerprint)
    try:
        key = load_private_key(row.key_pem.encode(), password)
    except WrongPassword:
        _refuse(url, row, actor, now)
    _SUBMISSIONS.forget(url, row.id)
    with session_scope(url, write=True) as session:
        reset_key_attempts(session, row.id)
        if key_is_outdated(row.key_pem.encode()):
            # only if nobody changed the key meanwhile (a password change wins)
            new_pem = encrypt_private_key(key, password).decode()
            replace_key_if_unchanged(session, row.id, row.key_pem, new_pem)
    chain = tuple(certs_from_pem(row.chain_pem.encode())) if row.chain_pem else ()
    return KeySigner(key, cert_from_pem(row.certificate_pem.encode()), chain, row.id)


def _refuse(url: str, row: _KeyRow, actor: str, now: datetime) -> NoReturn:
    """The attempt was counted when it began; the one that reached the limit locks the key
    (a repeated submission only tells the first one's answer)."""
    if row.attempt < MAX_KEY_ATTEMPTS:
        left = MAX_KEY_ATTEMPTS - row.attempt
        raise WrongPassword(
            f"Неверный пароль ключа электронной подписи (осталось попыток: {left}, затем ключ "
            f"будет заблокирован на {KEY_LOCK_MINUTES} минут)."
        )
    until = now + timedelta(minutes=KEY_LOCK_MINUTES)
    if row.repeat:
        with session_scope(url) as session:
            signer = session.get(Signer, row.id)
            raise KeyLocked(signer.locked_until if signer and signer.locked_until else until)
    with session_scope(url, write=True) as session:
        lock_key(session, row.id, until)
        append_event(
            session,
            "key_locked",
            actor=actor,
            details={
                "login": row.login,
                "serial": row.serial,
                "attempts": row.attempt,
                "until": until.isoformat(),
            },
        )
    raise KeyLocked(until)


def signer_ids(url: str, login: str, role: str | None = None) -> list[int]:
    """Ids of the active keys of ``login`` (see :func:`service.signing.signers.active_signers`);
    a :class:`SigningError` when the user has none."""
    from service.signing.signers import active_signers

    with session_scope(url) as session:
        if user_named(session, login).is_disabled:  # NotFound: no such user
            raise SigningError(
                f"Пользователь «{login}» отключён администратором: ключи подписи этого "
                "пользователя не действуют."
            )
        ids = [s.id for s in active_signers(session, login, role)]
    if not ids:
        raise SigningError(
            f"У пользователя «{login}» нет действующего ключа подписи "
            "(ключ не выпущен, отозван или истёк, или у пользователя больше нет роли, "
            "для которой ключ выпущен)."
        )
    return ids


def open_signers(
    url: str,
    login: str,
    password: str,
    *,
    role: str | None = None,
    for_signing: bool = True,
    submission: str | None = None,
) -> dict[int, KeySigner]:
    """Every active key of ``login`` (of ``role``, when given) opened with ``password``:
    signer id → signer. All or none. ``submission``: see :func:`open_signer`."""
    return {
        signer_id: open_signer(
            url, signer_id, password, actor=login, for_signing=for_signing, submission=submission
        )
        for signer_id in signer_ids(url, login, role)
    }


def open_ca(var: Path, password: str) -> KeySigner:
    """The school CA's key and certificate; :class:`WrongPassword` on a wrong password, and
    five in a row lock the CA as a key (:mod:`service.signing.ca_attempts`: the
    administrator's page asks for it too, not only the console). A CA key stored under an
    older, weaker encryption is re-encrypted now, under the same password."""
    pem = ca_key_path(var).read_bytes()
    now = datetime.now().replace(microsecond=0)
    attempt = take_ca_attempt(var, now)
    try:
        key = load_private_key(pem, password)
    except WrongPassword:
        refuse_ca_password(var, attempt, now)
    reset_ca_attempts(var)
    if key_is_outdated(pem):
        atomic_write(ca_key_path(var), encrypt_private_key(key, password))
    return KeySigner(key, load_ca_certificate(var))
