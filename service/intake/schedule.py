"""The mentors' training schedule as a whole: «Обучение наставников» of a workbook is the
whole schedule of its school year, put in place of the register's (the order on training lists
its sessions and their hours). A sheet naming none of the sessions of its year already held —
the one forgotten session sent alone in May — would leave the order only that one: refused."""

from __future__ import annotations

from datetime import date

from service.intake.lookup import RegisterLookup
from service.intake.model import IntakeReport
from service.intake.normalise import header_key
from service.intake.problems import cell_error, day_text
from service.intake.sheets import Record
from service.intake.years import school_year


def check_whole_schedule(
    trainings: list[Record], report: IntakeReport, own: RegisterLookup | None
) -> None:
    """Refuse a «Обучение наставников» sheet that keeps none of the register's sessions of its
    school year, by date or by topic, and has fewer sessions than it. One that keeps some, or
    lists as many (the schedule corrected, a session moved or dropped, a year's only session
    retyped), is taken with a warning naming the sessions it drops (play17: last year's October
    workbook sent again left one session of four, and nothing said so)."""
    days = {t.get("date") for t in trainings if isinstance(t.get("date"), date)}
    if own is None or not days:
        return
    years = {school_year(day) for day in days}
    held = sorted(x for x in own.trainings() if school_year(x[0]) in years)
    topics = {header_key(t.get("topic")) for t in trainings if t.get("topic")}
    dropped = [x for x in held if x[0] not in days and header_key(x[1]) not in topics]
    if not dropped:
        return
    first = min(years)
    if len(dropped) < len(held) or len(trainings) >= len(held):
        # the schedule corrected: a session moved or dropped, or every session retyped (a
        # year's only session wrong in both date and topic) — not one forgotten sent alone
        one = len(dropped) == 1
        cell_error(
            report,
            trainings[0],
            "topic",
            f"Лист «Обучение наставников» — весь график обучения {first}–{first + 1} учебного "
            f"года: {'занятие, внесённое' if one else 'занятия, внесённые'} раньше и не "
            f"{'указанное' if one else 'указанные'} на листе, из графика "
            f"{'удалено' if one else 'удалены'} — {_listed(dropped)}. Если "
            f"{'его' if one else 'их'} не отменяли, перечислите на листе и "
            f"{'его' if one else 'их'}.",
            warning=True,
        )
        return
    cell_error(
        report,
        trainings[0],
        "topic",
        f"Лист «Обучение наставников» — весь график обучения {first}–{first + 1} учебного года: "
        "принятый, он заменил бы собой занятия, уже внесённые в реестр, а их на листе нет — "
        f"{_listed(held)}. Приказ об обучении назвал бы только занятия этого листа. Перечислите на "
        "листе все занятия года: и прежние, и новые.",
    )


def _listed(sessions: list[tuple[date, str, float]]) -> str:
    """«15.10.2023 «Введение» (4 ч), 29.10.2023 «Психология» (2 ч)»."""
    return ", ".join(
        f"{day_text(day)} «{topic}» ({_hours(hours)} ч)" for day, topic, hours in sessions
    )


def _hours(hours: float) -> str:
    """4.0 → «4», 1.5 → «1,5»."""
    return f"{hours:g}".replace(".", ",")
