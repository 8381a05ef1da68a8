"""A school named «… им. А. М. Матросова» upgraded past f0891d0 (no-break spaces after «им.»
and the initials in ``org.short_name``): its versions kept the name with plain spaces, and the
first workbook after the upgrade made every document again — the signed orders as new orders
voiding them, the approved programmes for the director to approve again — for spaces that
print the same words. It makes nothing now."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from service.documents import canonical
from service.documents.planning import context_digest
from service.intake.demo import write_demo_workbook
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Document
from tests.signing_calls import sign_documents
from tests.test_signing_workflow import DIRECTOR_PASSWORD, director_key

NAME = "МБОУ «СОШ № 17 им. А. М. Матросова»"
KEPT = "МБОУ «СОШ №\u00a017 им. А. М. Матросова»"
"""The name in a context as an earlier release kept it (the no-break space after «№» is older)."""
GLUED = "МБОУ «СОШ №\u00a017 им.\u00a0А.\u00a0М.\u00a0Матросова»"


def school_book(path: Path, title: str) -> Path:
    """The demo workbook of a school named «… им. А. М. Матросова» (``title``: the file's
    own, so that a second one is not the same file)."""
    write_demo_workbook(path)
    book = load_workbook(path)
    for row in book["Организация"].iter_rows():
        for cell in row:
            if cell.value == "МБОУ Идринская СОШ":
                cell.value = NAME
    book.properties.title = title
    book.save(path)
    return path


def build_named_school(settings, folder: Path) -> None:
    """The workbook processed, a CA and the director's key."""
    process_workbook(settings, school_book(folder / "школа.xlsx", "первая"))
    director_key(settings)


@pytest.fixture
def named_school(homes, database_kind, tmp_path, request):
    return homes.copy(request, build_named_school, database_kind, tmp_path / "home")


def as_an_earlier_release_kept(settings) -> None:
    """Every version's context as a release before f0891d0 kept it: the name with plain
    spaces, and the digest of that context."""
    with session_scope(settings.database_url) as s:
        for document in s.scalars(select(Document)):
            context = canonical.loads(document.context)
            assert context["org"]["short_name"] == GLUED
            context["org"]["short_name"] = KEPT
            document.context = canonical.dumps(context)
            document.context_sha256 = context_digest(context)


def states(settings) -> list[tuple[str, str, int, str]]:
    with session_scope(settings.database_url) as s:
        rows = s.execute(
            select(Document.kind, Document.subject_label, Document.version, Document.status)
        )
        return sorted((k, subject, v, str(status)) for k, subject, v, status in rows)


@pytest.mark.postgresql
def test_an_upgrade_makes_no_new_versions_of_a_school_named_with_initials(named_school, tmp_path):
    with session_scope(named_school.database_url) as s:
        wanted = s.scalars(
            select(Document.id).where(
                Document.kind.in_(["order_pairs", "order_training", "program"])
            )
        ).all()
    signed = sign_documents(named_school, "director", list(wanted), DIRECTOR_PASSWORD)
    assert [r.message for r in signed if not r.ok] == []
    as_an_earlier_release_kept(named_school)
    before = states(named_school)
    assert ("order_pairs", NAME, 1, "signed") in before
    assert ("order_training", NAME, 1, "signed") in before
    assert ("program", "П-01", 1, "awaiting_signature") in before  # the curator's to sign
    assert ("report_final", NAME, 1, "awaiting_signature") in before
    again = process_workbook(named_school, school_book(tmp_path / "снова.xlsx", "вторая"))
    assert again.outcome == Outcome.DONE, again.message
    assert [(e.kind, e.subject, e.version) for e in again.entries] == []
    assert states(named_school) == before
