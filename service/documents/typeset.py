"""No-break spaces where a printed value must not be broken across lines, put in as the
document is rendered (every ``{{ … }}`` a template prints: the environment's ``finalize``).

After «им.» and an initial before a capital («им. А. М. Матросова», in a school's full name, in
a place typed in «Итоговое мероприятие»); after the abbreviations of an address before what
they name («г. Красноярск», «ул. Ленина», «д. 17», «кв. 7»). The consents, the contract and the
orders broke them as «г.» / «Красноярск», «ул.» / «Ленина», «имени А.» / «М. Матросова»
(reader17). A day and its month, «03 декабря», «12 мая», ««01» сентября», and a year and «г.»
or «гг.» («2026 г.», «2025–2026 гг.»): «от 03» / «декабря 2026 г.» broke a date in the orders
and the consents. After a surname's particle typed in lower case before the surname or another
particle («фон Визин», «де ла Круз»): «ла» / «Круз» broke a surname (left20). A class's number
and its letter, «5 А»: «(5» / «А класс)» broke a class in the order approving the pairs
(play21).

Done at rendering, not in the context kept with each version: a version made before keeps its
context, and the text it would be made from now renders the same — a signed order is not made
again for spaces that print the same words (see :func:`service.versions._new_versions`).
"""

from __future__ import annotations

import re

from markupsafe import Markup

from service.intake.normalise import SURNAME_PARTICLES

NBSP = "\u00a0"
_INITIAL = re.compile(r"(?<![А-ЯЁа-яё])((?:им|[А-ЯЁ])\.) (?=[А-ЯЁ])")
"""«им.» or an initial, then a capital: «им. А. М. Матросова»."""
_ABBREVIATION = re.compile(
    r"(?<![\w.-])(?<!\d\s)(?<!т\.\s)"
    r"((?:г|с|п|пос|пгт|рп|д|ул|пер|пр|пр-т|пл|б-р|наб|ш|мкр|кв|корп|стр|обл|ст|х)\.)"
    r" (?=[\wА-ЯЁ«\d])"
)
"""An abbreviation of an address before what it names: «г. Красноярск», «ул. Ленина», «д. 17»
(not «2026 г.» before the next word, nor «и т. д.»)."""
_DATE = re.compile(
    r"(?<![0-9.,:/])([0-9]{1,2}»?|[0-9]{4}) (?=(?:января|февраля|марта|апреля|мая|июня|июля"
    r"|августа|сентября|октября|ноября|декабря)(?![А-ЯЁа-яё])|гг?\.)"
)
"""A day before its month, «03 декабря», ««03» декабря»; a year before «г.» or «гг.»."""
_CLASS = re.compile(r"(?<![\w.,:/№-])(\d{1,2}) ([А-ЯЁ])(?![\w.])")
"""A class's number before its letter, «5 А», «10 Б»: the order approving the pairs broke
«Черных Ольга Андреевна (5» / «А класс)» in its narrow column (play21)."""
_PARTICLE = re.compile(
    r"(?<![\w'-])("
    + "|".join(sorted(SURNAME_PARTICLES, key=len, reverse=True))
    + r") (?=[А-ЯЁA-Z]|(?:"
    + "|".join(sorted(SURNAME_PARTICLES, key=len, reverse=True))
    + r") )"
)
"""A surname's particle in lower case (:data:`SURNAME_PARTICLES`) before a capital or another
particle: «фон Визин», «де ла Круз» (not «да» of «да и нет»)."""
_DIGIT = re.compile("[0-9]")
"""Whether :data:`_DATE` is worth asking: most printed texts (names, positions) have no digit,
and this search is ten times quicker than that one's."""


def typeset(value: object) -> object:
    """``value`` as a template prints it: a plain text with its no-break spaces (see the module
    docstring); anything else (a number, a date, markup) as it is."""
    if type(value) is not str and not (isinstance(value, str) and not isinstance(value, Markup)):
        return value
    text = str(value)
    if _DIGIT.search(text):
        text = _DATE.sub("\\1" + NBSP, text)
        text = _CLASS.sub("\\1" + NBSP + "\\2", text)
    if "." in text:
        text = _INITIAL.sub("\\1" + NBSP, text)
        text = _ABBREVIATION.sub("\\1" + NBSP, text)
    if " " in text:
        text = _PARTICLE.sub("\\1" + NBSP, text)
    return text
