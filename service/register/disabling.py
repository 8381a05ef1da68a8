"""Switching a user off and on again: an intern who left, a curator replaced. Nobody is deleted
— his signatures and ledger entries name him (152-ФЗ and the archive keep them) — a disabled
user only stops: no login, his sessions and API token end, his signing keys sign nothing, and
he is no longer among those who may sign. Each switch is a ledger event. The last active
administrator cannot be switched off: nobody would be left to switch anyone back on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.register.attempts import next_session_generation
from service.register.db import begin_writing
from service.register.events import append_event
from service.register.index import name_key
from service.register.models import Signer, User
from service.register.users import UserError, active_administrators


def disable_user(session: Session, user: User, *, actor: str, acting: User | None = None) -> None:
    """Switch ``user`` off: he cannot log in, his open sessions end at their next request (the
    session generation moves on, so they do not come back when he is switched on again), his
    API token is dropped. Refused (:class:`UserError`) when he is off already or is the last
    active administrator. ``acting`` is the administrator doing it on the web page (None at the
    console); the register's write lock is taken first and he must still be active then, so
    two administrators switching each other off at once cannot leave the school with none."""
    begin_writing(session)
    session.refresh(user)
    if acting is not None:
        session.refresh(acting)
        if acting.is_disabled:
            raise UserError("Вашу учётную запись только что отключили: ничего не изменено.")
    if user.is_disabled:
        raise UserError(f"Пользователь «{user.login}» уже отключён.")
    if "admin" in user.role_set and user.password_hash:
        others = [u for u in active_administrators(session) if u.id != user.id]
        if not others:
            raise UserError(
                f"Пользователь «{user.login}» — последний действующий администратор: "
                "отключать его нельзя, иначе управлять пользователями и ключами будет некому. "
                "Сначала дайте роль администратора другому пользователю. Ничего не изменено."
            )
    user.disabled_at = datetime.now().replace(microsecond=0)
    user.api_token_hash = None
    next_session_generation(session, user.id)
    append_event(session, "user_disabled", actor=actor, details={"login": user.login})


def enable_user(session: Session, user: User, *, actor: str) -> None:
    """Switch ``user`` on again: he logs in with his password; sessions and the API token of
    before stay ended (a new token is issued on «Учётная запись»)."""
    begin_writing(session)
    session.refresh(user)
    if not user.is_disabled:
        raise UserError(f"Пользователь «{user.login}» не отключён: включать нечего.")
    user.disabled_at = None
    append_event(session, "user_enabled", actor=actor, details={"login": user.login})


def signer_standing(session: Session, full_name: str, role: str) -> tuple[str, str] | None:
    """Why the person ``full_name`` cannot sign as ``role`` though a workbook names her: her
    user account switched off — ``("disabled", login)`` — or every key of hers for the role
    revoked with none in force — ``("revoked", login)``. The person is the user of this ФИО,
    or the owner of a key of the role issued on it (an account may write the ФИО shorter);
    None when she signs, has no account at all (the school may not have made one yet), or has
    an account but no key yet (issued after the workbook names her)."""
    # Core on the tables, not the ORM: a batch configures no mapper (tests/test_batch_core.py)
    signers, users_table = Signer.__table__, User.__table__
    key = name_key(full_name)
    keys = session.execute(
        select(signers.c.user_id, signers.c.full_name, signers.c.revoked_at).where(
            signers.c.role == role
        )
    ).all()
    owners = {k.user_id for k in keys if name_key(k.full_name) == key}
    users = [
        u
        for u in session.execute(
            select(
                users_table.c.id,
                users_table.c.login,
                users_table.c.full_name,
                users_table.c.roles,
                users_table.c.disabled_at,
            ).order_by(users_table.c.id)
        )
        if u.id in owners
        or (name_key(u.full_name or "") == key and role in (u.roles or "").split(","))
    ]
    if not users:
        return None
    active = [u for u in users if u.disabled_at is None]
    if not active:
        return "disabled", users[-1].login
    theirs = [k for k in keys if k.user_id in {u.id for u in active}]
    if theirs and all(k.revoked_at is not None for k in theirs):
        return "revoked", active[-1].login
    return None
