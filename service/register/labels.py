"""The register's words that commands need before any work starts: document states, user
roles and their Russian names. Kept free of SQLAlchemy so that ``nastavnik --help`` can build
its options from them without importing the database layer (imports only where used, issue 15);
:mod:`service.register.models` and :mod:`service.register.users` re-export them."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class DocumentStatus(StrEnum):
    GENERATED = "generated"
    AWAITING_SIGNATURE = "awaiting_signature"
    SIGNED = "signed"
    RETURNED = "returned"
    ARCHIVED = "archived"
    SUPERSEDED = "superseded"


STATUS_NAMES = {
    DocumentStatus.GENERATED: "создан",
    DocumentStatus.AWAITING_SIGNATURE: "ожидает подписи",
    DocumentStatus.SIGNED: "подписан",
    DocumentStatus.RETURNED: "возвращён на доработку",
    DocumentStatus.ARCHIVED: "в архиве",
    DocumentStatus.SUPERSEDED: "заменён новой версией",
}
"""A document state as the office names it («подписан», «возвращён на доработку»)."""

DESTROYED = "destroyed"
"""The status filter's choice of the documents destroyed by an act: their status stays
``archived`` (their register entries are kept), and the filter ``archived`` lists only those the
archive still keeps."""
DESTROYED_NAME = "уничтожен по акту"
"""The filter's name of :data:`DESTROYED`."""


def destroyed_name(act: str) -> str:
    """A destroyed document's state in a list: «уничтожен (акт № 1/28 от 01.01.2028)»."""
    return f"уничтожен (акт {act})" if act else "уничтожен"


WITHDRAWAL_BATCH = "Исключение пары "
"""The name of a withdrawal's batch, before the pair's code («Исключение пары П-07»): a batch
of no workbook, which messages naming later workbooks tell apart."""


def withdrawn_pair(source_name: str) -> str | None:
    """The pair's code if ``source_name`` names a withdrawal's batch (:data:`WITHDRAWAL_BATCH`),
    else None: a workbook's batch."""
    if source_name.startswith(WITHDRAWAL_BATCH):
        return source_name.removeprefix(WITHDRAWAL_BATCH)
    return None


PAIR_WITHDRAWN_EVENT = "pair_withdrawn"
"""The ledger event of a pair the secretary withdrew as entered by mistake (its unsigned
drafts superseded with it: :mod:`service.pair_withdrawal`)."""
WITHDRAWN_EVENT = "draft_withdrawn"
"""The ledger event of a draft withdrawn (superseded) because its content went back to its
signed version (:mod:`service.restored`)."""

NOT_DUE_EVENT = "draft_not_due"
"""The ledger event of a draft withdrawn (superseded) because the register no longer makes
its document: the year's final report made as a draft, then a corrected workbook under which
the year is not over (:func:`~service.register.batches.withdraw_not_due`)."""

NOT_DUE_NAME = "отозван: по данным реестра больше не составляется"
PAIR_WITHDRAWN_NAME = "отозван: пара «{code}» исключена из реестра как введённая по ошибке"
"""The state of a draft of a pair the secretary withdrew (:data:`PAIR_WITHDRAWN_EVENT`): a draft
no longer made, and why."""
"""The state of a draft withdrawn so."""

ROLES: tuple[str, ...] = ("secretary", "director", "curator", "inspector", "admin")
ROLE_NAMES: dict[str, str] = {
    "secretary": "секретарь",
    "director": "директор",
    "curator": "куратор",
    "inspector": "проверяющий",
    "admin": "администратор",
}


def in_role_order(roles: Iterable[str]) -> list[str]:
    """``roles`` in DESIGN.md's order (секретарь, директор, куратор, проверяющий,
    администратор), an unknown one last: as ``user list``, ``/api/me`` and the administrator's
    page list them."""
    given = set(roles)
    return [r for r in ROLES if r in given] + sorted(given - set(ROLES))


ELECTRONIC_ROLES = frozenset({"director", "curator"})
"""Roles that sign with a key; every other required role signs on paper (a scan)."""
