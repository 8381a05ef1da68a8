"""A school's template trying to reach outside its file, or to show Word another text than the
one the service reads — each found by using it: LibreOffice fetched the address when the
template's PDF preview was made, or Word would at every reader."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from service.documents import sandbox
from service.documents.check import check_template_data
from service.documents.fast_render import CompiledTemplate, environment
from service.documents.fields import rendered_fields_problem
from service.documents.render import render_template_file
from service.documents.sample import sample_context
from service.documents.text import docx_text, margin_text
from tests.counted import loop_clock

TEMPLATE = Path(__file__).resolve().parent.parent / "templates_docx" / "order_pairs.docx"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ADDRESS = "http://192.0.2.1/pixel.png"
PICTURE = (
    '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="9144" cy="9144"/><wp:docPr id="77" name="P"/>'
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData '
    'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://'
    'schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill><a:blip r:link="rIdX"/>'
    "</pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
)
LINKED = (
    "В шаблоне есть ссылка на внешний файл «http://192.0.2.1/pixel.png» (рисунок, объект или "
    "шаблон Word, связанный с файлом, а не вставленный в документ): его открывали бы сервер "
    "при создании PDF и Word у каждого читателя документа. Вставьте рисунок в документ (без "
    "«Связать с файлом») или удалите ссылку."
)


def template(body: str = "", rels: str = "", parts: dict[str, bytes] | None = None) -> bytes:
    """order_pairs.docx with ``body`` first in its text, ``rels`` added to the text's
    relationships and ``parts`` put in or replaced."""
    out = io.BytesIO()
    parts = parts or {}
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = parts.pop(item.filename, None) or source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + body.encode(), 1)
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
            target.writestr(item.filename, data)
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def link(kind: str, target: str = ADDRESS, external: bool = True) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="rIdX" Type="{kind}" Target="{target}"{mode}/>'


def problems(data: bytes) -> list[str]:
    return [str(problem) for problem in check_template_data(data, "order_pairs")]


@pytest.mark.parametrize(
    "kind",
    [
        f"{R}/hyperlink",  # a hyperlink's address, used by a picture: fetched all the same
        f"{R}/attachedTemplate",  # the letterhead's kind, but not the letterhead's link
        "http://example.org/hyperlink",  # only named like one
    ],
)
def test_a_picture_linked_through_a_hyperlink_or_letterhead_relationship_is_refused(kind):
    assert problems(template(PICTURE, link(kind))) == [LINKED]


def test_the_letterhead_named_by_the_building_blocks_settings_is_taken():
    """Word may name the letterhead in the settings of the document's building blocks
    («word/glossary/») as well; only a picture or object using such a link is refused."""
    glossary = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + link(f"{R}/attachedTemplate", "file:///C:/Blank.dotx").encode()
        + b"</Relationships>"
    )
    settings = (
        b'<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<w:attachedTemplate r:id="rIdX"/></w:settings>'
    )
    parts = {
        "word/glossary/settings.xml": settings,
        "word/glossary/_rels/settings.xml.rels": glossary,
    }
    data = template(parts=parts)
    assert problems(data) == []
    # and no document made carries it (it was taken and left in: Word looked for
    # «C:/Blank.dotx» at every reader, as for the document's own settings' link)
    made = CompiledTemplate.from_bytes(data, environment()).render(sample_context("order_pairs"))
    with zipfile.ZipFile(io.BytesIO(made)) as archive:
        kept = {name: archive.read(name) for name in parts}
    assert b"attachedTemplate" not in kept["word/glossary/settings.xml"]
    assert b"Blank.dotx" not in kept["word/glossary/_rels/settings.xml.rels"]
    assert "ПРИКАЗ" in docx_text(made)
    # named by a part that is no settings (Word writes none such), it would stay: refused
    text_link = link(f"{R}/attachedTemplate", "file:///C:/Blank.dotx")
    element = '<w:p><w:attachedTemplate r:id="rIdX"/></w:p>'
    assert problems(template(element, text_link)) == [
        LINKED.replace("http://192.0.2.1/pixel.png", "file:///C:/Blank.dotx")
    ]


def test_a_hyperlink_in_the_text_is_still_taken():
    text = '<w:p><w:hyperlink r:id="rIdX"><w:r><w:t>сайт школы</w:t></w:r></w:hyperlink></w:p>'
    assert problems(template(text, link(f"{R}/hyperlink", "https://school.example/"))) == []


def field(code: str) -> str:
    """A complex field as Word writes it, its code cut into two runs."""
    half = len(code) // 2
    return (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {code[:half]}</w:instrText></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{code[half:]} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def fielded(word: str) -> str:
    return (
        f"В шаблоне есть поле «{word}», которое берёт рисунок, текст или данные из другого "
        "файла или адреса: Word обращался бы к нему у каждого читателя документа. Вставьте "
        "рисунок или текст в документ, а поле удалите (Alt+F9 показывает коды полей)."
    )


@pytest.mark.parametrize(
    ("body", "word"),
    [
        (field(f'INCLUDEPICTURE "{ADDRESS}" \\d \\* MERGEFORMATINET'), "INCLUDEPICTURE"),
        (field('includetext "C:\\\\Users\\\\Public\\\\a.docx"'), "INCLUDETEXT"),
        (field('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"'), "DDEAUTO"),
        (f'<w:p><w:fldSimple w:instr="INCLUDEPICTURE &quot;{ADDRESS}&quot; \\d">'
         "<w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>", "INCLUDEPICTURE"),
    ],
)  # fmt: skip
def test_a_field_bringing_in_a_file_or_address_is_refused(body, word):
    assert problems(template(body)) == [fielded(word)]


TAG_IN_CODE = (
    "В коде поля Word стоит тег шаблона ({{ … }} или {% … %}): код поля получался бы из "
    "данных, и Word выполнял бы то, что получится, у каждого читателя документа. Уберите тег из "
    "кода поля (Alt+F9 показывает коды полей) — значения вставляйте в текст документа, а не в "
    "поле."
)


@pytest.mark.parametrize(
    "body",
    [
        field(f"{{{{ 'INCLUDEPICTURE' }}}} \"{ADDRESS}\" \\d"),
        field(f'{{{{ org.short_name }}}} "{ADDRESS}"'),
        "<w:p><w:fldSimple w:instr=\"{{ 'DDEAUTO' }} cmd\"><w:r><w:t>x</w:t></w:r>"
        "</w:fldSimple></w:p>",
        # a tag in the text between «begin» and «separate» adds or removes parts of the code
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> QUOTE </w:instrText>'
        "</w:r><w:r><w:t>{% if false %}</w:t></w:r><w:r><w:instrText>x</w:instrText></w:r>"
        "<w:r><w:t>{% endif %}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
    ],
)
def test_a_template_tag_in_a_field_code_is_refused(body):
    """attack15: ``{{ 'INCLUDEPICTURE' }} "http://…" \\d`` passed the check — it read the
    code before rendering — and every document made carried a field that has Word fetch the
    address at every reader."""
    assert problems(template(body)) == [TAG_IN_CODE]


def test_the_fields_of_the_sample_document_are_read_as_well():
    """The check also reads the fields of the document it renders with sample data, as Word
    will read them (a second line behind the rule on tags in codes)."""
    made = template(field(f'INCLUDEPICTURE "{ADDRESS}" \\d'))
    assert rendered_fields_problem(made) == fielded("INCLUDEPICTURE")
    assert rendered_fields_problem(template(field("PAGE"))) is None


def test_a_page_number_field_is_taken():
    assert problems(template(field("PAGE \\* MERGEFORMAT"))) == []


def test_another_document_pasted_in_whole_is_refused():
    chunk = link(f"{R}/aFChunk", "chunk.html", external=False)
    html = f'<html><body><p>Текст</p><img src="{ADDRESS}"></body></html>'.encode()
    data = template('<w:altChunk r:id="rIdX"/>', chunk, {"word/chunk.html": html})
    assert problems(data) == [
        "В шаблон вставлен целиком другой документ или веб-страница (altChunk): Word "
        "показывает его текст, а сервис его не видит, и перед подписью он не был бы показан. "
        "Вставьте текст в документ обычным образом (Ctrl+Shift+V, «Сохранить только текст»)."
    ]


ACTIVE = (
    "В шаблоне есть элемент управления ActiveX или вложенный файл (объект «Package» — программа, "
    "сценарий или ярлык под значком): Word запускал бы его или предлагал открыть у каждого "
    "читателя документа. Удалите его из шаблона."
)


def test_a_file_embedded_under_an_icon_is_refused():
    """An OLE «Package» carries any file (a program, a script) into every signed document."""
    ole = (
        '<w:p><w:r><w:object><o:OLEObject Type="Embed" ProgID="Package" ShapeID="_x0000_i1025" '
        'DrawAspect="Icon" ObjectID="_1" r:id="rIdX"/></w:object></w:r></w:p>'
    )
    embedded = link(f"{R}/oleObject", "embeddings/oleObject1.bin", external=False)
    data = template(ole, embedded, {"word/embeddings/oleObject1.bin": b"MZ\x90\x00"})
    assert problems(data) == [ACTIVE]


def test_an_activex_control_is_refused():
    control = link(f"{R}/control", "activeX/activeX1.xml", external=False)
    part = (
        b'<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" '
        b'ax:classid="{8856F961-340A-11D0-A96B-00C04FD705A2}" ax:persistence="persistStorage"/>'
    )
    assert problems(template("", control, {"word/activeX/activeX1.xml": part})) == [ACTIVE]


@pytest.mark.parametrize(
    "target", ["../../../../etc/hostname", "http://192.0.2.1/pixel.png", "media/missing.png"]
)
def test_a_part_named_but_missing_is_refused_in_russian(target):
    """A picture whose part lies outside the file («../../…») or is not in it: the check
    answered with python-docx's «There is no item named … in the archive»."""
    picture = PICTURE.replace('r:link="rIdX"', 'r:embed="rIdX"')
    data = template(picture, link(f"{R}/image", target, external=False))
    assert problems(data) == [
        f"В шаблоне есть ссылка на часть «{target}», которой в файле нет: файл повреждён или "
        "собран не в Word. Откройте его в Word и сохраните заново как «Документ Word (*.docx)»."
    ]


def test_a_mail_merge_main_document_is_refused():
    """Word asks every reader to run the merge's SQL query against its data source (here a
    database on another computer) when he opens the document."""
    with zipfile.ZipFile(TEMPLATE) as source:
        settings = source.read("word/settings.xml")
    merge = (
        b'<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:dataType w:val="native"/>'
        b'<w:connectString w:val="Provider=Microsoft.ACE.OLEDB.12.0;Data Source=\\\\192.0.2.1'
        b'\\s\\a.accdb"/><w:query w:val="SELECT * FROM `a`"/></w:mailMerge>'
    )
    data = template(parts={"word/settings.xml": settings.replace(b"<w:zoom ", merge + b"<w:zoom ")})
    assert problems(data) == [
        "Шаблон сохранён как основной документ слияния (рассылки): Word у каждого читателя "
        "документа спрашивал бы, выполнить ли запрос к источнику данных. В Word: «Рассылки» → "
        "«Начать слияние» → «Обычный документ Word», затем сохраните шаблон и загрузите снова."
    ]


def test_a_template_whose_main_part_is_not_the_one_the_service_reads_is_refused():
    """Word and LibreOffice show the part «_rels/.rels» names; the service's preview (what the
    director reads before signing) read «word/document.xml», left here saying something
    else: the template passed the check and its documents said «ОБ ОТЧИСЛЕНИИ» to readers."""
    with zipfile.ZipFile(TEMPLATE) as source:
        real = source.read("word/document.xml").replace("ПРИКАЗ".encode(), "ОБ ОТЧИСЛЕНИИ".encode())
        package_rels = source.read("_rels/.rels").replace(b"word/document.xml", b"word/main.xml")
        types = source.read("[Content_Types].xml").replace(b"/word/document.xml", b"/word/main.xml")
        text_rels = source.read("word/_rels/document.xml.rels")
    decoy = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Приказ о поощрении</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    data = template(
        parts={
            "word/document.xml": decoy,
            "word/main.xml": real,
            "word/_rels/main.xml.rels": text_rels,
            "_rels/.rels": package_rels,
            "[Content_Types].xml": types,
        }
    )
    assert problems(data) == [
        "Основной текст документа записан в части «word/main.xml», а не в «word/document.xml», "
        "как его пишет Word: сервис показывал бы перед подписью другой текст, чем Word у "
        "читателя. Откройте файл в Word и сохраните его заново как «Документ Word (*.docx)»."
    ]
    made = CompiledTemplate.from_bytes(data, environment()).render(sample_context("order_pairs"))
    text = docx_text(made)  # what the director's preview shows: the part Word shows
    assert "ОБ ОТЧИСЛЕНИИ" in text
    assert "Приказ о поощрении" not in text


@pytest.mark.parametrize("name", ["word/header1.xml", "word/kopf.xml"])
def test_a_header_named_otherwise_than_word_names_it_is_refused(name):
    """attack20: Word prints the header the relationship names, whatever the part's name,
    and the director's page shows its text; the check took headers by their names
    («word/header1.xml»), and white text in «word/kopf.xml» — on her page, on no paper —
    passed."""
    white = (
        '<w:p><w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr>'
        "<w:t>Премия наставнику не выплачивается.</w:t></w:r></w:p>"
    ).encode()
    renamed = name.rsplit("/", 1)[-1].encode()
    out = io.BytesIO()
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data, part = source.read(item.filename), item.filename
            if part == "word/header1.xml":
                data, part = data.replace(b"</w:hdr>", white + b"</w:hdr>"), name
            elif part in ("word/_rels/document.xml.rels", "[Content_Types].xml"):
                data = data.replace(b"header1.xml", renamed)
            target.writestr(part, data)
    data = out.getvalue()
    assert margin_text(data)[-1] == ("Верхний колонтитул", "Премия наставнику не выплачивается.")
    [problem] = problems(data)
    if name == "word/header1.xml":
        assert problem.startswith("В шаблоне есть текст, которого не видно на бумаге")
    else:
        assert problem == (
            "Колонтитул или сноски шаблона записаны в части «word/kopf.xml», а не так, как их "
            "называет Word («word/header1.xml», «word/footer1.xml», «word/footnotes.xml»): Word "
            "их печатает, а сервис проверяет и заполняет только части с этими именами — текст "
            "этой части не был бы проверен. Откройте файл в Word и сохраните его заново как "
            "«Документ Word (*.docx)»."
        )


def test_a_doctype_written_in_utf_32_is_refused():
    with zipfile.ZipFile(TEMPLATE) as source:
        xml = source.read("word/document.xml").decode()
    head, _, rest = xml.partition("?>")
    declared = '<?xml version="1.0" encoding="UTF-32"?><!DOCTYPE w:document [<!ENTITY x "т">]>'
    data = template(parts={"word/document.xml": (declared + rest).encode("utf-32")})
    assert problems(data) == [
        "В части «word/document.xml» объявлен DOCTYPE (сущности XML): Word его не пишет, а "
        "сущности могут раздуть документ или прочитать файлы сервера. Откройте файл в Word и "
        "сохраните его заново как «Документ Word (*.docx)»."
    ]


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_loops_over_a_text_are_bounded_like_ranges(monkeypatch):
    """Two loops nested over a text of 99,999 letters are 10¹⁰ steps: the check (and the
    administrator's upload page) would have worked for hours. The steps are counted (the
    sandbox's clock is read once a step), not timed."""
    loops = "{% for a in 'x' * 99999 %}{% for b in 'x' * 99999 %}{% endfor %}{% endfor %}"
    clock = loop_clock(monkeypatch)
    assert problems(template(paragraph(loops))) == [
        "Шаблон не заполняется образцом данных: циклы делают больше 5\u00a0000\u00a0000 шагов."
    ]
    assert clock.reads == 5_000_000 + 1  # each step allowed, and the deadline set once


def test_a_loop_repeating_heavy_work_stops_at_the_time_bound(monkeypatch):
    """Within the steps, each step may still build a list of 99,999 items: the rendering
    stops at its time bound (a minute; a second here, on a clock that moves an eighth of a
    second a step — whatever the machine's speed, the ninth step is the last)."""
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 1.0)
    clock = loop_clock(monkeypatch, tick=1 / 8)
    heavy = "{% for a in 'x' * 99999 %}{{ ('x' * 99999) | list | length }}{% endfor %}"
    assert problems(template(paragraph(heavy))) == [
        "Шаблон не заполняется образцом данных: заполнение шаблона идёт дольше 1 с."
    ]
    # read at 0 (the deadline, 1 s), then at 1/8, 2/8 … 8/8 (steps 1–8 run) and 9/8: stopped
    assert clock.reads == 1 + 9


def test_a_content_controls_text_is_shown_before_signing(tmp_path):
    """Found on the running service: a school's template whose paragraph sits in a content
    control (Word's «элемент управления содержимым», common in forms) was taken, rendered and
    shown by Word, but the text the director reads before signing (``docx_text``) left it out
    — a clause he never saw, signed."""
    hidden = (
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>Премия куратору {{ org.short_name }}</w:t>"
        "</w:r></w:p></w:sdtContent></w:sdt>"
    )
    data = template(hidden)
    assert problems(data) == []
    path = tmp_path / "order_pairs.docx"
    path.write_bytes(data)
    made = render_template_file(path, sample_context("order_pairs"))
    assert docx_text(made).splitlines()[0] == "Премия куратору МБОУ Идринская СОШ"


def test_a_header_of_a_school_template_is_shown_to_the_director(client, web_school, tmp_path):
    """Found on the running service: the director's page showed the body only; a school's
    template with a clause in its header (Word prints it on every page) was signed unseen.
    The page shows headers, footers and notes under the body. (The order is rendered from
    such a template and put in the store as the pipeline does, in place of the standard one.)"""
    from docx import Document

    from service.register.db import session_scope
    from service.register.models import Document as Row
    from service.store import FileStore
    from tests.web_school import login

    own = Document(str(TEMPLATE))
    own.sections[0].header.add_paragraph("Премия куратору {{ org.short_name }}")
    own.save(str(tmp_path / "order_pairs.docx"))
    made = render_template_file(tmp_path / "order_pairs.docx", sample_context("order_pairs"))
    settings = web_school.settings
    order = web_school.doc_id("order_pairs")
    with session_scope(settings.database_url) as s:
        s.get(Row, order).sha256 = FileStore(settings.store_dir).put(made)
    login(client, "director")
    page = client.get(f"/director/documents/{order}").get_data(as_text=True)
    assert "<p>Верхний колонтитул: Премия куратору МБОУ Идринская СОШ</p>" in page


def nested(inner: str, rest: str) -> str:
    """A complex field whose code starts with the field ``inner`` nested in it: Word puts the
    inner field's result in the code before it reads the code («{ {QUOTE …} "…" }»)."""
    return (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {inner} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {rest} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


NESTED_TYPE = (
    "Вид поля Word задаёт другое поле, вложенное в его код: Word выполнял бы то, что получится "
    "(так прячут поля, которые берут рисунок, текст или данные из другого файла или адреса). "
    "Напишите вид поля в его коде сами или удалите поле (Alt+F9 показывает коды полей)."
)


@pytest.mark.parametrize(
    "body",
    [
        # «INCLUDEPICTURE» spelled by character codes in a nested QUOTE field
        nested("QUOTE " + " ".join(str(ord(c)) for c in "INCLUDEPICTURE"), f'"{ADDRESS}" \\d'),
        nested('QUOTE "DDEAUTO"', 'c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"'),
        nested("REF kind", f'"{ADDRESS}"'),
        nested("PAGE", "").replace(  # the nested field a simple one
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
            ' PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r>'
            '<w:t>x</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>',
            '<w:fldSimple w:instr=" QUOTE 68 68 69 "><w:r><w:t>DDE</w:t></w:r></w:fldSimple>',
            1,
        ),
    ],
)
def test_a_field_whose_kind_a_nested_field_makes_is_refused(body):
    """review15: the check read a field's kind as the first word of its code, and a field
    nested at the start of the code (Word's «{ {QUOTE 73 78 …} "http://…" \\d }», a known way
    to hide DDEAUTO) left the outer code «"http://…" \\d» — a live INCLUDEPICTURE passed."""
    assert problems(template(body)) == [NESTED_TYPE]


def if_page(rest: str, kind: str = "IF") -> str:
    """``{ KIND { PAGE } REST }`` as Word writes it, keeping «ПРИКАЗ ВВОДИТСЯ»."""
    return (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {kind} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {rest} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>ПРИКАЗ ВВОДИТСЯ</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def page(code: str, kept: str) -> str:
    """A ``PAGE``-like field ``code`` keeping the text ``kept``."""
    return field(code).replace("<w:t>x</w:t>", f"<w:t>{kept}</w:t>")


def numbered(kind: str, kept: str) -> str:
    return (
        f"Поле «{kind}» показывает номер, но в его коде есть текст в кавычках или он хранит не "
        f"номер («{kept}»): Word напечатал бы другое, чем прочитал директор перед подписью. "
        "Уберите из кода поля текст в кавычках (Alt+F9 показывает коды полей) и обновите поля "
        "(F9) перед сохранением шаблона."
    )


@pytest.mark.parametrize(
    ("body", "refused"),
    [
        # a condition on a page number prints what it likes: «ОТМЕНЯЕТСЯ» on every page
        (if_page('> 0 "ПРИКАЗ ОТМЕНЯЕТСЯ" "ПРИКАЗ ВВОДИТСЯ"'), "IF"),
        (if_page('= 1 "первая" ""'), "IF"),
        (if_page("* 0 + 5000", "="), "="),
        # a number picture with text in quotes prints the text
        (page("PAGE \\# \"'ПРИКАЗ ОТМЕНЯЕТСЯ' 0\"", "1"), "PAGE"),
        # a page number keeping words: the page shows them, Word prints «1»
        (page("PAGE", "ПРИКАЗ ВВОДИТСЯ"), "PAGE"),
        (page("NUMPAGES \\* MERGEFORMAT", "три"), "NUMPAGES"),
    ],
)
def test_a_field_printing_another_text_than_it_keeps_is_refused(body, refused):
    """review15: ``IF`` and ``=`` testing a nested ``PAGE`` were kept (``IF { PAGE } > 0
    "ПРИКАЗ ОТМЕНЯЕТСЯ" "ПРИКАЗ ВВОДИТСЯ"`` keeping «ПРИКАЗ ВВОДИТСЯ»: the director's page
    shows the kept text, Word prints «ОТМЕНЯЕТСЯ»), and so was a page number printing words
    (a number picture with text in quotes) or keeping words."""
    kept = {"PAGE": "1" if "'" in body else "ПРИКАЗ ВВОДИТСЯ", "NUMPAGES": "три"}
    expected = computed(refused) if refused in ("IF", "=") else numbered(refused, kept[refused])
    assert problems(template(body)) == [expected]


def test_a_long_kept_text_is_named_by_its_start():
    kept = "ПРИКАЗ ВВОДИТСЯ " * 20
    start = " ".join(kept.split())[:59] + "…"
    assert problems(template(page("PAGE", kept))) == [numbered("PAGE", start)]


def test_page_numbers_as_word_keeps_them_are_taken():
    for code, kept in [("PAGE", "1"), ("PAGE \\* ROMAN", "XIV"), ("NUMPAGES \\* Arabic", "12")]:
        assert problems(template(page(code, kept))) == [], code


def computed(word: str) -> str:
    return (
        f"В шаблоне есть поле «{word}»: Word при печати или обновлении полей и LibreOffice в "
        "архивной копии PDF вычисляют его текст заново, и он мог бы не совпасть с текстом, "
        "который директор прочитал перед подписью. В шаблоне можно оставить только поля номеров "
        "страниц, оглавления, нумерации и гиперссылок. Замените поле его текстом (выделите и "
        "нажмите Ctrl+Shift+F9)."
    )


@pytest.mark.parametrize(
    ("body", "word"),
    [
        (field('QUOTE "ПРИКАЗ ОТМЕНЯЕТСЯ"'), "QUOTE"),
        (field('IF 1 = 1 "ПРИКАЗ ОТМЕНЯЕТСЯ" "ПРИКАЗ ВВОДИТСЯ"'), "IF"),
        (field('DATE \\@ "dd.MM.yyyy"'), "DATE"),
        (field('DOCPROPERTY "Comments"'), "DOCPROPERTY"),
        ('<w:p><w:fldSimple w:instr=" = 1 \\# &quot;отменяется&quot; "><w:r><w:t>вводится</w:t>'
         "</w:r></w:fldSimple></w:p>", "="),
    ],
)  # fmt: skip
def test_a_field_whose_text_word_computes_anew_is_refused(body, word):
    """attack15: a field keeps the text it showed last, and that is what the director's page
    shows; Word computes it anew at printing or on F9, LibreOffice in the archive's PDF. A
    template with ``IF 1 = 1 "ПРИКАЗ ОТМЕНЯЕТСЯ" "ПРИКАЗ ВВОДИТСЯ"`` showing «ПРИКАЗ ВВОДИТСЯ»
    was installed; its PDF had neither, a ``DATE`` field's showed the day it was made."""
    assert problems(template(body)) == [computed(word)]


HIDDEN = (
    "В шаблоне есть скрытый текст (Шрифт → «скрытый»): Word его не показывает и не печатает, "
    "а на странице директора перед подписью он виден — директор прочитал бы то, чего нет в "
    "напечатанном документе. Снимите с текста отметку «скрытый» (в тексте и в стилях) или "
    "удалите его."
)


def test_hidden_text_is_refused_and_a_hidden_paragraph_mark_taken():
    """attack15: a run formatted hidden was on the director's page and in no printed copy."""
    hidden = (
        "<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>при условии согласования с учредителем"
        "</w:t></w:r></w:p>"
    )
    assert problems(template(hidden)) == [HIDDEN]
    style = (
        b'<w:style w:type="character" w:styleId="Hid"><w:name w:val="Hid"/><w:rPr><w:vanish/>'
        b"</w:rPr></w:style></w:styles>"
    )
    with zipfile.ZipFile(TEMPLATE) as source:
        styles = source.read("word/styles.xml").replace(b"</w:styles>", style)
    assert problems(template("", "", {"word/styles.xml": styles})) == [HIDDEN]
    mark = "<w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr><w:r><w:t>текст</w:t></w:r></w:p>"
    assert problems(template(mark)) == []
    shown = '<w:p><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>текст</w:t></w:r></w:p>'
    assert problems(template(shown)) == []


def test_a_template_with_embedded_fonts_is_refused():
    """attack15: an embedded font draws what it likes for a letter or digit (a «1» as «9»):
    Word and the archive's PDF would show a text other than the director's page. The refusal
    says where the tick is in Word and in LibreOffice (left17: it named Word's only)."""
    font = (
        b'<w:font w:name="Times New Roman Embedded"><w:embedRegular r:id="rIdF" '
        b'w:fontKey="{00000000-0000-0000-0000-000000000000}"/></w:font></w:fonts>'
    )
    with zipfile.ZipFile(TEMPLATE) as source:
        table = source.read("word/fontTable.xml").replace(b"</w:fonts>", font)
    assert problems(template("", "", {"word/fontTable.xml": table})) == [
        "В шаблон встроены шрифты: встроенный шрифт может рисовать одни буквы и цифры вместо "
        "других, и Word показал бы и напечатал не тот текст, что директор прочитал перед "
        "подписью. Снимите отметку о внедрении шрифтов — в Word: Файл → Параметры → Сохранение "
        "→ «Внедрить шрифты в файл»; в LibreOffice Writer: Файл → Свойства → вкладка «Шрифт» → "
        "«Внедрять шрифты в документ», — сохраните шаблон заново как документ Word (.docx) и "
        "загрузите его."
    ]


MARKUP_TAG = (
    "Тег шаблона ({{ … }} или {% … %}) стоит не в тексте документа, а в его разметке (в "
    "свойствах текста, в атрибуте, в комментарии XML): в Word его туда не поставить, а "
    "заполнение меняло бы оформление — например, делало бы прочитанный директором текст белым "
    "или зачёркнутым после подписи. Уберите его: откройте шаблон в Word, напишите теги в "
    "тексте и сохраните."
)


@pytest.mark.parametrize(
    "body",
    [
        '<w:p><w:r><w:rPr><w:color w:val="{% if doc.number %}FFFFFF{% else %}000000{% endif %}"/>'
        "</w:rPr><w:t>Премия не выплачивается.</w:t></w:r></w:p>",
        "<w:p><w:r><w:rPr>{% if doc.number %}<w:strike/>{% endif %}</w:rPr>"
        "<w:t>Премия не выплачивается.</w:t></w:r></w:p>",
        "<w:p><!-- {{ org.short_name }} --><w:r><w:t>текст</w:t></w:r></w:p>",
    ],
)
def test_a_tag_in_the_markup_not_the_text_is_refused(body):
    """attack15: a tag in the run's properties passed the check — the words are the same
    before and after signing, so the signing guard passes too — and made the clause the
    director read white or struck out once the number was given."""
    assert problems(template(body)) == [MARKUP_TAG]


LOOK = (
    "Шаблон меняет оформление текста, когда при подписи в него вписываются номер и дата: от "
    "doc.number, doc.date… зависит, каким будет текст — зачёркнутым, белым, другого размера. "
    "Директор читает документ перед подписью без оформления, а подписанный выглядел бы иначе. "
    "От номера и даты может зависеть только их собственная запись: оформите текст одинаково в "
    "обеих ветках условия {% if doc.number %}…{% else %}…{% endif %} или вынесите его из "
    "условия — в абзаце «Приказ вводится в действие.»"
)


@pytest.mark.parametrize(
    "look",
    ['<w:position w:val="-40"/>', '<w:spacing w:val="-60"/>', '<w:u w:val="single"/>'],
)
def test_a_clause_whose_look_changes_at_signing_is_refused(look):
    """review15: the tags in the text, the formatting in a run of its own — ``{% if
    doc.number %}`` before the clause moved off the line (its letters run together,
    underlined), ``{% else %}`` before it plain: the words unchanged, the check and the signing
    guard took it."""
    clause = "Приказ вводится в действие."
    body = (
        "<w:p><w:r><w:t>{% if doc.number %}</w:t></w:r>"
        f"<w:r><w:rPr>{look}</w:rPr><w:t>{clause}</w:t></w:r>"
        f"<w:r><w:t>{{% else %}}</w:t></w:r><w:r><w:t>{clause}</w:t></w:r>"
        "<w:r><w:t>{% endif %}</w:t></w:r></w:p>"
    )
    assert problems(template(body)) == [LOOK]


def test_a_number_given_in_runs_of_its_own_looks_the_same():
    body = (
        "<w:p><w:r><w:t>№ {% if doc.number %}</w:t></w:r><w:r><w:t>{{ doc.number }}</w:t></w:r>"
        "<w:r><w:t>{% else %}___{% endif %}</w:t></w:r></w:p>"
    )
    assert problems(template(body)) == []


def test_a_number_and_date_underlined_or_bold_are_taken():
    """template16: an order's number and date are often underlined or bold, their blanks
    («_______») plain — the look of the text the signature changes was compared with its
    blank's, and the template refused «Шаблон меняет оформление текста…». Only the look of
    the text the two versions share is compared."""
    body = (
        "<w:p><w:r><w:t>№ {% if doc.number %}</w:t></w:r>"
        '<w:r><w:rPr><w:b/><w:u w:val="single"/></w:rPr><w:t>{{ doc.number }}</w:t></w:r>'
        "<w:r><w:t>{% else %}_______{% endif %} от {% if doc.date %}</w:t></w:r>"
        '<w:r><w:rPr><w:u w:val="single"/></w:rPr><w:t>{{ doc.date | date }}</w:t></w:r>'
        "<w:r><w:t>{% else %}«____» ____________ 20___ г.{% endif %}</w:t></w:r></w:p>"
    )
    assert problems(template(body)) == []


STRUCK = (
    "В шаблоне есть зачёркнутый текст (Шрифт → «зачёркнутый»): на странице директора перед "
    "подписью он виден как обычный, а в Word и в напечатанном документе — зачёркнутым, то есть "
    "удалённым. Снимите зачёркивание (в тексте и в стилях) или удалите этот текст."
)


@pytest.mark.parametrize("mark", ["<w:strike/>", '<w:dstrike w:val="true"/>'])
def test_struck_out_text_is_refused(mark):
    """review15: the director's page shows no formatting — a clause struck out in the template
    read as in force before signing, and stood deleted in the printed order."""
    body = f"<w:p><w:r><w:rPr>{mark}</w:rPr><w:t>Приказ вводится в действие.</w:t></w:r></w:p>"
    assert problems(template(body)) == [STRUCK]
    plain = '<w:p><w:r><w:rPr><w:strike w:val="0"/></w:rPr><w:t>Приказ.</w:t></w:r></w:p>'
    assert problems(template(plain)) == []


INVISIBLE = (
    "В шаблоне есть текст, которого не видно на бумаге: белый (цвета фона) или того же "
    "цвета, что выделение или заливка под ним, высотой меньше "
    "4 пунктов, сжатый до трети ширины, с буквами, наложенными друг на друга (интервал "
    "«уплотнённый» больше чем на 3 пункта), смещённый вверх или вниз больше чем на 24 пункта "
    "или на чёрном выделении. На странице директора перед подписью он виден как обычный, а в "
    "Word и в напечатанном документе — нет. Сделайте этот текст обычного цвета, размера и "
    "положения (в тексте и в стилях) или удалите его."
)
CLAUSE = "<w:t>Приказ вводится в действие.</w:t>"
WHITE_STYLE = (
    '<w:style w:type="paragraph" w:styleId="Quiet"><w:name w:val="Quiet"/>'
    '<w:rPr><w:color w:val="FEFEFE"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Quieter"><w:name w:val="Quieter"/>'
    '<w:basedOn w:val="Quiet"/></w:style>'
)


def with_styles(extra: str) -> dict[str, bytes]:
    with zipfile.ZipFile(TEMPLATE) as source:
        styles = source.read("word/styles.xml")
    return {"word/styles.xml": styles.replace(b"</w:styles>", extra.encode() + b"</w:styles>")}


@pytest.mark.parametrize(
    ("body", "styles"),
    [
        (f'<w:p><w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr>{CLAUSE}</w:r></w:p>', ""),
        (f'<w:p><w:r><w:rPr><w:color w:val="FFFFFF" w:themeColor="background1"/></w:rPr>{CLAUSE}'
         "</w:r></w:p>", ""),
        (f'<w:p><w:r><w:rPr><w:sz w:val="2"/></w:rPr>{CLAUSE}</w:r></w:p>', ""),
        (f'<w:p><w:r><w:rPr><w:w w:val="10"/></w:rPr>{CLAUSE}</w:r></w:p>', ""),
        (f'<w:p><w:r><w:rPr><w:highlight w:val="black"/></w:rPr>{CLAUSE}</w:r></w:p>', ""),
        (f'<w:p><w:pPr><w:pStyle w:val="Quieter"/></w:pPr><w:r>{CLAUSE}</w:r></w:p>', WHITE_STYLE),
        # attack17: letters drawn over each other (condensed by 10 pt), or lowered by
        # 1,500 pt — off the page; both passed
        (f'<w:p><w:r><w:rPr><w:spacing w:val="-200"/></w:rPr>{CLAUSE}</w:r></w:p>', ""),
        (f'<w:p><w:r><w:rPr><w:position w:val="-3000"/></w:rPr>{CLAUSE}</w:r></w:p>', ""),
        (f'<w:p><w:r><w:rPr><w:position w:val="200"/></w:rPr>{CLAUSE}</w:r></w:p>', ""),
        # attack17: the text's colour that of what stands behind it
        (f'<w:p><w:r><w:rPr><w:color w:val="FF0000"/><w:shd w:val="clear" w:fill="EE1111"/>'
         f"</w:rPr>{CLAUSE}</w:r></w:p>", ""),
        (f'<w:p><w:r><w:rPr><w:color w:val="000080"/><w:highlight w:val="darkBlue"/></w:rPr>'
         f"{CLAUSE}</w:r></w:p>", ""),
        (f'<w:p><w:pPr><w:shd w:val="clear" w:fill="1F497D"/></w:pPr><w:r><w:rPr><w:color '
         f'w:val="1F497D"/></w:rPr>{CLAUSE}</w:r></w:p>', ""),
    ],
)  # fmt: skip
def test_text_paper_does_not_show_is_refused(body, styles):
    """review15: white text (near FFFFFF, or the theme's background colour) with nothing
    behind it, or text under 4 points — on the text or by the paragraph's style — reads on
    the director's page as any other, and is not on paper (as hidden text)."""
    parts = with_styles(styles) if styles else None
    assert problems(template(body, parts=parts)) == [INVISIBLE]


@pytest.mark.parametrize(
    "props",
    ['<w:spacing w:val="-20"/>', '<w:spacing w:val="40"/>', '<w:position w:val="6"/>',
     '<w:position w:val="-6"/>', '<w:color w:val="000000"/><w:highlight w:val="yellow"/>',
     '<w:color w:val="FF0000"/><w:shd w:val="clear" w:fill="auto"/>'],
)  # fmt: skip
def test_text_condensed_expanded_raised_or_lowered_a_little_is_taken(props):
    body = f"<w:p><w:r><w:rPr>{props}</w:rPr>{CLAUSE}</w:r></w:p>"
    assert problems(template(body)) == []


def test_white_text_on_a_shaded_cell_or_in_a_styled_table_is_taken():
    white = f'<w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr>{CLAUSE}</w:r>'
    shaded = (
        '<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="2000"/></w:tblGrid><w:tr><w:tc><w:tcPr>'
        f'<w:shd w:val="clear" w:fill="1F497D"/></w:tcPr><w:p>{white}</w:p></w:tc></w:tr></w:tbl>'
    )
    # a table style that fills its cells (review19: only such a one)
    styled = shaded.replace(
        "<w:tblPr/>", '<w:tblPr><w:tblStyle w:val="LightShading-Accent1"/></w:tblPr>'
    )
    styled = styled.replace('<w:shd w:val="clear" w:fill="1F497D"/>', "")
    # template18: a dark cell as LibreOffice keeps it from Word 97 (the pattern «solid», its
    # colour the cell's) was refused
    solid = shaded.replace(
        'w:val="clear" w:fill="1F497D"', 'w:val="solid" w:color="000080" w:fill="auto"'
    )
    paragraph = f'<w:p><w:pPr><w:shd w:fill="000000"/></w:pPr>{white}</w:p>'
    # template18: the table's own fill (Word's «Заливка», «Применить к: таблице») was refused
    table = shaded.replace(
        "<w:tblPr/>", '<w:tblPr><w:shd w:val="clear" w:fill="1F497D"/></w:tblPr>'
    )
    table = table.replace('<w:shd w:val="clear" w:fill="1F497D"/></w:tcPr>', "</w:tcPr>")
    for body in (shaded, styled, paragraph, solid, table):
        assert problems(template(body + "<w:p/>")) == [], body


def test_white_text_in_a_paragraph_style_with_a_dark_fill_is_taken():
    """template18: a school's heading style «Шапка» (based on «Banner», filled dark blue), its
    words made white in the text, was refused as white on nothing; a style without a fill
    leaves it refused."""
    styles = (
        '<w:style w:type="paragraph" w:styleId="Banner"><w:name w:val="Banner"/><w:pPr><w:shd '
        'w:val="clear" w:color="auto" w:fill="1F3864"/></w:pPr></w:style><w:style '
        'w:type="paragraph" w:styleId="Head"><w:name w:val="Шапка"/><w:basedOn w:val="Banner"/>'
        '</w:style><w:style w:type="paragraph" w:styleId="Plain"><w:name w:val="Plain"/>'
        "</w:style>"
    )
    white = f'<w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr>{CLAUSE}</w:r>'
    body = f'<w:p><w:pPr><w:pStyle w:val="Head"/></w:pPr>{white}</w:p>'
    assert problems(template(body, parts=with_styles(styles))) == []
    plain = body.replace('"Head"', '"Plain"')
    assert problems(template(plain, parts=with_styles(styles))) == [INVISIBLE]


def test_white_text_in_a_table_whose_style_fills_nothing_is_refused():
    """review19: any table style was taken as something behind white text — «Сетка таблицы»
    (TableGrid, Word's own for every table it inserts: borders only) or a style the file does
    not define; «Премия не выплачивается» typed white there was on no paper. A table style
    counts when it, or one it is based on, fills cells."""
    white = f'<w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr>{CLAUSE}</w:r>'

    def table(style: str) -> str:
        return (
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/></w:tblPr><w:tblGrid><w:gridCol '
            f'w:w="2000"/></w:tblGrid><w:tr><w:tc><w:p>{white}</w:p></w:tc></w:tr></w:tbl><w:p/>'
        )

    for style in ("TableGrid", "NoSuchStyle"):
        assert problems(template(table(style))) == [INVISIBLE], style
    based = (
        '<w:style w:type="table" w:styleId="Schools"><w:name w:val="Schools"/>'
        '<w:basedOn w:val="LightList"/></w:style>'
        '<w:style w:type="table" w:styleId="Lines"><w:name w:val="Lines"/>'
        '<w:basedOn w:val="TableGrid"/></w:style>'
    )
    assert problems(template(table("Schools"), parts=with_styles(based))) == []
    assert problems(template(table("Lines"), parts=with_styles(based))) == [INVISIBLE]
