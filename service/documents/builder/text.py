"""Text pieces of the templates: Russian typography for literal text and Jinja snippets
that several kinds share. Pure strings, no python-docx."""

from __future__ import annotations

import re

NBSP = "\u00a0"
_TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})", re.S)
_TYPO = (
    (re.compile(r"№ +(?!п/п)"), "№" + NBSP),  # «№ 152-ФЗ», «№ _____»; «№ п/п» may wrap
    (re.compile(r"(?<=[\d_]) +(?=гг?\.)"), NBSP),  # «2023 г.», «20___ г.»
    (re.compile(r"(?<=\d) +(?=%)"), NBSP),  # «70 %»
    (re.compile(r" +(?=[—–] )"), NBSP),  # a dash never starts a line
    (re.compile(r"\bт\. +(?=[дпе]\.)"), "т." + NBSP),  # «т. д.», «т. п.», «т. е.»
    (re.compile(r"(?<=[»_]) +(?=_{2}|20_)"), NBSP),  # a blank date «____» ______ 20___ г.
    (re.compile(r"(?<=\S)  +"), " "),  # no double spaces
)


def typography(text: str) -> str:
    """Russian typography for the literal text of a template (Jinja tags are left alone):
    a non-breaking space after «№», before «г.» and «%» and before a dash, none doubled."""
    parts = _TAG.split(text)
    for i in range(0, len(parts), 2):
        for pattern, replacement in _TYPO:
            parts[i] = pattern.sub(replacement, parts[i])
    return "".join(parts)


DATE_OR_BLANK = (
    "{% if doc.date %}{{ doc.date | date }}{% else %}«____» ____________ 20___ г.{% endif %}"
)
"""The document's date once it is signed, a blank to fill in by hand before that."""


def person_label(var: str, case: str = "") -> str:
    """Jinja text «ФИО (должность)» or «ФИО (8 Б класс)» for a person variable ``var``;
    ``case`` inflects the name («gent», «datv», …), the bracket stays in the nominative."""
    name = "{{ " + var + ".name" + (f" | {case}" if case else "") + " }}"
    return (
        name
        + "{% if "
        + var
        + ".position %} ({{ "
        + var
        + ".position }}{% if "
        + var
        + '.category == "обучающийся" and "класс" not in '
        + var
        + ".position | lower %} класс{% endif %}){% endif %}"
    )
