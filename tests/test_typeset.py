"""The documents of «МБОУ «СОШ № 17 им. А. М. Матросова»» (tests/matrosov_school.py) as
LibreOffice and Word lay them out: what a line must not break is joined by no-break spaces —
after «им.» and the initials of the full name and of a typed place, after «г.», «ул.», «д.»,
«кв.» of an address. reader17 read the signed PDFs: «г.» / «Красноярск», «ул.» / «Ленина»,
«имени А.» / «М. Матросова», «им. А.» / «М. Матросова» at the ends of lines of the consents,
the contract and the orders."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document as Docx
from docx.shared import Cm, Pt

from service.documents.render import render_template_file
from service.documents.typeset import typeset
from tests.libreoffice_print import printed_text
from tests.matrosov_school import write_matrosov_workbook
from tests.test_document_names import processed_school

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> dict[tuple[str, str], str]:
    """(kind, subject) → text of every document the workbook made."""
    return processed_school(tmp_path_factory.mktemp("matrosov"), write_matrosov_workbook)[0]


SCHOOL = f"МБОУ «СОШ №{NBSP}17 им.{NBSP}А.{NBSP}М.{NBSP}Матросова»"
OPERATOR = (
    f"{SCHOOL} (полное наименование: Муниципальное бюджетное общеобразовательное учреждение "
    f"«Средняя общеобразовательная школа №{NBSP}17 имени А.{NBSP}М.{NBSP}Матросова»; адрес: "
    f"660017, Красноярский край, г.{NBSP}Красноярск, ул.{NBSP}Ленина, д.{NBSP}17; ИНН "
    f"2466001717; далее{NBSP}— Оператор)"
)


def test_the_schools_address_and_full_name_do_not_break_after_an_abbreviation(texts):
    consent = texts["consent_dissemination", "Кравец Анастасия Романовна"]
    assert f"заявляю о согласии на распространение {OPERATOR} персональных данных" in consent
    assert (
        f"На обработку {OPERATOR} персональных данных"
        in texts["consent_guardian", "Кравец Анастасия Романовна"]
    )


def test_the_mentors_address_and_the_contracts_place(texts):
    consent = texts["consent_adult", "Петров-Водкин Артём Ильич"]
    assert (
        f"Я, Петров-Водкин Артём Ильич, дата рождения: 03{NBSP}мая 1985{NBSP}г., адрес: "
        f"г.{NBSP}Красноярск, ул.{NBSP}Мира, д.{NBSP}5, кв.{NBSP}7, документ" in consent
    )
    contract = texts["contract_external", "Петров-Водкин Артём Ильич"]
    assert contract.startswith(
        f"ДОГОВОР\nо сотрудничестве на безвозмездной основе\nг.{NBSP}Красноярск"
    )


def test_a_typed_place_keeps_its_initials_with_the_surname(texts):
    order = texts["order_final_event", "МБОУ «СОШ № 17 им. А. М. Матросова»"]
    assert (
        f"1. Провести 29{NBSP}мая 2026{NBSP}г. итоговое мероприятие в рамках реализации целевой "
        f"модели наставничества в {SCHOOL} в форме конференции (место проведения: актовый зал "
        f"{SCHOOL}).\n"
    ) in order


def test_a_year_and_et_cetera_keep_their_spaces():
    assert typeset(f"в апреле 2026{NBSP}г. наставляемая перешла") == (
        f"в апреле 2026{NBSP}г. наставляемая перешла"
    )
    assert typeset("анкетирование и т. д. Далее — 5 пар") == "анкетирование и т. д. Далее — 5 пар"
    assert typeset(12) == 12


@pytest.mark.parametrize(
    ("printed", "typeset_"),
    [
        ("от 03 декабря 2026 г.", f"от 03{NBSP}декабря 2026{NBSP}г."),
        (f"«01» сентября 2023{NBSP}г.", f"«01»{NBSP}сентября 2023{NBSP}г."),
        ("в 2025–2026 гг. с 1 мая", f"в 2025–2026{NBSP}гг. с 1{NBSP}мая"),
        # not a day and its month: a number of hours, a decimal, a part of a word
        ("1,5 мая", "1,5 мая"),
        ("12 часов 2 маяка", "12 часов 2 маяка"),
        ("2024 год", "2024 год"),
    ],
)
def test_a_day_keeps_its_month_and_a_year_its_g(printed, typeset_):
    """reader17: «от 03» / «декабря 2026 г.» at the end of a line of a signed order."""
    assert typeset(printed) == typeset_


def test_no_day_ends_a_line_without_its_month_in_any_document(texts):
    """The dates the templates print (a birth date, a term, an event's day) and those of their
    own text («Федерального закона от 27 июля 2006 г.»): every day in every document of the
    school is joined to its month."""
    found = re.findall(_DAY_MONTH, "\n".join(texts.values()))
    assert len(found) > 20 and set(found) == {NBSP}, sorted(set(found))


_DAY_MONTH = (
    r"(?<![\d.,])\d{1,2}»?(\s)(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября"
    r"|октября|ноября|декабря)(?![а-яё])"
)


@pytest.mark.parametrize(
    ("printed", "typeset_"),
    [
        ("де ла Круз Мария", f"де{NBSP}ла{NBSP}Круз Мария"),
        ("наставником фон Визина Дениса", f"наставником фон{NBSP}Визина Дениса"),
        (f"Д.И.{NBSP}фон Визин", f"Д.И.{NBSP}фон{NBSP}Визин"),
        ("Леонардо да Винчи", f"Леонардо да{NBSP}Винчи"),
        # not a particle before a surname: a word of the text, a capital «Ван», a glued «заде»
        ("да и нет", "да и нет"),
        ("Ван Гог Винсент", "Ван Гог Винсент"),
        ("Турсун-заде Мирзо", "Турсун-заде Мирзо"),
    ],
)
def test_a_surnames_particle_keeps_the_surname(printed, typeset_):
    assert typeset(printed) == typeset_


def test_a_particle_ends_no_line_in_a_narrow_cell(tmp_path):
    """«Мария Анна де ла» / «Круз» in a narrow cell (left20): LibreOffice breaks the name between
    the particle and the surname unless a no-break space joins them, as every printed value of
    a template now has."""
    width, name = Cm(4.5), "Мария Анна де ла Круз"

    def cell_of(text: str) -> bytes:
        doc = Docx()
        table = doc.add_table(rows=1, cols=1)
        table.autofit = False
        table.columns[0].width = table.cell(0, 0).width = width
        table.cell(0, 0).paragraphs[0].add_run(text).font.size = Pt(12)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()

    template = tmp_path / "narrow.docx"
    template.write_bytes(cell_of("{{ name }}"))
    rendered = render_template_file(template, {"name": name})
    assert printed_text(cell_of(name), tmp_path / "plain").splitlines()[:2] == [
        "Мария Анна де ла",
        "Круз",
    ]
    assert printed_text(rendered, tmp_path / "rendered").splitlines()[:2] == [
        "Мария Анна",
        "де ла Круз",
    ]
