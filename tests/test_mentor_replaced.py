"""A pair's mentor replaced during its term (docs/intake.md, «Замена наставника»): the new
mentor's programme runs from the day the change was taken, not from the pair's start, and does
not give her the plan's past items to do."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from service.documents.text import docx_text
from service.pipeline import process_workbook
from service.register.db import session_scope
from service.register.models import Document
from service.store import FileStore
from tests.archive_school import CURATOR_PASSWORD
from tests.signing_calls import attach_scan, sign_documents
from tests.test_reverted_content import SCAN
from tests.test_signing_workflow import CA_PASSWORD, DIRECTOR_PASSWORD, ORG, director_key
from tests.test_year_results import RESULT_HEADER
from tests.web_school import issue_key
from tests.workbooks import MENTOR_HEADER, organization_rows, valid_sheets, write_workbook

MONTHS = "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь"


def _d(day: date) -> str:
    months = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
    return f"{day:%d} {months.split()[day.month - 1]} {day.year} г."


def _begun_and_replaced(settings, tmp_path) -> tuple[date, date, list[list]]:
    """П-01 begun some forty days ago with Петрова (its plan's first items past), processed;
    its start, its end and the «Пары» sheet giving it Кузьмина instead."""
    today = date.today()
    year = today.year if today.month >= 9 else today.year - 1
    start = max(today - timedelta(days=40), date(year, 9, 1))
    if start == today:
        pytest.skip("on 1 September a pair of this school year cannot have begun before today")
    end = start + timedelta(days=240)
    past_month = f"{MONTHS.split()[start.month - 1]} {start.year}"
    sheets = valid_sheets()
    sheets["Организация"] = organization_rows(**{"Учебный год": f"{year}–{year + 1}"})
    sheets["Наставники"] = [
        MENTOR_HEADER,
        ["Н-01", "Петрова Анна Сергеевна", date(1980, 3, 14), "педагог", "учитель математики",
         None, "нет", None, None],
        ["Н-02", "Кузьмина Ольга Петровна", date(1975, 6, 2), "педагог", "учитель истории",
         None, "нет", None, None],
    ]  # fmt: skip
    sheets["Пары"][1][5:7] = [start, end]
    sheets["План"] = [
        ["Код пары", "Мероприятие", "Срок"],
        ["П-01", "Знакомство с наставляемым", start],
        ["П-01", "Анкетирование на входе", past_month],
        ["П-01", "Консультации по запросу", "в течение года"],
        ["П-01", "Открытый урок наставляемого", end - timedelta(days=14)],
    ]
    first = process_workbook(settings, write_workbook(tmp_path / "Начало.xlsx", sheets))
    assert first.outcome == "done", first.message
    pairs = [list(sheets["Пары"][0]), list(sheets["Пары"][1])]
    pairs[1][1] = "Кузьмина Ольга Петровна"
    return start, end, pairs


def test_a_replacing_mentor_s_programme_runs_from_the_change(settings, tmp_path):
    """П-01 began some forty days ago with Петрова; today's workbook gives it Кузьмина. Her
    programme said «на период с <the pair's start>» and listed the first meeting, long past, as
    hers to hold: it runs from today, with the plan's items still to come, numbered again."""
    today = date.today()
    start, end, pairs = _begun_and_replaced(settings, tmp_path)
    done = process_workbook(settings, write_workbook(tmp_path / "Замена.xlsx", {"Пары": pairs}))
    assert done.outcome == "done", done.message
    program = docx_text(
        done.folder
        / next(e.file for e in done.entries if (e.kind, e.subject) == ("program", "П-01"))
    ).replace("\xa0", " ")
    assert f"на период с {_d(today)} по {_d(end)}" in program
    assert f"Срок реализации | с {_d(today)} по {_d(end)} — " in program
    plan = program[program.index("4. План мероприятий") :].splitlines()[2:4]
    assert plan == [
        "1 | Консультации по запросу | в течение года |  |  | ",
        f"2 | Открытый урок наставляемого | {_d(end - timedelta(days=14))} |  |  | ",
    ]
    assert "Знакомство" not in program and "Анкетирование" not in program
    assert "Кузьмина Ольга Петровна" in program
    # her consent to mentor names the term of her programme, not the pair's from its start
    consent = docx_text(
        done.folder
        / next(
            e.file
            for e in done.entries
            if (e.kind, e.subject) == ("mentor_consent", "Кузьмина Ольга Петровна")
        )
    ).replace("\xa0", " ")
    assert f"программы наставничества с {_d(today)} по {_d(end)}" in consent
    assert _d(start) not in consent


def test_a_pair_that_ended_keeps_its_signed_programme(settings, tmp_path, monkeypatch):
    """play21: П-01's mentor replaced before this release (its programme then printed the
    pair's whole term — emulated here by switching off the change's date), that programme
    signed, and then П-01's «Итоги» in: the next workbook made the programme again, from the
    change, and sent a finished pair's programme back for signatures. It keeps the signed one."""
    start, end, pairs = _begun_and_replaced(settings, tmp_path)
    with monkeypatch.context() as earlier_release:
        earlier_release.setattr("service.documents.planning.replaced_on", lambda _pair: None)
        done = process_workbook(settings, write_workbook(tmp_path / "Замена.xlsx", {"Пары": pairs}))
    assert done.outcome == "done", done.message
    with session_scope(settings.database_url) as s:
        program = s.scalars(
            select(Document)
            .where(Document.kind == "program", Document.status != "superseded")
            .order_by(Document.version.desc())
        ).first()
        signed = (program.id, program.version)
    attach_scan(settings, program.id, SCAN)  # the mentor's and the mentee's, on paper
    director_key(settings)
    issue_key(settings, "curator", "Бутрина Ольга Николаевна", "Заместитель директора",
              "curator", CURATOR_PASSWORD, ca_password=CA_PASSWORD, org=ORG)  # fmt: skip
    for login, password in (("director", DIRECTOR_PASSWORD), ("curator", CURATOR_PASSWORD)):
        [done] = sign_documents(settings, login, [program.id], password)
        assert done.ok, done.message
    results = [RESULT_HEADER, ["П-01", "завершена", None, "Проведено 8 встреч"]]
    ended = process_workbook(settings, write_workbook(tmp_path / "Итоги.xlsx", {"Итоги": results}))
    assert ended.outcome == "done", ended.message
    made = {e.kind for e in ended.entries}
    assert "program" not in made and "mentor_consent" not in made, made  # her consent too
    with session_scope(settings.database_url) as s:
        current = s.scalars(
            select(Document)
            .where(Document.kind == "program", Document.status != "superseded")
            .order_by(Document.version.desc())
        ).first()
        assert (current.id, current.version, current.status) == (*signed, "signed")
    text = docx_text(FileStore(settings.store_dir).get(current.sha256)).replace("\xa0", " ")
    assert f"на период с {_d(start)} по {_d(end)}" in text
    assert "Кузьмина Ольга Петровна" in text
