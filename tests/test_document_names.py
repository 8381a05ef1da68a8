"""The documents of a school of names nobody tried (tests/names_school.py), read as the
secretary and the director read them: each sentence below was wrong before its fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.documents.text import docx_text
from service.pipeline import Outcome, process_workbook
from tests.names_school import write_names_workbook

NBSP = "\u00a0"


def processed_school(folder: Path, write) -> tuple[dict[tuple[str, str], str], list[str]]:
    """(kind, subject) → text of every document ``write(path)``'s workbook made in a new home
    in ``folder``; the intake's warnings (also tests/test_document_readers.py)."""
    from service.config import load_settings
    from service.home import initialise_home

    settings = load_settings({"home": folder, "database_url": ""})
    initialise_home(settings)
    result = process_workbook(settings, write(folder / "школа.xlsx"))
    assert result.outcome == Outcome.DONE, result.message
    texts = {
        (entry.kind, entry.subject): docx_text(Path(result.folder) / entry.file)
        for entry in result.entries
    }
    return texts, [problem.message for problem in result.report.warnings]


@pytest.fixture(scope="module")
def school(tmp_path_factory) -> tuple[dict[tuple[str, str], str], list[str]]:
    """(kind, subject) → text of every document the workbook made; the intake's warnings."""
    return processed_school(tmp_path_factory.mktemp("names"), write_names_workbook)


def test_a_first_name_the_rules_do_not_know_takes_its_sex_from_the_dictionary(school):
    """Эсфирь is not in pytrovich's list of first names: «Седых Эсфирь», a girl without a
    patronymic, was «несовершеннолетнего обучающегося … Седых Эсфиря (далее — Несовершеннолетний)»
    and the intake asked for her «Пол»; pymorphy3's dictionary knows her name as a woman's."""
    texts, warnings = school
    assert (
        "несовершеннолетней обучающейся 7\xa0Б класса МБОУ Идринская СОШ Седых Эсфири, 03.03.2010 "
        f"года рождения (далее{NBSP}— Несовершеннолетняя), что подтверждается"
    ) in texts["consent_guardian", "Седых Эсфирь"]
    assert (
        "Седых Эсфирь (7\xa0Б класс); Цой Виктория (7\xa0Б класс)"
        in texts["order_pairs", "МБОУ Идринская СОШ"]
    )
    assert warnings == []


def test_the_director_and_the_event_take_the_sex_a_participant_of_the_same_name_was_given(school):
    """«Ким Сон Хи» tells no sex; the director is also a mentor whose «Пол» is «ж»: the
    contract said «в лице директора Ким Сон Хи, действующего», the final event's order
    «Ответственному» of her."""
    texts, _ = school
    assert (
        "(МБОУ Идринская СОШ; далее — Организация) в лице директора Ким Сон Хи, действующей на "
        "основании Устава, с одной стороны, и Гёте Иоганн, доцент кафедры педагогики КГПУ "
        f"им.{NBSP}В.{NBSP}П.{NBSP}Астафьева (далее{NBSP}— Наставник), с другой стороны"
    ).replace("далее — О", f"далее{NBSP}— О") in texts["contract_external", "Гёте Иоганн"]
    assert (
        "2. Возложить ответственность за подготовку и проведение итогового мероприятия на Ким "
        "Сон Хи.\n3. Ответственной за проведение итогового мероприятия:\n"
    ) in texts["order_final_event", "МБОУ Идринская СОШ"]


def test_latin_look_alikes_in_a_position_and_free_text_are_read_as_cyrillic(school):
    """«учитeль физики» (a Latin «e») was printed undeclined and half-Latin: «от учитeль
    физики»; «педагог-психолoг», «Мамедовa С. Г.» printed as typed."""
    texts, _ = school
    assert (
        "от учителя физики\nЧерных Ильи Петровича\n"
        in texts["mentor_consent", "Черных Илья Петрович"]
    )
    order = texts["order_coordinators", "МБОУ Идринская СОШ"]
    assert "на 2023–2024 учебный год Бондарь Нинель Петровну, педагога-психолога.\n" in order
    training = texts["order_training", "МБОУ Идринская СОШ"]
    assert (
        f"1 | Введение в наставничество | 20{NBSP}сентября 2023{NBSP}г. | 4 | Семинар | "
        "Мамедова Севиль Гасан кызы\n" in training  # the curator: read in Cyrillic, she is known
    )
    assert "7 | Черных Илья Петрович | Учитель физики | Педагог\n" in training
