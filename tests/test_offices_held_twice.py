"""A small school's offices held by one person (tests/griboedov_school.py): the curator named
coordinator too, the director his own curator — read in the orders (reader22)."""

from __future__ import annotations

from tests.griboedov_school import write_griboedov_director_curates, write_griboedov_one_curator
from tests.test_document_names import processed_school

NBSP = "\u00a0"


def test_a_curator_named_coordinator_too_is_given_the_coordinators_duties(tmp_path):
    """The order read «1. Назначить координатором … Петрову-Водкину Аллу Кузьминичну …
    2. Координатору … Петровой-Водкиной Алле Кузьминичне: … 2.2. совместно с куратором
    сформировать базу …» and then «3. Куратору … Петровой-Водкиной Алле Кузьминичне» — the
    same woman told to work together with herself, «4. Координатору и куратору». It now reads
    as for a school without a coordinator: the curator takes the coordinator's duties."""
    texts, _ = processed_school(tmp_path, write_griboedov_one_curator)
    order = texts["order_coordinators", "МБОУ «СОШ № 7»"].replace(NBSP, " ")
    assert (
        "1. Возложить обязанности координатора внедрения целевой модели наставничества в МБОУ "
        "«СОШ № 7» на 2025–2026 учебный год на куратора внедрения целевой модели "
        "наставничества Петрову-Водкину Аллу Кузьминичну, заместителя директора по "
        "учебно-воспитательной работе (назначена приказом от «____» ____________ 20___ г. "
        "№ _______ «О внедрении целевой модели наставничества»).\n"
        "2. Куратору внедрения целевой модели наставничества Петровой-Водкиной Алле "
        "Кузьминичне в части обязанностей координатора:\n"
    ) in order
    assert "совместно с куратором" not in order
    assert "4. Куратору руководствоваться в работе" in order
    assert order.endswith(
        "С приказом ознакомлены:\nФИО | Подпись | Дата\nПетрова-Водкина А.К. |  | \n"
    )


def test_an_order_that_names_only_the_director_has_no_acquaintance_list(tmp_path):
    """A director who is his own curator signed orders ending «С приказом ознакомлены:» over
    an empty table «ФИО | Подпись | Дата»: the order on implementation names only him, and
    he does not acknowledge his own order. The heading and the table are left out when no
    one is to sign them; an order naming others keeps them."""
    texts, _ = processed_school(tmp_path, write_griboedov_director_curates)
    order = texts["order_implementation", "МБОУ «СОШ № 7»"].replace(NBSP, " ")
    assert order.endswith(
        "4. Контроль за исполнением настоящего приказа возложить на Кузнеца Григория "
        "Викторовича, директора МБОУ «СОШ № 7».\n"
        "Директор МБОУ «СОШ № 7» | _____________ | Г.В. Кузнец\n"
    )
    assert "ознакомлены" not in texts["order_coordinators", "МБОУ «СОШ № 7»"]
    pairs = texts["order_pairs", "МБОУ «СОШ № 7»"].replace(NBSP, " ")
    assert pairs.endswith(
        "С приказом ознакомлены:\nФИО | Подпись | Дата\nКоролёв П.И. |  | \n"
        "Белых И.С. |  | \nФёдорова А.И. |  | \nШоу Д. |  | \n"
    )
