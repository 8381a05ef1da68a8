"""What the listing commands ask the register, as plain SQL text run by a
:data:`~service.register.reading.Rows` function (``sqlite3`` for a SQLite file, SQLAlchemy's
``text()`` otherwise): the current documents, the users, the last change of each kind's
template. The answers are small frozen records with the attribute names of the ORM's models,
so the same formatting serves both (:func:`service.documents.records.document_fields`).

No SQLAlchemy here: ``nastavnik documents`` and ``user list`` import this module only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from service.register.labels import DESTROYED, DocumentStatus
from service.register.reading import Rows

CURRENT_DOCUMENTS = """
SELECT d.id, d.kind, d.subject_key, d.subject_label, d.version, d.status, d.number,
       d.reg_date, d.sha256, d.context_sha256, d.template_sha256, d.batch_id,
       gone.id AS gone, act.number AS act_number, act.made_at AS act_made_at
FROM document AS d
LEFT JOIN archive_item AS gone ON gone.document_id = d.id AND gone.destroyed_at IS NOT NULL
LEFT JOIN destruction_act AS act ON act.id = gone.act_id
WHERE d.status <> :superseded
  AND NOT EXISTS (
      SELECT 1 FROM document AS newer
      WHERE newer.kind = d.kind AND newer.subject_key = d.subject_key
        AND newer.status <> :superseded AND newer.version > d.version)
  AND (:kind = '' OR d.kind = :kind)
  AND (:status = ''
       OR (:status = :destroyed AND gone.id IS NOT NULL)
       OR (d.status = :status AND gone.id IS NULL))
ORDER BY d.id
"""
"""The newest version of each document (kind + subject) that is not superseded — of ``kind``
and in ``status`` when these are not empty — with the act that destroyed it, if one did. A
destroyed document keeps its status «archived», but the status ``archived`` lists only those
kept and :data:`~service.register.labels.DESTROYED` those destroyed."""

SIGNATURES = """
SELECT s.document_id, s.role, s.method, s.signer_name
FROM signature AS s JOIN document AS d ON d.id = s.document_id
WHERE d.status <> :superseded
ORDER BY s.id
"""

USERS = """
SELECT login, full_name, roles,
       CASE WHEN password_hash IS NULL OR password_hash = '' THEN 0 ELSE 1 END AS has_password,
       CASE WHEN disabled_at IS NULL THEN 0 ELSE 1 END AS disabled
FROM "user"
ORDER BY login
"""

TEMPLATE_CHANGES = """
SELECT at, actor, details FROM event WHERE kind IN (:installed, :reset) ORDER BY id
"""


@dataclass(frozen=True)
class SignatureRow:
    role: str
    method: str
    signer_name: str


@dataclass(frozen=True)
class DocumentRow:
    """One document version as the listings show it (the ORM ``Document``'s names)."""

    id: int
    kind: str
    subject_key: str
    subject_label: str
    version: int
    status: str
    number: str | None
    reg_date: date | None
    sha256: str
    context_sha256: str
    template_sha256: str | None
    batch_id: int
    signatures: tuple[SignatureRow, ...] = ()
    destroyed_by: str | None = None
    """«№ 1/28 от 01.01.2028»: the act that destroyed the document (its files are gone);
    «» for a destroyed document whose act is not recorded, None for one not destroyed."""


@dataclass(frozen=True)
class UserRow:
    login: str
    full_name: str
    roles: str
    has_password: bool
    disabled: bool = False
    """Switched off by the administrator (``user disable``)."""

    @property
    def role_set(self) -> set[str]:
        return {r for r in self.roles.split(",") if r}


@dataclass(frozen=True)
class TemplateChange:
    """The last install or reset of a kind's template: when and by whom."""

    at: datetime
    actor: str


def register_documents(read: Rows, kind: str = "", status: str = "") -> list[DocumentRow]:
    """The register's current documents (:data:`CURRENT_DOCUMENTS`), of ``kind`` and in
    ``status`` when given, ordered by id, each with its signatures in the order made."""
    superseded = DocumentStatus.SUPERSEDED.value
    signed: dict[int, list[SignatureRow]] = {}
    for row in read(SIGNATURES, {"superseded": superseded}):
        document_id = row.pop("document_id")
        signed.setdefault(document_id, []).append(SignatureRow(**row))
    found = read(
        CURRENT_DOCUMENTS,
        {"superseded": superseded, "kind": kind, "status": status, "destroyed": DESTROYED},
    )
    documents = []
    for row in found:
        gone, number, made_at = row.pop("gone"), row.pop("act_number"), row.pop("act_made_at")
        act = f"№ {number} от {_datetime(made_at):%d.%m.%Y}" if number else ""
        documents.append(
            DocumentRow(
                **{**row, "reg_date": _date(row["reg_date"])},
                signatures=tuple(signed.get(row["id"], ())),
                destroyed_by=act if gone is not None else None,
            )
        )
    return documents


def user_rows(read: Rows) -> list[UserRow]:
    """Every user of the web service, by login."""
    return [
        UserRow(
            r["login"],
            r["full_name"],
            r["roles"] or "",
            bool(r["has_password"]),
            bool(r["disabled"]),
        )
        for r in read(USERS, {})
    ]


def template_changes(read: Rows, installed: str, reset: str) -> dict[str, TemplateChange]:
    """The last ledger event of kind ``installed`` or ``reset`` for each document kind it
    names (``details["kind"]``)."""
    last: dict[str, TemplateChange] = {}
    for row in read(TEMPLATE_CHANGES, {"installed": installed, "reset": reset}):
        details = _json(row["details"]) or {}
        last[details.get("kind")] = TemplateChange(_datetime(row["at"]), row["actor"])
    return last


def _date(value: Any) -> date | None:
    """A DATE column: SQLite gives its text, other servers a ``date``."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _datetime(value: Any) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _json(value: Any) -> Any:
    """A JSON column: SQLite gives its text, PostgreSQL the decoded value."""
    return json.loads(value) if isinstance(value, str) else value
