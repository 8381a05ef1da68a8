"""Surname endings the petrovich rules decline wrong, fixed as rules (see
:mod:`service.documents.russian_names`, which asks them after the rules; ``docs/grammar.md``)."""

from __future__ import annotations

_KEPT_ETS = {"gent": "а", "datv": "у", "accs": "а", "ablt": "ем", "loct": "е"}  # Алексец
_VOWELS = frozenset("аеёиоуыэюя")


def kept_ets(piece: str, male: bool, case: str, made: str) -> str | None:
    """A man's surname in «-ец» whose «е» cannot drop, which the rules (``made``) dropped:
    «Жнец» → «Жнца», «Близнец» → «Близнца», «Чернец» → «Чернца» — no vowel left, or three
    consonants meeting (reader22). It keeps the «е», as the rules keep it in «Кузнеца»,
    «Алексеца»; a surname of one syllable takes a stressed «-ом» after «ц» (Швец → Швецом,
    Жнец → Жнецом, as швецом, жнецом; the rules wrote «Швецем»). None for any other surname
    or form: the rules decide."""
    low = piece.lower()
    if not male or not low.endswith("ец") or case not in _KEPT_ETS:
        return None
    stem = low[:-2]
    one_syllable = not any(c in _VOWELS for c in stem)
    if made.lower().startswith(low):  # the rules kept the «е»
        return piece + "ом" if one_syllable and case == "ablt" else None
    if one_syllable:
        return piece + ("ом" if case == "ablt" else _KEPT_ETS[case])
    if len(stem) > 1 and stem[-1] not in _VOWELS and stem[-2] not in _VOWELS:
        return piece + _KEPT_ETS[case]
    return None
