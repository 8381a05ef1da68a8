"""A person named in «Пары» in the order Имя Отчество Фамилия («Олег Игоревич Цой»), who is on
the workbook's sheet or in the register as «Цой Олег Игоревич». The person's own sheet says what
is wrong with such a ФИО and how to write it (:func:`service.intake.names.to_name`); «Пары»
said only «не найден: его нет ни на листе «Наставники», ни в реестре» (play21), though the
person was there, written the right way round."""

from __future__ import annotations

import re
from collections.abc import Callable

from service.intake.lookup import RegisterLookup
from service.intake.names import to_name
from service.intake.normalise import ValueProblem

_ADVICE = re.compile(r"в порядке[^«]*Напишите «(?P<named>[^»]+)»")
"""The reader's advice on a ФИО written name first: «…записано в порядке Имя Отчество
Фамилия. Напишите «Цой Олег Игоревич»…», «…пишется в порядке Фамилия Имя Отчество. Напишите
«фон Визин Денис»»."""


def surname_first(ref: str) -> str | None:
    """«Цой Олег Игоревич» for «Олег Игоревич Цой»: the ФИО as it is written when ``ref`` is
    written name first; None when it is not."""
    try:
        to_name(ref)
    except ValueProblem as problem:
        found = _ADVICE.search(str(problem))
        return found["named"] if found else None
    return None


def misordered(
    ref: str,
    row_of: Callable[[str], int | None],
    sheet: str,
    role: str,
    lookup: RegisterLookup | None,
) -> tuple[str, str] | None:
    """The ФИО ``ref`` means when written name first and the person it names is on ``sheet``
    (his row there by ``row_of``) or in the register as ``role``, with what to say of it; None
    otherwise."""
    named = surname_first(ref)
    if named is None:
        return None
    row = row_of(named)
    if row is not None:
        where = f"на листе «{sheet}» (строка {row})"
    elif lookup is not None and lookup.has_person(named, role):
        where = "в реестре"
    else:
        return None
    return named, (
        f"ФИО записано в порядке Имя Отчество Фамилия, а {where} — «{named}». Напишите "
        f"«{named}» (Фамилия Имя Отчество) или Код."
    )
