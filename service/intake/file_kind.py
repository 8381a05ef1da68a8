"""What a file given for the workbook is, before any sheet is read: empty, an old .xls, a
password-protected one, a zip that is not an xlsx (a Word document, a presentation, .xlsb,
OpenDocument), a damaged one, Excel's «Strict Open XML» — each a Russian message saying what to
do. Split from :mod:`service.intake.reader`, which reads the sheets of a real workbook."""

from __future__ import annotations

import zipfile
from pathlib import Path

SAVE_AS = "Откройте его в Excel и сохраните как «Книга Excel (*.xlsx)», затем передайте его снова."
WRONG_FILE = (
    "Похоже, передан не тот файл: в Excel его не пересохранить. Передайте заполненную книгу "
    "Excel (.xlsx); пустую форму даёт страница секретаря («Скачать пустую книгу для "
    "заполнения») или команда «nastavnik template бланк.xlsx»."
)
"""The advice for a Word document or a presentation given for the workbook (a .docx renamed,
or dropped in by mistake): «Откройте его в Excel» cannot help there."""
WRONG_KINDS = {
    ".docx": "документ Word",
    ".doc": "документ Word",
    ".docm": "документ Word",
    ".pptx": "презентация PowerPoint",
    ".ppt": "презентация PowerPoint",
    ".pdf": "документ PDF",
}
"""Files given for the workbook by mistake, told by their name alone: no Excel opens them."""


def wrong_file(name: str) -> str | None:
    """The refusal of a file named like a Word document, a presentation or a PDF given where
    the workbook goes (uploaded or dropped into the inbox): what it is and where the blank
    workbook is; None for any other name."""
    what = WRONG_KINDS.get(Path(name).suffix.lower())
    if what is None:
        return None
    return f"Файл «{name}» не принят: это {what}, а не книга Excel (.xlsx). {WRONG_FILE}"


_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_CFB_SEARCH = 64 * 1024 * 1024
"""How far into an old-format (CFB) file its directory is looked for: a file of gigabytes
must not be read into memory to say it is not an xlsx."""


PASSWORD_PROTECTED = (
    "защищён паролем, поэтому его нельзя прочитать. Снимите пароль (Файл → Сведения → Защитить "
    "книгу → Зашифровать с использованием пароля: очистите поле)"
)
"""Why a password-protected workbook is not read, and what to do: saved again in Excel as
«Книга Excel (*.xlsx)», it keeps its password."""


def is_password_protected(head: bytes) -> bool:
    """Whether a file starting with ``head`` is an Office file under a password: Excel keeps
    such a workbook in the old format's container (CFB), as the stream «EncryptedPackage»."""
    return head.startswith(_CFB_MAGIC) and _ENCRYPTED_STREAM in head[:_CFB_SEARCH]


class Unreadable(Exception):
    """The file cannot be opened as a workbook; the message is for the secretary."""


def check_file(path: Path) -> None:
    if not path.is_file():
        raise Unreadable(f"Файл «{path.name}» не найден.")
    with path.open("rb") as handle:
        head = handle.read(8)
        if not head:
            raise Unreadable(f"Файл пустой (0 байт). {SAVE_AS}")
        if head.startswith(_CFB_MAGIC):
            if is_password_protected(head + handle.read(_CFB_SEARCH)):
                raise Unreadable(f"Файл {PASSWORD_PROTECTED} и передайте файл снова.")
            raise Unreadable(f"Файл сохранён в старом формате Excel 97–2003 (.xls). {SAVE_AS}")
    if not zipfile.is_zipfile(path):
        if head.startswith(b"PK"):
            raise Unreadable(
                "Файл повреждён (возможно, скопирован или загружен не полностью) и не "
                f"открывается как книга Excel. {SAVE_AS}"
            )
        raise Unreadable(f"Файл не является книгой Excel (.xlsx). {SAVE_AS}")


def not_a_workbook(path: Path) -> str:
    """Why a zip that openpyxl cannot open is not an xlsx, as far as its contents tell."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        names = set()
    other = (
        ("word/document.xml", "документ Word", WRONG_FILE),
        ("ppt/presentation.xml", "презентация PowerPoint", WRONG_FILE),
        ("xl/workbook.bin", "двоичная книга Excel (.xlsb)", SAVE_AS),
        ("content.xml", "документ OpenDocument (.ods, .odt)", SAVE_AS),
    )
    for name, what, advice in other:
        if name in names:
            return f"Файл не является книгой Excel (.xlsx): это {what}. {advice}"
    return f"Файл повреждён и не открывается как книга Excel. {SAVE_AS}"


_STRICT_NAMESPACE = b"http://purl.oclc.org/ooxml/spreadsheetml/main"


def is_strict(path: Path) -> bool:
    """Excel's «Strict Open XML» workbook: openpyxl opens it and finds no sheet."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open("xl/workbook.xml") as part:
            return _STRICT_NAMESPACE in part.read(4096)
    except (KeyError, zipfile.BadZipFile, OSError):
        return False
