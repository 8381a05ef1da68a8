"""An order made again after the director signed it (its content changed: a pair added in
December, a new curator) is a new order with its own number and date, and it says which signed
order it replaces: «Признать утратившим силу приказ … от … № … «…»» before the point on
control (DESIGN.md: a signed version is never changed; a school's order journal keeps both).
Last year's orders end with their year and are not named by next year's."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from service.documents.russian import format_date as date_text
from service.intake import demo
from service.register.db import session_scope
from service.register.models import Document
from tests.signing_calls import sign_documents
from tests.test_school_year import parameters
from tests.test_signing_workflow import DIRECTOR_PASSWORD, school  # noqa: F401
from tests.test_year_register import docx_text_of
from tests.test_year_results import PAIR_HEADER, Outcome, p02, process

HEADING = "«Об утверждении наставников и наставнических пар/групп»."


def versions(settings, kind: str = "order_pairs") -> list[Document]:
    with session_scope(settings.database_url) as s:
        found = list(
            s.scalars(select(Document).where(Document.kind == kind).order_by(Document.version))
        )
        s.expunge_all()
    return found


def sign_latest(settings, kind: str = "order_pairs") -> Document:
    [signed] = sign_documents(settings, "director", [versions(settings, kind)[-1].id],
                              DIRECTOR_PASSWORD)  # fmt: skip
    assert signed.ok, signed.message
    return versions(settings, kind)[-1]


def points(settings, document: Document) -> list[str]:
    """The order's points from 4 on, to the director's signature."""
    lines = docx_text_of(settings, document.sha256).splitlines()
    start = next(i for i, x in enumerate(lines) if x.startswith("4. "))
    end = next(i for i, x in enumerate(lines) if x.startswith("Директор "))
    return lines[start:end]


def test_an_order_made_again_after_signing_replaces_the_signed_one(school, tmp_path):  # noqa: F811
    first = sign_latest(school)
    assert points(school, first) == [
        "4. Контроль за исполнением настоящего приказа оставляю за собой."
    ]

    moved = process(school, tmp_path / "1.xlsx", {"Пары": [PAIR_HEADER, p02(date(2024, 5, 30))]})
    assert moved.outcome == Outcome.DONE, moved.message
    signed_on = date_text(first.reg_date).replace(" ", "\xa0", 1)  # a day joined to its month
    replaced = (
        f"4. Признать утратившим силу приказ МБОУ Идринская СОШ от {signed_on} "
        f"№\xa0{first.number} {HEADING}"
    )
    draft = versions(school)[-1]
    assert (draft.version, draft.status) == (2, "awaiting_signature")
    assert points(school, draft) == [
        replaced,
        "5. Контроль за исполнением настоящего приказа оставляю за собой.",
    ]
    # made again before it is signed: the new draft still replaces the signed order
    again = process(school, tmp_path / "2.xlsx", {"Пары": [PAIR_HEADER, p02(date(2024, 5, 29))]})
    assert again.outcome == Outcome.DONE, again.message
    assert points(school, versions(school)[-1])[0] == replaced
    second = sign_latest(school)
    assert second.number != first.number
    assert points(school, second)[0] == replaced

    # next school year: П-02 goes on; the 2024–2025 order replaces no order of 2023–2024
    term = [*p02(date(2025, 5, 23))]
    term[5] = date(2024, 9, 16)
    organization = parameters(dict(demo.ORGANIZATION, **{"Учебный год": "2024–2025"}))
    year = process(school, tmp_path / "3.xlsx", {"Организация": organization,
                                                 "Пары": [PAIR_HEADER, term]})  # fmt: skip
    assert year.outcome == Outcome.DONE, year.message
    assert points(school, versions(school)[-1]) == [
        "4. Контроль за исполнением настоящего приказа оставляю за собой."
    ]
