"""Templates as Word and LibreOffice save them: split runs, spell-check marks, bookmarks,
revisions and typographic quotes inside tags still check and render."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

from service.documents.catalogue import KINDS
from service.documents.check import check_template, check_template_data
from service.documents.normalise import normalise_docx
from service.documents.render import render_plain, render_template_file
from service.documents.sample import sample_context
from service.documents.text import docx_text

TEMPLATES = Path(__file__).resolve().parent.parent / "templates_docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# «Школа: {{ org.short_name }}» typed in Word with a bookmark, a spell-check mark, a bold
# fragment and a tracked insertion in the middle of the tag, then a condition whose string
# Word's Russian autocorrect put in «ёлочки»
SPLIT = f"""<w:p xmlns:w="{W}">
<w:r><w:t xml:space="preserve">Школа: {{</w:t></w:r>
<w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="90" w:name="_GoBack"/>
<w:r><w:rPr><w:b/></w:rPr><w:t>{{ org.</w:t></w:r>
<w:ins w:id="7" w:author="Секретарь" w:date="2026-01-01T00:00:00Z">
<w:r><w:t>short_name</w:t></w:r></w:ins>
<w:bookmarkEnd w:id="90"/><w:proofErr w:type="spellEnd"/>
<w:r><w:t xml:space="preserve"> }}</w:t></w:r><w:r><w:t>}} — {{% if org.short_name ==</w:t></w:r>
<w:r><w:t xml:space="preserve"> «МБОУ Идринская СОШ» %}}совпало{{% endif %}}.</w:t></w:r>
</w:p>"""


def with_paragraph(source: Path, paragraph_xml: str) -> bytes:
    """``source`` with ``paragraph_xml`` added at the end of its body."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                root = etree.fromstring(data)
                body = root.find(f"{{{W}}}body")
                body.insert(len(body) - 1, etree.fromstring(paragraph_xml))
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            dst.writestr(info, data)
    return out.getvalue()


def test_a_tag_split_across_runs_checks_and_renders(tmp_path):
    data = with_paragraph(TEMPLATES / "order_pairs.docx", SPLIT)
    assert check_template_data(data, "order_pairs") == []
    path = tmp_path / "order_pairs.docx"
    path.write_bytes(data)
    context = sample_context("order_pairs")
    fast = docx_text(render_template_file(path, context))
    assert fast.splitlines()[-1] == "Школа: МБОУ Идринская СОШ — совпало."
    assert docx_text(render_plain(path, context)) == fast


def test_joining_keeps_the_text_around_a_tag_in_its_runs():
    data = normalise_docx(with_paragraph(TEMPLATES / "order_pairs.docx", SPLIT))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    paragraph = root.find(f"{{{W}}}body")[-2]
    runs = ["".join(r.itertext()) for r in paragraph.iter(f"{{{W}}}r")]
    assert runs == [
        "Школа: {{ org.short_name }}",
        ' — {% if org.short_name == "МБОУ Идринская СОШ" %}',
        "совпало{% endif %}.",
    ]


def test_a_template_needing_nothing_is_left_byte_for_byte():
    for kind in KINDS:
        data = (TEMPLATES / kind.template).read_bytes()
        assert normalise_docx(data) is data, kind.id


def test_every_shipped_template_resaved_by_libreoffice_still_works(tmp_path):
    profile = (tmp_path / "lo-profile").as_uri()
    sources = [str(TEMPLATES / kind.template) for kind in KINDS]
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx"]
        + ["--outdir", str(tmp_path / "lo"), *sources],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for kind in KINDS:
        resaved = tmp_path / "lo" / kind.template
        assert (TEMPLATES / kind.template).read_bytes() != resaved.read_bytes()
        assert check_template(resaved, kind.id) == [], kind.id
        context = sample_context(kind.id)
        shipped = docx_text(render_template_file(TEMPLATES / kind.template, context))
        # LibreOffice drops soft hyphens (a table header of the programme); nothing else differs
        assert docx_text(render_template_file(resaved, context)) == shipped.replace("\xad", "")


# the secretary edited with «Исправления» on and saved without accepting them: a word inserted,
# a word deleted, a row of a table deleted, a formatting change
REVISED = f"""<w:body xmlns:w="{W}">
<w:p><w:r><w:t xml:space="preserve">Приказ вводится </w:t></w:r>
<w:ins w:id="1" w:author="Секретарь" w:date="2026-11-30T10:00:00Z"><w:r><w:t>немедленно</w:t></w:r>
</w:ins><w:del w:id="2" w:author="Секретарь" w:date="2026-11-30T10:00:00Z"><w:r>
<w:delText xml:space="preserve"> не</w:delText></w:r></w:del><w:r><w:rPr><w:b/>
<w:rPrChange w:id="3" w:author="Секретарь"><w:rPr/></w:rPrChange></w:rPr>
<w:t xml:space="preserve"> в {{{{ org.short_name }}}}.</w:t></w:r></w:p>
<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="3000"/></w:tblGrid>
<w:tr><w:tc><w:p><w:r><w:t>оставлена</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:trPr><w:del w:id="4" w:author="Секретарь"/></w:trPr><w:tc><w:p><w:del w:id="5"
w:author="Секретарь"><w:r><w:delText>удалена</w:delText></w:r></w:del></w:p></w:tc></w:tr>
</w:tbl></w:body>"""


def revised_order_pairs() -> bytes:
    """The shipped order on pairs with :data:`REVISED` at the end of its body."""
    source = (TEMPLATES / "order_pairs.docx").read_bytes()
    root = etree.fromstring(REVISED)
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
    body = document.find(f"{{{W}}}body")
    for element in root:
        body.insert(len(body) - 1, element)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = etree.tostring(document, xml_declaration=True, encoding="UTF-8")
            dst.writestr(info, data)
    return out.getvalue()


def test_tracked_changes_are_accepted(tmp_path):
    """template16: a template saved with tracked changes passed the check and gave every
    document its revisions: the director's page showed the text as accepted, LibreOffice's
    archive PDF printed the deleted words too, Word showed them struck out with the reviewer's
    name. They are accepted as the administrator saw them."""
    revised = revised_order_pairs()
    assert check_template_data(revised, "order_pairs") == []
    path = tmp_path / "order_pairs.docx"
    path.write_bytes(revised)
    made = render_template_file(path, sample_context("order_pairs"))
    with zipfile.ZipFile(io.BytesIO(made)) as archive:
        xml = archive.read("word/document.xml").decode()
    revisions = ("<w:ins ", "<w:del ", "<w:delText", "rPrChange", "удалена", " не<")
    assert [mark for mark in revisions if mark in xml] == []
    lines = docx_text(made).splitlines()
    assert lines[-2:] == ["Приказ вводится немедленно в МБОУ Идринская СОШ.", "оставлена"]
