"""Typed strings that tell the template filters what a value is.

A template writes ``{{ curator.name | accs }}`` and ``{{ curator.position | datv }}`` with the
same filter: the filter inflects a :class:`PersonName` as a person's ФИО and a
:class:`Position` as a position phrase. Both are plain ``str`` everywhere else.
"""

from __future__ import annotations


class PersonName(str):
    """A person's ФИО in the nominative, «Фамилия Имя Отчество».

    ``sex`` («м»/«ж») is the school's «Пол» of the person when it says otherwise than the ФИО
    (:func:`service.documents.gender.person_name`), else None: the declension and the agreement
    follow it. It is an attribute, not part of the text: the name compares and prints as ever.
    (``str`` subclasses can have no ``__slots__`` with members, hence an instance dict.)
    """

    sex: str | None

    def __new__(cls, value: object = "", sex: str | None = None) -> PersonName:
        name = super().__new__(cls, value)
        name.sex = sex
        return name


class Position(str):
    """A position phrase in the nominative, e.g. «заместитель директора по УВР»."""

    __slots__ = ()
