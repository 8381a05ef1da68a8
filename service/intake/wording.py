"""Messages that agree with the person they name: «указана» for a woman, «указан» for a man —
never «указан(а)». The gender is the school's «Пол» of the person when the sheet gives it, else
the names module's (:func:`name_gender`: the patronymic, else the first name, else the
surname) when the name tells it for certain (:func:`gender_is_certain`); a code, or a name
that does not tell, gets a wording without a gender."""

from __future__ import annotations

import re

from service.documents.russian_names import gender_is_certain, name_gender

_WORD = re.compile(r"^[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*$")
_SEX = {"м": "m", "ж": "f"}


def gender_of(full_name: str, sex: object = None) -> str | None:
    """«m», «f», or None when ``full_name`` is not a ФИО whose gender is told; ``sex`` («м»/«ж»,
    the school's «Пол») wins over the name."""
    if isinstance(sex, str) and sex in _SEX:
        return _SEX[sex]
    words = full_name.split()
    if len(words) < 2 or not all(_WORD.match(w) for w in words):
        return None
    name = " ".join(words)
    if not gender_is_certain(name):
        return None
    return {"masc": "m", "femn": "f"}.get(name_gender(name))


def agree(full_name: str, male: str, female: str, unknown: str, sex: object = None) -> str:
    """The wording that fits the person named ``full_name`` (whose «Пол» is ``sex``, if given)."""
    return {"m": male, "f": female}.get(gender_of(full_name, sex) or "", unknown)
