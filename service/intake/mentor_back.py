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
    """What to say of pair ``code`` given back its mentor ``named``, replaced on
    ``replaced_on`` (``current``: its mentor now, who may be a later one), by a workbook saved
    on ``saved_on``; and whether it is an error (the workbook saved before the replacement)."""
    was = f"{named} — наставник пары до {_d(replaced_on)}, сейчас — {current}"
    if saved_on is not None and saved_on < replaced_on:
        return (
            f"Книга сохранена {_d(saved_on)} — раньше замены наставника пары «{code}»: {was}. "
            "Книга вернула бы паре прежнего наставника. Похоже, это старая книга: передайте "
            f"книгу с нынешними данными. Если {named} действительно снова наставник пары, "
            f"укажите это в книге, сохранённой после {_d(replaced_on)} (например, в новой, с "
            "одним листом «Пары»)."
        ), True
    saved = f" Книга сохранена {_d(saved_on)}." if saved_on is not None else ""
    return (
        f"У пары «{code}» наставник меняется обратно: снова {named}, наставник пары до "
        f"{_d(replaced_on)} (сейчас — {current}).{saved} Если это старая книга, переданная по "
        f"ошибке, передайте книгу, где наставник пары — {current}. Пара остаётся той же (тот "
        "же код); её программа и приказ об утверждении пар составляются заново, новыми "
        "версиями — подписанные версии остаются как были."
    ), False
