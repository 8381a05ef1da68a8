"""Reading rules for cell values (INTAKE.md, «Reading rules»).

Each ``to_*`` function takes a raw openpyxl value (str, int, float, bool, date, datetime or None
already excluded) and returns the normalised value, or raises :class:`ValueProblem` whose text
tells the secretary, in Russian, what is wrong and what to type instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time
from functools import lru_cache

from service.intake import lookalikes
from service.intake.examples import example_school_year, example_year
from service.intake.vocabulary import EXTERNAL_WORDS, NO_WORDS, SEX_WORDS, YES_WORDS

DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
"""Hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash, em dash, bar, minus."""
_ODD_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
"""Every Unicode space (category Zs) but the plain one, and the tab."""
_INVISIBLE = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u180e\u061c"
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]"
)
"""Zero-width characters, direction marks and controls (copied with text from web pages and
Word), the soft hyphen, the control characters that are no space or line break (a stray
«\x01» pasted from another program): invisible in the cell, never part of a value (and a
control character in a document's XML would make the DOCX unreadable). Replaced by a regular
expression, not ``str.translate`` with a dict: that looks every
character up in the dict, 7 times slower on a name and 15 on long text (a 10 MB cell: 2.2 s
a pass, and a cell is cleaned several times)."""
_LINE_BREAKS = re.compile("\r\n?|[\v\f\x85\u2028\u2029]")
"""A carriage return (Excel's «_x000D_»), a vertical tab (Word's line break pasted), the Unicode
line and paragraph separators: each is a line break as the secretary sees it."""
_DASH_RE = re.compile(f"[{DASHES}]")
_QUOTES_RE = re.compile("[«»\"'„“”‘’`]")
EN_DASH = "\u2013"

NAME_PARTICLES = frozenset({"оглы", "оглу", "кызы", "улы", "уулу", "гызы", "угли", "кизи"})
"""Turkic patronymic particles: part of a valid ФИО, always written in lowercase."""
SURNAME_PARTICLES = frozenset(
    "фон дер ван де да ди дю дос ла ле дель аль эль ибн бен абу заде".split()  # noqa: SIM905
)
"""Written in lower case (Розенталь, § 160: «Людвиг ван Бетховен», «Турсун-заде»), with a capital
in some names (Ван Гог; Ван, a Chinese surname): kept as the writer typed them."""


class ValueProblem(ValueError):
    """A cell value that cannot be read; ``str(exc)`` is the Russian message for the report."""


# --- text and keys ------------------------------------------------------------------------------


def clean_text(value: str) -> str:
    """Odd spaces to plain ones, invisible characters dropped, lines trimmed, runs collapsed.
    Short texts are remembered: a workbook repeats them (headers, closed-list values, the
    school's name) and every cell's text passes here, some more than once (its value, then
    its key); long ones are not, so a hostile workbook cannot fill the memory."""
    if len(value) <= _REMEMBERED_LENGTH:
        return _clean_short(value)
    return _clean(value)


_REMEMBERED_LENGTH = 200


@lru_cache(maxsize=1 << 14)
def _clean_short(value: str) -> str:
    return _clean(value)


def _clean(value: str) -> str:
    text = _LINE_BREAKS.sub("\n", _ODD_SPACES.sub(" ", _INVISIBLE.sub("", value)))
    lines = (re.sub(r" {2,}", " ", line).strip() for line in text.split("\n"))
    text = "\n".join(line for line in lines if line)
    # Excel's text prefix «'» held as a character (a sheet exported and imported again, a cell
    # formatted as text): never part of a value.
    return text[1:].lstrip() if text.startswith("'") else text


_EXCEL_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def unescape_excel(text: str) -> str:
    """A cell's text with Excel's escapes of characters XML cannot hold («_x000D_», «_x0001_»:
    a control character pasted into the cell) turned back into those characters; openpyxl
    leaves them as text. :func:`clean_text` then reads each as a line
    break, a space or nothing."""
    return _EXCEL_ESCAPE.sub(lambda match: chr(int(match[1], 16)), text)


def unify_dashes(text: str) -> str:
    """Every dash or hyphen to «-», with the spaces around it removed."""
    return re.sub(r"\s*-\s*", "-", _DASH_RE.sub("-", text))


def header_key(value: object) -> str:
    """Key to match sheet names, headers and parameters: case, spaces, ё/е, dashes, «*» and
    Latin look-alikes in a Russian word ignored."""
    text = str(value)
    return _header_key_short(text) if len(text) <= _REMEMBERED_LENGTH else _header_key(text)


def _header_key(value: str) -> str:
    text = clean_text(value).replace("\n", " ").lower().replace("ё", "е")
    # text longer than any name of the form matches nothing either way: left as it is
    text = lookalikes.in_key(text) if len(text) <= _REMEMBERED_LENGTH else text
    text = unify_dashes(text).strip(" *:")
    return _SPACES_RE.sub(" ", text)


def choice_key(value: object) -> str:
    """Key to match a closed-list value: like :func:`header_key`, also without spaces and quotes."""
    text = str(value)
    return _choice_key_short(text) if len(text) <= _REMEMBERED_LENGTH else _choice_key(text)


def _choice_key(value: str) -> str:
    text = _QUOTES_RE.sub("", header_key(value)).rstrip(".")
    return _SPACES_RE.sub("", text)


_SPACES_RE = re.compile(r"\s+")
_KEYS_REMEMBERED = 1 << 14
_header_key_short = lru_cache(maxsize=_KEYS_REMEMBERED)(_header_key)
_choice_key_short = lru_cache(maxsize=_KEYS_REMEMBERED)(_choice_key)
"""Keys of short texts are remembered, as :func:`clean_text` remembers them: a workbook asks
for the same ones again and again (a pair's Код is looked up by every sheet that names the
pair and again by the register, 2,800 keys for a 60-pair school; headers and closed-list
values in every row), each key a dozen regular-expression passes in Python."""


_CODE_GAP_RE = re.compile(r"(?<=[^\W\d_])-(?=\d)|(?<=\d)-(?=[^\W\d_])")
"""A dash between a code's letters and its digits (spaces are gone from the key already)."""


def code_key(value: str) -> str:
    """Key to match a Код: case, spaces, kind of dash and Latin look-alikes ignored («п - 01» =
    «П–01»; «H-01» typed on the English layout = «Н-01»: the cells look the same), and a space
    or dash between letters and digits too: «Н 01», «Н-01», «Н–01», «Н01» are one code. A dash
    between two digits or two letters stays: «П-1-2» and «П-12» are two codes."""
    return _CODE_GAP_RE.sub("", lookalikes.latin_key(choice_key(value)))


def spelled_otherwise(one: str, other: str) -> bool:
    """True for two spellings of one code (:func:`code_key`) that differ by more than case, the
    kind of dash and Latin look-alikes: «Н01» and «Н-01», not «н–01» and «Н-01»."""
    return lookalikes.latin_key(choice_key(one)) != lookalikes.latin_key(choice_key(other))


_INN_RE = re.compile(r"^(?:инн\s*:?\s*)?(\d[\d\s-]*\d)$", re.IGNORECASE)
"""An ИНН typed with its name or with spaces: «ИНН 2415001234», «2415 001 234»."""
_OGRN_RE = re.compile(r"^(?:огрн\s*:?\s*)?(\d[\d\s-]*\d)$", re.IGNORECASE)
"""An ОГРН typed with its name or with spaces: «ОГРН 1022401000000»."""


def to_tax_number(field: str, value: object) -> str:
    """An ИНН (``field`` "inn") or ОГРН ("ogrn") as the documents print it after its name: its
    digits («ИНН 2415 001 234» → «2415001234»; an ИНН of regions 01–09 typed in a number cell
    gets back its first zero). An ОГРН that is not 13 or 15 digits is refused (the contract
    would print «ОГРН нет»); an ИНН that is not 10 or 12 digits stays as typed."""
    text = to_text(value)
    if field == "inn" and isinstance(value, int | float) and len(text) in (9, 11):
        return "0" + text
    match = (_INN_RE if field == "inn" else _OGRN_RE).match(text)
    digits = re.sub(r"[\s-]", "", match.group(1)) if match else ""
    if len(digits) in ((10, 12) if field == "inn" else (13, 15)):
        return digits
    if field == "inn":
        return text
    raise ValueProblem(
        f"«{shown(value)}» — не ОГРН: ОГРН школы — 13 цифр (ОГРН индивидуального "
        "предпринимателя — 15), например «1022401000000». Если ОГРН неизвестен, оставьте "
        "ячейку пустой."
    )


_PROTOCOL_MARK_RE = re.compile(r"^(?:протокол\s*)?(?:№|N[oº°]?\.?)\s*(?=\d)", re.IGNORECASE)
"""What a secretary types before a protocol's number in a column headed «(протокол №)»:
«№ 1», «№1», «N 1», «протокол № 1»."""


def to_protocol_number(text: str) -> str:
    """A protocol's number as the regulation prints it after «№»: «№ 1» → «1» (the «ПРИНЯТО»
    block printed «протокол от 29.08.2025 № № 1»); anything else as typed."""
    return _PROTOCOL_MARK_RE.sub("", text)


_GLUED_PARTICLE_RE = re.compile(r"-(" + "|".join(sorted(NAME_PARTICLES)) + r")\b", re.IGNORECASE)


def unglued(full_name: str) -> str:
    """``full_name`` with a patronymic particle glued by a hyphen written apart: «Ильхам-оглы»
    and «Ильхам оглы» are one patronymic, as clerks type it either way."""
    return _GLUED_PARTICLE_RE.sub(r" \1", full_name)


def person_key(full_name: str) -> str:
    """Key to match people by ФИО: case, ё/е and «-оглы»/« оглы» ignored."""
    return unglued(full_name).casefold().replace("ё", "е")


def alphabetical(text: str) -> tuple[str, str]:
    """Sort key of Russian alphabetical order, as lists of people are read: «Ё» is «Е» (a
    plain sort puts «Ёлкина» before «Бах»: «Ё» is U+0401, before «А»), case ignored."""
    return person_key(text), text


def is_empty(value: object) -> bool:
    """True for None and for text holding nothing but spaces."""
    return value is None or (isinstance(value, str) and not clean_text(value))


def is_placeholder(value: object) -> bool:
    """True for an empty cell or one holding only a dash, as people write «—» for «nothing»."""
    if is_empty(value):
        return True
    return isinstance(value, str) and not _DASH_RE.sub("", clean_text(value)).strip()


def shown(value: object, limit: int = 60) -> str:
    """A raw cell value as the secretary sees it, for messages."""
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_text(str(value)).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted_list(values: Iterable[str]) -> str:
    """«a», «b», «c» — for lists of allowed values in messages."""
    return ", ".join(f"«{v}»" for v in values)


def to_text(value: object) -> str:
    """Any cell as text: numbers without «.0», dates as ДД.ММ.ГГГГ, spaces tidied."""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return str(value).replace(".", ",")
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    return lookalikes.in_text(clean_text(str(value)))


_ITEM_MARK_RE = re.compile(r"^(?:\d{1,2}[.)]|[-•·*\u2013\u2014])\s*")


def to_lines(value: object) -> tuple[str, ...]:
    """Text split into items on «;» and line breaks, list marks («1.», «–», «•») dropped."""
    parts = re.split(r"[;\n]", to_text(value))
    items = (_ITEM_MARK_RE.sub("", part.strip()).strip() for part in parts)
    return tuple(item for item in items if item)


# --- yes/no, closed lists, numbers ----------------------------------------------------------------


def to_bool(value: object, words: dict[str, bool] | None = None) -> bool:
    """«да», «нет», «+», «-», «1», «0», «истина», «ложь» in any case; Excel TRUE/FALSE; and
    ``words`` of the column (:data:`EXTERNAL_WORDS` for «Внешний наставник»)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = unify_dashes(clean_text(str(value)).lower().replace("ё", "е")).rstrip(".!")
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    if words and word in words:
        return words[word]
    if words is EXTERNAL_WORDS:
        raise ValueProblem(
            f"Не понятно, что значит «{shown(value)}». Напишите «да» — наставник не работает в "
            "школе (с ним заключается договор), или «нет» — работает в школе. Подходят также: "
            "«внешний», «внутренний», «+», «-», «1», «0»."
        )
    raise ValueProblem(f"Не понятно, что значит «{shown(value)}». Напишите «да» или «нет».")


def to_sex(value: object) -> str:
    """«м» or «ж» for «м», «муж», «мужской», «ж», «жен», «женский» in any case (ё/е, spaces,
    a final dot and Latin look-alikes ignored)."""
    key = choice_key(to_text(value))
    # «M» typed on the English layout looks like «М» in the cell (a word wholly in Latin is
    # not a mixed one that header_key mends)
    sex = SEX_WORDS.get(key) or SEX_WORDS.get(lookalikes.latin_key(key))
    if sex is None:
        raise ValueProblem(
            f"Не понятно, что значит «{shown(value)}». Напишите «м» (мужской) или «ж» (женский)."
        )
    return sex


def to_choice(value: object, choices: Iterable[str]) -> str:
    """The canonical spelling of a closed-list value (case, ё/е, spaces, dashes ignored)."""
    allowed = tuple(choices)
    key = choice_key(to_text(value))
    for choice in allowed:
        if choice_key(choice) == key:
            return choice
    raise ValueProblem(
        f"Значения «{shown(value)}» нет в списке. Выберите одно из: {quoted_list(allowed)}."
    )


_NUMBER_RE = re.compile(r"^[+-]?(?:\d{1,3}(?: \d{3})+|\d+)(?:[.,]\d+)?$")


def _number(value: object, units: Iterable[str]) -> float:
    if isinstance(value, bool | datetime | date | time):
        raise ValueProblem(f"В ячейке «{shown(value)}», а нужно число.")
    if isinstance(value, int | float):
        return float(value)
    text = clean_text(str(value)).lower()
    for unit in sorted(units, key=len, reverse=True):
        if text.endswith(unit) and _NUMBER_RE.match(text[: -len(unit)].strip()):
            text = text[: -len(unit)].strip()
            break
    if not _NUMBER_RE.match(text):
        raise ValueProblem(f"«{shown(value)}» — не число. Введите число, например 5 или 5,5.")
    return float(text.replace(" ", "").replace(",", "."))


def to_number(value: object, units: Iterable[str] = ()) -> float:
    """A number from a number cell or text «5», «5,5», «1 200», optionally with a unit word."""
    return _number(value, units)


def to_int(value: object, units: Iterable[str] = ()) -> int:
    """A whole number; «5,0» is fine, «5,5» is an error."""
    number = _number(value, units)
    if not number.is_integer():
        raise ValueProblem(f"«{shown(value)}» — не целое число. Введите целое число.")
    return int(number)


# --- school year ----------------------------------------------------------------------------------

_YEAR_RE = re.compile(r"^(\d{4})(?:-|/|\\)(\d{2}|\d{4})$")
_YEAR_TAIL_RE = re.compile(r"(?:уч\.?\s*г(?:од)?\.?|учебн\w*\s*год\w*|гг?\.?|годы?)$")


def to_school_year(value: object) -> str:
    """«2023-2024», «2023/2024», «2023–2024 уч. г.» → «2023–2024»; the years must follow."""
    hint = f"Укажите учебный год в виде {example_school_year()}"
    text = unify_dashes(clean_text(to_text(value)).lower())
    text = _YEAR_TAIL_RE.sub("", text).strip()
    text = re.sub(r"\s*([/\\])\s*", r"\1", text)
    match = _YEAR_RE.match(text)
    if not match and text.isdigit() and len(text) == 4 and int(text) - example_year() not in (0, 1):
        hint = f"Укажите учебный год в виде {example_school_year(int(text))}"  # «2023»
    if not match:
        raise ValueProblem(f"Не удалось прочитать учебный год «{shown(value)}». {hint}.")
    first, second = int(match.group(1)), int(match.group(2))
    if second < 100:
        second += first // 100 * 100
    if second != first + 1:
        raise ValueProblem(
            f"Учебный год «{shown(value)}» указан неверно: второй год должен быть на 1 больше "
            f"первого. Укажите учебный год в виде {example_school_year(first)}."
        )
    return f"{first}{EN_DASH}{second}"
