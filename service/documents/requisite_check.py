"""The template check's side of the signing guard: a school's template is filled in as its
documents really are before signing and at signing, and must not change the words or their look
beyond the requisites (:mod:`service.documents.unchanged`, :mod:`service.documents.look`).

The check once compared one case only: the sample with ``doc.cited`` given before signing and
number «7/26» of 1 September 2026 after. A document is drafted without ``doc.cited`` (the
director's signature finds the cited order) and a first order without ``doc.replaces``, and
signing gives another number and date: a template accepted by the check was refused at
signing — ««____» ____________ 2026 г.» typed as the date's blank lost its «2026» in 2027, the
coordinators' order reworded where its cited order is not signed yet changed words — or did not
render at all (``{% if doc.replaces.number %}``: a first order has no ``doc.replaces``)
(template16). Now each draft is signed with two sets of requisites that share no word.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from service.documents.catalogue import BY_ID
from service.documents.fast_render import CompiledTemplate
from service.documents.look import LOOK_CHANGE, look_change
from service.documents.problem import Problem
from service.documents.render_errors import render_failure
from service.documents.russian import DATE_STYLES, format_date
from service.documents.unchanged import (
    SAMPLE_REQUISITES,
    changed_paragraph,
    explained_words,
    requisites_change,
    unseen_change,
)

LATER_REQUISITES: dict[str, Any] = {
    "number": "118-од",
    "date": date(2027, 2, 15),
    "order_number": "118-од",
    "order_date": date(2027, 2, 15),
    "cited": {"number": "", "date": ""},
}
"""A second signature, sharing no word with :data:`SAMPLE_REQUISITES` (another year, month,
day and number), and with the cited order not signed yet: a word of the template that only one
signature's requisites explain is refused, as signing on another day would refuse it."""
SIGNATURES = (SAMPLE_REQUISITES, LATER_REQUISITES)

_NOT_CITED = (
    "Шаблон не заполняется данными документа до подписи: {why}. Номер и дата приказа, на "
    "который ссылается документ (doc.cited), появляются только при подписи — пишите их под "
    "условием, как в стандартном шаблоне: {{% if doc.cited is defined %}}…{{% endif %}}."
)
_FIRST_ORDER = (
    "Шаблон не заполняется данными первого приказа этого вида: {why}. Отменяемый приказ "
    "(doc.replaces) есть только у приказа, составленного заново после подписанного, — пишите "
    "его под условием, как в стандартном шаблоне: {{% if doc.replaces is defined %}}…"
    "{{% endif %}}."
)


def drafts(context: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The contexts a document of the sample's kind is drafted with before signing, each with
    the refusal of a template that does not render with it: without ``doc.cited`` (given at
    signing), and for an order also without ``doc.replaces`` (a first order)."""
    doc = {key: value for key, value in context["doc"].items() if key != "cited"}
    found = [(_NOT_CITED, {**context, "doc": doc})]
    if "replaces" in doc:
        first = {key: value for key, value in doc.items() if key != "replaces"}
        found.append((_FIRST_ORDER, {**context, "doc": first}))
    return found


def requisites_problems(
    data: bytes, compiled: CompiledTemplate, kind_id: str, context: dict[str, Any], shipped: Path
) -> list[Problem]:
    """Why the (normalised) template ``data``, compiled, would be refused at signing, or not
    render a draft; [] when it would not. ``context`` is the kind's sample; ``shipped`` the
    folder of the home's standard templates (``settings.templates_dir``), which signing
    compares a school's template with (:mod:`service.signing.requisites`) and so must the
    check (left20: it compared with the program's own folder, whatever the home's settings)."""
    shipped = shipped / BY_ID[kind_id].template
    for refusal, draft in drafts(context):
        try:
            before = compiled.render(draft)
            signed = [
                (fields, compiled.render({**draft, "doc": {**draft["doc"], **fields}}))
                for fields in SIGNATURES
            ]
        except Exception as exc:  # StrictUndefined, a filter given wrong data, …
            return [Problem(refusal.format(why=render_failure(exc)))]
        for fields, after in signed:
            if unseen := unseen_change(data, shipped, draft, fields, before, after):
                where = with_requisites_named(changed_paragraph(before, after, unseen), fields)
                return [Problem(requisites_change(unseen) + ("" if where else "."), where)]
            if (
                where := look_change(data, shipped, before, after, explained_words(fields))
            ) is not None:
                return [Problem(LOOK_CHANGE.removesuffix(".") if where else LOOK_CHANGE, where)]
    return []


def with_requisites_named(paragraph: str, fields: dict[str, Any]) -> str:
    """``paragraph`` of a version the check signed with ``fields``, its requisites told as
    what they are — «[номер]», «[дата]» — and not as a number and date the school would read
    as one of its own orders': «в абзаце «Приказ № 118-од вступает в силу»» (left17)."""
    values: list[Any] = []
    for value in fields.values():
        values += list(value.values()) if isinstance(value, dict) else [value]
    for value in values:
        if isinstance(value, date):
            for style in DATE_STYLES:
                printed = " ".join(format_date(value, style).split())  # as the paragraph is
                paragraph = paragraph.replace(printed, "[дата]")
        elif value:
            paragraph = paragraph.replace(str(value), "[номер]")
    return paragraph
