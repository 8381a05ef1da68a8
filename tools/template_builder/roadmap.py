"""Template: Дорожная карта внедрения системы наставничества, approved by the director.

The stages come from the workbook (context ``roadmap``); without a sheet the register gives the
seven stages of the roadmap at the end of seed 000. The curator develops the roadmap (seed 000,
§3), the director approves it.
"""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.shared import Mm

from tools.template_builder.common import (
    Doc,
    approval_stamp,
    new_document,
    org_header,
    para,
    table,
    title,
)
from tools.template_builder.regulation import IMPLEMENTATION, right_block
from tools.template_builder.text import appendix_lines


def build_roadmap() -> Doc:
    doc = new_document()
    # a six-column plan needs the width of a landscape page (the margins stay those of ГОСТ)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    org_header(doc)
    right_block(doc, appendix_lines(1, IMPLEMENTATION))
    approval_stamp(doc)
    title(doc, "ДОРОЖНАЯ КАРТА", before=12, after=0)
    title(doc, "внедрения системы наставничества в {{ org.short_name }}", before=0, after=0)
    title(doc, "на {{ org.school_year }} учебный год", before=0, after=12)
    para(
        doc,
        "Дорожная карта (план мероприятий) определяет этапы внедрения целевой модели "
        "наставничества в {{ org.short_name }}, содержание мероприятий, сроки их проведения, "
        "ответственных и ожидаемые результаты. Освещение мероприятий дорожной карты "
        "осуществляется на всех этапах на официальном сайте {{ org.short_name }}"
        "{% if org.website %} ({{ org.website }}){% endif %} и в социальных сетях.",
        after=6,
    )
    table(
        doc,
        ["№ п/п", "Этап", "Мероприятия", "Сроки", "Ответственный", "Результат"],
        [
            "{{ r.number }}",
            "{{ r.stage | capfirst }}",
            "{{ r.activities | capfirst }}",
            "{{ r.term }}",
            "{{ r.responsible | capfirst }}",
            "{{ r.result | capfirst }}",
        ],
        loop="for r in roadmap",
        widths=(12, 45, 90, 32, 38, 40),
    )
    return doc


BUILDERS = {"roadmap": build_roadmap}
