"""A «Ответственный» typed in the workbook, printed in the form the document gives people.

The sheet «Обучение наставников» takes its «Ответственный» as free text: one row «Зуев Н.С.»,
the next «Зуев Николай Сергеевич», another «методист ИМЦ». The training order prints people in
full (its appendix 2 lists the mentors by ФИО, its items name the curator in full), so a part
of the cell that is a person the register knows — an office of «Организация», the final
event's responsible, a mentor or a mentee — is printed as the register writes him: «Зуев Н.С.»
that fits one such person becomes his ФИО, a full ФИО typed in another case or with «е» for «ё»
becomes the register's spelling. Anything else (initials of nobody known or of several, a
position, a department) is printed as typed: nothing typed is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from service.intake.initials import read_initials
from service.intake.normalise import person_key

_PARTS = re.compile(r"([,;])")
"""Several people in one cell are separated so: «Бутрина О.Н., Соколова М.П.»; a part that
is no person («Бутрина О.Н., куратор») stays as it is."""


class KnownPeople:
    """The people of the register a typed «Ответственный» may name, by their ФИО."""

    def __init__(self, names: Iterable[str]) -> None:
        self._by_key: dict[str, str] = {}
        for name in names:
            name = " ".join((name or "").split())
            if name:
                self._by_key.setdefault(person_key(name), name)

    def full(self, typed: str) -> str:
        """``typed`` with every part that names one known person replaced by his ФИО."""
        parts = _PARTS.split(typed)
        for index in range(0, len(parts), 2):
            name = self._one(parts[index])
            if name is not None:
                part = parts[index]
                lead, trail = part[: len(part) - len(part.lstrip())], part[len(part.rstrip()) :]
                parts[index] = lead + name + trail
        return "".join(parts)

    def _one(self, part: str) -> str | None:
        """The ФИО of the one known person ``part`` is (his ФИО or «Фамилия И.О.»), else None."""
        text = " ".join(part.split())
        if not text:
            return None
        known = self._by_key.get(person_key(text))
        if known is not None:
            return known
        initials = read_initials(text)
        if initials is None:
            return None
        fitting = [name for name in self._by_key.values() if initials.fits(name)]
        return fitting[0] if len(fitting) == 1 else None
