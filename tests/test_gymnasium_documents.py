"""The September documents of «МАОУ «Гимназия № 3» г. Тюмени» (tests/gymnasium_school.py), read
as play21 read them signed: the regulation's «ПРИНЯТО» block and the order approving the pairs."""

from __future__ import annotations

import pytest

from tests.gymnasium_school import write_gymnasium_workbook
from tests.test_document_names import processed_school

NBSP = "\u00a0"
SCHOOL = f"МАОУ «Гимназия №{NBSP}3»{NBSP}г.{NBSP}Тюмени"


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> dict[tuple[str, str], str]:
    """(kind, subject) → text of every document the September workbook made."""
    return processed_school(tmp_path_factory.mktemp("gymnasium"), write_gymnasium_workbook)[0]


def test_a_protocol_number_typed_with_its_sign_is_printed_with_one(texts):
    """«№ 1» typed in «Положение принято педсоветом (протокол №)» was printed «протокол от
    29.08.2025 № № 1»; the director returned the regulation for it."""
    regulation = texts["regulation", "МАОУ «Гимназия № 3» г. Тюмени"]
    assert (
        f"ПРИНЯТОна заседании педагогического совета {SCHOOL}протокол от 29.08.2025 №{NBSP}1 | "
        "УТВЕРЖДАЮ"
    ) in regulation


def test_a_class_keeps_its_letter_on_the_line_of_its_number(texts):
    """The order's column of mentees broke «Черных Ольга Андреевна (5» / «А класс)» (PDF by
    LibreOffice); the consents print the class in the genitive the same way."""
    order = texts["order_pairs", "МАОУ «Гимназия № 3» г. Тюмени"]
    assert (
        f"П-04 | Фомин Пётр Ильич (учитель математики) | Петров Лев Петрович (5{NBSP}Б класс); "
        f"Черных Ольга Андреевна (5{NBSP}А класс); Лукина Любовь Игоревна (6{NBSP}А класс) | "
    ) in order
    consent = texts["consent_guardian", "Мамедова Лейла Эльдар кызы"]
    assert (
        "являясь законным представителем (родителем, усыновителем, опекуном, попечителем) "
        f"несовершеннолетней обучающейся 9{NBSP}В класса {SCHOOL} Мамедовой Лейлы Эльдар кызы, "
        "01.01.2010 года рождения"
    ) in consent
