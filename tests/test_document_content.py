"""The documents read as a deputy director reads them (issue 12, points 2–6, 8–10), on a second
school unlike the demo one (tests/other_school.py) and on the demo workbook."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from service.documents.catalogue import KINDS
from service.documents.statistics import decimal, rounded, signed
from service.documents.text import docx_text
from service.intake.demo import write_demo_workbook
from service.pipeline import Outcome, process_workbook
from tests.other_school import write_other_workbook

NBSP = "\u00a0"
Texts = dict[str, dict[str, str]]
"""kind → subject label → text."""


def _texts(tmp_path_factory, name: str, write) -> Texts:
    from service.config import load_settings
    from service.home import initialise_home

    home = tmp_path_factory.mktemp(name)
    settings = load_settings({"home": home, "database_url": ""})
    initialise_home(settings)
    workbook = write(home / "школа.xlsx") or home / "школа.xlsx"
    result = process_workbook(settings, workbook)
    assert result.outcome == Outcome.DONE, result.message
    found: Texts = {}
    for entry in result.entries:
        found.setdefault(entry.kind, {})[entry.subject] = docx_text(
            Path(result.folder) / entry.file
        )
    return found


@pytest.fixture(scope="module")
def lyceum(tmp_path_factory) -> Texts:
    return _texts(tmp_path_factory, "lyceum", write_other_workbook)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Texts:
    return _texts(tmp_path_factory, "demo", write_demo_workbook)


def one(texts: Texts, kind: str, subject: str | None = None) -> str:
    by_subject = texts[kind]
    if subject is None:
        (text,) = by_subject.values()
        return text
    return next(t for s, t in by_subject.items() if subject in s)


# --- 2. gender agreement ---------------------------------------------------------------------


def test_women_and_girls_agree_in_programmes_and_the_training_order(lyceum):
    young_teacher = one(lyceum, "program", "П-01")
    assert "Наставляемая | Орлова Наталья Андреевна (учитель русского языка)" in young_teacher
    assert f"Наставляемая | _____________ | Н.А.{NBSP}Орлова" in young_teacher
    girl = one(lyceum, "program", "П-04")
    assert "Наставляемая | Гусейнова Айгюль Рашид кызы (6\xa0А класс)" in girl
    boy = one(lyceum, "program", "П-03")
    assert "Наставляемый | Иванов Пётр Олегович (9\xa0В класс)" in boy
    training = one(lyceum, "order_training")
    assert "| Ким Алина Сергеевна | 11\xa0А класс | Обучающаяся" in training
    assert "Обучающийся" not in training


def test_consents_agree_with_the_person_and_the_child(lyceum):
    adult = one(lyceum, "consent_dissemination", "Орлова")
    assert "Я, Орлова Наталья Андреевна, 06.06.2001 года рождения, проживающая по адресу:" in adult
    man = one(lyceum, "consent_dissemination", "Лебедев")
    assert (
        f"20.01.1950 года рождения, проживающий по адресу: г.{NBSP}Красноярск, ул.{NBSP}Мира, 30"
        in man
    )
    girl = one(lyceum, "consent_dissemination", "Сафина")
    assert (
        "являясь законным представителем несовершеннолетней Сафиной Лилии Ренатовны, "
        "09.09.2013 года рождения, проживающей по адресу:"
    ) in girl
    boy = one(lyceum, "consent_dissemination", "Иванов")
    assert (
        "несовершеннолетнего Иванова Петра Олеговича, 11.11.2009 года рождения, проживающего" in boy
    )


def test_a_woman_mentee_is_named_наставляемая_in_her_consents_and_her_mentors(lyceum):
    """Орлова is an adult mentee: «в качестве наставляемой», and her mentor Гончаренко agrees
    «в отношении наставляемой»; a minor's consent speaks of «Несовершеннолетнего» for a boy and
    of «Несовершеннолетней»… «наставляемой» for Сафина."""
    own = "моего участия в программе наставничества (реализации целевой модели наставничества)"
    assert "в качестве наставляемой, в том числе" in one(lyceum, "consent_adult", "Орлова")
    assert own in one(lyceum, "consent_adult", "Орлова")
    assert "о моём участии в программе наставничества в качестве наставляемой, о" in one(
        lyceum, "consent_dissemination", "Орлова"
    )
    mentor = one(lyceum, "mentor_consent", "Гончаренко")
    assert f"в отношении наставляемой:\n–{NBSP}Орловой Натальи Андреевны" in mentor
    boy = one(lyceum, "consent_dissemination", "Иванов")
    minor = "об участии Несовершеннолетнего в программе наставничества в качестве наставляемого"
    assert minor in boy
    girl = one(lyceum, "consent_dissemination", "Сафина")
    minor = "об участии Несовершеннолетней в программе наставничества в качестве наставляемой, о"
    assert minor in girl


# Every role a woman, or every role a man (tests/gender_schools.py): the same sentence of each
# document in both sexes; «наставник» (the regulation's word for both) is not feminised.
SEXED: list[tuple[str, str | None, str, str]] = [
    # (kind, whose: a role of PEOPLE, a pair's code or None, the woman's sentence, the man's)
    (
        "consent_guardian",
        "girl",
        "законного представителя на обработку персональных данных несовершеннолетней и её "
        "участие в программе наставничества\nЯ, Морозова Вера Николаевна",
        "законного представителя на обработку персональных данных несовершеннолетнего и его "
        "участие в программе наставничества\nЯ, Морозов Сергей Николаевич",
    ),
    (
        "consent_guardian",
        "girl",
        "несовершеннолетней обучающейся 7\xa0А класса МБОУ Идринская СОШ Морозовой Алины "
        f"Сергеевны, 22.03.2010 года рождения (далее{NBSP}— Несовершеннолетняя), что",
        "несовершеннолетнего обучающегося 7\xa0А класса МБОУ Идринская СОШ Морозова Алексея "
        f"Сергеевича, 22.03.2010 года рождения (далее{NBSP}— Несовершеннолетний), что",
    ),
    (
        "consent_guardian",
        "girl",
        "1. На участие Несовершеннолетней в программе наставничества (целевой модели "
        "наставничества), реализуемой МБОУ Идринская СОШ в 2023–2024 учебном году, в качестве "
        "наставляемой, в том числе во встречах наставника и наставляемого,",
        "1. На участие Несовершеннолетнего в программе наставничества (целевой модели "
        "наставничества), реализуемой МБОУ Идринская СОШ в 2023–2024 учебном году, в качестве "
        "наставляемого, в том числе во встречах наставника и наставляемого,",
    ),
    (
        "consent_guardian",
        "student",
        "Мне известно, что участие Несовершеннолетней в программе наставничества является "
        "добровольным.",
        "Мне известно, что участие Несовершеннолетнего в программе наставничества является "
        "добровольным.",
    ),
    ("consent_guardian", "student", "учебном году, в качестве наставника, в том числе", None),
    (
        "consent_dissemination",
        "second",
        "являясь законным представителем несовершеннолетней Зуевой Ники Андреевны, 17.05.2009 "
        "года рождения, проживающей по адресу: ______________________________ (адрес места "
        f"жительства несовершеннолетней) (далее{NBSP}— Несовершеннолетняя), в соответствии",
        "являясь законным представителем несовершеннолетнего Зуева Никиты Андреевича, "
        "17.05.2009 года рождения, проживающего по адресу: ______________________________ "
        f"(адрес места жительства несовершеннолетнего) (далее{NBSP}— Несовершеннолетний), в "
        "соответствии",
    ),
    (
        "consent_dissemination",
        "second",
        "(об участии Несовершеннолетней в программе наставничества в качестве наставляемой, о",
        "(об участии Несовершеннолетнего в программе наставничества в качестве наставляемого, о",
    ),
    (
        "consent_dissemination",
        "young",
        "Я, Смирнова Юлия Олеговна, 20.11.1999 года рождения, проживающая по адресу:",
        "Я, Смирнов Илья Олегович, 20.11.1999 года рождения, проживающий по адресу:",
    ),
    (
        "consent_adult",
        "young",
        "в 2023–2024 учебном году в качестве наставляемой, в том числе",
        "в 2023–2024 учебном году в качестве наставляемого, в том числе",
    ),
    (
        "mentor_consent",
        "teacher",
        "Директору МБОУ Идринская СОШ\nКинякиной Татьяне Игоревне\nот учителя математики\n"
        "Петровой Анны Сергеевны\n",
        "Директору МБОУ Идринская СОШ\nКинякину Тимофею Игоревичу\nот учителя математики\n"
        "Петрова Антона Сергеевича\n",
    ),
    (
        "mentor_consent",
        "teacher",
        f"в отношении наставляемой:\n–{NBSP}Смирновой Юлии Олеговны (учитель истории):",
        f"в отношении наставляемого:\n–{NBSP}Смирнова Ильи Олеговича (учитель истории):",
    ),
    (
        "contract_external",
        "external",
        "в лице директора Кинякиной Татьяны Игоревны, действующей на основании Устава, с одной "
        "стороны, и Орлова Дарья Андреевна, инженер-технолог ООО «Агро-Идра» "
        f"(далее{NBSP}— Наставник), с другой стороны",
        "в лице директора Кинякина Тимофея Игоревича, действующего на основании Устава, с одной "
        "стороны, и Орлов Дмитрий Андреевич, инженер-технолог ООО «Агро-Идра» "
        f"(далее{NBSP}— Наставник), с другой стороны",
    ),
    (
        "contract_external",
        "external",
        f"Директор________________ / Т.И.{NBSP}КинякинаМ. П.",
        f"Директор________________ / Т.И.{NBSP}КинякинМ. П.",
    ),
    (
        "order_coordinators",
        None,
        "на 2023–2024 учебный год Соколову Марию Петровну, педагога-психолога.",
        "на 2023–2024 учебный год Соколова Максима Петровича, педагога-психолога.",
    ),
    (
        "order_coordinators",
        None,
        "3. Куратору внедрения целевой модели наставничества Бутриной Ольге Николаевне "
        f"(назначена приказом от «____»{NBSP}____________{NBSP}20___{NBSP}г. №{NBSP}_______ "
        "«О внедрении целевой модели наставничества»):",
        "3. Куратору внедрения целевой модели наставничества Бутрину Олегу Николаевичу "
        f"(назначен приказом от «____»{NBSP}____________{NBSP}20___{NBSP}г. №{NBSP}_______ "
        "«О внедрении целевой модели наставничества»):",
    ),
    (
        "order_implementation",
        None,
        "возложить на Кинякину Татьяну Игоревну, директора МБОУ Идринская СОШ.\n"
        f"Директор МБОУ Идринская СОШ | _____________ | Т.И.{NBSP}Кинякина\n",
        "возложить на Кинякина Тимофея Игоревича, директора МБОУ Идринская СОШ.\n"
        f"Директор МБОУ Идринская СОШ | _____________ | Т.И.{NBSP}Кинякин\n",
    ),
    (
        "order_final_event",
        None,
        "мероприятия на Бутрину Ольгу Николаевну.\n3. Ответственной за проведение итогового "
        "мероприятия:",
        "мероприятия на Бутрина Олега Николаевича.\n3. Ответственному за проведение итогового "
        "мероприятия:",
    ),
    (
        "order_training",
        None,
        "Кузнецова Дарья Игоревна | 10\xa0Б класс | Обучающаяся\n",
        "Кузнецов Даниил Игоревич | 10\xa0Б класс | Обучающийся\n",
    ),
    (
        "program",
        "П-02",
        "Наставник | Кузнецова Дарья Игоревна (10\xa0Б класс)\n"
        "Наставляемая | Морозова Алина Сергеевна (7\xa0А класс)\n",
        "Наставник | Кузнецов Даниил Игоревич (10\xa0Б класс)\n"
        "Наставляемый | Морозов Алексей Сергеевич (7\xa0А класс)\n",
    ),
    (
        "program",
        "П-02",
        "затруднения и потребности наставляемой; совместно спланировать и провести мероприятия, "
        "направленные на их преодоление и на поддержку сильных сторон наставляемой;",
        "затруднения и потребности наставляемого; совместно спланировать и провести "
        "мероприятия, направленные на их преодоление и на поддержку сильных сторон "
        "наставляемого;",
    ),
    (
        "program",
        "П-02",
        "1 | Проведение первой, организационной, встречи наставника и наставляемой |",
        "1 | Проведение первой, организационной, встречи наставника и наставляемого |",
    ),
    (
        "program",
        "П-02",
        "Количество встреч наставник и наставляемая определяют на встрече-планировании. Срок "
        "реализации программы может быть продлён или её содержание скорректировано по "
        "обоюдному согласию наставника и наставляемой; программа может быть завершена "
        "досрочно по инициативе наставника, наставляемой или куратора.\n",
        "Количество встреч наставник и наставляемый определяют на встрече-планировании. Срок "
        "реализации программы может быть продлён или её содержание скорректировано по "
        "обоюдному согласию наставника и наставляемого; программа может быть завершена "
        "досрочно по инициативе наставника, наставляемого или куратора.\n",
    ),
    (
        "program",
        "П-02",
        f"Наставник | _____________ | Д.И.{NBSP}Кузнецова\n"
        f"Наставляемая | _____________ | А.С.{NBSP}Морозова\n",
        f"Наставник | _____________ | Д.И.{NBSP}Кузнецов\n"
        f"Наставляемый | _____________ | А.С.{NBSP}Морозов\n",
    ),
    (
        "report_pair",
        "П-01",
        "Сравнение показателей наставляемой на «входе» и «выходе» программы",
        "Сравнение показателей наставляемого на «входе» и «выходе» программы",
    ),
]


FOREIGN: list[tuple[str, str | None, str]] = [
    # names with «Пол» given that decline otherwise than Russian ones, or not at all
    (
        "mentor_consent",
        "teacher",
        "Директору МБОУ Идринская СОШ\nШевчук Оксане Ильиничне\nот учителя математики\n"
        "Нгуен Ван Миня\n",
    ),
    (
        "mentor_consent",
        "teacher",
        f"в отношении наставляемой:\n–{NBSP}Алиевой Айгюль Гусейн кызы (учитель истории):",
    ),
    (
        "consent_guardian",
        "girl",
        "несовершеннолетней обучающейся 7\xa0А класса МБОУ Идринская СОШ Ким Сон Хи, 22.03.2010 "
        f"года рождения (далее{NBSP}— Несовершеннолетняя)",
    ),
    (
        "consent_dissemination",
        "second",
        "являясь законным представителем несовершеннолетней Долгих Нины, 17.05.2009 года "
        "рождения, проживающей по адресу:",
    ),
    (
        "contract_external",
        "external",
        "в лице директора Шевчук Оксаны Ильиничны, действующей на основании Устава, с одной "
        "стороны, и Дюма Александр, инженер-технолог ООО «Агро-Идра»",
    ),
    (
        "order_coordinators",
        None,
        "3. Куратору внедрения целевой модели наставничества Петровой-Водкиной Марии "
        "Кузьминичне (назначена приказом",
    ),
    ("program", "П-01", f"Наставник | _____________ | В.М.{NBSP}Нгуен\n"),
    ("program", "П-02", f"Наставляемая | _____________ | С.Х.{NBSP}Ким\n"),
    ("program", "П-03", f"Наставник | _____________ | А.{NBSP}Дюма\n"),
]


@pytest.fixture(scope="module")
def sexed(tmp_path_factory) -> dict[str, Texts]:
    """«ж» → the documents of the school where every role is a woman; «м» → a man; «foreign»
    → the school of foreign names (tests/gender_schools.py)."""
    from tests.gender_schools import write_gender_workbook

    return {
        key: _texts(tmp_path_factory, f"school-{key}", lambda p, k=key: write_gender_workbook(p, k))
        for key in ("ж", "м", "foreign")
    }


@pytest.mark.parametrize("sex", ["ж", "м"])
def test_every_document_agrees_with_each_woman_and_each_man(sexed, sex):
    from tests.gender_schools import PEOPLE

    texts = sexed[sex]
    missing = []
    for kind, whose, woman, man in SEXED:
        sentence = woman if sex == "ж" or man is None else man
        subject = PEOPLE[sex].get(whose, whose) if whose else None
        if sentence not in one(texts, kind, subject):
            missing.append((kind, subject, sentence))
    assert missing == []
    # no masculine word is left about a girl in her guardian's consents
    if sex == "ж":
        for kind in ("consent_guardian", "consent_dissemination"):
            for text in texts[kind].values():
                assert not re.search("(?i)несовершеннолетн(ий|его)|качестве наставляемого", text)


def test_foreign_names_decline_as_russian_grammar_has_them(sexed):
    """Нгуен Ван Минь declines in his last name only, Ким Сон Хи and Долгих not at all, «кызы»
    and the father's name stay; initials put the given names first: «В.М. Нгуен»."""
    from tests.gender_schools import PEOPLE

    texts = sexed["foreign"]
    missing = [
        (kind, whose, sentence)
        for kind, whose, sentence in FOREIGN
        if sentence not in one(texts, kind, PEOPLE["foreign"].get(whose, whose) if whose else None)
    ]
    assert missing == []


# --- 3. workplace and position ---------------------------------------------------------------


def test_position_and_workplace_read_as_one_phrase(lyceum):
    pairs = one(lyceum, "order_pairs")
    assert (
        "| Смирнов Аркадий Ильич (инженер-конструктор ООО «Смирнов & Партнёры») | Иванов Пётр "
        "Олегович (9\xa0В класс) |"
    ) in pairs
    # a table's row reads «ФИО (…)» as the others do, brackets nested (left12)
    assert "| Лебедев Виктор Павлович (учитель литературы (на пенсии)) |" in pairs
    engineer = one(lyceum, "contract_external", "Смирнов")
    assert (
        "и Смирнов Аркадий Ильич, инженер-конструктор ООО «Смирнов & Партнёры» "
        "(далее\u00a0— Наставник)"
    ) in engineer
    retired = one(lyceum, "contract_external", "Лебедев")
    assert (
        "и Лебедев Виктор Павлович, учитель литературы (на пенсии) (далее\u00a0— Наставник)"
        in retired
    )
    assert "Место работы" not in retired
    for text in (pairs, engineer, retired, one(lyceum, "program", "П-03")):
        assert "), ООО" not in text
    for text in (engineer, retired, one(lyceum, "program", "П-03")):
        assert "(на пенсии))" not in text  # running text: «…, учитель (на пенсии) (далее …»


# --- 4. one story ----------------------------------------------------------------------------


def roadmap_terms(text: str) -> list[str]:
    return [line.split(" | ")[3] for line in text.splitlines() if re.match(r"\d \| ", line)]


def test_the_roadmap_follows_the_trainings_the_pairs_and_the_final_event(lyceum, demo):
    assert roadmap_terms(one(lyceum, "roadmap")) == [
        f"сентябрь 2024{NBSP}г.",
        f"сентябрь 2024{NBSP}г.",
        f"сентябрь 2024{NBSP}г.",
        f"сентябрь 2024{NBSP}г.",  # both trainings are in September
        f"сентябрь 2024{NBSP}г.{NBSP}– август 2025{NBSP}г.",  # П-04 starts 16.09, П-03 ends 29.08
        f"апрель{NBSP}– август 2025{NBSP}г.",  # the first end (П-02) to the last
        "в течение 2024–2025 учебного года",
    ]
    assert "итоговое мероприятие (круглый стол)" in one(lyceum, "roadmap")
    assert roadmap_terms(one(demo, "roadmap"))[3:6] == [
        f"сентябрь{NBSP}– ноябрь 2023{NBSP}г.",
        f"октябрь 2023{NBSP}г.{NBSP}– май 2024{NBSP}г.",
        f"апрель{NBSP}– май 2024{NBSP}г.",
    ]
    assert "итоговое мероприятие (конференция)" in one(demo, "roadmap")


def test_the_curator_is_appointed_once(lyceum, demo):
    for texts in (lyceum, demo):
        implementation = one(texts, "order_implementation")
        coordinators = one(texts, "order_coordinators")
        assert "2. Назначить куратором внедрения целевой модели наставничества" in implementation
        assert "Назначить куратором" not in coordinators
    # a school without a coordinator gives the coordinator's duties to the curator
    assert (
        "1. Возложить обязанности координатора внедрения целевой модели наставничества в МАОУ "
        "«Лицей №\u00a07» на 2024–2025 учебный год на куратора внедрения целевой модели "
        "наставничества Абрамян Карину Робертовну, заместителя директора по научно-методической "
        f"работе (назначена приказом от «____»{NBSP}____________{NBSP}20___{NBSP}г. №{NBSP}_______ "
        "«О внедрении целевой модели наставничества»)."
    ) in one(lyceum, "order_coordinators")


def test_the_order_on_pairs_shows_the_codes_and_only_employees_sign_it(lyceum):
    text = one(lyceum, "order_pairs")
    codes = [line.split(" | ")[0] for line in text.splitlines() if line.startswith("П-")]
    assert codes == ["П-04", "П-01", "П-02", "П-03"]  # by start date
    acquainted = text.split("С приказом ознакомлены:")[1].splitlines()[2:]
    assert [line.split(" | ")[0] for line in acquainted if line] == [
        f"Абрамян{NBSP}К.Р.",
        f"Гончаренко{NBSP}О.М.",
        f"Орлова{NBSP}Н.А.",
    ]
    training = one(lyceum, "order_training")
    acquainted = training.split("С приказом ознакомлены:")[1].split("Приложение")[0]
    assert "Ким" not in acquainted and "Лебедев" not in acquainted


# --- 5. numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "printed"),
    [(4.25, "4,3"), (4.35, "4,4"), (0.05, "0,1"), (2.45, "2,5"), (12.349, "12,3"), (7, "7,0")],
)
def test_half_up_rounding(value, printed):
    assert decimal(value) == printed


def test_decimal_is_babels_pattern():
    """The written-out figure is what Babel's ``0.0`` pattern in ``ru`` printed before."""
    from decimal import Decimal

    from babel.numbers import format_decimal

    values = [Decimal(n) / 1000 for n in range(-20_000, 20_000, 7)]
    values += [-0.04, 0.0, 1 / 3, 99.95, -99.95, 1e-9, 12_345_678.95]
    for value in values:
        assert decimal(value) == format_decimal(rounded(value), format="0.0", locale="ru")


def test_the_difference_agrees_with_the_printed_figures(lyceum):
    report = one(lyceum, "report_final")
    # entry 4, 4, 4, 5: mean 4,25 → 4,3; exit 8,0; 8,0 − 4,3 = 3,7 (not 3,75 → 3,8)
    assert "Вовлечённость | 4,3 | 8,0 | +3,7" in report
    assert signed(-0.05) == "\u22120,1"


def test_a_final_report_without_swot_does_not_claim_one(lyceum, demo):
    """Found by play11: «Итоги» without «Сильные стороны»…«Угрозы» gave a report saying
    «проведён SWOT-анализ» over four «сведения не представлены» and concluding «Сильные стороны
    и возможности, выявленные SWOT-анализом, следует сохранить»."""
    none = one(lyceum, "report_final")
    assert (
        "Сведения для SWOT-анализа программы (сильные и слабые стороны, возможности, угрозы) в "
        "итогах наставнических пар и групп не представлены." in none
    )
    assert (
        "4. SWOT-анализ программы наставничества необходимо провести по результатам "
        "анкетирования участников и учесть при планировании работы по наставничеству на "
        "следующий учебный год." in none
    )
    assert "проведён SWOT" not in none and "выявленные SWOT-анализом" not in none
    given = one(demo, "report_final")
    assert "По результатам анкетирования участников программы наставничества проведён " in given
    assert "4. Сильные стороны и возможности, выявленные SWOT-анализом, следует " in given
    assert "Сведения для SWOT-анализа" not in given


def test_hours_of_training_in_halves_are_counted_and_printed_with_a_comma(lyceum):
    """4 h and «1,5 ч»: the order names 5,5 hours (not «5 часов»), the table «1,5» and «5,5»."""
    order = one(lyceum, "order_training")
    assert "общим объёмом 5,5 часа (приложение 1)" in order
    assert (
        f"2 | Программа наставничества | 25{NBSP}сентября 2024{NBSP}г. | 1,5 | Практикум |" in order
    )
    assert "Итого | 5,5 |" in order
    assert "1.5" not in order and "5.5" not in order


# --- 6. ё --------------------------------------------------------------------------------------

YO_MISSING = re.compile(
    r"\b(отчет\w*|вовлеченн\w*|учет\w*|утвержденн\w*|приглашенн\w*|объем\w*|партнер\w*|ее)\b",
    re.IGNORECASE,
)


def test_one_spelling_of_yo_across_the_set(demo):
    for kind, texts in demo.items():
        for text in texts.values():
            assert YO_MISSING.findall(text) == [], kind


# --- 8. consent to dissemination ---------------------------------------------------------------


def test_a_consent_to_dissemination_for_every_adult_and_every_minors_guardian(lyceum):
    subjects = set(lyceum["consent_dissemination"])
    assert subjects == {
        "Гончаренко Ольга Михайловна",
        "Лебедев Виктор Павлович",
        "Смирнов Аркадий Ильич",
        "Ким Алина Сергеевна",
        "Орлова Наталья Андреевна",
        "Васильева Мария Игоревна",
        "Сафина Лилия Ренатовна",
        "Иванов Пётр Олегович",
        "Гусейнова Айгюль Рашид кызы",
    }
    adult = one(lyceum, "consent_dissemination", "Лебедев")
    lines = adult.splitlines()
    assert lines[:2] == [
        "СОГЛАСИЕ",
        "на обработку персональных данных, разрешённых субъектом персональных данных для "
        "распространения",
    ]
    assert f"статьёй 10.1 Федерального закона от 27{NBSP}июля 2006" in adult
    assert (
        "с персональными данными: https://lyceum7.example.ru (официальный сайт МАОУ «Лицей "
        f"№{NBSP}7», раздел «Наставничество»)."
    ) in adult
    assert "ИНН 2466001234" in adult
    assert "Биометрические персональные данные | фотографическое изображение" in adult
    assert "Условия, при которых полученные персональные данные могут передаваться" in adult
    assert "часть 12 статьи 10.1" in adult
    guardian = one(lyceum, "consent_dissemination", "Васильева")
    assert guardian.startswith(
        "СОГЛАСИЕ\nна обработку персональных данных, разрешённых субъектом персональных данных "
        "для распространения\nЯ, Васильева Елена Петровна, контактный телефон: +7 391 200-20-02"
    )
    # the child (Васильева Мария) is the data subject: a line for her address
    address = f"(адрес места жительства несовершеннолетней) (далее{NBSP}— Несовершеннолетняя)"
    assert address in guardian
    assert lines[-1].endswith(f"/ Лебедев{NBSP}В.П.")
    assert guardian.splitlines()[-1].endswith(f"/ Васильева{NBSP}Е.П.")


# --- 9. headings ---------------------------------------------------------------------------------


def test_every_document_has_a_heading(lyceum):
    headings = {
        "regulation": "ПОЛОЖЕНИЕ О НАСТАВНИЧЕСТВЕ",
        "target_model": "ПРОГРАММА ЦЕЛЕВОЙ МОДЕЛИ НАСТАВНИЧЕСТВА",
        "roadmap": "ДОРОЖНАЯ КАРТА",
        "consent_adult": "СОГЛАСИЕ",
        "consent_guardian": "СОГЛАСИЕ",
        "consent_dissemination": "СОГЛАСИЕ",
        "mentor_consent": "СОГЛАСИЕ",
        "contract_external": "ДОГОВОР",
        "program": "ПЕРСОНАЛИЗИРОВАННАЯ ПРОГРАММА НАСТАВНИЧЕСТВА",
        "report_pair": "ОТЧЁТ НАСТАВНИКА",
        "report_final": "ИТОГОВЫЙ АНАЛИТИЧЕСКИЙ ОТЧЁТ",
    }
    assert set(lyceum) == {k.id for k in KINDS}
    for kind, texts in lyceum.items():
        for text in texts.values():
            lines = text.splitlines()
            if kind.startswith("order_"):
                title = lines[lines.index(f"г.{NBSP}Красноярск") + 1]
                assert title.startswith(("О ", "Об ")), kind
            else:
                assert headings[kind] in lines, kind


# --- 10. workbook text tidied ------------------------------------------------------------------


def test_workbook_text_is_tidied_for_print(lyceum):
    program = one(lyceum, "program", "П-01")
    assert (
        f"| Организационная встреча | октябрь 2024{NBSP}г. |  | Гончаренко{NBSP}О.М. |" in program
    )
    assert f"| март 2025{NBSP}г. |" in program
    assert "Формa" not in program and "«Учитель – учитель»" in program
    head = one(lyceum, "order_pairs").splitlines()[:2]
    assert head == [
        f"Муниципальное автономное общеобразовательное учреждение «Лицей №{NBSP}7» города "
        "Красноярска",
        f"(МАОУ «Лицей №{NBSP}7»)",
    ]
    event = one(lyceum, "order_final_event")
    assert f"(место проведения: актовый зал, кабинет №{NBSP}7)" in event
    report = one(lyceum, "report_pair", "П-01")
    assert f"План выполнен на 95{NBSP}%." in report
    training = one(lyceum, "order_training")
    assert "| Семинар | Абрамян Карина Робертовна" in training  # the curator, typed «Абрамян К. Р.»


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("октябрь 2024", f"октябрь 2024{NBSP}г."),
        ("до 15 мая 2024г", f"до 15 мая 2024{NBSP}г."),
        ("май 2024 г.", f"май 2024{NBSP}г."),
        ("в течение года", "в течение года"),
        ("2023–2024 учебный год", "2023–2024 учебный год"),
        ('МБОУ "Лицей №7"', f"МБОУ «Лицей №{NBSP}7»"),
        ("Бутрина О. Н.", f"Бутрина{NBSP}О.Н."),
        ("выполнено на 70%", f"выполнено на 70{NBSP}%"),
        ("проект  -  выполнен", f"проект{NBSP}— выполнен"),
        ("https://lyceum-7.example.ru", "https://lyceum-7.example.ru"),
        ("01.02.2020", "01.02.2020"),
    ],
)
def test_tidy(typed, printed):
    from service.documents.tidy import tidy

    assert tidy(typed) == printed


def test_the_mentors_the_final_event_order_charges_acknowledge_it(lyceum, demo):
    """Item 5 «Наставникам представить на итоговом мероприятии результаты…» gives every mentor
    a duty: the school's staff among them sign «С приказом ознакомлены» (play10: only the
    event's responsible was listed); outsiders and pupils do not, as on the order on pairs."""
    text = one(lyceum, "order_final_event")
    assert "5. Наставникам представить на итоговом мероприятии результаты" in text
    listed = text.split("С приказом ознакомлены:")[1].splitlines()[2:]
    # the event's responsible is the curator; Гончаренко is the staff mentor of П-01 (Ким, an
    # outsider, and the pupil mentors are not the school's staff)
    assert [line.split(" | ")[0] for line in listed if line] == [
        f"Абрамян{NBSP}К.Р.",
        f"Гончаренко{NBSP}О.М.",
    ]
    text = one(demo, "order_final_event")
    listed = text.split("С приказом ознакомлены:")[1].splitlines()[2:]
    assert [line.split(" | ")[0] for line in listed if line] == [
        f"Бутрина{NBSP}О.Н.",
        f"Белова{NBSP}Е.В.",
        f"Петрова{NBSP}А.С.",
    ]


# --- people typed as «Ответственный» ---------------------------------------------------------


def _write_trainings_typed_variously(path: Path) -> None:
    from service.intake import demo as d

    typed = [
        "Бутрина О. Н.",  # the curator, by initials
        "соколова мария петровна",  # the coordinator, in lower case
        "Белова Е.В., учитель русского языка",  # a mentor and her position
        "Зуев Н.С.",  # initials of nobody the register knows
        "методист ИМЦ Идринского района",  # no person
    ]
    trainings = [
        {"Тема": f"Занятие {n}", "Дата": date(2023, 9, 10 + n), "Часов": 2, "Ответственный": who}
        for n, who in enumerate(typed, 1)
    ]
    d.write_filled_workbook(
        path,
        organization=d.ORGANIZATION,
        mentors=d.MENTORS,
        mentees=d.MENTEES,
        pairs=d.PAIRS,
        trainings=trainings,
    )


def test_the_training_schedule_prints_each_known_person_by_the_registers_name(tmp_path_factory):
    """«Зуев Н.С.» beside a full «Зуев Николай Сергеевич» in one table (docs11): a person the
    register knows is printed by his ФИО, as appendix 2 prints the mentors; other text as typed."""
    texts = _texts(tmp_path_factory, "responsible", _write_trainings_typed_variously)
    schedule = one(texts, "order_training").split("Программа и график обучения")[1]
    rows = [line.split(" | ") for line in schedule.split("Итого")[0].splitlines()]
    assert [row[-1] for row in rows if row[0].isdigit()] == [
        "Бутрина Ольга Николаевна",
        "Соколова Мария Петровна",
        "Белова Елена Викторовна, учитель русского языка",
        f"Зуев{NBSP}Н.С.",
        "методист ИМЦ Идринского района",
    ]
