"""``nastavnik init``: the home's folders and database (an existing one upgraded, a copy kept
first), the first administrator and the school's certificate authority. The work is in
:mod:`service.home`, :mod:`service.register.users` and :mod:`service.signing.authority`."""

from __future__ import annotations

import sys

import click

from service.cli.common import RussianError, pass_settings, setup_logging
from service.config import Settings
from service.home import initialise_home, upgrade_home


def _upgrade_home(settings: Settings) -> None:
    """``init`` on an existing home: the database brought to this release's schema, a copy
    of it kept first (SQLite); says what was done."""
    report = upgrade_home(settings)
    if report.changed and not report.created:
        was = "выпуска 0.1" if report.before is None else report.before
        click.echo(f"База данных обновлена: схема {was} → {report.after}.")
        if report.backup is not None:
            click.echo(f"Резервная копия базы до обновления: {report.backup}")


@click.command()
@click.option(
    "--org",
    "org",
    default=None,
    help="Полное наименование школы — для удостоверяющего центра (если реестр пуст).",
)
@click.option(
    "--ca-password-stdin",
    is_flag=True,
    help="Пароль нового удостоверяющего центра со стандартного ввода.",
)
@click.option(
    "--admin-password-stdin",
    is_flag=True,
    help="Пароль первого администратора — первой строкой стандартного ввода "
    "(пароль УЦ, если нужен, — следующей); без флага пароль придумывается и печатается.",
)
@pass_settings
def init(
    settings: Settings, org: str | None, ca_password_stdin: bool, admin_password_stdin: bool
) -> None:
    """Создать папки, базу данных, первого администратора и удостоверяющий центр школы
    (повторно — безопасно)."""
    import secrets

    from service.cli.signers import org_name
    from service.cli.users import ensure_first_admin
    from service.signing.authority import ensure_ca, has_ca

    _upgrade_home(settings)
    initialise_home(settings)
    setup_logging(settings)
    click.echo(f"Рабочая папка готова: {settings.home}")
    admin_password = sys.stdin.readline().rstrip("\n") if admin_password_stdin else None
    if admin_password_stdin and not admin_password:
        raise RussianError("Пустой пароль администратора.")
    made = ensure_first_admin(settings, admin_password)
    if made is not None:
        click.echo(f"Создан администратор веб-сервиса: логин {made[0]}")
        if not admin_password_stdin:
            click.echo(f"Пароль администратора (показан один раз, запишите): {made[1]}")
    name = org or org_name(settings)
    if has_ca(settings.var):
        return
    if not name:
        click.echo(
            "Удостоверяющий центр будет создан, когда известна школа: "
            '`nastavnik init --org "Полное наименование"`.'
        )
        return
    if ca_password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise RussianError("Пустой пароль удостоверяющего центра.")
    else:
        password = secrets.token_urlsafe(12)
    ensure_ca(settings.var, name, password)
    click.echo(f"Создан удостоверяющий центр школы: {settings.ca_certificate}")
    if not ca_password_stdin:
        click.echo(f"Пароль удостоверяющего центра (показан один раз, запишите): {password}")


COMMANDS = [init]
