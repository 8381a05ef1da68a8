"""Every kind rendered from the full demo workbook, read back as text: the ГОСТ Р 7.0.97
requisites are where they belong and names and positions stand in the case the sentence needs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.documents.catalogue import KINDS
from service.documents.text import docx_text
from service.intake.demo import write_demo_workbook
from service.pipeline import Outcome, process_workbook

NBSP = "\u00a0"
ORDERS = [k.id for k in KINDS if k.is_order]
APPROVED = ("regulation", "target_model", "roadmap", "program")


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> dict[str, list[str]]:
    from service.config import load_settings
    from service.home import initialise_home

    home = tmp_path_factory.mktemp("fidelity")
    settings = load_settings({"home": home, "database_url": ""})
    initialise_home(settings)
    workbook = home / "школа.xlsx"
    write_demo_workbook(workbook)
    result = process_workbook(settings, workbook)
    assert result.outcome == Outcome.DONE, result.message
    found: dict[str, list[str]] = {}
    for entry in result.entries:
        found.setdefault(entry.kind, []).append(docx_text(Path(result.folder) / entry.file))
    return found


def test_every_kind_is_produced(texts):
    assert set(texts) == {k.id for k in KINDS}


@pytest.mark.parametrize("kind", ORDERS)
def test_order_requisites(texts, kind):
    (text,) = texts[kind]
    lines = text.splitlines()
    assert lines[0].startswith("Муниципальное бюджетное общеобразовательное учреждение")
    assert "(МБОУ Идринская СОШ)" in lines[1]
    assert "ПРИКАЗ" in lines
    # date and number are blank lines until the director signs
    assert f"№{NBSP}_______" in text
    assert f"«____»{NBSP}____________{NBSP}20___{NBSP}г." in text
    assert f"с.{NBSP}Идринское" in lines  # the locality's abbreviation joined to its name
    title = next(line for line in lines[lines.index(f"с.{NBSP}Идринское") + 1 :] if line)
    assert title.startswith(("О ", "Об "))
    assert "ПРИКАЗЫВАЮ:" in lines
    assert any(line.startswith("1. ") for line in lines)
    assert "Контроль за исполнением настоящего приказа" in text
    assert re.search(f"Директор МБОУ Идринская СОШ \\| _+ \\| Т.И.{NBSP}Кинякина", text)
    assert "С приказом ознакомлены:" in text


def test_order_on_implementation_names_people_as_seed_001_does(texts):
    (text,) = texts["order_implementation"]
    assert (
        "Назначить куратором внедрения целевой модели наставничества Бутрину Ольгу "
        "Николаевну, заместителя директора по учебно-воспитательной работе"
    ) in text
    assert ("возложить на Кинякину Татьяну Игоревну, директора МБОУ Идринская СОШ") in text
    assert f"Бутрина О.Н.{NBSP}" not in text and f"Бутрина{NBSP}О.Н." in text


def test_order_on_coordinators_declines_names_and_positions(texts):
    (text,) = texts["order_coordinators"]
    assert "Соколову Марию Петровну, педагога-психолога" in text
    # the curator is appointed once, by the implementation order
    assert "Назначить куратором" not in text
    assert (
        "3. Куратору внедрения целевой модели наставничества Бутриной Ольге Николаевне "
        f"(назначена приказом от «____»{NBSP}____________{NBSP}20___{NBSP}г. №{NBSP}_______ "
        "«О внедрении целевой модели наставничества»):"
    ) in text


def test_order_on_pairs_has_the_table_of_pairs(texts):
    (text,) = texts["order_pairs"]
    header = next(line for line in text.splitlines() if line.startswith("Код пары"))
    for column in ("наставник", "наставляемые", "форма", "вид", "сроки"):
        assert column in header.lower()
    # each pair's code, as the consents and programmes cite it
    assert "\nП-01 | Петрова Анна Сергеевна (учитель математики) | " in text
    assert "Петрова Анна Сергеевна" in text
    assert "Смирнов Илья Олегович" in text and "Алиев Руслан Рашид оглы" in text
    assert "с 02.10.2023" in text


@pytest.mark.parametrize("kind", APPROVED)
def test_approved_documents_carry_the_approval_stamp(texts, kind):
    for text in texts[kind]:
        assert "УТВЕРЖДАЮ" in text
        assert f"Т.И.{NBSP}Кинякина" in text


def test_program_has_goal_plan_duration_and_signatures(texts):
    program = next(t for t in texts["program"] if "П-01" in t)
    assert "Цель программы" in program and "Задачи программы" in program
    assert "План мероприятий" in program
    assert (
        f"с 02{NBSP}октября 2023{NBSP}г. по 31{NBSP}мая 2024{NBSP}г.{NBSP}— 8 (восемь) месяцев"
        in program
    )
    for signer in (f"А.С.{NBSP}Петрова", f"И.О.{NBSP}Смирнов", f"О.Н.{NBSP}Бутрина"):
        assert signer in program
    # a pair without a «План» sheet gets the five meeting stages of seed 001 §5.3
    default = next(t for t in texts["program"] if "П-02" in t)
    assert "организационной" in default and "заключительной встречи" in default


def test_guardian_consent_names_guardian_and_child_in_the_genitive(texts):
    consent = next(t for t in texts["consent_guardian"] if "Зуева Ирина Викторовна" in t)
    assert "Я, Зуева Ирина Викторовна" in consent
    assert "Зуева Никиты Андреевича" in consent  # the child, genitive
    for clause in ("152-ФЗ", "Оператор", "Перечень", "Действия", "отозвано"):
        assert clause in consent, clause


def test_contract_is_free_of_charge_with_both_parties(texts):
    (contract,) = texts["contract_external"]
    assert "безвозмездн" in contract
    assert "Орлов Дмитрий Андреевич" in contract
    assert "Кинякиной Татьяны Игоревны" in contract  # «в лице директора …», genitive
    assert "Реквизиты и подписи сторон" in contract


def test_reports_have_results_conclusions_and_the_70_percent_target(texts):
    for report in texts["report_pair"]:
        assert "Выводы" in report and "Предложения" in report
    (final,) = texts["report_final"]
    assert "70" in final and "SWOT" in final.upper()
    assert "Сильные стороны" in final and "Угрозы" in final
