"""``nastavnik`` commands for the people who work in the service: ``user add``, ``user list``,
``user token``, ``user disable``/``enable``, ``demo-users``, and the first administrator made
by ``init``. Wiring only: the work is in :mod:`service.register.users` and
:mod:`service.register.disabling`."""

from __future__ import annotations

import sys

import click

from service.cli.common import RussianError, pass_settings
from service.config import Settings
from service.register.labels import ROLE_NAMES, ROLES, in_role_order


def ensure_first_admin(settings: Settings, password: str | None = None) -> tuple[str, str] | None:
    """Make the administrator ``admin`` when the register has no user with a password yet;
    returns (login, password) when made now (the password generated unless given)."""
    from service.register.db import session_scope
    from service.register.users import add_user, list_users, new_password

    with session_scope(settings.database_url) as session:
        if any(u.password_hash for u in list_users(session)):
            return None
        chosen = password or new_password()
        add_user(session, "admin", "Администратор", ["admin"], chosen, actor="init")
        return "admin", chosen


@click.group()
def user() -> None:
    """Пользователи веб-сервиса: роли, пароли, токены API."""


@user.command("add")
@click.argument("login")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(ROLES),
    help="Роль (можно несколько раз): " + ", ".join(f"{r} — {n}" for r, n in ROLE_NAMES.items()),
)
@click.option("--name", "full_name", required=True, help="ФИО полностью.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Пароль со стандартного ввода (иначе придумывается и печатается один раз).",
)
@pass_settings
def user_add(
    settings: Settings, login: str, roles: tuple[str, ...], full_name: str, password_stdin: bool
) -> None:
    """Добавить нового пользователя. Существующий логин не меняется: для этого
    `nastavnik user edit` (ФИО, роли) и `nastavnik user password` (новый пароль)."""
    from service.register.db import session_scope
    from service.register.users import add_user, new_password

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise RussianError("Пустой пароль.")
    else:
        password = new_password()
    with session_scope(settings.database_url) as session:
        made, created = add_user(session, login, full_name, list(roles), password, actor="cli")
        text = ", ".join(ROLE_NAMES[r] for r in ROLES if r in made.role_set)
        click.echo(f"Пользователь «{made.login}» {'создан' if created else 'изменён'}: {text}.")
    if not password_stdin:
        click.echo(f"Пароль (показан один раз, передайте лично): {password}")


@user.command("edit")
@click.argument("login")
@click.option("--name", "full_name", default=None, help="Новое ФИО полностью.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice(ROLES),
    help="Роли пользователя после изменения (все, можно несколько раз); без --role роли прежние.",
)
@pass_settings
def user_edit(
    settings: Settings, login: str, full_name: str | None, roles: tuple[str, ...]
) -> None:
    """Изменить ФИО и/или роли пользователя (пароль не меняется)."""
    from service.register.db import session_scope
    from service.register.users import update_user, user_named

    if full_name is None and not roles:
        raise RussianError("Укажите, что изменить: --name и/или --role.")
    with session_scope(settings.database_url) as session:
        found = user_named(session, login)
        changes = update_user(
            session, found, full_name=full_name, roles=list(roles) or None, actor="cli"
        )
    if changes:
        click.echo(f"Пользователь «{login}» изменён: {'; '.join(changes)}.")
    else:
        click.echo(f"Пользователь «{login}»: ничего не изменилось.")


@user.command("password")
@click.argument("login")
@click.option("--yes", is_flag=True, help="Не спрашивать подтверждения.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Новый пароль со стандартного ввода (иначе придумывается и печатается один раз).",
)
@pass_settings
def user_password(settings: Settings, login: str, yes: bool, password_stdin: bool) -> None:
    """Выдать пользователю новый пароль (прежний и API-токен перестают действовать)."""
    from service.register.db import session_scope
    from service.register.users import new_password, replace_password, user_named

    with session_scope(settings.database_url) as session:
        name = user_named(session, login).full_name
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        if not yes and not click.confirm(
            f"Выдать новый пароль пользователю «{login}» ({name})? Прежний пароль и API-токен "
            "перестанут действовать."
        ):
            raise RussianError("Ничего не изменено.")
        password = new_password()
    with session_scope(settings.database_url) as session:
        replace_password(session, user_named(session, login), password, actor="cli")
    click.echo(f"Пароль пользователя «{login}» заменён; его API-токен больше не действует.")
    if not password_stdin:
        click.echo(f"Новый пароль (показан один раз, передайте лично): {password}")


@user.command("disable")
@click.argument("login")
@click.option("--yes", is_flag=True, help="Не спрашивать подтверждения.")
@pass_settings
def user_disable(settings: Settings, login: str, yes: bool) -> None:
    """Отключить пользователя (сотрудник ушёл, куратор заменён): вход закрыт, сеансы, API-токен
    и ключи подписи перестают действовать. Подписи и записи журнала остаются."""
    from service.register.db import session_scope
    from service.register.disabling import disable_user
    from service.register.users import user_named

    with session_scope(settings.database_url) as session:
        name = user_named(session, login).full_name
    if not yes and not click.confirm(
        f"Отключить пользователя «{login}» ({name})? Вход будет закрыт, сеансы, API-токен и "
        "ключи подписи перестанут действовать."
    ):
        raise RussianError("Ничего не изменено.")
    with session_scope(settings.database_url) as session:
        disable_user(session, user_named(session, login), actor="cli")
    click.echo(
        f"Пользователь «{login}» ({name}) отключён: вход закрыт, сеансы, API-токен и ключи "
        "подписи больше не действуют. Подписи и записи журнала сохранены. Включить снова: "
        f"nastavnik user enable {login}."
    )


@user.command("enable")
@click.argument("login")
@pass_settings
def user_enable(settings: Settings, login: str) -> None:
    """Включить отключённого пользователя снова: он входит с прежним паролем."""
    from service.register.db import session_scope
    from service.register.disabling import enable_user
    from service.register.users import user_named

    with session_scope(settings.database_url) as session:
        found = user_named(session, login)
        enable_user(session, found, actor="cli")
        name = found.full_name
    click.echo(
        f"Пользователь «{login}» ({name}) снова включён: вход с прежним паролем; новый API-токен "
        "выдаётся на странице «Учётная запись»."
    )


@user.command("list")
@pass_settings
def user_list(settings: Settings) -> None:
    """Пользователи и их роли."""
    from service.register.listings import user_rows
    from service.register.reading import register_reader

    with register_reader(settings.database_url) as read:
        found = user_rows(read)
    for item in found:
        # as DESIGN.md's table, `user add` and the administrator's page list them (left20:
        # sorted by id, «администратор, куратор, директор, секретарь»); one unknown last
        roles = ", ".join(ROLE_NAMES.get(r, r) for r in in_role_order(item.role_set))
        state = (
            " (вход отключён)" if item.disabled else "" if item.has_password else " (без пароля)"
        )
        click.echo(f"{item.login}\t{item.full_name}\t{roles}{state}")


@user.command("token")
@click.argument("login")
@pass_settings
def user_token(settings: Settings, login: str) -> None:
    """Выдать новый токен API (прежний перестаёт действовать); печатается один раз."""
    from service.register.db import session_scope
    from service.register.users import issue_api_token, user_named

    with session_scope(settings.database_url) as session:
        click.echo(issue_api_token(session, user_named(session, login), actor="cli"))


@click.command("demo-users")
@pass_settings
def demo_users(settings: Settings) -> None:
    """Учебные пользователи для пробы — по одному на каждую роль, которой ещё ни у кого нет,
    только пока в реестре нет пользователей школы; печатает логины и пароли. Повторный запуск
    ничего не меняет."""
    from service.home import initialise_home
    from service.register.db import session_scope
    from service.register.users import (
        ensure_demo_users,
        is_demo_user,
        list_users,
        school_users,
    )

    initialise_home(settings)
    with session_scope(settings.database_url) as session:
        made = ensure_demo_users(session)
        lines = [(u.login, ROLE_NAMES[next(iter(u.role_set))], p) for u, p in made]
        own = [_who(u) for u in school_users(session)]
        samples = [
            u.login
            for u in list_users(session)
            if is_demo_user(u) and u.password_hash and not u.is_disabled
        ]
    if own:
        named = "; ".join(own[:3]) + (f" и ещё {len(own) - 3}" if len(own) > 3 else "")
        click.echo(
            f"Учебные пользователи не созданы: в реестре есть пользователи школы ({named}). "
            "Пользователей добавляет администратор: nastavnik user add или страница "
            "«Администрирование»."
        )
        if samples:
            click.echo(
                f"Учебные пользователи прежних запусков могут входить: {', '.join(samples)}. "
                f"Если они не нужны, отключите их: nastavnik user disable {samples[0]}."
            )
    if not lines:
        return
    click.echo("Учебные пользователи (пароли показаны один раз):")
    for login, role, password in lines:
        click.echo(f"  {role:<12} логин {login:<12} пароль {password}")
    click.echo(
        "Ключ электронной подписи директору выпускает администратор: страница "
        "«Администрирование» (удостоверяющий центр, затем «Выпустить сертификат»)."
    )


def _who(user: object) -> str:
    roles = ", ".join(ROLE_NAMES.get(r, r) for r in sorted(user.role_set))
    return f"{user.login} — {roles}"


COMMANDS = [user, demo_users]
