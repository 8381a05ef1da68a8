"""A pair across the school year's boundary, as the register keeps it: a pair continued next
September under its code keeps last year's plan and «Итоги» in the register (its page shows
them under last year) and nothing of them in the new term's documents; a code reused next year
for another mentor and other mentees is refused, saying how to number the new pair.

Each case is two or three small workbooks (tests/workbooks.valid_sheets: one pair) over a
fresh register, the domain called directly."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from service.archive.section12 import year_of
from service.documents.text import docx_text
from service.intake.reader import read_workbook
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.lookup import RegisterLookup
from service.register.models import Document, Organization, Pair
from service.register.terms import earlier_terms
from service.web import create_app
from tests.web_school import login, make_users
from tests.workbooks import (
    MENTEE_HEADER,
    MENTOR_HEADER,
    PAIR_HEADER,
    organization_rows,
    valid_sheets,
    write_workbook,
)

PLAN_HEADER = ["Код пары", "Мероприятие", "Срок", "Ответственный"]
RESULT_HEADER = ["Код пары", "Статус", "Причина", "Достигнутые результаты"]
NEXT_YEAR = organization_rows(**{"Учебный год": "2024–2025"})


def texts_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def first_year(settings, tmp_path) -> None:
    """2023–2024: П-01 (Петрова — Смирнов, 01.10.2023 – 31.05.2024), its plan and «Итоги»."""
    sheets = valid_sheets()
    sheets["План"] = [
        PLAN_HEADER,
        ["П-01", "Знакомство с программой адаптации", date(2023, 10, 5), "Петрова А.С."],
        ["П-01", "Посещение уроков наставника", "ноябрь 2023", "Петрова А.С."],
    ]
    # typed in lower case: the curator's page starts its sentence with a capital (polish10)
    sheets["Итоги"] = [RESULT_HEADER, ["П-01", "завершена", None, "провёл 12 открытых уроков"]]
    done = process_workbook(settings, write_workbook(tmp_path / "2023.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message


def plain_first_year(settings, folder) -> None:
    """2023–2024 as tests/workbooks.valid_sheets gives it: П-01, no plan, no «Итоги»."""
    done = process_workbook(settings, write_workbook(folder / "2023.xlsx", valid_sheets()))
    assert done.outcome == Outcome.DONE, done.message


@pytest.fixture
def last_year(homes, database_kind, tmp_path, request):
    """A home after :func:`first_year` (built once per session, tests/homes.py)."""
    return homes.copy(request, first_year, database_kind, tmp_path / "home")


@pytest.fixture
def plain_last_year(homes, database_kind, tmp_path, request):
    """A home after :func:`plain_first_year` (built once per session, tests/homes.py)."""
    return homes.copy(request, plain_first_year, database_kind, tmp_path / "home")


def p01(mentor: str, mentees: str) -> list:
    return [
        "П-01", mentor, mentees, "Учитель – учитель", None,
        date(2024, 9, 16), date(2025, 5, 23), "Профессиональный рост",
    ]  # fmt: skip


def belovas_year() -> dict:
    """2024–2025: Белова's new pair П-02 with Новиков, and its «Итоги»."""
    return {
        "Организация": NEXT_YEAR,
        "Наставники": [
            MENTOR_HEADER,
            [
                "Н-02",
                "Белова Елена Викторовна",
                date(1972, 11, 8),
                "педагог",
                "учитель русского языка",
                None,
                "нет",
                None,
                None,
            ],
        ],  # fmt: skip
        "Наставляемые": [
            MENTEE_HEADER,
            [
                "У-02",
                "Новиков Артём Сергеевич",
                date(2000, 2, 2),
                "молодой специалист",
                "учитель физики",
                None,
            ],
        ],  # fmt: skip
        "Пары": [PAIR_HEADER, ["П-02", *p01("Н-02", "У-02")[1:]]],
        "Итоги": [RESULT_HEADER, ["П-02", "завершена", None, "Провёл 10 уроков"]],
    }


@pytest.mark.postgresql
def test_a_continued_pair_keeps_last_years_plan_and_results(last_year, tmp_path):
    """П-01 goes on in 2024–2025 with the same people (a new term). Last year's plan and
    «Итоги» were deleted from the register when the term began, surviving only in last year's
    documents: they are kept as the pair's earlier term, shown on its page under 2023–2024,
    and the new programme has the five meeting stages, not last year's plan."""
    settings = last_year  # first_year, processed once per session
    sheets = {"Организация": NEXT_YEAR, "Пары": [PAIR_HEADER, p01("Н-01", "У-01")]}
    done = process_workbook(settings, write_workbook(tmp_path / "2024.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message
    with session_scope(settings.database_url) as session:
        pair_id = session.scalars(select(Pair.id).where(Pair.code == "П-01")).one()
        terms = [
            (
                t.school_year,
                t.start,
                t.end,
                t.mentor,
                t.mentees,
                [(i["number"], i["activity"], i["term"]) for i in t.plan],
                t.result and (t.result["status"], t.result["achieved"]),
            )
            for t in earlier_terms(session, pair_id)
        ]
    assert terms == [
        (
            "2023–2024",
            date(2023, 10, 1),
            date(2024, 5, 31),
            "Петрова Анна Сергеевна",
            ["Смирнов Илья Олегович"],
            [
                (1, "Знакомство с программой адаптации", "05.10.2023"),
                (2, "Посещение уроков наставника", "ноябрь 2023"),
            ],
            ("завершена", "провёл 12 открытых уроков"),  # stored as typed
        )
    ]
    assert {(e.kind, e.subject) for e in done.entries if e.subject == "П-01"} == {
        ("program", "П-01")
    }
    (program,) = [e.file for e in done.entries if e.kind == "program"]
    text = docx_text(done.folder / program)
    assert "с 16 сентября 2024 г. по 23 мая 2025 г." in text.replace("\xa0", " ")
    assert "Знакомство с программой адаптации" not in text
    assert "овёл 12 открытых уроков" not in text

    make_users(settings)
    client = create_app(settings, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "curator")
    page = client.get(f"/curator/pairs/{pair_id}").get_data(as_text=True)
    earlier = page[page.index('<section id="earlier-terms">') :]
    earlier = texts_of(earlier[: earlier.index("</section>")])
    assert "2023–2024 учебный год: с 01 октября 2023 г. по 31 мая 2024 г." in earlier
    assert "Петрова Анна Сергеевна" in earlier and "Смирнов Илья Олегович" in earlier
    assert "1. Знакомство с программой адаптации (05.10.2023)" in earlier
    assert (
        "Итоги Завершена. Провёл 12 открытых уроков. Документы пары 2023–2024 учебного года (ZIP)"
        in earlier
    )
    # the pair's documents by school year, this year's first (office21: last year's
    # programme stood beside this year's, told apart only by «Версия»)
    listed = page[page.index("<h2>Документы пары и её участников</h2>") :]
    years = re.findall(r'<h3 id="documents-year-\d+">([^<]+)</h3>', listed)
    assert years == ["2024–2025 учебный год", "2023–2024 учебный год"]
    this_year, last_year_part = listed.split("2023–2024 учебный год</h3>")
    assert "Персонализированная программа наставничества П-01 2 ожидает подписи" in texts_of(
        this_year
    )
    assert "Отчёт наставника П-01 1 ожидает подписи" in texts_of(last_year_part)
    assert "Отчёт наставника" not in texts_of(this_year)
    # last year's documents of the pair: the pair's ZIP held this year's versions only
    link = f"/packs/pairs/{pair_id}.zip?year=2023–2024"
    assert f'href="{link}"' in page.replace("%E2%80%93", "–")
    assert programme_dates(client.get(link)) == "с 01 октября 2023 г. по 31 мая 2024 г."
    assert programme_dates(client.get(f"/packs/pairs/{pair_id}.zip")) == (
        "с 16 сентября 2024 г. по 23 мая 2025 г."
    )
    api = client.get(f"/api/packs/pairs/{pair_id}?year=2023")
    assert programme_dates(api) == "с 01 октября 2023 г. по 31 мая 2024 г."


def programme_dates(response) -> str:
    """The term of the programme in a pair's ZIP."""
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    with zipfile.ZipFile(io.BytesIO(response.data)) as pack:
        names = [n for n in pack.namelist() if n.startswith("Персонализированная")]
        assert len(names) == 1, pack.namelist()
        (name,) = names
        text = docx_text(pack.read(name))
    plain = text.replace("\xa0", " ")  # the term, not its no-break spaces
    return re.findall(r"с \d\d \w+ \d{4} г\. по \d\d \w+ \d{4} г\.", plain)[0]


def test_a_code_reused_next_year_for_another_pair_is_refused(last_year, tmp_path):
    """September 2024 numbers its pairs from П-01 again: Белова and Новиков, nobody of last
    year's П-01, were taken as П-01's new term — last year's pair «continued» with other
    people. The workbook is refused, naming the pair the code belongs to and a free code."""
    settings = last_year  # first_year, processed once per session
    sheets = belovas_year()
    del sheets["Итоги"]
    sheets["Пары"] = [PAIR_HEADER, p01("Н-02", "У-02")]
    refused = process_workbook(settings, write_workbook(tmp_path / "2024.xlsx", sheets))
    assert refused.outcome == Outcome.REJECTED
    assert [(p.sheet, p.row, p.column, p.message) for p in refused.report.errors] == [
        (
            "Пары",
            2,
            "Код пары",
            "Код «П-01» уже принадлежит паре прежнего срока: Петрова Анна Сергеевна — "
            "Смирнов Илья Олегович (с 01.10.2023 по 31.05.2024). В этой строке другие "
            "наставник и наставляемые — это новая пара: дайте ей код, которого ещё нет в "
            "реестре (например, «П-02»). Код остаётся за парой во все учебные годы: под ним "
            "её программы и отчёты.",
        )
    ]
    with session_scope(settings.database_url) as session:
        pairs = session.scalars(select(Pair)).all()
        assert [(p.code, p.mentor.full_name, p.start) for p in pairs] == [
            ("П-01", "Петрова Анна Сергеевна", date(2023, 10, 1))
        ]
    sheets["Пары"][1][0] = "П-02"
    done = process_workbook(settings, write_workbook(tmp_path / "2024, П-02.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message


def test_a_pair_extended_past_september_counts_in_the_year_it_began(last_year, tmp_path):
    """П-01 (from 01.10.2023) is extended in May to 20.09.2024 (seed 000 §7: «продление срока
    реализации» of the same programme). The order «на 2023–2024 учебный год» approved it; the
    2024–2025 order on pairs listed it again beside the year's own П-02, and would have counted
    it in that year's final-event order and final report too. A term is of the school year it
    began in: the new year's documents count П-02 only (docs/intake.md)."""
    settings = last_year  # first_year, processed once per session
    extended = valid_sheets()["Пары"]
    extended[1][6] = date(2024, 9, 20)
    done = process_workbook(settings, write_workbook(tmp_path / "май.xlsx", {"Пары": extended}))
    assert done.outcome == Outcome.DONE, done.message
    order = done.folder / "Приказ об утверждении наставников и наставнических пар.docx"
    assert "П-01 | Петрова" in docx_text(order)
    sheets = belovas_year()
    done = process_workbook(settings, write_workbook(tmp_path / "2024.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message
    order = docx_text(done.folder / "Приказ об утверждении наставников и наставнических пар.docx")
    assert "на 2024–2025 учебный год:" in order
    assert [line.split(" | ")[:2] for line in order.splitlines() if line.startswith("П-")] == [
        ["П-02", "Белова Елена Викторовна (учитель русского языка)"]
    ]
    report = docx_text(done.folder / "Итоговый аналитический отчёт.docx")
    assert "Наставнических пар и групп, всего | 1" in report
    assert "Петрова" not in report


def final_reports(settings) -> list[tuple[int, str]]:
    """Every version of the final report: its number and the school year its text is of."""
    with session_scope(settings.database_url) as session:
        found = session.scalars(
            select(Document).where(Document.kind == "report_final").order_by(Document.version)
        ).all()
        return [(d.version, year_of(d)) for d in found]


def test_late_results_of_last_year_renew_last_years_final_report(settings, tmp_path):
    """May's «Итоги» of П-01 reach the register only in September 2024, after «Учебный год»
    became 2024–2025: the pair's report was made, but no final report — last year's pairs are
    not this year's, and last year's report was never renewed. Last year's final report is made
    (of 2023–2024, with the new «Итоги»); a corrected row renews it as a new version, the same
    row again makes nothing, and this year's figures (students of 2024–2025) stay out of it."""
    sheets = valid_sheets()
    sheets["Организация"] = organization_rows(**{"Всего обучающихся": 412})
    done = process_workbook(settings, write_workbook(tmp_path / "2023.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message
    year = {
        "Организация": organization_rows(**{"Учебный год": "2024–2025", "Всего обучающихся": 430})
    }
    done = process_workbook(settings, write_workbook(tmp_path / "2024.xlsx", year))
    assert done.outcome == Outcome.DONE, done.message
    assert final_reports(settings) == []

    late = {"Итоги": [RESULT_HEADER, ["П-01", "завершена", None, "Провёл 12 открытых уроков"]]}
    done = process_workbook(settings, write_workbook(tmp_path / "май.xlsx", late))
    assert done.outcome == Outcome.DONE, done.message
    assert {e.kind for e in done.entries} == {"report_pair", "report_final"}
    assert final_reports(settings) == [(1, "2023–2024")]
    report = docx_text(done.folder / "Итоговый аналитический отчёт.docx")
    assert "2023–2024 учебн" in report and "2024–2025" not in report
    assert "Провёл 12 открытых уроков" in report
    assert "412" in report and "430" not in report

    late["Итоги"][1][3] = "Провёл 14 открытых уроков"
    done = process_workbook(settings, write_workbook(tmp_path / "исправление.xlsx", late))
    assert done.outcome == Outcome.DONE, done.message
    assert final_reports(settings) == [(1, "2023–2024"), (2, "2023–2024")]
    report = docx_text(done.folder / "Итоговый аналитический отчёт.docx")
    assert "Провёл 14 открытых уроков" in report and "2024–2025" not in report

    late["Итоги"][1].append("Выводы")
    late["Итоги"][0] = [*RESULT_HEADER, "Пусто"]
    done = process_workbook(settings, write_workbook(tmp_path / "ещё раз.xlsx", late))
    assert done.outcome == Outcome.DONE, done.message
    assert final_reports(settings) == [(1, "2023–2024"), (2, "2023–2024")]


def test_last_years_renewed_report_keeps_a_pair_continued_this_year(settings, tmp_path):
    """П-02 (Белова — Новиков) had its «Итоги» in May and goes on in 2024–2025 under its code;
    П-01's «Итоги» come late, in September. Last year's report renewed for them counts both of
    last year's pairs and shows П-02's results: the continued pair's last term is last year's
    (kept in pair_term), not dropped because its present term is this year's. The year was
    entered after it ended: П-01, which ran a week longer than П-02, is awaited, and the report
    is made once, with both pairs' «Итоги» (docs/documents.md, 15)."""
    sheets = valid_sheets()
    sheets["Наставники"].append(
        ["Н-02", "Белова Елена Викторовна", date(1972, 11, 8), "педагог",
         "учитель русского языка", None, "нет", None, None]
    )  # fmt: skip
    sheets["Наставляемые"].append(
        ["У-02", "Новиков Артём Сергеевич", date(2000, 2, 2), "молодой специалист",
         "учитель физики", None]
    )  # fmt: skip
    p02 = ["П-02", "Н-02", "У-02", "Учитель – учитель", None, date(2023, 10, 9),
           date(2024, 5, 24), "Методика преподавания"]  # fmt: skip
    sheets["Пары"].append(p02)
    sheets["Итоги"] = [RESULT_HEADER, ["П-02", "завершена", None, "Подготовил открытый урок"]]
    done = process_workbook(settings, write_workbook(tmp_path / "2023.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message
    assert final_reports(settings) == []
    term = ["П-02", "Н-02", "У-02", *p01("Н-02", "У-02")[3:]]
    year = {"Организация": NEXT_YEAR, "Пары": [PAIR_HEADER, term]}
    done = process_workbook(settings, write_workbook(tmp_path / "2024.xlsx", year))
    assert done.outcome == Outcome.DONE, done.message
    assert final_reports(settings) == []

    late = {"Итоги": [RESULT_HEADER, ["П-01", "завершена", None, "Провёл 12 открытых уроков"]]}
    done = process_workbook(settings, write_workbook(tmp_path / "май.xlsx", late))
    assert done.outcome == Outcome.DONE, done.message
    assert final_reports(settings) == [(1, "2023–2024")]
    report = docx_text(done.folder / "Итоговый аналитический отчёт.docx")
    assert "Наставнических пар и групп, всего | 2" in report
    assert "Участников программы наставничества, всего | 4" in report
    assert "Провёл 12 открытых уроков" in report and "Подготовил открытый урок" in report
    assert "Завершена | 2" in report


def test_late_results_after_this_years_report_are_taken_with_a_warning(settings, tmp_path):
    """2024–2025 has its own «Итоги» and final report when П-01's «Итоги» of 2023–2024 come:
    the report in force is this year's, last year's cannot be renewed under it. The pair's
    report is made and the workbook taken, saying so (it said nothing)."""
    first_year_done = process_workbook(
        settings, write_workbook(tmp_path / "1.xlsx", valid_sheets())
    )
    assert first_year_done.outcome == Outcome.DONE, first_year_done.message
    sheets = belovas_year()
    done = process_workbook(settings, write_workbook(tmp_path / "2024.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message
    assert final_reports(settings) == [(1, "2024–2025")]
    late = {"Итоги": [RESULT_HEADER, ["П-01", "завершена", None, "Провёл 12 открытых уроков"]]}
    done = process_workbook(settings, write_workbook(tmp_path / "май.xlsx", late))
    assert done.outcome == Outcome.DONE, done.message
    assert [(p.sheet, p.row, p.column, p.message) for p in done.report.warnings] == [
        (
            "Итоги",
            2,
            "Код пары",
            "Пара «П-01» — программа 2023–2024 учебного года: её отчёт наставника будет "
            "составлен, а итоговый аналитический отчёт 2023–2024 учебного года по этим «Итогам» "
            "уже не обновляется — действует итоговый отчёт 2024–2025 учебного года, он считает "
            "пары своего года.",
        )
    ]
    assert {e.kind for e in done.entries} == {"report_pair"}
    assert final_reports(settings) == [(1, "2024–2025")]


def test_a_term_moved_later_in_the_year_with_another_mentor_is_a_mentor_change(settings, tmp_path):
    """П-01, typed in September as ending on 05.01.2024, is corrected in January to start on
    15.01.2024 with Белова as its mentor. The same school year: the register takes it as the
    same term (its plan kept, Петрова its former mentor), but the intake took any start after
    the registered end for a new term and said nothing of the mentor change."""
    sheets = valid_sheets()
    sheets["Наставники"].append(
        ["Н-02", "Белова Елена Викторовна", date(1972, 11, 8), "педагог",
         "учитель русского языка", None, "нет", None, None]
    )  # fmt: skip
    sheets["Пары"][1][6] = date(2024, 1, 5)
    done = process_workbook(settings, write_workbook(tmp_path / "1.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message
    moved = [*sheets["Пары"][1]]
    moved[1], moved[5], moved[6] = "Н-02", date(2024, 1, 15), date(2024, 5, 31)
    done = process_workbook(
        settings, write_workbook(tmp_path / "2.xlsx", {"Пары": [PAIR_HEADER, moved]})
    )
    assert done.outcome == Outcome.DONE, done.message
    assert [(p.sheet, p.row, p.column) for p in done.report.warnings] == [("Пары", 2, "Наставник")]
    assert done.report.warnings[0].message.startswith(
        "У пары «П-01» меняется наставник: была Петрова Анна Сергеевна."
    )


def test_last_years_report_of_a_continued_pair_is_signed_on_paper_by_its_own_mentor(
    last_year, tmp_path
):
    """П-01 (Петрова — Смирнов) had its «Итоги» in May: its mentor's report waits for
    Петрова's paper signature. In September П-01 goes on with Смирнов and a new mentor,
    Белова. Last year's report still names Петрова: the scan is hers to sign, not Белова's
    (the secretary was refused «Петрова … не подписывает этот документ на бумаге»)."""
    from service.signing.paper import paper_candidates, roles_of

    settings = last_year  # first_year, processed once per session
    mentor = ["Н-02", "Белова Елена Викторовна", date(1972, 11, 8), "педагог",
              "учитель русского языка", None, "нет", None, None]  # fmt: skip
    sheets = {
        "Организация": NEXT_YEAR,
        "Наставники": [MENTOR_HEADER, mentor],
        "Пары": [PAIR_HEADER, p01("Н-02", "У-01")],
    }
    done = process_workbook(settings, write_workbook(tmp_path / "2024.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message
    with session_scope(settings.database_url) as session:
        report = session.scalars(
            select(Document).where(Document.kind == "report_pair").order_by(Document.id.desc())
        ).first()
        assert (report.version, year_of(report)) == (1, "2023–2024")
        assert paper_candidates(session, report) == {"mentor": ["Петрова Анна Сергеевна"]}
        assert roles_of(session, report.id, "Петрова Анна Сергеевна") == {
            "mentor": "Петрова Анна Сергеевна"
        }
        programme = session.scalars(
            select(Document).where(Document.kind == "program").order_by(Document.id.desc())
        ).first()
        assert (programme.version, year_of(programme)) == (2, "2024–2025")
        assert paper_candidates(session, programme) == {
            "mentor": ["Белова Елена Викторовна"],
            "mentee": ["Смирнов Илья Олегович"],
        }


def test_a_late_mentors_report_of_last_year_is_of_last_year(plain_last_year, tmp_path):
    """П-01 (2023–2024) has no «Итоги» in May; in September the register moves to
    2024–2025 with П-05 only, and П-01's «Итоги» come in October. Its mentor's report is of
    2023–2024, the year its term began: it was recorded as of 2024–2025 (the register's
    year), so the earlier term's ZIP of a pair continued later left it out, the present
    term's took it, and its scan asked the present term's mentor."""
    settings = plain_last_year  # plain_first_year, processed once per session
    p05 = ["П-05", *p01("Н-01", "У-01")[1:]]
    sheets = {"Организация": NEXT_YEAR, "Пары": [PAIR_HEADER, p05]}
    done = process_workbook(settings, write_workbook(tmp_path / "2024.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message
    late = {"Итоги": [RESULT_HEADER, ["П-01", "завершена", None, "Провёл 12 открытых уроков"]]}
    done = process_workbook(settings, write_workbook(tmp_path / "октябрь.xlsx", late))
    assert done.outcome == Outcome.DONE, done.message
    with session_scope(settings.database_url) as session:
        reports = session.scalars(select(Document).where(Document.kind == "report_pair")).all()
        assert [(d.subject_label, d.version, year_of(d)) for d in reports] == [
            ("П-01", 1, "2023–2024")
        ]


def test_last_years_consent_takes_its_scan_after_this_years_version(plain_last_year, tmp_path):
    """Петрова's consent of 2023–2024 was signed on paper in October 2023 but not scanned
    yet when September's workbook made her consent of 2024–2025 (П-01 continued). Its scan
    was refused («он заменён новой версией»): last year's paper could never be recorded. A
    version superseded by a later year's version takes its scan and is signed; this year's
    stays as it was."""
    from service.signing.workflow import attach_scan

    settings = plain_last_year  # plain_first_year, processed once per session
    sheets = {"Организация": NEXT_YEAR, "Пары": [PAIR_HEADER, p01("Н-01", "У-01")]}
    done = process_workbook(settings, write_workbook(tmp_path / "2024.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message
    with session_scope(settings.database_url) as session:
        consents = session.scalars(
            select(Document)
            .where(Document.kind == "consent_adult", Document.subject_key == "person:1")
            .order_by(Document.version)
        ).all()
        assert [(d.version, year_of(d), d.status) for d in consents] == [
            (1, "2023–2024", "superseded"),
            (2, "2024–2025", "generated"),
        ]
        last, this = consents[0].id, consents[1].id
    with session_scope(settings.database_url) as session:
        made = attach_scan(session, settings, last, b"%PDF-1.4 scan of 2023")
        assert [(s.role, s.signer_name) for s in made] == [
            ("participant", "Петрова Анна Сергеевна")
        ]
    with session_scope(settings.database_url) as session:
        assert session.get(Document, last).status == "signed"
        assert session.get(Document, this).status == "generated"


def test_a_version_replaced_by_an_earlier_years_does_not_take_a_scan(plain_last_year, tmp_path):
    """superseded_by_later_year asked only that the newer version's year differ: a version of
    a later year replaced by one of an earlier year (a late report first recorded under the
    register's year, then corrected) took a scan and became signed (review9). So did a draft
    the director returned before a later year's version replaced it."""
    import json

    from service.register.events import append_event
    from service.register.succession import superseded_by_later_year

    settings = plain_last_year  # plain_first_year, processed once per session
    sheets = {"Организация": NEXT_YEAR, "Пары": [PAIR_HEADER, p01("Н-01", "У-01")]}
    done = process_workbook(settings, write_workbook(tmp_path / "2024.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message
    with session_scope(settings.database_url) as session:
        last, this = session.scalars(
            select(Document)
            .where(Document.kind == "consent_adult", Document.subject_key == "person:1")
            .order_by(Document.version)
        ).all()
        assert superseded_by_later_year(session, last)
        context = json.loads(last.context)
        context["org"]["school_year"] = "2025–2026"  # a later year than its successor's
        last.context = json.dumps(context)
        session.flush()
        assert not superseded_by_later_year(session, last)
        context["org"]["school_year"] = "2023–2024"
        last.context = json.dumps(context)
        append_event(session, "returned", actor="director", document_id=last.id, details={})
        session.flush()
        assert not superseded_by_later_year(session, last)


def test_the_dry_run_of_a_continued_pair_keeps_last_years_results(last_year, tmp_path):
    """The check of September's workbook said of a pair continued on a new term «Итоги:
    П-01 — запись удаляется» (play9), as if last year's results were deleted: they stay with
    the pair's earlier term, and the check says so."""
    from service.dryrun import dry_run

    settings = last_year  # first_year, processed once per session
    sheets = {"Организация": NEXT_YEAR, "Пары": [PAIR_HEADER, p01("Н-01", "У-01")]}
    checked = dry_run(settings, write_workbook(tmp_path / "2024.xlsx", sheets))
    text = checked.to_text()
    assert (
        "  Итоги:\n    П-01 — итоги остаются за прежним сроком пары (в документах его "
        "учебного года)\n" in text
    )
    assert "запись удаляется" not in text


def test_last_years_workbook_sent_after_the_new_year_is_refused(plain_last_year, tmp_path):
    """play16: in December the secretary put last May's workbook, its «Итоги» corrected, into
    the inbox — its «Организация» still said 2025–2026. The register went back a year (its
    «Учебный год», coordinator and all), and the director was asked to sign every document of
    that year again (27 new versions). A workbook of a school year before the register's is
    refused, saying how to send last year's «Итоги»; without «Организация» they are taken."""
    settings = plain_last_year  # 2023–2024: П-01, no «Итоги»
    year = {"Организация": NEXT_YEAR}
    done = process_workbook(settings, write_workbook(tmp_path / "2024.xlsx", year))
    assert done.outcome == Outcome.DONE, done.message
    with session_scope(settings.database_url) as session:
        before = session.scalars(select(Document.id)).all()
    late = {"Итоги": [RESULT_HEADER, ["П-01", "завершена", None, "Провёл 12 открытых уроков"]]}
    refused = process_workbook(
        settings,
        write_workbook(tmp_path / "май.xlsx", {"Организация": organization_rows(), **late}),
    )
    assert refused.outcome == Outcome.REJECTED
    assert [(p.sheet, p.row, p.column, p.message) for p in refused.report.errors] == [
        (
            "Организация",
            8,
            "Учебный год",
            "Учебный год 2023–2024 — прошлый: реестр уже ведёт 2024–2025 учебный год. Книга "
            "прошлого года вернула бы в реестр его сведения о школе, и все документы 2023–2024 "
            "учебного года пришлось бы подписывать заново. Поздние «Итоги» пар прошлого года "
            "передайте без листа «Организация» (очистите его): они попадут в отчёты своего "
            "учебного года.",
        )
    ]
    with session_scope(settings.database_url) as session:
        assert session.scalars(select(Document.id)).all() == before
        assert session.get(Organization, 1).school_year == "2024–2025"
    done = process_workbook(settings, write_workbook(tmp_path / "май без школы.xlsx", late))
    assert done.outcome == Outcome.DONE, done.message
    assert {e.kind for e in done.entries} == {"report_pair", "report_final"}


def test_last_years_results_are_not_taken_as_a_continued_pairs_new_term(last_year, tmp_path):
    """play17: in December the secretary sent last year's «Итоги» of П-01 corrected, without
    «Организация» (as the refusal of last year's workbook says). П-01 goes on since September
    on a new term (16.09.2024 – 23.05.2025): the row was taken as the new term's «Итоги», and
    the director was given a mentor's report naming the new term «завершена» with last year's
    results. A row «завершена» or «продлена» of a continued pair whose term ends more than a
    month later is refused, naming the terms; near its end, or «завершена досрочно», it is the
    term's own."""
    settings = last_year  # first_year: П-01 of 2023–2024 with its «Итоги»
    sheets = {"Организация": NEXT_YEAR, "Пары": [PAIR_HEADER, p01("Н-01", "У-01")]}
    done = process_workbook(settings, write_workbook(tmp_path / "2024.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message
    late = {"Итоги": [RESULT_HEADER, ["П-01", "завершена", None, "провёл 14 открытых уроков"]]}
    book = write_workbook(tmp_path / "итоги исправленные.xlsx", late)

    def errors(today: date) -> list[tuple]:
        with session_scope(settings.database_url) as session:
            _, report = read_workbook(book, RegisterLookup(session), today=today)
        return [(p.sheet, p.row, p.column, p.message) for p in report.errors]

    assert errors(date(2024, 12, 3)) == [
        (
            "Итоги",
            2,
            "Код пары",
            "Пара «П-01» с 16.09.2024 идёт новым сроком (2024–2025 учебный год, по 23.05.2025): "
            "эти «Итоги» со статусом «завершена» стали бы итогами нового срока, который ещё не "
            "закончился, — отчёт наставника назвал бы его программу завершённой. Итоги "
            "прежнего срока пары (2023–2024 учебный год) книгой не изменить: они остаются в "
            "документах своего года. «Итоги» нового срока передайте, когда он закончится; если "
            "программа прекращена раньше, укажите «завершена досрочно» и причину.",
        )
    ]
    assert errors(date(2025, 5, 5)) == []  # May: the new term's own «Итоги»
    late["Итоги"][1][1:3] = ["завершена досрочно", "наставник уволился"]
    book = write_workbook(tmp_path / "итоги досрочно.xlsx", late)
    assert errors(date(2024, 12, 3)) == []


def test_last_years_pairs_sent_again_do_not_move_a_continued_pair_back(last_year, tmp_path):
    """play17: in December the secretary put last December's workbook, re-saved, into the
    inbox again (no «Организация»: «Наставляемые» and «Пары»). Its row of П-05, continued
    since September on a new term, moved the pair back to last year's dates with a warning
    only: this year's order on pairs dropped the pair and voided the signed order, and its
    programme, consents and last year's report were made again. A registered pair's row that
    starts in an earlier school year than its term is refused, and nothing changes."""
    settings = last_year  # first_year: П-01 of 2023–2024
    sheets = {"Организация": NEXT_YEAR, "Пары": [PAIR_HEADER, p01("Н-01", "У-01")]}
    done = process_workbook(settings, write_workbook(tmp_path / "2024.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message
    with session_scope(settings.database_url) as session:
        before = session.scalars(select(Document.id)).all()
    again = {key: valid_sheets()[key] for key in ("Наставляемые", "Пары")}
    refused = process_workbook(settings, write_workbook(tmp_path / "декабрь 2023.xlsx", again))
    assert refused.outcome == Outcome.REJECTED
    assert [(p.sheet, p.row, p.column, p.message) for p in refused.report.errors] == [
        (
            "Пары",
            2,
            "Дата начала",
            "Пара «П-01» идёт в 2024–2025 учебном году (с 16.09.2024 по 23.05.2025), а здесь "
            "её срок — с 01.10.2023 по 31.05.2024, 2023–2024 учебного года: похоже, это строка "
            "книги прошлого года. Срок пары переносится только в пределах её учебного года, "
            "прежний срок остаётся в документах своего года. Уберите пару из книги (или всю "
            "книгу, если она прошлогодняя).",
        )
    ]
    with session_scope(settings.database_url) as session:
        assert session.scalars(select(Document.id)).all() == before
        (pair,) = session.scalars(select(Pair).where(Pair.code == "П-01"))
        assert (pair.start, pair.end) == (date(2024, 9, 16), date(2025, 5, 23))

    # a pair registered a year ahead by a typed year is corrected back into this year
    mentee = ["У-09", "Новиков Артём Сергеевич", date(2000, 2, 2), "молодой специалист", "учитель"]
    typed = ["П-09", "Н-01", "У-09", "Учитель – учитель", None, date(2025, 9, 16)]
    typed += [date(2026, 5, 22), "Профессиональный рост"]
    sheets = {"Наставляемые": [MENTEE_HEADER, [*mentee, None]], "Пары": [PAIR_HEADER, typed]}
    done = process_workbook(settings, write_workbook(tmp_path / "опечатка.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message
    typed[5:7] = [date(2024, 9, 16), date(2025, 5, 22)]
    fixed = {"Пары": [PAIR_HEADER, typed]}
    done = process_workbook(settings, write_workbook(tmp_path / "исправление.xlsx", fixed))
    assert done.outcome == Outcome.DONE, done.message


def test_completed_months_before_the_end_is_taken_with_a_warning(last_year, tmp_path):
    """play17: «Итоги» «завершена» of П-06, begun two days before and running till May, gave a
    mentor's report «программа завершена» and nothing was said. Such a row (a code typed for
    another pair, the status for «завершена досрочно») is taken with a warning."""
    settings = last_year  # first_year: П-01, 01.10.2023 – 31.05.2024, its «Итоги»
    late = {"Итоги": [RESULT_HEADER, ["П-01", "завершена", None, "провёл 14 открытых уроков"]]}
    book = write_workbook(tmp_path / "итоги.xlsx", late)

    def warnings(today: date) -> list[tuple]:
        with session_scope(settings.database_url) as session:
            _, report = read_workbook(book, RegisterLookup(session), today=today)
        assert report.ok
        return [(p.sheet, p.row, p.column, p.message) for p in report.warnings]

    assert warnings(date(2023, 12, 3)) == [
        (
            "Итоги",
            2,
            "Статус",
            "Пара «П-01» идёт по 31.05.2024 — больше месяца после сегодняшнего дня "
            "(03.12.2023): со статусом «завершена» её отчёт наставника назовёт программу "
            "выполненной в полном объёме. Проверьте код пары; если пара прекратила работу, "
            "укажите «завершена досрочно» и причину.",
        )
    ]
    assert warnings(date(2024, 5, 20)) == []
