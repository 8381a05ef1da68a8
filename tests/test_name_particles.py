"""A particle of a surname typed in lower case, «фон Визин Денис Иванович» (Розенталь, § 160:
«Людвиг ван Бетховен», «Турсун-заде»): every document printed «Фон Визин Денис Иванович», and
where a case was asked for, the nominative — «фон» was taken for the surname and the rest
for four words no rule declines. A person the register holds so capitalised keeps it: the same
workbook read after the upgrade does not make his signed documents again."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from sqlalchemy import select

from service.config import Settings, load_settings
from service.documents import typeset
from service.documents.template_files import install_template
from service.documents.text import docx_text
from service.home import initialise_home
from service.intake.demo import ORGANIZATION, write_filled_workbook
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Document, Organization, Person
from service.signing.authority import ensure_ca
from service.store import FileStore
from tests.names_school import mentee_row, mentor_row, pair_row
from tests.signing_calls import sign_documents
from tests.test_template_versions import own_template
from tests.web_school import CA_PASSWORD, KEY_PASSWORD, NAMES, ORG, issue_key

MENTEE = "Лев Михаил Аркадьевич"


def _school(tmp_path: Path) -> Settings:
    settings = load_settings({"home": tmp_path, "database_url": ""})
    initialise_home(settings)
    return settings


def _workbook(path: Path, mentor: str, curator: str) -> Path:
    write_filled_workbook(
        path,
        organization={**ORGANIZATION, "Куратор (ФИО)": curator},
        mentors=[mentor_row("Н-01", mentor, date(1976, 6, 30), "педагог", "учитель физики")],
        mentees=[mentee_row("У-01", MENTEE, date(2001, 3, 3), "педагог", "учитель")],
        pairs=[pair_row("П-01", mentor, MENTEE, "Учитель – учитель")],
    )
    return path


def _texts(settings: Settings) -> dict[str, str]:
    store = FileStore(settings.store_dir)
    with session_scope(settings.database_url) as session:
        documents = session.scalars(select(Document)).all()
        return {d.kind: docx_text(store.path_for(d.sha256)) for d in documents}


def test_a_particle_in_lower_case_is_printed_so_and_the_name_after_it_declines(tmp_path):
    settings = _school(tmp_path)
    book = _workbook(tmp_path / "a.xlsx", "фон Визин Денис Иванович", "де ла Крус Анна Петровна")
    assert process_workbook(settings, book).outcome == Outcome.DONE
    texts = _texts(settings)
    # the particle joined to its surname by a no-break space: no line breaks them (left20)
    assert "Я, фон\xa0Визин Денис Иванович, учитель физики" in texts["mentor_consent"]
    assert "фон\xa0Визина Дениса Ивановича" in texts["mentor_consent"]
    assert (
        "наставничества де\xa0ла\xa0Крус Анну Петровну, заместителя"
        in texts["order_implementation"]
    )
    assert "наставничества де\xa0ла\xa0Крус Анне Петровне:" in texts["order_pairs"]
    assert "фон\xa0Визин\xa0Д.И." in texts["order_pairs"]
    assert "Д.И.\xa0фон\xa0Визин" in texts["program"]
    assert "Фон" not in " ".join(texts.values())


def test_a_person_registered_with_a_capital_particle_is_not_renamed_by_lower_case(tmp_path):
    """Before the upgrade «фон Визин» and «Турсун-заде» were read «Фон Визин», «Турсун-Заде»,
    and the register holds them so; the same workbook read now gives lower case. Renaming them
    made every document naming them anew, signed ones too, for a letter's case."""
    settings = _school(tmp_path)
    old = _workbook(tmp_path / "old.xlsx", "Фон Визин Денис Иванович", "Турсун-Заде Мирзо Ильич")
    assert process_workbook(settings, old).outcome == Outcome.DONE
    new = _workbook(tmp_path / "new.xlsx", "фон Визин Денис Иванович", "Турсун-заде Мирзо Ильич")
    result = process_workbook(settings, new)
    assert result.outcome == Outcome.DONE, result.message
    assert result.entries == []
    with session_scope(settings.database_url) as session:
        assert session.scalars(select(Person.full_name).where(Person.code == "Н-01")).one() == (
            "Фон Визин Денис Иванович"
        )
        assert session.scalars(select(Organization.curator_name)).one() == (
            "Турсун-Заде Мирзо Ильич"
        )


def test_a_capital_particle_is_told_typed_or_held_by_the_register(tmp_path):
    """«Фон Визин Денис Иванович» prints «В.Д. Фон» (the particle taken for the surname), with
    no word to the secretary; a register of an earlier release holds him so and keeps that
    spelling when the workbook writes «фон». Typed so, the report says to write the particle in
    lower case; held so, it says what the documents print and that the workbook does not
    change it."""
    settings = _school(tmp_path)
    old = _workbook(tmp_path / "old.xlsx", "Фон Визин Денис Иванович", "Бутрина Ольга Николаевна")
    first = process_workbook(settings, old)
    assert first.outcome == Outcome.DONE, first.message
    assert [(p.sheet, p.row, p.column, p.message) for p in first.report.warnings] == [
        (
            "Наставники",
            2,
            "ФИО",
            "В ФИО «Фон Визин Денис Иванович» частица «Фон» написана с заглавной буквы, и "
            "фамилией документы считают только её: «В.Д.\xa0Фон». Если фамилия — «фон Визин», "
            "напишите частицу со строчной буквы: «фон Визин Денис Иванович» (в документах — "
            "«Д.И.\xa0фон Визин»).",
        )
    ]
    new = _workbook(tmp_path / "new.xlsx", "фон Визин Денис Иванович", "Бутрина Ольга Николаевна")
    again = process_workbook(settings, new)
    assert again.outcome == Outcome.DONE, again.message
    assert [(p.sheet, p.row, p.column, p.message) for p in again.report.warnings] == [
        (
            "Наставники",
            2,
            "ФИО",
            "ФИО «фон Визин Денис Иванович» в реестре записано как «Фон Визин Денис Иванович», "
            "с частицей «Фон» с заглавной буквы (так его записала прежняя книга или прежняя "
            "версия сервиса): документы считают фамилией только её и печатают «В.Д.\xa0Фон». "
            "Книга это "
            "написание не меняет, чтобы подписанные документы этого человека не пришлось "
            "подписывать заново; если его нужно исправить, сообщите администратору.",
        )
    ]


def test_a_pair_names_its_mentor_by_particle_surname_and_initials(tmp_path):
    """«фон Визин Д.И.» in «Пары», as the orders print him, was refused: «Наставник «фон Визин
    Д.И.» не найден: его нет ни на листе «Наставники», ни в реестре» — only a surname of one
    word was read before initials."""
    settings = _school(tmp_path)
    name = "фон Визин Денис Иванович"
    write_filled_workbook(
        tmp_path / "a.xlsx",
        organization=ORGANIZATION,
        mentors=[mentor_row("Н-01", name, date(1976, 6, 30), "педагог", "учитель физики")],
        mentees=[mentee_row("У-01", MENTEE, date(2001, 3, 3), "педагог", "учитель")],
        pairs=[pair_row("П-01", "фон Визин Д.И.", MENTEE, "Учитель – учитель")],
    )
    result = process_workbook(settings, tmp_path / "a.xlsx")
    assert result.outcome == Outcome.DONE, result.message
    assert "Я, фон\xa0Визин Денис Иванович, учитель физики" in _texts(settings)["mentor_consent"]


def test_a_draft_made_before_the_particles_no_break_space_is_signed_and_not_made_again(
    tmp_path, monkeypatch
):
    """The no-break space after «фон» (left20) is put in as a document is rendered: a draft
    made by the release before, from a school's own template (whose text signing compares with
    the draft the director read), is signed after the upgrade — the same words — and the same
    workbook read again makes no document anew."""
    settings = _school(tmp_path)
    with session_scope(settings.database_url) as s:
        own = own_template("order_pairs")
        assert install_template(s, settings, "order_pairs", own, actor="admin") == []
    book = _workbook(tmp_path / "a.xlsx", "фон Визин Денис Иванович", "Бутрина Ольга Николаевна")
    with monkeypatch.context() as before:  # the release before: no space joined to «фон»
        before.setattr(typeset, "_PARTICLE", re.compile("(?!)()"))
        assert process_workbook(settings, book).outcome == Outcome.DONE
    assert "фон Визин\xa0Д.И." in _texts(settings)["order_pairs"]
    ensure_ca(settings.var, ORG, CA_PASSWORD)
    issue_key(settings, "director", NAMES["director"], "Директор", "director", KEY_PASSWORD)
    with session_scope(settings.database_url) as session:
        order = session.scalars(select(Document.id).where(Document.kind == "order_pairs")).one()
    (signed,) = sign_documents(settings, "director", [order], KEY_PASSWORD)
    assert signed.ok, signed.message
    assert "фон\xa0Визин\xa0Д.И." in _texts(settings)["order_pairs"]
    assert process_workbook(settings, book).entries == []
