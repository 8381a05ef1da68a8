"""Numbers in Russian words, as an order writes a count beside its figure: «12 (двенадцать)
часов», and the noun's form after a number. Split off :mod:`service.documents.russian`,
which re-exports both."""

from __future__ import annotations


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
