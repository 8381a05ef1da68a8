"""Text pieces of the templates: Russian typography for literal text and Jinja snippets
that several kinds share. Pure strings, no python-docx."""

from __future__ import annotations

import re

NBSP = "\u00a0"
DAY_MONTH = (
    r"(?<![\d.,])(\d{1,2}) +(?=(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября"
    r"|октября|ноября|декабря)(?![А-ЯЁа-яё]))"
)
_TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})", re.S)
_TYPO = (
    (re.compile(r"№ +(?!п/п)"), "№" + NBSP),  # «№ 152-ФЗ», «№ _____»; «№ п/п» may wrap
    (re.compile(r"(?<=[\d_]) +(?=гг?\.)"), NBSP),  # «2023 г.», «20___ г.»
    (re.compile(DAY_MONTH), r"\1" + NBSP),  # «27 июля 2006 г.»: a day keeps its month
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

ORDER_REF = (
    "от {% if doc.order_date %}{{ doc.order_date | date }}{% else %}«____» ____________ 20___ г."
    "{% endif %} №\u00a0{% if doc.order_number %}{{ doc.order_number }}{% else %}_______"
    "{% endif %}"
)
"""«от 01 сентября 2023 г. № 12» of the order a document is an appendix of: filled in when the
director signs the appendix (after the order), blank in the unsigned draft."""


def appendix_lines(number: int, order_title: str) -> list[str]:
    """«Приложение N / к приказу {org} / от … № … / «title»» above an approved appendix."""
    return [
        f"Приложение {number}",
        "к приказу {{ org.short_name }}",
        ORDER_REF,
        f"«{order_title}»",
    ]


def person_label(var: str, case: str = "", cell: bool = False) -> str:
    """Jinja text «ФИО (должность)», «ФИО (8 Б класс)», «ФИО (инженер-технолог ООО «Агро-Идра»)»
    for a person variable ``var`` (its ``post`` phrase: position and workplace in one); in
    running text a phrase with brackets of its own follows a comma instead («ФИО, учитель (на
    пенсии)»), so that «(далее — Наставник)» after it does not make «…)) (далее»; in a table's
    ``cell``, where nothing follows, every row reads alike: «ФИО (глава крестьянского
    (фермерского) хозяйства)», as legal texts nest brackets (left12). ``case`` inflects the
    name («gent», «datv», …), the phrase stays in the nominative."""
    name = "{{ " + var + ".name" + (f" | {case}" if case else "") + " }}"
    post = var + ".post"
    if cell:
        return f"{name}{{% if {post} %}} ({{{{ {post} }}}}){{% endif %}}"
    return (
        f"{name}{{% if {post} %}}{{% if '(' in {post} %}}, {{{{ {post} }}}}"
        f"{{% else %}} ({{{{ {post} }}}}){{% endif %}}{{% endif %}}"
    )
