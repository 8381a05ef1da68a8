"""A second click of the same button, told from a refusal: the browser shows only the answer
to the last of two quick submissions of a form, so the first one's «сделано» — and whatever
it showed once, a new user's password — is lost, and the second one's «уже занят» /
«уже подписан» reads as a failure although the person's own first click did it. What the
first click did is found here, in the ledger (who, what, when), so that the page can say
«уже сделано вами в 15:40» instead."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.register.db import begin_writing
from service.register.models import DocumentStatus, Event, Signature, Signer, User
from service.register.returns import ThreadEntry, document_for_writing, thread
from service.register.users import find_user

REPEAT_WINDOW = timedelta(minutes=2)
"""How recent the first click's entry must be to take a second submission for its repeat
(a double click, Back and «Отправить» again): an older one is another person's decision."""


def just_added(
    session: Session,
    login: str,
    full_name: str,
    roles: list[str],
    *,
    actor: str,
    now: datetime | None = None,
) -> tuple[User, datetime] | None:
    """The user ``login`` and when ``actor`` created him, if he did so within
    :data:`REPEAT_WINDOW` with this ФИО and these roles — the form sent twice; else None.

    Takes the register's write lock first, as :func:`~service.register.users.add_user` does:
    the second click waits for the first one's commit and then sees the user it made."""
    begin_writing(session)
    user = find_user(session, login.strip())
    if user is None or " ".join(full_name.split()) != user.full_name:
        return None
    if user.role_set != set(roles):
        return None
    for event in _recent(session, "user_added", actor, now):
        if (event.details or {}).get("login") == user.login:
            return user, event.at
    return None


def _recent(session: Session, kind: str, actor: str, now: datetime | None) -> list[Event]:
    """``actor``'s ledger entries of ``kind`` within :data:`REPEAT_WINDOW`, newest first."""
    since = (now or datetime.now()) - REPEAT_WINDOW
    return list(
        session.scalars(
            select(Event)
            .where(Event.kind == kind, Event.actor == actor, Event.at >= since)
            .order_by(Event.id.desc())
        )
    )


def own_last_word(
    session: Session, document_id: int, login: str, kind: str, status: DocumentStatus
) -> ThreadEntry | None:
    """The document's last thread entry when it is ``login``'s of ``kind`` («returned»: his
    return; «resubmitted»: his answer) and the document is still ``status`` since — the form
    sent a second time finds its own first click's work; else None.

    Under the register's write lock, as the return and the resubmission are: a second click
    that arrives while the first is being written waits for it and then sees it."""
    begin_writing(session)
    document = document_for_writing(session, document_id)
    entries = thread(session, document_id)
    if document.status != status or not entries:
        return None
    last = entries[-1]
    return last if last.kind == kind and last.login == login else None


def same_scan(session: Session, document_id: int, scan: bytes) -> list[Signature]:
    """The paper signatures already recorded on ``document_id`` with this very scan (the
    same bytes): the scan form sent a second time. Under the write lock, as attaching is."""
    begin_writing(session)
    return list(
        session.scalars(
            select(Signature)
            .where(
                Signature.document_id == document_id,
                Signature.method == "paper",
                Signature.sha256 == hashlib.sha256(scan).hexdigest(),
            )
            .order_by(Signature.id)
        )
    )


def just_issued(
    session: Session, login: str, role: str, *, actor: str, now: datetime | None = None
) -> tuple[Signer, datetime] | None:
    """The key of ``login`` and ``role`` that ``actor`` issued within :data:`REPEAT_WINDOW`
    and that is not revoked, with when — the form «Выпустить» sent twice; else None.

    Under the register's write lock, as issuing is: a second click that arrives while the
    first one's key is being written waits for its commit and then finds it."""
    begin_writing(session)
    for event in _recent(session, "signer_added", actor, now):
        details = event.details or {}
        if details.get("login") != login or details.get("role") != role:
            continue
        key = session.scalars(
            select(Signer).where(
                Signer.serial == details.get("serial"), Signer.revoked_at.is_(None)
            )
        ).first()
        return (key, event.at) if key is not None else None
    return None


def revoked_with(session: Session, signer_id: int, reason: str) -> Signer | None:
    """The key ``signer_id`` when it is revoked already with this very ``reason`` — the form
    «Отозвать» sent a second time; else None. Under the write lock, as revoking is."""
    begin_writing(session)
    signer = session.scalars(
        select(Signer).where(Signer.id == signer_id).execution_options(populate_existing=True)
    ).first()
    same = signer is not None and signer.revocation_reason == " ".join(reason.split())
    return signer if same and signer.revoked_at is not None else None


def scan_elsewhere(session: Session, document_id: int, scan: bytes) -> list[Signature]:
    """Paper signatures of *other* documents recorded with this very scan: the same file
    chosen for a second document is most often the wrong file (each paper has its own scan),
    so the page asks before recording it."""
    return list(
        session.scalars(
            select(Signature)
            .where(
                Signature.document_id != document_id,
                Signature.method == "paper",
                Signature.sha256 == hashlib.sha256(scan).hexdigest(),
            )
            .order_by(Signature.id)
        )
    )
