"""Who is asking and may they: the secret key, session cookie settings, Flask-Login (a session
or an API token), CSRF, the ``role_required`` decorator and the response security headers."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path

from flask import Flask, flash, g, jsonify, redirect, request, url_for
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFProtect

from service.config import Settings
from service.register.db import session_scope
from service.register.models import User
from service.register.users import ROLE_NAMES, ROLES, session_key, user_by_session_key
from service.register.users import user_by_token as find_by_token
from service.web.errors import Forbidden

ALL_ROLES: tuple[str, ...] = ROLES
READERS: tuple[str, ...] = ("secretary", "director", "curator", "inspector")
"""Roles that may read and download documents."""
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

login_manager = LoginManager()
csrf = CSRFProtect()


@dataclass(frozen=True, eq=False)
class WebUser(UserMixin):
    """The signed-in user as the web layer sees it (a plain copy, no database session)."""

    key: str
    user_id: int
    login: str
    full_name: str
    roles: frozenset[str]

    def get_id(self) -> str:
        return self.key

    @classmethod
    def of(cls, user: User) -> WebUser:
        return cls(session_key(user), user.id, user.login, user.full_name, frozenset(user.role_set))


def secret_key(var: Path) -> str:
    """``var/secret_key``: made once (mode 0600) and read ever after, so sessions survive a
    restart and every process of one home agrees."""
    path = var / "secret_key"
    var.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    return path.read_text(encoding="ascii").strip()


def cookie_secure(settings: Settings) -> bool:
    value = str(settings.cookie_secure).strip().lower()
    if value in {"1", "yes", "true", "on", "да"}:
        return True
    if value in {"0", "no", "false", "off", "нет"}:
        return False
    return settings.host not in LOCAL_HOSTS


def configure(app: Flask, settings: Settings) -> None:
    secure = cookie_secure(settings)
    app.config.update(
        SECRET_KEY=secret_key(settings.var),
        SESSION_COOKIE_NAME="nastavnik_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        PERMANENT_SESSION_LIFETIME=8 * 3600,
        MAX_CONTENT_LENGTH=settings.max_upload_mb * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
    )


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    csrf.init_app(app)
    app.after_request(_security_headers)


def _settings() -> Settings:
    from flask import current_app

    return current_app.config["NASTAVNIK"]


@login_manager.user_loader
def _load_user(key: str) -> WebUser | None:
    with session_scope(_settings().database_url) as session:
        user = user_by_session_key(session, key)
        return WebUser.of(user) if user else None


@login_manager.request_loader
def _load_user_from_token(req) -> WebUser | None:
    header = req.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    with session_scope(_settings().database_url) as session:
        user = find_by_token(session, token.strip())
        if user is None:
            return None
        g.token_auth = True
        return WebUser.of(user)


@login_manager.unauthorized_handler
def _unauthorized():
    if request.path.startswith("/api/"):
        response = jsonify(
            {"error": "Нужен вход: cookie сеанса или заголовок Authorization: Bearer <токен>."}
        )
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="nastavnik"'
        return response
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    if request.endpoint == "auth.logout":  # «Выйти» twice, or in a second tab: done already
        flash("Вы вышли из системы.")
    elif request.endpoint == "auth.change_password":  # its first click ends the old session
        flash(PASSWORD_AFTER_LOGOUT, "error")
    elif request.method not in ("GET", "HEAD"):  # a form sent after the session ended
        flash(FORM_AFTER_LOGOUT, "error")
    elif request.path != "/":  # a page asked for by name (a bookmark, an expired session)
        flash("Войдите, чтобы открыть эту страницу: вход ещё не выполнен или сеанс закончился.")
    return redirect(url_for("auth.login", next=target))


PASSWORD_AFTER_LOGOUT = (
    "Сеанс закончился, пока форма была открыта: эта отправка не выполнена. Если «Сменить "
    "пароль» было нажато дважды, пароль уже изменён первым нажатием — войдите с новым паролем; "
    "если нет — войдите с прежним и смените пароль снова."
)
"""A password change sent with a session that ended: most often the second click of the same
form, whose first click changed the password and so ended the session the second one carries
(it cannot be told apart without trying the typed passwords, which this page must not do)."""
FORM_AFTER_LOGOUT = (
    "Сеанс закончился, пока форма была открыта (выход в другой вкладке или на другом "
    "устройстве, новый пароль, истёк срок входа): форма не отправлена, ничего не сделано. "
    "Войдите и повторите действие."
)


def for_roles(roles: Iterable[str]) -> str:
    """«для роли «директор»», «для ролей «секретарь», «администратор»»: the roles a page is
    for, in the number of the words."""
    names = [f"«{ROLE_NAMES.get(r, r)}»" for r in sorted(roles, key=ALL_ROLES.index)]
    return f"для роли {names[0]}" if len(names) == 1 else f"для ролей {', '.join(names)}"


def role_required(*roles: str) -> Callable:
    """Let the view run only for a signed-in user holding one of ``roles``: anonymous →
    the login page (401 JSON under /api/), another role → 403. The roles are kept on the
    view as ``required_roles`` (the role × endpoint test reads them)."""
    allowed = frozenset(roles)
    unknown = allowed - set(ALL_ROLES)
    if unknown or not allowed:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.roles & allowed:
                raise Forbidden(f"Нет доступа: это {for_roles(allowed)}.")
            return view(*args, **kwargs)

        wrapped.required_roles = allowed
        return wrapped

    return decorate


def token_authenticated() -> bool:
    return bool(g.get("token_auth"))


def _security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy", CSP)
    if not request.path.startswith("/static/"):
        # set, not defaulted: send_file's «no-cache» let the browser keep a downloaded document
        # (personal data) on the disk of a shared computer after «Выйти»
        response.headers["Cache-Control"] = "no-store"
    return response
