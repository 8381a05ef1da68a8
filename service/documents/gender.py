"""Agreement of words with a person's gender: «Наставляемая», «Обучающаяся», «ознакомлена».

A role or a participle standing by a person agrees with that person: a woman mentee is
«наставляемая», a schoolgirl «обучающаяся». The gender is read from the patronymic
(«-вна», «-ична», «кызы»), else from the first name (pytrovich's detector), else from the
surname; a name that tells nothing is taken as masculine, the office default.
"""

from __future__ import annotations

from functools import lru_cache

from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Gender

from service.documents.russian_overrides import (
    FEMALE_PATRONYMIC_PARTICLES,
    MALE_PATRONYMIC_PARTICLES,
)

_DETECTOR = PetrovichGenderDetector()

FEMININE: dict[str, str] = {
    "наставляемый": "наставляемая",
    "обучающийся": "обучающаяся",
    "ознакомлен": "ознакомлена",
    "проживающий": "проживающая",
    "зарегистрированный": "зарегистрированная",
    "действующий": "действующая",
    "являющийся": "являющаяся",
    "согласен": "согласна",
    "предупрежден": "предупреждена",
    "предупреждён": "предупреждена",
    "уведомлен": "уведомлена",
    "выпускник": "выпускница",
    "назначен": "назначена",
}
"""The words the templates agree, masculine → feminine (lower case)."""


@lru_cache(maxsize=4096)
def is_female(full_name: str) -> bool:
    """Whether «Фамилия Имя Отчество» names a woman or a girl: patronymic first, then the first
    name, then the surname."""
    words = full_name.split()
    if not words:
        return False
    rest = [w.lower() for w in words[2:]]
    for word in rest:
        if any(word.endswith(p) for p in FEMALE_PATRONYMIC_PARTICLES):
            return True
        if any(word.endswith(p) for p in MALE_PATRONYMIC_PARTICLES):
            return False
    if rest:
        if rest[0].endswith(("вна", "чна", "шна")):
            return True
        if rest[0].endswith("ич"):
            return False
    if len(words) > 1 and "." not in words[1]:
        gender = _DETECTOR.detect(firstname=words[1])
        if gender is not Gender.ANDROGYNOUS:
            return gender is Gender.FEMALE
    return _DETECTOR.detect(lastname=words[0]) is Gender.FEMALE


def agree(word: str, female: bool) -> str:
    """``word`` (masculine, as the templates write it) in the form agreeing with the person;
    its capital letter is kept; a word without a feminine form is returned as it is."""
    if not female:
        return word
    feminine = FEMININE.get(word.lower())
    if feminine is None:
        return word
    return feminine[:1].upper() + feminine[1:] if word[:1].isupper() else feminine
