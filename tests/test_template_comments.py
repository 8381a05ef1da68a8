"""Word's comments in a school's template never reach the documents made from it."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from service.documents.check import check_template_data
from service.documents.normalise import normalise_docx
from service.documents.render import render_template_file
from service.documents.sample import sample_context
from service.documents.text import docx_text

TEMPLATES = Path(__file__).resolve().parent.parent / "templates_docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NOTE = "Иванова не согласна, спросить директора"
COMMENTS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="Завуч Петрова"
w:date="2026-11-30T10:00:00Z" w:initials="ЗП"><w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr>
<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>
<w:r><w:t>{NOTE}</w:t></w:r></w:p></w:comment></w:comments>"""
PEOPLE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">
<w15:person w15:author="Завуч Петрова"><w15:presenceInfo w15:providerId="AD"
w15:userId="petrova@school17.example"/></w15:person></w15:people>"""
LINKS = (
    '<Relationship Id="rIdC1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/comments" Target="comments.xml"/><Relationship Id="rIdC2" '
    'Type="http://schemas.microsoft.com/office/2011/relationships/people" Target="people.xml"/>'
)
TYPES = (
    '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.comments+xml"/><Override PartName="/word/people.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml"/>'
)


def commented(source: bytes) -> bytes:
    """``source`` with a comment on the text of its first paragraph, saved as Word saves it:
    the commented range and the reference's run in the body, the comment and its author in
    their parts, named by the document's relationships and the content types."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                text = data.decode()
                start = text.index("<w:p>") if "<w:p>" in text else text.index("<w:p ")
                end = text.index("</w:p>", start)
                paragraph = text[start:end].replace(
                    "<w:r>", '<w:commentRangeStart w:id="0"/><w:r>', 1
                )
                reference = (
                    '<w:commentRangeEnd w:id="0"/><w:r><w:rPr><w:rStyle '
                    'w:val="CommentReference"/></w:rPr><w:commentReference w:id="0"/></w:r>'
                )
                data = (text[:start] + paragraph + reference + text[end:]).encode()
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", LINKS.encode() + b"</Relationships>")
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", TYPES.encode() + b"</Types>")
            dst.writestr(info, data)
        dst.writestr("word/comments.xml", COMMENTS)
        dst.writestr("word/people.xml", PEOPLE)
    return out.getvalue()


def resaved_by_libreoffice(data: bytes, folder: Path) -> bytes:
    """``data`` opened and saved again as DOCX by LibreOffice (which writes comments its way)."""
    (folder / "in").mkdir()
    (folder / "in" / "t.docx").write_bytes(data)
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "out"),
         str(folder / "in" / "t.docx")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return (folder / "out" / "t.docx").read_bytes()


def libreoffice_annotations(data: bytes, folder: Path) -> int:
    """How many comments LibreOffice finds in the DOCX ``data``."""
    (folder / "made").mkdir(parents=True)
    (folder / "made" / "d.docx").write_bytes(data)
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile",
         "--convert-to", "fodt", "--outdir", str(folder / "made"),
         str(folder / "made" / "d.docx")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return len(re.findall(r"<office:annotation[ >]", (folder / "made" / "d.fodt").read_text()))


@pytest.mark.parametrize("saved_by", ["word", "libreoffice"])
def test_a_comment_in_a_template_is_not_in_the_documents(tmp_path, saved_by):
    """attack17: a template with a comment passed the check and every document made from it
    carried the comment — the director's page did not show it, Word showed every reader the
    note in the margin with its author and printed it. The comment is taken out."""
    plain = TEMPLATES / "order_pairs.docx"
    template = commented(plain.read_bytes())
    if saved_by == "libreoffice":
        template = resaved_by_libreoffice(template, tmp_path)
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        assert NOTE in archive.read("word/comments.xml").decode()
    if saved_by == "word":  # a comment LibreOffice and Word show
        assert libreoffice_annotations(template, tmp_path / "before") == 1
    assert check_template_data(template, "order_pairs") == []
    path = tmp_path / "order_pairs.docx"
    path.write_bytes(template)
    context = sample_context("order_pairs")
    made = render_template_file(path, context)
    with zipfile.ZipFile(io.BytesIO(made)) as archive:
        names = archive.namelist()
        assert [name for name in names if "comment" in name or "people" in name] == []
        assert [name for name in names if b"comment" in archive.read(name)] == []
    assert docx_text(made) == docx_text(render_template_file(plain, context))
    assert libreoffice_annotations(made, tmp_path / "after") == 0


def test_a_comment_link_to_another_part_takes_no_part_with_it():
    """A relationship of a comment's type that names the styles (no comment there) takes no
    part with it."""
    source = (TEMPLATES / "order_pairs.docx").read_bytes()
    link = (
        '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/comments" Target="styles.xml"/>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", link.encode() + b"</Relationships>")
            dst.writestr(info, data)
    with zipfile.ZipFile(io.BytesIO(normalise_docx(out.getvalue()))) as archive:
        assert archive.read("word/styles.xml") == zipfile.ZipFile(io.BytesIO(source)).read(
            "word/styles.xml"
        )
