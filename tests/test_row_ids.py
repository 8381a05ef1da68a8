"""A number past any id the register keeps — PostgreSQL's ``integer`` ends at 2³¹ − 1 — in an
address, a form, a filter or a command is «не найден» or a 400, never the database's error:
on PostgreSQL ``/api/documents/2147483648`` was a 500 and ``nastavnik return 2147483648`` a
traceback (SQLite's ids go on to 2⁶³ − 1, where the same happened)."""

from __future__ import annotations

import os

import pytest

from service.register.db import session_scope
from service.register.users import add_user
from service.web import create_app
from tests import cli
from tests.web_school import login

PASSWORD = "пароль-длинный-1"
PAST = 2**31


@pytest.mark.postgresql
def test_an_id_past_the_register_is_not_found_on_either_server(settings):
    with session_scope(settings.database_url) as s:
        add_user(s, "director", "Кинякина Татьяна Игоревна", ["director"], PASSWORD)
        add_user(s, "secretary", "Иванова Анна Петровна", ["secretary"], PASSWORD)
    app = create_app(settings, {"WTF_CSRF_ENABLED": False})
    director, secretary = app.test_client(), app.test_client()
    login(director, "director", PASSWORD)
    login(secretary, "secretary", PASSWORD)

    response = director.get(f"/api/documents/{PAST - 1}")
    assert response.status_code == 404
    assert response.get_json() == {"error": f"Документ № {PAST - 1} не найден."}
    for url in (f"/api/documents/{PAST}", f"/documents/{PAST}/file"):
        response = director.get(url)
        assert response.status_code == 404, url
    assert "Не найдено: такой страницы или документа нет." in response.get_data(as_text=True)
    response = director.post("/director/sign", data={"document": str(PAST), "password": "x" * 12})
    assert response.status_code == 400
    assert f"Неверный номер документа: «{PAST}»." in response.get_data(as_text=True)
    response = secretary.post("/secretary/returned", data={"document": str(PAST), "answer": "да"})
    assert response.status_code == 404
    assert f"Документ № {PAST} не найден." in response.get_data(as_text=True)
    response = secretary.get(f"/api/documents?batch={PAST}")
    assert response.status_code == 400
    assert response.get_json() == {
        "error": f"Номер пакета (параметр «batch») должен быть от 1 до {PAST - 1}."
    }

    command = ["--home", str(settings.home)]
    env = {**os.environ, "NASTAVNIK_DATABASE_URL": settings.database_url}
    done = cli.nastavnik(
        *command, "return", str(PAST), "--comment", "Исправить", "--user", "director", env=env
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.endswith(
        f"Ошибка: Недопустимое значение 'DOCUMENT_ID': {PAST} — вне допустимых пределов "
        f"1<=x<={PAST - 1}.\n"
    )
