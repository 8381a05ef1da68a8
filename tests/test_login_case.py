"""A phone writes the first letter of a field capital: the director typed «director» and the
login page got «Director» — «Неверный логин или пароль», with the right password. A login is
found whatever the case of its letters when one login is so written; two logins that differ
only in case cannot be made any more (the login page could not tell them apart)."""

from __future__ import annotations

import pytest

from service.register.db import session_scope
from service.register.models import User
from service.register.users import UserError, add_user, authenticate
from service.web import create_app

PASSWORD = "пароль-директора-1"


def test_a_login_typed_with_a_capital_letter_signs_in(settings):
    with session_scope(settings.database_url) as s:
        add_user(s, "director", "Кинякина Татьяна Игоревна", ["director"], PASSWORD)
    client = create_app(settings, {"WTF_CSRF_ENABLED": False}).test_client()
    page = client.get("/login").get_data(as_text=True)
    assert 'autocapitalize="none"' in page and 'autocorrect="off"' in page
    answer = client.post("/login", data={"login": "Director", "password": PASSWORD})
    assert (answer.status_code, answer.headers["Location"]) == (302, "/")
    with session_scope(settings.database_url) as s:
        assert authenticate(s, "DIRECTOR", PASSWORD).user.login == "director"
        assert authenticate(s, "Director", "не тот пароль").message == "Неверный логин или пароль."


def test_a_login_differing_only_in_case_is_refused(settings):
    with session_scope(settings.database_url) as s:
        add_user(s, "admin", "Соколов Павел Андреевич", ["admin"], PASSWORD)
    with session_scope(settings.database_url) as s, pytest.raises(UserError) as refused:
        add_user(s, "ADMIN", "Другой Человек Иванович", ["admin"], PASSWORD)
    assert str(refused.value) == (
        "Логин «ADMIN» отличается от занятого логина «admin» (Соколов Павел Андреевич) только "
        "заглавными и строчными буквами: при входе их не различить. Выберите другой логин. "
        "Ничего не изменено."
    )
    with session_scope(settings.database_url) as s:
        assert [u.login for u in s.query(User)] == ["admin"]


def test_two_logins_of_an_earlier_release_differing_in_case_sign_in_only_as_written(settings):
    with session_scope(settings.database_url) as s:
        add_user(s, "petrov", "Петров Иван Сергеевич", ["curator"], PASSWORD)
        add_user(s, "sidorov", "Петров Иван Сергеевич", ["curator"], PASSWORD + "2")
        s.flush()
        s.query(User).filter(User.login == "sidorov").one().login = "Petrov"
    with session_scope(settings.database_url) as s:
        assert authenticate(s, "petrov", PASSWORD).user.login == "petrov"
        assert authenticate(s, "Petrov", PASSWORD + "2").user.login == "Petrov"
        assert authenticate(s, "PETROV", PASSWORD).user is None
