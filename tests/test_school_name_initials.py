"""A school named after a person, «им. А. М. Матросова»: its short name is printed in the
director's narrow signature cell of every order, where LibreOffice broke it as «им. А.» /
«М. Матросова» (reader16). The spaces after «им.» and after each initial are no-break ones."""

from __future__ import annotations

from service.documents.context import common_context
from service.register import models as m


def school(short_name: str) -> m.Organization:
    return m.Organization(
        full_name="Муниципальное бюджетное общеобразовательное учреждение",
        short_name=short_name,
        locality="г. Верхнеуральск",
        head_name="Хабибуллин Ринат Маратович",
        head_position="Директор",
        curator_name="Григорьева Елена Львовна",
        curator_position="заместитель директора",
        school_year="2025–2026",
    )


def test_initials_in_the_school_name_do_not_break_across_lines():
    org = common_context(school("МБОУ «СОШ № 17 им. А. М. Матросова»"))["org"]
    assert org["short_name"] == "МБОУ «СОШ № 17 им.\u00a0А.\u00a0М.\u00a0Матросова»"


def test_a_name_without_initials_is_printed_as_typed():
    org = common_context(school("МБОУ Идринская СОШ"))["org"]
    assert org["short_name"] == "МБОУ Идринская СОШ"
