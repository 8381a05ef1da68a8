"""May's figures when pairs ended early. A pair whose «Итоги» say «завершена досрочно», or —
without «Итоги» — whose «Дата окончания» a later workbook moved before the end in the first
signed order on pairs, ended early. The final-event order counted such pairs among those
presenting results («всех пар — 4 пары») and the final report a shortened pair without «Итоги»
as still running. A plan carried through in full ahead of time is «завершена» (seed 000 §7):
the «Итоги» decide, with a warning, and the order and the report agree on the pair."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Document
from tests.signing_calls import sign_documents
from tests.test_signing_workflow import DIRECTOR_PASSWORD, doc_id, school  # noqa: F401
from tests.test_year_register import docx_text_of
from tests.workbooks import PAIR_HEADER, valid_sheets, write_workbook

RESULT_HEADER = ["Код пары", "Статус", "Причина", "Достигнутые результаты"]


def p02(end: date) -> list:
    """The demo's П-02 (Белова — Морозова, from 09.10.2023; approved to 24.05.2024)."""
    return ["П-02", "Н-02", "У-03", "Учитель – ученик", None, date(2023, 10, 9), end, "Чтение"]


def p03(end: date) -> list:
    """The demo's П-03 (Кузнецова — Зуев, from 16.10.2023; approved to 17.05.2024)."""
    return ["П-03", "Н-04", "У-04", "Ученик – ученик", None, date(2023, 10, 16), end, "Алгебра"]


def signed_pairs_order(settings) -> None:
    """The director signs the order approving the pairs (October)."""
    [signed] = sign_documents(
        settings, "director", [doc_id(settings, "order_pairs")], DIRECTOR_PASSWORD
    )
    assert signed.ok, signed.message


def process(settings, path, sheets):
    return process_workbook(settings, write_workbook(path, sheets))


def current_text(settings, kind: str) -> str:
    """The text of the version in force of the one document of ``kind``, or of the mentor
    consent of Белова (Н-02, П-02's mentor) for ``mentor_consent_of_belova``."""
    query = select(Document.sha256).where(Document.status != "superseded")
    if kind == "mentor_consent_of_belova":
        query = query.where(
            Document.kind == "mentor_consent", Document.subject_label.like("Белова%")
        )
    else:
        query = query.where(Document.kind == kind)
    with session_scope(settings.database_url) as s:
        sha256 = s.scalars(query).one()
    return docx_text_of(settings, sha256)


def test_pairs_that_ended_early_are_not_counted_as_completed(school, tmp_path):  # noqa: F811
    """The demo school: П-01 «завершена», П-04 «завершена досрочно», П-03 without «Итоги»;
    in January П-02 ends early (31 → 26.01.2024), after the pairs' order was signed. П-03 ended
    on 17.05.2024: the report, made after its year, said it «реализуется» (play12)."""
    signed_pairs_order(school)
    moved = process(
        school, tmp_path / "январь.xlsx", {"Пары": [PAIR_HEADER, p02(date(2024, 1, 26))]}
    )
    assert moved.outcome == Outcome.DONE, moved.message
    assert [(p.sheet, p.row, p.column, p.message) for p in moved.report.warnings] == [
        (
            "Пары",
            2,
            "Дата окончания",
            "Дата окончания пары «П-02» перенесена с 24.05.2024 (по подписанному приказу об "
            "утверждении пар) на 26.01.2024. В «Итогах» укажите её статус: «завершена», если "
            "план мероприятий выполнен в полном объёме, иначе «завершена досрочно» и причину.",
        )
    ]
    order = current_text(school, "order_final_event")
    assert (
        "3.2. обеспечить участие в итоговом мероприятии наставников и наставляемых всех "
        "наставнических пар (групп)\xa0— 2 пары (группы), 5 участников;" in order
    )
    report = current_text(school, "report_final")
    statuses = report[report.index("Статус программы | Пар и групп") :].splitlines()[1:5]
    assert statuses == [
        "Завершена | 1",
        "Завершена досрочно | 1",
        "Завершена досрочно (итоги не представлены) | 1",
        "Срок истёк (итоги не представлены) | 1",
    ]
    # section 5 names each pair's status as 1.3 counts it: «Итоги не представлены» alone read
    # as if П-02 were still at work, beside «Завершена досрочно (…)» in 1.3 (reader13)
    rows = {
        line.split(",")[0]: line.split(" | ")[3]
        for line in report.splitlines()
        if line[:4] in ("П-02", "П-03")
    }
    assert rows == {
        "П-02": "Завершена досрочно (итоги не представлены)",
        "П-03": "Срок истёк (итоги не представлены)",
    }


def test_a_plan_done_in_full_ahead_of_time_is_completed_with_a_warning(school, tmp_path):  # noqa: F811
    """«Итоги» saying «завершена» of a shortened pair — in a later workbook, or in the one that
    moves its date — are taken with a warning (the plan may have been done in full early), and
    the final-event order and the final report both count the pair as completing."""
    signed_pairs_order(school)
    assert process(school, tmp_path / "1.xlsx", {"Пары": [PAIR_HEADER, p02(date(2024, 1, 26))]})
    results = [RESULT_HEADER, ["П-02", "завершена", None, "Проведено 8 встреч"]]
    taken = process(school, tmp_path / "2.xlsx", {"Итоги": results})
    assert taken.outcome == Outcome.DONE, taken.message
    assert [(p.sheet, p.row, p.column, p.message) for p in taken.report.warnings] == [
        (
            "Итоги",
            2,
            "Статус",
            "Дата окончания пары «П-02» — 26.01.2024, а по подписанному приказу об утверждении "
            "пар — 24.05.2024: со статусом «завершена» отчёт покажет её план выполненным в "
            "полном объёме досрочно. Если пара прекратила работу, укажите «завершена досрочно» "
            "и причину.",
        )
    ]
    both = {
        "Пары": [PAIR_HEADER, p03(date(2024, 2, 9))],
        "Итоги": [RESULT_HEADER, ["П-03", "завершена", None, "Проведено 9 встреч"]],
    }
    taken = process(school, tmp_path / "3.xlsx", both)
    assert taken.outcome == Outcome.DONE, taken.message
    assert [(p.sheet, p.column) for p in taken.report.warnings] == [("Итоги", "Статус")]
    order = current_text(school, "order_final_event")
    assert (
        "3.2. обеспечить участие в итоговом мероприятии наставников и наставляемых всех "
        "наставнических пар (групп)\xa0— 3 пары (группы), 7 участников;" in order
    )
    report = current_text(school, "report_final")
    statuses = report[report.index("Статус программы | Пар и групп") :].splitlines()[1:3]
    assert statuses == ["Завершена | 3", "Завершена досрочно | 1"]


def test_an_early_end_with_its_status_in_the_same_workbook_asks_for_nothing(school, tmp_path):  # noqa: F811
    """play10: January's workbook moved П-02's end and gave it «завершена досрочно» with a reason
    in its own «Итоги»; the batch page still said «В «Итогах» укажите её статус…» — asking for
    what the secretary had just written."""
    signed_pairs_order(school)
    both = {
        "Пары": [PAIR_HEADER, p02(date(2024, 1, 26))],
        "Итоги": [
            RESULT_HEADER,
            ["П-02", "завершена досрочно", "наставник уволился", "Проведено 5 встреч"],
        ],
    }
    taken = process(school, tmp_path / "январь.xlsx", both)
    assert taken.outcome == Outcome.DONE, taken.message
    assert taken.report.warnings == []
    report = current_text(school, "report_final")
    statuses = report[report.index("Статус программы | Пар и групп") :].splitlines()[1:3]
    assert statuses == ["Завершена | 1", "Завершена досрочно | 2"]


def test_an_end_corrected_before_the_order_is_signed_is_no_early_end(settings, tmp_path):
    """Until the director signs the pairs' order, a changed «Дата окончания» is a correction."""
    assert process(settings, tmp_path / "1.xlsx", valid_sheets()).outcome == Outcome.DONE
    corrected = valid_sheets()
    corrected["Пары"][1][6] = date(2024, 5, 24)
    corrected["Итоги"] = [RESULT_HEADER, ["П-01", "завершена", None, "Проведено 20 встреч"]]
    done = process(settings, tmp_path / "2.xlsx", corrected)
    assert done.outcome == Outcome.DONE, done.message
    assert done.report.warnings == []


def p01(mentees: str) -> list:
    """The demo's group П-01 (Петрова — Смирнов and Алиев, 02.10.2023 – 31.05.2024)."""
    return [
        "П-01", "Н-01", mentees, "Учитель – учитель", "групповая",
        date(2023, 10, 2), date(2024, 5, 31), "Адаптация",
    ]  # fmt: skip


def groups_line(settings) -> str:
    report = current_text(settings, "report_final")
    (line,) = [x for x in report.splitlines() if x.startswith("в том числе наставнических групп")]
    return line


def test_a_group_approved_as_a_group_stays_a_group_when_a_member_leaves(school, tmp_path):  # noqa: F811
    """Seed 000: «наставничество в группе — один наставник взаимодействует с группой
    наставляемых одновременно (от двух и более человек)», and pairs and groups are approved by
    the director's order. П-01, approved as a group of two, loses Алиев in January: the year's
    final report counts it among the groups, as it counts Алиев among the mentees."""
    assert groups_line(school) == "в том числе наставнических групп | 1"
    signed_pairs_order(school)
    left = process(school, tmp_path / "январь.xlsx", {"Пары": [PAIR_HEADER, p01("У-01")]})
    assert left.outcome == Outcome.DONE, left.message
    assert groups_line(school) == "в том числе наставнических групп | 1"


def test_a_group_corrected_to_a_pair_before_the_order_is_signed_is_a_pair(school, tmp_path):  # noqa: F811
    """Before the director signs the order on pairs, a mentee taken out of a group is a
    correction: the pair was never approved, nor worked, as a group."""
    fixed = process(school, tmp_path / "исправлено.xlsx", {"Пары": [PAIR_HEADER, p01("У-01")]})
    assert fixed.outcome == Outcome.DONE, fixed.message
    assert groups_line(school) == "в том числе наставнических групп | 0"


def test_next_years_term_of_a_pair_is_judged_by_next_years_order(school, tmp_path):  # noqa: F811
    """П-02 goes on in 2024–2025 under its code (16.09.2024 – 23.05.2025) and the director
    signs the new order on pairs; in February its end moves to 28.02.2025. The end approved for
    this term is the 2024–2025 order's, not the 2023–2024 order's 24.05.2024 (which the new
    dates are all later than): the move is an early end, with its warning."""
    from service.intake import demo
    from tests.test_school_year import parameters

    signed_pairs_order(school)
    organization = parameters(dict(demo.ORGANIZATION, **{"Учебный год": "2024–2025"}))
    term = [*p02(date(2025, 5, 23))]
    term[5] = date(2024, 9, 16)
    again = process(school, tmp_path / "сентябрь.xlsx", {"Организация": organization,
                                                         "Пары": [PAIR_HEADER, term]})  # fmt: skip
    assert again.outcome == Outcome.DONE, again.message
    assert [p.message for p in again.report.warnings] == [MOROZOVA_IN_7A]
    with session_scope(school.database_url) as s:
        latest = s.scalars(
            select(Document.id).where(Document.kind == "order_pairs").order_by(Document.version)
        ).all()[-1]
    [signed] = sign_documents(school, "director", [latest], DIRECTOR_PASSWORD)
    assert signed.ok, signed.message
    term[6] = date(2025, 2, 28)
    moved = process(school, tmp_path / "февраль.xlsx", {"Пары": [PAIR_HEADER, term]})
    assert moved.outcome == Outcome.DONE, moved.message
    assert [(p.sheet, p.row, p.column, p.message) for p in moved.report.warnings] == [
        ("Пары", 2, "Наставляемые", MOROZOVA_IN_7A),
        (
            "Пары",
            2,
            "Дата окончания",
            "Дата окончания пары «П-02» перенесена с 23.05.2025 (по подписанному приказу об "
            "утверждении пар) на 28.02.2025. В «Итогах» укажите её статус: «завершена», если "
            "план мероприятий выполнен в полном объёме, иначе «завершена досрочно» и причину.",
        ),
    ]


MOROZOVA_IN_7A = (
    "Морозова Алина Сергеевна: класс 7 А указан в книге 2023–2024 учебного года, а пара "
    "«П-02» — 2024–2025 учебного года, и её документы напечатают класс 7 А. Если класс "
    "сменился, добавьте на лист «Наставляемые» этой книги строку «Морозова Алина Сергеевна» "
    "(ФИО, дата рождения, категория) с новым классом."
)


def test_a_student_of_last_year_in_a_new_years_pair_is_warned_of_his_class(school, tmp_path):  # noqa: F811
    """play10: September's workbook of the next year continued a group with last year's
    students without listing them again; the new year's order on pairs and consents printed
    «Ершова Полина Артёмовна (7 В класс)» of a girl now in the 8th, with no word. The reader
    warns (it cannot know the new class); listed again with «8 А», she is printed so."""
    from service.intake import demo
    from tests.test_school_year import parameters

    organization = parameters(dict(demo.ORGANIZATION, **{"Учебный год": "2024–2025"}))
    pair = [*p02(date(2025, 5, 23))]
    pair[5] = date(2024, 9, 16)
    sheets = {"Организация": organization, "Пары": [PAIR_HEADER, pair]}
    warned = process(school, tmp_path / "1.xlsx", sheets)
    assert warned.outcome == Outcome.DONE, warned.message
    assert [(p.sheet, p.row, p.column, p.message) for p in warned.report.warnings] == [
        ("Пары", 2, "Наставляемые", MOROZOVA_IN_7A)
    ]
    header = ["Код", "ФИО", "Дата рождения", "Категория", "Класс или должность",
              "Законный представитель (ФИО)"]  # fmt: skip
    morozova = ["У-03", "Морозова Алина Сергеевна", date(2010, 3, 22), "обучающийся", "8 А",
                "Морозов Сергей Николаевич"]  # fmt: skip
    listed = process(school, tmp_path / "2.xlsx", dict(sheets, Наставляемые=[header, morozova]))
    assert listed.outcome == Outcome.DONE, listed.message
    assert listed.report.warnings == []
    order = current_text(school, "order_pairs")
    assert "Морозова Алина Сергеевна (8\xa0А класс)" in order
    assert "7\xa0А класс" not in order


def test_a_pair_ended_early_does_not_redate_the_roadmap(school, tmp_path):  # noqa: F811
    """The roadmap is a plan: a pair that stopped in January after its order was signed does
    not move «Завершение персонализированных программ» to January, nor make the director
    sign the roadmap again (play9: «январь\xa0– май» in a fourth version of the year)."""
    signed_pairs_order(school)
    before = current_text(school, "roadmap")
    assert "| апрель\xa0– май 2024\xa0г. | Куратор, наставники |" in before
    moved = process(
        school, tmp_path / "январь.xlsx", {"Пары": [PAIR_HEADER, p02(date(2024, 1, 26))]}
    )
    assert moved.outcome == Outcome.DONE, moved.message
    with session_scope(school.database_url) as s:
        versions = s.scalars(select(Document.version).where(Document.kind == "roadmap")).all()
    assert versions == [1]
    assert current_text(school, "roadmap") == before


def test_a_pair_ended_early_keeps_its_mentors_consent(school, tmp_path):  # noqa: F811
    """The mentor consented in September to the term the order approved; the pair stopping in
    January (the mentor moved to another school) made a version 2 of her paper consent, «по 26
    января 2024 г.», for her to sign again (play10)."""
    signed_pairs_order(school)
    before = current_text(school, "mentor_consent_of_belova")
    moved = process(
        school, tmp_path / "январь.xlsx", {"Пары": [PAIR_HEADER, p02(date(2024, 1, 26))]}
    )
    assert moved.outcome == Outcome.DONE, moved.message
    assert current_text(school, "mentor_consent_of_belova") == before
    assert (
        "– Морозовой Алины Сергеевны (7 А класс): наставническая пара П-02, форма "
        "наставничества «Учитель – ученик», срок реализации персонализированной программы "
        "наставничества с 09 октября 2023 г. по 24 мая 2024 г."
        in before.replace("\xa0", " ").splitlines()
    )


def test_a_pair_added_to_a_form_in_use_keeps_the_approved_target_model(school, tmp_path):  # noqa: F811
    """The target model's programme names the forms in use, not how many pairs each has: a
    pair added in January to «Учитель – ученик» (in use since October) does not send the
    approved programme to the director again (play9: its «Число пар (групп)» 1 → 2)."""
    ids = [doc_id(school, "order_implementation"), doc_id(school, "target_model")]
    assert all(r.ok for r in sign_documents(school, "director", ids, DIRECTOR_PASSWORD))
    mentee = ["У-10", "Орлова Вера Павловна", date(2010, 4, 2), "обучающийся", "8 А"]
    added = process(
        school,
        tmp_path / "январь.xlsx",
        {
            "Наставляемые": [
                [
                    "Код",
                    "ФИО",
                    "Дата рождения",
                    "Категория",
                    "Класс или должность",
                    "Законный представитель (ФИО)",
                ],  # fmt: skip
                [*mentee, "Орлов Павел Игоревич"],
            ],
            "Пары": [
                PAIR_HEADER,
                [
                    "П-10",
                    "Н-02",
                    "У-10",
                    "Учитель – ученик",
                    None,
                    date(2024, 1, 15),
                    date(2024, 5, 24),
                    "Чтение",
                ],  # fmt: skip
            ],
        },
    )
    assert added.outcome == Outcome.DONE, added.message
    with session_scope(school.database_url) as s:
        versions = s.scalars(select(Document.version).where(Document.kind == "target_model"))
        assert list(versions) == [1]
    text = current_text(school, "target_model")
    assert "Форма наставничества | Варианты (формы взаимодействия)\n" in text
    assert "3 | «Учитель – ученик» | «Активный профессионал – равнодушный потребитель»\n" in text


def test_a_group_left_with_one_mentee_is_printed_as_one_to_one(school, tmp_path):  # noqa: F811
    """П-01, approved as a group of two, loses Алиев in January; the workbook still says
    «групповая». Seed 000: «наставничество в группе … (от двух и более человек)», one mentor
    with one mentee is the «традиционная форма наставничества («один-на-один»)»: the new
    programme, the report and the order on pairs made again print the pair as it is now
    (docs11: «Вид наставничества | Групповая» under «Наставническая пара»). No other pair's
    documents change."""
    signed_pairs_order(school)
    left = process(school, tmp_path / "январь.xlsx", {"Пары": [PAIR_HEADER, p01("У-01")]})
    assert left.outcome == Outcome.DONE, left.message
    assert [(p.sheet, p.row, p.column, p.message) for p in left.report.warnings] == [
        (
            "Пары",
            2,
            "Вид",
            "В паре «П-01» один наставляемый, а вид — «групповая»: наставничество в группе — от "
            "двух наставляемых. В программе, отчёте и приказе об утверждении пар вид будет "
            "«традиционная».",
        )
    ]
    assert sorted((e.kind, e.subject, e.version) for e in left.entries) == [
        ("order_pairs", "МБОУ Идринская СОШ", 2),
        ("program", "П-01", 2),
        ("report_final", "МБОУ Идринская СОШ", 2),
        ("report_pair", "П-01", 2),
    ]
    program = latest_text(school, "program", "П-01")
    assert (
        "Наставническая пара | П-01\n"
        "Форма наставничества | «Учитель – учитель»\n"
        "Вариант (форма взаимодействия) | «Опытный педагог – молодой специалист»\n"
        "Вид наставничества | Традиционная\n"
        "Наставник | Петрова Анна Сергеевна (учитель математики)\n"
        "Наставляемый | Смирнов Илья Олегович (учитель истории)\n"
    ) in program
    report = latest_text(school, "report_pair", "П-01")
    assert "Вид наставничества | Традиционная\n" in report
    order = latest_text(school, "order_pairs")
    assert (
        "П-01 | Петрова Анна Сергеевна (учитель математики) | Смирнов Илья Олегович (учитель "
        "истории) | «Учитель\u00a0– учитель», вариант «Опытный педагог\u00a0– молодой специалист»; "
        "вид: традиционная | с 02.10.2023 по 31.05.2024 (8 месяцев)\n"
    ) in order


def latest_text(settings, kind: str, code: str = "") -> str:
    """The text of the latest version of the document of ``kind`` (of pair ``code``)."""
    query = select(Document.sha256).where(Document.kind == kind)
    if code:
        query = query.where(Document.subject_label.like(f"{code}%"))
    with session_scope(settings.database_url) as s:
        sha256 = s.scalars(query.order_by(Document.version.desc()).limit(1)).one()
    return docx_text_of(settings, sha256)


def test_a_pair_without_results_before_its_end_is_still_running():
    """Without «Итоги», a pair whose «Дата окончания» is still ahead is «реализуется»; one
    past it, «срок истёк»; one whose end was moved before the approved one, ended early."""
    from datetime import timedelta
    from types import SimpleNamespace

    from service.documents.statistics import organization_stats

    today = date.today()
    pairs = [
        SimpleNamespace(
            id=n,
            code=f"П-0{n}",
            end=end,
            form="Учитель – ученик",
            mentees=[],
            all_mentors=[],
            all_mentees=[],
        )  # fmt: skip
        for n, end in [(1, today + timedelta(days=1)), (2, today - timedelta(days=1)), (3, today)]
    ]
    org = SimpleNamespace(students_total=None)
    stats = organization_stats(org, pairs, [], shortened={3})
    assert stats["by_status"] == [
        {"status": "завершена досрочно (итоги не представлены)", "count": 1},
        {"status": "реализуется (итоги не представлены)", "count": 1},
        {"status": "срок истёк (итоги не представлены)", "count": 1},
    ]
