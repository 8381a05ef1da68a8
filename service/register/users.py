"""People who work in the service: logins, roles, password hashes, lock-out after repeated
wrong passwords, per-user API tokens (stored hashed). The web app and the CLI call these."""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.errors import BadInput, NotFound
from service.register.attempts import (
    count_login_failure,
    lock_login,
    next_session_generation,
    reset_login_attempts,
)
from service.register.db import begin_writing
from service.register.events import append_event
from service.register.labels import ROLE_NAMES, ROLES
from service.register.models import User
from service.register.passwords import hash_password, needs_rehash, verify_password

DEMO_NAMES: dict[str, str] = {
    "secretary": "Иванова Анна Петровна",
    "director": "Кинякина Татьяна Игоревна",
    "curator": "Бутрина Ольга Николаевна",
    "inspector": "Сидоров Павел Андреевич",
    "admin": "Администратор",
}
MAX_FAILED_LOGINS = 5
"""Wrong passwords in a row before the login is locked."""
LOCK_MINUTES = 15
LOCKED_NOW = (
    f"Неверный пароль {MAX_FAILED_LOGINS} раз подряд: вход заблокирован на {LOCK_MINUTES} минут."
)
WRONG_LOGIN = "Неверный логин или пароль."
MIN_PASSWORD_LENGTH = 8
LOGIN_PATTERN = re.compile(r"^[\w.\-]{2,100}$")
TOKEN_PREFIX = "nst_"


@functools.cache
def _dummy_hash() -> str:
    """A hash no password matches, checked when the login is unknown so that the answer takes
    as long as a real check. Made at the first such login, not at import: scrypt takes a tenth
    of a second, and every command that touches users imports this module."""
    return hash_password("никто-не-знает-этот-пароль")


class UserError(BadInput):
    """Bad input about users; the message is Russian and may be shown as is."""


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    message: str = ""
    """Russian, for the login page, when ``user`` is None."""


def find_user(session: Session, login: str) -> User | None:
    return session.scalars(select(User).where(User.login == login)).first()


def user_signing_in(session: Session, login: str) -> User | None:
    """The user a login typed at the login page means: the login as it is, else the one that
    differs only in letter case (a phone writes «Director»); two such logins match as typed."""
    user = find_user(session, login)
    if user is not None or not login:
        return user
    folded = login.casefold()
    same = [
        u
        for u in session.scalars(select(User).where(User.login.is_not(None)))
        if u.login.casefold() == folded
    ]
    return same[0] if len(same) == 1 else None


def user_named(session: Session, login: str) -> User:
    """The user ``login``; :class:`NotFound` («Пользователь «…» не найден.») when there is none."""
    user = find_user(session, login)
    if user is None:
        raise NotFound(f"Пользователь «{login}» не найден.")
    return user


def check_login(login: str) -> str:
    login = (login or "").strip()
    if not LOGIN_PATTERN.match(login):
        raise UserError(
            "Логин: от 2 до 100 букв, цифр, точек, дефисов или подчёркиваний, без пробелов."
        )
    return login


def check_roles(roles: list[str] | tuple[str, ...] | set[str]) -> list[str]:
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise UserError(f"Роли: одна или несколько из {', '.join(ROLES)}.")
    return sorted(set(roles), key=ROLES.index)


def set_password(user: User, password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise UserError(f"Пароль не короче {MIN_PASSWORD_LENGTH} символов.")
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None


def replace_password(session: Session, user: User, password: str, *, actor: str) -> None:
    """Give ``user`` a new password (the old one stops working at once): a ledger event.
    The administrator's «Новый пароль» is his means against a stolen account or for a person
    who left, so the API token stops working as well (the sessions end with the password)."""
    set_password(user, password)
    user.api_token_hash = None
    append_event(session, "password_reset", actor=actor, details={"login": user.login})


def new_password() -> str:
    """A random password to print once (for the first administrator and demo users)."""
    return secrets.token_urlsafe(9)


def add_user(
    session: Session,
    login: str,
    full_name: str,
    roles: list[str],
    password: str | None = None,
    *,
    actor: str = "admin",
) -> tuple[User, bool]:
    """Create ``login``; returns the user and whether it was created now.

    An existing login with a password is refused: adding a person must never rename someone
    else, give him roles or reset his password by a typo (changing a user is
    :func:`update_user`, a new password :func:`set_password`). The one exception is a user made
    without a password by ``signer add`` (he could not log in yet): the account is completed,
    provided the ФИО is his."""
    login = check_login(login)
    roles = check_roles(roles)
    full_name = " ".join((full_name or "").split())
    begin_writing(session)  # the same login added twice at once (a double click): one waits
    user = find_user(session, login)
    created = user is None
    if user is None:
        like = user_signing_in(session, login)
        if like is not None:  # «ADMIN» beside «admin»: the login page could not tell them apart
            raise UserError(
                f"Логин «{login}» отличается от занятого логина «{like.login}» ({like.full_name}) "
                "только заглавными и строчными буквами: при входе их не различить. Выберите "
                "другой логин. Ничего не изменено."
            )
        if not full_name:
            raise UserError("Укажите ФИО пользователя.")
        user = User(login=login, full_name=full_name, roles="", created_at=datetime.now())
        session.add(user)
    elif user.password_hash:
        raise UserError(
            f"Логин «{login}» уже занят: {user.full_name}. Ничего не изменено. "
            "Выберите другой логин; роли и ФИО этого пользователя меняются кнопкой «Изменить» "
            f"(nastavnik user edit {login}), пароль — «Новый пароль»."
        )
    elif full_name and full_name != user.full_name:
        raise UserError(
            f"Логин «{login}» уже выдан подписанту {user.full_name}, а указано ФИО "
            f"«{full_name}». Ничего не изменено: проверьте логин или ФИО."
        )
    user.roles = ",".join(sorted(user.role_set | set(roles), key=_role_order))
    if password is not None:
        set_password(user, password)
    session.flush()
    append_event(
        session,
        "user_added" if created else "user_changed",
        actor=actor,
        details={"login": login, "roles": user.roles},
    )
    return user, created


def active_administrators(session: Session) -> list[User]:
    """Administrators who can log in: with a password and not switched off."""
    found = session.scalars(
        select(User).where(User.disabled_at.is_(None), User.password_hash.is_not(None))
    )
    return [u for u in found if "admin" in u.role_set and u.password_hash]


def update_user(
    session: Session,
    user: User,
    *,
    full_name: str | None = None,
    roles: list[str] | None = None,
    actor: str = "admin",
) -> list[str]:
    """Change a user's ФИО and/or roles (the password is not touched); returns what changed,
    in Russian, for the message (empty when nothing did)."""
    if roles is not None and "admin" in user.role_set and "admin" not in check_roles(roles):
        _keep_an_administrator(session, user)
    changes = []
    if full_name is not None:
        full_name = " ".join(full_name.split())
        if not full_name:
            raise UserError("Укажите ФИО пользователя.")
        if full_name != user.full_name:
            changes.append(f"ФИО: {user.full_name} → {full_name}")
            user.full_name = full_name
    if roles is not None:
        joined = ",".join(check_roles(roles))
        if joined != user.roles:
            before = ", ".join(ROLE_NAMES.get(r, r) for r in ROLES if r in user.role_set)
            user.roles = joined
            after = ", ".join(ROLE_NAMES.get(r, r) for r in ROLES if r in user.role_set)
            changes.append(f"роли: {before or 'нет'} → {after}")
    if changes:
        append_event(
            session,
            "user_changed",
            actor=actor,
            details={"login": user.login, "roles": user.roles, "full_name": user.full_name},
        )
    return changes


def _keep_an_administrator(session: Session, user: User) -> None:
    """Before ``user`` loses the administrator's role: under the register's write lock, another
    active administrator must remain — else :class:`UserError`. Two administrators taking the
    role from each other (or one switching the other off) at once cannot leave none."""
    begin_writing(session)
    session.refresh(user)
    if "admin" in user.role_set and not [
        u for u in active_administrators(session) if u.id != user.id
    ]:
        raise UserError(
            f"Пользователь «{user.login}» — последний действующий администратор: роль "
            "администратора снять с него нельзя, иначе управлять пользователями и ключами будет "
            "некому. Сначала дайте её другому пользователю. Ничего не изменено."
        )


def set_roles(session: Session, user: User, roles: list[str], *, actor: str = "admin") -> None:
    user.roles = ",".join(check_roles(roles))
    append_event(
        session, "user_changed", actor=actor, details={"login": user.login, "roles": user.roles}
    )


def _role_order(role: str) -> int:
    return ROLES.index(role) if role in ROLES else len(ROLES)


def authenticate(
    session: Session, login: str, password: str, now: datetime | None = None
) -> LoginResult:
    """Check a login and password; counts wrong passwords and locks the login for
    ``LOCK_MINUTES`` after ``MAX_FAILED_LOGINS`` of them. A locked login is refused even with
    the right password.

    The attempt is counted (one UPDATE) *before* the password is checked, and the count is
    cleared only by a right password: parallel guesses each take a number, and those past
    the limit are refused without a check — five guesses, not twenty. An unknown login costs
    the same password hash and gets the same message as a wrong password, and so does a user
    the administrator switched off (``disabled_at``): the page tells no more than it does."""
    now = now or datetime.now()
    user = user_signing_in(session, (login or "").strip())
    if user is None or not user.password_hash or user.is_disabled:
        return _nobody((str(session.get_bind().url), login.strip()), password, now)
    if user.locked_until is not None:
        if user.locked_until > now:
            return _locked(user.locked_until)
        reset_login_attempts(session, user.id, expired_before=now)
    count = count_login_failure(session, user.id)
    if count > MAX_FAILED_LOGINS:  # parallel guesses past the limit: no check at all
        return _locked(user.locked_until or now + timedelta(minutes=LOCK_MINUTES))
    if not verify_password(user.password_hash, password or ""):
        if count == MAX_FAILED_LOGINS:
            until = now + timedelta(minutes=LOCK_MINUTES)
            lock_login(session, user.id, until)
            append_event(session, "user_locked", actor=user.login, details={"login": user.login})
            return LoginResult(None, LOCKED_NOW)
        return LoginResult(None, WRONG_LOGIN)
    reset_login_attempts(session, user.id)
    session.refresh(user)
    if needs_rehash(user.password_hash):  # a hash of an earlier release: today's scrypt
        user.password_hash = hash_password(password)
    return LoginResult(user)


_NOBODY_ATTEMPTS: OrderedDict[tuple[str, str], tuple[int, datetime | None]] = OrderedDict()
_NOBODY_GUARD = threading.Lock()
_NOBODY_REMEMBERED = 10_000


def _nobody(login: tuple[str, str], password: str, now: datetime) -> LoginResult:
    """A login nobody may use (unknown, switched off) answers as a real one: the same password
    hash computed, its wrong passwords counted and «locked» after five — six tries once told
    which logins exist. Counted in this process, for the last 10,000 such names (``login``:
    the register's address and the name)."""
    with _NOBODY_GUARD:
        count, until = _NOBODY_ATTEMPTS.pop(login, (0, None))
        locked = until is not None and until > now
        if not locked:
            count = 1 if until is not None else count + 1  # a lock over: counted anew
            until = now + timedelta(minutes=LOCK_MINUTES) if count >= MAX_FAILED_LOGINS else None
        _NOBODY_ATTEMPTS[login] = (count, until)
        while len(_NOBODY_ATTEMPTS) > _NOBODY_REMEMBERED:
            _NOBODY_ATTEMPTS.popitem(last=False)
    if locked and until is not None:
        return _locked(until)
    verify_password(_dummy_hash(), password or "")  # the same time as a real check
    if until is not None:
        return LoginResult(None, LOCKED_NOW)
    return LoginResult(None, WRONG_LOGIN)


def _locked(until: datetime) -> LoginResult:
    return LoginResult(
        None,
        f"Вход временно заблокирован после {MAX_FAILED_LOGINS} неверных паролей: "
        f"попробуйте после {until:%H:%M} или обратитесь к администратору.",
    )


def refuse_current_password(session: Session, user: User, password: str) -> str | None:
    """None when ``password`` is the user's current one (asked again before changing it),
    else the Russian refusal. Counted and locked as a login is (:func:`authenticate`): a
    session left open, or a stolen cookie, could otherwise try passwords without end here."""
    result = authenticate(session, user.login, password)
    if result.user is not None:
        return None
    return "Текущий пароль введён неверно." if result.message == WRONG_LOGIN else result.message


def unlock(user: User) -> None:
    user.failed_logins = 0
    user.locked_until = None


def is_locked(user: User, now: datetime | None = None) -> bool:
    return user.locked_until is not None and user.locked_until > (now or datetime.now())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_api_token(session: Session, user: User, *, actor: str = "admin") -> str:
    """A new API token for ``user`` (the previous one stops working); only its hash is kept,
    so the token is shown once. A user switched off gets none."""
    if user.is_disabled:
        raise UserError(
            f"Пользователь «{user.login}» отключён: токен API не выдан. Сначала включите его "
            f"(nastavnik user enable {user.login})."
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    user.api_token_hash = token_hash(token)
    append_event(session, "api_token_issued", actor=actor, details={"login": user.login})
    return token


def user_by_token(session: Session, token: str) -> User | None:
    """The user whose API token this is (None for an unknown token, a locked user or one
    switched off)."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    user = session.scalars(select(User).where(User.api_token_hash == token_hash(token))).first()
    if user is None or is_locked(user) or user.is_disabled:
        return None
    return user


def session_key(user: User) -> str:
    """What the login session remembers: the user's id and a digest of the password hash and
    the session generation, so changing the password or logging out ends every session."""
    material = f"{user.password_hash or ''}:{user.session_generation or 0}"
    digest = hashlib.sha256(material.encode()).hexdigest()[:16]
    return f"{user.id}.{digest}"


def end_sessions(session: Session, user_id: int) -> None:
    """Logout on the server: every cookie of this user's sessions stops working (a copied or
    replayed one included), here and on the user's other devices."""
    next_session_generation(session, user_id)


def user_by_session_key(session: Session, key: str) -> User | None:
    user_id, _, digest = (key or "").partition(".")
    if not user_id.isdigit():
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.password_hash or user.is_disabled:
        return None  # switched off: his open sessions end at their next request
    if session_key(user) != key:
        return None
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.login)))


def is_demo_user(user: User) -> bool:
    """Whether ``user`` is one :func:`ensure_demo_users` made: one role but the
    administrator's (``init`` makes him), its login the role's (or «…-demo») and the role's
    sample ФИО."""
    if len(user.role_set) != 1 or "admin" in user.role_set:
        return False
    (role,) = user.role_set
    return user.login in (role, f"{role}-demo") and user.full_name == DEMO_NAMES.get(role)


def school_users(session: Session) -> list[User]:
    """The school's own users: those holding a role besides the administrator's who are not
    sample users (a signer's user made with his key counts, password or not)."""
    return [u for u in list_users(session) if u.role_set - {"admin"} and not is_demo_user(u)]


def ensure_demo_users(session: Session) -> list[tuple[User, str]]:
    """In a home where the school has no users of its own yet (:func:`school_users`): one
    sample user per role nobody holds, login = the role's id, with a fresh password; returns
    (user, password) of those made now (nothing when every role is taken). A school's home
    with its own staff gets none: an account of a role nobody there holds (an inspector who
    sees the whole archive) with a password printed on the console is a way in, not a help."""
    if school_users(session):
        return []
    taken = {role for user in list_users(session) for role in user.role_set if user.password_hash}
    made = []
    for role in ROLES:
        if role in taken or role == "admin":
            continue
        login = role
        existing = find_user(session, login)
        if existing is not None and existing.password_hash:
            login = f"{role}-demo"
        password = new_password()
        user, _ = add_user(session, login, DEMO_NAMES[role], [role], password, actor="demo")
        made.append((user, password))
    return made
