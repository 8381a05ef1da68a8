"""The name a signer's certificate is issued on: the register's ФИО for the role, another only
with a reason the ledger records (:func:`certificate_name`), and never a key in one person's
name for another person's account (:func:`check_key_owner`). Split from
:mod:`service.signing.signers`, which issues, imports and revokes the keys."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.register.labels import ROLE_NAMES, ROLES
from service.register.school import the_school
from service.register.users import find_user, is_demo_user
from service.signing.errors import SigningError
from service.signing.signatory import (
    agreeing,
    has_initials,
    may_be_same_person,
    register_position,
    register_signatory,
    role_label,
    same_person,
)


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


def key_role(session: Session, login: str, role: str | None) -> str:
    """The role a new key of ``login`` signs for: ``role`` when given; else the user's own
    signing role — a curator's account gets a curator's key, not a director's with the
    director's role added to it (an administrator who typed ``signer add --user ivanova`` for
    the curator gave her the director's certificate). A login not yet a user gets a director's
    key, as the first setup does; an account with both roles, or neither, must say which."""
    if role is not None:
        return role
    user = find_user(session, login)
    if user is None:
        return "director"
    signing = [r for r in ("director", "curator") if r in user.role_set]
    if len(signing) == 1:
        return signing[0]
    has = ", ".join(ROLE_NAMES[r] for r in ROLES if r in user.role_set) or "нет ролей"
    raise SigningError(
        f"Сертификат не выпущен: укажите, для какой роли ключ пользователя «{login}» "
        f"(его роли: {has}) — --role director (руководитель) или --role curator (куратор)."
    )


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
