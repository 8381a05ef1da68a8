"""The administrator's page: users and their roles (lock-outs, new passwords), the school's
certificate authority, signers and their certificates."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from service.register.models import Signer
from service.register.users import (
    ROLES,
    UserError,
    add_user,
    check_login,
    list_users,
    new_password,
    set_password,
    set_roles,
    unlock,
)
from service.signing.authority import ensure_ca, has_ca, load_ca_certificate
from service.signing.errors import SigningError
from service.signing.signers import SIGNER_ROLES, add_signer, revoke_signer
from service.web.errors import BadInput
from service.web.lookups import db, form_text, get_signer, get_user, organization, settings
from service.web.security import role_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _page(**extra):
    session = db()
    var = settings().var
    org = organization()
    return render_template(
        "admin/index.html",
        users=list_users(session),
        signers=list(session.scalars(select(Signer).order_by(Signer.id.desc()))),
        roles=ROLES,
        signer_roles=SIGNER_ROLES,
        ca=load_ca_certificate(var) if has_ca(var) else None,
        org_name=org.full_name if org else "",
        now=datetime.now(),
        **extra,
    )


def _roles() -> list[str]:
    roles = [r for r in request.form.getlist("roles") if r in ROLES]
    if not roles:
        raise BadInput("Отметьте хотя бы одну роль.")
    return roles


def _password_pair(name: str, label: str) -> str:
    password = form_text(name, label, limit=500, strip=False)
    if password != request.form.get(name + "_repeat", ""):
        raise BadInput(f"{label}: пароль и повтор не совпадают.")
    return password


@bp.get("/")
@role_required("admin")
def index():
    return _page()


@bp.post("/users")
@role_required("admin")
def create_user():
    login = form_text("login", "Логин", limit=100)
    full_name = form_text("full_name", "ФИО", limit=300)
    roles = _roles()
    password = (
        form_text("password", "Пароль", required=False, limit=500, strip=False) or new_password()
    )
    try:
        user, created = add_user(db(), login, full_name, roles, password, actor=current_user.login)
    except UserError as exc:
        raise BadInput(str(exc)) from exc
    db().commit()
    shown = None if request.form.get("password") else password
    return _page(created_login=user.login, created_password=shown, created=created)


@bp.post("/users/<int:user_id>/roles")
@role_required("admin")
def change_roles(user_id: int):
    user = get_user(user_id)
    roles = _roles()
    if user.id == current_user.user_id and "admin" not in roles:
        raise BadInput("Нельзя снять роль администратора с самого себя.")
    set_roles(db(), user, roles, actor=current_user.login)
    db().commit()
    flash(f"Роли пользователя «{user.login}» изменены.")
    return redirect(url_for("admin.index"))


@bp.post("/users/<int:user_id>/unlock")
@role_required("admin")
def unlock_user(user_id: int):
    user = get_user(user_id)
    unlock(user)
    db().commit()
    flash(f"Вход пользователя «{user.login}» разблокирован.")
    return redirect(url_for("admin.index"))


@bp.post("/users/<int:user_id>/password")
@role_required("admin")
def reset_password(user_id: int):
    user = get_user(user_id)
    password = new_password()
    set_password(user, password)
    db().commit()
    return _page(created_login=user.login, created_password=password, created=False)


@bp.post("/ca")
@role_required("admin")
def create_ca():
    if has_ca(settings().var):
        raise BadInput("Удостоверяющий центр школы уже создан.")
    name = form_text("org_name", "Полное наименование школы", limit=500)
    password = _password_pair("ca_password", "Пароль удостоверяющего центра")
    try:
        ensure_ca(settings().var, name, password)
    except ValueError as exc:
        raise BadInput(str(exc)) from exc
    flash("Удостоверяющий центр школы создан. Пароль нигде не хранится — запомните его.")
    return redirect(url_for("admin.index"))


@bp.post("/signers")
@role_required("admin")
def create_signer():
    login = form_text("login", "Логин", limit=100)
    full_name = form_text("full_name", "ФИО", limit=300)
    position = form_text("position", "Должность", limit=300)
    role = form_text("role", "Роль подписанта", limit=30)
    ca_password = form_text("ca_password", "Пароль удостоверяющего центра", limit=500, strip=False)
    password = _password_pair("password", "Пароль подписи")
    if not has_ca(settings().var):
        raise BadInput("Сначала создайте удостоверяющий центр школы.")
    org = organization()
    try:
        login = check_login(login)
        made = add_signer(
            db(),
            settings().var,
            login=login,
            full_name=full_name,
            position=position,
            role=role,
            org_name=org.full_name if org else full_name,
            password=password,
            ca_password=ca_password,
            actor=current_user.login,
        )
    except (SigningError, UserError, ValueError) as exc:
        raise BadInput(str(exc)) from exc
    db().commit()
    flash(
        f"Сертификат выпущен: {made.full_name}, № {made.serial}. Пароль ключа временный: "
        "владелец заменит его своим на странице «Учётная запись» (или `nastavnik signer password`)."
    )
    return redirect(url_for("admin.index"))


@bp.post("/signers/<int:signer_id>/revoke")
@role_required("admin")
def revoke(signer_id: int):
    signer = get_signer(signer_id)
    reason = form_text("reason", "Причина", required=False, limit=500)
    try:
        revoked = revoke_signer(db(), signer.user.login, reason, actor=current_user.login)
    except SigningError as exc:
        raise BadInput(str(exc)) from exc
    db().commit()
    flash(f"Отозвано сертификатов: {len(revoked)}.")
    return redirect(url_for("admin.index"))
