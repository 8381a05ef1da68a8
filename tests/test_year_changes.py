"""November-to-May changes a secretary sends: the same pair under another code, a name
corrected. Each case is one or two small workbooks over a fresh register."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Pair, Person
from tests.workbooks import MENTEE_HEADER, PAIR_HEADER, read_sheets, valid_sheets, write_workbook


def pair_row(code: str, start: date = date(2023, 10, 1), end: date = date(2024, 5, 31)) -> list:
    return [
        code,
        "Петрова Анна Сергеевна",
        "Смирнов Илья Олегович",
        "Учитель – учитель",
        None,
        start,
        end,
        "Адаптация молодого специалиста",
    ]


def test_the_same_two_people_under_another_pair_code_are_refused(settings, tmp_path):
    """September registers П-01; November's «Пары» types the same pair as «П-1»: it was a
    second pair, the pairs' order re-made to approve both. A later programme of the same people
    (after the first ends) is a new pair."""
    sheets = valid_sheets()
    assert process_workbook(settings, write_workbook(tmp_path / "1.xlsx", sheets)).outcome == (
        Outcome.DONE
    )
    retyped = {"Пары": [PAIR_HEADER, pair_row("П-1")]}
    refused = process_workbook(settings, write_workbook(tmp_path / "2.xlsx", retyped))
    assert refused.outcome == Outcome.REJECTED
    assert (
        "лист «Пары», строка 2, столбец «Код пары»: Эти наставник и наставляемые уже составляют "
        "пару «П-01» (с 01.10.2023 по 31.05.2024), а сроки пересекаются. Если это та же пара, "
        "укажите её код «П-01»: другой код добавил бы вторую пару, и приказ утвердил бы обе."
        in refused.message
    )
    later = {"Пары": [PAIR_HEADER, pair_row("П-11", date(2024, 9, 2), date(2025, 5, 30))]}
    done = process_workbook(settings, write_workbook(tmp_path / "3.xlsx", later))
    assert done.outcome == Outcome.DONE, done.message
    with session_scope(settings.database_url) as s:
        assert s.scalar(select(func.count()).select_from(Pair)) == 2


def test_the_same_pair_twice_in_one_workbook_is_refused(tmp_path):
    sheets = valid_sheets()
    sheets["Пары"].append(pair_row("П-02", date(2023, 11, 1), date(2024, 4, 30)))
    book, report = read_sheets(tmp_path, sheets)
    assert book is None
    assert [(p.row, p.column, p.message) for p in report.errors] == [
        (
            3,
            "Код пары",
            "Эти наставник и наставляемые уже составляют пару «П-01» (с 01.10.2023 по "
            "31.05.2024), а сроки пересекаются. Если это та же пара, укажите её код «П-01»: "
            "другой код добавил бы вторую пару, и приказ утвердил бы обе.",
        )
    ]


def test_a_corrected_name_without_a_code_is_not_a_second_person(settings, tmp_path):
    """September registers «Смирнов Иля Олегович» (a typo, no Код); November's «Наставляемые»
    has «Смирнов Илья Олегович», born the same day: it added a second person with consents of
    his own, and the pair moved to him. The workbook is refused, saying how to correct the ФИО;
    with a Код the row is taken as written (twins share a surname and a birthday)."""
    sheets = valid_sheets()
    sheets["Наставляемые"][1][:2] = [None, "Смирнов Иля Олегович"]
    sheets["Пары"][1][2] = "Смирнов Иля Олегович"
    assert process_workbook(settings, write_workbook(tmp_path / "1.xlsx", sheets)).outcome == (
        Outcome.DONE
    )
    row = [None, "Смирнов Илья Олегович", date(1999, 11, 20), "молодой специалист", "учитель"]
    fixed = {"Наставляемые": [MENTEE_HEADER[:5], row]}
    refused = process_workbook(settings, write_workbook(tmp_path / "2.xlsx", fixed))
    assert refused.outcome == Outcome.REJECTED
    assert (
        "лист «Наставляемые», строка 2, столбец «ФИО»: В реестре уже есть Смирнов Иля "
        "Олегович с той же датой рождения (20.11.1999). Если это он и ФИО исправлено, сначала "
        "передайте книгу, где у него прежнее ФИО и заполнен «Код», затем — новое ФИО с тем же "
        "Кодом: ФИО исправится во всех его документах. Если это другой человек, заполните у "
        "него «Код»." in refused.message
    )
    coded = {"Наставляемые": [MENTEE_HEADER[:5], ["У-01", "Смирнов Иля Олегович", *row[2:]]]}
    for step in (coded, {"Наставляемые": [MENTEE_HEADER[:5], ["У-01", *row[1:]]]}):
        done = process_workbook(settings, write_workbook(tmp_path / "4.xlsx", step))
        assert done.outcome == Outcome.DONE, done.message
    with session_scope(settings.database_url) as s:
        mentee = s.scalars(select(Pair)).one().mentees[0]
        assert (mentee.code, mentee.full_name) == ("У-01", "Смирнов Илья Олегович")
        assert s.scalar(select(func.count()).select_from(Person)) == 2
    twin = {"Наставляемые": [MENTEE_HEADER[:5], ["У-02", "Смирнов Ильяс Олегович", *row[2:]]]}
    done = process_workbook(settings, write_workbook(tmp_path / "5.xlsx", twin))
    assert done.outcome == Outcome.DONE, done.message


def test_a_pair_given_another_mentor_is_taken_with_a_warning(settings, tmp_path):
    """December: П-01's mentor is replaced (same pair, same mentee). The workbook is taken, and
    the report says what the register does with it — it said nothing, the old mentor vanishing
    from the pair and a new version of the pairs' order made to sign."""
    sheets = valid_sheets()
    other = ["Н-02", "Белова Елена Викторовна", date(1972, 11, 8), "педагог", "учитель", None]
    sheets["Наставники"].append([*other, "нет", None, None])
    assert process_workbook(settings, write_workbook(tmp_path / "1.xlsx", sheets)).outcome == (
        Outcome.DONE
    )
    replaced = pair_row("П-01")
    replaced[1] = "Н-02"
    done = process_workbook(
        settings, write_workbook(tmp_path / "2.xlsx", {"Пары": [PAIR_HEADER, replaced]})
    )
    assert done.outcome == Outcome.DONE, done.message
    assert [(p.sheet, p.row, p.column, p.message) for p in done.report.warnings] == [
        (
            "Пары",
            2,
            "Наставник",
            "У пары «П-01» меняется наставник: была Петрова Анна Сергеевна. Пара остаётся той "
            "же (тот же код); её программа и приказ об утверждении пар составляются заново, "
            "новыми версиями — подписанные версии остаются как были. Приказа о замене наставника "
            "сервис не составляет.",
        )
    ]
    with session_scope(settings.database_url) as s:
        assert s.scalars(select(Pair)).one().mentor.full_name == "Белова Елена Викторовна"


def test_only_a_few_letters_make_two_names_one_persons_typo():
    """Another child born the same day with the same first name and patronymic («Кузьмин Артём
    Сергеевич» beside «Кузнецов Артём Сергеевич») was refused as a corrected ФИО: the ratio of
    the whole ФИО counted what the two share. A typo is a few letters; twins share a surname."""
    from service.intake.repeats import similar_names

    assert similar_names("Смирнов Иля Олегович", "Смирнов Илья Олегович")
    assert similar_names("Смрнов Илья Олегович", "Смирнов Илья Олегович")
    assert similar_names("Наталия Петрова Ивановна", "Наталья Петрова Ивановна")
    assert similar_names("Смирнов Ильяс Олегович", "Смирнов Илья Олегович")  # twins: a Код
    assert not similar_names("Кузьмин Артём Сергеевич", "Кузнецов Артём Сергеевич")
    assert not similar_names("Петренко Сергей Иванович", "Петров Сергей Иванович")
    assert not similar_names("Сорокина Мария Александровна", "Соколова Мария Александровна")
    assert not similar_names("Никитин Артём Дмитриевич", "Новиков Артём Дмитриевич")


def test_a_mentor_given_a_code_later_keeps_her_pairs_without_a_warning(settings, tmp_path):
    """September's «Наставники» has no Код; November's gives the same mentor one (as the
    corrected-ФИО refusal asks): her pair was reported as getting another mentor — «была
    Петрова Анна Сергеевна» about Петрова Анна Сергеевна herself."""
    sheets = valid_sheets()
    sheets["Наставники"][1][0] = None
    assert process_workbook(settings, write_workbook(tmp_path / "1.xlsx", sheets)).outcome == (
        Outcome.DONE
    )
    coded = valid_sheets()
    done = process_workbook(settings, write_workbook(tmp_path / "2.xlsx", coded))
    assert done.outcome == Outcome.DONE, done.message
    assert done.report.warnings == []


def test_a_pair_naming_a_renamed_person_by_the_old_name_is_taken_with_a_warning(settings, tmp_path):
    """January: Н-01 marries (same Код, new ФИО) and the «Пары» of the same workbook still
    names her by the old ФИО. The pair was silently moved to the new ФИО; the secretary is now
    told where the old name stands and which new ФИО the register takes."""
    sheets = valid_sheets()
    assert process_workbook(settings, write_workbook(tmp_path / "1.xlsx", sheets)).outcome == (
        Outcome.DONE
    )
    renamed = valid_sheets()
    renamed["Наставники"][1][1] = "Иванова Анна Сергеевна"
    del renamed["Организация"], renamed["Наставляемые"]
    done = process_workbook(settings, write_workbook(tmp_path / "2.xlsx", renamed))
    assert done.outcome == Outcome.DONE, done.message
    assert [(p.sheet, p.row, p.column, p.message) for p in done.report.warnings] == [
        (
            "Пары",
            2,
            "Наставник",
            "«Петрова Анна Сергеевна» — прежнее ФИО: на листе «Наставники» (строка 2) у "
            "человека с Кодом «Н-01» новое ФИО «Иванова Анна Сергеевна». Пара записана с новым "
            "ФИО; укажите здесь новое ФИО или Код, чтобы книга не расходилась с реестром.",
        )
    ]
    with session_scope(settings.database_url) as s:
        assert s.scalars(select(Pair)).one().mentor.full_name == "Иванова Анна Сергеевна"
        assert s.scalar(select(func.count()).select_from(Person)) == 2


def test_a_form_that_does_not_fit_the_pairs_people_is_taken_with_a_warning(tmp_path):
    """«Ученик – ученик» with a teacher mentoring a young teacher went into the order approving
    the pairs unnoticed; a reverse pair («реверсивная») may have the younger one mentor."""
    sheets = valid_sheets()
    sheets["Пары"][1][3] = "Ученик – ученик"
    book, report = read_sheets(tmp_path, sheets)
    assert book is not None
    assert [(p.sheet, p.row, p.column, p.message) for p in report.warnings] == [
        (
            "Пары",
            2,
            "Форма",
            f"У {whose} «{name}» категория «{category}», а в форме «Ученик – ученик» {who} — "
            f"обучающийся. Проверьте форму пары или {whose}: форма печатается в приказе об "
            "утверждении пар.",
        )
        for who, whose, name, category in (
            ("наставник", "наставника", "Петрова Анна Сергеевна", "педагог"),
            ("наставляемый", "наставляемого", "Смирнов Илья Олегович", "молодой специалист"),
        )
    ]
    sheets["Пары"][1][4] = "реверсивная"
    assert read_sheets(tmp_path, sheets, name="2.xlsx")[1].warnings == []


def test_a_form_is_checked_against_people_of_the_register(settings, tmp_path):
    """November's «Пары» names people of September's workbook: their categories are the
    register's."""
    assert process_workbook(
        settings, write_workbook(tmp_path / "1.xlsx", valid_sheets())
    ).outcome == (Outcome.DONE)
    row = pair_row("П-01")
    row[3] = "Учитель – ученик"
    done = process_workbook(
        settings, write_workbook(tmp_path / "2.xlsx", {"Пары": [PAIR_HEADER, row]})
    )
    assert done.outcome == Outcome.DONE, done.message
    assert [p.message for p in done.report.warnings] == [
        "У наставляемого «Смирнов Илья Олегович» категория «молодой специалист», а в форме "
        "«Учитель – ученик» наставляемый — обучающийся. Проверьте форму пары или "
        "наставляемого: форма печатается в приказе об утверждении пар."
    ]


def test_the_form_warning_agrees_with_a_woman_mentee(tmp_path):
    """A young female teacher as the mentee of «Учитель – ученик»: «У наставляемой …»,
    «Проверьте форму пары или наставляемую» (it said «наставляемого» of her)."""
    sheets = valid_sheets()
    sheets["Наставляемые"][1][1] = "Смирнова Ольга Олеговна"
    sheets["Пары"][1][2] = "Смирнова Ольга Олеговна"
    sheets["Пары"][1][3] = "Учитель – ученик"
    book, report = read_sheets(tmp_path, sheets)
    assert book is not None
    assert [p.message for p in report.warnings] == [
        "У наставляемой «Смирнова Ольга Олеговна» категория «молодой специалист», а в форме "
        "«Учитель – ученик» наставляемый — обучающийся. Проверьте форму пары или "
        "наставляемую: форма печатается в приказе об утверждении пар."
    ]


FULL_PAIR_HEADER = [
    "Код пары", "Наставник", "Наставляемые", "Форма", "Вариант", "Вид", "Дата начала",
    "Дата окончания", "Цель", "Задачи", "Ожидаемые результаты",
]  # fmt: skip


def test_a_pair_listed_again_with_empty_optional_cells_keeps_them(settings, tmp_path):
    """January lists П-01 again only to move its end: empty «Вариант», «Вид», «Задачи» and
    «Ожидаемые результаты» keep the register's, as a person's empty cells do (they were erased,
    and the pair became «традиционная», in the order and the programme to sign again)."""
    sheets = valid_sheets()
    full = [
        "П-01", "Петрова Анна Сергеевна", "Смирнов Илья Олегович", "Учитель – учитель",
        "Опытный педагог – молодой специалист", "виртуальная", date(2023, 10, 1),
        date(2024, 5, 31), "Адаптация молодого специалиста",
        "освоить методику урока; выстроить дисциплину", "открытый урок",
    ]  # fmt: skip
    sheets["Пары"] = [FULL_PAIR_HEADER, full]
    first = process_workbook(settings, write_workbook(tmp_path / "1.xlsx", sheets))
    assert first.outcome == Outcome.DONE, first.message
    moved = [*full[:7], date(2024, 5, 24), full[8], None, None]
    moved[4] = moved[5] = None
    second = {"Пары": [FULL_PAIR_HEADER, moved]}
    done = process_workbook(settings, write_workbook(tmp_path / "2.xlsx", second))
    assert done.outcome == Outcome.DONE, done.message
    with session_scope(settings.database_url) as s:
        pair = s.scalars(select(Pair)).one()
        assert (pair.variant, pair.mode, pair.tasks, pair.expected_results, pair.end) == (
            "Опытный педагог – молодой специалист",
            "виртуальная",
            ["освоить методику урока", "выстроить дисциплину"],
            "открытый урок",
            date(2024, 5, 24),
        )


def test_a_reverse_pair_listed_again_with_vid_empty_is_still_reverse(settings, tmp_path):
    """A registered «реверсивная» pair listed again with «Вид» empty keeps its «Вид» (see
    above), so the form check spares it as before; it warned of the younger mentor."""
    sheets = valid_sheets()
    sheets["Пары"][1][3] = "Ученик – ученик"
    sheets["Пары"][1][4] = "реверсивная"
    first = process_workbook(settings, write_workbook(tmp_path / "1.xlsx", sheets))
    assert first.outcome == Outcome.DONE, first.message
    assert first.report.warnings == []
    row = pair_row("П-01", end=date(2024, 5, 24))
    row[3] = "Ученик – ученик"
    done = process_workbook(
        settings, write_workbook(tmp_path / "2.xlsx", {"Пары": [PAIR_HEADER, row]})
    )
    assert done.outcome == Outcome.DONE, done.message
    assert done.report.warnings == []
    with session_scope(settings.database_url) as s:
        assert s.scalars(select(Pair.mode)).one() == "реверсивная"
