"""The character 0 in a request — a login, a form field, a JSON body, an address — is a 400
with a Russian message before any view reads it. No keyboard types it; PostgreSQL stores no
text with it, so on PostgreSQL it was a 500 «Внутренняя ошибка» (the login page's to anyone),
and on SQLite it was stored: a document returned with an invisible comment."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from service.register.db import session_scope
from service.register.listings import user_rows
from service.register.models import Document, DocumentStatus, Event
from service.register.reading import register_reader
from service.register.users import add_user
from service.web import create_app
from tests.web_school import login

PASSWORD = "пароль-админа-1"


def _message(where: str) -> str:
    return (
        f"Запрос не принят: {where} есть символ с кодом 0, которого не бывает в набранном "
        "тексте. Ничего не изменено."
    )


@pytest.mark.postgresql
def test_a_nul_in_a_login_or_a_form_is_a_400_on_either_server(settings):
    with session_scope(settings.database_url) as s:
        add_user(s, "admin", "Администратор Школы", ["admin"], PASSWORD)
    app = create_app(settings, {"WTF_CSRF_ENABLED": False})
    anonymous = app.test_client()
    response = anonymous.post("/login", data={"login": "admin\x00", "password": "что-нибудь"})
    assert response.status_code == 400
    assert _message("в поле «login»") in response.get_data(as_text=True)

    admin = app.test_client()
    login(admin, "admin", PASSWORD)  # the refused login counted no wrong password
    response = admin.post(
        "/admin/users",
        data={
            "login": "ivanov",
            "full_name": "Иванов\x00 Иван",
            "roles": "inspector",
            "password": "пароль-длинный-1",
            "password_repeat": "пароль-длинный-1",
        },
    )
    assert response.status_code == 400
    assert _message("в поле «full_name»") in response.get_data(as_text=True)
    response = admin.get("/api/documents?kind=%00")
    assert response.status_code == 400
    assert response.get_json() == {"error": _message("в поле «kind»")}
    with register_reader(settings.database_url) as read:
        assert [u.login for u in user_rows(read)] == ["admin"]


def test_a_nul_in_a_json_comment_returns_nothing(web_school):
    app = create_app(web_school.settings, {"WTF_CSRF_ENABLED": False})
    director = app.test_client()
    login(director, "director")
    document_id = web_school.doc_id("order_implementation")
    with session_scope(web_school.settings.database_url) as s:
        events = s.scalar(select(func.count()).select_from(Event))
    response = director.post(
        f"/api/documents/{document_id}/return", json={"comment": {"а": ["исправить\x00"]}}
    )
    assert response.status_code == 400
    assert response.get_json() == {"error": _message("в теле запроса (JSON)")}
    response = director.post(f"/api/documents/{document_id}/return", json={"comment": "а\x00б"})
    assert response.get_json() == {"error": _message("в теле запроса (JSON)")}
    response = director.post(
        f"/director/documents/{document_id}/return", data={"comment": "исправить\x00"}
    )
    assert response.status_code == 400
    assert _message("в поле «comment»") in response.get_data(as_text=True)
    with session_scope(web_school.settings.database_url) as s:
        document = s.get(Document, document_id)
        assert (document.status, document.comment) == (DocumentStatus.AWAITING_SIGNATURE, None)
        assert s.scalar(select(func.count()).select_from(Event)) == events
