"""The register's side of a returned document: the document read again under the write lock
(its row locked on servers that lock rows), whether a newer version exists, and the thread of
returns and answers read from the ledger — the ledger already holds who wrote what and when,
so the thread needs no table of its own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.errors import NotFound
from service.register.labels import ELECTRONIC_ROLES
from service.register.models import Document, Event, Signer, User
from service.register.school import the_school
from service.register.users import is_demo_user

RETURNED = "document_returned"
RESUBMITTED = "document_resubmitted"
THREAD_KINDS = (RETURNED, RESUBMITTED)
MANY = 500
"""Above so many documents (a whole register listed) the thread events are read for all and
picked here: one bound parameter per id would pass the database's limit."""


@dataclass(frozen=True)
class ThreadEntry:
    """One message of a document's thread: the signer's comment when he returned it
    (``returned``) or the office's answer when it was sent back for signature
    (``resubmitted``)."""

    kind: str
    """``returned`` or ``resubmitted``."""
    login: str
    name: str
    """The writer's full name (the login when the user is gone)."""
    at: datetime
    text: str
    role: str = ""
    """Who returned it: ``director`` or ``curator`` — the role the signer returned it in, as
    the ledger entry records it; for an entry written before the role was recorded, the
    writer's one signing role; empty when that cannot be told (and for answers)."""


def document_for_writing(session: Session, document_id: int) -> Document:
    """The document ``document_id`` as the database has it now — read again, not taken from
    the session's memory, and its row locked where the server locks rows (SQLite: the caller
    holds the write lock already). :class:`NotFound` when there is none."""
    document = session.scalars(
        select(Document)
        .where(Document.id == document_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if document is None:
        raise NotFound(f"Документ № {document_id} не найден.")
    return document


def newest_version(session: Session, document: Document) -> int:
    """The highest version number of ``document``'s kind and subject."""
    return session.scalar(
        select(func.max(Document.version)).where(
            Document.kind == document.kind, Document.subject_key == document.subject_key
        )
    )


def threads(session: Session, document_ids: Iterable[int]) -> dict[int, list[ThreadEntry]]:
    """The thread of each document asked for, oldest message first, in one query; a document
    never returned is absent from the answer."""
    ids = set(document_ids)
    if not ids:
        return {}
    query = (
        select(Event, User)
        .outerjoin(User, User.login == Event.actor)
        .where(Event.kind.in_(THREAD_KINDS))
        .order_by(Event.id)
    )
    if len(ids) <= MANY:
        query = query.where(Event.document_id.in_(sorted(ids)))
    found: dict[int, list[ThreadEntry]] = {}
    shown = _ShownNames(session)
    for event, user in session.execute(query):
        if event.document_id not in ids:
            continue
        details = event.details or {}
        returned = event.kind == RETURNED
        role = _returner_role(details, user.roles if user else None) if returned else ""
        found.setdefault(event.document_id, []).append(
            ThreadEntry(
                kind="returned" if returned else "resubmitted",
                login=event.actor,
                name=shown.name(user, role) if user is not None else event.actor,
                at=event.at,
                text=str(details.get("comment" if returned else "answer", "")),
                role=role,
            )
        )
    return found


class _ShownNames:
    """The name a thread shows for its writer: the account's ФИО, except for a trial's sample
    account (:func:`~service.register.users.is_demo_user`), whose ФИО is a placeholder
    («Кинякина Татьяна Игоревна» for «director») while his key and the documents carry the
    school's own director or curator: for a signing role, the name on his newest key of that
    role, else the register's ФИО for the role («Организация»)."""

    def __init__(self, session: Session):
        self.session = session
        self._keys: dict[tuple[int, str], str] | None = None

    def name(self, user: User, role: str) -> str:
        if not is_demo_user(user):
            return user.full_name or user.login
        role = role or next(iter(user.role_set))
        if role not in ELECTRONIC_ROLES:
            return user.full_name or user.login
        if self._keys is None:  # read once, only when a sample account wrote in a thread
            rows = self.session.execute(
                select(Signer.user_id, Signer.role, Signer.full_name).order_by(Signer.id)
            )
            self._keys = {(r.user_id, r.role): r.full_name for r in rows}  # newest last
        school = the_school(self.session)
        held = {"director": school.head_name, "curator": school.curator_name} if school else {}
        return self._keys.get((user.id, role)) or held.get(role) or user.full_name


def _returner_role(details: dict, roles: str | None) -> str:
    """The role a return was made in: recorded in the entry since the curator returns
    documents too; for an older entry, the returner's only signing role (empty when he has
    both or is gone)."""
    recorded = details.get("role")
    if recorded in ELECTRONIC_ROLES:
        return recorded
    signing = sorted(set((roles or "").split(",")) & ELECTRONIC_ROLES)
    return signing[0] if len(signing) == 1 else ""


def thread(session: Session, document_id: int) -> list[ThreadEntry]:
    """The thread of one document, oldest message first (empty when never returned)."""
    return threads(session, [document_id]).get(document_id, [])
