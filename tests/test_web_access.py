"""Who may open what: every URL rule of the app × every role (and no login at all); the
OpenAPI document covers every API rule; CSRF, cookies, the secret key, lock-out, tokens."""

from __future__ import annotations

import re
import stat
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from service.register.db import session_scope
from service.register.models import Signer, User
from service.register.users import MAX_FAILED_LOGINS, ROLES, add_user, authenticate
from service.web import create_app
from tests.signing_calls import sign_documents
from tests.web_school import KEY_PASSWORD, login, password_of

PUBLIC = {"static", "auth.login"}
POST_OK = {
    # POSTs that need no field: what they answer to an allowed role with an empty form
    "auth.logout": 302,
    "auth.new_token": 302,
    "admin.unlock_user": 302,
    "admin.reset_password": 302,
    "templates.reset": 302,
}
GET_OK = {
    "auth.home": 302,
    "director.confirm_sign": 302,
    "secretary.confirm_scan": 400,
    "secretary.confirm_resubmit": 409,
    "director.confirm_return": 409,
    "files.pack_archive": 404,
    "withdrawal.confirm": 400,
}
"""The start page sends a user with one role straight to that role's page; the signing
confirmation with nothing chosen goes back to the queue; a signed order takes no scan and is
not sent back for signature; the year's archive is not exported (``nastavnik archive
export``); withdrawing a pair asks its code."""


def rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint not in PUBLIC]


@pytest.fixture
def ids(web_school):
    """Real ids for every URL parameter: a signed order and its signature, the first batch
    and pair, a spare user, the director's key."""
    settings = web_school.settings
    document_id = web_school.doc_id("order_implementation")
    (result,) = sign_documents(settings, "director", [document_id], KEY_PASSWORD)
    assert result.ok
    with session_scope(settings.database_url) as s:
        spare, _ = add_user(
            s, "spare", "Запасной Пользователь Иванович", ["inspector"], "пароль-12"
        )
        from service.register.models import Document

        signature_id = s.get(Document, document_id).signatures[0].id
        signer_id = s.scalars(select(Signer.id)).first()
        spare_id = spare.id
    return {
        "document_id": document_id,
        "signature_id": signature_id,
        "batch_id": 1,
        "pair_id": 1,
        "user_id": spare_id,
        "signer_id": signer_id,
        "kind_id": "order_pairs",
        "year": "2023–2024",
    }


def build_url(rule, ids) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), rule.rule)


def call(client, rule, url):
    if "GET" in rule.methods:
        return client.get(url)
    return client.post(url, data={})


def test_every_endpoint_declares_its_roles(app):
    unguarded = [
        r.endpoint
        for r in rules(app)
        if not getattr(app.view_functions[r.endpoint], "required_roles", None)
    ]
    assert unguarded == []


def test_role_by_endpoint_matrix(app, ids):
    """Anonymous → the login page (401 JSON under /api/); a role not allowed → 403; an
    allowed role → 200 for a GET, the documented answer for a POST with an empty form."""
    clients = {}
    for role in ROLES:
        clients[role] = app.test_client()
        login(clients[role], role)
    anonymous = app.test_client()
    checked = 0
    for rule in rules(app):
        allowed = app.view_functions[rule.endpoint].required_roles
        url = build_url(rule, ids)
        is_api = rule.rule.startswith("/api/")
        response = call(anonymous, rule, url)
        if is_api:
            assert response.status_code == 401, url
            assert "error" in response.get_json(), url
        else:
            assert response.status_code == 302, url
            assert response.location.startswith("/login"), url
        for role in ROLES:
            response = call(clients[role], rule, url)
            status = response.status_code
            where = f"{role} {sorted(rule.methods - {'HEAD', 'OPTIONS'})} {url}"
            if role not in allowed:
                assert status == 403, where
                if is_api:
                    assert response.get_json()["error"].startswith("Нет доступа"), where
                else:
                    assert "Нет доступа" in response.get_data(as_text=True), where
            elif "GET" in rule.methods:
                assert status == GET_OK.get(rule.endpoint, 200), where
            else:
                assert status == POST_OK.get(rule.endpoint, 400), where
                if status == 400:
                    body = response.get_data(as_text=True)
                    assert re.search("[а-яА-Я]", body), where
            if rule.endpoint == "auth.logout" and role in allowed:
                login(clients[role], role)
            checked += 1
    assert checked == len(rules(app)) * len(ROLES) >= 50 * 5


def test_openapi_describes_every_api_rule_with_its_roles(client, app):
    login(client, "inspector")
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        assert path in document["paths"], path
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = document["paths"][path].get(method.lower())
            assert operation is not None, f"{method} {path}"
            roles = set(app.view_functions[rule.endpoint].required_roles)
            assert set(operation["x-roles"]) == roles, f"{method} {path}"
    described = {
        (p, m) for p, item in document["paths"].items() for m in item if m in ("get", "post")
    }
    served = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.rule), m.lower())
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/")
        for m in r.methods - {"HEAD", "OPTIONS"}
    }
    assert described == served


def test_forms_need_the_csrf_token(web_school):
    app = create_app(web_school.settings)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    no_token = client.post("/login", data={"login": "director", "password": "x"})
    assert no_token.status_code == 400 and "Форма устарела" in no_token.get_data(as_text=True)
    ok = client.post(
        "/login",
        data={"login": "secretary", "password": password_of("secretary"), "csrf_token": token},
    )
    assert ok.status_code == 302
    upload = client.post("/secretary/upload", data={})
    assert upload.status_code == 400 and "Форма устарела" in upload.get_data(as_text=True)
    # the API: a session must send the token too, a bearer token need not
    api = client.post("/api/batches", data={})
    assert api.status_code == 400 and "error" in api.get_json()


def test_api_token_is_shown_once_stored_hashed_and_works(client, web_school):
    login(client, "curator")
    issued = client.post("/account/token")
    assert issued.status_code == 302  # POST/redirect/GET: a reload issues no other token
    page = client.get(issued.location).get_data(as_text=True)
    token = re.search(r'id="api-token">([^<]+)<', page).group(1)
    with session_scope(web_school.settings.database_url) as s:
        stored = s.scalars(select(User.api_token_hash).where(User.login == "curator")).one()
    assert token not in stored and len(stored) == 64
    bearer = {"Authorization": f"Bearer {token}"}
    fresh = client.application.test_client()
    assert fresh.get("/api/me", headers=bearer).get_json()["login"] == "curator"
    assert fresh.get("/api/batches", headers=bearer).status_code == 200
    assert fresh.get("/api/verify", headers=bearer).status_code == 405
    wrong = fresh.get("/api/me", headers={"Authorization": "Bearer nst_wrong"})
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"].startswith("Bearer")
    assert fresh.post("/api/verify", headers=bearer, data={}).status_code == 400  # no CSRF needed


def test_wrong_passwords_lock_the_login(client, web_school):
    for _ in range(MAX_FAILED_LOGINS - 1):
        response = client.post("/login", data={"login": "director", "password": "не тот"})
        assert response.status_code == 401
        assert "Неверный логин или пароль" in response.get_data(as_text=True)
    locked = client.post("/login", data={"login": "director", "password": "не тот"})
    assert "заблокирован" in locked.get_data(as_text=True)
    right = client.post("/login", data={"login": "director", "password": password_of("director")})
    assert right.status_code == 401 and "заблокирован" in right.get_data(as_text=True)
    with session_scope(web_school.settings.database_url) as s:
        later = datetime.now() + timedelta(minutes=16)
        assert authenticate(s, "director", password_of("director"), now=later).user is not None


def test_unknown_login_and_wrong_password_read_the_same(client):
    unknown = client.post("/login", data={"login": "никто", "password": "x"})
    wrong = client.post("/login", data={"login": "curator", "password": "x"})
    assert unknown.status_code == wrong.status_code == 401
    assert "Неверный логин или пароль" in unknown.get_data(as_text=True)


@pytest.mark.parametrize(
    "target", ["//evil.example/", "/%09/evil.example", "/\\evil.example", "https://evil.example/"]
)
def test_login_redirects_only_inside_the_site(client, target):
    evil = client.post(
        "/login?next=" + target,
        data={"login": "curator", "password": password_of("curator")},
    )
    assert evil.location == "/"
    client.post("/logout")
    good = client.post(
        "/login?next=/curator/pairs", data={"login": "curator", "password": password_of("curator")}
    )
    assert good.location == "/curator/pairs"


def test_secret_key_is_made_once_private_and_cookies_are_safe(web_school):
    settings = web_school.settings
    key_file = settings.var / "secret_key"
    key_file.unlink()  # the web school's copies have their template's (conftest): made here
    first = create_app(settings)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert create_app(settings).config["SECRET_KEY"] == first.config["SECRET_KEY"]
    client = first.test_client()
    cookie = client.get("/login").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    from dataclasses import replace

    public = create_app(replace(settings, host="0.0.0.0"))
    assert public.config["SESSION_COOKIE_SECURE"] is True
    plain = create_app(replace(settings, host="0.0.0.0", cookie_secure="no"))
    assert plain.config["SESSION_COOKIE_SECURE"] is False


def test_password_change_ends_other_sessions(app):
    first, second = app.test_client(), app.test_client()
    login(first, "inspector")
    login(second, "inspector")
    changed = first.post(
        "/account/password",
        data={
            "current": password_of("inspector"),
            "new": "новый-пароль-9",
            "repeat": "новый-пароль-9",
        },
    )
    assert changed.status_code == 302
    assert first.get("/inspector/").status_code == 200
    assert second.get("/inspector/").status_code == 302


def test_wrong_current_passwords_on_the_account_page_lock_the_login(app, web_school):
    """Found on the running service: «Текущий пароль» before a new one was checked without
    being counted — a session left open (or a stolen cookie) could try passwords without end;
    the ninth try, the right one, changed the password. Now it counts as a login does."""
    client = app.test_client()
    login(client, "inspector")

    def change(current: str):
        return client.post(
            "/account/password",
            data={"current": current, "new": "новый-пароль-9", "repeat": "новый-пароль-9"},
        )

    for _ in range(MAX_FAILED_LOGINS - 1):
        wrong = change("не тот")
        assert wrong.status_code == 400
        assert "Текущий пароль введён неверно." in wrong.get_data(as_text=True)
    fifth = change("не тот")
    assert fifth.status_code == 400
    assert "Неверный пароль 5 раз подряд: вход заблокирован на 15 минут." in fifth.get_data(
        as_text=True
    )
    right = change(password_of("inspector"))
    assert right.status_code == 400 and "Вход временно заблокирован" in right.get_data(as_text=True)
    with session_scope(web_school.settings.database_url) as s:
        user = s.scalars(select(User).where(User.login == "inspector")).one()
        assert user.locked_until is not None
        assert authenticate(s, "inspector", password_of("inspector")).user is None
        later = datetime.now() + timedelta(minutes=16)
        assert authenticate(s, "inspector", password_of("inspector"), now=later).user is not None


def test_pages_send_security_headers(client):
    login(client, "curator")
    response = client.get("/curator/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_documents_and_packs_are_not_kept_in_the_browser_cache(client, web_school):
    """attack15: a document (personal data: a consent, a child's programme) and a ZIP pack were
    sent with send_file's «Cache-Control: no-cache», which lets the browser keep them on the
    disk of a shared office computer after «Выйти»; every other page said «no-store»."""
    login(client, "curator")
    document_id = web_school.doc_id("consent_guardian")
    for url in (
        f"/documents/{document_id}/file",
        f"/api/documents/{document_id}/file",
        "/packs/batches/1.zip",
        "/packs/section12.zip",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
    with client.get("/static/style.css") as static:
        assert static.headers["Cache-Control"] == "no-cache"  # no personal data: revalidated


def test_a_new_password_from_the_administrator_ends_the_api_token_too(app, web_school):
    """«Новый пароль» is what an administrator has for a stolen account or a person who left:
    the sessions ended, but the API token went on working."""
    user = app.test_client()
    login(user, "curator")
    issued = user.get(user.post("/account/token").location).get_data(as_text=True)
    token = re.search(r'id="api-token">([^<]+)<', issued).group(1)
    bearer = {"Authorization": f"Bearer {token}"}
    assert user.get("/api/me", headers=bearer).status_code == 200
    admin = app.test_client()
    login(admin, "admin")
    with session_scope(web_school.settings.database_url) as s:
        curator = s.scalars(select(User.id).where(User.login == "curator")).one()
    assert "API-токен" in admin.get(f"/admin/users/{curator}/password").get_data(as_text=True)
    assert admin.post(f"/admin/users/{curator}/password").status_code == 302
    assert app.test_client().get("/api/me", headers=bearer).status_code == 401
    assert user.get("/curator/").status_code == 302


def test_login_over_plain_http_to_a_secure_cookie_service_says_why(web_school):
    """Listening on the school's network with the default «auto», the session cookie is sent
    over https only; a login over http came back with «Форма устарела…», which sends the
    secretary to reload the page for ever. The answer names the cause and the setting."""
    from dataclasses import replace

    public = create_app(replace(web_school.settings, host="0.0.0.0")).test_client()
    form = public.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    # a browser keeps a «Secure» cookie to itself over http (the test client would send it)
    cookie = public.get_cookie(public.application.config["SESSION_COOKIE_NAME"])
    public.delete_cookie(cookie.key, domain=cookie.domain, path=cookie.path)
    answer = public.post(
        "/login",
        data={"csrf_token": token, "login": "curator", "password": password_of("curator")},
    )
    assert answer.status_code == 400
    text = answer.get_data(as_text=True)
    assert "Форма устарела" not in text
    assert "только по защищённому соединению (https)" in text
    assert "NASTAVNIK_COOKIE_SECURE=no" in text


def test_a_head_request_is_a_get_and_never_signs_in(web_school):
    """attack15: HEAD /login with a login and password in its body signed in — Flask-WTF
    checks no CSRF token on a HEAD, and the view took every method but GET for the form's
    POST; an empty HEAD (a monitor's check) was «400 Введите логин и пароль»."""
    client = create_app(web_school.settings).test_client()
    form = {"login": "secretary", "password": password_of("secretary")}
    head = client.head("/login", data=form)
    assert head.status_code == 200  # the form, as for a GET
    assert client.get("/secretary/").status_code == 302  # still not signed in
    assert client.head("/login").status_code == 200
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"login": "inspector", "password": password_of("inspector"), "csrf_token": token}
    assert client.post("/login", data=form).status_code == 302
    assert client.head("/inspector/verify").status_code == 200  # was the upload's 400


def test_api_me_lists_roles_in_the_order_of_design(client, web_school):
    """/api/me named «admin, curator, director, secretary» (alphabetical) while `user list`
    and the pages follow DESIGN.md's table: секретарь, директор, куратор, проверяющий,
    администратор."""
    roles = ["admin", "inspector", "secretary", "curator", "director"]
    with session_scope(web_school.settings.database_url) as s:
        add_user(s, "kinyakina", "Кинякина Татьяна Игоревна", roles, "пароль-123456")
    assert login(client, "kinyakina", "пароль-123456").status_code == 302
    me = client.get("/api/me").get_json()
    assert me == {
        "login": "kinyakina",
        "name": "Кинякина Татьяна Игоревна",
        "roles": ["secretary", "director", "curator", "inspector", "admin"],
    }
