"""Whose signature the bag holds, against whom the document names — the bag's side of the
rule :mod:`service.signing.signatory` states: a certificate issued to another person makes a
signature that is intact and chained to the school's CA, yet not the signature of the person
the document prints on its signature line. ``nastavnik verify`` reads that person from the
register; a bag is checked years later without it, so it reads:

- the ledger entry of the signature (``document_signed``, in the document's proof, proven
  against the checkpoint the CA signed), which since this release records ``signatory``: the
  ФИО the document prints for the signer's role, in full — the exact check;
- else (a signature made before the entry recorded it) the signed DOCX itself: the names on
  its signature lines, «____ Т.И. Кинякина», except the lines of people who sign on paper
  (наставник, наставляемый…). Initials are all such a line gives, and which line is whose is
  not read, so the certificate must name one of the document's electronic signatories.

The same rule as verification: another person fails the check; a ФИО only written shorter on
one side («Кинякина Татьяна» for «Т.И. Кинякина») is valid with a warning. Hand-written: the
signature lines are the project's own templates' layout, no library reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.documents.text import text_lines
from service.signing.signatory import holder_verdict, not_named, role_label

_SIGNATURE_LINE = re.compile(
    r"(?P<label>[^|_]*?)\s*\|?\s*_{3,}[\s|/]*"
    r"(?P<name>(?:[А-ЯЁ]\.[\s\u00a0]?){1,2}[\s\u00a0]?[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)"
)
"""A signature line as the templates print it: a label (position, «Наставник»…), a line of
underscores, and «И.О. Фамилия» — in one table row («Директор … | ____ | Т.И. Кинякина») or
one paragraph («Директор____ / Т.И. Кинякина», «____________ Т.И. Кинякина» under the
position of an approval stamp)."""

PAPER_LABELS = ("наставник", "наставляем", "законн", "участник", "родител", "обучающ")
"""How the lines of people who sign on paper begin."""


@dataclass(frozen=True)
class SignatoryCheck:
    """The verdict on one signature's holder: a ``problem`` fails it, a ``note`` (a warning or
    what could not be compared) does not."""

    problem: str | None = None
    note: str | None = None


def names_on_signature_lines(docx: bytes) -> list[str]:
    """The «И.О. Фамилия» of every signature line of ``docx`` but the paper signers', in
    order, each once (empty for a file that is not a DOCX or prints no such line)."""
    try:
        lines = text_lines(docx)
    except Exception:  # noqa: BLE001 - a damaged DOCX has no lines to read; its hash says the rest
        return []
    found: list[str] = []
    for number, line in enumerate(lines):
        if "___" not in line:  # no signature line (the pattern would try every position)
            continue
        for match in _SIGNATURE_LINE.finditer(line):
            label = match.group("label").strip(" :|") or (lines[number - 1] if number else "")
            name = " ".join(match.group("name").replace("\u00a0", " ").split())
            if not label.casefold().startswith(PAPER_LABELS) and name not in found:
                found.append(name)
    return found


def check_signatory(entry: dict | None, role: str, docx: bytes, holder: str) -> SignatoryCheck:
    """Is ``holder`` (the certificate's ФИО) the person the document names for ``role``? By
    the ledger ``entry`` of the signature when it records him, else by the DOCX's lines."""
    recorded = ((entry or {}).get("details") or {}).get("signatory")
    if recorded:
        printed, named = [recorded], [f"{role_label(role)} «{recorded}»"]
    else:
        printed = names_on_signature_lines(docx)
        named = [f"«{name}»" for name in printed]
    if not printed:
        return SignatoryCheck(
            note="ФИО подписанта не сверено: ни журнал, ни текст документа его не называют"
        )
    another, warning = holder_verdict(printed, holder)
    if warning:
        return SignatoryCheck(note="ВНИМАНИЕ: " + warning)
    return SignatoryCheck(problem=not_named(named, holder)) if another else SignatoryCheck()
