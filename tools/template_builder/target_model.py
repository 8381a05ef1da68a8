"""Template: Программа целевой модели наставничества (seed 001), approved by the director.

The seed text with the organization's data; section 8 lists the forms the school uses (context
``forms``) and keeps the seed's description of «Ученик – ученик», «Учитель – учитель» and
«Учитель – ученик» only for the forms in use.
"""

from __future__ import annotations

from tools.template_builder.common import (
    Doc,
    approval_stamp,
    new_document,
    org_header,
    table,
    title,
)
from tools.template_builder.regulation import IMPLEMENTATION, render_text, right_block
from tools.template_builder.target_model_forms_text import FORMS_TEXT
from tools.template_builder.target_model_monitoring_text import MONITORING_TEXT
from tools.template_builder.target_model_text import TARGET_MODEL_TEXT
from tools.template_builder.text import appendix_lines

VARIANTS = (
    "{% if f.variants %}{% for v in f.variants %}«{{ v }}»{% if not loop.last %}; {% endif %}"
    "{% endfor %}{% else %}—{% endif %}"
)


def forms_in_use(doc: Doc) -> None:
    """The table of forms in use: form and its variants (формы взаимодействия). No count of
    pairs: the programme is approved once a year, and a pair added in January to a form in use
    must not send it to the director again (the order on pairs counts them)."""
    table(
        doc,
        [
            "Форма наставничества",
            "Варианты (формы взаимодействия)",
        ],
        ["«{{ f.name }}»", VARIANTS],
        loop="for f in forms",
        widths=(60, 98),
        numbered=True,
    )


def build_target_model() -> Doc:
    doc = new_document()
    org_header(doc)
    right_block(doc, appendix_lines(3, IMPLEMENTATION))
    approval_stamp(doc)
    title(doc, "ПРОГРАММА ЦЕЛЕВОЙ МОДЕЛИ НАСТАВНИЧЕСТВА", before=12, after=0)
    title(doc, "в {{ org.short_name }} на {{ org.school_year }} учебный год", before=0, after=12)
    render_text(doc, TARGET_MODEL_TEXT)
    render_text(doc, FORMS_TEXT, {"forms": forms_in_use})
    render_text(doc, MONITORING_TEXT)
    return doc


BUILDERS = {"target_model": build_target_model}
