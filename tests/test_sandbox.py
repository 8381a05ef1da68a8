"""The template sandbox's bounds on texts a few characters of a tag can make (no DOCX needed:
the documents and the template check render in this same environment)."""

from __future__ import annotations

import pytest
from jinja2.exceptions import SecurityError

from service.documents.filters import make_environment

LONG = "{% set s = 'ш' * 100000 %}"
TEXT = "даёт текст длиннее 10\u00a0000\u00a0000 знаков"


def render(source: str) -> str:
    return make_environment().from_string(source).render()


@pytest.mark.parametrize(
    ("source", "message"),
    [
        # each tag doubles the text: twenty of them made 100 GB
        (LONG + "{% set s = s ~ s %}" * 7 + "{{ s | length }}", f"соединение («~») {TEXT}"),
        (LONG + "{% set t = range(99) | join(s) %}{{ (t + t) | length }}",
         f"сложение («+») {TEXT}"),
        # 10 000 steps of 100 000 letters: 1 GB of a part
        (LONG + "{% for i in range(10000) %}{{ s }}{% endfor %}",
         "шаблон даёт текст длиннее 200\u00a0000\u00a0000 знаков"),
        (LONG + "{{ range(10000) | join(s) | length }}", f"фильтр «join» {TEXT}"),
        (LONG + "{{ s | replace('', s) | length }}", f"фильтр «replace» {TEXT}"),
        ("{{ ('\\n' * 99999) | indent(99999) | length }}", f"фильтр «indent» {TEXT}"),
        ("{{ '%0999999999d' | format(1) }}",
         "фильтр «format» с шириной больше 99\u00a0999 знаков недоступен"),
        ("{{ '%*d' | format(99999, 1) }}",
         "фильтр «format» с шириной больше 99\u00a0999 знаков недоступен"),
        ("{{ 'ш' | center(99999 * 99999) }}", "число 9999800001 в фильтре больше 100\u00a0000"),
        ("{{ [1] | batch(99999 * 99999) | list | length }}",
         "число 9999800001 в фильтре больше 100\u00a0000"),
    ],
)  # fmt: skip
def test_a_text_made_too_long_stops_the_rendering(source, message):
    with pytest.raises(SecurityError) as raised:
        render(source)
    assert str(raised.value) == message


def test_the_filters_and_operators_of_ordinary_templates_work_as_before():
    source = (
        "{{ 'а' ~ 'б' ~ 1 }}|{{ ['1', '2'] | join(', ') }}|{{ 'x y' | replace(' ', '-') }}|"
        "{{ 'а\\nб' | indent(2) }}|{{ '%05.1f' | format(3.14159) }}|{{ 'аб' | center(6) }}|"
        "{{ [1, 2, 3] | batch(2) | list }}|{{ 'Иван' + 'ов' }}|{{ 1 + 2 }}|"
        "{{ ['а'] | map('center', 3) | join }}|{{ '<b>' ~ 'x' }}"
    )
    assert render(source) == (
        "аб1|1, 2|x-y|а\n  б|003.1|  аб  |[[1, 2], [3]]|Иванов|3| а |&lt;b&gt;x"
    )


def test_range_is_still_a_sequence():
    """``range`` counted its steps but lost what Python's has: ``|last``, an index, a slice
    (the templates rendered these before the bounds came)."""
    source = (
        "{{ range(5) | last }} {{ range(5)[1] }} {{ range(1, 5)[1:] | list }} {{ 3 in range(5) }}"
        " {{ range(5) is sequence }} {{ range(5)[::-1] | list }}"
    )
    assert render(source) == "4 1 [2, 3, 4] True True [4, 3, 2, 1, 0]"


def test_a_slice_of_range_is_counted_too():
    with pytest.raises(SecurityError):
        render(
            "{% for i in range(99999)[::1] %}{% for j in range(99999)[:] %}{% endfor %}{% endfor %}"
        )


def test_a_join_by_attribute_counts_the_field_joined():
    """``join(attribute=…)`` makes a text of the fields, not of the whole rows: 300 pairs
    with long texts beside their names are joined by name."""
    rows = [{"name": f"Иванов {n}", "about": "ш" * 50000} for n in range(300)]
    names = make_environment().from_string("{{ rows | join(', ', attribute='name') }}")
    assert names.render(rows=rows).startswith("Иванов 0, Иванов 1, ")
