"""Confirmation pages: an action that cannot be taken back (signing, revoking a key, a new
password, a scan) is first shown in words — «Подписать 12 документов: 4 приказа, 8 программ» —
on a page of its own (server-side, no JavaScript needed), and only its form's POST acts. Also the
one-time secret shown after a POST's redirect (a new password) and the summary of documents by
kind, with Russian plurals."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flask import render_template, session

from service.documents.catalogue import BY_ID
from service.documents.russian import plural

KIND_FORMS: dict[str, tuple[str, str, str]] = {  # as the object of a verb: «подписать 1 программу»
    "regulation": ("положение", "положения", "положений"),
    "target_model": ("программу целевой модели", "программы целевой модели",
                     "программ целевой модели"),
    "roadmap": ("дорожную карту", "дорожные карты", "дорожных карт"),
    "consent_adult": ("согласие", "согласия", "согласий"),
    "consent_guardian": ("согласие законного представителя", "согласия законных представителей",
                         "согласий законных представителей"),
    "mentor_consent": ("согласие наставника", "согласия наставников", "согласий наставников"),
    "contract_external": ("договор", "договора", "договоров"),
    "program": ("программу", "программы", "программ"),
    "report_pair": ("отчёт наставника", "отчёта наставников", "отчётов наставников"),
    "report_final": ("итоговый отчёт", "итоговых отчёта", "итоговых отчётов"),
}  # fmt: skip
ORDER_FORMS = ("приказ", "приказа", "приказов")
DOCUMENT_FORMS = ("документ", "документа", "документов")


def count_of(n: int, forms: tuple[str, str, str]) -> str:
    """«1 приказ», «4 приказа», «12 документов» (a no-break space: the number never ends a
    line apart from its noun)."""
    return f"{n}\u00a0{plural(n, forms)}"


def _forms(kind: str) -> tuple[str, str, str]:
    if kind in BY_ID and BY_ID[kind].is_order:
        return ORDER_FORMS
    return KIND_FORMS.get(kind, DOCUMENT_FORMS)


def documents_summary(verb: str, kinds: list[str]) -> str:
    """«Подписать 12 документов: 4 приказа, 8 программ» (orders first, then by count);
    one kind only: «Подписать 3 приказа»."""
    by_forms: Counter[tuple[str, str, str]] = Counter(_forms(k) for k in kinds)
    total = len(kinds)
    if len(by_forms) == 1:
        ((forms, n),) = by_forms.items()
        return f"{verb} {count_of(n, forms)}"
    parts = sorted(by_forms.items(), key=lambda item: (item[0] != ORDER_FORMS, -item[1]))
    return f"{verb} {count_of(total, DOCUMENT_FORMS)}: " + ", ".join(
        count_of(n, forms) for forms, n in parts
    )


@dataclass
class Field:
    name: str
    label: str
    type: str = "text"
    required: bool = True
    value: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)
    accept: str = ""
    checked: list[str] = field(default_factory=list)
    """The options ticked of a ``checkboxes`` field (one box per option, several may be)."""


def confirm_page(
    *,
    heading: str,
    summary: str,
    action: str,
    button: str,
    cancel: str,
    items: list[str] | None = None,
    notes: list[str] | None = None,
    warnings: list[str] | None = None,
    hidden: list[tuple[str, object]] | None = None,
    fields: list[Field] | None = None,
    danger: bool = False,
    multipart: bool = False,
    cancel_keeps: bool = False,
) -> str:
    """``warnings``: what the user must read before going on (shown as an error is).
    ``cancel_keeps``: «Отмена» POSTs the page's hidden fields to ``cancel`` (what was typed
    on the form before, e.g. a comment, comes back filled in) instead of opening it afresh."""
    return render_template(
        "confirm.html",
        heading=heading,
        summary=summary,
        action=action,
        button=button,
        cancel=cancel,
        items=items or [],
        notes=notes or [],
        warnings=warnings or [],
        hidden=hidden or [],
        fields=fields or [],
        danger=danger,
        multipart=multipart,
        cancel_keeps=cancel_keeps,
    )


def show_once(slot: str, *values: str) -> None:
    """Keep a new password or token for the next page only (the POST answers with a redirect);
    each kind of secret has its own ``slot``, so one page never shows another's."""
    session[f"once-{slot}"] = list(values)


def take_once(slot: str) -> list[str] | None:
    """What :func:`show_once` kept in ``slot``, removed as it is read."""
    value = session.pop(f"once-{slot}", None)
    return value if isinstance(value, list) else None
