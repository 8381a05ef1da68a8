"""The documents of a school in Kazan (tests/kazan_school.py), read as its secretary and its
director read them before signing: each sentence below was printed wrong before its fix."""

from __future__ import annotations

import pytest

from service.pipeline import Outcome, process_workbook
from tests.kazan_school import write_kazan_workbook
from tests.test_document_names import processed_school

NBSP = "\u00a0"
SCHOOL = "МБОУ «СОШ № 7»"


def _typeset(text: str) -> str:
    """``text`` as the documents print it: a no-break space after «№»."""
    return text.replace("№ ", f"№{NBSP}")


@pytest.fixture(scope="module")
def school(tmp_path_factory) -> tuple[dict[tuple[str, str], str], list[str]]:
    """(kind, subject) → text of every document the workbook made; the intake's warnings."""
    return processed_school(tmp_path_factory.mktemp("kazan"), write_kazan_workbook)


def test_a_tatar_womans_name_in_a_consonant_is_a_womans(school):
    """«Ковальчук Лейсан» (no patronymic; Ковальчук does not tell) was a man: «назначить
    координатором … Ковальчука Лейсана», «Координатору … Ковальчуку Лейсану», «на Ковальчука
    Лейсана. 3. Ответственному за проведение»."""
    texts, _ = school
    order = texts["order_coordinators", SCHOOL]
    assert (
        _typeset(
            "1. Назначить координатором внедрения целевой модели наставничества в МБОУ «СОШ № 7» "
            "на 2026–2027 учебный год Ковальчук Лейсан, педагога-психолога.\n"
            "2. Координатору внедрения целевой модели наставничества Ковальчук Лейсан:\n"
        )
        in order
    )
    assert (
        "2. Возложить ответственность за подготовку и проведение итогового мероприятия на "
        "Ковальчук Лейсан.\n3. Ответственной за проведение итогового мероприятия:\n"
    ) in texts["order_final_event", SCHOOL]


def test_nikola_without_a_patronymic_is_a_man(school):
    """«Петров Никола» was a woman: «Петров Николе», «Наставляемая» of «Салтыков-Щедрин
    Никола»."""
    texts, warnings = school
    consent = texts["consent_guardian", "Салтыков-Щедрин Никола"]
    assert (
        _typeset(
            "несовершеннолетнего обучающегося 9\xa0А класса МБОУ «СОШ № 7» Салтыкова-Щедрина "
            f"Николы, 06.06.2011 года рождения (далее{NBSP}— Несовершеннолетний)"
        )
        in consent
    )
    assert not [w for w in warnings if "Никола" in w]


def test_positions_typed_in_capitals_are_printed_in_lower_case(school):
    """«ДИРЕКТОР», «УЧИТЕЛЬ ФИЗИКИ», «ПЕДАГОГ-ПСИХОЛОГ» were printed in capitals: «в лице
    ДИРЕКТОРА», «ДИРЕКТОР МБОУ «СОШ № 7»» under every order, «(УЧИТЕЛЬ ФИЗИКИ)»; «главный
    инженер» with two spaces kept them."""
    texts, _ = school
    assert (
        "в лице директора Хабибуллиной Гульшат Ринатовны, действующей на основании Устава, "
        "с одной стороны, и Шмидт Эльза, главный инженер АО «Казаньоргсинтез»"
    ) in texts["contract_external", "Шмидт Эльза"]
    pairs = texts["order_pairs", SCHOOL]
    assert (
        "П-01 | Сафин Ринат Фаритович (учитель физики) | Дурново Илья Саввич (учитель химии) | "
        in pairs
    )
    assert _typeset(f"Директор МБОУ «СОШ № 7» | _____________ | Г.Р.{NBSP}Хабибуллина\n") in pairs
    assert (
        "на 2026–2027 учебный год Ковальчук Лейсан, педагога-психолога.\n"
        in texts["order_coordinators", SCHOOL]
    )
    assert (
        _typeset("Я, Сафин Ринат Фаритович, учитель физики МБОУ «СОШ № 7», в соответствии с")
        in texts["mentor_consent", "Сафин Ринат Фаритович"]
    )


def test_a_glued_ogly_keeps_its_lower_case(school):
    """«Гасанов Эльчин Гасан-Оглы» was printed with a capital «О» in every order."""
    texts, _ = school
    assert (
        "2. Назначить куратором внедрения целевой модели наставничества Гасанова Эльчина "
        "Гасан-оглы, заместителя директора по УВР.\n"
    ) in texts["order_implementation", SCHOOL]


def test_the_director_who_is_a_mentor_does_not_acknowledge_her_own_orders(school):
    """The director signs the order; as a mentor she was also listed in «С приказом
    ознакомлены» of the orders on pairs and on training."""
    texts, _ = school
    pairs = texts["order_pairs", SCHOOL]
    listed = pairs.split("С приказом ознакомлены:\nФИО | Подпись | Дата\n")[1]
    assert [line.split(" |")[0] for line in listed.splitlines() if line.strip()] == [
        f"Гасанов{NBSP}Э.Г.",
        f"Сафин{NBSP}Р.Ф.",
        f"Мамедова{NBSP}С.Э.",
        f"Дурново{NBSP}И.С.",
        f"Иванова{NBSP}Л.С.",
        f"Ковальчук{NBSP}А.",
    ]
    training = texts["order_training", SCHOOL]
    assert f"Хабибуллина{NBSP}Г.Р. |" not in training.split("С приказом ознакомлены:")[1]


def test_a_director_the_register_knows_as_a_woman_is_not_warned_about(tmp_path):
    """«Ким Сон Хи» is the director and a mentor with «Пол» «ж» in the register: a later
    workbook with only «Организация» says nothing; in an empty register it warns that she
    will be written as a man."""
    from service.config import load_settings
    from service.home import initialise_home
    from service.intake.demo import write_filled_workbook
    from tests.names_school import ORGANIZATION_ROWS, write_names_workbook

    later = {**ORGANIZATION_ROWS, "Сайт": "https://school.example.ru"}
    warned = []
    for name, first in (("known", True), ("empty", False)):
        settings = load_settings({"home": tmp_path / name, "database_url": ""})
        initialise_home(settings)
        if first:
            done = process_workbook(settings, write_names_workbook(tmp_path / "first.xlsx"))
            assert done.outcome == Outcome.DONE, done.message
        book = tmp_path / f"{name}.xlsx"
        write_filled_workbook(book, organization=later)
        result = process_workbook(settings, book)
        assert result.outcome == Outcome.DONE, result.message
        warned.append([p.message.split(":")[0] for p in result.report.warnings])
    assert warned == [[], ["По ФИО руководителя «Ким Сон Хи» не понять, мужчина это или женщина"]]


def test_the_director_who_is_a_mentor_writes_no_consent_to_herself(school):
    """The director mentors П-06: her «Согласие на назначение наставником» read «Директору МБОУ
    «СОШ № 7» Хабибуллиной Гульшат Ринатовне от директора Хабибуллиной Гульшат Ринатовны». She
    appoints herself by signing the order on pairs; the other teachers' consents stay."""
    texts, _ = school
    consents = sorted(subject for kind, subject in texts if kind == "mentor_consent")
    assert consents == [
        "Ким Сон Хи",
        "Мамедова Севиль Эльчин кызы",
        "Сафин Ринат Фаритович",
    ]


def test_the_order_on_pairs_keeps_the_consents_for_a_minor_mentor_too(school):
    """Ахметова Лейсан, 11 А, is a mentor under 18: the curator was told to keep the consents
    of the guardians of «несовершеннолетних наставляемых» only, though her guardian signed one
    too."""
    texts, _ = school
    assert (
        "3.1. обеспечить хранение письменных согласий участников наставнических пар (групп), в "
        "том числе согласий родителей (законных представителей) несовершеннолетних участников, "
        "и письменных согласий педагогических работников на назначение наставниками;\n"
    ) in texts["order_pairs", SCHOOL]
    assert ("consent_guardian", "Ахметова Лейсан") in texts
