"""The documents that name a pair whose mentor was replaced within its term tell who led it
when (replaced22: the pair's report named only Кузьмина for the pair's whole term, «с <its
start>», while her signed programme ran from the day she took over; the order on pairs made
again with the replacement approved her for the whole term too)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from service.archive.packs import pair_pack
from service.documents.text import docx_text
from service.pipeline import process_workbook
from service.register.db import session_scope
from service.register.models import Document, Organization, Pair
from service.store import FileStore
from tests.archive_school import CURATOR_PASSWORD
from tests.signing_calls import attach_scan, sign_documents
from tests.test_mentor_replaced import _begun_and_replaced, _d
from tests.test_reverted_content import SCAN
from tests.test_signing_workflow import CA_PASSWORD, DIRECTOR_PASSWORD, ORG, director_key
from tests.test_year_results import RESULT_HEADER
from tests.web_school import issue_key
from tests.workbooks import write_workbook

RESULTS = [RESULT_HEADER, ["П-01", "завершена", None, "Проведено 8 встреч"]]


def _text(done, kind: str) -> str:
    entry = next(e for e in done.entries if e.kind == kind)
    return docx_text(done.folder / entry.file).replace("\xa0", " ")


def _row(text: str, first: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(first))


def test_the_pair_s_documents_name_the_mentor_replaced_and_since_when(settings, tmp_path):
    today = date.today()
    start, end, pairs = _begun_and_replaced(settings, tmp_path)  # Петрова, then Кузьмина
    replaced = process_workbook(settings, write_workbook(tmp_path / "Замена.xlsx", {"Пары": pairs}))
    assert replaced.outcome == "done", replaced.message
    # the order on pairs made again approved Кузьмина for the pair's whole term
    assert _row(_text(replaced, "order_pairs"), "П-01 |") == (
        f"П-01 | Кузьмина Ольга Петровна (учитель истории), с {today:%d.%m.%Y}; до этого — "
        "Петрова Анна Сергеевна (учитель математики) | Смирнов Илья Олегович (учитель истории) "
        "| «Учитель – учитель»; вид: традиционная "
        f"| с {start:%d.%m.%Y} по {end:%d.%m.%Y} (8 месяцев)"
    )
    # her programme is hers, from the day she took over: it names her alone
    program = _text(replaced, "program")
    assert _row(program, "Наставник |") == "Наставник | Кузьмина Ольга Петровна (учитель истории)"

    ended = process_workbook(settings, write_workbook(tmp_path / "Итоги.xlsx", {"Итоги": RESULTS}))
    assert ended.outcome == "done", ended.message
    report = _text(ended, "report_pair")
    assert _row(report, "Наставник |") == (
        f"Наставник | Кузьмина Ольга Петровна (учитель истории), с {_d(today)}; до этого — "
        "Петрова Анна Сергеевна (учитель математики)"
    )
    assert _row(report, "Срок реализации |").startswith(f"Срок реализации | с {_d(start)} по ")
    final = _text(ended, "report_final")
    assert _row(final, "П-01, ") == (
        f"П-01, «Учитель – учитель» | Кузьмина О.П. (с {today:%d.%m.%Y}; ранее — Петрова А.С.) "
        "| Смирнов И.О. | Завершена | Проведено 8 встреч"
    )


def test_what_was_signed_before_the_release_stays_signed(settings, tmp_path, monkeypatch):
    """The order on pairs and the pair's report an earlier release made (naming Кузьмина
    alone: emulated by switching the replaced mentors off), signed: the next workbook, changing
    nothing they print, does not send them back for signatures for the release's new words."""
    _start, _end, pairs = _begun_and_replaced(settings, tmp_path)
    with monkeypatch.context() as earlier_release:
        for where in ("planning", "pairs_order", "replacement"):
            earlier_release.setattr(
                f"service.documents.{where}.with_mentors", lambda shown, _pair: shown
            )
        made = process_workbook(settings, write_workbook(tmp_path / "1.xlsx", {"Пары": pairs}))
        ended = process_workbook(settings, write_workbook(tmp_path / "2.xlsx", {"Итоги": RESULTS}))
    assert (made.outcome, ended.outcome) == ("done", "done"), (made.message, ended.message)
    assert "до этого" not in _text(made, "order_pairs") + _text(ended, "report_pair")
    director_key(settings)
    issue_key(settings, "curator", "Бутрина Ольга Николаевна", "Заместитель директора",
              "curator", CURATOR_PASSWORD, ca_password=CA_PASSWORD, org=ORG)  # fmt: skip
    with session_scope(settings.database_url) as s:
        signed = {
            d.kind: (d.id, d.version)
            for d in s.scalars(select(Document).where(Document.status != "superseded"))
            if d.kind in ("order_pairs", "report_pair")
        }
    [order] = sign_documents(settings, "director", [signed["order_pairs"][0]], DIRECTOR_PASSWORD)
    [report] = sign_documents(settings, "curator", [signed["report_pair"][0]], CURATOR_PASSWORD)
    assert order.ok and report.ok, (order.message, report.message)
    attach_scan(settings, signed["report_pair"][0], SCAN)  # the mentor's, on paper

    # the same «Итоги» again: the order and the report stand as signed; the final report,
    # not signed yet, is made again with the new words
    again = process_workbook(settings, write_workbook(tmp_path / "3.xlsx", {"Итоги": RESULTS}))
    assert again.outcome == "done", again.message
    assert [e.kind for e in again.entries] == ["report_final"]
    assert "(с " in _row(_text(again, "report_final"), "П-01, ")
    with session_scope(settings.database_url) as s:
        for kind in ("order_pairs", "report_pair"):
            now = s.get(Document, signed[kind][0])
            assert (now.version, now.status) == (signed[kind][1], "signed"), kind
    # a change the report prints makes its new version, which names both mentors
    results = [[*RESULT_HEADER, "Выводы"], [*RESULTS[1], "Наставляемый освоил методику"]]
    later = process_workbook(settings, write_workbook(tmp_path / "4.xlsx", {"Итоги": results}))
    assert later.outcome == "done", later.message
    assert "до этого — Петрова Анна Сергеевна" in _text(later, "report_pair")
    assert "order_pairs" not in {e.kind for e in later.entries}


def test_the_pair_s_pack_has_the_programme_the_replaced_mentor_signed(settings, tmp_path):
    """The pack of the pair held Кузьмина's programme alone, from the day she took over, beside
    a report of the pair's whole term naming Петрова: the programme Петрова signed, in force
    until then, was in no pack (the pair's own, or its school year's)."""
    _start, _end, pairs = _begun_and_replaced(settings, tmp_path)
    director_key(settings)
    issue_key(settings, "curator", "Бутрина Ольга Николаевна", "Заместитель директора",
              "curator", CURATOR_PASSWORD, ca_password=CA_PASSWORD, org=ORG)  # fmt: skip

    def sign_the_programme() -> None:
        with session_scope(settings.database_url) as s:
            programme = s.scalars(
                select(Document.id).where(Document.kind == "program").order_by(Document.id.desc())
            ).first()
        attach_scan(settings, programme, SCAN)  # the mentor's and the mentee's, on paper
        for login, password in (("director", DIRECTOR_PASSWORD), ("curator", CURATOR_PASSWORD)):
            [done] = sign_documents(settings, login, [programme], password)
            assert done.ok, done.message

    sign_the_programme()  # Петрова's
    replaced = process_workbook(settings, write_workbook(tmp_path / "Замена.xlsx", {"Пары": pairs}))
    assert replaced.outcome == "done", replaced.message
    sign_the_programme()  # Кузьмина's
    with session_scope(settings.database_url) as s:
        pair = s.scalars(select(Pair).where(Pair.code == "П-01")).one()
        year = s.scalars(select(Organization.school_year)).one()
        store = FileStore(settings.store_dir)
        packs = [
            pair_pack(s, store, settings.var, pair.id),
            pair_pack(s, store, settings.var, pair.id, year),
        ]
    for pack in packs:
        programmes = [m for m in pack.members if m.startswith("Персонализированная")]
        assert programmes == [
            "Персонализированная программа наставничества — П-01 (Петрова А.С.).docx",
            "Персонализированная программа наставничества — П-01 (Петрова А.С.).docx.director.p7s",
            "Персонализированная программа наставничества — П-01 (Петрова А.С.).docx.curator.p7s",
            "Персонализированная программа наставничества — П-01 (Петрова А.С.) — скан.pdf",
            "Персонализированная программа наставничества — П-01 (Кузьмина О.П.).docx",
            "Персонализированная программа наставничества — П-01 (Кузьмина О.П.).docx.director.p7s",
            "Персонализированная программа наставничества — П-01 (Кузьмина О.П.).docx.curator.p7s",
            "Персонализированная программа наставничества — П-01 (Кузьмина О.П.) — скан.pdf",
        ], pack.members
        inventory = load_workbook(io.BytesIO(zipfile.ZipFile(pack.path).read("Опись.xlsx"))).active
        rows = [r[1:4] for r in inventory.iter_rows(min_row=3, values_only=True)]
        assert [r for r in rows if r[0].startswith("Персонализированная")] == [
            ("Персонализированная программа наставничества", "П-01", 1),
            ("Персонализированная программа наставничества", "П-01", 2),
        ]


def test_the_pair_card_names_the_mentor_replaced(settings, tmp_path):
    """The curator's card of the pair named Кузьмина alone, «Срок с <the pair's start>»."""
    from service.web import create_app
    from tests.test_director_change import texts
    from tests.web_school import login, make_users, password_of

    today = date.today()
    _start, _end, pairs = _begun_and_replaced(settings, tmp_path)
    replaced = process_workbook(settings, write_workbook(tmp_path / "Замена.xlsx", {"Пары": pairs}))
    assert replaced.outcome == "done", replaced.message
    make_users(settings)
    client = create_app(settings, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "curator", password_of("curator"))
    with session_scope(settings.database_url) as s:
        pair = s.scalars(select(Pair).where(Pair.code == "П-01")).one().id
    page = texts(client.get(f"/curator/pairs/{pair}"))
    assert re.search(r"Наставник (.*?) Наставляемый", page).group(1) == (
        f"Кузьмина Ольга Петровна, учитель истории, с\xa0{_d(today)}; до этого — Петрова Анна "
        "Сергеевна"
    )


@pytest.mark.postgresql
def test_a_report_the_new_template_prints_the_same_is_not_made_again(settings, tmp_path):
    """The release changed three shipped templates (the mentor's row above); the next workbook
    made every unsigned report of every pair again — a mentor's report being signed on paper
    lost its version («заменён новой версией» for its scan) — though a pair with no
    replacement printed the same. Emulated: the report made with the template before this
    release (the shipped one without the replaced mentors, installed as the school's), then
    the shipped one back: the report stands; one whose words change is made again."""
    from service.documents.template_files import install_template, reset_template
    from service.documents.text import docx_text as text_of
    from tests.test_template_versions import resaved, with_document_xml

    shipped = (Path(__file__).parent.parent / "templates_docx" / "report_pair.docx").read_bytes()
    block = re.compile(
        rb"\{% if pair\.replaced_mentors is defined.*?\{% endfor %\}\{% endif %\}", re.S
    )
    before = with_document_xml(shipped, lambda xml: block.sub(b"", xml, count=1))
    assert "replaced_mentors" in text_of(shipped) and "replaced_mentors" not in text_of(before)
    _begun_and_replaced(settings, tmp_path)  # П-01 with Петрова, no replacement processed
    with session_scope(settings.database_url) as s:
        assert install_template(s, settings, "report_pair", before, actor="admin") == []
    made = process_workbook(settings, write_workbook(tmp_path / "1.xlsx", {"Итоги": RESULTS}))
    assert [e.kind for e in made.entries] == ["report_pair", "report_final"], made.message
    with session_scope(settings.database_url) as s:
        assert reset_template(s, settings, "report_pair", actor="admin")

    again = process_workbook(settings, resaved(tmp_path / "1.xlsx", tmp_path / "again"))
    assert again.outcome == "done" and again.entries == [], again.message
    results = [[*RESULT_HEADER, "Выводы"], [*RESULTS[1], "Наставляемый освоил методику"]]
    later = process_workbook(settings, write_workbook(tmp_path / "3.xlsx", {"Итоги": results}))
    assert [(e.kind, e.version) for e in later.entries] == [("report_pair", 2)], later.message
