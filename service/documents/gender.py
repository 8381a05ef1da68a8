"""Agreement of words with a person's gender: «Наставляемая», «Обучающаяся», «ознакомлена».

A role or a participle standing by a person agrees with that person: a woman mentee is
«наставляемая», a schoolgirl «обучающаяся». The gender is the one the name declension uses
(the patronymic, else the first name, else the surname); a name that tells nothing is taken
as masculine, the office default.
"""

from __future__ import annotations

from functools import lru_cache

from service.documents.russian import name_gender

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
    """Whether «Фамилия Имя Отчество» names a woman or a girl, decided as the declension
    decides it (:func:`service.documents.russian.name_gender`)."""
    return name_gender(full_name) == "femn"


def agree(word: str, female: bool) -> str:
    """``word`` (masculine, as the templates write it) in the form agreeing with the person;
    its capital letter is kept; a word without a feminine form is returned as it is."""
    if not female:
        return word
    feminine = FEMININE.get(word.lower())
    if feminine is None:
        return word
    return feminine[:1].upper() + feminine[1:] if word[:1].isupper() else feminine
