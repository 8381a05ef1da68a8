"""The curator's pages: every document with its status and signers (filters by kind, status,
pair and person), the pairs and a programme card per pair, and the packs to download."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from flask import Blueprint, render_template
from sqlalchemy.orm import Session

from service.archive.section12 import section12_documents
from service.documents.catalogue import KINDS
from service.documents.gender import is_female
from service.register.labels import DESTROYED, DESTROYED_NAME, STATUS_NAMES
from service.register.models import BatchStatus, Document, DocumentStatus, Pair, Person, Role
from service.register.queries import (
    DocumentFilter,
    all_pairs,
    all_people,
    find_documents,
    recent_batches,
    replaced_mentors,
)
from service.register.states import destroyed_ids
from service.register.succession import year_of
from service.register.terms import earlier_terms, present_result
from service.web.lookups import chosen_year, db, document_filter, get_pair, school_years
from service.web.security import role_required

bp = Blueprint("curator", __name__, url_prefix="/curator")


@bp.get("/")
@role_required("curator")
def index() -> str:
    query = document_filter()
    session = db()
    # one school year's documents (its context's): two years' current versions at once read
    # as two sets with no year said (inspector20)
    year = chosen_year()
    documents = find_documents(session, query)
    if year:
        documents = [d for d in documents if year_of(d) == year]
    return render_template(
        "curator/index.html",
        documents=documents,
        year=year,
        years=school_years(),
        query=query,
        kinds=KINDS,
        statuses={**STATUS_NAMES, DESTROYED: DESTROYED_NAME},
        pairs=all_pairs(session),
        people=person_choices(all_people(session)),
        batches=[
            b
            for b in recent_batches(session)
            if b.status == BatchStatus.DONE and b.documents_done  # a pack to download
        ],
        has_section12=bool(section12_documents(session)),
    )


def person_choices(people: list[Person]) -> list[tuple[int, str]]:
    """The «Участник» filter's choices, (id, label): the ФИО, a guardian's with «законный
    представитель» (play15), a participant's with what tells him from a participant of the
    same name — the role, and the date of birth when the namesake has the same role (play20:
    the same teacher listed on «Наставники» and on «Наставляемые» showed twice alike)."""
    participants = [p for p in people if p.role != Role.GUARDIAN]
    named = Counter(p.full_name for p in participants)
    named_as = Counter((p.full_name, p.role) for p in participants)
    choices = []
    for p in people:
        notes = []
        if p.role == Role.GUARDIAN:
            notes.append("законный представитель")
        elif named_as[p.full_name, p.role] < named[p.full_name]:
            female = p.role == Role.MENTEE and is_female(p.full_name, p.sex)
            notes.append("наставляемая" if female else ROLE_WORDS[p.role])
        if p.role != Role.GUARDIAN and named_as[p.full_name, p.role] > 1 and p.birth_date:
            notes.append(f"{p.birth_date:%d.%m.%Y}")
        choices.append((p.id, p.full_name + (f" ({', '.join(notes)})" if notes else "")))
    return choices


ROLE_WORDS = {Role.MENTOR: "наставник", Role.MENTEE: "наставляемый"}


@bp.get("/pairs")
@role_required("curator")
def pairs() -> str:
    session = db()
    rows = [
        (pair, pair_counts(session, find_documents(session, DocumentFilter(pair_id=pair.id))))
        for pair in all_pairs(session)
    ]
    return render_template("curator/pairs.html", rows=rows)


def pair_counts(session: Session, documents: list[Document]) -> tuple[int, int, int]:
    """(kept, signed of them, destroyed by an act) of a pair's documents: «9, подписано 3»
    counted a document an act destroyed as one the school keeps, signed (left22b); the pair's
    card lists it as «уничтожен (акт № … от …)», the list counts it apart."""
    gone = destroyed_ids(session, documents)
    kept = [d for d in documents if d.id not in gone]
    signed = [d for d in kept if d.status in (DocumentStatus.SIGNED, DocumentStatus.ARCHIVED)]
    return len(kept), len(signed), len(gone)


@bp.get("/pairs/<int:pair_id>")
@role_required("curator")
def pair(pair_id: int) -> str:
    item = get_pair(pair_id)
    return render_template(
        "curator/pair.html",
        pair=item,
        result=present_result(db(), item.id),
        earlier=earlier_terms(db(), item.id),
        replaced=replaced_in_term(item, replaced_mentors(db(), item)),
        by_year=by_school_year(find_documents(db(), DocumentFilter(pair_id=item.id))),
    )


def replaced_in_term(pair: Pair, replaced: list[tuple[str, date]]) -> dict[str, Any] | None:
    """Of ``replaced`` (ФИО and the day the register learnt of the replacement, in order), the
    mentors replaced within the pair's present term: ``since``, the day the mentor of now took
    over, and ``earlier``, those before her, the latest first, each with the day she took the
    pair over (its start for the first); None without a replacement. The card named the mentor
    of now alone for the pair's whole term, as the documents did."""
    earlier: list[tuple[str, date]] = []
    came = pair.start
    for name, day in replaced:
        if pair.start < day < pair.end:
            earlier.append((name, came))
            came = day
    return {"since": came, "earlier": earlier[::-1]} if earlier else None


def by_school_year(documents: list[Document]) -> list[tuple[str | None, list[Document]]]:
    """``documents`` grouped by the school year their text is about (:func:`year_of`), the
    latest year first, a version made before contexts were kept (no year known) last: a pair
    continued into a new year showed last year's programme beside this year's, told apart only
    by «Версия» (office21)."""
    groups: dict[str | None, list[Document]] = {}
    for document in documents:
        groups.setdefault(year_of(document), []).append(document)
    known = sorted((year for year in groups if year is not None), reverse=True)
    ordered = [(year, groups[year]) for year in known]
    if None in groups:
        ordered.append((None, groups[None]))
    return ordered
