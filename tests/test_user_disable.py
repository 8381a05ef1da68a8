"""A user switched off (an intern who left, a curator replaced) and back on: by the CLI and on
the administrator's page. He cannot log in, his sessions, API token and signing keys stop
working, his signatures and ledger entries stay; nobody switches himself or the last active
administrator off."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from service.register.db import session_scope
from service.register.disabling import disable_user, enable_user
from service.register.listings import user_rows
from service.register.models import Document, Event, Signature, User
from service.register.reading import register_reader
from service.register.users import (
    UserError,
    add_user,
    authenticate,
    issue_api_token,
    user_by_token,
    user_named,
)
from service.signing.errors import SigningError
from service.signing.returning import resubmit_document
from service.signing.signers import revoke_signer
from tests.signing_calls import return_document, sign_documents
from tests.test_users_cli import can_log_in, run
from tests.web_school import KEY_PASSWORD, issue_key, login, password_of

LAST_ADMIN = (
    "Пользователь «admin» — последний действующий администратор: отключать его нельзя, иначе "
    "управлять пользователями и ключами будет некому. Сначала дайте роль администратора другому "
    "пользователю. Ничего не изменено."
)


def switch_events(url: str) -> list[tuple[str, str, dict]]:
    with session_scope(url) as s:
        found = s.scalars(
            select(Event)
            .where(Event.kind.in_(["user_disabled", "user_enabled"]))
            .order_by(Event.id)
        )
        return [(e.kind, e.actor, e.details) for e in found]


def test_user_disable_and_enable_from_the_command_line(tmp_path):
    from service.config import load_settings

    home = tmp_path / "школа"
    run(home, "init", "--admin-password-stdin", stdin="пароль-админа-1\n")
    url = load_settings({"home": home}).database_url
    with session_scope(url) as s:
        made, _ = add_user(s, "ivanova", "Иванова Анна Петровна", ["secretary"], "пароль-секр")
        token = issue_api_token(s, made)

    off = run(home, "user", "disable", "ivanova", "--yes")
    assert (off.returncode, off.stdout) == (
        0,
        "Пользователь «ivanova» (Иванова Анна Петровна) отключён: вход закрыт, сеансы, API-токен "
        "и ключи подписи больше не действуют. Подписи и записи журнала сохранены. Включить "
        "снова: nastavnik user enable ivanova.\n",
    )
    assert not can_log_in(home, "ivanova", "пароль-секр")
    listed = run(home, "user", "list").stdout.splitlines()
    assert listed == [
        "admin\tАдминистратор\tадминистратор",
        "ivanova\tИванова Анна Петровна\tсекретарь (вход отключён)",
    ]
    with session_scope(url) as s, pytest.raises(UserError) as no_token:
        issue_api_token(s, user_named(s, "ivanova"))
    assert str(no_token.value) == (
        "Пользователь «ivanova» отключён: токен API не выдан. Сначала включите его "
        "(nastavnik user enable ivanova)."
    )
    last = run(home, "user", "disable", "admin", "--yes")
    assert (last.returncode, last.stderr) == (1, f"Ошибка: {LAST_ADMIN}\n")
    asked = run(home, "user", "disable", "admin", stdin="n\n")
    assert (asked.returncode, asked.stderr) == (1, "Ошибка: Ничего не изменено.\n")
    assert asked.stdout == (
        "Отключить пользователя «admin» (Администратор)? Вход будет закрыт, сеансы, API-токен и "
        "ключи подписи перестанут действовать. [y/N]: "
    )

    on = run(home, "user", "enable", "ivanova")
    assert (on.returncode, on.stdout) == (
        0,
        "Пользователь «ivanova» (Иванова Анна Петровна) снова включён: вход с прежним паролем; "
        "новый API-токен выдаётся на странице «Учётная запись».\n",
    )
    assert can_log_in(home, "ivanova", "пароль-секр")
    with session_scope(url) as s:
        assert user_by_token(s, token) is None  # the token of before stays ended
        with pytest.raises(UserError) as twice:
            enable_user(s, user_named(s, "ivanova"), actor="cli")
        assert str(twice.value) == "Пользователь «ivanova» не отключён: включать нечего."
    assert switch_events(url) == [
        ("user_disabled", "cli", {"login": "ivanova"}),
        ("user_enabled", "cli", {"login": "ivanova"}),
    ]


@pytest.mark.postgresql
def test_the_switch_on_either_server(settings):
    """The register's side on SQLite and on PostgreSQL: the login, the token, the listing and
    the last administrator."""
    url = settings.database_url
    with session_scope(url) as s:
        add_user(s, "admin", "Администратор", ["admin"], "пароль-админа")
        add_user(s, "admin2", "Петров Пётр Петрович", ["admin", "curator"], "пароль-админа-2")
        token = issue_api_token(
            s, add_user(s, "kurator", "Бутрина О. Н.", ["curator"], "п-123456")[0]
        )
    with session_scope(url) as s:
        disable_user(s, user_named(s, "kurator"), actor="admin")
        disable_user(s, user_named(s, "admin2"), actor="admin", acting=user_named(s, "admin"))
    with session_scope(url) as s:
        assert authenticate(s, "kurator", "п-123456").message == "Неверный логин или пароль."
        assert user_by_token(s, token) is None
        with pytest.raises(UserError) as refused:
            disable_user(s, user_named(s, "admin"), actor="cli")
        assert str(refused.value) == LAST_ADMIN
    with register_reader(url) as read:
        assert [(u.login, u.disabled) for u in user_rows(read)] == [
            ("admin", False),
            ("admin2", True),
            ("kurator", True),
        ]
    with session_scope(url) as s:
        enable_user(s, user_named(s, "admin2"), actor="admin")
    with session_scope(url) as s:
        assert authenticate(s, "admin2", "пароль-админа-2").user.login == "admin2"
        disable_user(s, user_named(s, "admin"), actor="admin2")  # another administrator is on
    assert [kind for kind, _, _ in switch_events(url)] == [
        "user_disabled",
        "user_disabled",
        "user_enabled",
        "user_disabled",
    ]


def user_id(settings, login_name: str) -> int:
    with session_scope(settings.database_url) as s:
        return user_named(s, login_name).id


def test_the_administrator_switches_a_user_off_on_his_page(app, client, web_school):
    settings = web_school.settings
    secretary = app.test_client()
    login(secretary, "secretary")
    with session_scope(settings.database_url) as s:
        token = issue_api_token(s, user_named(s, "secretary"))
    bearer = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/me", headers=bearer).status_code == 200
    number = user_id(settings, "secretary")

    director = app.test_client()
    login(director, "director")
    assert director.get(f"/admin/users/{number}/active").status_code == 403
    assert director.post(f"/admin/users/{number}/active", data={"active": "0"}).status_code == 403

    login(client, "admin")
    page = client.get(f"/admin/users/{number}/active").get_data(as_text=True)
    assert "Отключить пользователя «secretary» — Иванова Анна Петровна?" in page
    assert "Ничего не удаляется: поставленные подписи, документы и записи журнала событий " in page
    assert '<input type="hidden" name="active" value="0">' in page
    done = client.post(f"/admin/users/{number}/active", data={"active": "0"})
    assert (done.status_code, done.location) == (302, "/admin/")
    listing = client.get("/admin/").get_data(as_text=True)
    assert (
        "Пользователь «secretary» (Иванова Анна Петровна) отключён: вход закрыт, сеансы и "
        "API-токен больше не действуют. Подписи и записи журнала сохранены."
    ) in listing
    row = re.search(r"<td data-label=\"Логин\">secretary</td>.*?</tr>", listing, re.S).group(0)
    assert '<span class="bad">отключён ' in row and "Включить…" in row

    # his open session ends at its next request, his token and his password stop working
    ended = secretary.get("/secretary/")
    assert (ended.status_code, ended.location) == (302, "/login?next=/secretary/")
    assert app.test_client().get("/api/me", headers=bearer).status_code == 401
    refused = app.test_client().post(
        "/login", data={"login": "secretary", "password": password_of("secretary")}
    )
    assert refused.status_code == 401
    assert "Неверный логин или пароль." in refused.get_data(as_text=True)
    twice = client.post(f"/admin/users/{number}/active", data={"active": "0"})
    assert twice.status_code == 400
    assert "Пользователь «secretary» уже отключён." in twice.get_data(as_text=True)

    # oneself: never; a form without its direction: refused in words
    me = user_id(settings, "admin")
    assert "Себя отключить нельзя" in client.get(f"/admin/users/{me}/active").get_data(as_text=True)
    assert client.post(f"/admin/users/{me}/active", data={"active": "0"}).status_code == 400
    empty = client.post(f"/admin/users/{number}/active", data={})
    assert empty.status_code == 400
    assert "Не указано, отключить пользователя или включить" in empty.get_data(as_text=True)

    page = client.get(f"/admin/users/{number}/active").get_data(as_text=True)
    assert "Включить пользователя «secretary» — Иванова Анна Петровна?" in page
    on = client.post(f"/admin/users/{number}/active", data={"active": "1"})
    assert on.status_code == 302
    assert "Пользователь «secretary» (Иванова Анна Петровна) снова включён." in client.get(
        "/admin/"
    ).get_data(as_text=True)
    again = secretary.get("/secretary/")  # the session of before does not come back
    assert (again.status_code, again.location) == (302, "/login?next=/secretary/")
    assert app.test_client().get("/api/me", headers=bearer).status_code == 401
    login(secretary, "secretary")
    assert secretary.get("/secretary/").status_code == 200
    assert switch_events(settings.database_url) == [
        ("user_disabled", "admin", {"login": "secretary"}),
        ("user_enabled", "admin", {"login": "secretary"}),
    ]


def test_a_disabled_director_signs_nothing_and_keeps_his_signatures(web_school):
    settings = web_school.settings
    url = settings.database_url
    first, order = web_school.doc_id("order_implementation"), web_school.doc_id("order_pairs")
    (signed,) = sign_documents(settings, "director", [first], KEY_PASSWORD)
    assert signed.ok, signed.message
    with session_scope(url) as s:
        disable_user(s, user_named(s, "director"), actor="admin")
    with pytest.raises(SigningError) as refused:
        sign_documents(settings, "director", [order], KEY_PASSWORD)
    assert str(refused.value) == (
        "Пользователь «director» отключён администратором: ключи подписи этого пользователя "
        "не действуют."
    )
    with pytest.raises(SigningError) as no_key:
        issue_key(settings, "director", "Кинякина Татьяна Игоревна", "Директор", "director", "к")
    assert str(no_key.value) == (
        "Пользователь «director» отключён администратором: новый ключ подписи не выпускается. "
        "Сначала включите его (nastavnik user enable director)."
    )
    with session_scope(url) as s:
        kept = s.scalars(select(Signature).where(Signature.document_id == first)).all()
        assert [(x.role, x.signer.user.login) for x in kept] == [("director", "director")]
        # the administrator still revokes the keys of a user who left
        revoked = revoke_signer(s, "director", "сотрудник уволен", actor="admin")
        assert len(revoked) == 1
        assert s.scalars(select(User.disabled_at).where(User.login == "director")).one()


def test_a_disabled_director_returns_nothing_and_a_disabled_secretary_resubmits_nothing(
    web_school,
):
    """The console's ``return``/``resubmit --user`` act in a user's name with no password: a
    director switched off still returned orders, recorded in the ledger as hers."""
    settings = web_school.settings
    url = settings.database_url
    order = web_school.doc_id("order_pairs")
    with session_scope(url) as s:
        disable_user(s, user_named(s, "director"), actor="admin")
    with pytest.raises(SigningError) as refused:
        return_document(settings, "director", order, "Проверьте даты")
    assert str(refused.value) == (
        "Пользователь «director» отключён администратором: действовать от его имени нельзя."
    )
    with session_scope(url) as s:
        enable_user(s, user_named(s, "director"), actor="admin")
    return_document(settings, "director", order, "Проверьте даты")
    with session_scope(url) as s:
        disable_user(s, user_named(s, "secretary"), actor="admin")
    with pytest.raises(SigningError) as refused, session_scope(url) as s:
        resubmit_document(s, "secretary", order, "Даты верны")
    assert str(refused.value) == (
        "Пользователь «secretary» отключён администратором: действовать от его имени нельзя."
    )
    with session_scope(url) as s:
        assert s.get(Document, order).status == "returned"


def test_the_last_active_administrator_keeps_the_role(tmp_path):
    """Taking the administrator's role from the last active administrator is refused as
    switching him off is (the edit page and `user edit` took it: two administrators editing
    each other at once, or one switched off, left the school with none); with another active
    administrator it is taken, and the new ФИО of a refused edit is not kept either."""
    from service.config import load_settings

    home = tmp_path / "школа"
    run(home, "init", "--admin-password-stdin", stdin="пароль-админа-1\n")
    url = load_settings({"home": home}).database_url
    with session_scope(url) as s:
        add_user(s, "petrov", "Петров Пётр Петрович", ["admin"], "пароль-админа-2")
    with session_scope(url) as s:
        disable_user(s, user_named(s, "petrov"), actor="admin", acting=user_named(s, "admin"))
    refused = run(home, "user", "edit", "admin", "--name", "Сидоров С. С.", "--role", "inspector")
    assert (refused.returncode, refused.stderr) == (
        1,
        "Ошибка: Пользователь «admin» — последний действующий администратор: роль "
        "администратора снять с него нельзя, иначе управлять пользователями и ключами будет "
        "некому. Сначала дайте её другому пользователю. Ничего не изменено.\n",
    )
    with session_scope(url) as s:
        kept = user_named(s, "admin")
        assert (kept.full_name, kept.roles) == ("Администратор", "admin")
        enable_user(s, user_named(s, "petrov"), actor="cli")
    taken = run(home, "user", "edit", "admin", "--role", "inspector")
    assert taken.returncode == 0, taken.stderr
    with session_scope(url) as s:
        assert user_named(s, "admin").roles == "inspector"
