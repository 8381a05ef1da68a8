"""Counters of wrong passwords (a login's, a signing key's), changed by one UPDATE each: two
attempts at the same moment are both counted, never read-modified-written over each other."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from service.register.models import Signer, User


def count_key_failure(session: Session, signer_id: int) -> int:
    """One more wrong password for this key; returns the count after it."""
    return session.execute(
        update(Signer)
        .where(Signer.id == signer_id)
        .values(failed_key_attempts=Signer.failed_key_attempts + 1)
        .returning(Signer.failed_key_attempts)
    ).scalar_one()


def lock_key(session: Session, signer_id: int, until: datetime) -> None:
    session.execute(update(Signer).where(Signer.id == signer_id).values(locked_until=until))


def reset_key_attempts(
    session: Session, signer_id: int, *, expired_before: datetime | None = None
) -> None:
    """Forget the wrong passwords of a key (after a right one, or when its lock has expired:
    ``expired_before`` = now, so a lock set meanwhile by a parallel attempt stays)."""
    query = update(Signer).where(Signer.id == signer_id)
    if expired_before is not None:
        query = query.where(Signer.locked_until <= expired_before)
    session.execute(query.values(failed_key_attempts=0, locked_until=None))


def count_login_failure(session: Session, user_id: int) -> int:
    """One more wrong password for this login; returns the count after it."""
    return session.execute(
        update(User)
        .where(User.id == user_id)
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
    ).scalar_one()


def lock_login(session: Session, user_id: int, until: datetime) -> None:
    session.execute(update(User).where(User.id == user_id).values(locked_until=until))


def reset_login_attempts(
    session: Session, user_id: int, *, expired_before: datetime | None = None
) -> None:
    """Forget the wrong passwords of a login (see :func:`reset_key_attempts`)."""
    query = update(User).where(User.id == user_id)
    if expired_before is not None:
        query = query.where(User.locked_until <= expired_before)
    session.execute(query.values(failed_logins=0, locked_until=None))


def next_session_generation(session: Session, user_id: int) -> int:
    """End every login session of this user (logout): their cookies name the old number."""
    return session.execute(
        update(User)
        .where(User.id == user_id)
        .values(session_generation=User.session_generation + 1)
        .returning(User.session_generation)
    ).scalar_one()
