"""Signing in and out, the start page (the menu of one's roles) and one's own account: a new
password, a new API token."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from service.register.users import (
    authenticate,
    end_sessions,
    issue_api_token,
    refuse_current_password,
    set_password,
)
from service.signing.signers import change_key_password
from service.web.confirm import confirm_page, show_once, take_once
from service.web.errors import BadInput, refusals_flash_to
from service.web.filters import menu_of
from service.web.lookups import db, form_text, get_user, settings
from service.web.security import ALL_ROLES, WebUser, role_required

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    """Only a path of this site: never «//host», «https://…», nor a path with control
    characters or spaces that a browser strips into «//host» («/\t/evil.com»)."""
    if not target or any(ord(c) < 0x21 or c == "\\" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | tuple[str, int] | Response:
    """The login form; the only page open to everyone."""
    next_url = _safe_next(request.values.get("next"))
    if request.method != "POST":  # HEAD as GET: it skips the CSRF check, so it never signs in
        if current_user.is_authenticated:
            return redirect(next_url or url_for("auth.home"))
        return render_template("auth/login.html", next=next_url)
    login_name = request.form.get("login", "").strip()[:100]
    password = request.form.get("password", "")[:500]
    if not login_name or not password:
        return render_template(
            "auth/login.html", next=next_url, login=login_name, error="Введите логин и пароль."
        ), 400
    session_db = db()
    result = authenticate(session_db, login_name, password)
    web_user = WebUser.of(result.user) if result.user else None
    session_db.commit()
    if web_user is None:
        return render_template(
            "auth/login.html", next=next_url, login=login_name, error=result.message
        ), 401
    session.clear()
    login_user(web_user)
    return redirect(next_url or url_for("auth.home"))


@bp.post("/logout")
@role_required(*ALL_ROLES)
def logout() -> Response:
    """Ends the session on the server too: the cookie, if kept or copied, no longer works."""
    end_sessions(db(), current_user.user_id)
    db().commit()
    logout_user()
    session.clear()
    flash("Вы вышли из системы.")
    return redirect(url_for("auth.login"))


@bp.get("/")
@role_required(*ALL_ROLES)
def home() -> str | Response:
    """Straight to one's page when one has a single role, else the menu of them."""
    pages = menu_of(current_user.roles)
    if len(current_user.roles) == 1 and pages:
        return redirect(url_for(pages[0][0]))
    return render_template("auth/home.html", pages=pages)


@bp.get("/account")
@role_required(*ALL_ROLES)
def account() -> str:
    shown = take_once("token")
    return render_template(
        "auth/account.html", user=get_user(current_user.user_id), token=shown[0] if shown else None
    )


@bp.post("/account/password")
@role_required(*ALL_ROLES)
def change_password() -> Response:
    current = form_text("current", "Текущий пароль", limit=500, strip=False)
    new = form_text("new", "Новый пароль", limit=500, strip=False)
    if new != request.form.get("repeat", ""):
        raise BadInput("Новый пароль и повтор не совпадают.")
    user = get_user(current_user.user_id)
    refused = refuse_current_password(db(), user, current)
    db().commit()  # the attempt stays counted
    if refused:
        raise BadInput(refused)
    set_password(user, new)
    db().commit()
    login_user(WebUser.of(user))  # the session key follows the new password
    flash("Пароль изменён.")
    return redirect(url_for("auth.account"))


@bp.post("/account/key-password")
@role_required(*ALL_ROLES)
def change_key_password_view() -> Response:
    """The signer's own password for his signing key (the administrator's one is replaced)."""
    old = form_text("key_current", "Текущий пароль ключа", limit=500, strip=False)
    new = form_text("key_new", "Новый пароль ключа", limit=500, strip=False)
    if new != request.form.get("key_repeat", ""):
        raise BadInput("Новый пароль ключа и повтор не совпадают.")
    refusals_flash_to("auth.account", "Пароль ключа не изменён: ")
    change_key_password(db(), settings().database_url, current_user.login, old, new)
    db().commit()
    flash("Пароль ключа электронной подписи изменён: теперь его знаете только вы.")
    return redirect(url_for("auth.account"))


@bp.get("/account/token/confirm")
@role_required(*ALL_ROLES)
def confirm_token() -> str:
    """A new token over a working one, in words first: the old one stops working at once."""
    return confirm_page(
        heading="Новый токен для API",
        summary="Выдать новый токен для API?",
        notes=[
            "Прежний токен перестанет действовать сразу: системы школы, которые им пользуются, "
            "получат отказ, пока в них не впишут новый. Новый токен будет показан один раз."
        ],
        action=url_for("auth.new_token"),
        button="Выдать новый токен",
        cancel=url_for("auth.account"),
        danger=True,
    )


@bp.post("/account/token")
@role_required(*ALL_ROLES)
def new_token() -> Response:
    """A new API token for oneself, shown once (only its hash is kept)."""
    user = get_user(current_user.user_id)
    token = issue_api_token(db(), user, actor=user.login)
    db().commit()
    show_once("token", token)  # POST/redirect/GET: a reload does not issue another token
    return redirect(url_for("auth.account"))
