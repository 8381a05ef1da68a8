"""Logins and sessions: logout ends the session on the server, wrong passwords tried at once are
counted atomically, and an unknown login looks like a wrong password."""

from __future__ import annotations

import re
import threading

from sqlalchemy import select

from service.register.db import session_scope
from service.register.models import Event, User
from service.register.users import MAX_FAILED_LOGINS, authenticate
from tests.web_school import KEY_PASSWORD, login, password_of


def test_a_cookie_replayed_after_logout_opens_nothing(app, client):
    login(client, "director")
    cookie = client.get_cookie("nastavnik_session").value
    assert client.get("/director/").status_code == 200
    assert client.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("nastavnik_session", cookie)
    replayed = thief.get("/director/")
    assert replayed.status_code == 302
    assert replayed.headers["Location"] == "/login?next=/director/"
    api = thief.get("/api/me")
    assert api.status_code == 401
    # logging in again gives a new session that works
    login(client, "director")
    assert client.get("/director/").status_code == 200


def test_twenty_wrong_passwords_at_once_are_counted_as_twenty(web_school):
    url = web_school.settings.database_url
    messages: list[str] = []
    start = threading.Barrier(20)

    def attempt() -> None:
        start.wait()
        with session_scope(url, write=False) as s:  # as the login page's own session
            messages.append(authenticate(s, "secretary", "неверный-пароль").message)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with session_scope(url) as s:
        user = s.scalars(select(User).where(User.login == "secretary")).one()
        locks = s.scalars(select(Event).where(Event.kind == "user_locked")).all()
        assert user.locked_until is not None and len(locks) == 1
        until = f"{user.locked_until:%H:%M}"
    wrong = messages.count("Неверный логин или пароль.")
    assert wrong == MAX_FAILED_LOGINS - 1  # only five passwords were checked at all
    assert messages.count("Неверный пароль 5 раз подряд: вход заблокирован на 15 минут.") == 1
    assert (
        messages.count(
            "Вход временно заблокирован после 5 неверных паролей: "
            f"попробуйте после {until} или обратитесь к администратору."
        )
        == 20 - MAX_FAILED_LOGINS
    )
    with session_scope(url) as s:  # the right password waits for the lock to end
        assert authenticate(s, "secretary", password_of("secretary")).user is None


def test_an_unknown_login_answers_like_a_wrong_password(client, monkeypatch):
    """Same message, and the same work: one password check against a hash of the same kind
    (a fast «no such user» would tell logins apart). Counted, not timed: a timing assertion
    fails on a loaded machine."""
    import service.register.users as users

    checked: list[str] = []
    real = users.verify_password

    def counted(stored: str, password: str) -> bool:
        checked.append(stored.rsplit("$", 2)[0])  # the algorithm and its cost parameters
        return real(stored, password)

    monkeypatch.setattr(users, "verify_password", counted)

    def answer(name: str) -> str:
        page = client.post("/login", data={"login": name, "password": "неверный-пароль"})
        assert page.status_code == 401
        return re.search(r'role="alert">([^<]*)<', page.get_data(as_text=True)).group(1)

    unknown = [answer("nobody-here") for _ in range(3)]
    unknown_checks, checked[:] = list(checked), []
    known = [answer("inspector") for _ in range(3)]  # three: the login stays unlocked
    assert set(unknown) == set(known) == {"Неверный логин или пароль."}
    assert len(unknown_checks) == len(checked) == 3
    assert set(unknown_checks) == set(checked)


def test_an_unknown_or_disabled_login_locks_like_a_known_one(client, web_school):
    """Five wrong passwords locked a real login («Вход временно заблокирован…») while an
    unknown one answered «Неверный логин или пароль.» for ever: six tries told which logins
    exist. An unknown login, and a user switched off, now count and «lock» the same way."""
    from service.register.disabling import disable_user
    from service.register.users import find_user

    with session_scope(web_school.settings.database_url) as s:
        disable_user(s, find_user(s, "curator"), actor="admin")

    def answers(name: str) -> list[str]:
        found = []
        for _ in range(MAX_FAILED_LOGINS + 2):
            page = client.post("/login", data={"login": name, "password": "неверный-пароль"})
            assert page.status_code == 401
            text = re.search(r'role="alert">([^<]*)<', page.get_data(as_text=True)).group(1)
            found.append(re.sub(r"\d\d:\d\d", "ЧЧ:ММ", text))
        return found

    expected = [
        *["Неверный логин или пароль."] * (MAX_FAILED_LOGINS - 1),
        "Неверный пароль 5 раз подряд: вход заблокирован на 15 минут.",
        *[
            "Вход временно заблокирован после 5 неверных паролей: попробуйте после ЧЧ:ММ или "
            "обратитесь к администратору."
        ]
        * 2,
    ]
    assert answers("inspector") == expected
    assert answers("nobody-here") == expected
    assert answers("curator") == expected


def csrf_of(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def test_a_form_sent_after_logout_in_another_tab_says_the_session_ended(web_school):
    """The director has «Подписать» open with his key password typed and logs out in another
    tab; the form then came back «Форма устарела или отправлена не с этой страницы… Обновите
    страницу и отправьте форму снова» — a reload sent the same form and the same refusal, and
    nothing said that he was logged out. Now: the login page, and why nothing was done."""
    from service.web import create_app
    from service.web.security import FORM_AFTER_LOGOUT

    client = create_app(web_school.settings).test_client()  # CSRF on, as in the service
    token = csrf_of(client.get("/login"))
    client.post(
        "/login",
        data={"login": "director", "password": password_of("director"), "csrf_token": token},
    )
    order = web_school.doc_id("order_implementation")
    form = client.get(f"/director/sign?document={order}")
    token = csrf_of(form)
    client.post("/logout", data={"csrf_token": token})  # the other tab: one cookie for both
    sent = client.post(
        "/director/sign",
        data={"document": order, "password": KEY_PASSWORD, "csrf_token": token},
    )
    assert (sent.status_code, sent.location) == (302, "/login")
    page = re.sub(r"\s+", " ", client.get("/login").get_data(as_text=True))
    assert FORM_AFTER_LOGOUT in page and "Форма устарела" not in page
    assert FORM_AFTER_LOGOUT == (
        "Сеанс закончился, пока форма была открыта (выход в другой вкладке или на другом "
        "устройстве, новый пароль, истёк срок входа): форма не отправлена, ничего не сделано. "
        "Войдите и повторите действие."
    )
    with session_scope(web_school.settings.database_url) as s:
        assert s.scalars(select(Event).where(Event.kind == "document_signed")).all() == []


def test_logout_or_a_password_change_sent_twice_says_what_to_do(client):
    """«Выйти» clicked twice (or in a second tab) ended on «Сеанс закончился… Войдите и
    повторите действие» — repeat a logout; «Сменить пароль» clicked twice: the first click
    changed the password and ended the session the second one carried, and the login page said
    nothing of the new password. Both found as a hurried user (careless11)."""
    from service.web.security import PASSWORD_AFTER_LOGOUT
    from tests.test_double_submit import twice

    login(client, "secretary")
    change = {
        "current": password_of("secretary"),
        "new": "новый-пароль-7",
        "repeat": "новый-пароль-7",
    }
    second = twice(client, "/account/password", change)
    assert (second.status_code, second.location) == (302, "/login")
    page = re.sub(r"\s+", " ", client.get("/login").get_data(as_text=True))
    assert PASSWORD_AFTER_LOGOUT in page
    assert login(client, "secretary", "новый-пароль-7").status_code == 302  # changed once
    second = twice(client, "/logout", {})
    assert (second.status_code, second.location) == (302, "/login")
    page = re.sub(r"\s+", " ", client.get("/login").get_data(as_text=True))
    assert "Вы вышли из системы." in page and "Сеанс закончился" not in page
