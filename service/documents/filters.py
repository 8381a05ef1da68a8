"""The Jinja environment every template renders in: autoescape on, Russian grammar filters.

``{{ curator.name | accs }}`` and ``{{ curator.position | datv }}`` use one filter per case; the
value's type (:class:`PersonName`, :class:`Position`, plain text) says how to inflect it.
"""

from __future__ import annotations

from datetime import date, datetime

import jinja2

from service.documents import russian
from service.documents.gender import agree, is_female
from service.documents.sandbox import TemplateSandbox
from service.documents.text_width import printed_mm
from service.documents.typeset import NBSP, typeset
from service.documents.values import PersonName, Position


def inflect(value: object, case: str) -> str:
    """Inflect a name, a position or any noun phrase into ``case``; ``""`` stays ``""``."""
    if value is None or value == "":
        return ""
    text = str(value)
    if isinstance(value, PersonName):
        return russian.inflect_name(text, case, value.sex)
    if isinstance(value, Position):
        if russian.is_class(text):  # a student's class: «9 Б» → «9 Б класса»
            return russian.class_phrase(text, case)
        return russian.inflect_position(text, case)
    return russian.inflect_phrase(text, case)


def _case_filter(case: str):
    def apply(value: object) -> str:
        return inflect(value, case)

    apply.__name__ = case
    return apply


def date_filter(value: object, style: str = "long") -> str:
    """A date as «01 сентября 2023 г.» (``long``), ««01» сентября 2023 г.» (``form``),
    «01.09.2023» (``numeric``); text is returned unchanged."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return russian.format_date(value, style)
    return "" if value is None else str(value)


def plural_filter(value: object, one: str, few: str, many: str) -> str:
    """«3 месяца», «5 месяцев»; a fractional count takes the genitive singular, which is the
    form after 2–4: «1,5 часа», «4,5 часа» (a float or the printed «4,5»)."""
    number = float(str(value).replace(",", "."))
    if not number.is_integer():
        return f"{russian.quantity(number)} {few}"
    n = int(number)
    return f"{n} {russian.plural(n, (one, few, many))}"


def words_filter(value: object, one: str, few: str, many: str, gender: str = "masc") -> str:
    """«3 (три) месяца»."""
    n = int(value)  # type: ignore[arg-type]
    return f"{n} ({russian.number_in_words(n, gender)}) {russian.plural(n, (one, few, many))}"


def capfirst(value: object) -> str:
    text = "" if value is None else str(value)
    return text[:1].upper() + text[1:]


def period_filter(value: object) -> str:
    """Text ending as a sentence: a full stop added unless it ends with «.», «!» or «?»;
    ``""`` stays ``""``."""
    text = "" if value is None else str(value)
    return text if not text or text[-1] in ".!?" else text + "."


def sentence_filter(value: object) -> str:
    """``capfirst`` and ``period``: «продолжить работу» → «Продолжить работу.»."""
    return period_filter(capfirst(value))


def initials_filter(value: object, fit: float | None = None) -> str:
    """«Бутрина О.Н.», surname and initials joined by a no-break space. With ``fit``, the
    width in millimetres of a table's column inside its padding: a name wider than that
    (12 pt Times) is joined by a plain space, to break between the surname and the initials —
    the no-break space held it whole, and LibreOffice broke it where the column ended, inside
    the initials: «Пономаренко У.Р» / «.» (left22b). A name that fits prints as before, and so
    does one whose surname breaks after its hyphen with the rest fitting («Соколова-» /
    «Микитова В.П.»): only the part the no-break space holds together is measured."""
    if not value:
        return ""
    name = russian.initials(str(value), "surname_first")
    if fit is not None and NBSP in name and printed_mm(name.rsplit("-", 1)[-1]) > float(fit):
        surname, letters = name.rsplit(NBSP, 1)
        return f"{surname} {letters}"
    return name


def initials_first_filter(value: object) -> str:
    return russian.initials(str(value), "initials_first") if value else ""


def female_filter(value: object) -> bool:
    """Whether a person (a context dict with ``female`` or ``name``, or a ФИО) is a woman; a
    :class:`PersonName` brings the school's «Пол» when it says otherwise than the ФИО."""
    if isinstance(value, dict):
        if "female" in value:
            return bool(value["female"])
        value = value.get("name", "")
    if isinstance(value, PersonName):
        return is_female(value)
    return is_female(str(value or ""))


def agree_filter(word: object, person: object) -> str:
    """``{{ 'Наставляемый' | agree(m) }}`` → «Наставляемая» for a woman or a girl."""
    return agree("" if word is None else str(word), female_filter(person))


def make_environment() -> jinja2.Environment:
    """A fresh autoescaping environment with every filter the templates may use.

    ``StrictUndefined`` makes a misspelt variable an error instead of an empty gap.
    """
    # sandboxed: a template a school edits in Word must not reach Python's internals
    # (``{{ self.__init__.__globals__ … }}``); immutable: no template changes the context;
    # bounded: no `*`, `**` or `range` asks for gigabytes or hours (service.documents.sandbox)
    env = TemplateSandbox(
        autoescape=True, undefined=jinja2.StrictUndefined, finalize=typeset
    )  # every printed text with its no-break spaces (service.documents.typeset)
    for case in russian.CASES:
        env.filters[case] = _case_filter(case)
    env.filters.update(
        date=date_filter,
        plural=plural_filter,
        words=words_filter,
        capfirst=capfirst,
        period=period_filter,
        sentence=sentence_filter,
        initials=initials_filter,
        initials_first=initials_first_filter,
        female=female_filter,
        agree=agree_filter,
    )
    return env
