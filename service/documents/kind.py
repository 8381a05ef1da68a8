"""What a document kind is: its catalogue data, how the register plans it and a sample
context to build and check its template with. The kinds themselves are in
:mod:`service.documents.kinds` (one module per subject), listed by
:mod:`service.documents.catalogue`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Subject(StrEnum):
    """What one document is about: one per organization, per person, or per pair."""

    ORGANIZATION = "organization"
    PERSON = "person"
    PAIR = "pair"


Variables = dict[str, Any]
"""A kind's own template variables (the common ones — org, director, doc… — are added)."""


@dataclass(frozen=True)
class Kind:
    id: str
    """Identifier, e.g. ``order_pairs``."""
    title: str
    """Russian title as it appears in file names and lists."""
    template: str
    """File name inside ``templates_docx/``."""
    subject: Subject
    signers: tuple[str, ...]
    """Who must sign: ``director``, ``curator``, ``participant``, ``guardian``, ``mentor``,
    ``mentee``."""
    section12: int | None = None
    """Position in the archive set of seed 001 §12, or None."""
    is_order: bool = False
    """Orders take a registration number from the order journal when signed."""
    approved: bool = False
    """Carries the director's «УТВЕРЖДАЮ»: its date is the date the director signs."""
    appendix_of: str | None = None
    """The order this document is an appendix of («Приложение N к приказу от … № …»): it is
    signed with that order or after it and carries its number and date."""
    appendix_number: int | None = None
    """N in «Приложение N»."""
    cites: str | None = None
    """The order this order names by its number and date (the coordinators order names the
    implementation order that appointed the curator): ``doc.cited``, filled when the director
    signs this order from that order's signed version (:mod:`service.signing.requisites`)."""
    dated_at_signing: bool = False
    """Its date line is the date of its first electronic signature (the final report: the
    curator signs it, then the director; the contract: the director, before the mentor's pen) —
    no blank date in what a key signs."""
    plan: Callable[[Any, Any], Variables | None] | None = field(
        default=None, compare=False, repr=False
    )
    """``plan(register, subject)``: the kind's variables for one subject of the register (a
    :class:`~service.documents.planning.Register` and its organization, a person or a pair),
    or None when the register does not allow this document. A module-level function (kinds
    travel to the render workers by pickle)."""
    sample: Callable[[Any], Variables] | None = field(default=None, compare=False, repr=False)
    """``sample(samples)``: the kind's variables in the sample context
    (:class:`~service.documents.sample.Samples`), for building and checking templates."""
