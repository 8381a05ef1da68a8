"""A pair's mentor replaced in January, put back by the September workbook sent again in June
(left22: the secretary found it in her downloads). The batch said only «У пары «П-01» меняется
наставник: была Кузьмина Ольга Петровна», as for a new replacement, and the pair's programme,
the order and the consent were made again for the mentor replaced. A workbook saved before the
replacement is refused, naming both days; one saved after it is taken, told plainly that the
mentor changes back (service/intake/mentor_back.py)."""

from __future__ import annotations

import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from service.intake.problems import day_text
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Pair
from tests.test_mentor_replaced import _begun_and_replaced
from tests.workbooks import write_workbook


def saved_on(path: Path, day: date) -> Path:
    """``path`` as Excel leaves a workbook last saved on ``day`` (its properties' «modified»)."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    core = parts["docProps/core.xml"].decode()
    core, found = re.subn(
        r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
        rf"\g<1>{day:%Y-%m-%d}T09:30:00Z\g<2>",
        core,
    )
    assert found == 1, core
    parts["docProps/core.xml"] = core.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def mentor_of(settings, code: str) -> str:
    with session_scope(settings.database_url) as s:
        return s.scalars(select(Pair).where(Pair.code == code)).one().mentor.full_name


def test_the_september_workbook_sent_again_does_not_put_back_the_replaced_mentor(
    settings, tmp_path
):
    today = date.today()
    _start, _end, pairs = _begun_and_replaced(settings, tmp_path)  # П-01: Петрова
    replaced = process_workbook(settings, write_workbook(tmp_path / "Январь.xlsx", {"Пары": pairs}))
    assert replaced.outcome == Outcome.DONE, replaced.message
    assert mentor_of(settings, "П-01") == "Кузьмина Ольга Петровна"
    back = [list(pairs[0]), list(pairs[1])]
    back[1][1] = "Петрова Анна Сергеевна"  # the September row, as it was

    # the September copy, last saved before the replacement: refused, nothing changes
    september = today - timedelta(days=100)
    old = saved_on(write_workbook(tmp_path / "Сентябрь (1).xlsx", {"Пары": back}), september)
    refused = process_workbook(settings, old)
    assert refused.outcome == Outcome.REJECTED, refused.message
    assert [(p.sheet, p.row, p.column, p.severity, p.message) for p in refused.report.problems] == [
        (
            "Пары",
            2,
            "Наставник",
            "error",
            f"Книга сохранена {day_text(september)} — раньше замены наставника пары «П-01»: "
            f"Петрова Анна Сергеевна — наставник пары до {day_text(today)}, сейчас — Кузьмина "
            "Ольга Петровна. Книга вернула бы паре прежнего наставника. Похоже, это старая "
            "книга: передайте книгу с нынешними данными. Если Петрова Анна Сергеевна "
            "действительно снова наставник пары, укажите это в книге, сохранённой после "
            f"{day_text(today)} (например, в новой, с одним листом «Пары»).",
        )
    ]
    assert mentor_of(settings, "П-01") == "Кузьмина Ольга Петровна"

    # saved since: she may really come back; taken, told plainly that the mentor changes back
    again = process_workbook(settings, write_workbook(tmp_path / "Июнь.xlsx", {"Пары": back}))
    assert again.outcome == Outcome.DONE, again.message
    assert [(p.sheet, p.row, p.column, p.severity, p.message) for p in again.report.problems] == [
        (
            "Пары",
            2,
            "Наставник",
            "warning",
            "У пары «П-01» наставник меняется обратно: снова Петрова Анна Сергеевна, "
            f"наставник пары до {day_text(today)} (сейчас — Кузьмина Ольга Петровна). Книга "
            f"сохранена {day_text(today)}. Если это старая книга, переданная по ошибке, "
            "передайте книгу, где наставник пары — Кузьмина Ольга Петровна. Пара остаётся той "
            "же (тот же код); её программа и приказ об утверждении пар составляются заново, "
            "новыми версиями — подписанные версии остаются как были.",
        )
    ]
    assert mentor_of(settings, "П-01") == "Петрова Анна Сергеевна"
