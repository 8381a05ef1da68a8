"""Drafts of a document the register no longer makes leave the director's queue.

The year's final report is made once the year is over (:meth:`~service.documents.
final_report_due.FinalReportDue.final_report_due`). A secretary's «Итоги» may make the year
look over, and a corrected workbook then show a pair still at work (play17: a pair forgotten
in «Пары», an end date typed in the past): the report's draft, unsigned by the director, is
withdrawn — superseded, with a ledger event (:data:`~service.register.labels.NOT_DUE_EVENT`)
— and the workbook's report says so. A report the director signed stays as signed (and
follows the register as every document does); the report is made again, as a new version,
once the year is over. The batch and the dry run (in its rolled-back session) alike call
:func:`withdraw_not_due`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.documents.not_due import NotDue
from service.intake.model import IntakeReport
from service.register.batches import withdraw_not_due as withdraw_drafts
from service.register.events import NewEvent, record_events
from service.register.labels import NOT_DUE_EVENT

SHEET = "Пары"
"""The sheet the warning is given on: a pair at work again is a pair of «Пары» (added, or its
end moved)."""


def withdraw_not_due(
    session: Session,
    items: list[NotDue],
    report: IntakeReport,
    actor: str,
    batch_id: int | None,
    record: bool = True,
) -> int:
    """Withdraw the drafts of ``items``, record a ledger event for each (unless not to
    ``record``: the dry run) and warn of each in ``report``; how many were withdrawn."""
    events = []
    for item in items:
        for draft_id, version in withdraw_drafts(
            session, item.kind, item.subject_key, item.school_year
        ):
            details = {
                "kind": item.kind,
                "title": item.title,
                "subject": item.subject_label,
                "version": version,
                "school_year": item.school_year,
                "waiting": item.waiting,
            }
            events.append(NewEvent(NOT_DUE_EVENT, actor, batch_id, draft_id, details))
            report.add(SHEET, None, None, item.note(version), warning=True)
    if events and record:
        record_events(session, events)
    return len(events)
