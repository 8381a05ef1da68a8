"""Russian grammar for generated documents: names, positions and phrases in any case, dates,
numbers.

An order (приказ) of the mentorship programme puts the same people in different grammatical
cases: «назначить наставником Бутрину Ольгу Николаевну», «закрепить за учителем математики…».
The data holds every value in the nominative; a template asks for a case with a filter
(``{{ name | datv }}``, see :mod:`service.documents.filters`) and this module inflects:

* a person's ФИО — pytrovich (the petrovich rules: by ending and gender, indeclinable surnames
  such as Черных or Шевченко kept) plus the corrections in :mod:`.russian_overrides`; gender comes
  from the patronymic, else the first name, else the surname;
* a position or another noun phrase — pymorphy3's OpenCorpora dictionary: the head (leading
  adjectives and the noun they agree with, or a noun-like adjective such as «заведующая») is
  inflected, the dependent tail («директора по учебно-воспитательной работе») is kept;
* dates (babel), the form of a noun after a number, numbers in words — small exact rules.

Letter case is kept (ALL-CAPS stays in capitals, «Директор» stays capitalised), and so is the
writer's choice of «е» or «ё». Input that cannot be parsed comes back unchanged: a document with a
nominative where a dative belongs is easy to spot and fix, a wrongly guessed form is not.
Results are cached: one order renders the same names many times.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import pymorphy3
from babel.dates import format_date as _babel_format_date
from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case, Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker

from service.documents.russian_overrides import (
    FEMALE_PATRONYMIC_PARTICLES,
    MALE_PATRONYMIC_PARTICLES,
    SURNAME_FORMS,
    SURNAME_INDECLINABLE,
)

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")

NBSP = "\u00a0"

_PETROVICH_CASES = {
    "gent": Case.GENITIVE,
    "datv": Case.DATIVE,
    "accs": Case.ACCUSATIVE,
    "ablt": Case.INSTRUMENTAL,
    "loct": Case.PREPOSITIONAL,
}
_FORM_INDEX = {case: index for index, case in enumerate(_PETROVICH_CASES)}  # overrides' order

_MAKER = PetrovichDeclinationMaker()
_DETECTOR = PetrovichGenderDetector()
_MORPH = pymorphy3.MorphAnalyzer()  # loading the dictionary is slow: once per process

_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
_ADJECTIVES = frozenset({"ADJF", "PRTF"})


def _check_case(case: str) -> None:
    if case not in CASES:
        raise ValueError(f"unknown case {case!r}; expected one of {CASES}")


def _same_letter_case(model: str, word: str) -> str:
    """``word`` written like ``model``: all capitals, capitalised or as it is."""
    if len(model) > 1 and model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _same_yo(model: str, parse: pymorphy3.analyzer.Parse, word: str) -> str:
    """Follow the writer's «е» for «ё»: «ученый» → «ученого», «учёный» → «учёного»;
    a form that gains «ё» keeps it («секретарь» → «секретарём»)."""
    if "ё" in parse.word and "ё" not in model.lower():
        return word.replace("ё", "е")
    return word


# ---------------------------------------------------------------------------- names


def _particle_gender(words: list[str]) -> Gender | None:
    """Gender told by «оглы»/«кызы» (also glued on: «Гусейн-оглы», «Гусейноглы»)."""
    for word in words:
        low = word.lower()
        if any(low.endswith(p) for p in MALE_PATRONYMIC_PARTICLES):
            return Gender.MALE
        if any(low.endswith(p) for p in FEMALE_PATRONYMIC_PARTICLES):
            return Gender.FEMALE
    return None


def _gender(surname: str, first: str, patronymic: list[str]) -> tuple[Gender, bool]:
    """The gender and whether it is certain: patronymic, else first name, else surname."""
    if patronymic:
        particle = _particle_gender(patronymic)
        if particle is not None:
            return particle, True
        last = patronymic[-1].lower()
        if last.endswith("ич"):
            return Gender.MALE, True
        if last.endswith("на"):
            return Gender.FEMALE, True
    if first and "." not in first:
        gender = _DETECTOR.detect(firstname=first)
        if gender is not Gender.ANDROGYNOUS:
            return gender, True
    gender = _DETECTOR.detect(lastname=surname)
    return gender, gender is not Gender.ANDROGYNOUS


def _inflect_component(
    part: NamePart, word: str, gender: Gender, known: bool, case: str, is_last: bool
) -> str:
    """One hyphen-free component of a name, written capitalised or in lower case."""
    low = word.lower()
    if part is NamePart.LASTNAME:
        if low in SURNAME_INDECLINABLE:
            return word
        forms = SURNAME_FORMS.get((low, gender.str())) or SURNAME_FORMS.get((low, "any"))
        if forms:
            return _same_letter_case(word, forms[_FORM_INDEX[case]])
    result = _MAKER.make(part, gender, _PETROVICH_CASES[case], word, known and is_last)
    if (
        result == word
        and part is NamePart.FIRSTNAME
        and gender is Gender.FEMALE
        and low.endswith("ь")
    ):
        # Гузель, Айгуль, Адель decline like «Любовь»/«тетрадь»; the rules leave most unchanged.
        ending = {"gent": "и", "datv": "и", "loct": "и", "ablt": "ью", "accs": "ь"}[case]
        result = word[:-1] + ending
    return result


def _inflect_name_word(part: NamePart, word: str, gender: Gender, known: bool, case: str) -> str:
    if "." in word:  # an initial, «И.» or «И.И.»
        return word
    capitals = len(word) > 1 and word.isupper()
    pieces = word.split("-")
    out = []
    for index, piece in enumerate(pieces):
        source = piece.capitalize() if capitals else piece
        result = _inflect_component(part, source, gender, known, case, index == len(pieces) - 1)
        out.append(result.upper() if capitals else result)
    return "-".join(out)


@lru_cache(maxsize=4096)
def inflect_name(full_name: str, case: str) -> str:
    """A person's «Фамилия Имя [Отчество]» in ``case`` (one of :data:`CASES`).

    «Бутрина Ольга Николаевна», "datv" → «Бутриной Ольге Николаевне». Indeclinable surnames
    (Черных, Шевченко, Ли; Шмидт for a woman) stay; both halves of a double surname decline;
    «Мамедов Рашид Гусейн оглы» keeps «Гусейн оглы». Anything longer than three words without
    «оглы»/«кызы» is returned unchanged, as is the nominative.
    """
    _check_case(case)
    words = full_name.split()
    if case == "nomn" or not words:
        return full_name
    surname, first, patronymic = words[0], "".join(words[1:2]), words[2:]
    particle = _particle_gender(patronymic) is not None
    if len(patronymic) > 1 and not particle:
        return full_name
    gender, known = _gender(surname, first, patronymic)
    out = [_inflect_name_word(NamePart.LASTNAME, surname, gender, known, case)]
    if first:
        out.append(_inflect_name_word(NamePart.FIRSTNAME, first, gender, known, case))
    if patronymic and particle:
        out.extend(patronymic)
    elif patronymic:
        out.append(_inflect_name_word(NamePart.MIDDLENAME, patronymic[0], gender, known, case))
    return " ".join(out)


def _initial(word: str) -> str:
    if "." in word:  # already an initial
        return word.upper()
    return "-".join(piece[:1].upper() + "." for piece in word.split("-") if piece)


def initials(full_name: str, style: str = "surname_first") -> str:
    """«Бутрина О.Н.» (``surname_first``) or «О.Н. Бутрина» (``initials_first``).

    A no-break space (U+00A0) joins surname and initials so a line never breaks between them.
    For «Мамедов Рашид Гусейн оглы» the second initial is the father's name and «оглы»/«кызы» is
    dropped — «Мамедов Р.Г.», as Russian office practice writes it. «Ли Виктор» → «Ли В.».
    The surname is written as given (ALL-CAPS stays).
    """
    if style not in ("surname_first", "initials_first"):
        raise ValueError(f"unknown initials style {style!r}")
    words = full_name.split()
    if len(words) < 2:
        return full_name.strip()
    rest = [w for w in words[1:3] if _particle_gender([w]) is None]
    letters = "".join(_initial(w) for w in rest)
    if style == "surname_first":
        return f"{words[0]}{NBSP}{letters}"
    return f"{letters}{NBSP}{words[0]}"


# ---------------------------------------------------------------------------- phrases


def _adjective(word: str) -> pymorphy3.analyzer.Parse | None:
    """The nominative adjective/participle reading of ``word`` (hyphenated: its last part)."""
    low = word.lower().rsplit("-", 1)[-1]
    for parse in _MORPH.parse(low):
        if parse.tag.POS in _ADJECTIVES and "nomn" in parse.tag:
            return parse
    return None


def _noun(word: str, prefer_animate: bool) -> pymorphy3.analyzer.Parse | None:
    nouns = [p for p in _MORPH.parse(word.lower()) if p.tag.POS == "NOUN" and "nomn" in p.tag]
    if prefer_animate:
        nouns.sort(key=lambda p: "anim" not in p.tag)  # stable: keeps pymorphy's order
    return nouns[0] if nouns else None


def _agrees(adjective: pymorphy3.analyzer.Parse, noun: pymorphy3.analyzer.Parse) -> bool:
    if adjective.tag.number != noun.tag.number:
        return False
    return noun.tag.number == "plur" or noun.tag.gender in (adjective.tag.gender, "ms-f")


def _form(parse: pymorphy3.analyzer.Parse, case: str, animate: bool) -> str | None:
    """``parse`` in ``case``; the accusative of a person is the genitive for masc/plural."""
    tag = parse.tag
    masc_or_plural = tag.number == "plur" or tag.gender == "masc"
    if case == "accs" and masc_or_plural and tag.POS in _ADJECTIVES:
        case = "gent" if animate else "nomn"
    inflected = parse.inflect({case})
    if inflected is None:
        return None
    if case == "accs" and animate and masc_or_plural and inflected.word == parse.word:
        inflected = parse.inflect({"gent"})  # a person the dictionary calls inanimate: тьютор
    return inflected.word if inflected else None


def _inflect_segment(segment: str, case: str, person: bool, strict: bool) -> str | None:
    """Inflect the head of one noun phrase; ``None`` when no head is found.

    ``strict`` accepts only a head that names a person (for the parts after a comma).
    """
    parts = re.split(r"(\s+)", segment)
    words = parts[::2]  # parts[1::2] are the spaces between them
    i = 0
    while i < len(words) - 1 and _MORPH.parse(words[i].lower())[0].tag.POS == "ADVB":
        i += 1  # «временно исполняющий обязанности»
    adjectives: list[tuple[int, pymorphy3.analyzer.Parse]] = []
    while i < len(words) and _CYRILLIC_WORD.fullmatch(words[i]):
        parse = _adjective(words[i])
        if parse is None or (adjectives and not _agrees(adjectives[0][1], parse)):
            break
        adjectives.append((i, parse))
        i += 1
    # The noun: every part of «педагог-психолог» that is a nominative noun declines.
    noun_parts: list[tuple[str, pymorphy3.analyzer.Parse | None]] = []
    if i < len(words) and _CYRILLIC_WORD.fullmatch(words[i]):
        noun_parts = [(p, _noun(p, person)) for p in words[i].split("-")]
        main = next((p for _, p in noun_parts if p is not None), None)
        if main is None or (adjectives and not _agrees(adjectives[0][1], main)):
            noun_parts = []
    if noun_parts:
        main = next(p for _, p in noun_parts if p is not None)
        if strict and "anim" not in main.tag:
            return None  # «учитель истории, обществознания»: not a second position
        animate = person or "anim" in main.tag
    elif adjectives:  # a noun-like adjective: «заведующая», «дежурный», «старший вожатый»
        animate = True  # such masculine words name people
    else:
        return None
    for index, parse in adjectives:
        word = words[index]
        head, _, last = word.rpartition("-")
        new = _form(parse, case, animate)
        if new is None:
            return None
        words[index] = (head + "-" if head else "") + _same_letter_case(
            last, _same_yo(last, parse, new)
        )
    if noun_parts:
        pieces = []
        for piece, parse in noun_parts:
            new = piece if parse is None else _form(parse, case, animate)
            if new is None:
                return None
            if parse is not None:
                new = _same_letter_case(piece, _same_yo(piece, parse, new))
            pieces.append(new)
        words[i] = "-".join(pieces)
    parts[::2] = words
    return "".join(parts)


def _inflect(phrase: str, case: str, person: bool) -> str:
    _check_case(case)
    text = phrase.strip()
    if case == "nomn" or not text or text[0].isdigit():  # «8 Б» and the like stay
        return phrase
    segments = re.split(r"(,\s*)", text)
    first = _inflect_segment(segments[0], case, person, strict=False)
    if first is None:
        return phrase
    segments[0] = first
    if person:  # «учитель математики, классный руководитель»
        for index in range(2, len(segments), 2):
            later = _inflect_segment(segments[index], case, True, strict=True)
            segments[index] = later or segments[index]
    return "".join(segments)


@lru_cache(maxsize=4096)
def inflect_position(position: str, case: str) -> str:
    """A position phrase in ``case``: its head declines, the tail is kept.

    «заместитель директора по учебно-воспитательной работе», "datv" → «заместителю директора
    по учебно-воспитательной работе»; «старший вожатый» → «старшего вожатого» (gent/accs —
    a position names a person, so the accusative is animate: «учителя»). After a comma,
    another position is inflected too («учитель математики, классный руководитель»). Class
    designations («8 Б») and anything unparsed come back unchanged.
    """
    return _inflect(position, case, person=True)


@lru_cache(maxsize=4096)
def inflect_phrase(phrase: str, case: str) -> str:
    """A noun phrase (adjectives + noun + tail) in ``case``; unparsed input comes back unchanged.

    «наставническая пара» → accs «наставническую пару»; animacy comes from the noun.
    """
    return _inflect(phrase, case, person=False)


# ---------------------------------------------------------------------------- dates, numbers


def format_date(d: date, style: str = "long") -> str:
    """«01 сентября 2023 г.» (``long``), «« 01 » сентября 2023 г.» (``form``, for the blanks of
    official forms), «01.09.2023» (``numeric``); a non-breaking space keeps «г.» with the year.
    """
    patterns = {
        "long": "dd MMMM y\u00a0'г.'",
        "form": "« dd » MMMM y\u00a0'г.'",
        "numeric": "dd.MM.y",
    }
    if style not in patterns:
        raise ValueError(f"unknown date style {style!r}; expected one of {tuple(patterns)}")
    return _babel_format_date(d, patterns[style], locale="ru")


def plural(n: int, forms: tuple[str, str, str]) -> str:
    """The form of a noun after ``n``: ``forms`` is (1, 2, 5) — («месяц», «месяца», «месяцев»).

    1, 21, 101 → forms[0]; 2–4, 22–24 → forms[1]; 0, 5–20, 11–14, 111–114 → forms[2].
    """
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]


# fmt: off
_UNITS = (
    "ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять",
    "десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать",
    "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать",
)
_TENS = ("", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят",
         "восемьдесят", "девяносто")
_HUNDREDS = ("", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот",
             "восемьсот", "девятьсот")
# fmt: on
_GENDERED = {"masc": {}, "femn": {1: "одна", 2: "две"}, "neut": {1: "одно"}}
_SCALES = (
    (10**9, ("миллиард", "миллиарда", "миллиардов"), "masc"),
    (10**6, ("миллион", "миллиона", "миллионов"), "masc"),
    (10**3, ("тысяча", "тысячи", "тысяч"), "femn"),
)


def _below_thousand(n: int, gender: str) -> list[str]:
    words = []
    if n >= 100:
        words.append(_HUNDREDS[n // 100])
        n %= 100
    if n >= 20:
        words.append(_TENS[n // 10])
        n %= 10
    if n:
        words.append(_GENDERED[gender].get(n, _UNITS[n]))
    return words


def number_in_words(n: int, gender: str = "masc") -> str:
    """``n`` in words, agreeing in ``gender`` ("masc", "femn", "neut") with the noun it counts.

    3 → «три», 1 → «один»/«одна»/«одно», 2 femn → «две», 1000 → «одна тысяча»,
    21 000 → «двадцать одна тысяча»; negative numbers get «минус».
    """
    if gender not in _GENDERED:
        raise ValueError(f"unknown gender {gender!r}; expected masc, femn or neut")
    n = int(n)
    if n == 0:
        return _UNITS[0]
    if n < 0:
        return "минус " + number_in_words(-n, gender)
    if n >= 10**12:
        raise ValueError(f"{n} is too large")
    words: list[str] = []
    for size, forms, scale_gender in _SCALES:
        count, n = divmod(n, size)
        if count:
            words += _below_thousand(count, scale_gender) + [plural(count, forms)]
    return " ".join(words + _below_thousand(n, gender))
