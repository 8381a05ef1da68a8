"""STUB — being replaced by the grammar module (pytrovich + pymorphy3). Do not build on this."""

from __future__ import annotations

from datetime import date

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
MONTHS_GENT = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
               "сентября", "октября", "ноября", "декабря")


def inflect_name(full_name: str, case: str) -> str:
    return full_name


def inflect_position(position: str, case: str) -> str:
    return position


def inflect_phrase(phrase: str, case: str) -> str:
    return phrase


def initials(full_name: str, style: str = "surname_first") -> str:
    parts = full_name.split()
    if len(parts) < 2:
        return full_name
    ini = "".join(p[0] + "." for p in parts[1:3])
    return f"{parts[0]}\u00a0{ini}" if style == "surname_first" else f"{ini}\u00a0{parts[0]}"


def format_date(d: date, style: str = "long") -> str:
    if style == "numeric":
        return d.strftime("%d.%m.%Y")
    if style == "form":
        return f"« {d.day:02d} » {MONTHS_GENT[d.month - 1]} {d.year} г."
    return f"{d.day:02d} {MONTHS_GENT[d.month - 1]} {d.year} г."


def plural(n: int, forms: tuple[str, str, str]) -> str:
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]


def number_in_words(n: int, gender: str = "masc") -> str:
    return str(n)
