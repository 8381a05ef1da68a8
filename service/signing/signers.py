"""Signers: users whose keys sign documents. A key is issued by the school's CA (or imported
from the school's own PKCS#12), stored encrypted under a password the administrator chose, and
signs only after its owner has replaced that password with his own; it can be revoked, after
which it signs nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from sqlalchemy.orm import Session

from service.register.attempts import reset_key_attempts
from service.register.db import begin_writing
from service.register.events import append_event
from service.register.models import Organization, Signer, User
from service.register.school import the_school
from service.register.signers import revoked_signers, unrevoked_keys
from service.register.users import find_user
from service.signing.ca import (
    PrivateKey,
    cert_from_pem,
    cert_to_pem,
    certs_to_pem,
    check_key_password,
    encrypt_private_key,
    import_pkcs12,
    issue_signer,
    load_private_key,
    serial_hex,
)
from service.signing.certificate_names import certificate_name, check_key_owner
from service.signing.cms import person_of
from service.signing.errors import SigningError, WrongPassword
from service.signing.signatory import (
    agreeing,
    register_signatory,
    role_label,
    same_person,
)
from service.signing.signer import open_ca, open_signers

SIGNER_ROLES = ("director", "curator")


def get_or_create_user(session: Session, login: str, full_name: str, role: str) -> User:
    """The user ``login``; created (without a password) if missing; ``role`` added."""
    user = find_user(session, login)
    if user is None:
        user = User(login=login, full_name=full_name, roles="", created_at=datetime.now())
        session.add(user)
    elif user.is_disabled:
        raise SigningError(
            f"Пользователь «{login}» отключён администратором: новый ключ подписи не выпускается. "
            f"Сначала включите его (nastavnik user enable {login})."
        )
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
    unlike_register: dict[str, str] | None = None,
    replace: bool = True,
) -> Signer:
    begin_writing(session)  # a second issue at once (a double click) waits, then replaces it
    valid = valid_keys(session, user.login, role)
    if valid and not replace:  # made meanwhile (the page's other click): not revoked unasked
        raise SigningError(
            f"У пользователя «{user.login}» уже есть действующий ключ этой роли (№ "
            f"{valid[-1].serial}, выпущен только что): новый не выпущен. Выпустить ключ взамен "
            "— кнопкой «Выпустить» ещё раз, с подтверждением."
        )
    for old in valid:
        old.revoked_at = revocation_time()
        old.revocation_reason = "заменён новым ключом"
        append_event(  # as «Отозвать» writes it: the journal tells when the old key ended
            session,
            "signer_revoked",
            actor=actor,
            details={"login": user.login, "serial": old.serial, "reason": old.revocation_reason},
        )
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
        details={
            "login": user.login,
            "role": role,
            "serial": signer.serial,
            "name": full_name,
            **(unlike_register or {}),
        },
    )
    return signer


def add_signer(
    session: Session,
    var: Path,
    *,
    login: str,
    full_name: str | None,
    position: str | None,
    role: str,
    org_name: str,
    password: str,
    ca_password: str,
    actor: str = "admin",
    other_name_reason: str = "",
    replace: bool = True,
) -> Signer:
    """Issue a one-year certificate from the school's CA for ``login``; ``password`` is the
    administrator's, to be replaced by the signer's own before the key signs. The ФИО and
    position default to the register's for ``role`` and must name its person
    (:func:`certificate_name`). A valid key of ``login`` and ``role`` is revoked («заменён
    новым ключом») — unless ``replace`` is False, which refuses then (decided under the
    write lock: a key issued by another request meanwhile is not revoked unasked)."""
    _check_role(role)
    check_key_password(password)
    name = certificate_name(session, role, full_name, position, other_name_reason)
    check_key_owner(session, login, role, name.full_name)
    ca = open_ca(var, ca_password)
    key, cert = issue_signer(ca.key, ca.certificate, name.full_name, name.position, org_name, login)
    user = get_or_create_user(session, login, name.full_name, role)
    return _store(
        session,
        user,
        role,
        name.full_name,
        name.position,
        key,
        cert,
        [ca.certificate],
        password,
        actor,
        name.unlike_register,
        replace,
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
    other_name_reason: str = "",
) -> Signer:
    """Take a key and certificate from the school's own CA (PKCS#12). The certificate must
    name the register's person of ``role``, as an issued one (:func:`certificate_name`)."""
    _check_role(role)
    check_key_password(password)
    key, cert, chain = import_pkcs12(p12, p12_password)
    subject = person_of(cert.subject) or "подписант"
    if full_name and not same_person(full_name, subject):
        raise SigningError(
            f"В сертификате указано ФИО «{subject}», а не «{full_name}»: ключ не импортирован."
        )
    name = certificate_name(session, role, subject, position, other_name_reason)
    check_key_owner(session, login, role, subject)
    shown = full_name or subject  # as the certificate has it: verification compares the two
    user = get_or_create_user(session, login, shown, role)
    return _store(
        session,
        user,
        role,
        shown,
        name.position,
        key,
        cert,
        chain,
        password,
        actor,
        name.unlike_register,
    )


def revocation_time() -> datetime:
    """When a revocation made now is recorded: the next whole second. A signature records its
    second (``signed_at``, the CMS signing time), a revocation list whole seconds too, and both
    take the register's write lock: a key revoked in the second it signed read as revoked
    before the signature (the bag's ПРОВЕРКА.txt and ``archive verify`` said «ПОДПИСЬ
    НЕДЕЙСТВИТЕЛЬНА»). Every signature the ledger has before the revocation is now earlier
    than it, and no later one can be made with the revoked key."""
    return datetime.now().replace(microsecond=0) + timedelta(seconds=1)


def revoke_signer(
    session: Session, login: str, reason: str = "", actor: str = "admin"
) -> list[Signer]:
    """Revoke every active key of ``login``; returns them. The reason is required: it is
    what an inspector reads years later beside the revoked certificate."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise SigningError("Укажите причину отзыва сертификата. Ничего не отозвано.")
    begin_writing(session)  # a second revocation at once (a double click) waits, finds none
    revoked = valid_keys(session, login)
    if not revoked:
        raise SigningError(f"У пользователя «{login}» нет действующих ключей подписи.")
    for signer in revoked:
        signer.revoked_at = revocation_time()
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
    try:
        keys = open_signers(url, login, old, for_signing=False)  # all or none
    except WrongPassword:
        done = _under_password(session, login, new)
        if done:  # the form sent twice: its first click changed it (the old one is counted)
            return done
        raise
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


def _under_password(session: Session, login: str, password: str) -> int:
    """How many keys ``login`` has, when every one of them (and at least one) already opens
    with ``password`` — a password change sent a second time, after its first click: the
    keys' counter of wrong passwords is reset as a right password resets it; else 0. Tried
    only after a wrong ``old`` was counted, so a guess costs an attempt as on signing."""
    begin_writing(session)
    keys = active_signers(session, login)
    if not all(signer.owner_password for signer in keys):  # still the administrator's
        return 0
    for signer in keys:
        try:
            load_private_key(signer.key_pem.encode(), password)
        except WrongPassword:
            return 0
    for signer in keys:
        reset_key_attempts(session, signer.id)
    return len(keys)


def under_temporary_password(signer: Signer, password: str) -> bool:
    """Whether ``signer``'s key is still under the administrator's temporary ``password`` —
    the issuing form sent a second time carries the same one (one PBKDF2, as signing)."""
    if signer.owner_password:
        return False
    try:
        load_private_key(signer.key_pem.encode(), password)
    except WrongPassword:
        return False
    return True


def valid_keys(session: Session, login: str, role: str | None = None) -> list[Signer]:
    """Keys of ``login`` that are neither revoked nor expired — his owner switched off or not
    (what the administrator revokes or a new key replaces)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    return [s for s in unrevoked_keys(session, login, role) if s.not_before <= now <= s.not_after]


def active_signers(session: Session, login: str, role: str | None = None) -> list[Signer]:
    """Keys of ``login`` that may sign: valid, their owner not switched off and still holding
    the key's role — a director the administrator left only «куратор» went on signing orders
    as director with the key she kept."""
    return [
        s
        for s in valid_keys(session, login, role)
        if not s.user.is_disabled and s.role in s.user.role_set
    ]


def holder_of(signer: Signer) -> str:
    """The ФИО the signer's certificate names (the row's when the certificate names none)."""
    return person_of(cert_from_pem(signer.certificate_pem.encode()).subject) or signer.full_name


def unlike_register(org: Organization | None, signer: Signer) -> str | None:
    """The register's ФИО for the signer's role when his certificate names someone else (a key
    issued with a reason, or before this check existed); None when they agree or the register
    has nobody for the role."""
    registered = register_signatory(org, signer.role)
    if registered is None or same_person(holder_of(signer), registered):
        return None
    return registered


def name_warnings(session: Session, login: str) -> list[str]:
    """For each active key of ``login`` whose certificate names someone other than the
    register's person of its role, a Russian warning: the documents name that person, and this
    key signs none of them (shown above the signing queue, before anyone picks documents)."""
    org = the_school(session)
    warnings = []
    for signer in active_signers(session, login):
        registered = unlike_register(org, signer)
        if registered is None:
            continue
        warnings.append(
            f"Ваш сертификат № {signer.serial} выдан на имя «{holder_of(signer)}», а "
            f"{role_label(signer.role)} школы в реестре — «{registered}». Документы, в "
            f"которых подписантом {agreeing('указан', registered)} «{registered}», этим "
            "сертификатом не подписываются: обратитесь к администратору."
        )
    return warnings


def revoked_serials(session: Session) -> dict[int, Signer]:
    """Serial number (as int) → revoked signer."""
    return {int(s.serial, 16): s for s in revoked_signers(session)}


def _check_role(role: str) -> None:
    if role not in SIGNER_ROLES:
        raise SigningError(f"Роль подписанта должна быть одной из: {', '.join(SIGNER_ROLES)}.")
