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
