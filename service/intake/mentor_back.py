"""A workbook naming a pair's mentor who was replaced in this term (docs/intake.md, «Замена
наставника»): the mentor changes back. The September workbook sent again in June (found in the
secretary's downloads) put back the mentor a January workbook had replaced, and the batch said
only «У пары «П-03» меняется наставник: была Кузьмина Ольга Петровна» — as if it were a new
replacement (left22).

A workbook saved before the day the register learnt of the replacement (its properties'
«modified», which Excel and LibreOffice write on each save) is an old one: refused, naming both
days. Saved after it, or not saying when, it may be a real return of the mentor: taken, with a
warning that says plainly that the mentor changes back and how to undo it if the workbook is an
old one."""

from __future__ import annotations

from datetime import UTC, date, datetime

from service.intake.problems import day_text as _d
from service.intake.wording import agree


def saved_day(saved_at: datetime | None) -> date | None:
    """The day (on this server's clock, as the register dates a replacement) a workbook was
    last saved, from its properties' «modified» (openpyxl reads it in UTC, without a zone)."""
    if saved_at is None:
        return None
    moment = saved_at if saved_at.tzinfo is not None else saved_at.replace(tzinfo=UTC)
    return moment.astimezone().date()


def mentor_back(
    code: str, named: str, current: str, replaced_on: date, saved_on: date | None
) -> tuple[str, bool]:
    """What to say of pair ``code`` given back its mentor ``named``, whom ``current`` replaced
    on ``replaced_on``, by a workbook saved on ``saved_on``; and whether it is an error (the
    workbook saved before the replacement)."""
    before = agree(named, "прежний", "прежняя", "прежний")
    if saved_on is not None and saved_on < replaced_on:
        return (
            f"Книга сохранена {_d(saved_on)} — раньше, чем реестр узнал о замене наставника "
            f"пары «{code}» ({_d(replaced_on)}: наставник — {current}, {before} — {named}), и "
            f"вернула бы паре прежнего наставника. Похоже, это старая книга: передайте книгу с "
            f"нынешними данными. Если {named} действительно снова наставник пары, укажите это "
            f"в книге, сохранённой после {_d(replaced_on)} (например, в новой, с одним листом "
            "«Пары»)."
        ), True
    saved = f" Книга сохранена {_d(saved_on)}." if saved_on is not None else ""
    whom = agree(named, "которого", "которую", "которого")
    replaced = agree(current, "заменил", "заменила", "заменил(а)")
    return (
        f"У пары «{code}» наставник меняется обратно: снова {named}, {whom} {_d(replaced_on)} "
        f"{replaced} {current}.{saved} Если это старая книга, переданная по ошибке, "
        f"передайте книгу, где наставник пары — {current}. Пара остаётся той же (тот же код); "
        "её программа и приказ об утверждении пар составляются заново, новыми версиями — "
        "подписанные версии остаются как были."
    ), False
