"""A school for the web tests: the demo workbook processed, the school's CA, the director's
key, and one user per role with a known password (real files, real SQLite)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from service.config import Settings
from service.intake.demo import write_demo_workbook
from service.pipeline import process_workbook
from service.register.db import session_scope
from service.register.models import Document, DocumentStatus
from service.register.passwords import hash_password
from service.register.users import ROLES, add_user, find_user, session_key
from service.signing.authority import ensure_ca
from service.signing.signers import add_signer
from tests.signing_calls import change_key_password

CA_PASSWORD = "ca-пароль-1"
KEY_PASSWORD = "ключ-директора-2"
"""The director's signing key password (not his login password)."""
ISSUED_KEY_PASSWORD = "выдал-админ-0"
"""The password the administrator gives a new key, which its owner then replaces."""
ORG = "Муниципальное бюджетное общеобразовательное учреждение Идринская СОШ"
NAMES = {
    "secretary": "Иванова Анна Петровна",
    "director": "Кинякина Татьяна Игоревна",
    "curator": "Бутрина Ольга Николаевна",
    "inspector": "Сидоров Павел Андреевич",
    "admin": "Администратор Школы",
}


def password_of(login: str) -> str:
    return f"{login}-пароль-1"


@dataclass
class School:
    settings: Settings
    workbook: Path

    def doc_id(self, kind: str) -> int:
        """The current document of ``kind`` (the first one, by id)."""
        with session_scope(self.settings.database_url) as s:
            return s.scalars(
                select(Document.id)
                .where(Document.kind == kind, Document.status != DocumentStatus.SUPERSEDED)
                .order_by(Document.id)
            ).first()


_HASHES: dict[str, str] = {}
"""The product's scrypt hash of each user's password (``hash_password``), made once in this
process for the homes :func:`make_users` fills."""


def make_users(settings: Settings) -> None:
    """One user per role (the administrator's ``add_user``) with the password ``password_of``:
    its hash is the one this process made for the first home (a new salt per user is the
    product's business, tested in test_passwords; a user here only has to log in with it, which
    verifies it with scrypt as always) — 0.75 s of CPU less a home."""
    with session_scope(settings.database_url) as s:
        for role in ROLES:
            user, _ = add_user(s, role, NAMES[role], [role])
            password = password_of(role)
            if password not in _HASHES:
                _HASHES[password] = hash_password(password)
            user.password_hash = _HASHES[password]


def make_school(settings: Settings, folder: Path) -> School:
    """Process the demo workbook, create the CA, the director's key and the users."""
    workbook = folder / "Идринская СОШ.xlsx"
    write_demo_workbook(workbook)
    process_workbook(settings, workbook)
    ensure_ca(settings.var, ORG, CA_PASSWORD)
    issue_key(settings, "director", NAMES["director"], "Директор", "director", KEY_PASSWORD)
    make_users(settings)
    return School(settings, workbook)


def issue_key(
    settings: Settings,
    login: str,
    full_name: str,
    position: str,
    role: str,
    password: str,
    *,
    ca_password: str = CA_PASSWORD,
    org: str = ORG,
    other_name_reason: str = "",
) -> None:
    """A key issued by the administrator and then given its owner's own ``password`` (a key
    under the administrator's password signs nothing); ``other_name_reason`` when
    ``full_name`` is not the register's person of ``role``."""
    with session_scope(settings.database_url) as s:
        add_signer(
            s,
            settings.var,
            login=login,
            full_name=full_name,
            position=position,
            role=role,
            org_name=org,
            password=ISSUED_KEY_PASSWORD,
            ca_password=ca_password,
            other_name_reason=other_name_reason,
        )
    change_key_password(settings.database_url, login, ISSUED_KEY_PASSWORD, password)


_SESSIONS: dict[tuple[str, str], str] = {}
"""Session cookies that real logins through the form gave in this process: (the app's secret
key, the user's session key) → the cookie's value."""


def session_of(app, login_name: str) -> tuple[tuple[str, str] | None, str | None]:
    """Where a session cookie of ``login_name`` on ``app`` is remembered, and the cookie if a
    real login gave one in this process: the key is None — nothing is remembered or reused —
    for an unknown, switched-off or locked user or one with wrong passwords counted, where a
    login through the form may answer otherwise. The key holds what the cookie depends on:
    the secret key it is signed with and the user's session key (id, password hash, session
    generation: a changed password or a logout makes another key)."""
    with session_scope(app.config["NASTAVNIK"].database_url) as s:
        user = find_user(s, login_name)
        if user is None or user.is_disabled or user.locked_until or user.failed_logins:
            return None, None
        key = (app.config["SECRET_KEY"], session_key(user))
    return key, _SESSIONS.get(key)


def remember_session(key: tuple[str, str] | None, cookie: str) -> None:
    if key is not None:
        _SESSIONS[key] = cookie


def login(client, login_name: str, password: str | None = None):
    """Sign ``client`` in (CSRF off in the test app); the login form's answer (302), or None
    where a stored session was set instead.

    With a password given: through the login form. With the user's own (``password_of``):
    through the form the first time in this process, and then with the session cookie that
    login gave, set on the client as the form's answer sets it — while the app's secret key
    and the user's session key are the same and the user has no wrong passwords or lock
    (``session_of``). That skips only the password's scrypt (0.1 s of CPU a login, a quarter
    of the web tests' CPU); the login form itself is tested as it was (test_web_access,
    test_sessions, test_user_disable, the browser tests on a ``nastavnik serve``). The web
    school's copies share one secret key (conftest's ``school_template``), so a cookie of one
    test signs its role in in the next."""
    cookie_name = client.application.config["SESSION_COOKIE_NAME"]
    key = None
    if password is None:
        key, cookie = session_of(client.application, login_name)
        if cookie is not None:
            client.set_cookie(cookie_name, cookie)
            return None
    response = client.post(
        "/login", data={"login": login_name, "password": password or password_of(login_name)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    remember_session(key, client.get_cookie(cookie_name).value)
    return response
