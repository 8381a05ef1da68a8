"""Typed strings that tell the template filters what a value is.

A template writes ``{{ curator.name | accs }}`` and ``{{ curator.position | datv }}`` with the
same filter: the filter inflects a :class:`PersonName` as a person's ФИО and a
:class:`Position` as a position phrase. Both are plain ``str`` everywhere else.
"""

from __future__ import annotations


class PersonName(str):
    """A person's ФИО in the nominative, «Фамилия Имя Отчество»."""

    __slots__ = ()


class Position(str):
    """A position phrase in the nominative, e.g. «заместитель директора по УВР»."""

    __slots__ = ()
