"""A document the register made and no longer makes: the year's final report made as a draft,
then a corrected workbook under which the year is not over (play17). Planning names it
(:func:`~service.documents.planning.plan_documents`); the batch withdraws its drafts
(:mod:`service.withdrawn`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from service.documents.catalogue import BY_ID

if TYPE_CHECKING:
    from service.documents.planning import Register


@dataclass
class NotDue:
    """A document the register made and no longer makes, whose drafts are to be withdrawn
    (:func:`~service.register.batches.withdraw_not_due`): the year's final report."""

    kind: str
    subject_key: str
    school_year: str
    title: str
    subject_label: str
    waiting: list[str]
    """The pairs the report waits for, as :meth:`Register.final_report_waiting` names them."""

    def note(self, version: int) -> str:
        """The warning of its draft ``version`` withdrawn."""
        pairs = ("у пары " if len(self.waiting) == 1 else "у пар ") + ", ".join(self.waiting)
        return (
            f"{self.title} за {self.school_year} учебный год (версия {version}, директор её не "
            f"подписал) отозван из очереди на подпись: учебный год ещё не завершён — «Итогов» "
            f"нет {pairs}. Отчёт будет составлен снова, когда «Итоги» будут у каждой пары "
            "учебного года или её срок истечёт."
        )


def final_report_not_due(register: Register) -> NotDue:
    """The year's final report of ``register``, with the pairs it waits for."""
    kind = BY_ID["report_final"]
    waiting = [f"{p.code} (по {p.end:%d.%m.%Y})" for p in register.awaited()]
    year, label = register.org.school_year, register.org.short_name
    return NotDue(kind.id, "organization", year, kind.title, label, waiting)
