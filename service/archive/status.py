"""The section-12 sheet of one school year (seed 001 §12): for each of the eight documents,
present or missing, version, registration number and date, who signed and when, archived or
not — printed by ``nastavnik archive status`` and written as «Сводка по разделу 12.docx».

A year's documents are those archived under it; for the current school year (the one in the
register), documents not archived yet are shown too.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt
from sqlalchemy.orm import Session

from service.archive.section12 import signed_or_latest
from service.documents.catalogue import KINDS, SIGNER_NAMES, Kind
from service.documents.tidy import tidy
from service.register.archive import archived_by_kind, destroying_acts
from service.register.labels import destroyed_name
from service.register.models import Document, DocumentStatus
from service.register.school import the_school

SECTION12: tuple[Kind, ...] = tuple(
    sorted((k for k in KINDS if k.section12), key=lambda k: k.section12 or 0)
)
"""The eight kinds of §12, in its order."""

SUMMARY_NAME = "Сводка по разделу 12.docx"


@dataclass
class StatusRow:
    position: int
    kind: Kind
    document_id: int | None = None
    version: int | None = None
    number: str | None = None
    reg_date: date | None = None
    signatures: list[str] = field(default_factory=list)
    """«руководитель Кинякина Татьяна Игоревна, 12.03.2024 14:05 (ЭП)»."""
    archived_at: datetime | None = None
    destroyed_at: datetime | None = None
    destroyed_by: str = ""
    """«№ 1/28 от 01.01.2028»: the act that destroyed it («» when not recorded)."""

    @property
    def present(self) -> bool:
        return self.document_id is not None

    def cells(self) -> list[str]:
        """The row as text: №, document, presence, version, number and date, signed, archive."""
        if not self.present:
            return [str(self.position), self.kind.title, "ОТСУТСТВУЕТ", "", "", "", ""]
        number = f"№ {self.number}" if self.number else ""
        if self.reg_date:
            number = f"{number} от {self.reg_date:%d.%m.%Y}".strip()
        signed = "; ".join(self.signatures) or "не подписан"
        if self.destroyed_at:
            archive = destroyed_name(self.destroyed_by)
        elif self.archived_at:
            archive = f"в архиве с {self.archived_at:%d.%m.%Y}"
        else:
            archive = "не в архиве"
        return [
            str(self.position),
            self.kind.title,
            "есть",
            str(self.version),
            number or "—",
            signed,
            archive,
        ]


HEADER = ["№", "Документ", "Наличие", "Версия", "Рег. номер и дата", "Подписан", "Архив"]
WIDTHS_MM = [10, 92, 22, 20, 40, 53, 30]
"""The summary's columns on the 267 mm of its landscape page: equal, «№» took a seventh of
the page and a document's title wrapped over four lines (reader22)."""


def current_year(session: Session) -> str | None:
    org = the_school(session)
    return org.school_year if org else None


def section12_status(session: Session, year: str | None = None) -> list[StatusRow]:
    """One row per §12 document for ``year`` (default: the register's current school year)."""
    year = year or current_year(session)
    archived = archived_by_kind(session, year)
    acts = destroying_acts(session, [item.document_id for item in archived.values()])
    rows = []
    for kind in SECTION12:
        row = StatusRow(kind.section12 or 0, kind)
        item = archived.get(kind.id)
        standing = signed_or_latest(session, kind.id, year)
        if item is not None and _newer_signed(standing, item.document):
            # play20: the order made again after the archived one (voiding it) and signed
            # stands, «не в архиве» till it is archived, as the inspector's page shows it
            item = None
        document = item.document if item else None
        if document is None:  # not archived: what stands for that year in the register
            document = standing
        if document is not None:
            row.document_id, row.version = document.id, document.version
            row.number, row.reg_date = document.number, document.reg_date
            row.signatures = [
                f"{SIGNER_NAMES.get(s.role, s.role)} {s.signer_name}, {s.signed_at:%d.%m.%Y %H:%M}"
                + (" (ЭП)" if s.method == "cms" else " (на бумаге)")
                for s in document.signatures
            ]
        if item is not None:
            row.archived_at, row.destroyed_at = item.archived_at, item.destroyed_at
            row.destroyed_by = acts.get(item.document_id, "")
        rows.append(row)
    return rows


def _newer_signed(standing: Document | None, archived: Document | None) -> bool:
    """Whether ``standing`` is a signed version made after the ``archived`` one."""
    return (
        standing is not None
        and archived is not None
        and standing.id != archived.id
        and standing.status == DocumentStatus.SIGNED
        and standing.version > archived.version
    )


def status_text(rows: list[StatusRow], year: str | None) -> str:
    """The sheet for the terminal."""
    lines = [f"Раздел 12 — документы, регламентирующие наставничество ({year or 'год не указан'})"]
    for row in rows:
        cells = row.cells()
        lines.append(f"{cells[0]}. {cells[1]}: {cells[2]}")
        if row.present:
            signed = f"подписан: {cells[5]}" if row.signatures else cells[5]  # «не подписан»
            lines.append(f"   версия {cells[3]}; {cells[4]}; {signed}; {cells[6]}")
    present = sum(r.present for r in rows)
    archived = sum(bool(r.archived_at) and not r.destroyed_at for r in rows)
    lines.append(f"Итого: есть {present} из {len(rows)}, в архиве {archived}.")
    return "\n".join(lines) + "\n"


def summary_docx(rows: list[StatusRow], organization: str, year: str | None) -> bytes:
    """«Сводка по разделу 12.docx»: the same sheet, A4 landscape, Times New Roman."""
    doc = DocxDocument()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(20), Mm(10)
    section.top_margin = section.bottom_margin = Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(12)
    title = doc.add_paragraph()
    title.add_run("Сводка по разделу 12: документы, регламентирующие наставничество").bold = True
    # its texts typed as the templates' are (tidy: «Гимназия №\u00a03», «№\u00a03-о от …»)
    doc.add_paragraph(tidy(f"{organization}; учебный год: {year or '—'}"))
    table = doc.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, WIDTHS_MM, strict=True):
        column.width = Mm(width)  # the grid LibreOffice follows
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row.cells(), strict=True):
            cell.text = tidy(text)
    for row in table.rows:  # and each cell's own width, the one Word follows
        for cell, width in zip(row.cells, WIDTHS_MM, strict=True):
            cell.width = Mm(width)
    present = sum(r.present for r in rows)
    doc.add_paragraph(f"Документов в наличии: {present} из {len(rows)}.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
