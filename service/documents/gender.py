"""Agreement of words with a person's gender: «Наставляемая», «Обучающаяся», «ознакомлена».

A role or a participle standing by a person agrees with that person: a woman mentee is
«наставляемая», a schoolgirl «обучающаяся». The gender is the one the name declension uses
(the school's «Пол» when given, else the patronymic, else the first name, else the surname); a
name that tells nothing is taken as masculine, the office default.
"""

from __future__ import annotations

from functools import lru_cache

from service.documents.russian import name_gender
from service.documents.values import PersonName

FEMININE: dict[str, str] = {
    "наставляемый": "наставляемая",
    "наставляемого": "наставляемой",
    "несовершеннолетний": "несовершеннолетняя",
    "несовершеннолетнего": "несовершеннолетней",
    "обучающийся": "обучающаяся",
    "обучающегося": "обучающейся",
    "ответственному": "ответственной",
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
"""The words the templates agree, masculine → feminine (lower case); a word the templates use
in an oblique case has its own entry («Несовершеннолетнего» → «Несовершеннолетней»)."""


_TOLD = {"masc": "м", "femn": "ж"}


def told_sex(full_name: str) -> str | None:
    """«м»/«ж» as the ФИО alone tells it (:func:`~service.documents.russian.name_gender`), None
    when it tells nothing (a surname alone)."""
    return _TOLD.get(name_gender(str(full_name)))


def person_name(full_name: str, sex: str | None) -> PersonName:
    """The :class:`PersonName` of a person whose «Пол» the school gave as ``sex`` (or not):
    it carries ``sex`` only when the ФИО says otherwise, so a document of a person whose name
    tells the same keeps its context (and its version) as before the school filled «Пол»."""
    if sex not in ("м", "ж") or sex == told_sex(full_name):
        sex = None
    return PersonName(full_name, sex)


def is_female(full_name: str, sex: str | None = None) -> bool:
    """Whether the person is a woman or a girl: ``sex`` («м»/«ж», the school's «Пол») when
    given, else the ФИО, decided as the declension decides it (a :class:`PersonName` brings its
    own ``sex``)."""
    sex = sex or getattr(full_name, "sex", None)
    if sex in ("м", "ж"):
        return sex == "ж"
    return _name_is_female(str(full_name))


@lru_cache(maxsize=4096)
def _name_is_female(full_name: str) -> bool:
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
