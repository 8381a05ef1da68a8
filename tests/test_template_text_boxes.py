"""A text box as Word saves it (two versions: for Word 2010 and later, and for Word 2007) is
read once, and one whose versions say different things is refused."""

from __future__ import annotations

import subprocess

from service.documents.check import check_template_data
from service.documents.text import docx_text
from tests.test_template_office import TEMPLATES, W, with_paragraph

NAMESPACES = (
    f'xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def text_box(choice: str, fallback: str) -> bytes:
    """order_pairs.docx with a last paragraph «До. [text box] После.», the box's text
    ``choice`` in its DrawingML version and ``fallback`` in its VML one."""
    paragraph = (
        f'<w:p {NAMESPACES}><w:r><w:t xml:space="preserve">До. </w:t></w:r><w:r>'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" '
        'distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="1" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" '
        'y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset>'
        '</wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset>'
        '</wp:positionV><wp:extent cx="2000000" cy="500000"/><wp:effectExtent l="0" t="0" '
        'r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/><wp:docPr id="1" name="Надпись 1"/>'
        '<wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/'
        'office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
        '<a:xfrm><a:off x="0" y="0"/><a:ext cx="2000000" cy="500000"/></a:xfrm><a:prstGeom '
        'prst="rect"><a:avLst/></a:prstGeom></wps:spPr><wps:txbx><w:txbxContent><w:p><w:r>'
        f"<w:t>{choice}</w:t></w:r></w:p></w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback>"
        '<w:pict><v:shape style="width:157pt;height:39pt"><v:textbox><w:txbxContent><w:p>'
        f"<w:r><w:t>{fallback}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>После.</w:t></w:r></w:p>"
    )
    return with_paragraph(TEMPLATES / "order_pairs.docx", paragraph)


def test_a_text_box_is_read_once_as_word_and_libreoffice_show_it(tmp_path):
    """attack17: the director's page showed every text box twice («До. Иванову
    премиюИванову премиюПосле.»), the text of both its versions."""
    data = text_box("Иванову премию", "Иванову премию")
    assert docx_text(data).splitlines()[-1] == "До. Иванову премиюПосле."
    assert check_template_data(data, "order_pairs") == []
    (tmp_path / "t.docx").write_bytes(data)
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "t.docx")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    printed = subprocess.run(
        ["pdftotext", str(tmp_path / "t.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert printed.count("Иванову премию") == 1


def test_a_text_box_whose_versions_differ_is_refused():
    """attack17: «Петровой выговор» in the box's Word 2007 version passed the check and stood
    on the director's page, in no copy Word or LibreOffice prints."""
    problems = [
        str(p)
        for p in check_template_data(text_box("Иванову премию", "Петровой выговор"), "order_pairs")
    ]
    assert problems == [
        "В шаблоне есть надпись или фигура с двумя разными текстами («Иванову премию» и "
        "«Петровой выговор»): Word 2010 и новее показывает первый, программы, которые его не "
        "понимают, — второй, а директор перед подписью видит только первый. Удалите надпись и "
        "вставьте её заново в Word."
    ]
