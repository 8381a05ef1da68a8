"""A signature adds a document's requisites — the order's number and date, the approval date,
the cited order's — and nothing else: what the director signs is the text she read.

The version to sign is rendered again when it is signed, with the requisites added
(:mod:`service.signing.requisites`). A school's template can make anything depend on them: a
clause under ``{% if doc.number %}`` was missing from the text the director read before
signing and stood in the signed document (attack15). Here the text before and after are
compared word by word: every word or number that changes must be one a requisite prints
(its digits, a month's name) or one the shipped template of the kind changes at signing as
well (the coordinators' order says «назначается приказом …, не подписанным на дату
настоящего приказа» when the order it cites is not signed). The shipped template itself is
not compared.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from pathlib import Path
from typing import Any

from service.documents.render import render_template_file
from service.documents.text import docx_text, margin_text

WORD = re.compile(r"[^\W\d_]+|\d+")
"""A word or a number, as the text is compared."""
_MONTHS = (
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря "
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь г года"
)
_ALWAYS = frozenset(_MONTHS.split())
_SHOWN = 8
"""How many of the unexplained words the refusal names."""
SAMPLE_REQUISITES: dict[str, Any] = {
    "number": "7/26",
    "date": date(2026, 9, 1),
    "order_number": "7/26",
    "order_date": date(2026, 9, 1),
    "cited": {"number": "7/26", "date": date(2026, 9, 1)},
}
"""What a signature adds to a document, as the template check fills it in."""


def requisites_change(words: list[str]) -> str:
    """The template check's refusal of a template whose text changes at signing (the words
    may appear or vanish: a blank typed «2026 г.» loses its year in 2027)."""
    return (
        "Шаблон меняет текст документа, когда при подписи в него вписываются номер и дата: "
        f"меняются слова {', '.join(f'«{w}»' for w in words)}. Директор читает документ перед "
        "подписью без номера и даты и подписал бы не тот текст, что прочитал. От номера и даты "
        "(doc.number, doc.date…) может зависеть только их собственная запись: на их месте до "
        "подписи (после {% else %}) оставьте только черту «____», как в стандартном шаблоне, "
        "а остальной текст пишите вне условий {% if doc.number %} и {% if doc.date %}"
    )


def changed_paragraph(before: bytes, after: bytes, words: list[str]) -> str:
    """The first paragraph of the signed version (``after``) or, failing that, of the one read
    before (``before``) that the other lacks and that holds one of ``words``: where the
    administrator finds them; "" when none does."""
    lines = {name: _lines(data) for name, data in (("before", before), ("after", after))}
    seen = {name: set(found) for name, found in lines.items()}
    wanted = {w.lower() for w in words}
    for name, other in (("after", "before"), ("before", "after")):
        for line in lines[name]:
            if line not in seen[other] and wanted & {w.lower() for w in WORD.findall(line)}:
                return line
    return ""


def _lines(data: bytes) -> list[str]:
    """The paragraphs of a document's body and margins, spaces collapsed."""
    found = docx_text(data, cell_break=" ").split("\n") + [line for _, line in margin_text(data)]
    return [" ".join(line.split()) for line in found if line.strip()]


def unseen_change(
    template: bytes, shipped: Path, context: dict, fields: dict, before: bytes, after: bytes
) -> list[str]:
    """The words the signed version (``after``) changes beyond its requisites, compared with
    the version the signer read (``before``); empty when there are none or ``template`` (its
    bytes) is the shipped one. A change the shipped template makes as well is allowed whole —
    the same words changed into the same words, not any of its words anywhere: «не» of its
    «не подписанным» put before «назначен» would turn a sentence round."""
    if shipped.is_file() and template == shipped.read_bytes():
        return []
    allowed = explained_words(fields)
    changes = [c for c in _changes(_text(before), _text(after), allowed) if c != ((), ())]
    if changes and shipped.is_file():  # what the shipped template changes is fine too
        signed = {**context, "doc": {**context["doc"], **fields}}
        shipped_changes = {
            _lower(c)
            for c in _changes(
                _text(render_template_file(shipped, context)),
                _text(render_template_file(shipped, signed)),
                allowed,
            )
        }
        changes = [c for c in changes if _lower(c) not in shipped_changes]
    unexplained = [w for old, new in changes for w in old + new]
    return list(dict.fromkeys(unexplained))[:_SHOWN]


def explained_words(fields: dict[str, Any]) -> set[str]:
    """The words (lower case) a signature's requisites ``fields`` may print."""
    return set(_ALWAYS) | _requisite_words(fields)


def _text(data: bytes) -> list[str]:
    """The words and numbers of a document: its body and what Word prints around it."""
    margins = " ".join(line for _, line in margin_text(data))
    return WORD.findall(docx_text(data) + " " + margins)


def _changes(
    before: list[str], after: list[str], allowed: set[str]
) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Each place where the two differ: the words before and after, the ones a requisite
    prints left out."""
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    changes = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation != "equal":
            old = tuple(w for w in before[i1:i2] if w.lower() not in allowed)
            new = tuple(w for w in after[j1:j2] if w.lower() not in allowed)
            changes.append((old, new))
    return changes


def _lower(change: tuple[tuple[str, ...], tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(w.lower() for w in side) for side in change)


def _requisite_words(fields: dict[str, Any]) -> set[str]:
    """Every way a requisite may print: a number's digits, a date's day, month and year."""
    words: set[str] = set()
    for value in fields.values():
        for item in value.values() if isinstance(value, dict) else [value]:
            if isinstance(item, date):
                words |= {
                    f"{item.day:02d}",
                    str(item.day),
                    f"{item.month:02d}",
                    str(item.month),
                    str(item.year),
                    f"{item.year % 100:02d}",
                }
            elif item:
                words |= {w.lower() for w in WORD.findall(str(item))}
    return words
