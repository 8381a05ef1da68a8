"""Messages that agree with the person they name: «указана» for a woman, «указан» for a man —
never «указан(а)». The gender comes from the patronymic (-ич / -на, «оглы» / «кызы»), else the
first name (pytrovich's rules, as in :mod:`service.documents.russian`); a code or a name the
rules cannot tell gets a wording without a gender."""

from __future__ import annotations

import re
from functools import lru_cache

from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Gender

_WORD = re.compile(r"^[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*$")
_DETECTOR = PetrovichGenderDetector()


@lru_cache(maxsize=4096)
def gender_of(full_name: str) -> str | None:
    """ "m", "f", or None when ``full_name`` is not a ФИО whose gender is certain."""
    words = full_name.split()
    if len(words) < 2 or not all(_WORD.match(w) for w in words):
        return None
    tail = [w.lower() for w in words[2:]]
    for word in reversed(tail):
        if word.endswith(("ич", "оглы", "улы", "уулу")):
            return "m"
        if word.endswith(("на", "кызы", "гызы")):
            return "f"
    found = _DETECTOR.detect(firstname=words[1])
    return {Gender.MALE: "m", Gender.FEMALE: "f"}.get(found)


def agree(full_name: str, male: str, female: str, unknown: str) -> str:
    """The wording that fits the person named ``full_name``."""
    return {"m": male, "f": female}.get(gender_of(full_name) or "", unknown)
