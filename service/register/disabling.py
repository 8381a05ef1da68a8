"""Switching a user off and on again: an intern who left, a curator replaced. Nobody is deleted
— his signatures and ledger entries name him (152-ФЗ and the archive keep them) — a disabled
user only stops: no login, his sessions and API token end, his signing keys sign nothing, and
he is no longer among those who may sign. Each switch is a ledger event. The last active
administrator cannot be switched off: nobody would be left to switch anyone back on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from service.register.attempts import next_session_generation
from service.register.db import begin_writing
from service.register.events import append_event
from service.register.models import User
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
