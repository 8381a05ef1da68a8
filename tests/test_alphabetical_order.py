"""Lists of people in alphabetical order as Russian reads it: «Ёлкина» between «Дурново» and
«Жуков», not first (a plain sort puts «Ё», U+0401, before «А»). play15: the training order's
appendix 2 and its «С приказом ознакомлены», the final event's order, the documents made (the
dry run and the outbox list the consents in that order) and the curator's filter «Участник»
all began with «Ёлкина Наталья Викторовна», before «Бах» and «Гарсия»."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from service.config import load_settings
from service.documents.text import docx_text
from service.home import initialise_home
from service.intake.demo import FINAL_EVENT, ORGANIZATION, write_filled_workbook
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.queries import all_people
from tests.names_school import mentee_row, mentor_row, pair_row

MENTORS = [
    mentor_row("Н-01", "Ёлкина Наталья Викторовна", date(1978, 4, 2), "педагог", "учитель-логопед"),
    mentor_row("Н-02", "Гарсия Кармен Луисовна", date(1985, 2, 14), "педагог", "учитель"),
    mentor_row("Н-03", "Жуков Олег Петрович", date(1983, 1, 19), "педагог", "учитель"),
]
MENTEES = [
    mentee_row("У-01", "Лев Михаил Аркадьевич", date(2001, 3, 3), "молодой специалист", "учитель"),
    mentee_row("У-02", "Ёжиков Роман Ильич", date(2000, 1, 20), "молодой специалист", "учитель"),
    mentee_row(
        "У-03", "Бах Елизавета Андреевна", date(2002, 7, 7), "молодой специалист", "учитель"
    ),
]
TRAINING = {"Тема": "Введение", "Дата": date(2023, 10, 4), "Часов": 2, "Ответственный": "куратор"}


def test_people_are_listed_with_yo_as_ye(tmp_path: Path) -> None:
    settings = load_settings({"home": tmp_path, "database_url": ""})
    initialise_home(settings)
    book = tmp_path / "школа.xlsx"
    write_filled_workbook(
        book,
        organization=ORGANIZATION,
        mentors=MENTORS,
        mentees=MENTEES,
        pairs=[
            pair_row("П-01", "Н-01", "У-01", "Учитель – учитель"),
            pair_row("П-02", "Н-02", "У-02", "Учитель – учитель"),
            pair_row("П-03", "Н-03", "У-03", "Учитель – учитель"),
        ],
        trainings=[TRAINING],
        final_event=FINAL_EVENT,
    )
    result = process_workbook(settings, book)
    assert result.outcome == Outcome.DONE, result.message
    made = [e.subject for e in result.entries if e.kind == "consent_adult"]
    assert made == [
        "Бах Елизавета Андреевна",
        "Ёжиков Роман Ильич",
        "Лев Михаил Аркадьевич",
        "Гарсия Кармен Луисовна",
        "Ёлкина Наталья Викторовна",
        "Жуков Олег Петрович",
    ]
    texts = {e.kind: docx_text(Path(result.folder) / e.file) for e in result.entries}
    training = texts["order_training"]
    assert (
        "С приказом ознакомлены:\nФИО | Подпись | Дата\nБутрина О.Н. |  | \nГарсия К.Л. |  | \n"
        "Ёлкина Н.В. |  | \nЖуков О.П. |  | \n"
    ) in training.replace("\xa0", " ")
    appendix = training[training.index("Список наставников") :]
    names = ["Гарсия Кармен Луисовна", "Ёлкина Наталья Викторовна", "Жуков Олег Петрович"]
    assert [appendix.index(n) for n in names] == sorted(appendix.index(n) for n in names)
    assert "Гарсия К.Л. |  | \nЁлкина Н.В. |  | \nЖуков О.П. |  | " in texts[
        "order_final_event"
    ].replace("\xa0", " ")
    with session_scope(settings.database_url) as session:
        people = [p.full_name for p in all_people(session) if p.full_name[0] in "БГЁЖ"]
    assert people == [
        "Бах Елизавета Андреевна",
        "Гарсия Кармен Луисовна",
        "Ёжиков Роман Ильич",
        "Ёлкина Наталья Викторовна",
        "Жуков Олег Петрович",
    ]


def test_a_version_listing_yo_first_is_not_made_again_for_the_order_alone(tmp_path: Path) -> None:
    """A training order made (and signed) by the release that listed «Ёлкина» first got a new
    version at the next workbook — a new order declaring the signed one void — though only the
    order of its list changed (play15's May workbook, after the fix above)."""
    import hashlib

    from sqlalchemy import select

    from service.documents import canonical
    from service.documents.derived import derived_values
    from service.register.models import Document

    settings = load_settings({"home": tmp_path, "database_url": ""})
    initialise_home(settings)
    september, may = tmp_path / "сентябрь.xlsx", tmp_path / "май.xlsx"
    write_filled_workbook(
        september,
        organization=ORGANIZATION,
        mentors=MENTORS,
        mentees=MENTEES,
        pairs=[
            pair_row("П-01", "Н-01", "У-01", "Учитель – учитель"),
            pair_row("П-02", "Н-02", "У-02", "Учитель – учитель"),
        ],
        trainings=[TRAINING],
    )
    assert process_workbook(settings, september).outcome == Outcome.DONE
    with session_scope(settings.database_url, write=True) as session:
        order = session.scalars(select(Document).where(Document.kind == "order_training")).one()
        context = canonical.loads(order.context)
        names = [str(m["name"]) for m in context["mentors"]]
        assert names[:2] == ["Гарсия Кармен Луисовна", "Ёлкина Наталья Викторовна"]
        context["mentors"].sort(key=lambda m: str(m["name"]))  # as the earlier release listed them
        context |= derived_values("order_training", context)
        order.context = canonical.dumps(context)
        order.context_sha256 = hashlib.sha256(order.context.encode()).hexdigest()
    write_filled_workbook(may, organization={}, final_event=FINAL_EVENT)
    result = process_workbook(settings, may)
    assert result.outcome == Outcome.DONE, result.message
    assert sorted(e.kind for e in result.entries) == ["order_final_event", "roadmap"]


def test_names_offered_in_messages_are_listed_with_yo_as_ye(tmp_path: Path) -> None:
    """left17: the dry run's «подходит нескольким людям» (a register given as names) and the
    refusal of a scan named by someone who does not sign the document («выберите из: …»)
    listed «Ёлкина» and «Ёжиков» first."""
    from sqlalchemy import select

    from service.errors import BadInput
    from service.intake.lookup import StaticLookup
    from service.register.models import Document
    from service.signing.paper import roles_of

    lookup = StaticLookup(mentors={"Жуков Олег Петрович", "Ёлкина Наталья Викторовна", "Бах Ян"})
    fitting = [name for name, _, _ in lookup.people_fitting(lambda name: True, "mentor")]
    assert fitting == ["Бах Ян", "Ёлкина Наталья Викторовна", "Жуков Олег Петрович"]

    settings = load_settings({"home": tmp_path, "database_url": ""})
    initialise_home(settings)
    book = tmp_path / "школа.xlsx"
    group = pair_row("П-01", "Н-03", "У-01; У-02; У-03", "Учитель – учитель", "групповая")
    write_filled_workbook(
        book, organization=ORGANIZATION, mentors=MENTORS, mentees=MENTEES, pairs=[group]
    )
    result = process_workbook(settings, book)
    assert result.outcome == Outcome.DONE, result.message
    with session_scope(settings.database_url) as session:
        programme = session.scalars(select(Document.id).where(Document.kind == "program")).one()
        try:
            roles_of(session, programme, "Иванов Иван Иванович")
        except BadInput as refused:
            message = str(refused)
    assert message == (
        "«Иванов Иван Иванович» не подписывает этот документ на бумаге: выберите из: Бах "
        "Елизавета Андреевна, Ёжиков Роман Ильич, Жуков Олег Петрович, Лев Михаил Аркадьевич."
    )
