"""Messages that agree with the person they name: «указана» for a woman, «указан» for a man —
never «указан(а)». The gender is the names module's (:func:`name_gender`: the patronymic, else
the first name, else the surname); a code, or a name that tells nothing, gets a wording without
a gender."""

from __future__ import annotations

import re

from service.documents.russian_names import name_gender

_WORD = re.compile(r"^[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*$")


def gender_of(full_name: str) -> str | None:
    """«m», «f», or None when ``full_name`` is not a ФИО whose gender is told."""
    words = full_name.split()
    if len(words) < 2 or not all(_WORD.match(w) for w in words):
        return None
    return {"masc": "m", "femn": "f"}.get(name_gender(" ".join(words)))


def agree(full_name: str, male: str, female: str, unknown: str) -> str:
    """The wording that fits the person named ``full_name``."""
    return {"m": male, "f": female}.get(gender_of(full_name) or "", unknown)
