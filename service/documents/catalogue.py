"""The catalogue of document kinds (DESIGN.md): every kind, in the order of the §12 set,
then the participants', the pairs' and the final report.

Each kind is one object (:class:`~service.documents.kind.Kind`: its data, its planning and
its sample context) in one of the modules of :mod:`service.documents.kinds`; adding a kind
means adding its template in ``templates_docx/`` and its entry there.
"""

from __future__ import annotations

from service.documents.kind import Kind, Subject
from service.documents.kinds import organization, pairs, people

__all__ = ["BY_ID", "KINDS", "SIGNER_NAMES", "Kind", "Subject"]

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
