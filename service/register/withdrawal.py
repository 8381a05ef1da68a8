"""The register's side of withdrawing a pair entered by mistake (:mod:`service.pair_withdrawal`):
the pair found by its code, what it has signed — a signed document is never deleted, so a pair
with one is not withdrawn — and the withdrawal itself: the pair marked (kept, never deleted),
its unsigned versions superseded, one ledger event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from service.errors import NotFound
from service.intake.normalise import code_key
from service.intake.years import school_year_span
from service.register import models as m
from service.register.approved import approved_ends
from service.register.batches import DRAFT_STATES
from service.register.events import NewEvent, record_events
from service.register.labels import NOT_DUE_EVENT, PAIR_WITHDRAWN_EVENT
from service.register.school import the_school

_PAIR = m.Pair.__table__
_DOCUMENT = m.Document.__table__
_SIGNATURE = m.Signature.__table__


@dataclass(frozen=True)
class Version:
    """One version of a pair's document."""

    id: int
    kind: str
    version: int
    status: str


@dataclass
class PairStanding:
    """A registered pair as its withdrawal sees it."""

    id: int
    code: str
    mentor: str
    mentees: list[str]
    withdrawn_at: datetime | None
    drafts: list[Version] = field(default_factory=list)
    """Its versions nobody signed that still wait (created, awaiting signature, returned)."""
    signed: list[Version] = field(default_factory=list)
    """Its versions with a signature (electronic or a scan), whatever their state."""
    approved: bool = False
    """Whether a signed order on pairs lists it (:mod:`service.register.approved`)."""
    ended_before: tuple[date, str] | None = None
    """Its end and the register's school year, when it ended before that year began (a pair
    of an earlier year: its documents stay in their year, never made again)."""
    signed_made_again: list[str] = field(default_factory=list)
    """Signed documents of others the withdrawal would make again (the order on the final
    event counting its pair), as «title — subject, версия N»: told before it is done."""
    restored: list[str] = field(default_factory=list)
    """Drafts of others the withdrawal takes out of the queue, their signed version in force
    again (the order on pairs drafted when the pair was added), as «title — subject, версия
    N (state); …»: told before it is done."""

    @property
    def subject_key(self) -> str:
        return f"pair:{self.id}"


def pair_standing(session: Session, code: str) -> PairStanding:
    """The pair of «Код пары» ``code`` (as :func:`code_key` compares codes: «П01» is «П-01»)
    with its documents' state; :class:`NotFound` when the register has none."""
    wanted = code_key(code)
    rows = session.execute(select(_PAIR.c.id, _PAIR.c.code, _PAIR.c.withdrawn_at)).all()
    found = [r for r in rows if code_key(r.code) == wanted]
    exact = [r for r in found if r.code == code.strip()]
    if not found:
        raise NotFound(f"Пары с кодом «{code.strip()}» в реестре нет.")
    row = (exact or found)[0]
    pair = session.get(m.Pair, row.id)
    assert pair is not None
    standing = PairStanding(
        row.id,
        row.code,
        pair.mentor.full_name,
        [p.full_name for p in pair.mentees],
        row.withdrawn_at,
    )
    school = the_school(session)
    span = school_year_span(school.school_year) if school is not None else None
    if school is not None and span is not None and pair.end < span[0]:
        standing.ended_before = (pair.end, school.school_year)
    signed = exists().where(_SIGNATURE.c.document_id == _DOCUMENT.c.id)
    versions = session.execute(
        select(
            _DOCUMENT.c.id,
            _DOCUMENT.c.kind,
            _DOCUMENT.c.version,
            _DOCUMENT.c.status,
            signed.label("signed"),
        )
        .where(_DOCUMENT.c.subject_key == standing.subject_key)
        .order_by(_DOCUMENT.c.kind, _DOCUMENT.c.version)
    )
    for v in versions:
        version = Version(v.id, v.kind, v.version, v.status)
        if v.signed:
            standing.signed.append(version)
        elif v.status in DRAFT_STATES:
            standing.drafts.append(version)
    standing.approved = standing.code in approved_ends(session)
    return standing


def withdraw(
    session: Session, standing: PairStanding, actor: str, batch_id: int | None
) -> list[Version]:
    """Mark the pair withdrawn now and supersede its unsigned waiting versions (only those
    still unsigned as the update runs), recording one ledger event in batch ``batch_id``;
    the versions withdrawn. The caller has checked that nothing of it is signed."""
    now = datetime.now()
    session.execute(update(_PAIR).where(_PAIR.c.id == standing.id).values(withdrawn_at=now))
    ids = [v.id for v in standing.drafts]
    if ids:
        session.execute(
            update(_DOCUMENT)
            .where(
                _DOCUMENT.c.id.in_(ids),
                _DOCUMENT.c.status.in_(DRAFT_STATES),
                ~exists().where(_SIGNATURE.c.document_id == _DOCUMENT.c.id),
            )
            .values(status=m.DocumentStatus.SUPERSEDED)
        )
    details = {
        "code": standing.code,
        "mentor": standing.mentor,
        "mentees": standing.mentees,
        "drafts": [{"kind": v.kind, "version": v.version, "id": v.id} for v in standing.drafts],
    }
    events = [NewEvent(PAIR_WITHDRAWN_EVENT, actor, batch_id, None, details)]
    # each draft, as one the register no longer makes: «отозван: по данным реестра больше не
    # составляется» wherever its state is shown (not «заменён новой версией»: none was made)
    events += [
        NewEvent(
            NOT_DUE_EVENT,
            actor,
            batch_id,
            v.id,
            {
                "kind": v.kind,
                "version": v.version,
                "subject": standing.code,
                "pair_withdrawn": True,
            },
        )
        for v in standing.drafts
    ]
    record_events(session, events, at=now)
    return standing.drafts


@dataclass(frozen=True)
class WithdrawalRecord:
    """Who withdrew a pair, when, and in which batch (its ledger event)."""

    actor: str
    at: datetime
    batch_id: int | None


def withdrawal_of(session: Session, code: str) -> WithdrawalRecord | None:
    """The ledger's record of the withdrawal of the pair ``code`` (as registered), if any."""
    event = m.Event.__table__.c
    rows = session.execute(
        select(event.actor, event.at, event.batch_id, event.details)
        .where(event.kind == PAIR_WITHDRAWN_EVENT)
        .order_by(event.id.desc())
    )
    for row in rows:
        if (row.details or {}).get("code") == code:
            return WithdrawalRecord(row.actor, row.at, row.batch_id)
    return None


def signed_in_force(session: Session, keys: set[tuple[str, str]]) -> dict[tuple[str, str], Version]:
    """The signed version in force of each document ``keys`` names ((kind, subject key)), if
    any: a new version voids it (the latest version may be a draft withdrawn since)."""
    found: dict[tuple[str, str], Version] = {}
    if not keys:
        return found
    rows = session.execute(
        select(_DOCUMENT.c.id, _DOCUMENT.c.kind, _DOCUMENT.c.subject_key, _DOCUMENT.c.version)
        .where(
            _DOCUMENT.c.status == m.DocumentStatus.SIGNED,
            _DOCUMENT.c.kind.in_({kind for kind, _ in keys}),
        )
        .order_by(_DOCUMENT.c.version)
    )
    for row in rows:
        if (row.kind, row.subject_key) in keys:
            found[(row.kind, row.subject_key)] = Version(
                row.id, row.kind, row.version, m.DocumentStatus.SIGNED
            )
    return found


def same_file_as_unsigned(
    session: Session, made: list[tuple[str, str, int]]
) -> dict[tuple[str, str], int]:
    """Of the versions just ``made`` (kind, SHA-256, version), those whose file is, byte for
    byte, an earlier version's that nobody signed and a later one superseded: (kind, SHA-256)
    → that earlier version (the newest such). A pair withdrawn made a mentor's consent again as
    version 3 with version 1's very file: the paper of version 1, signed, is version 3's."""
    found: dict[int, int] = {}
    signed = exists().where(m.Signature.document_id == m.Document.id)
    for kind, sha256, version in made:
        earlier = session.scalars(
            select(m.Document.version)
            .where(
                m.Document.kind == kind,
                m.Document.sha256 == sha256,
                m.Document.version < version,
                m.Document.status == m.DocumentStatus.SUPERSEDED,
                ~signed,
            )
            .order_by(m.Document.version.desc())
            .limit(1)
        ).first()
        if earlier is not None:
            found[kind, sha256] = earlier
    return found
