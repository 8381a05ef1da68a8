"""template16: the template check fills a school's template in as its documents really are —
drafted without ``doc.cited`` (and a first order without ``doc.replaces``) and signed on
another day with another number — so a template it accepts is not refused at signing, and does
not fail to render a first order."""

from __future__ import annotations

import io
import shutil
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from service.documents.catalogue import BY_ID
from service.documents.check import check_template_data
from service.documents.problem import Problem
from service.documents.render import render_template_file
from service.documents.sample import sample_context
from service.documents.template_files import (
    SHIPPED,
    install_template,
    list_templates,
    school_template,
)
from service.documents.unchanged import unseen_change
from service.register.db import session_scope
from service.register.reading import register_reader

TEMPLATES = Path(__file__).resolve().parents[1] / "templates_docx"
ADVICE = (
    "Директор читает документ перед подписью без номера и даты и подписал бы не тот текст, что "
    "прочитал. От номера и даты (doc.number, doc.date…) может зависеть только их собственная "
    "запись: на их месте до подписи (после {% else %}) оставьте только черту «____», как в "
    "стандартном шаблоне, а остальной текст пишите вне условий {% if doc.number %} и "
    "{% if doc.date %}"
)


def edited(kind: str, old: str, new: str) -> bytes:
    """The shipped template of ``kind`` with ``old`` in its body replaced, as typed in Word."""
    source = (TEMPLATES / f"{kind}.docx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            part = zin.read(info)
            if info.filename == "word/document.xml":
                assert old.encode() in part
                part = part.replace(old.encode(), new.encode())
            zout.writestr(info, part)
    return out.getvalue()


def signed_words(tmp_path: Path, kind: str, data: bytes, fields: dict) -> list[str]:
    """What signing refuses of a draft of ``data`` (drafted without ``doc.cited``)."""
    path = tmp_path / f"{kind}.docx"
    path.write_bytes(data)
    context = sample_context(kind)
    context = {**context, "doc": {k: v for k, v in context["doc"].items() if k != "cited"}}
    before = render_template_file(path, context)
    after = render_template_file(path, {**context, "doc": {**context["doc"], **fields}})
    shipped = TEMPLATES / f"{kind}.docx"
    return unseen_change(data, shipped, context, fields, before, after)


def test_a_year_typed_in_the_dates_blank_is_refused_at_install(tmp_path):
    """««____» ____________ 2026 г.» as the date's blank passed the check (its sample is signed
    in 2026) and signing refused every order from January 2027: the «2026» the director read
    vanishes. The check says so, and where."""
    data = edited("order_pairs", "«____»\xa0____________\xa020___\xa0г.", "«____» ______ 2026 г.")
    fields = {"number": "1/27", "date": date(2027, 1, 15)}
    assert signed_words(tmp_path, "order_pairs", data, fields) == ["2026"]
    assert [str(p) for p in check_template_data(data, "order_pairs")] == [
        "Шаблон меняет текст документа, когда при подписи в него вписываются номер и дата: "
        f"меняются слова «2026». {ADVICE} — в абзаце ««____» ______ 2026 г. | № _______»"
    ]


def test_the_coordinators_clause_on_an_unsigned_order_reworded_is_refused_at_install(tmp_path):
    """The shipped coordinators' order says «не подписанным на дату настоящего приказа» when
    the order it cites is not signed yet; the check gave its sample a cited order before
    signing (a draft has none) and so never saw a school's rewording of that clause, which
    signing then refused."""
    data = edited("order_coordinators", "не подписанным на дату", "ещё не подписанным на дату")
    fields = {"number": "3/26", "date": date(2026, 12, 2), "cited": {"number": "", "date": ""}}
    unseen = ["ещё", "не", "подписанным", "на", "дату", "настоящего", "приказа"]
    assert signed_words(tmp_path, "order_coordinators", data, fields) == unseen
    (problem,) = check_template_data(data, "order_coordinators")
    assert problem.message == (
        "Шаблон меняет текст документа, когда при подписи в него вписываются номер и дата: "
        f"меняются слова {', '.join(f'«{w}»' for w in unseen)}. {ADVICE}"
    )
    assert problem.paragraph == (
        "3. Куратору внедрения целевой модели наставничества Бутриной Ольге Николаевне "
        "(назначается приказом «О внедрении целевой модели наставничества», ещё не подписанным "
        "на дату настоящего приказа):"
    )


def test_a_template_a_first_order_or_a_draft_does_not_fill_is_refused():
    """``{% if doc.replaces.number %}`` passed the check, whose sample always replaces an
    order, and a first order of the kind could not be made; ``doc.cited`` unguarded likewise
    failed every draft of the coordinators' order (it is given at signing)."""
    first = edited(
        "order_pairs", "{%p if doc.replaces is defined %}", "{%p if doc.replaces.number %}"
    )
    assert [str(p) for p in check_template_data(first, "order_pairs")] == [
        "Шаблон не заполняется данными первого приказа этого вида: в данных документа нет поля "
        "«replaces». Отменяемый приказ (doc.replaces) есть только у приказа, составленного "
        "заново после подписанного, — пишите его под условием, как в стандартном шаблоне: "
        "{% if doc.replaces is defined %}…{% endif %}."
    ]
    cited = edited(
        "order_coordinators",
        "{% if doc.cited is defined and not doc.cited.number %}",
        "{% if not doc.cited.number %}",
    )
    assert [str(p) for p in check_template_data(cited, "order_coordinators")] == [
        "Шаблон не заполняется данными документа до подписи: в данных документа нет поля "
        "«cited». Номер и дата приказа, на который ссылается документ (doc.cited), появляются "
        "только при подписи — пишите их под условием, как в стандартном шаблоне: "
        "{% if doc.cited is defined %}…{% endif %}."
    ]


def test_a_schools_wording_elsewhere_in_the_coordinators_order_is_taken():
    data = edited("order_coordinators", "ПРИКАЗ", "ПРИКАЗ ПО ШКОЛЕ")
    assert check_template_data(data, "order_coordinators") == []


def test_the_paragraph_quoted_names_no_number_of_the_checks_own():
    """A clause under ``{% if doc.number %}`` is refused with its paragraph as the check signed
    it: «… приказ 118-од от 15 февраля 2027 г.» read as if the school had an order 118-од
    (left17). The check's own number and date are told as «[номер]» and «[дата]»."""
    clause = (
        "{{ org.locality }}{% if doc.date and doc.date.year > 2026 %}. Приказ № {{ doc.number }} "
        "от {{ doc.date | date }} ({{ doc.date | date('numeric') }}) вступает в силу{% endif %}"
    )
    data = edited("order_pairs", "{{ org.locality }}", clause)
    [problem] = check_template_data(data, "order_pairs")
    assert problem.message.startswith("Шаблон меняет текст документа, когда при подписи")
    assert problem.paragraph == (
        "с. Идринское. Приказ № [номер] от [дата] ([дата]) вступает в силу"
    )


@pytest.mark.parametrize(
    "tag",
    [
        "{{ " + "(" * 150 + "1" + ")" * 150 + " }}",  # Jinja's parser: RecursionError
        "{{ org.locality" + "|upper" * 450 + " }}",  # its code generator: RecursionError
        "{{ org.locality" + "|upper" * 300 + " }}",  # Python: too many nested parentheses
        "{% if 1 %}" * 100 + "x" + "{% endif %}" * 100,  # Python: too many levels of indentation
        "{{ org.locality" + "|upper" * 120 + " }}",  # compiled in seconds, growing as depth²
    ],
)
def test_a_tag_nested_too_deep_is_refused_saying_so(tag):
    """A hostile template's tag of hundreds of brackets, filters or conditions stopped the check
    with RecursionError or SyntaxError: «Внутренняя ошибка сервиса» on the upload, a traceback
    from ``nastavnik template check`` (left17). It is refused with what is wrong, and where."""
    data = edited("order_pairs", "{{ org.locality }}", tag + "{{ org.locality }}")
    assert check_template_data(data, "order_pairs") == [
        Problem(
            "Шаблон не читается: метки в нём вложены одна в другую слишком глубоко — десятки "
            "или сотни скобок, фильтров, условий или циклов друг в друге. Так шаблоны не "
            "пишут, и служба не может прочитать такую метку. Упростите её: в стандартном "
            "шаблоне метки вложены не глубже нескольких уровней.",
            tag + "{{ org.locality }}",
        )
    ]


def test_a_render_stopped_by_recursion_says_what_is_wrong_with_the_template():
    """«Шаблон не заполняется образцом данных: слишком глубокая вложенность» did not say of
    what (left17)."""
    from service.documents.render_errors import render_failure

    assert render_failure(RecursionError("maximum recursion depth exceeded")) == (
        "метки шаблона вложены одна в другую слишком глубоко (десятки или сотни скобок, "
        "фильтров, условий или циклов друг в друге) — упростите их"
    )


def test_the_check_compares_with_the_homes_standard_templates(settings, tmp_path):
    """The check compared a school's template with the program's own ``templates_docx/``
    while signing compares it with the home's ``templates_dir`` (left20): in a home whose
    standard coordinators' order says «ещё не подписанным», that standard template was listed
    with a problem, and a school's template keeping the program's «не подписанным» was
    installed and then refused at every signing. The check now compares with the same file
    signing does."""
    standard = tmp_path / "standard"
    shutil.copytree(TEMPLATES, standard)
    reworded = edited("order_coordinators", "не подписанным на дату", "ещё не подписанным на дату")
    (standard / "order_coordinators.docx").write_bytes(reworded)
    home = replace(settings, templates_dir=standard)
    with register_reader(home.database_url) as read:
        states = {state.kind.id: state for state in list_templates(read, home)}
    assert states["order_coordinators"].source == SHIPPED
    assert states["order_coordinators"].problems == ()

    own = edited("order_coordinators", "ПРИКАЗ", "ПРИКАЗ ПО ШКОЛЕ")  # the program's clause
    fields = {"number": "3/26", "date": date(2026, 12, 2), "cited": {"number": "", "date": ""}}
    context = sample_context("order_coordinators")
    draft = {**context, "doc": {k: v for k, v in context["doc"].items() if k != "cited"}}
    path = tmp_path / "own.docx"
    path.write_bytes(own)
    before = render_template_file(path, draft)
    after = render_template_file(path, {**draft, "doc": {**draft["doc"], **fields}})
    shipped = standard / "order_coordinators.docx"
    assert unseen_change(own, shipped, draft, fields, before, after)  # as signing compares
    with session_scope(home.database_url) as session:
        (problem,) = install_template(session, home, "order_coordinators", own, "admin")
    assert problem.message.startswith("Шаблон меняет текст документа, когда при подписи")
    assert not school_template(home, BY_ID["order_coordinators"]).exists()
