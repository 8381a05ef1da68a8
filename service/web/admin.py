"""The administrator's page: users and their roles (lock-outs, new passwords), the school's
certificate authority, signers and their certificates."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from service.documents.catalogue import SIGNER_NAMES
from service.register.disabling import disable_user, enable_user
from service.register.repeats import just_added, just_issued, revoked_with
from service.register.signers import signers_newest_first
from service.register.users import (
    ROLES,
    add_user,
    check_login,
    list_users,
    new_password,
    replace_password,
    unlock,
    update_user,
)
from service.signing.authority import ensure_ca, has_ca, load_ca_certificate
from service.signing.signatory import register_signatory
from service.signing.signers import (
    SIGNER_ROLES,
    add_signer,
    revoke_signer,
    under_temporary_password,
    unlike_register,
    valid_keys,
)
from service.web.confirm import Field, confirm_page, count_of, show_once, take_once
from service.web.errors import BadInput
from service.web.filters import local_moment, utc
from service.web.lookups import db, form_text, get_signer, get_user, organization, settings
from service.web.secretary import returned_context
from service.web.security import role_required

bp = Blueprint("admin", __name__, url_prefix="/admin")
CERTIFICATE_FORMS = ("сертификат", "сертификата", "сертификатов")
NOT_ONESELF = "Себя отключить нельзя: это может сделать другой администратор."


def _page(**extra):
    session = db()
    var = settings().var
    org = organization()
    signers = signers_newest_first(session)
    utc_now = datetime.now(UTC).replace(tzinfo=None)  # a key's validity is kept in UTC
    in_force = {(s.user_id, s.role) for s in signers if not s.revoked_at and s.not_after >= utc_now}
    return render_template(
        "admin/index.html",
        users=list_users(session),
        signers=signers,
        unlike={s.id: unlike_register(org, s) for s in signers if not s.revoked_at},
        roles=ROLES,
        signer_roles=SIGNER_ROLES,
        ca=load_ca_certificate(var) if has_ca(var) else None,
        org_name=org.full_name if org else "",
        register_names={r: register_signatory(org, r) for r in SIGNER_ROLES},
        now=datetime.now(),
        utc_now=utc_now,
        # an expired key asks for a new one while its owner, not switched off, has none in force
        renew={
            s.id for s in signers if not s.user.disabled_at and (s.user_id, s.role) not in in_force
        },
        **returned_context(),
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


@bp.route("/", methods=["GET", "POST"])
@role_required("admin")
def index() -> str:
    """The administrator's page; a POST is «Отмена» on the resubmit's confirmation (the
    answer comes back into its form, nothing is changed)."""
    return _page(shown=take_once("password"))


@bp.post("/users")
@role_required("admin")
def create_user() -> Response:
    """A new user only: an existing login is refused (changing a user is «Изменить»)."""
    login = form_text("login", "Логин", limit=100)
    full_name = form_text("full_name", "ФИО", limit=300)
    roles = _roles()
    typed = form_text("password", "Пароль", required=False, limit=500, strip=False)
    repeated = just_added(db(), login, full_name, roles, actor=current_user.login)
    if repeated:  # a double click: the first made him, and its answer never reached the page
        user, at = repeated
        flash(
            f"Пользователь «{user.login}» ({user.full_name}) уже создан — вами, в {at:%H:%M} "
            "(кнопка нажата второй раз); второй раз он не создаётся."
            + (
                ""
                if typed
                else " Пароль, придуманный при создании, мог не показаться: выдайте ему новый "
                "— «Новый пароль…» в строке пользователя."
            )
        )
        return redirect(url_for("admin.index"))
    password = typed or new_password()
    user, created = add_user(db(), login, full_name, roles, password, actor=current_user.login)
    db().commit()
    flash(f"Пользователь «{user.login}» ({user.full_name}) {'создан' if created else 'дополнен'}.")
    if not typed:
        show_once("password", user.login, password)
    return redirect(url_for("admin.index"))


@bp.get("/users/<int:user_id>")
@role_required("admin")
def edit_user(user_id: int) -> str:
    return render_template(
        "admin/user.html", user=get_user(user_id), roles=ROLES, now=datetime.now()
    )


@bp.post("/users/<int:user_id>")
@role_required("admin")
def update(user_id: int) -> Response:
    """Change a user's ФИО and roles; the password stays (it is «Новый пароль»)."""
    user = get_user(user_id)
    full_name = form_text("full_name", "ФИО", limit=300)
    roles = _roles()
    if user.id == current_user.user_id and "admin" not in roles:
        raise BadInput("Нельзя снять роль администратора с самого себя.")
    changes = update_user(db(), user, full_name=full_name, roles=roles, actor=current_user.login)
    db().commit()
    if changes:
        flash(f"Пользователь «{user.login}» изменён: {'; '.join(changes)}.")
    else:
        flash(f"Пользователь «{user.login}»: ничего не изменилось.")
    return redirect(url_for("admin.index"))


@bp.post("/users/<int:user_id>/roles")
@role_required("admin")
def change_roles(user_id: int) -> Response:
    user = get_user(user_id)
    roles = _roles()
    if user.id == current_user.user_id and "admin" not in roles:
        raise BadInput("Нельзя снять роль администратора с самого себя.")
    changes = update_user(db(), user, roles=roles, actor=current_user.login)
    db().commit()
    flash(f"Роли пользователя «{user.login}» {'изменены' if changes else 'не изменились'}.")
    return redirect(url_for("admin.index"))


@bp.post("/users/<int:user_id>/unlock")
@role_required("admin")
def unlock_user(user_id: int) -> Response:
    user = get_user(user_id)
    unlock(user)
    db().commit()
    flash(f"Вход пользователя «{user.login}» разблокирован.")
    return redirect(url_for("admin.index"))


def _someone_else(user_id: int, refusal: str = "Свой пароль меняйте на странице «Учётная запись»."):
    """A new password is for another user: one's own would end this very session before the
    page could show it (one's own password is changed on «Учётная запись»). Nor does an
    administrator switch himself off (``refusal`` says so)."""
    user = get_user(user_id)
    if user.id == current_user.user_id:
        raise BadInput(refusal)
    return user


@bp.get("/users/<int:user_id>/password")
@role_required("admin")
def confirm_password(user_id: int) -> str:
    user = _someone_else(user_id)
    return confirm_page(
        heading="Новый пароль пользователя",
        summary=f"Выдать новый пароль пользователю «{user.login}» — {user.full_name}?",
        notes=[
            "Прежний пароль перестанет действовать сразу, открытые сеансы этого пользователя "
            "закончатся, его API-токен тоже (новый он получит на странице «Учётная запись»). "
            "Новый пароль будет показан один раз — передайте его лично."
        ],
        action=url_for("admin.reset_password", user_id=user.id),
        button="Выдать новый пароль",
        cancel=url_for("admin.index"),
        danger=True,
    )


@bp.post("/users/<int:user_id>/password")
@role_required("admin")
def reset_password(user_id: int) -> Response:
    user = _someone_else(user_id)
    password = new_password()
    replace_password(db(), user, password, actor=current_user.login)
    db().commit()
    show_once("password", user.login, password)
    return redirect(url_for("admin.index"))


@bp.get("/users/<int:user_id>/active")
@role_required("admin")
def confirm_active(user_id: int) -> str:
    """Switch a user off (or back on): first in words, on a page of its own."""
    user = _someone_else(user_id, NOT_ONESELF)
    if user.is_disabled:
        return confirm_page(
            heading="Включение пользователя",
            summary=f"Включить пользователя «{user.login}» — {user.full_name}?",
            notes=[
                "Вход с прежним паролем откроется снова. Сеансы и API-токен, которые "
                "действовали до отключения, не вернутся: новый токен выдаётся на странице "
                "«Учётная запись». Отозванные ключи подписи не восстанавливаются."
            ],
            hidden=[("active", "1")],
            action=url_for("admin.set_active", user_id=user.id),
            button="Включить",
            cancel=url_for("admin.index"),
        )
    return confirm_page(
        heading="Отключение пользователя",
        summary=f"Отключить пользователя «{user.login}» — {user.full_name}?",
        notes=[
            "Вход будет закрыт, открытые сеансы закончатся при следующем запросе, API-токен "
            "перестанет действовать, ключами подписи этого пользователя подписать будет нельзя.",
            "Ничего не удаляется: поставленные подписи, документы и записи журнала событий "
            "сохраняются. Включить пользователя снова можно на странице «Администрирование».",
            "Ключи подписи при этом не отзываются: если сотрудник ушёл, отзовите их в разделе "
            "«Подписанты и сертификаты».",
        ],
        hidden=[("active", "0")],
        action=url_for("admin.set_active", user_id=user.id),
        button="Отключить",
        cancel=url_for("admin.index"),
        danger=True,
    )


@bp.post("/users/<int:user_id>/active")
@role_required("admin")
def set_active(user_id: int) -> Response:
    """The form says which way (``active`` 0 or 1): a second click of the same form finds the
    user switched already and changes nothing, instead of switching him back."""
    user = _someone_else(user_id, NOT_ONESELF)
    wanted = request.form.get("active", "")
    if wanted not in ("0", "1"):
        raise BadInput("Не указано, отключить пользователя или включить: откройте страницу снова.")
    if wanted == "0":
        acting = get_user(current_user.user_id)
        disable_user(db(), user, actor=current_user.login, acting=acting)
        db().commit()
        flash(
            f"Пользователь «{user.login}» ({user.full_name}) отключён: вход закрыт, сеансы и "
            "API-токен больше не действуют. Подписи и записи журнала сохранены."
        )
    else:
        enable_user(db(), user, actor=current_user.login)
        db().commit()
        flash(f"Пользователь «{user.login}» ({user.full_name}) снова включён.")
    return redirect(url_for("admin.index"))


@bp.post("/ca")
@role_required("admin")
def create_ca() -> Response:
    if has_ca(settings().var):
        raise BadInput("Удостоверяющий центр школы уже создан.")
    name = form_text("org_name", "Полное наименование школы", limit=500)
    password = _password_pair("ca_password", "Пароль удостоверяющего центра")
    if request.form.get("confirmed") != "1":  # made once, for ten years: no page to undo it
        raise BadInput(
            "Удостоверяющий центр не создан: отметьте «Наименование проверено», — оно войдёт "
            "в сертификат центра и во все сертификаты подписантов, и изменить его потом нельзя."
        )
    if not ensure_ca(settings().var, name, password):  # a second click, made meanwhile
        raise BadInput("Удостоверяющий центр школы уже создан.")
    flash(f"Удостоверяющий центр школы «{name}» создан. Пароль нигде не хранится — запомните его.")
    return redirect(url_for("admin.index"))


@bp.post("/signers")
@role_required("admin")
def create_signer() -> str | Response:
    login = form_text("login", "Логин", limit=100)
    full_name = form_text("full_name", "ФИО", required=False, limit=300)
    position = form_text("position", "Должность", required=False, limit=300)
    role = form_text("role", "Роль подписанта", limit=30)
    reason = form_text(
        "other_name_reason", "Причина, если ФИО не из реестра", required=False, limit=500
    )
    ca_password = form_text("ca_password", "Пароль удостоверяющего центра", limit=500, strip=False)
    password = _password_pair("password", "Пароль подписи")
    if not has_ca(settings().var):
        raise BadInput("Сначала создайте удостоверяющий центр школы.")
    replaced = valid_keys(db(), login, role)
    confirmed = request.form.get("replace") == "1"
    if replaced and not confirmed:
        issued = just_issued(db(), login, role, actor=current_user.login)
        if issued and under_temporary_password(issued[0], password):
            # a second click of the same form: the first one's answer never reached the page
            key, at = issued
            flash(
                f"Сертификат уже выпущен — вами, в {at:%H:%M} (кнопка нажата второй раз): "
                f"{key.full_name}, № {key.serial}. Второй ключ не выпускается."
            )
            return redirect(url_for("admin.index"))
        return _confirm_replacing(login, role, replaced, full_name, position, reason)
    org = organization()
    made = add_signer(
        db(),
        settings().var,
        login=check_login(login),
        full_name=full_name,
        position=position,
        role=role,
        org_name=org.full_name if org else full_name,
        password=password,
        ca_password=ca_password,
        actor=current_user.login,
        other_name_reason=reason,
        replace=confirmed,  # a key made meanwhile (the other click) is not revoked unasked
    )
    db().commit()
    flash(
        f"Сертификат выпущен: {made.full_name}, № {made.serial}. Пароль ключа временный: "
        "владелец заменит его своим на странице «Учётная запись» "
        "(или командой nastavnik signer password)."
    )
    return redirect(url_for("admin.index"))


def _confirm_replacing(login, role, keys, full_name: str, position: str, reason: str):
    """A new key revokes the user's valid key of its role at once («заменён новым ключом»):
    the form's POST did it unasked — a director's working key, with her own password, gone
    by a slip of the login field. The passwords are asked again, never put into the page."""
    return confirm_page(
        heading="Выпуск ключа взамен действующего",
        summary=f"Выпустить новый ключ подписи для «{login}» и отозвать действующий?",
        items=[
            f"{k.full_name}, {k.position} — {SIGNER_NAMES.get(k.role, k.role)}, № {k.serial}, "
            f"действует до {local_moment(utc(k.not_after)):%d.%m.%Y}"
            for k in keys
        ],
        notes=[
            "Действующий ключ будет отозван сразу и навсегда (причина «заменён новым ключом»): "
            "подписи, поставленные им, остаются действительными, но подписывать им больше "
            "нельзя. Новый ключ защищён временным паролем: пока владелец не задаст свой, он не "
            "подписывает.",
            "Введите пароли ещё раз: страница подтверждения их не хранит.",
        ],
        hidden=[
            ("login", login),
            ("role", role),
            ("full_name", full_name),
            ("position", position),
            ("other_name_reason", reason),
            ("replace", "1"),
        ],
        fields=[
            Field("ca_password", "Пароль удостоверяющего центра", "password"),
            Field("password", "Временный пароль нового ключа", "password"),
            Field("password_repeat", "Временный пароль ещё раз", "password"),
        ],
        action=url_for("admin.create_signer"),
        button="Выпустить и отозвать прежний",
        cancel=url_for("admin.index"),
        danger=True,
    )


@bp.get("/signers/<int:signer_id>/revoke")
@role_required("admin")
def confirm_revoke(signer_id: int) -> str:
    signer = get_signer(signer_id)
    keys = valid_keys(db(), signer.user.login)
    if not keys:
        raise BadInput(f"У пользователя «{signer.user.login}» нет действующих ключей подписи.")
    return confirm_page(
        heading="Отзыв сертификата подписи",
        summary=f"Отозвать {count_of(len(keys), CERTIFICATE_FORMS)}: {signer.full_name}?",
        items=[
            f"{k.full_name}, {k.position} — {SIGNER_NAMES.get(k.role, k.role)}, действует до "
            f"{local_moment(utc(k.not_after)):%d.%m.%Y}"
            for k in keys
        ],
        notes=[
            "Подписи, поставленные до отзыва, остаются действительными. Подписывать этим "
            "ключом больше нельзя; новый сертификат выпускается заново."
        ],
        fields=[Field("reason", "Причина отзыва (обязательно)", "textarea")],
        action=url_for("admin.revoke", signer_id=signer.id),
        button="Отозвать",
        cancel=url_for("admin.index"),
        danger=True,
    )


@bp.post("/signers/<int:signer_id>/revoke")
@role_required("admin")
def revoke(signer_id: int) -> Response:
    signer = get_signer(signer_id)
    reason = form_text("reason", "Причина отзыва", limit=500)
    done = revoked_with(db(), signer.id, reason)
    if done:  # a second click: the first one's answer never reached the page
        flash(
            f"Сертификат уже отозван ({signer.full_name}, № {done.serial}) — "
            f"{done.revoked_at:%d.%m.%Y в %H:%M}, причина: {done.revocation_reason} "
            "(кнопка нажата второй раз). Ничего не изменено."
        )
        return redirect(url_for("admin.index"))
    revoked = revoke_signer(db(), signer.user.login, reason, actor=current_user.login)
    db().commit()
    flash(
        f"Отозвано: {count_of(len(revoked), CERTIFICATE_FORMS)} ({signer.full_name}). "
        f"Причина: {reason}"
    )
    return redirect(url_for("admin.index"))
