"""A person's ФИО in any grammatical case, and initials: the name part of :mod:`.russian`.

pytrovich (the petrovich rules, by ending and gender) does the work; this module adds what the
rules get wrong, as rules, each with the grammar behind it (measured on petrovich's own
evaluation set, see ``docs/grammar.md``):

* the gender comes from the person's «Пол» when the school gave it (``sex``: «м»/«ж»), else
  from the patronymic (or «оглы»/«кызы»/«угли»/«кизи»), else the first name, else the surname;
* a man's hyphenated first name declines in its last part only (Абдул-Азиз → Абдул-Азизу,
  Жан-Поль → Жан-Полю), a woman's in every part that declines (Анна-Мария → Анне-Марии);
* foreign men's names in «-ек» keep the vowel (Абхишек → Абхишека, Марек → Мареку; only the
  Russian diminutive «-ёк» drops it: Игорёк → Игорька); names in «-ц» take «-ем» in the
  instrumental (Франц → Францем);
* names in «-ия» take «-ии» in the dative and prepositional (Мария → Марии, Гия → Гии; the
  Tatar names stressed on «-ия́», Алия, Альфия, keep the rules' «Алие»);
* women's names ending in a consonant do not decline (Калакуцкая, «Фамилии. Имена. Отчества»:
  Гузель, Айгерим, Асель), except Любовь and the traditional ones in «-вь», «-фь», «-рь»,
  «-ль» the rules list (Руфь, Эсфирь, Рахиль, Нинель); names in «-еа» do not decline (Андреа);
* a woman's name in «-жа», «-ча», «-ша», «-ща» takes «-и» and «-ей» (Ажа → Ажи, Ажей), and «ы»
  never follows «ж», «ш», «ч», «щ» in any part of a name;
* a man's surname in «-ец» keeps its «е» where dropping it would leave no vowel or three
  consonants (Жнец → Жнеца, Чернец → Чернеца; one syllable: Швец → Швецом), see
  :mod:`.surname_endings`;
* the first part of a double surname declines unless it is a particle (Тер-, Сен-, фон-…);
  a particle written apart in lower case before the surname stays, and the name after it
  declines: «фон Визин Денис Иванович» → «фон Визину Денису Ивановичу»;
* a Korean, Vietnamese or Chinese name of three parts without a patronymic (Ким Ир Сен,
  Нгуен Ван Минь) declines in its last part only, and only a man's: Ким Ир Сена, Нгуен Ван
  Миня; Ким Сон Хи (a vowel) and every woman's such name stay as they are.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case, Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker

from service.documents.russian_overrides import (
    DECLINED_MALE_NAMES_IN_A,
    EAST_ASIAN_SURNAMES,
    FEMALE_NAME_PREFIXES,
    FEMALE_NAME_SUFFIXES,
    FEMALE_PATRONYMIC_PARTICLES,
    FIRST_NAME_SEX,
    MALE_PATRONYMIC_PARTICLES,
    SURNAME_FORMS,
    SURNAME_INDECLINABLE,
    SURNAME_PREFIXES,
)
from service.documents.surname_endings import kept_ets
from service.intake.normalise import SURNAME_PARTICLES

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

# Case endings of the model declensions the rules below need, replacing nothing or the last
# letter of the nominative.
_HARD_MASCULINE = {"gent": "а", "datv": "у", "accs": "а", "ablt": "ом", "loct": "е"}  # Марек
_IYA = {"gent": "и", "datv": "и", "accs": "ю", "ablt": "ей", "loct": "и"}  # Гия, Мария
_HARD_A = {"gent": "ы", "datv": "е", "accs": "у", "ablt": "ой", "loct": "е"}  # Шота
_HUSHING_A = {"gent": "и", "datv": "е", "accs": "у", "ablt": "ей", "loct": "е"}  # Ажа, Маша
# Women's names in a soft consonant that decline (Любовь, Руфь, Эсфирь; «-ль» by the rules'
# own list: Рахиль, Нинель, Жизель); the others stay as they are (Гузель, Айгюнь, Асель).
_FEMALE_SOFT_DECLINABLE = ("вь", "фь", "рь", "ль")
# A surname with one of these endings names a woman, unless it is a noun («Сова», «Голова»).
_FEMALE_SURNAME_ENDINGS = ("ова", "ева", "ёва", "ская", "цкая")
_MALE_SURNAME_ENDINGS = ("ов", "ев", "ёв", "ский", "цкий")
_NOUN_SURNAMES = frozenset(low for low, _ in SURNAME_FORMS)
_HUSHING_Y = re.compile(r"([жшчщЖШЧЩ])([ыЫ])")


def _particles(full_name: str) -> tuple[str, str]:
    """(the particles before the surname with the space after them, the rest) of ``full_name``:
    («фон дер », «Ляйен Урсула») for «фон дер Ляйен Урсула»; («», ``full_name``) for a name
    without them. Only particles typed in lower case (:data:`SURNAME_PARTICLES`: «Ван Ли»,
    «ВАН ДЕЙК» name no particle), with a surname and a name after them."""
    words = full_name.split()
    count = 0
    while count < len(words) - 2 and words[count] in SURNAME_PARTICLES:
        count += 1
    if not count:
        return "", full_name
    return " ".join(words[:count]) + " ", " ".join(words[count:])


def surname_of(full_name: str) -> str:
    """The surname of ``full_name`` as the documents print it, with the particles written in
    lower case before it: «фон Визин» for «фон Визин Денис Иванович», «Петров-Водкин» for
    «Петров-Водкин Кузьма Сергеевич» (:func:`initials` keeps it whole beside the initials)."""
    particles, name = _particles(full_name)
    return particles + name.split()[0] if name.split() else ""


def check_case(case: str) -> None:
    """Raise ``ValueError`` for anything but one of :data:`CASES`."""
    if case not in CASES:
        raise ValueError(f"unknown case {case!r}; expected one of {CASES}")


def same_letter_case(model: str, word: str) -> str:
    """``word`` written like ``model``: all capitals, capitalised or as it is."""
    if len(model) > 1 and model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _spelled(word: str) -> str:
    """«жи, ши» with «и»: the rules' «-ы» after a hushing consonant (Ажы) becomes «-и»."""
    return _HUSHING_Y.sub(lambda m: m.group(1) + ("И" if m.group(2).isupper() else "и"), word)


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
    """The gender and whether it is certain: patronymic, else first name, else surname.

    A woman's first name in a consonant (Аминат, Лейсан) looks masculine to the detector, which
    guesses by the ending; a Russian woman's surname in «-ова», «-ева», «-ская», «-цкая» (or a
    part of a double one) says otherwise, and wins over such a guess («Дудаева Аминат» is a
    woman) — over a guess from a name in a vowel too: «Смирнова Эли», «Тарасова-Дюма Мари»
    were men, «Смирновы Эли», «Петровскае Мари» (reader22).
    """
    if patronymic:
        particle = _particle_gender(patronymic)
        if particle is not None:
            return particle, True
        last = patronymic[-1].lower()
        if last.endswith("ич"):
            return Gender.MALE, True
        if last.endswith("на"):
            return Gender.FEMALE, True
    listed = _listed_gender(first)
    if listed is not None and not _opposite_surname(surname, listed):
        return listed, True
    if first and "." not in first:
        gender = _DETECTOR.detect(firstname=first)
        if gender is Gender.ANDROGYNOUS:
            gender = _dictionary_gender(first)
        if gender is Gender.MALE and _womans_surname(surname):
            return Gender.FEMALE, True
        if gender is not Gender.ANDROGYNOUS:
            return gender, True
    gender = _DETECTOR.detect(lastname=surname)
    return gender, gender is not Gender.ANDROGYNOUS


_LISTED = {"masc": Gender.MALE, "femn": Gender.FEMALE}


def _womans_surname(surname: str) -> bool:
    """Whether ``surname``, or a part of it, has a Russian woman's ending and is not a noun
    («Дудаева», «Тарасова-Дюма»; not «Сова»): no man bears it."""
    return any(
        part.endswith(_FEMALE_SURNAME_ENDINGS) and part not in _NOUN_SURNAMES
        for part in surname.lower().split("-")
    )


def _opposite_surname(surname: str, gender: Gender) -> bool:
    """Whether ``surname`` has the Russian ending of the other sex (Сафин for a Лейсан, Абрамова
    for a Никола): such a surname outweighs the list of first names."""
    low = surname.lower()
    if low in _NOUN_SURNAMES:
        return False
    if gender is Gender.FEMALE:
        return low.endswith((*_MALE_SURNAME_ENDINGS, "ин", "ын"))
    return low.endswith((*_FEMALE_SURNAME_ENDINGS, "ина", "ына"))


def _listed_gender(first: str) -> Gender | None:
    """The sex of a first name both the rules and the dictionary get wrong
    (:data:`~.russian_overrides.FIRST_NAME_SEX`: Никола, Лейсан, Севиль), or one built of a
    Turkic women's part (Гульшат, Айгуль, Айсылу); ``None`` for any other. A hyphenated name is
    told by its last part."""
    if not first or "." in first:
        return None
    low = first.lower().rsplit("-", 1)[-1]
    if low in FIRST_NAME_SEX:
        return _LISTED[FIRST_NAME_SEX[low]]
    if low.startswith(FEMALE_NAME_PREFIXES) or low.endswith(FEMALE_NAME_SUFFIXES):
        return Gender.FEMALE
    return None


_DICTIONARY_GENDERS = {frozenset({"masc"}): Gender.MALE, frozenset({"femn"}): Gender.FEMALE}


def _dictionary_gender(first: str) -> Gender:
    """The gender pymorphy3's dictionary gives a first name the rules' own list does not know
    (Эсфирь, Эльза: the detector's list has neither, and its guess by the ending «-ь», «-а»
    would make «Седых Эсфирь» a boy); ``ANDROGYNOUS`` when it knows the name as either sex
    (Саша, Рахиль) or not at all (Мин). A hyphenated name is told by its parts (Анна-Эсфирь).
    The dictionary is loaded with :mod:`service.documents.russian`, so only when needed."""
    from service.documents.russian import first_name_genders

    told = {_DICTIONARY_GENDERS.get(first_name_genders(part)) for part in first.split("-")}
    told.discard(None)
    return told.pop() if len(told) == 1 else Gender.ANDROGYNOUS


_PATRONYMIC_ENDINGS = ("ич", "вна", "чна")  # Иванович, Ильич; Ивановна, Сергеевна, Ильинична


@lru_cache(maxsize=4096)
def gender_is_certain(full_name: str) -> bool:
    """Whether «Фамилия Имя [Отчество]» tells the person's sex beyond doubt: a patronymic
    (or «оглы»/«кызы»); else a Russian surname of the sex the name is taken for (Петрова,
    Иванов); else a first name the dictionary knows only as that sex's (Мария, Джон). Not for
    «Ким Сон Хи», «Ли Мин» (names it does not know), «Дурново Женя» (Женя is either): there
    the school's «Пол» is needed. The dictionary (pymorphy3, loaded with
    :mod:`service.documents.russian`) is asked only when the patronymic does not settle it."""
    words = _particles(full_name)[1].split()
    if len(words) < 2:
        return False
    surname, first, patronymic = words[0], words[1], words[2:]
    if patronymic and (
        _particle_gender(patronymic) is not None
        or patronymic[-1].lower().endswith(_PATRONYMIC_ENDINGS)
    ):
        return True
    from service.documents.russian import first_name_genders  # the dictionary, when needed

    gender, known = _gender(surname, first, patronymic)
    low = surname.lower()
    if (listed := _listed_gender(first)) is not None:
        return not _opposite_surname(surname, listed)  # «Сафин Лейсан»: the surname objects
    if not known or gender is Gender.ANDROGYNOUS:  # taken for a man, the office default
        return first_name_genders(first) == {"masc"}  # Шарль
    ending = _FEMALE_SURNAME_ENDINGS if gender is Gender.FEMALE else _MALE_SURNAME_ENDINGS
    if any(p.endswith(ending) and p not in _NOUN_SURNAMES for p in low.split("-")):
        return True  # «Петрова», «Тарасова-Дюма»
    return first_name_genders(first) == {"masc" if gender is Gender.MALE else "femn"}


def name_gender(full_name: str) -> str:
    """«femn» or «masc» for «Фамилия Имя [Отчество]», as :func:`inflect_name` declines it;
    «» when nothing in the name tells (a surname alone such as «Ли»)."""
    words = _particles(full_name)[1].split()
    if not words:
        return ""
    gender, _ = _gender(words[0], "".join(words[1:2]), words[2:])
    return {Gender.MALE: "masc", Gender.FEMALE: "femn"}.get(gender, "")


def _first_name_piece(piece: str, gender: Gender, known: bool, case: str) -> str:
    """One hyphen-free part of a first name, by the rules in the module's docstring."""
    low = piece.lower()
    if gender is Gender.FEMALE:
        if low.endswith("ь") and not low.endswith(_FEMALE_SOFT_DECLINABLE):
            return piece
        if low.endswith("еа"):
            return piece
        if len(low) > 2 and low[-2] in "жчшщ" and low[-1] == "а":
            return piece[:-1] + _HUSHING_A[case]
    if gender is Gender.MALE:
        if low in DECLINED_MALE_NAMES_IN_A:
            return piece[:-1] + _HARD_A[case]
        if low.endswith("ек") and len(low) > 2:
            return piece + _HARD_MASCULINE[case]
        if low.endswith("ц") and case == "ablt":
            return piece + "ем"
        if low.endswith("ия") and len(low) > 2:
            return piece[:-1] + _IYA[case]
    return _spelled(_MAKER.make(NamePart.FIRSTNAME, gender, _PETROVICH_CASES[case], piece, known))


def _first_name(word: str, gender: Gender, known: bool, case: str) -> str:
    pieces = word.split("-")
    if len(pieces) > 1 and _particle_gender(pieces[-1:]) is not None:
        return word  # «Адил-Оглы»: a patronymic glued on, nothing declines
    last = len(pieces) - 1
    return "-".join(
        _first_name_piece(piece, gender, known, case)
        if index == last or gender is Gender.FEMALE
        else piece
        for index, piece in enumerate(pieces)
    )


def _surname(word: str, gender: Gender, known: bool, case: str) -> str:
    pieces = word.split("-")
    out = []
    for index, piece in enumerate(pieces):
        low = piece.lower()
        is_last = index == len(pieces) - 1
        forms = SURNAME_FORMS.get((low, gender.str())) or SURNAME_FORMS.get((low, "any"))
        if low in SURNAME_INDECLINABLE or (not is_last and low in SURNAME_PREFIXES):
            out.append(piece)
        elif forms:
            out.append(same_letter_case(piece, forms[_FORM_INDEX[case]]))
        else:
            made = _MAKER.make(
                NamePart.LASTNAME, gender, _PETROVICH_CASES[case], piece, known and is_last
            )
            out.append(kept_ets(piece, gender == Gender.MALE, case, made) or _spelled(made))
    return "-".join(out)


def _patronymic(word: str, gender: Gender, known: bool, case: str) -> str:
    made = _MAKER.make(NamePart.MIDDLENAME, gender, _PETROVICH_CASES[case], word, known)
    return _spelled(made)


_PARTS = {NamePart.LASTNAME: _surname, NamePart.FIRSTNAME: _first_name}


def _inflect_name_word(part: NamePart, word: str, gender: Gender, known: bool, case: str) -> str:
    if "." in word:  # an initial, «И.» or «И.И.»
        return word
    capitals = len(word) > 1 and word.isupper()
    source = "-".join(p.capitalize() for p in word.split("-")) if capitals else word
    result = _PARTS.get(part, _patronymic)(source, gender, known, case)
    return result.upper() if capitals else result


_SEX_GENDER = {"м": Gender.MALE, "ж": Gender.FEMALE}


@lru_cache(maxsize=4096)
def inflect_name(full_name: str, case: str, sex: str | None = None) -> str:
    """A person's «Фамилия Имя [Отчество]» in ``case`` (one of :data:`CASES`).

    ``sex`` («м»/«ж», the school's «Пол») wins over what the name tells: «Ким Сон Хи» with
    «ж» is a girl's name, her foreign surname does not decline.

    «Бутрина Ольга Николаевна», "datv" → «Бутриной Ольге Николаевне». Indeclinable surnames
    (Черных, Шевченко, Ли; Шмидт for a woman) stay; both halves of a double surname decline;
    «Мамедов Рашид Гусейн оглы» keeps «Гусейн оглы». Anything longer than three words without
    «оглы»/«кызы» is returned unchanged, as is the nominative.
    """
    check_case(case)
    words = full_name.split()
    if case == "nomn" or not words:
        return full_name
    particles, rest = _particles(full_name)
    if particles:
        return particles + inflect_name(rest, case, sex)
    surname, first, patronymic = words[0], "".join(words[1:2]), words[2:]
    particle = _particle_gender(patronymic) is not None
    if len(patronymic) > 1 and not particle:
        return full_name
    if sex in _SEX_GENDER:
        gender, known = _SEX_GENDER[sex], True
    else:
        gender, known = _gender(surname, first, patronymic)
    if not particle and _east_asian(surname, first, patronymic):
        if gender is not Gender.MALE:
            return full_name
        last = _inflect_name_word(NamePart.FIRSTNAME, patronymic[0], gender, known, case)
        return " ".join([surname, first, last])
    out = [_inflect_name_word(NamePart.LASTNAME, surname, gender, known, case)]
    if first:
        out.append(_inflect_name_word(NamePart.FIRSTNAME, first, gender, known, case))
    if patronymic and particle:
        out.extend(patronymic)
    elif patronymic:
        out.append(_inflect_name_word(NamePart.MIDDLENAME, patronymic[0], gender, known, case))
    return " ".join(out)


def _east_asian(surname: str, first: str, rest: list[str]) -> bool:
    """Whether «Фамилия Имя Третье» is a Korean, Vietnamese or Chinese name in its own order
    (Ким Ир Сен, Нгуен Ван Минь): a surname of :data:`EAST_ASIAN_SURNAMES`, a third part that is
    not a patronymic, and a second part the dictionary does not know as a first name (so «Ли
    Анна Мария» is not taken for one). The dictionary is asked only for such a surname."""
    if len(rest) != 1 or surname.lower() not in EAST_ASIAN_SURNAMES:
        return False
    if rest[0].lower().endswith(("ич", "на")):
        return False
    from service.documents.russian import first_name_genders  # the dictionary, when needed

    return not first_name_genders(first)


_PARTICLES = sorted(MALE_PATRONYMIC_PARTICLES | FEMALE_PATRONYMIC_PARTICLES, key=len, reverse=True)


def _without_particle(word: str) -> str:
    """``word`` without «оглы»/«кызы» glued on: «Гасан-оглы», «Гасаноглы» → «Гасан» (its initial
    was dropped with the particle: «Мамедов Р.» for «Мамедов Рашид Гасан-оглы»); «» for the
    particle alone."""
    low = word.lower()
    for particle in _PARTICLES:
        if low.endswith(particle):
            return word[: -len(particle)].rstrip("-")
    return word


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
    particles, name = _particles(full_name)
    words = name.split()
    words[:1] = [particles + words[0]] if words else []  # «фон Визин Д.И.»
    if len(words) < 2:
        return full_name.strip()
    rest = [_without_particle(w) for w in words[1:3]]
    letters = "".join(_initial(w) for w in rest if w)
    if style == "surname_first":
        return f"{words[0]}{NBSP}{letters}"
    return f"{letters}{NBSP}{words[0]}"
