"""``nastavnik signer``: the school's signing keys — issuing a signer's certificate from the
school's certification authority, importing a PKCS#12 key, revoking, changing a key's password
— and :func:`org_name`, the school's name a certificate is issued for (``init`` names the
authority by it too). What a key is for (the queue, signing, returning, verification, the
ledger) is in :mod:`service.cli.signing`. Wiring only: the work is in service.signing.signers,
service.signing.certificate_names and service.signing.authority."""

from __future__ import annotations

from pathlib import Path

import click

from service.cli.common import pass_settings, read_secrets
from service.config import Settings
from service.errors import BadInput, Conflict


def org_name(settings: Settings) -> str | None:
    from service.register.db import session_scope
    from service.register.school import the_school

    with session_scope(settings.database_url) as session:
        org = the_school(session)
        return org.full_name if org else None


@click.group()
def signer() -> None:
    """Ключи подписи: выпуск, импорт, отзыв."""


_OTHER_NAME_REASON = click.option(
    "--other-name-reason",
    default="",
    help="Если ФИО не совпадает с записанным в реестре для роли (руководитель, куратор): "
    "почему сертификат всё же нужен на это ФИО. Записывается в журнал событий.",
)


@signer.command("add")
@click.option("--user", "login", required=True, help="Логин пользователя.")
@click.option(
    "--name",
    "full_name",
    default=None,
    help="ФИО полностью; по умолчанию — из реестра (руководитель или куратор школы).",
)
@click.option(
    "--position",
    default=None,
    help="Должность, например «Директор»; по умолчанию — из реестра.",
)
@click.option(
    "--role",
    type=click.Choice(["director", "curator"]),
    default=None,
    help="Роль ключа; по умолчанию — роль пользователя (руководитель или куратор), для нового "
    "логина — director.",
)
@_OTHER_NAME_REASON
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Читать со стандартного ввода две строки: пароль УЦ, затем пароль подписанта.",
)
@click.option(
    "--yes", is_flag=True, help="Не спрашивать подтверждения, если прежний ключ будет отозван."
)
@pass_settings
def signer_add(
    settings: Settings,
    login: str,
    full_name: str | None,
    position: str | None,
    role: str | None,
    other_name_reason: str,
    password_stdin: bool,
    yes: bool,
) -> None:
    """Выпустить сертификат подписанта (на год) от удостоверяющего центра школы. ФИО должно
    совпадать с записанным в реестре для роли (из книги школы)."""
    from service.register.db import session_scope
    from service.signing import authority
    from service.signing.certificate_names import certificate_name, check_key_owner, key_role
    from service.signing.signers import add_signer, valid_keys

    name = org_name(settings)
    if not authority.has_ca(settings.var):
        raise Conflict(
            "Удостоверяющий центр школы ещё не создан: выполните "
            '`nastavnik init --org "Полное наименование"`.'
        )
    with session_scope(settings.database_url) as session:  # refused before asking passwords
        role = key_role(session, login, role)
        checked = certificate_name(session, role, full_name, position, other_name_reason)
        check_key_owner(session, login, role, checked.full_name)
        working = [f"№ {k.serial} ({k.full_name})" for k in valid_keys(session, login, role)]
    if (
        working
        and not password_stdin
        and not yes
        and not click.confirm(
            f"У пользователя «{login}» есть действующий ключ {', '.join(working)}: новый ключ "
            "отзовёт его сразу и навсегда (подписи, поставленные им, остаются действительными). "
            "Выпустить новый?"
        )
    ):
        raise BadInput("Ничего не изменено: ключ не выпущен, прежний действует.")
    ca_password, password = read_secrets(
        2, password_stdin, ["Пароль удостоверяющего центра", "Новый пароль подписанта"]
    )
    if (
        not password_stdin
        and click.prompt("Повторите пароль подписанта", hide_input=True) != password
    ):
        raise BadInput("Пароли не совпадают.")
    with session_scope(settings.database_url) as session:
        made = add_signer(
            session,
            settings.var,
            login=login,
            full_name=full_name,
            position=position,
            role=role,
            org_name=name or full_name or "",
            password=password,
            ca_password=ca_password,
            other_name_reason=other_name_reason,
        )
        click.echo(
            f"Сертификат выпущен: {made.full_name}, {made.position}; № {made.serial}; "
            f"действует по {made.not_after:%d.%m.%Y}."
        )
    if checked.unlike_register:
        click.echo(
            "ФИО не совпадает с записанным в реестре "
            f"(«{checked.unlike_register['register_name'] or 'не записано'}»); причина "
            "записана в журнал событий. Этот сертификат подписывает только документы, в "
            "которых подписантом указано его ФИО."
        )


@signer.command("import")
@click.option("--user", "login", required=True)
@click.option(
    "--p12", "p12_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--position", required=True)
@click.option("--name", "full_name", default=None)
@click.option(
    "--role",
    type=click.Choice(["director", "curator"]),
    default=None,
    help="Роль ключа; по умолчанию — роль пользователя, для нового логина — director.",
)
@_OTHER_NAME_REASON
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Две строки: пароль файла PKCS#12, затем новый пароль подписанта.",
)
@pass_settings
def signer_import(
    settings: Settings,
    login: str,
    p12_file: Path,
    position: str,
    full_name: str | None,
    role: str | None,
    other_name_reason: str,
    password_stdin: bool,
) -> None:
    """Импортировать ключ и сертификат собственного УЦ школы (PKCS#12)."""
    from service.register.db import session_scope
    from service.signing.certificate_names import key_role
    from service.signing.signers import import_signer

    with session_scope(settings.database_url) as session:  # refused before asking passwords
        role = key_role(session, login, role)
    p12_password, password = read_secrets(
        2, password_stdin, ["Пароль файла PKCS#12", "Новый пароль подписанта"]
    )
    with session_scope(settings.database_url) as session:
        made = import_signer(
            session,
            login=login,
            role=role,
            position=position,
            p12=p12_file.read_bytes(),
            p12_password=p12_password,
            password=password,
            full_name=full_name,
            other_name_reason=other_name_reason,
        )
        click.echo(f"Ключ импортирован: {made.full_name}; сертификат № {made.serial}.")


@signer.command("revoke")
@click.option("--user", "login", required=True)
@click.option("--reason", default="", help="Причина отзыва (обязательно).")
@pass_settings
def signer_revoke(settings: Settings, login: str, reason: str) -> None:
    """Отозвать ключи пользователя: они больше ничего не подписывают."""
    from service.register.db import session_scope
    from service.signing.signers import revoke_signer

    with session_scope(settings.database_url) as session:
        for item in revoke_signer(session, login, reason):
            click.echo(f"Отозван сертификат № {item.serial} ({item.full_name}).")


@signer.command("password")
@click.option("--user", "login", required=True)
@click.option("--password-stdin", is_flag=True, help="Две строки: прежний пароль, новый пароль.")
@pass_settings
def signer_password(settings: Settings, login: str, password_stdin: bool) -> None:
    """Сменить пароль своего ключа подписи (после выпуска ключа администратором)."""
    from service.register.db import session_scope
    from service.signing.signers import change_key_password

    old, new = read_secrets(2, password_stdin, ["Прежний пароль ключа", "Новый пароль ключа"])
    if not password_stdin and click.prompt("Повторите новый пароль", hide_input=True) != new:
        raise BadInput("Пароли не совпадают.")
    with session_scope(settings.database_url) as session:
        count = change_key_password(session, settings.database_url, login, old, new)
    click.echo(f"Пароль ключа подписи изменён (ключей: {count}).")


COMMANDS = [signer]
