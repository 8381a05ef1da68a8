"""Signers: users whose keys sign documents. A key is issued by the school's CA (or imported
from the school's own PKCS#12), stored encrypted under a password the administrator chose, and
signs only after its owner has replaced that password with his own; it can be revoked, after
which it signs nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from sqlalchemy.orm import Session

from service.register.attempts import reset_key_attempts
from service.register.db import begin_writing
from service.register.events import append_event
from service.register.models import Organization, Signer, User
from service.register.school import the_school
from service.register.signers import revoked_signers, unrevoked_keys
from service.register.users import find_user, is_demo_user
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
from service.signing.cms import person_of
from service.signing.errors import SigningError, WrongPassword
from service.signing.signatory import (
    agreeing,
    has_initials,
    may_be_same_person,
    register_position,
    register_signatory,
    role_label,
    same_person,
)
from service.signing.signer import open_ca, open_signers

SIGNER_ROLES = ("director", "curator")


def check_key_owner(session: Session, login: str, role: str, certificate_name: str) -> None:
    """Refuse a key of ``role`` for ``login`` when the user's account names another person
    than the certificate would (:class:`SigningError`): the administrator who made the new
    director a user and issued her key with the ФИО left empty, before the workbook named her,
    gave her a certificate in the former director's name — a key with which she signs as him.
    An account ФИО written shorter («Кинякина Т.И.») is the same person; a trial's demo user
    has a placeholder ФИО and is not compared."""
    user = find_user(session, login)
    if user is None or not user.full_name or is_demo_user(user):
        return
    if may_be_same_person(user.full_name, certificate_name):
        return
    raise SigningError(
        f"Сертификат не выпущен: пользователь «{login}» — {user.full_name}, а сертификат "
        f"был бы выдан на имя «{certificate_name}» ({role_label(role)} школы в реестре — "
        f"«{register_signatory(the_school(session), role) or 'не записан'}»), и этим ключом "
        f"{user.full_name} {agreeing('подписывал', user.full_name)} бы документы от чужого "
        "имени. Если руководство сменилось, сначала обработайте книгу школы с новым ФИО "
        "(лист «Организация», "
        f"«{_COLUMNS[role]}»), затем выпустите сертификат. Если ФИО в учётной записи набрано "
        "с ошибкой, исправьте его («Изменить» на странице администратора, "
        f'nastavnik user edit {login} --name "…").'
    )


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
        old.revoked_at = datetime.now()
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


@dataclass(frozen=True)
class CertificateName:
    """The ФИО and position a new certificate of a role gets, checked against the register."""

    full_name: str
    position: str
    unlike_register: dict[str, str] | None = None
    """For the ledger, when the administrator issued it on another ФИО than the register's:
    ``register_name`` and ``other_name_reason``."""


def certificate_name(
    session: Session,
    role: str,
    full_name: str | None,
    position: str | None = None,
    other_name_reason: str = "",
) -> CertificateName:
    """The name a certificate of ``role`` is issued on: the register's ФИО for the role when
    ``full_name`` is not given or is the same person written otherwise (then the fuller of the
    two, so the certificate never carries bare initials the register spells out). Another
    person — or no register yet — is refused (:class:`SigningError` naming both), unless
    ``other_name_reason`` says why; the reason goes into the ledger with the new key."""
    org = the_school(session)
    registered = register_signatory(org, role)
    position = " ".join((position or "").split()) or register_position(org, role)
    if not position:
        raise SigningError("Укажите должность владельца сертификата: сертификат не выпущен.")
    given = " ".join((full_name or "").split())
    if not given:
        if registered is None:
            raise SigningError(
                f"Не указаны ФИО владельца сертификата, а {role_label(role)} школы в реестре "
                "ещё не записан: сначала обработайте книгу школы (лист «Организация») или "
                "укажите ФИО. Сертификат не выпущен."
            )
        return CertificateName(registered, position)
    if registered is not None and same_person(given, registered):
        fuller = given if has_initials(registered) and not has_initials(given) else registered
        return CertificateName(fuller, position)
    reason = " ".join(other_name_reason.split())
    if not reason:
        raise SigningError(_unlike_register_message(role, given, registered))
    return CertificateName(
        given, position, {"register_name": registered or "", "other_name_reason": reason}
    )


def _unlike_register_message(role: str, given: str, registered: str | None) -> str:
    label = role_label(role)
    if registered is None:
        head = (
            f"Сертификат не выпущен: {label} школы в реестре ещё не записан, и сверить с ним "
            f"ФИО «{given}» нельзя. Сначала обработайте книгу школы (лист «Организация», "
            f"«{_COLUMNS[role]}»), затем выпустите сертификат — ФИО возьмётся из реестра."
        )
    else:
        head = (
            f"Сертификат не выпущен: в нём было бы ФИО «{given}», а {label} школы в реестре — "
            f"«{registered}» (книга школы, лист «Организация», «{_COLUMNS[role]}»). Документы "
            f"называют подписантом «{registered}», и подпись другого лица не совпала бы с "
            "ними. Если ФИО набрано с ошибкой, не указывайте его (в команде — без «--name», "
            "на странице — пустое поле «ФИО»): оно возьмётся из реестра. Если руководство "
            "сменилось, сначала обработайте книгу школы с новым ФИО."
        )
    return head + (
        " Если сертификат всё же нужен на это ФИО, укажите причину (в команде — "
        '«--other-name-reason "…"», на странице — поле «Причина, если ФИО не из реестра»): '
        "она будет записана в журнал событий. Подписать им можно только документы, в которых "
        "подписантом указано это ФИО."
    )


_COLUMNS = {"director": "Руководитель (ФИО)", "curator": "Куратор (ФИО)"}
"""The workbook's cell that names each role."""


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
