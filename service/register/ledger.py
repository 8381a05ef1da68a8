"""The ledger as verification reads it: its entries in order, its signed checkpoints, and the
certificate chains of imported keys (whose issuers may sign a checkpoint)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.register.models import Checkpoint, Event, Signer


def ledger_events(session: Session, size: int | None = None) -> list[Event]:
    """The ledger's first ``size`` entries (all when None), in order."""
    query = select(Event).order_by(Event.id)
    if size is not None:
        query = query.limit(size)
    return list(session.scalars(query))


def checkpoints(session: Session) -> list[Checkpoint]:
    """Every signed checkpoint, oldest first."""
    return list(session.scalars(select(Checkpoint).order_by(Checkpoint.id)))


def imported_chains(session: Session) -> list[str]:
    """The PEM chains of keys issued outside the school CA (imported keys), by key id."""
    return list(
        session.scalars(select(Signer.chain_pem).where(Signer.chain_pem != "").order_by(Signer.id))
    )
