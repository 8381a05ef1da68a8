"""A text box as Word saves it (two versions: for Word 2010 and later, and for Word 2007) is
read once, and one whose versions say different things is refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from service.documents.check import check_template_data
from service.documents.text import docx_text
from tests.libreoffice_print import printed_text
from tests.test_template_office import TEMPLATES, W, with_paragraph

NAMESPACES = (
    f'xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def text_box(choice: str, fallback: str, fill: str = "", vml: str = "", props: str = "") -> bytes:
    """order_pairs.docx with a last paragraph «До. [text box] После.», the box's text
    ``choice`` in its DrawingML version and ``fallback`` in its VML one; ``fill``, the
    DrawingML shape's fill and style, ``vml`` the VML shape's attributes, ``props`` the
    text's run properties."""
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
        f'prst="rect"><a:avLst/></a:prstGeom>{fill}</wps:spPr><wps:txbx><w:txbxContent><w:p><w:r>'
        f"<w:rPr>{props}</w:rPr><w:t>{choice}</w:t></w:r></w:p></w:txbxContent></wps:txbx>"
        "<wps:bodyPr/></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback>"
        f'<w:pict><v:shape style="width:157pt;height:39pt" {vml}><v:textbox><w:txbxContent>'
        f"<w:p><w:r><w:rPr>{props}</w:rPr><w:t>{fallback}</w:t></w:r></w:p></w:txbxContent>"
        "</v:textbox></v:shape>"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>После.</w:t></w:r></w:p>"
    )
    return with_paragraph(TEMPLATES / "order_pairs.docx", paragraph)


def test_a_text_box_is_read_once_as_word_and_libreoffice_show_it(tmp_path):
    """attack17: the director's page showed every text box twice («До. Иванову
    премиюИванову премиюПосле.»), the text of both its versions."""
    data = text_box("Иванову премию", "Иванову премию")
    assert docx_text(data).splitlines()[-1] == "До. Иванову премиюПосле."
    assert check_template_data(data, "order_pairs") == []
    printed = printed_text(data, tmp_path)
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
        "«Петровой выговор»): Word и LibreOffice печатают тот, который понимают (Word 2010 и "
        "новее обычно первый, другие программы — второй), а директор перед подписью видит "
        "только первый. Удалите надпись и вставьте её заново в Word."
    ]


def test_versions_differing_in_a_formulas_words_are_refused(tmp_path):
    """attack20: only ``w:t`` was compared. A version whose ``Requires`` names a namespace no
    program knows is never shown — Word and LibreOffice print the other — and the director's
    page, which shows the first, read a formula's «не» (``m:t``) in it: «Премию не
    выплачивать.» on her page, «Премию выплачивать.» in the archive's PDF."""
    paragraph = (
        f'<w:p {NAMESPACES} xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
        'xmlns:x="urn:x"><w:r><w:t xml:space="preserve">Премию </w:t></w:r>'
        '<mc:AlternateContent><mc:Choice Requires="x"><m:oMath><m:r><m:t>не</m:t></m:r>'
        '</m:oMath><w:r><w:t xml:space="preserve"> выплачивать.</w:t></w:r></mc:Choice>'
        '<mc:Fallback><w:r><w:t xml:space="preserve"> выплачивать.</w:t></w:r></mc:Fallback>'
        "</mc:AlternateContent></w:p>"
    )
    data = with_paragraph(TEMPLATES / "order_pairs.docx", paragraph)
    assert docx_text(data).splitlines()[-1] == "Премию не выплачивать."
    assert "Премию выплачивать." in printed_text(data, tmp_path).splitlines()
    problems = [str(p) for p in check_template_data(data, "order_pairs")]
    assert problems == [
        "В шаблоне есть надпись или фигура с двумя разными текстами («не выплачивать.» и «"
        " выплачивать.»): Word и LibreOffice печатают тот, который понимают (Word 2010 и новее "
        "обычно первый, другие программы — второй), а директор перед подписью видит только "
        "первый. Удалите надпись и вставьте её заново в Word."
    ]


WHITE = '<w:color w:val="FFFFFF" w:themeColor="background1"/>'
INVISIBLE_START = "В шаблоне есть текст, которого не видно на бумаге"


@pytest.mark.parametrize(
    ("fill", "vml"),
    [
        ('<a:solidFill><a:srgbClr val="1F3864"/></a:solidFill>', 'fillcolor="#1f3864"'),
        # Word's rectangle (Вставка → Фигуры): blue by its style, its text white
        ('</wps:spPr><wps:style><a:lnRef idx="2"><a:schemeClr val="accent1"/></a:lnRef>'
         '<a:fillRef idx="1"><a:schemeClr val="accent1"/></a:fillRef><a:effectRef idx="0">'
         '<a:schemeClr val="accent1"/></a:effectRef><a:fontRef idx="minor"><a:schemeClr '
         'val="lt1"/></a:fontRef></wps:style><wps:spPr>', 'fillcolor="#4472c4 [3204]"'),
    ],
)  # fmt: skip
def test_white_text_in_a_dark_text_box_or_shape_is_taken(fill, vml):
    """template18: the school's banner, white letters in a dark box, was refused as white
    text on nothing."""
    data = text_box("Наставничество", "Наставничество", fill, vml, WHITE)
    assert check_template_data(data, "order_pairs") == []


@pytest.mark.parametrize(
    ("fill", "vml"),
    [("", ""), ('<a:solidFill><a:schemeClr val="lt1"/></a:solidFill>', 'fillcolor="white"'),
     ('<a:noFill/>', 'filled="f"'),
     # review19: a fill near white, or a dark one hardly drawn, was taken as a dark box
     ('<a:solidFill><a:srgbClr val="FEFEFE"/></a:solidFill>', 'fillcolor="#fefefe"'),
     ('<a:solidFill><a:srgbClr val="1F3864"><a:alpha val="0"/></a:srgbClr></a:solidFill>',
      'fillcolor="#f5f5f5"')],
)  # fmt: skip
def test_white_text_in_a_white_or_unfilled_text_box_is_refused(fill, vml):
    data = text_box("Наставничество", "Наставничество", fill, vml, WHITE)
    problems = [str(p) for p in check_template_data(data, "order_pairs")]
    assert problems[0].startswith(INVISIBLE_START)


def test_white_text_in_a_vml_box_whose_fill_is_hardly_drawn_is_refused():
    """review19: a VML box filled dark at 0 % opacity (``<v:fill opacity="0"/>``) leaves its
    white text on white paper; it was taken as a dark box."""
    dark = '<a:solidFill><a:srgbClr val="1F3864"/></a:solidFill>'
    for opacity, refused in (("0", True), ("0.1", True), ("6554f", True), ("0.8", False)):
        vml = f'fillcolor="#1f3864"><v:fill opacity="{opacity}"/'  # a child of the v:shape
        data = text_box("Наставничество", "Наставничество", dark, vml, WHITE)
        problems = [str(p) for p in check_template_data(data, "order_pairs")]
        assert bool(problems) == refused, opacity
        assert not problems or problems[0].startswith(INVISIBLE_START)


def with_body_markup(fragment: str, ignorable: str = "", process: str = "") -> bytes:
    """order_pairs.docx with ``fragment`` before its section properties; ``x`` is the
    namespace «urn:x», put first into the root's ``mc:Ignorable`` with ``ignorable``, and
    ``process`` the root's ``mc:ProcessContent``."""
    out = io.BytesIO()
    source = TEMPLATES / "order_pairs.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                xml = data.decode()
                xml = xml.replace('mc:Ignorable="', f'mc:Ignorable="{ignorable} ', 1)
                extra = ' xmlns:x="urn:x"' + (f' mc:ProcessContent="{process}"' if process else "")
                xml = xml.replace("<w:document ", f"<w:document{extra} ", 1)
                end = xml.rindex("<w:sectPr")
                data = (xml[:end] + fragment + xml[end:]).encode()
            dst.writestr(info, data)
    return out.getvalue()


CLAUSE = "<w:p><w:r><w:t>Иванова уволить.</w:t></w:r></w:p>"


def test_paragraphs_in_two_versions_between_paragraphs_are_on_the_directors_page(tmp_path):
    """attack20: a paragraph in ``mc:AlternateContent`` between the body's paragraphs (Word
    2010 and later show its first version) was printed by LibreOffice and missing from the
    director's page, and the check passed the template."""
    data = with_body_markup(
        f'<mc:AlternateContent><mc:Choice Requires="w14">{CLAUSE}</mc:Choice>'
        f"<mc:Fallback>{CLAUSE}</mc:Fallback></mc:AlternateContent>"
    )
    assert "Иванова уволить." in printed_text(data, tmp_path).splitlines()
    assert docx_text(data).splitlines().count("Иванова уволить.") == 1
    assert check_template_data(data, "order_pairs") == []


FOREIGN = (
    "В шаблоне есть текст («{}») внутри разметки, которой Word не пишет («{}», urn:x): Word "
    "такой текст пропускает или показывает, LibreOffice печатает, а страница директора перед "
    "подписью может его не показать — директор прочитал бы не то, что напечатано. Откройте "
    "шаблон в Word и сохраните его заново как «Документ Word (*.docx)»."
)


def test_text_in_markup_word_does_not_write_is_refused(tmp_path):
    """attack20: an element of a namespace of one's own, called ignorable: Word skips it with
    its text (or reads it: ``mc:ProcessContent``), LibreOffice prints it. Between paragraphs
    the director's page left it out — «Иванова уволить.» in the archive's PDF only; inside a
    paragraph the page read «Премию не выплачивать.», and Word prints «Премию
    выплачивать.»."""
    between = with_body_markup(f"<x:wrap>{CLAUSE}</x:wrap>", "x", "x:wrap")
    assert "Иванова уволить." in printed_text(between, tmp_path).splitlines()
    problems = [str(p) for p in check_template_data(between, "order_pairs")]
    assert problems == [FOREIGN.format("Иванова уволить.", "wrap")]
    inside = with_body_markup(
        '<w:p><w:r><w:t xml:space="preserve">Премию </w:t></w:r><x:hide><w:r>'
        '<w:t xml:space="preserve">не </w:t></w:r></x:hide><w:r><w:t>выплачивать.</w:t></w:r>'
        "</w:p>",
        "x",
    )
    problems = [str(p) for p in check_template_data(inside, "order_pairs")]
    assert problems == [FOREIGN.format("не", "hide")]


@pytest.mark.parametrize(
    ("fill", "vml", "props", "refused"),
    [
        ('<a:solidFill><a:srgbClr val="1F3864"/></a:solidFill>', 'fillcolor="#1f3864"',
         '<w:color w:val="1F3865"/>', True),
        ('<a:solidFill><a:srgbClr val="000000"/></a:solidFill>', 'fillcolor="black"',
         '<w:color w:val="000000"/>', True),
        ('<a:solidFill><a:schemeClr val="accent2"/></a:solidFill>', 'fillcolor="#ed7d31"',
         '<w:color w:val="ED7D31" w:themeColor="accent2"/>', True),
        # a school's ordinary box: black on light yellow, dark blue on a paler blue
        ('<a:solidFill><a:srgbClr val="FFF2CC"/></a:solidFill>', 'fillcolor="#fff2cc"',
         '<w:color w:val="000000"/>', False),
        ('<a:solidFill><a:schemeClr val="accent1"><a:lumMod val="20000"/><a:lumOff val="80000"/>'
         '</a:schemeClr></a:solidFill>', 'fillcolor="#dae3f3"',
         '<w:color w:val="4472C4" w:themeColor="accent1"/>', False),
    ],
)  # fmt: skip
def test_text_the_colour_of_its_text_box_is_refused(fill, vml, props, refused):
    """attack20 (left by template18): dark-blue text in a dark-blue text box, black in a black
    one, read on the director's page and on no paper; the text's colour was compared with its
    highlight and the shading of its run, paragraph and cell, not with its box's fill."""
    data = text_box("Премия не выплачивается", "Премия не выплачивается", fill, vml, props)
    problems = [str(p) for p in check_template_data(data, "order_pairs")]
    assert bool(problems) == refused
    assert not problems or problems[0].startswith(INVISIBLE_START)
