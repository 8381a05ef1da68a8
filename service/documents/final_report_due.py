"""When the year's final report is made: once no pair of the school year is still at work
without its «Итоги»; the pairs it waits for until then, and the warning naming them; a report
made and no longer due (a corrected workbook shows the year not over). The rules are
:class:`FinalReportDue`'s, which the register planning reads
(:class:`~service.documents.planning.Register`) is."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from service.documents.statistics import EARLY
from service.register import models as m
from service.register.programme import Programme


class FinalReportDue(Programme):
    """The final report's due rules over the register's programme, judged on :attr:`today`
    for :attr:`pairs` of this school year (both are :class:`~service.documents.planning.
    Register`'s: it keeps this year's pairs and is planned for the batch's day)."""

    today: date
    """The day the register is planned for (a field of :class:`~service.documents.planning.
    Register`)."""

    def final_report_due(self) -> bool:
        """Whether this school year's final report is made. It is the year's: the Программа
        of seed 001 (§7, «Завершение программы наставничества») has «1. Подведение итогов работы
        каждой пары/группы. 2. Подведение итогов программы школы», and the curator «формирует
        итоговый аналитический отчет о реализации системы наставничества» (seed 000 §3). So it
        is made once no pair of the year is still at work without its «Итоги» (:meth:`over`).
        A row in January (a pair ended early) makes that pair's report only; the director and
        the curator sign the year's report once. A report made follows the register as any
        document does while the year is over; when a corrected workbook shows a pair still at
        work (a pair forgotten in «Пары», an end typed in the past), the report is not made
        until the year is over again: a draft the director has not signed leaves her queue
        (:meth:`final_report_withdrawn`; play17 found it waiting for her signature), a report
        she signed stays in force as signed, and the year's next version is made once every
        pair is in."""
        return not self.awaited()

    def final_report_withdrawn(self) -> bool:
        """Whether this year's final report was made and is no longer due
        (:meth:`final_report_due`): its drafts the director has not signed are to leave her
        queue (:mod:`service.withdrawn`)."""
        return (
            self.final_report is not None
            and _school_year_of(self.final_report) == self.org.school_year
            and not self.final_report_due()
        )

    def over(self, pair: m.Pair) -> bool:
        """Whether ``pair``, without «Итоги», is no longer at work for the final report: its
        «Дата окончания» passed before :attr:`today` (the batch's day) while the register kept
        it. A pair entered after its end (a past year played late: September's workbook given
        in December of the next year) says nothing by its end having passed — the workbooks of
        its year are still coming; its year's «Итоги» tell of the year up to the latest end of
        a pair they report not ended early, and a pair that ran no longer than that one and has
        no row is over. January's row of a pair ended early made the year's report at once, and
        May's «Итоги» of the other made it again, for the director to sign twice."""
        if pair.end >= self.today:
            return False
        since = self.listed_since.get(pair.code)
        if since is not None and since <= pair.end:
            return True
        return any(
            (result := self.results.get(p.id)) is not None
            and result.status != EARLY
            and p.end >= pair.end
            for p in self.pairs
        )

    def awaited(self) -> list[m.Pair]:
        """This school year's pairs at work without their «Итоги»."""
        return [p for p in self.pairs if p.id not in self.results and not self.over(p)]

    def final_report_waiting(self) -> list[str]:
        """The pairs the year's final report still waits for when the year has «Итоги» but
        the report is not due (:meth:`final_report_due`): «П-07 (по 28.05.2027)» for each pair
        at work without its row. Found by play11: a May workbook with «Итоги» of six pairs of
        seven made no final report, and nothing said why."""
        if not self.year_results or self.final_report_due():
            return []
        return [f"{p.code} (по {p.end:%d.%m.%Y})" for p in self.awaited()]

    def entered_late(self) -> bool:
        """Whether a pair the final report waits for ended before :attr:`today` (its year was
        entered after it ended, :meth:`over`)."""
        return any(p.end < self.today for p in self.awaited())

    @property
    def year_results(self) -> dict[int, Any]:
        """The results of this school year's pairs, by pair id."""
        return {p.id: self.results[p.id] for p in self.pairs if p.id in self.results}


def _school_year_of(context: str) -> str | None:
    """The school year a stored context (canonical JSON) was made for."""
    return json.loads(context).get("org", {}).get("school_year")


def final_report_note(waiting: list[str], school_year: str, late: bool = False) -> str:
    """The warning of a workbook whose «Итоги» left the year's final report not made yet;
    ``late``: a pair waited for ended before the batch (its year entered after it ended)."""
    pairs = ("у пары " if len(waiting) == 1 else "у пар ") + ", ".join(waiting)
    rule = (
        "Учебный год внесён после его окончания, и отчёт ждёт «Итоги» каждой пары, работавшей "
        "дольше пар, чьи «Итоги» уже даны"
        if late
        else "Он составляется, когда «Итоги» есть у каждой пары учебного года или её срок истёк"
    )
    return (
        f"Итоговый аналитический отчёт за {school_year} учебный год пока не составлен: «Итогов» "
        f"нет {pairs}. {rule}, — дайте их в следующей книге."
    )
