"""The register: organization, people, pairs and everything a workbook brings, plus batches,
documents and the append-only event log. SQLAlchemy 2.0 models, SQLite by default."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, query_expression, relationship

from service.register.labels import DocumentStatus


class Base(DeclarativeBase):
    pass


class Role(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"
    GUARDIAN = "guardian"


class BatchStatus(StrEnum):
    """A processed workbook's life: processing → done, or rejected (errors in the workbook),
    or failed (the service broke on it; retried at the next start up to max_attempts)."""

    PROCESSING = "processing"
    DONE = "done"
    REJECTED = "rejected"
    FAILED = "failed"


class Organization(Base):
    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(Text)
    short_name: Mapped[str] = mapped_column(String(300))
    locality: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    inn: Mapped[str | None] = mapped_column(String(20))
    ogrn: Mapped[str | None] = mapped_column(String(20))
    head_name: Mapped[str] = mapped_column(String(200))
    head_position: Mapped[str] = mapped_column(String(300))
    curator_name: Mapped[str] = mapped_column(String(200))
    curator_position: Mapped[str] = mapped_column(String(300))
    coordinator_name: Mapped[str | None] = mapped_column(String(200))
    coordinator_position: Mapped[str | None] = mapped_column(String(300))
    school_year: Mapped[str] = mapped_column(String(20))
    students_total: Mapped[int | None] = mapped_column(Integer)
    teachers_total: Mapped[int | None] = mapped_column(Integer)
    website: Mapped[str | None] = mapped_column(String(300))
    regulation_adopted_on: Mapped[date | None] = mapped_column(Date)
    regulation_protocol: Mapped[str | None] = mapped_column(String(50))


class Person(Base):
    """A mentor, a mentee or a guardian; matched across workbooks by code, else by
    role + ФИО + date of birth."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(20), index=True)
    code: Mapped[str | None] = mapped_column(String(100))
    full_name: Mapped[str] = mapped_column(String(300), index=True)
    birth_date: Mapped[date | None] = mapped_column(Date)
    category: Mapped[str | None] = mapped_column(String(100))
    position: Mapped[str | None] = mapped_column(String(300))
    is_external: Mapped[bool] = mapped_column(default=False)
    workplace: Mapped[str | None] = mapped_column(Text)
    experience_years: Mapped[float | None] = mapped_column(Float)
    competences: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    identity_document: Mapped[str | None] = mapped_column(Text)
    request: Mapped[str | None] = mapped_column(Text)
    guardian_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    sex: Mapped[str | None] = mapped_column(String(1))
    """«м» or «ж» as the school gave it («Пол»); None: the ФИО tells (declension, agreement)."""
    listed_year: Mapped[str | None] = mapped_column(String(20))
    """The school year of the register when a workbook last listed the person on
    «Наставники» or «Наставляемые»: a returning participant listed in September before the
    pairs is this year's; one of last year only is not (None: listed before release 0008)."""

    guardian: Mapped[Person | None] = relationship(remote_side=[id], post_update=True)
    """Linked by an UPDATE after the people of a flush are inserted (``post_update``), so new
    people are inserted in the order they were added whoever is whose guardian, and get
    their ids in that order (:func:`service.register.apply._new_person`)."""

    __table_args__ = (UniqueConstraint("role", "code", name="uq_person_role_code"),)


class PairMentee(Base):
    __tablename__ = "pair_mentee"

    pair_id: Mapped[int] = mapped_column(ForeignKey("pair.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    person: Mapped[Person] = relationship()


class Pair(Base):
    __tablename__ = "pair"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    form: Mapped[str] = mapped_column(String(200))
    variant: Mapped[str | None] = mapped_column(String(300))
    mode: Mapped[str] = mapped_column(String(100))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    goal: Mapped[str] = mapped_column(Text)
    tasks: Mapped[list] = mapped_column(JSON, default=list)
    expected_results: Mapped[str | None] = mapped_column(Text)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    """When the secretary withdrew it as entered by mistake (:mod:`service.pair_withdrawal`);
    None for a pair of the programme. Kept, never deleted: its drafts and events name it."""

    mentor: Mapped[Person] = relationship()
    mentee_links: Mapped[list[PairMentee]] = relationship(
        order_by=PairMentee.position, cascade="all, delete-orphan"
    )
    plan: Mapped[list[PlanItem]] = relationship(
        order_by="PlanItem.number", cascade="all, delete-orphan"
    )

    @property
    def mentees(self) -> list[Person]:
        return [link.person for link in self.mentee_links]


class FormerMember(Base):
    """A pair's mentor replaced or mentee who left it, with the day the register learnt it:
    they took part in the year, so the training order, the final-event order and the final
    report of the year still count them (the pair's current people are its ``mentor`` and
    ``mentee_links``)."""

    __tablename__ = "pair_former_member"

    pair_id: Mapped[int] = mapped_column(ForeignKey("pair.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    """``mentor`` or ``mentee``."""
    left_on: Mapped[date] = mapped_column(Date)


class PairTerm(Base):
    """A pair's earlier term, kept when the pair goes on under its code in a later school
    year (:mod:`service.register.terms`): its dates, people, plan and «Итоги» as they stood at
    the term's end. The pair's row, mentees, plan and result are its present term's."""

    __tablename__ = "pair_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pair.id"), index=True)
    school_year: Mapped[str] = mapped_column(String(20))
    """«2023–2024»: the school year the term began in."""
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    mentee_ids: Mapped[list] = mapped_column(JSON, default=list)
    form: Mapped[str] = mapped_column(String(200))
    goal: Mapped[str] = mapped_column(Text)
    plan: Mapped[list] = mapped_column(JSON, default=list)
    """[{"number", "activity", "term", "form", "responsible", "expected_result"}, …]."""
    result: Mapped[dict | None] = mapped_column(JSON)
    """The term's «Итоги» ({"status", "reason", "achieved", …}), or None when none came."""


class PlanItem(Base):
    __tablename__ = "plan_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pair.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    activity: Mapped[str] = mapped_column(Text)
    term_date: Mapped[date | None] = mapped_column(Date)
    term_text: Mapped[str | None] = mapped_column(String(200))
    form: Mapped[str | None] = mapped_column(Text)
    responsible: Mapped[str | None] = mapped_column(Text)
    expected_result: Mapped[str | None] = mapped_column(Text)


class RoadmapItem(Base):
    __tablename__ = "roadmap_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(Text)
    activities: Mapped[str] = mapped_column(Text)
    term_date: Mapped[date | None] = mapped_column(Date)
    term_text: Mapped[str | None] = mapped_column(String(200))
    responsible: Mapped[str] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)


class Training(Base):
    __tablename__ = "training"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(Text)
    date: Mapped[date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float)
    form: Mapped[str | None] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(Text)


class FinalEvent(Base):
    __tablename__ = "final_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[date] = mapped_column(Date)
    form: Mapped[str] = mapped_column(String(100))
    place: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(300))


class Result(Base):
    __tablename__ = "result"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pair.id"), unique=True)
    status: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    achieved: Mapped[str] = mapped_column(Text)
    conclusions: Mapped[str | None] = mapped_column(Text)
    proposals: Mapped[str | None] = mapped_column(Text)
    scores: Mapped[dict] = mapped_column(JSON, default=dict)
    """{"engagement_in": 5, "engagement_out": 8, …}; missing keys are unknown."""
    swot: Mapped[dict] = mapped_column(JSON, default=dict)
    """{"strengths": "…", "weaknesses": …, "opportunities": …, "threats": …}."""

    pair: Mapped[Pair] = relationship()


class Batch(Base):
    """One processed workbook."""

    __tablename__ = "batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20), default=BatchStatus.PROCESSING)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    folder: Mapped[str | None] = mapped_column(String(500))
    report: Mapped[str | None] = mapped_column(Text)
    manifest: Mapped[dict | None] = mapped_column(JSON)
    """What the batch's outbox folder holds: {"heading": …, "entries": [OutboxEntry…]}."""
    documents_total: Mapped[int] = mapped_column(Integer, default=0)
    documents_done: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)


class Document(Base):
    """One version of one generated document; a signed version is never changed."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(50), index=True)
    subject_key: Mapped[str] = mapped_column(String(100), index=True)
    """``organization``, ``person:<id>`` or ``pair:<id>``."""
    subject_label: Mapped[str] = mapped_column(String(300))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(30), default=DocumentStatus.GENERATED)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    context_sha256: Mapped[str] = mapped_column(String(64))
    """Hash of the data the document was rendered from: unchanged data, no new version."""
    context: Mapped[str | None] = mapped_column(Text)
    """The context it was rendered from, canonical JSON (:mod:`service.documents.canonical`);
    signing renders an order from it again with its number and date. None for versions made
    before contexts were kept."""
    context_missing: Mapped[bool | None] = query_expression()
    """Whether :attr:`context` is None, read instead of the context itself by
    :func:`~service.register.batches.latest_versions` (a batch compares thousands of latest
    versions and needs only this of their contexts); None when not read."""
    template_sha256: Mapped[str | None] = mapped_column(String(64))
    """Of the template it was rendered from (kept in the store under this hash)."""
    file_name: Mapped[str] = mapped_column(String(300))
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    number: Mapped[str | None] = mapped_column(String(50))
    """Registration number from the order journal (orders), set when signed."""
    reg_date: Mapped[date | None] = mapped_column(Date)
    comment: Mapped[str | None] = mapped_column(Text)
    """The director's comment when he returned the document."""

    signatures: Mapped[list[Signature]] = relationship(
        order_by="Signature.id", back_populates="document"
    )

    __table_args__ = (UniqueConstraint("kind", "subject_key", "version", name="uq_doc_version"),)


class Event(Base):
    """Append-only log; each entry carries the hash of the previous one."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(50))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    actor: Mapped[str] = mapped_column(String(100))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """Unique: two entries can never link to the same predecessor."""
    hash: Mapped[str] = mapped_column(String(64))


class User(Base):
    """A person who works in the service (secretary, director, curator, inspector, admin)."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(300))
    roles: Mapped[str] = mapped_column(String(200), default="")
    """Comma-separated: secretary, director, curator, inspector, admin."""
    password_hash: Mapped[str | None] = mapped_column(String(300))
    api_token_hash: Mapped[str | None] = mapped_column(String(200))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Named in every login session's cookie; logout moves it on, so a copied or replayed
    cookie of an ended session is refused by the server."""
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime)
    """When the administrator switched the user off (None: active). A disabled user cannot log
    in, his sessions, API token and signing keys stop working; he is never deleted, since his
    signatures and ledger entries name him."""

    @property
    def role_set(self) -> set[str]:
        return {r for r in self.roles.split(",") if r}

    @property
    def is_disabled(self) -> bool:
        """Whether the administrator switched the user off."""
        return self.disabled_at is not None


class Signer(Base):
    """A signing key of one user: the certificate issued by the school's CA (or imported) and
    the private key encrypted under the signer's own password."""

    __tablename__ = "signer"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    role: Mapped[str] = mapped_column(String(30))
    """Which signatures this key makes: ``director`` or ``curator``."""
    full_name: Mapped[str] = mapped_column(String(300))
    position: Mapped[str] = mapped_column(String(300))
    serial: Mapped[str] = mapped_column(String(80), unique=True)
    certificate_pem: Mapped[str] = mapped_column(Text)
    chain_pem: Mapped[str] = mapped_column(Text, default="")
    """Issuer certificates to include in signatures (the school CA, or an imported chain)."""
    key_pem: Mapped[str] = mapped_column(Text)
    """PKCS#8, encrypted under the signer's password (never stored)."""
    not_before: Mapped[datetime] = mapped_column(DateTime)
    not_after: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    owner_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    """True once the signer replaced the password the administrator chose with his own: only
    then does the key sign."""
    failed_key_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Wrong key passwords in a row (five lock the key)."""
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class Signature(Base):
    """One signature on one document version: an electronic CMS signature or a paper one
    (a scan)."""

    __tablename__ = "signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    role: Mapped[str] = mapped_column(String(30))
    method: Mapped[str] = mapped_column(String(20))
    """``cms`` (electronic) or ``paper`` (a scan of the paper original)."""
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("signer.id"))
    signer_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    """Of the ``.p7s`` or of the scan, stored by hash."""
    signed_at: Mapped[datetime] = mapped_column(DateTime)

    document: Mapped[Document] = relationship(back_populates="signatures")
    signer: Mapped[Signer | None] = relationship()


class JournalEntry(Base):
    """The order journal: registration numbers taken when orders are signed."""

    __tablename__ = "order_journal"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(50))
    date: Mapped[date] = mapped_column(Date)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), unique=True)
    title: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("year", "sequence", name="uq_journal_year_seq"),)


class Checkpoint(Base):
    """A signed tree head of the ledger (RFC 6962 style)."""

    __tablename__ = "ledger_checkpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    root: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime)
    signature_sha256: Mapped[str | None] = mapped_column(String(64))


# The archive's tables (their own module, along the archive's domain line) are registered on
# Base.metadata whenever the register's models are imported: create_all, the DDL and Alembic
# see them
from service.register import archive_models as _archive_models  # noqa: E402, F401
