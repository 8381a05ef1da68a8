"""Latin letters that look like Cyrillic ones, typed into a Russian word when the keyboard
layout switched mid-word («Нaставники», «учитeль»). Two rules, on purpose:

- in a *key* (a sheet name, a header, a closed-list value, compared and never printed) every
  look-alike counts, in lower case («M», «T», «B», «H» lowercased too): nothing is lost;
- in *text* that is printed (a position, a goal) only letters that look the same in their own
  case are replaced, and only in a word mostly Cyrillic with no other Latin letter: «учитеkь»
  shows its slip and an e-mail stays as typed.

A ФИО is not mended here: :func:`service.intake.names.to_name` refuses it with a message.
"""

from __future__ import annotations

import re

_KEY_LETTERS = str.maketrans("aceopxykmtbh", "асеорхукмтвн")
_TEXT_LETTERS = str.maketrans("aceopxyABCEHKMOPTXY", "асеорхуАВСЕНКМОРТХУ")
_LATIN_LOWER_RE = re.compile("[a-z]")
_CYRILLIC_LOWER_RE = re.compile("[а-я]")
_LATIN_RE = re.compile("[A-Za-z]")
_CYRILLIC_RE = re.compile("[А-Яа-яЁё]")
_WORDS_RE = re.compile(r"\w+")


def latin_key(key: str) -> str:
    """A lower-case key with every Latin look-alike made Cyrillic, mixed word or not («m» typed
    on the English layout looks like «м» in the cell)."""
    return key.translate(_KEY_LETTERS)


def in_key(text: str) -> str:
    """A lower-case key with the look-alikes inside its mixed words made Cyrillic; words wholly
    in Latin («e-mail») as they are. Linear in the text (a pattern matching a mixed word in one
    go backtracks: a long cell took minutes)."""
    if not (_LATIN_LOWER_RE.search(text) and _CYRILLIC_LOWER_RE.search(text)):
        return text
    return _WORDS_RE.sub(_key_word, text)


def _key_word(word: re.Match[str]) -> str:
    text = word[0]
    if _LATIN_LOWER_RE.search(text) and _CYRILLIC_LOWER_RE.search(text):
        return text.translate(_KEY_LETTERS)
    return text


def in_text(text: str) -> str:
    """Printed text with its Russian words in Cyrillic letters only, case kept. A position so
    typed was printed half-Latin into the order, undeclined («от учитeль физики»: pymorphy3
    does not know it)."""
    if not (_LATIN_RE.search(text) and _CYRILLIC_RE.search(text)):
        return text
    return _WORDS_RE.sub(_text_word, text)


def _text_word(word: re.Match[str]) -> str:
    """A word with more Latin letters than Cyrillic ones, or with a Latin letter that has no
    look-alike in its case, as it is."""
    text = word[0]
    latin = len(_LATIN_RE.findall(text))
    if not latin or latin > len(_CYRILLIC_RE.findall(text)):
        return text
    fixed = text.translate(_TEXT_LETTERS)
    return text if _LATIN_RE.search(fixed) else fixed
