"""The signers' keys in the register: every key for the administrator's list, a user's keys
not revoked, the revoked ones (for the revocation list and for checking old signatures), and a
key re-encrypted under the current scheme."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.register.models import Signer, User


def signers_newest_first(session: Session) -> list[Signer]:
    """Every key ever issued, the newest first."""
    return list(session.scalars(select(Signer).order_by(Signer.id.desc())))


def unrevoked_keys(session: Session, login: str, role: str | None = None) -> list[Signer]:
    """Keys of ``login`` (in role ``role``, if given) that were not revoked, by id; whether
    each is still valid today is the caller's question."""
    query = select(Signer).join(User).where(User.login == login, Signer.revoked_at.is_(None))
    if role:
        query = query.where(Signer.role == role)
    return list(session.scalars(query.order_by(Signer.id)))


def revoked_signers(session: Session) -> list[Signer]:
    """Keys that were revoked, by id."""
    return list(
        session.scalars(select(Signer).where(Signer.revoked_at.is_not(None)).order_by(Signer.id))
    )


def replace_key_if_unchanged(session: Session, signer_id: int, old_pem: str, new_pem: str) -> None:
    """Store a key re-encrypted under the current scheme, unless its owner changed it
    meanwhile (a password change wins over the re-encryption)."""
    session.execute(
        update(Signer)
        .where(Signer.id == signer_id, Signer.key_pem == old_pem)
        .values(key_pem=new_pem)
    )
