"""`nastavnik check-template` on the shipped templates and on ones a school broke in Word."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from jinja2.exceptions import SecurityError

from service.documents.check import check_template
from service.documents.fast_render import render_fast
from service.documents.render import TemplateError, render_template_file
from service.documents.sample import sample_context
from service.documents.text import docx_text
from tests import cli
from tests.counted import loop_clock, peak_memory

MB = 1024 * 1024

TEMPLATES = Path(__file__).resolve().parent.parent / "templates_docx"


def nastavnik(*args: str) -> subprocess.CompletedProcess:
    return cli.nastavnik(*args)


def edited(tmp_path: Path, text: str) -> Path:
    """order_pairs.docx with one paragraph added, as a school would in Word."""
    path = tmp_path / "order_pairs.docx"
    shutil.copyfile(TEMPLATES / "order_pairs.docx", path)
    doc = Document(str(path))
    doc.add_paragraph(text)
    doc.save(str(path))
    return path


def test_shipped_template_passes():
    result = nastavnik("check-template", str(TEMPLATES / "order_pairs.docx"))
    assert result.returncode == 0, result.stderr
    # the kind by its title, not its id «order_pairs» (left12)
    assert result.stdout == (
        "Шаблон «order_pairs.docx» (Приказ об утверждении наставников и наставнических пар) "
        "в порядке.\n"
    )


def test_unknown_variable_is_reported(tmp_path):
    path = edited(tmp_path, "Подпись завуча: {{ zavuch.name }}")
    problems = check_template(path, "order_pairs")
    assert problems and "zavuch" in problems[0]
    result = nastavnik("check-template", str(path))
    assert result.returncode == 1 and "zavuch" in result.stderr


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        (
            "{% if org.short_name %} без конца",
            ["Тег: «{% if org.short_name %}» не закрыт: нет «{% endif %}»"],
        ),
        ("{% endif %}", ["Тег: «{% endif %}» закрывает то, что не открыто"]),
        ("Школа {{ org.short_name }", ["Тег не дописан или разорван (остались «{{»)"]),
        ("{{ org.short_name }} {{ }}", ["Ошибка в записи тега: в теге нет выражения"]),
        ("{{ org.__class__ }}", ["Служебное имя «__class__»: имена с «_» в шаблоне запрещены"]),
        ("{{ org['_x'] }}", ["Служебное имя «_x»: имена с «_» в шаблоне запрещены"]),
        (
            "{{ org.short_name.upper() }}",
            ["Вызов «org.short_name.upper(…)»: в шаблоне можно вызывать только фильтры"],
        ),
        ("{{ org.short_name | shout }}", ["Неизвестный фильтр «shout»"]),
        ("{{ org.nmae }}", ["У «org.nmae» нет поля «nmae»"]),
        (
            "{% include '/etc/passwd' %}",
            ["Тег «include» в шаблоне документа не действует: шаблон — один файл"],
        ),
        (
            "{% macro f() %}{% endmacro %}",
            ["Тег «macro» в шаблоне документа не действует: шаблон — один файл"],
        ),
    ],
)
def test_each_problem_names_its_paragraph(tmp_path, text, problems):
    path = edited(tmp_path, text)
    assert check_template(path, "order_pairs") == [f"{p} — в абзаце «{text}»" for p in problems]


PRODUCT = (
    "Шаблон не заполняется образцом данных: умножение («*») даёт больше 100\u00a0000 знаков "
    "или единиц."
)
FORMAT_WIDTH = (
    "Шаблон не заполняется образцом данных: фильтр «format» с шириной больше 99\u00a0999 знаков "
    "недоступен."
)
PERCENT_WIDTH = (
    "Шаблон не заполняется образцом данных: подстановка («%») с шириной больше 99\u00a0999 "
    "знаков недоступна."
)
STEPS = "Шаблон не заполняется образцом данных: циклы по range(…) делают больше 10\u00a0000 шагов."


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # ran for hours (10¹⁰ steps) while the administrator's upload waited
        ("{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}", STEPS),
        ("{% set r = range(100) %}{% for a in r %}{% for b in r %}{% for c in r %}"
         "{% endfor %}{% endfor %}{% endfor %}", STEPS),
        ("{{ range(20000) | list | length }}", STEPS),
        # 3 GB of text
        ("{{ org.short_name * 30000 }}", "Шаблон не заполняется образцом данных: умножение («*») "
         "даёт больше 100\u00a0000 знаков или единиц."),
        # a list of one long text, repeated: 90 MB here, 9 GB with 100 000 copies
        ("{% set s = 'ш' * 90000 %}{{ ([s] * 1000) | join | length }}", PRODUCT),
        ("{% set s = ['ш' * 90000] %}{{ ([s] * 1000) | length }}", PRODUCT),
        ("{{ ([{'a': 'ш' * 90000}] * 1000) | length }}", PRODUCT),
        # a number squared over and over grows without end
        ("{% set a = 99999 * 99999 %}{% set a = a * a %}{{ a * a }}", "Шаблон не заполняется "
         "образцом данных: умножение («*») даёт число длиннее 18 цифр."),
        ("{{ 9 ** 9 ** 9 }}", "Шаблон не заполняется образцом данных: возведение в степень "
         "(«**») в шаблоне недоступно."),
        # «%» formats a text as the format filter does, with no check of its width: 1 GB
        ("{{ '%0999999999d' % 1 }}", PERCENT_WIDTH),
        ("{{ '%.999999999f' % 1.5 }}", PERCENT_WIDTH),
        ("{{ '%(n)0999999999d' % {'n': 1} }}", PERCENT_WIDTH),
        ("{{ '%(n)0999999999d' | format(n=1) }}", FORMAT_WIDTH),
        ("{{ org.short_name | center(1000000000) }}", "Число 1000000000 больше 100\u00a0000: такие "
         "числа шаблону не нужны, а фильтру (center, indent, truncate…) они велят собрать "
         "огромный текст — в абзаце «{{ org.short_name | center(1000000000) }}»"),
    ],
)  # fmt: skip
def test_a_template_asking_for_endless_work_is_refused_at_once(
    tmp_path, monkeypatch, text, problem
):
    """Refused before the work is done: counted (the loops' steps, the memory taken), not
    timed — each case would take gigabytes or hours."""
    path = edited(tmp_path, text)
    clock = loop_clock(monkeypatch)
    with peak_memory() as peak:
        assert check_template(path, "order_pairs") == [problem]
    assert peak[0] < 32 * MB  # about 2.4 MB; the texts and lists asked for are 90 MB to 9 GB
    # the form's own loops take 8 steps; the nested ranges stop at the 10,000 steps they may take
    assert clock.reads <= 10_000 + 8 + 1


def test_small_ranges_and_products_still_render(tmp_path):
    text = (
        "{% for i in range(3) %}[{{ i }}]{% endfor %} {{ 2 * 3 }} {{ range(4) | reverse | list }}"
        " {{ 2026 * 100 }} {{ 1500.5 * 200 }} {{ '-' * 40 }}"
    )
    path = edited(tmp_path, text)
    assert check_template(path, "order_pairs") == []
    rendered = docx_text(render_fast(path, sample_context("order_pairs")))
    assert f"[0][1][2] 6 [3, 2, 1, 0] 202600 300100.0 {'-' * 40}" in rendered


def test_the_renderer_of_documents_is_bounded_too(tmp_path):
    """The documents themselves render in the same sandbox (a template put on disk by hand
    is not checked): the bound holds there, from a compiled template kept between runs too."""
    path = edited(tmp_path, "{{ org.short_name * 30000 }}")
    with pytest.raises(SecurityError, match="умножение"):
        render_fast(path, sample_context("order_pairs"))


def test_leftovers_after_rendering_the_sample(tmp_path):
    path = edited(tmp_path, "{{ None }}")
    assert check_template(path, "order_pairs") == [
        "После заполнения образцом данных в тексте остаётся «None»."
    ]


def test_a_file_that_is_not_docx(tmp_path):
    path = tmp_path / "x.docx"
    path.write_text("не документ", encoding="utf-8")
    assert "не открывается" in check_template(path, "order_pairs")[0]


def test_kind_must_be_known(tmp_path):
    path = edited(tmp_path, "текст")
    renamed = path.rename(tmp_path / "мой шаблон.docx")
    result = nastavnik("check-template", str(renamed))
    assert result.returncode == 1 and "--kind" in result.stderr


def test_a_template_cannot_reach_python_internals(tmp_path):
    payload = "{{ self.__init__.__globals__.__builtins__.__import__('os').system('id') }}"
    path = edited(tmp_path, payload)
    problems = check_template(path, "order_pairs")
    assert (
        f"Служебное имя «__globals__»: имена с «_» в шаблоне запрещены — в абзаце «{payload}»"
        in (problems)
    )
    result = nastavnik("check-template", str(path))
    assert result.returncode == 1 and "uid=" not in result.stdout + result.stderr


def test_a_template_that_unpacks_to_too_much_is_refused_unread(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/image1.bmp", b"\0" * (51 * 2**20))
    path = tmp_path / "order_pairs.docx"
    path.write_bytes(out.getvalue())
    assert check_template(path, "order_pairs") == [
        "Документ в распакованном виде занимает 51 МБ, а шаблон может занимать не больше 50 МБ "
        "(обычный шаблон — меньше 1 МБ): уберите из файла большие картинки или вложенные объекты."
    ]


def _with_part(part: str, change) -> bytes:
    """order_pairs.docx with ``part`` passed through ``change`` (bytes → bytes)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(TEMPLATES / "order_pairs.docx") as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item.filename, change(data) if item.filename == part else data)
    return out.getvalue()


def test_a_part_that_lies_about_its_size_is_refused_unpacked(tmp_path):
    """The directory says 1,000 bytes, the part inflates to 60 MB (a 1.5 MB file inflating to
    1.5 GB took the check to 3 GB of memory): refused, never unpacked past what it declares."""
    import struct

    data = bytearray(_with_part("word/document.xml", lambda d: d + b" " * (60 * 2**20)))
    central = data.find(b"PK\x01\x02")
    while central >= 0:  # every entry of word/document.xml: the sizes in both headers
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_length] == b"word/document.xml":
            struct.pack_into("<I", data, central + 24, 1000)
            struct.pack_into("<I", data, struct.unpack_from("<I", data, central + 42)[0] + 22, 1000)
        central = data.find(b"PK\x01\x02", central + 4)
    path = tmp_path / "order_pairs.docx"
    path.write_bytes(bytes(data))
    assert check_template(path, "order_pairs") == [
        "Файл не открывается как документ Word (.docx): часть «word/document.xml» повреждена: её "
        "размер или контрольная сумма не совпадают с оглавлением архива."
    ]
    from service.documents.docx_zip import member_data, read_members

    document = next(m for m in read_members(bytes(data)) if m.name == "word/document.xml")
    with pytest.raises(zipfile.BadZipFile):
        member_data(document)  # a template put into the folder by hand: the renderer's reader


@pytest.mark.parametrize(
    "declaration",
    [
        '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE w:document [<!ENTITY x "текст">]>',
    ],
)
def test_a_template_declaring_xml_entities_is_refused(tmp_path, declaration):
    def declare(data: bytes) -> bytes:
        head, _, rest = data.partition(b"?>")
        return head + b"?>" + declaration.encode() + rest.replace(b"<w:t>", b"<w:t>&x;", 1)

    path = tmp_path / "order_pairs.docx"
    path.write_bytes(_with_part("word/document.xml", declare))
    assert check_template(path, "order_pairs") == [
        "В части «word/document.xml» объявлен DOCTYPE (сущности XML): Word его не пишет, а "
        "сущности могут раздуть документ или прочитать файлы сервера. Откройте файл в Word и "
        "сохраните его заново как «Документ Word (*.docx)»."
    ]


LINKED = (
    b'<Relationship Id="rIdLinked" Target="http://192.0.2.1/pixel.png" TargetMode="External" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/>'
)
MACROS = (
    "В файле есть макросы (документ Word с макросами, .docm): документы по такому шаблону Word "
    "не открыл бы. Сохраните шаблон как «Документ Word (*.docx)» — без макросов."
)


def test_a_picture_linked_to_another_server_is_refused(tmp_path):
    """LibreOffice fetched «http://…/pixel.png» when the preview's PDF was made (a GET from the
    server to any address), and Word would at every reader of every document."""
    path = tmp_path / "order_pairs.docx"
    path.write_bytes(
        _with_part(
            "word/_rels/document.xml.rels",
            lambda d: d.replace(b"</Relationships>", LINKED + b"</Relationships>"),
        )
    )
    assert check_template(path, "order_pairs") == [
        "В шаблоне есть ссылка на внешний файл «http://192.0.2.1/pixel.png» (рисунок, объект или "
        "шаблон Word, связанный с файлом, а не вставленный в документ): его открывали бы сервер "
        "при создании PDF и Word у каждого читателя документа. Вставьте рисунок в документ (без "
        "«Связать с файлом») или удалите ссылку."
    ]
    hyperlink = LINKED.replace(b"/image", b"/hyperlink")  # a link in the text stays a link
    path.write_bytes(
        _with_part(
            "word/_rels/document.xml.rels",
            lambda d: d.replace(b"</Relationships>", hyperlink + b"</Relationships>"),
        )
    )
    assert check_template(path, "order_pairs") == []


def test_a_template_with_macros_is_refused(tmp_path):
    main = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    path = tmp_path / "order_pairs.docx"
    path.write_bytes(
        _with_part(
            "[Content_Types].xml",
            lambda d: d.replace(main, b"application/vnd.ms-word.document.macroEnabled.main+xml"),
        )
    )
    assert check_template(path, "order_pairs") == [MACROS]


LETTERHEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rIdT" TargetMode="External" '
    b'Target="file:///C:/Users/secretary/Documents/%D0%91%D0%BB%D0%B0%D0%BD%D0%BA.dotx" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"/>'
    b"</Relationships>"
)


def test_a_template_made_from_the_school_letterhead_is_taken_without_its_link(tmp_path):
    """Word records the letterhead «Бланк.dotx» a document was made from as a link out of the
    file; the check refused every such template («связанный с файлом… удалите ссылку»), which
    the secretary cannot see or remove. It is taken, and no document made carries the link
    (Word would look for «C:/Users/secretary/…» at every reader)."""
    settings = _with_part(
        "word/settings.xml",
        lambda d: d.replace(b"<w:zoom ", b'<w:attachedTemplate r:id="rIdT"/><w:zoom ', 1),
    )
    package = io.BytesIO(settings)
    with zipfile.ZipFile(package, "a") as archive:
        archive.writestr("word/_rels/settings.xml.rels", LETTERHEAD)
    path = tmp_path / "order_pairs.docx"
    path.write_bytes(package.getvalue())
    assert check_template(path, "order_pairs") == []
    made = render_fast(path, sample_context("order_pairs"))
    with zipfile.ZipFile(io.BytesIO(made)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    assert b"attachedTemplate" not in parts["word/settings.xml"]
    assert b"attachedTemplate" not in parts["word/_rels/settings.xml.rels"]
    assert b"<w:zoom " in parts["word/settings.xml"]
    assert "ПРИКАЗ" in docx_text(made)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        # 100,000 nested elements: lxml's «Excessive depth in document: 256, use XML_PARSE_HUGE
        # option, line 2, column 2975 (<string>, line 2)» was the administrator's message
        (lambda d: d.replace(b"<w:body>", b"<w:body>" + b"<w:sdt>" * 100_000, 1), "deep"),
        (lambda d: d.replace(b"</w:body>", b"</w:bod>", 1), "broken"),
    ],
)
def test_a_part_that_is_not_xml_word_reads_is_told_in_russian(tmp_path, change, where):
    path = tmp_path / "order_pairs.docx"
    path.write_bytes(_with_part("word/document.xml", change))
    [problem] = check_template(path, "order_pairs")
    assert problem == (
        "Файл не открывается как документ Word (.docx): часть «word/document.xml» не читается "
        + (
            "как XML: элементы вложены глубже 256 уровней (Word столько не пишет)."
            if where == "deep"
            else "как XML: она повреждена."
        )
        + " Откройте файл в Word и сохраните его заново как «Документ Word (*.docx)»."
    )


def test_a_template_of_a_million_empty_paragraphs_is_refused_unread(tmp_path, monkeypatch):
    """A million empty paragraphs (a 49 KB file, 6 MB of XML) kept the check — and the
    administrator's upload page — busy for over five minutes (lxml moved the removed body node
    by node, quadratic), then 10 s once that was fixed; the 50 MB limit let 8 million through.
    Refused by the paragraphs' count before anything is parsed."""
    from service.documents import check

    parsed: list[int] = []
    monkeypatch.setattr(check, "normalise_docx", lambda data: parsed.append(1) or data)
    path = tmp_path / "order_pairs.docx"
    path.write_bytes(
        _with_part(
            "word/document.xml",
            lambda d: d.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * 1_000_000, 1),
        )
    )
    assert check_template(path, "order_pairs") == [
        "Абзацев в шаблоне — 1\u00a0000\u00a0065, а допускается не больше 50\u00a0000 (в "
        "обычном шаблоне их несколько сотен): уберите из файла лишние пустые абзацы."
    ]
    assert parsed == []


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("{{ org | attr('__class__') }}", "обращение к «__class__» в шаблоне запрещено (служебное "
         "поле)"),
        ("{{ 1 / 0 }}", "деление на ноль"),
        ("{{ [1, 'а'] | sort }}", "сравниваются значения разных видов (str и int)"),
        ("{{ 'абв'[99] }}", "в данных документа нет элемента 99"),
        ("{{ 'а' | round }}", "выражение в теге не вычисляется с этими данными (TypeError: type "
         "str doesn't define __round__ method)"),
    ],
)  # fmt: skip
def test_why_a_template_does_not_render_is_said_in_russian(tmp_path, text, why):
    """attack15: the upload page said «Шаблон не заполняется образцом данных: division by
    zero.», «access to attribute '__class__' of 'dict' object is unsafe.» — Jinja's and
    Python's English; a workbook's report said the same of a template that failed only with
    the school's own data."""
    path = edited(tmp_path, text)
    assert check_template(path, "order_pairs") == [f"Шаблон не заполняется образцом данных: {why}."]
    with pytest.raises(TemplateError) as failed:
        render_template_file(path, sample_context("order_pairs"))
    assert str(failed.value) == f"Шаблон «order_pairs.docx» не заполняется: {why}"


def test_a_clause_that_depends_on_the_number_is_refused_at_install(tmp_path):
    """attack15: a clause under ``{% if doc.number %}`` is not in the text the director reads
    before signing (the number is given when she signs) and stands in the signed document.
    Signing refuses such a version (tests/test_signing_unseen.py); the check says so first."""
    path = edited(tmp_path, "{% if doc.number %}9. Директору выплатить премию.{% endif %}")
    assert check_template(path, "order_pairs") == [
        "Шаблон меняет текст документа, когда при подписи в него вписываются номер и дата: "
        "меняются слова «Директору», «выплатить», «премию». Директор читает документ "
        "перед подписью без номера и даты и подписал бы не тот текст, что прочитал. От номера и "
        "даты (doc.number, doc.date…) может зависеть только их собственная запись: на их месте "
        "до подписи (после {% else %}) оставьте только черту «____», как в стандартном шаблоне, "
        "а остальной текст пишите вне условий {% if doc.number %} и {% if doc.date %} — в "
        "абзаце «9. Директору выплатить премию.»"
    ]
    shown = edited(tmp_path, "{% if doc.number %}№ {{ doc.number }}{% else %}№ ___{% endif %}")
    assert check_template(shown, "order_pairs") == []
