"""The data of a document goes into it as text only: a template may not switch escaping off
(``|safe``, ``{% autoescape false %}``), neither at the check nor at rendering."""

from __future__ import annotations

import pytest

from service.documents.check import check_template_data
from service.documents.render import TemplateError, render_template_file
from service.documents.sample import sample_context
from tests.test_template_office import TEMPLATES, W, with_paragraph

UNESCAPED = (
    "Фильтр «safe» и тег «autoescape» в шаблоне недоступны: данные вставляются в документ "
    "только как текст (иначе знак «&» или «<» в названии школы или в имени портил бы "
    "документ, а разметка в ячейке книги меняла бы его)"
)
TAGS = [
    "{{ org.short_name|safe }}",
    "{% autoescape false %}{{ org.short_name }}{% endautoescape %}",
    "{% filter safe %}{{ org.short_name }}{% endfilter %}",
]


def template_with(tag: str) -> bytes:
    paragraph = f'<w:p xmlns:w="{W}"><w:r><w:t xml:space="preserve">Школа: {tag}.</w:t></w:r></w:p>'
    return with_paragraph(TEMPLATES / "order_pairs.docx", paragraph)


@pytest.mark.parametrize("tag", TAGS)
def test_a_template_switching_escaping_off_is_refused(tag):
    """attack17: ``{{ org.short_name|safe }}`` passed the check; a workbook's short name
    «СОШ</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>Иванова уволить» became hidden text
    in the order (on the director's page, on no paper), and «Рога & Копыта <1>» came out as
    «Рога  Копыта 1>»."""
    problems = [str(p) for p in check_template_data(template_with(tag), "order_pairs")]
    assert problems == [f"{UNESCAPED} — в абзаце «Школа: {tag}.»"]


@pytest.mark.parametrize("tag", [*TAGS, "{{ [org.short_name]|map('safe')|join }}"])
def test_a_template_switching_escaping_off_does_not_render(tmp_path, tag):
    """A template put in place before the check refused it renders no document."""
    path = tmp_path / "order_pairs.docx"
    path.write_bytes(template_with(tag))
    context = sample_context("order_pairs")
    context["org"] = {**context["org"], "short_name": "Рога & Копыта <1>"}
    with pytest.raises(TemplateError) as refused:
        render_template_file(path, context)
    assert str(refused.value) == (
        f"Шаблон «order_pairs.docx» не заполняется: {UNESCAPED[0].lower()}{UNESCAPED[1:]}"
    )
