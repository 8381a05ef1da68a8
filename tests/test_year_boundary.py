"""A school year played through as the director sees it: what he is asked to sign, and how often.

The school is of the school year whose workbook is taken today — this one, or from June on
the next (its pairs still at work whenever the suite runs): September's workbook with two
pairs of teachers, the director's key; each test drops the workbooks of the months it plays
and reads the documents in force and the director's queue.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from service.intake.years import school_year
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Document
from service.signing.authority import ensure_ca
from service.signing.workflow import pending_documents
from tests.signing_calls import sign_documents
from tests.test_reverted_content import versions
from tests.test_signing_workflow import school  # noqa: F401
from tests.test_year_register import docx_text_of
from tests.test_year_results import current_text, p02
from tests.web_school import issue_key
from tests.workbooks import (
    MENTEE_HEADER,
    MENTOR_HEADER,
    PAIR_HEADER,
    organization_rows,
    write_workbook,
)

DEMO_GOAL = "Повышение мотивации к учёбе и развитие читательской грамотности"
CA_PASSWORD = "ca-пароль-1"
DIRECTOR_PASSWORD = "директор-школы-2"
Y = school_year(date.today() + timedelta(days=92))
"""The first calendar year of the school's year: the one at work, or from 1 June the next, so
that no pair (1 October – 31 May) has ended; a year beginning later is refused (year17)."""
YEAR = f"{Y}–{Y + 1}"
RESULT_HEADER = ["Код пары", "Статус", "Причина", "Достигнутые результаты"]


def pair(code: str, mentor: str, mentee: str, end: date, first_year: int = Y) -> list:
    start = date(first_year, 10, 1)
    return [code, mentor, mentee, "Учитель – учитель", None, start, end, "Адаптация"]


def september(first_year: int = Y) -> dict[str, list[list]]:
    """September's workbook of the school year beginning in ``first_year``: two teachers
    mentoring two young teachers, from 1 October to 31 May (tests/test_past_year_final_report
    plays it two years back)."""
    # fmt: off
    return {
        "Организация": organization_rows(**{"Учебный год": f"{first_year}–{first_year + 1}"}),
        "Наставники": [
            MENTOR_HEADER,
            ["Н-01", "Петрова Анна Сергеевна", date(1980, 3, 14), "педагог",
             "учитель математики", None, "нет", None, None],
            ["Н-02", "Белова Ирина Петровна", date(1975, 6, 2), "педагог",
             "учитель русского языка", None, "нет", None, None],
        ],
        "Наставляемые": [
            MENTEE_HEADER,
            ["У-01", "Смирнов Илья Олегович", date(1999, 11, 20), "молодой специалист",
             "учитель истории", None],
            ["У-02", "Морозова Дарья Игоревна", date(2000, 4, 8), "молодой специалист",
             "учитель литературы", None],
        ],
        "Пары": [
            PAIR_HEADER,
            pair("П-01", "Н-01", "У-01", date(first_year + 1, 5, 31), first_year),
            pair("П-02", "Н-02", "У-02", date(first_year + 1, 5, 31), first_year),
        ],
    }
    # fmt: on


def build_year(settings, folder: Path) -> None:
    """September's workbook processed, a CA and the director's key."""
    done = process_workbook(settings, write_workbook(folder / "сентябрь.xlsx", september()))
    assert done.outcome == Outcome.DONE, done.message
    ensure_ca(settings.var, "МБОУ Идринская СОШ", CA_PASSWORD)
    issue_key(
        settings,
        "director",
        "Кинякина Татьяна Игоревна",
        "Директор",
        "director",
        DIRECTOR_PASSWORD,
        ca_password=CA_PASSWORD,
        org="МБОУ Идринская СОШ",
    )


@pytest.fixture
def year(homes, database_kind, tmp_path, request):
    return homes.copy(request, build_year, database_kind, tmp_path / "home")


def process(settings, path: Path, sheets: dict) -> list[tuple[str, str]]:
    """Process ``sheets``; the documents the workbook made (kind, subject)."""
    done = process_workbook(settings, write_workbook(path, sheets))
    assert done.outcome == Outcome.DONE, done.message
    return [(e.kind, e.subject) for e in done.entries]


def queue(settings) -> list[tuple[str, str, int]]:
    """What awaits the director's signature: kind, subject, version."""
    with session_scope(settings.database_url) as s:
        return sorted(
            (d.kind, d.subject_label, d.version) for d in pending_documents(s, "director")
        )


def sign(settings, kind: str, subject: str | None = None) -> None:
    """The director signs the latest version of ``kind`` (of the subject labelled so)."""
    query = select(Document.id).where(Document.kind == kind)
    if subject is not None:
        query = query.where(Document.subject_label == subject)
    with session_scope(settings.database_url) as s:
        document_id = s.scalars(query.order_by(Document.version.desc())).first()
    [signed] = sign_documents(settings, "director", [document_id], DIRECTOR_PASSWORD)
    assert signed.ok, signed.message


def text(settings, kind: str, subject_key: str = "organization") -> str:
    (current,) = [v for v in versions(settings, kind, subject_key) if v.status != "superseded"]
    return docx_text_of(settings, current.sha256)


def test_a_result_in_january_makes_the_pairs_report_and_may_the_years_report_once(year, tmp_path):
    """Seed 001, Программа §7 «Завершение программы наставничества»: «1. Подведение итогов
    работы каждой пары/группы. 2. Подведение итогов программы школы». П-02 ends early in
    January: its «Итоги» make the mentor's report, not the year's final report, which П-01
    (at work until May) is not in yet. May's «Итоги» make the final report, once."""
    early = ["П-02", "завершена досрочно", "переезд наставляемой", "Проведено 8 встреч"]
    made = process(year, tmp_path / "январь.xlsx", {"Итоги": [RESULT_HEADER, early]})
    assert made == [("report_pair", "П-02")]
    assert versions(year, "report_final") == []
    assert [k for k in queue(year) if k[0] == "report_final"] == []

    done = ["П-01", "завершена", None, "Проведено 20 встреч, открытый урок"]
    made = process(year, tmp_path / "май.xlsx", {"Итоги": [RESULT_HEADER, done, early]})
    assert made == [("report_pair", "П-01"), ("report_final", "МБОУ Идринская СОШ")]
    assert [(v.version, str(v.status)) for v in versions(year, "report_final")] == [
        (1, "awaiting_signature")
    ]
    assert [k for k in queue(year) if k[0] == "report_final"] == [
        ("report_final", "МБОУ Идринская СОШ", 1)
    ]
    report = text(year, "report_final").splitlines()
    assert [x for x in report if x.startswith("П-0")] == [
        "П-01, «Учитель\xa0– учитель» | Петрова\xa0А.С. | Смирнов\xa0И.О. | Завершена | "
        "Проведено 20 встреч, открытый урок",
        "П-02, «Учитель\xa0– учитель» | Белова\xa0И.П. | Морозова\xa0Д.И. | Завершена досрочно | "
        "Проведено 8 встреч",
    ]
    # the same «Итоги» once more (rows in another order): nothing to sign again
    assert process(year, tmp_path / "май-2.xlsx", {"Итоги": [RESULT_HEADER, early, done]}) == []


def test_a_consent_to_an_extended_term_stands_when_the_pair_then_ends_early(school, tmp_path):  # noqa: F811
    """The demo's П-02 (to 24.05.2024 in the signed order) is extended to 28.06.2024 (seed
    000 §7: «продление срока»): the director signs the new order and Белова's consent names
    the extended term. In January the pair stops (26.01.2024). Her consent stands as she gave
    it — to 28 June — and no version equal to the first («по 24 мая») is made for her to sign
    again; nor a roadmap dated back to 24 May for the director to approve again."""
    sign(school, "order_pairs")
    extended = process(school, tmp_path / "1.xlsx", {"Пары": [PAIR_HEADER, p02(date(2024, 6, 28))]})
    assert ("mentor_consent", "Белова Елена Викторовна") in extended
    sign(school, "order_pairs")
    consent = "mentor_consent_of_belova"
    before = current_text(school, consent)
    assert "по 28 июня 2024 г." in before.replace("\xa0", " ")
    book = write_workbook(tmp_path / "2.xlsx", {"Пары": [PAIR_HEADER, p02(date(2024, 1, 26))]})
    stopped = process_workbook(school, book)
    assert stopped.outcome == Outcome.DONE, stopped.message
    # the extension is what the director approved last: the roadmap keeps it, the warning
    # cites it, and the order he signed stands
    assert [(e.kind, e.subject) for e in stopped.entries] == [
        ("order_final_event", "МБОУ Идринская СОШ"),
        ("report_final", "МБОУ Идринская СОШ"),
    ]
    assert [p.message for p in stopped.report.warnings] == [
        "Дата окончания пары «П-02» перенесена с 28.06.2024 (по подписанному приказу об "
        "утверждении пар) на 26.01.2024. В «Итогах» укажите её статус: «завершена», если "
        "план мероприятий выполнен в полном объёме, иначе «завершена досрочно» и причину."
    ]
    assert current_text(school, consent) == before
    with session_scope(school.database_url) as s:
        belova = s.scalars(
            select(Document.version).where(
                Document.kind == "mentor_consent", Document.subject_label.like("Белова%")
            )
        ).all()
    assert sorted(belova) == [1, 2]


def test_a_pair_ending_early_after_its_order_is_signed_leaves_the_order_and_programme(
    school,  # noqa: F811
    tmp_path,
):
    """Seed 000 §7 counts an early end among the ways a programme is completed («по
    инициативе наставника или наставляемого … по уважительным обстоятельствам») and asks for
    no order; the mentor's report (seed 001 §7) says how it ended. П-02 stops in January after
    the director signed the order on pairs and approved its programme: January's workbook
    makes the mentor's report, not a new order on pairs or programme for him to sign again —
    nor does the next school year's workbook."""
    sign(school, "order_pairs")
    sign(school, "program", "П-02")
    order, programme = text(school, "order_pairs"), text(school, "program", _pair_key(school))
    line = (
        "П-02 | Белова Елена Викторовна (учитель русского языка и литературы) | Морозова Алина "
        "Сергеевна (7\xa0А класс) | «Учитель\xa0– ученик», вариант «Активный профессионал\xa0– "
        "равнодушный потребитель»; вид: традиционная | с 09.10.2023 по 24.05.2024 (8 месяцев)"
    )
    assert [x for x in order.splitlines() if x.startswith("П-02")] == [line]
    before = {k for k in queue(school) if k[0] in ("order_pairs", "program")}
    stopped = ["П-02", "завершена досрочно", "наставник переехал", "Проведено 6 встреч"]
    moved = [*p02(date(2024, 1, 26))[:7], DEMO_GOAL]  # the programme's goal as it was
    made = process(
        school,
        tmp_path / "январь.xlsx",
        {"Пары": [PAIR_HEADER, moved], "Итоги": [RESULT_HEADER, stopped]},
    )
    assert made == [
        ("order_final_event", "МБОУ Идринская СОШ"),
        ("report_pair", "П-02"),
        ("report_final", "МБОУ Идринская СОШ"),
    ]
    assert text(school, "order_pairs") == order
    assert text(school, "program", _pair_key(school)) == programme
    assert {k for k in queue(school) if k[0] in ("order_pairs", "program")} == before
    report = text(school, "report_pair", _pair_key(school)).splitlines()
    assert [x for x in report if "досрочно" in x] == [
        "Персонализированная программа наставничества завершена досрочно. "
        "Причина: наставник переехал."
    ]
    # the next school year's workbook: П-02 is last year's, its programme still as signed
    # (it was made again with the shortened term for the new director to sign, play12)
    process(
        school,
        tmp_path / "сентябрь.xlsx",
        {"Организация": organization_rows(**{"Учебный год": "2024–2025"})},
    )
    assert text(school, "program", _pair_key(school)) == programme
    assert [k for k in queue(school) if k[:2] == ("program", "П-02")] == []


def _pair_key(settings) -> str:
    """The subject key of the demo's П-02."""
    with session_scope(settings.database_url) as s:
        return s.scalars(
            select(Document.subject_key).where(
                Document.kind == "program", Document.subject_label == "П-02"
            )
        ).first()


def test_an_order_is_warned_of_as_past_from_the_day_after_its_school_year(year):
    """The warning before signing (service.signing.late) is for a school year already over:
    this year's order on pairs has none today and none on 31 August, the year's last day; on 1
    September it is last year's, and signing it then gives it that day's date."""
    from service.signing.late import past_year_warning

    with session_scope(year.database_url) as s:
        order = s.scalars(select(Document).where(Document.kind == "order_pairs")).one()
        assert past_year_warning(order, date.today()) is None
        assert past_year_warning(order, date(Y + 1, 8, 31)) is None
        assert past_year_warning(order, date(Y + 1, 9, 1)) == (
            f"Это документ {YEAR} учебного года (он закончился 31 августа {Y + 1}\xa0г.). "
            f"Подписанный сейчас, он получит сегодняшнюю дату — 01 сентября {Y + 1}\xa0г. — и "
            "очередной номер журнала приказов: задним числом документ не датируется. Если он "
            "был подписан на бумаге в своё время, не подписывайте его, а верните с "
            "комментарием о бумажном подлиннике."
        )


@pytest.mark.parametrize("in_may", [True, False], ids=["renewed", "first"])
def test_late_results_reach_the_report_of_their_year_two_years_back(settings, tmp_path, in_may):
    """2023–2024 with П-01 (its «Итоги» in May, or none); the register then skips to
    2025–2026 (no pairs nor report of 2024–2025) and П-01's «Итоги» come (corrected, or late).
    The final report in force is of П-01's own year, or there is none: it is renewed, or made,
    of 2023–2024. Only «Итоги» of the year just before reached it: these made the mentor's
    report alone, with no word (the intake warns only when a later year's report stands)."""
    from tests.test_year_terms import final_reports
    from tests.workbooks import valid_sheets

    sheets = valid_sheets()
    if in_may:
        sheets["Итоги"] = [RESULT_HEADER, ["П-01", "завершена", None, "Провёл 12 уроков"]]
    process(settings, tmp_path / "2023.xlsx", sheets)
    before = [(1, "2023–2024")] if in_may else []
    assert final_reports(settings) == before
    skip = {"Организация": organization_rows(**{"Учебный год": "2025–2026"})}
    process(settings, tmp_path / "2025.xlsx", skip)
    assert final_reports(settings) == before
    late = {"Итоги": [RESULT_HEADER, ["П-01", "завершена", None, "Провёл 14 уроков"]]}
    made = process(settings, tmp_path / "поздно.xlsx", late)
    assert made == [("report_pair", "П-01"), ("report_final", "МБОУ Идринская СОШ")]
    assert final_reports(settings) == [*before, (len(before) + 1, "2023–2024")]
    lines = text(settings, "report_final").splitlines()
    assert [x for x in lines if "2023–2024" in x or x.startswith("П-01")] == [
        "о реализации системы наставничества в МБОУ Идринская СОШ за 2023–2024 учебный год",
        "П-01, «Учитель\xa0– учитель» | Петрова\xa0А.С. | Смирнов\xa0И.О. | Завершена | "
        "Провёл 14 уроков",
        "1. В 2023–2024 учебном году в МБОУ Идринская СОШ реализовывались персонализированные "
        "программы наставничества: наставнических пар и групп\xa0— 1, участников\xa0— 2 "
        "(наставников\xa0— 1, наставляемых\xa0— 1).",
    ]


def test_a_signed_consent_covering_the_early_end_is_in_force_again(school, tmp_path):  # noqa: F811
    """As above, but Белова signed her first consent (to 24 May) on paper before the
    extension; the extension's consent (to 28 June) awaits her pen when the pair stops in
    January. The term she signed covers the pair's: that consent is in force again, with its
    scan, and the draft leaves the secretary's list — nobody signs anything again."""
    from tests.signing_calls import attach_scan

    first = _belovas_consent(school)
    attach_scan(school, first.id, b"%PDF-1.4\n% scan of the paper original\n%%EOF\n")
    sign(school, "order_pairs")
    made = process(school, tmp_path / "1.xlsx", {"Пары": [PAIR_HEADER, p02(date(2024, 6, 28))]})
    assert ("mentor_consent", "Белова Елена Викторовна") in made
    sign(school, "order_pairs")
    made = process(school, tmp_path / "2.xlsx", {"Пары": [PAIR_HEADER, p02(date(2024, 1, 26))]})
    assert ("mentor_consent", "Белова Елена Викторовна") not in made
    assert [
        (v.version, str(v.status)) for v in versions(school, "mentor_consent", first.subject_key)
    ] == [
        (1, "signed"),
        (2, "superseded"),
    ]
    now = current_text(school, "mentor_consent_of_belova").replace("\xa0", " ")
    assert now.count("по 24 мая 2024 г.") == 1


def _belovas_consent(settings) -> Document:
    with session_scope(settings.database_url) as s:
        return s.scalars(
            select(Document).where(
                Document.kind == "mentor_consent", Document.subject_label.like("Белова%")
            )
        ).one()
