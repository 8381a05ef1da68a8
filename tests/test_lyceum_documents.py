"""The documents of a city lyceum (tests/lyceum_school.py), read as its secretary and the
inspector of section 12 read them before signing: each sentence below was printed wrong
before its fix."""

from __future__ import annotations

import pytest

from tests.lyceum_school import write_lyceum_workbook
from tests.test_document_names import processed_school

NBSP = "\u00a0"
SCHOOL = "МАОУ «Лицей № 9»"


@pytest.fixture(scope="module")
def school(tmp_path_factory) -> tuple[dict[tuple[str, str], str], list[str]]:
    """(kind, subject) → text of every document the workbook made; the intake's warnings."""
    return processed_school(tmp_path_factory.mktemp("lyceum"), write_lyceum_workbook)


def test_an_enterprise_named_in_full_is_in_the_genitive_after_the_position(school):
    """«начальник центральной заводской лаборатории Акционерное общество «Новосибирский завод
    химконцентратов»» in the contract, the order on pairs, the programme and the training list:
    the place of work after a position is «чего?» — «Акционерного общества». An abbreviation
    («АО «…»», «КФУ») does not decline and stays as typed."""
    texts, _ = school
    post = (
        "начальник центральной заводской лаборатории Акционерного общества «Новосибирский "
        "завод химконцентратов»"
    )
    assert (
        f"с одной стороны, и Кравченко Олег Николаевич, {post} (далее{NBSP}— Наставник)"
    ) in texts["contract_external", "Кравченко Олег Николаевич"]
    assert f"П-01 | Кравченко Олег Николаевич ({post}) | " in texts["order_pairs", SCHOOL]
    assert f"Наставник | Кравченко Олег Николаевич ({post})\n" in texts["program", "П-01"]
    assert (
        f"3 | Кравченко Олег Николаевич | Н{post[1:]} | Сотрудник предприятия\n"
        in texts["order_training", SCHOOL]
    )
    # the requisites of the contract name the employer as it is registered
    assert (
        "Место работы: Акционерное общество «Новосибирский завод химконцентратов»"
        in texts["contract_external", "Кравченко Олег Николаевич"]
    )


def test_a_class_with_its_profile_takes_the_word_class_after_its_letter(school):
    """A lyceum writes the profile with the class: «9 Б (физико-математический)» was «обучающейся
    9 Б (физико-математический) класса», «10А класс химико-биологического профиля» was
    «обучающейся 10А класс химико-биологического профиля» in the guardian's consent, and «9 Б
    (физико-математический) класс» in the order on pairs. «Класс» (in the sentence's case)
    follows the number and the letter; the profile follows it."""
    texts, _ = school
    assert (
        "несовершеннолетней обучающейся 9\xa0Б класса (физико-математический) МАОУ «Лицей № 9» "
        "Фоминой Дарьи Алексеевны,"
    ).replace("№ ", f"№{NBSP}") in texts["consent_guardian", "Фомина Дарья Алексеевна"]
    assert (
        "несовершеннолетней обучающейся 10\xa0А класса химико-биологического профиля МАОУ "
        "«Лицей № 9» Шестаковой Полины Олеговны,"
    ).replace("№ ", f"№{NBSP}") in texts["consent_guardian", "Шестакова Полина Олеговна"]
    assert (
        # every mentee of the cell «ФИО (…)», brackets nested (left12)
        "| Фомина Дарья Алексеевна (9\xa0Б класс (физико-математический)); Рябов Кирилл Андреевич "
        "(9\xa0Б класс); Шестакова Полина Олеговна (10\xa0А класс химико-биологического профиля); "
    ) in texts["order_pairs", SCHOOL]


def test_a_retired_mentor_without_a_position_is_told_what_to_write(tmp_path):
    """A retired external mentor has no position; her empty «Должность или класс» refused the
    workbook with «например «учитель математики» или «10 Б»», neither of which she is."""
    from service.config import load_settings
    from service.home import initialise_home
    from service.intake.demo import write_filled_workbook
    from service.pipeline import Outcome, process_workbook
    from tests.lyceum_school import MENTORS, ORGANIZATION_ROWS

    settings = load_settings({"home": tmp_path / "home", "database_url": ""})
    initialise_home(settings)
    retired = {**MENTORS[1], "Должность или класс": ""}
    book = tmp_path / "пенсионер.xlsx"
    write_filled_workbook(book, organization=ORGANIZATION_ROWS, mentors=[retired])
    result = process_workbook(settings, book)
    assert result.outcome == Outcome.REJECTED
    assert [problem.message for problem in result.report.errors] == [
        "обязательная ячейка не заполнена. Укажите значение, например «учитель математики», "
        "«10 Б», у наставника на пенсии — «пенсионер»."
    ]


def test_a_groups_programme_keeps_its_last_words_with_the_signatures():
    """A group of five made the programme's signatures (mentor, five mentees, curator) a third
    page with nothing else on it (LibreOffice, A4): a page of signatures alone can be put under
    any text. The closing paragraph keeps with the signature table now, as the reports do."""
    from pathlib import Path

    from docx import Document

    template = Path(__file__).resolve().parent.parent / "templates_docx" / "program.docx"
    closing = [p for p in Document(template).paragraphs if p.text.startswith("Количество встреч")]
    assert [p.paragraph_format.keep_with_next for p in closing] == [True]


def test_the_contract_gives_the_schools_ogrn_beside_its_inn(school):
    """A contract with an external mentor is signed by a legal entity: its requisites named
    the school's ИНН but had no place for its ОГРН, and a row «ОГРН» in «Организация» was not
    read. Typed with its name and spaces, it is printed as digits after «ОГРН»."""
    texts, warnings = school
    assert (
        f"Адрес: 630099, г.{NBSP}Новосибирск, ул.{NBSP}Советская, 63ИНН 5406108372ОГРН "
        "1025402479873Сайт:" in texts["contract_external", "Кравченко Олег Николаевич"]
    )
    assert not [w for w in warnings if "ОГРН" in w]


def test_the_participle_after_the_schools_name_agrees_whatever_the_name(school):
    """«Целевая модель наставничества МАОУ «Лицей № 9» (далее — школа), осуществляющей» in the
    regulation (учреждение: «осуществляющего») and «… МАОУ «Лицей № 9», осуществляющего» in the
    target model (a «Гимназия № 5» would be «осуществляющей»): the two documents signed
    together disagreed, and each was wrong for some school. «образовательной организации»
    before the participle agrees with it for every name."""
    texts, _ = school
    tail = (
        "образовательной организации, осуществляющей образовательную деятельность по "
        "общеобразовательным, дополнительным общеобразовательным программам (далее — целевая "
        "модель наставничества), разработана"
    ).replace(" — ", f"{NBSP}— ")
    school_name = "МАОУ «Лицей № 9»".replace("№ ", f"№{NBSP}")
    assert (
        f"1.2. Целевая модель наставничества {school_name} (далее{NBSP}— школа), {tail}"
        in texts["regulation", SCHOOL]
    )
    assert (
        f"Настоящая целевая модель наставничества {school_name}, {tail}"
        in texts["target_model", SCHOOL]
    )


def test_an_individual_entrepreneur_after_the_position_is_in_the_genitive(tmp_path):
    """An external mentor working for an individual entrepreneur: «мастер Индивидуальный
    предприниматель Иванов Иван Иванович» in the order on pairs and the programme — the
    employer after a position stayed in the nominative. The words and his ФИО decline like any
    («Индивидуального предпринимателя Иванова Ивана Ивановича»); «ИП» stays, his ФИО declines."""
    from datetime import date

    from tests.workbooks import MENTOR_HEADER, valid_sheets, write_workbook

    def write(path, workplace: str):
        sheets = valid_sheets()
        sheets["Наставники"] = [
            MENTOR_HEADER,
            ["Н-01", "Петрова Анна Сергеевна", date(1980, 3, 14), "сотрудник предприятия",
             "мастер производственного обучения", workplace, "да",
             "паспорт 04 12 345678", None],
        ]  # fmt: skip
        return write_workbook(path, sheets)

    for workplace, employer in (
        (
            "Индивидуальный предприниматель Иванов Иван Иванович",
            "Индивидуального предпринимателя Иванова Ивана Ивановича",
        ),
        ("ИП Морозова Е. В.", "ИП Морозовой Е.В."),  # initials as the intake writes them
    ):
        folder = tmp_path / workplace
        folder.mkdir()
        texts, _ = processed_school(folder, lambda path, typed=workplace: write(path, typed))
        plain = {key: text.replace(NBSP, " ") for key, text in texts.items()}  # «Морозовой Е.В.»
        post = f"мастер производственного обучения {employer}"
        assert f"Наставник | Петрова Анна Сергеевна ({post})\n" in plain["program", "П-01"]
        assert (
            f"П-01 | Петрова Анна Сергеевна ({post}) | "
            in (plain["order_pairs", "МБОУ Идринская СОШ"])
        )
        assert (
            f"и Петрова Анна Сергеевна, {post} (далее — Наставник)"
            in (plain["contract_external", "Петрова Анна Сергеевна"])
        )
