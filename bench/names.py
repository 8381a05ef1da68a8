"""Realistic Russian ФИО for synthetic workbooks: both genders, patronymics made from the
father's name, family surnames shared by a child and the parent who is the guardian.

Every draw comes from a caller's :class:`random.Random`, so a seed gives the same people.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# (masculine, feminine): regular -ов/-ев/-ин and -ский/-цкий pairs, and indeclinable ones.
SURNAMES: tuple[tuple[str, str], ...] = tuple(
    (s, s + "а")
    for s in _words(
        "Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров "
        "Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев "
        "Орлов Андреев Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев "
        "Романов Воробьёв Сергеев Кузьмин Фролов Александров Дмитриев Королёв Гусев Киселёв "
        "Ильин Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов Тарасов "
        "Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоров "
        "Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов Гаврилов "
        "Тихонов Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов "
        "Ефимов Федотов Щербаков Назаров Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов "
        "Лазарев Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров Наумов Потапов "
        "Журавлёв Овчинников Трофимов Леонов Соболев Ермаков Колесников Гончаров Емельянов "
        "Никифоров Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев Панов Моисеев "
        "Румянцев Акимов Кондратьев Бирюков Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов "
        "Михеев Скворцов Юдин Белоусов Нестеров Симонов Прокофьев Харитонов Князев Цветков "
        "Левин Митрофанов Воронцов Бутрин Кинякин Зуев Тюрин Шестаков Рябов Худяков"
    )
) + (
    ("Вишневский", "Вишневская"),
    ("Ковальский", "Ковальская"),
    ("Покровский", "Покровская"),
    ("Троицкий", "Троицкая"),
    ("Садовский", "Садовская"),
    ("Зарецкий", "Зарецкая"),
    ("Толстой", "Толстая"),
    ("Шевченко", "Шевченко"),
    ("Ткаченко", "Ткаченко"),
    ("Бондаренко", "Бондаренко"),
    ("Кравченко", "Кравченко"),
    ("Черных", "Черных"),
    ("Седых", "Седых"),
    ("Ким", "Ким"),
    ("Цой", "Цой"),
    ("Гурьянов-Белый", "Гурьянова-Белая"),
)

# Male first name and the patronymics it gives: (name, «…ович», «…овна»).
MALE: tuple[tuple[str, str, str], ...] = (
    ("Александр", "Александрович", "Александровна"),
    ("Алексей", "Алексеевич", "Алексеевна"),
    ("Андрей", "Андреевич", "Андреевна"),
    ("Антон", "Антонович", "Антоновна"),
    ("Артём", "Артёмович", "Артёмовна"),
    ("Борис", "Борисович", "Борисовна"),
    ("Вадим", "Вадимович", "Вадимовна"),
    ("Валерий", "Валерьевич", "Валерьевна"),
    ("Василий", "Васильевич", "Васильевна"),
    ("Виктор", "Викторович", "Викторовна"),
    ("Владимир", "Владимирович", "Владимировна"),
    ("Владислав", "Владиславович", "Владиславовна"),
    ("Геннадий", "Геннадьевич", "Геннадьевна"),
    ("Георгий", "Георгиевич", "Георгиевна"),
    ("Денис", "Денисович", "Денисовна"),
    ("Дмитрий", "Дмитриевич", "Дмитриевна"),
    ("Евгений", "Евгеньевич", "Евгеньевна"),
    ("Егор", "Егорович", "Егоровна"),
    ("Иван", "Иванович", "Ивановна"),
    ("Игорь", "Игоревич", "Игоревна"),
    ("Илья", "Ильич", "Ильинична"),
    ("Кирилл", "Кириллович", "Кирилловна"),
    ("Константин", "Константинович", "Константиновна"),
    ("Лев", "Львович", "Львовна"),
    ("Максим", "Максимович", "Максимовна"),
    ("Матвей", "Матвеевич", "Матвеевна"),
    ("Михаил", "Михайлович", "Михайловна"),
    ("Никита", "Никитич", "Никитична"),
    ("Николай", "Николаевич", "Николаевна"),
    ("Олег", "Олегович", "Олеговна"),
    ("Павел", "Павлович", "Павловна"),
    ("Пётр", "Петрович", "Петровна"),
    ("Роман", "Романович", "Романовна"),
    ("Руслан", "Русланович", "Руслановна"),
    ("Сергей", "Сергеевич", "Сергеевна"),
    ("Степан", "Степанович", "Степановна"),
    ("Тимофей", "Тимофеевич", "Тимофеевна"),
    ("Фёдор", "Фёдорович", "Фёдоровна"),
    ("Юрий", "Юрьевич", "Юрьевна"),
    ("Ярослав", "Ярославович", "Ярославовна"),
)

FEMALE: tuple[str, ...] = _words(
    "Анна Мария Елена Ольга Татьяна Наталья Ирина Светлана Екатерина Юлия Анастасия Дарья "
    "Полина Алина Виктория Ксения Валентина Галина Людмила Надежда Вера Любовь Марина "
    "Евгения Александра Софья Варвара Алёна Кристина Маргарита Вероника Елизавета Зоя "
    "Лариса Оксана Жанна Диана Ульяна Яна Таисия"
)


@dataclass(frozen=True)
class Person:
    """One generated person: ``full_name`` is «Фамилия Имя Отчество»."""

    surname: str
    first: str
    patronymic: str
    female: bool

    @property
    def full_name(self) -> str:
        return f"{self.surname} {self.first} {self.patronymic}"


class NameGenerator:
    """Draws ФИО that do not repeat within one generator (a workbook has no tёзки then)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def person(self, female: bool | None = None, surname: tuple[str, str] | None = None) -> Person:
        """A new person; ``surname`` (masculine, feminine) to keep a family's surname."""
        for _ in range(1000):
            candidate = self._draw(female, surname)
            if candidate.full_name not in self.used:
                self.used.add(candidate.full_name)
                return candidate
        raise RuntimeError("name pool exhausted")

    def _draw(self, female: bool | None, surname: tuple[str, str] | None) -> Person:
        rng = self.rng
        female = rng.random() < 0.5 if female is None else female
        family = surname or rng.choice(SURNAMES)
        father = rng.choice(MALE)
        first = rng.choice(FEMALE) if female else rng.choice(MALE)[0]
        return Person(family[1 if female else 0], first, father[2 if female else 1], female)

    def child_and_guardian(self, female: bool | None = None) -> tuple[Person, Person]:
        """A pupil and the parent who signs for them: the same family name, and when the
        guardian is the father, the child's patronymic is made from his first name."""
        rng = self.rng
        family = rng.choice(SURNAMES)
        for _ in range(1000):
            father = rng.choice(MALE)
            child_female = rng.random() < 0.5 if female is None else female
            child = Person(
                family[1 if child_female else 0],
                rng.choice(FEMALE) if child_female else rng.choice(MALE)[0],
                father[2 if child_female else 1],
                child_female,
            )
            if child.full_name in self.used:
                continue
            if rng.random() < 0.3:  # the father signs
                guardian = Person(family[0], father[0], rng.choice(MALE)[1], False)
            else:
                guardian = Person(family[1], rng.choice(FEMALE), rng.choice(MALE)[2], True)
            self.used.add(child.full_name)
            return child, guardian
        raise RuntimeError("name pool exhausted")
