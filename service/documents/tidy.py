"""Workbook text tidied for print: what a secretary types is printed as an office would.

«октябрь 2024» → «октябрь 2024 г.», «№7» → «№ 7» (non-breaking space), «Бутрина О. Н.» →
«Бутрина О.Н.» (non-breaking space after the surname), «70%» → «70 %», straight quotes →
«ёлочки», a hyphen between words → a dash, no double spaces. Applied once to every text
value of a template context (:func:`tidy_context`), so templates print what they get.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

NBSP = "\u00a0"
_MONTH = r"(?:январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-яё]*"
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[ \t]{2,}"), " "),
    # a year after a month, or alone after «в»/«до», gets «г.»: «октябрь 2024» → «октябрь 2024 г.»
    (
        re.compile(rf"(?i)(\b{_MONTH}\s+(?:19|20)\d\d)(?!\s*(?:г\b|г\.|год|гг))"),
        "\\1" + NBSP + "г.",
    ),
    (re.compile(r"(?<=\b(?:19|20)\d\d)\s*г(?:\.|\b)(?!од)"), NBSP + "г."),
    (re.compile(r"№\s*(?=[\w_])"), "№" + NBSP),
    (re.compile(r"(?<=\d)\s*%"), NBSP + "%"),
    # «Бутрина О. Н.» / «Бутрина О.Н.» → «Бутрина О.Н.» bound to the surname
    (
        re.compile(r"\b([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)\s+([А-ЯЁ])\.\s*([А-ЯЁ])\.(?!\w)"),
        "\\1" + NBSP + "\\2.\\3.",
    ),
    (re.compile(r'"([^"\n]+)"'), "«\\1»"),
    (re.compile(r"(?<=\w)\s+-{1,2}\s+(?=\w)"), NBSP + "— "),
)


def tidy(text: str) -> str:
    """One workbook text as it is printed (see the module docstring)."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text.strip()


@lru_cache(maxsize=1 << 16)
def _tidied(text: str) -> str:
    """:func:`tidy`, remembered: most texts of a context (the school, its director, the
    curator) are the same in every document of a batch."""
    return tidy(text)


def tidy_context(value: Any) -> Any:
    """Every text in a context tidied; a typed text (a name, a position) keeps its type."""
    if type(value) is str:  # most values: a plain text, no type to keep
        return _tidied(value)
    if isinstance(value, str):
        tidied = _tidied(value)
        return value if tidied == value else type(value)(tidied)
    if isinstance(value, dict):
        return {key: tidy_context(item) for key, item in value.items()}
    if isinstance(value, list):
        return [tidy_context(item) for item in value]
    if isinstance(value, tuple):
        return tuple(tidy_context(item) for item in value)
    return value
