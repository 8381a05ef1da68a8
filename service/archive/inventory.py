"""What an export holds: one :class:`BagDocument` per archived document with the paths its files
get in the bag (folders by §12 item, by pair, by participant), and the inventory made of them —
``Опись.xlsx`` for people (converted to ``Опись.pdf``) and ``Опись.json``, which
``nastavnik archive verify`` reads to know which signature, PDF and proof belong to which
document.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.properties import PageSetupProperties

from service.archive.retention import document_date
from service.documents.catalogue import BY_ID, SIGNER_NAMES
from service.documents.file_names import safe_file_name
from service.register.archive_models import ArchiveItem
from service.register.labels import destroyed_name
from service.scans import scan_suffix
from service.xlsx import append_text_row, dated_workbook

INVENTORY_XLSX, INVENTORY_PDF, INVENTORY_JSON = "Опись.xlsx", "Опись.pdf", "Опись.json"
CA_FOLDER, LEDGER_FOLDER = "Удостоверяющий центр", "Журнал"
CA_FILE, CRL_FILE = "ca.pem", "crl.pem"
CHECKPOINT_FILE = "контрольная точка.txt"


@dataclass
class BagFile:
    path: str
    """Relative to ``data/``, with ``/``."""
    sha256: str
    role: str
    """``docx``, ``signature``, ``scan``, ``pdf`` or ``proof``."""
    signer: str = ""
    signer_role: str = ""
    serial: str = ""
    signed_at: str = ""


@dataclass
class BagDocument:
    id: int
    kind: str
    title: str
    subject: str
    version: int
    number: str | None
    date: str
    pages: int
    section12: int | None
    folder: str
    files: list[BagFile] = field(default_factory=list)

    def file(self, role: str) -> BagFile | None:
        return next((f for f in self.files if f.role == role), None)


@dataclass
class DestroyedDocument:
    """A document of the year an act destroyed: listed in the inventory with its act, no file
    in the bag, and no name of whom it was about (the act destroyed that personal data)."""

    id: int
    kind: str
    title: str
    subject: str
    version: int
    number: str | None
    date: str
    section12: int | None
    sha256: str
    state: str
    """«уничтожен (акт № 1/28 от 01.01.2028)»."""


def destroyed_document(item: ArchiveItem, act: str) -> DestroyedDocument:
    """What the inventory says of a document ``act`` destroyed («№ 1/28 от 01.01.2028»):
    a participant's is about «—», as in a pack's inventory (:mod:`service.archive.packs`)."""
    document = item.document
    kind = BY_ID[document.kind]
    return DestroyedDocument(
        id=document.id,
        kind=document.kind,
        title=kind.title,
        subject="—" if document.subject_key.startswith("person:") else document.subject_label,
        version=document.version,
        number=document.number,
        date=f"{document_date(document):%d.%m.%Y}",
        section12=kind.section12,
        sha256=document.sha256,
        state=destroyed_name(act),
    )


def folder_of(item: ArchiveItem, pair_codes: dict[str, str]) -> str:
    """Where a document goes: «Раздел 12/02 Приказ …», «Пары/П-01», «Участники/ФИО» or
    «Организация»."""
    document = item.document
    kind = BY_ID[document.kind]
    if kind.section12:
        return f"Раздел 12/{kind.section12:02d} {safe_file_name(kind.title, 100)}"
    if document.subject_key.startswith("pair:"):
        code = pair_codes.get(document.subject_key, document.subject_label)
        return f"Пары/{safe_file_name(code, 100)}"
    if document.subject_key.startswith("person:"):
        return f"Участники/{safe_file_name(document.subject_label, 100)}"
    return "Организация"


def bag_document(
    item: ArchiveItem, folder: str, taken: set[str], signer_serials: dict[int, str]
) -> BagDocument:
    """The document's place in the bag and its files' names (unique within ``taken``)."""
    document = item.document
    kind = BY_ID[document.kind]
    stem = safe_file_name(document.file_name.removesuffix(".docx"), 120)
    if f"{folder}/{stem}.docx" in taken:
        # not «№ {id}»: beside an order that reads as its registration number (play10: «Приказ
        # … (версия 2, № 29)» of order № 4/26); the register's id only when the version clashes
        versioned = f"{stem} (версия {document.version})"
        clash = f"{folder}/{versioned}.docx" in taken
        stem = f"{stem} (версия {document.version}, документ {document.id})" if clash else versioned
    base = f"{folder}/{stem}"
    taken.add(f"{base}.docx")
    result = BagDocument(
        id=document.id,
        kind=document.kind,
        title=kind.title,
        subject=document.subject_label,
        version=document.version,
        number=document.number,
        date=f"{document_date(document):%d.%m.%Y}",
        pages=item.pages,
        section12=kind.section12,
        folder=folder,
    )
    by_role = {f["role"]: f for f in item.files}
    signatures = {s.id: s for s in document.signatures}
    cms_count = sum(1 for f in item.files if f["role"] == "signature")
    scans_seen: set[str] = set()
    result.files.append(BagFile(f"{base}.docx", by_role["docx"]["sha256"], "docx"))
    for entry in item.files:
        signature = signatures.get(entry.get("signature_id", -1))
        who = SIGNER_NAMES.get(signature.role, signature.role) if signature else ""
        if entry["role"] == "signature":
            name = f"{base}.docx.p7s" if cms_count == 1 else f"{base}.docx.{who}.p7s"
            result.files.append(
                BagFile(
                    name,
                    entry["sha256"],
                    "signature",
                    signature.signer_name if signature else "",
                    signature.role if signature else "",
                    signer_serials.get(signature.signer_id or 0, "") if signature else "",
                    f"{signature.signed_at:%d.%m.%Y %H:%M}" if signature else "",
                )
            )
        elif entry["role"] == "scan" and entry["sha256"] not in scans_seen:
            scans_seen.add(entry["sha256"])
            result.files.append(BagFile(f"{base} — скан{len(scans_seen)}", entry["sha256"], "scan"))
    result.files.append(BagFile(f"{base}.pdf", item.pdf_sha256, "pdf"))
    if "proof" in by_role:
        result.files.append(BagFile(f"{base}.журнал.json", "", "proof"))
    return result


def name_scans(document: BagDocument, scan_bytes: dict[str, bytes]) -> None:
    """Give each scan its extension by its first bytes (.pdf, .jpg, …)."""
    for file in document.files:
        if file.role == "scan":
            file.path += scan_suffix(scan_bytes[file.sha256])


def inventory_json(
    documents: list[BagDocument],
    header: dict[str, Any],
    destroyed: list[DestroyedDocument] | None = None,
) -> bytes:
    """``Опись.json``: the export's header and every document with its files; the documents
    destroyed by an act apart, under ``destroyed`` (no files: nothing for ``archive verify``
    to check), when there are some."""
    body = {**header, "documents": [asdict(d) for d in documents]}
    if destroyed:
        body["destroyed"] = [asdict(d) for d in destroyed]
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode()


def read_inventory(data: bytes) -> tuple[dict[str, Any], list[BagDocument]]:
    """The header and documents of an ``Опись.json``."""
    body = json.loads(data)
    documents = []
    for raw in body.pop("documents"):
        files = [BagFile(**f) for f in raw.pop("files")]
        documents.append(BagDocument(**raw, files=files))
    return body, documents


def inventory_xlsx(
    documents: Sequence[BagDocument | DestroyedDocument],
    heading: str,
    as_of: datetime | None = None,
) -> bytes:
    """``Опись.xlsx``: number, title, date, registration number, pages, file, SHA-256 —
    landscape, fitted to the page width, header repeated on every printed page. A document
    destroyed by an act has its place too, «Файл» its state («уничтожен (акт № … от …)»):
    an inspector reads why the bag has no file of it (left22b: the bag's inventory listed 7
    of 8 §12 documents, the summary beside it 8 of 8). With
    ``as_of`` (the export's checkpoint), the workbook is dated then, not now in the server's
    zone (:func:`service.xlsx.dated_workbook`): the same documents give the same bytes on any
    server (left17: its parts were dated by the server's clock in its TZ)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Опись"
    append_text_row(sheet, [heading])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append(["№ п/п", "Документ", "Дата", "Рег. номер", "Листов", "Файл", "SHA-256"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, document in enumerate(documents, 1):
        if isinstance(document, DestroyedDocument):
            about = "" if document.subject == "—" else f" — {document.subject}"
            title = f"{document.title}{about} (версия {document.version})"
            row = [number, title, document.date, document.number or "", ""]
            append_text_row(sheet, [*row, document.state, document.sha256])
            continue
        docx = document.file("docx")
        append_text_row(
            sheet,
            [
                number,
                f"{document.title} — {document.subject} (версия {document.version})",
                document.date,
                document.number or "",
                document.pages,
                docx.path if docx else "",
                docx.sha256 if docx else "",
            ],
        )
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    widths = dict(zip("ABCDEFG", (6, 48, 11, 10, 7, 52, 34), strict=True))
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        lines = 1
        for cell in row:
            cell.alignment = wrap
            cell.border = border
            per_line = int(widths[cell.column_letter] * 0.8)  # words wrap before the edge
            lines = max(lines, -(-len(str(cell.value or "")) // per_line))
        # LibreOffice does not grow rows to fit wrapped text in an imported xlsx
        sheet.row_dimensions[row[0].row].height = 15 * lines
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    if as_of is not None:
        return dated_workbook(book, as_of)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
