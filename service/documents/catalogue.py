"""The catalogue of document kinds (DESIGN.md): every kind, in the order of the §12 set,
then the participants', the pairs' and the final report.

Each kind is one object (:class:`~service.documents.kind.Kind`: its data, its planning and
its sample context) in one of the modules of :mod:`service.documents.kinds`; adding a kind
means adding its template in ``templates_docx/`` and its entry there.
"""

from __future__ import annotations

from service.documents.kind import Kind, Subject
from service.documents.kinds import organization, pairs, people

__all__ = [
    "BY_ID",
    "KINDS",
    "SIGNER_NAMES",
    "Kind",
    "Subject",
    "given_by_guardian",
    "signing_roles",
]

KINDS: tuple[Kind, ...] = (
    *organization.SECTION12,
    *people.KINDS,
    *pairs.KINDS,
    *organization.REPORTS,
)

SIGNER_NAMES: dict[str, str] = {
    "director": "руководитель",
    "curator": "куратор",
    "participant": "участник",
    "guardian": "законный представитель",
    "mentor": "наставник",
    "mentee": "наставляемый",
}
"""Who signs, in Russian, for lists and verdicts."""

BY_ID: dict[str, Kind] = {kind.id: kind for kind in KINDS}


def given_by_guardian(context: dict | None) -> bool:
    """Whether a document made from ``context`` is given and signed by its participant's
    guardian: a minor's consent to dissemination is written in the guardian's name (its
    context names him)."""
    return context is not None and context.get("guardian") is not None


def signing_roles(kind: Kind, context: dict | None) -> tuple[str, ...]:
    """Who signs a document of ``kind`` made from ``context``, for the inventories: the kind's
    roles, the participant being the guardian where the context names one
    (:func:`given_by_guardian`)."""
    if given_by_guardian(context):
        return tuple("guardian" if role == "participant" else role for role in kind.signers)
    return kind.signers
