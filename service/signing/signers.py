"""Signers: users whose keys sign documents. A key is issued by the school's CA (or imported
from the school's own PKCS#12), stored encrypted under a password the administrator chose, and
signs only after its owner has replaced that password with his own; it can be revoked, after
which it signs nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from sqlalchemy.orm import Session

from service.register.db import begin_writing
from service.register.events import append_event
from service.register.models import Signer, User
from service.register.signers import revoked_signers, unrevoked_keys
from service.register.users import find_user
from service.signing.ca import (
    PrivateKey,
    cert_to_pem,
    certs_to_pem,
    check_key_password,
    encrypt_private_key,
    import_pkcs12,
    issue_signer,
    serial_hex,
)
from service.signing.errors import SigningError
from service.signing.signer import open_ca, open_signers

SIGNER_ROLES = ("director", "curator")


def get_or_create_user(session: Session, login: str, full_name: str, role: str) -> User:
    """The user ``login``; created (without a password) if missing; ``role`` added."""
    user = find_user(session, login)
    if user is None:
        user = User(login=login, full_name=full_name, roles="", created_at=datetime.now())
        session.add(user)
    if role not in user.role_set:
        user.roles = ",".join(sorted(user.role_set | {role}))
    return user


def _store(
    session: Session,
    user: User,
    role: str,
    full_name: str,
    position: str,
    key: PrivateKey,
    cert: x509.Certificate,
    chain: list[x509.Certificate],
    password: str,
    actor: str,
) -> Signer:
    for old in active_signers(session, user.login, role):
        old.revoked_at = datetime.now()
        old.revocation_reason = "заменён новым ключом"
    signer = Signer(
        user=user,
        role=role,
        full_name=full_name,
        position=position,
        serial=serial_hex(cert),
        certificate_pem=cert_to_pem(cert).decode(),
        chain_pem=certs_to_pem(chain).decode(),
        key_pem=encrypt_private_key(key, password).decode(),
        not_before=cert.not_valid_before_utc.replace(tzinfo=None),
        not_after=cert.not_valid_after_utc.replace(tzinfo=None),
    )
    session.add(signer)
    session.flush()
    append_event(
        session,
        "signer_added",
        actor=actor,
        details={"login": user.login, "role": role, "serial": signer.serial, "name": full_name},
    )
    return signer


def add_signer(
    session: Session,
    var: Path,
    *,
    login: str,
    full_name: str,
    position: str,
    role: str,
    org_name: str,
    password: str,
    ca_password: str,
    actor: str = "admin",
) -> Signer:
    """Issue a one-year certificate from the school's CA for ``login``; ``password`` is the
    administrator's, to be replaced by the signer's own before the key signs."""
    _check_role(role)
    check_key_password(password)
    ca = open_ca(var, ca_password)
    key, cert = issue_signer(ca.key, ca.certificate, full_name, position, org_name, login)
    user = get_or_create_user(session, login, full_name, role)
    return _store(
        session, user, role, full_name, position, key, cert, [ca.certificate], password, actor
    )


def import_signer(
    session: Session,
    *,
    login: str,
    role: str,
    position: str,
    p12: bytes,
    p12_password: str,
    password: str,
    full_name: str | None = None,
    actor: str = "admin",
) -> Signer:
    """Take a key and certificate from the school's own CA (PKCS#12)."""
    _check_role(role)
    check_key_password(password)
    key, cert, chain = import_pkcs12(p12, p12_password)
    name = full_name or _certificate_name(cert)
    user = get_or_create_user(session, login, name, role)
    return _store(session, user, role, name, position, key, cert, chain, password, actor)


def revoke_signer(
    session: Session, login: str, reason: str = "", actor: str = "admin"
) -> list[Signer]:
    """Revoke every active key of ``login``; returns them. The reason is required: it is
    what an inspector reads years later beside the revoked certificate."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise SigningError("Укажите причину отзыва сертификата. Ничего не отозвано.")
    revoked = active_signers(session, login)
    if not revoked:
        raise SigningError(f"У пользователя «{login}» нет действующих ключей подписи.")
    for signer in revoked:
        signer.revoked_at = datetime.now()
        signer.revocation_reason = reason
        append_event(
            session,
            "signer_revoked",
            actor=actor,
            details={"login": login, "serial": signer.serial, "reason": signer.revocation_reason},
        )
    return revoked


def change_key_password(session: Session, url: str, login: str, old: str, new: str) -> int:
    """Re-encrypt every active key of ``login`` under ``new`` — so a key issued with a password
    someone else chose ends under its owner's sole control, and may sign from now on. A wrong
    ``old`` counts towards the key's lock-out. Returns how many keys changed.

    The keys are opened with ``old`` through the register at ``url`` in transactions of their
    own (:mod:`service.signing.signer`); the new encryption is written to the caller's
    ``session``."""
    check_key_password(new, "Новый пароль ключа")
    if new == old:
        raise SigningError("Новый пароль ключа должен отличаться от прежнего.")
    keys = open_signers(url, login, old, for_signing=False)  # all or none
    begin_writing(session)
    signers = [session.get(Signer, signer_id) for signer_id in keys]
    for signer in signers:
        signer.key_pem = encrypt_private_key(keys[signer.id].key, new).decode()
        signer.owner_password = True
    append_event(
        session,
        "signer_password_changed",
        actor=login,
        details={"login": login, "serials": [s.serial for s in signers]},
    )
    return len(keys)


def active_signers(session: Session, login: str, role: str | None = None) -> list[Signer]:
    """Keys of ``login`` that are neither revoked nor expired."""
    now = datetime.now(UTC).replace(tzinfo=None)
    return [s for s in unrevoked_keys(session, login, role) if s.not_before <= now <= s.not_after]


def revoked_serials(session: Session) -> dict[int, Signer]:
    """Serial number (as int) → revoked signer."""
    return {int(s.serial, 16): s for s in revoked_signers(session)}


def _check_role(role: str) -> None:
    if role not in SIGNER_ROLES:
        raise SigningError(f"Роль подписанта должна быть одной из: {', '.join(SIGNER_ROLES)}.")


def _certificate_name(cert: x509.Certificate) -> str:
    values = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(values[0].value) if values else "подписант"
