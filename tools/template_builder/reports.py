"""Templates: the mentor's report on one program (seed 001 §7) and the curator's final analytical
report (seed 000 §3; monitoring and SWOT of seed 001 §6 and program §9; the 70 % target of the
order in seed 001)."""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Pt

from tools.template_builder.common import (
    CENTER,
    LEFT,
    TABLE_SIZE,
    Doc,
    _cant_split,
    _narrow_cell_margins,
    fields_table,
    new_document,
    org_header,
    para,
    section_heading,
    set_widths,
    signature_block,
    signature_lines,
    table,
    tag,
    title,
)
from tools.template_builder.program import (
    MENTEE_GENT,
    mentor_and_mentees_signatures,
    pair_rows,
    sentence,
)
from tools.template_builder.text import DATE_OR_BLANK, typography

HAND = "_" * 62
SCORE_HEADERS = ["Показатель", "На «входе»", "На «выходе»", "Динамика"]
SCORE_WIDTHS = (70, 33, 33, 34)
ANXIETY_NOTE = (
    "{% if has_anxiety %} Снижение показателя тревожности означает положительную динамику."
    "{% endif %}"
)
SHARE = '{{ stats.share_percent | string | replace(".", ",") }}\u00a0%'
HAS_SHARE = 'stats.share_percent != ""'


def _text_or_lines(doc: Doc, expr: str, *, keep_with_next: bool = False) -> None:
    """``expr`` as a sentence, or two lines to fill in by hand when it is empty.

    ``keep_with_next`` keeps the text on the page of what follows (the signatures)."""
    para(
        doc,
        "{% if " + expr + " %}" + sentence(expr) + "{% else %}" + HAND + "{% endif %}",
        keep_with_next=keep_with_next,
    )
    tag(doc, "if not " + expr)
    para(doc, HAND, indent=False, keep_with_next=keep_with_next)
    tag(doc, "endif")


def build_report_pair() -> Doc:
    doc = new_document()
    org_header(doc)
    title(doc, "ОТЧЁТ НАСТАВНИКА", after=0)
    para(
        doc,
        "о реализации персонализированной программы наставничества "
        "{% if pair.is_group %}наставнической группы{% else %}наставнической пары{% endif %} "
        "{{ pair.code }}",
        align=CENTER,
        indent=False,
        bold=True,
        after=12,
    )
    section_heading(
        doc,
        "1. Сведения о наставнической {% if pair.is_group %}группе{% else %}паре{% endif %}",
    )
    fields_table(doc, pair_rows(replaced=True))

    section_heading(doc, "2. Статус реализации программы")
    para(
        doc,
        "Персонализированная программа наставничества {{ result.status }}."
        '{% if result.status != "завершена" and result.reason %} Причина: '
        "{{ result.reason | period }}{% endif %}",
    )
    section_heading(doc, "3. Достигнутые результаты")
    para(doc, sentence("result.achieved"))

    tag(doc, "if result.scores")
    section_heading(doc, "4. Результаты мониторинга")
    para(
        doc,
        "Сравнение показателей " + MENTEE_GENT + " на «входе» и «выходе» программы (по шкале "
        "от 1 до 10 баллов)." + ANXIETY_NOTE,
        keep_with_next=True,
    )
    _score_table(doc, "result.scores")
    tag(doc, "endif")

    section_heading(doc, "{% if result.scores %}5{% else %}4{% endif %}. Выводы")
    _text_or_lines(doc, "result.conclusions")
    section_heading(doc, "{% if result.scores %}6{% else %}5{% endif %}. Предложения")
    _text_or_lines(doc, "result.proposals", keep_with_next=True)

    para(doc, DATE_OR_BLANK, align=LEFT, indent=False, before=18, keep_with_next=True)
    signature_lines(
        doc,
        [mentor_and_mentees_signatures()[0], ("Куратор", "{{ curator.name | initials_first }}")],
        before=6,
        tall=(1,),
    )
    return doc


def _subheading(doc: Doc, text: str) -> None:
    para(doc, text, align=LEFT, bold=True, indent=False, before=6, after=6, keep_with_next=True)


def _figures(doc: Doc) -> None:
    section_heading(doc, "1. Количественные показатели")
    fields_table(
        doc,
        [
            ("Наставнических пар и групп, всего", "{{ stats.pairs_total }}"),
            ("в том числе наставнических групп", "{{ stats.groups_total }}"),
            ("Наставников", "{{ stats.mentors_total }}"),
            ("Наставляемых", "{{ stats.mentees_total }}"),
            ("Участников программы наставничества, всего", "{{ stats.participants_total }}"),
            ("Обучающихся, вовлечённых в наставничество", "{{ stats.students_involved }}"),
            (
                "Обучающихся в организации, всего",
                '{% if stats.students_total != "" %}{{ stats.students_total }}'
                "{% else %}не указано{% endif %}",
            ),
            (
                "Доля обучающихся, вовлечённых в наставничество",
                "{% if " + HAS_SHARE + " %}" + SHARE + "{% else %}не может быть рассчитана"
                "{% endif %}",
            ),
            ("Целевое значение доли", "не менее {{ stats.target_percent }}\u00a0%"),
        ],
        widths=(110, 60),
    )
    tag(doc, "if stats.by_form")
    _subheading(doc, "1.1. Распределение по формам наставничества")
    table(
        doc,
        ["Форма наставничества", "Пар и групп", "Наставников", "Наставляемых"],
        ["«{{ f.form }}»", "{{ f.pairs }}", "{{ f.mentors }}", "{{ f.mentees }}"],
        loop="for f in stats.by_form",
        widths=(70, 30, 34, 36),
    )
    tag(doc, "endif")
    tag(doc, "if stats.by_category")
    _subheading(doc, "1.2. Распределение участников по категориям")
    table(
        doc,
        ["Роль", "Категория", "Количество"],
        ["{{ c.role | capfirst }}", "{{ c.category | capfirst }}", "{{ c.count }}"],
        loop="for c in stats.by_category",
        widths=(50, 90, 30),
    )
    tag(doc, "endif")
    tag(doc, "if stats.by_status")
    _subheading(doc, "1.3. Статус персонализированных программ наставничества")
    table(
        doc,
        ["Статус программы", "Пар и групп"],
        ["{{ s.status | capfirst }}", "{{ s.count }}"],
        loop="for s in stats.by_status",
        widths=(120, 50),
    )
    tag(doc, "endif")


def _target(doc: Doc) -> None:
    section_heading(doc, "2. Вовлечённость обучающихся: целевой показатель")
    para(
        doc,
        "{% if " + HAS_SHARE + " %}Доля обучающихся {{ org.short_name }}, вовлечённых в "
        "различные формы сопровождения и наставничества, составляет " + SHARE + " "
        "({{ stats.students_involved }} из {{ stats.students_total }}) при целевом значении не "
        "менее {{ stats.target_percent }}\u00a0%, установленном показателем регионального "
        "проекта «Современная школа» национального проекта «Образование». Целевое значение "
        "{% if stats.target_met %}достигнуто{% else %}не достигнуто{% endif %}."
        "{% else %}Долю обучающихся, вовлечённых в различные формы сопровождения и "
        "наставничества, рассчитать невозможно: в исходных данных не указано общее число "
        "обучающихся {{ org.short_name }}. Вовлечено обучающихся: {{ stats.students_involved }}; "
        "целевое значение — не менее {{ stats.target_percent }}\u00a0%.{% endif %}",
    )


HAS_SWOT = "swot.strengths or swot.weaknesses or swot.opportunities or swot.threats"
"""Whether any pair's «Итоги» gave the SWOT: without it the report says none was given, not
that one was made (play11: «проведён SWOT-анализ» over four «сведения не представлены»)."""


def _swot_cell(cell, heading: str, key: str) -> None:
    """One quadrant of the SWOT table: bold heading and the items of ``swot.<key>``."""
    texts = [
        heading,
        "{%p for x in swot." + key + " %}",
        "–\u00a0{{ x }}",
        "{%p else %}",
        "сведения не представлены",
        "{%p endfor %}",
    ]
    for i, text in enumerate(texts):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if i == 0:
            p.alignment = CENTER
        run = p.add_run(typography(text))
        run.font.size = Pt(TABLE_SIZE)
        run.bold = i == 0


def _swot(doc: Doc) -> None:
    section_heading(doc, "4. SWOT-анализ программы наставничества")
    para(
        doc,
        "{% if " + HAS_SWOT + " %}По результатам анкетирования участников программы "
        "наставничества проведён SWOT-анализ реализуемой программы.{% else %}Сведения для "
        "SWOT-анализа программы (сильные и слабые стороны, возможности, угрозы) в итогах "
        "наставнических пар и групп не представлены.{% endif %}",
        keep_with_next=True,
    )
    t = doc.add_table(rows=2, cols=2)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _narrow_cell_margins(t)
    for row in t.rows:
        _cant_split(row)
    quadrants = (
        ("Сильные стороны", "strengths"),
        ("Слабые стороны", "weaknesses"),
        ("Возможности", "opportunities"),
        ("Угрозы", "threats"),
    )
    for i, (heading, key) in enumerate(quadrants):
        _swot_cell(t.rows[i // 2].cells[i % 2], heading, key)
    set_widths(t, (85, 85))
    para(doc, "", after=6)


MENTOR_CELL = (
    "{{ p.mentor.name | initials(33) }}{% if p.left is defined and p.left.mentors %} ("
    "{% if p.replaced_mentors is defined and p.replaced_mentors %}с\u00a0"
    "{{ p.replaced_mentors[0].until | date('numeric') }}; {% endif %}ранее\u00a0— "
    "{% for n in p.left.mentors %}{{ n | initials(33) }}{% if not loop.last %}, {% endif %}"
    "{% endfor %}){% endif %}"
)
"""A pair's mentor now and, after a replacement, since when and who led it earlier in the year:
«Петрова А.С. (с 03.12.2026; ранее — Белова Е.В.)»."""
MENTEES_CELL = (
    "{% for m in p.mentees %}{{ m.name | initials(32) }}{% if not loop.last %}, {% endif %}"
    "{% endfor %}{% if p.left is defined %}{% for m in p.left.mentees %}, "
    "{{ m.name | initials(32) }} ({{ m.left }}){% endfor %}{% endif %}"
)
"""A pair's mentees now, then those who left it during the year («Алиев Р.Т. (выбыл)»).
Both cells ask ``is defined``: a version made before ``left`` was kept renders as it did.
``initials(33)``, ``initials(32)``: the columns' widths inside their padding (35 and 34 mm, 1 mm
each side): a name wider breaks between surname and initials, not inside them (left22b).
A name that fits renders as before, so a report made before keeps its version."""


def _pairs(doc: Doc) -> None:
    section_heading(doc, "5. Реализация персонализированных программ наставничества")
    tag(doc, "if pairs")
    table(
        doc,
        ["Пара (группа), форма", "Наставник", "Наставляемые", "Статус программы", "Результаты"],
        [
            "{{ p.code }}, «{{ p.form | replace(' – ', '\u00a0– ') }}»",
            MENTOR_CELL,
            MENTEES_CELL,
            "{% if p.result %}{{ p.result.status | capfirst }}{% elif p.unreported is defined "
            "and p.unreported %}{{ p.unreported | capfirst }}{% else %}Итоги не представлены"
            "{% endif %}",
            "{% if p.result %}{{ p.result.achieved | capfirst }}{% else %}—{% endif %}",
        ],
        loop="for p in pairs",
        # 12 pt Times inside 1-mm padding: «Бондаренко О.Т.» (30.1 mm) and ««Руководитель –»
        # (30.2 mm) broke in 32-mm columns (reader22); «представлены)» needs 26.5 mm,
        # «профессионального» 35.7 mm
        widths=(33, 35, 34, 29, 39),
    )
    tag(doc, "else")
    para(doc, "Наставнические пары и группы не сформированы.")
    tag(doc, "endif")


def _conclusions(doc: Doc) -> None:
    section_heading(doc, "6. Выводы")
    para(
        doc,
        "1. {% if stats.pairs_total %}В {{ org.school_year }} учебном году в {{ org.short_name }} "
        "реализовывались персонализированные программы наставничества: наставнических пар и "
        "групп — {{ stats.pairs_total }}, участников — {{ stats.participants_total }} "
        "(наставников — {{ stats.mentors_total }}, наставляемых — {{ stats.mentees_total }})."
        "{% else %}В {{ org.school_year }} учебном году наставнические пары и группы в "
        "{{ org.short_name }} не сформированы.{% endif %}",
    )
    para(
        doc,
        "2. {% if " + HAS_SHARE + " %}{% if stats.target_met %}Целевой показатель вовлечённости "
        "обучающихся в различные формы сопровождения и наставничества (не менее "
        "{{ stats.target_percent }}\u00a0%) достигнут (" + SHARE + "); необходимо сохранить "
        "достигнутый уровень.{% else %}Целевой показатель вовлечённости обучающихся в "
        "различные формы сопровождения и наставничества (не менее {{ stats.target_percent }}"
        "\u00a0%) не достигнут (" + SHARE + "); необходимо расширить охват обучающихся "
        "формами наставничества «Ученик – ученик» и «Учитель – ученик», привлечь наставников "
        "из внешней среды.{% endif %}{% else %}Оценить достижение целевого показателя "
        "вовлечённости обучающихся (не менее {{ stats.target_percent }}\u00a0%) невозможно: "
        "необходимо указать общее число обучающихся.{% endif %}",
    )
    para(
        doc,
        "3. {% if monitoring %}Результаты мониторинга на «входе» и «выходе» программ (раздел 3) "
        "показывают динамику личностных характеристик участников и учитываются при "
        "формировании наставнических пар и групп на следующий учебный год.{% else %}Мониторинг "
        "на «входе» и «выходе» программ необходимо проводить дважды за период наставничества "
        "(промежуточный и итоговый) и фиксировать его результаты.{% endif %}",
    )
    para(
        doc,
        "4. {% if " + HAS_SWOT + " %}Сильные стороны и возможности, выявленные SWOT-анализом, "
        "следует сохранить и использовать, слабые стороны и угрозы — учесть при планировании "
        "работы по наставничеству на следующий учебный год.{% else %}SWOT-анализ программы "
        "наставничества необходимо провести по результатам анкетирования участников и учесть "
        "при планировании работы по наставничеству на следующий учебный год.{% endif %}",
    )
    para(
        doc,
        "5. Рекомендуется продолжить реализацию целевой модели наставничества, обобщить лучшие "
        "практики наставничества и разместить сведения о реализованных программах на "
        "официальном сайте {{ org.short_name }}{% if org.website %} ({{ org.website }})"
        "{% endif %}.",
        keep_with_next=True,  # the date and signatures began a page with no text (reader22)
    )


def build_report_final() -> Doc:
    doc = new_document()
    org_header(doc)
    title(doc, "ИТОГОВЫЙ АНАЛИТИЧЕСКИЙ ОТЧЁТ", after=0)
    para(
        doc,
        "о реализации системы наставничества в {{ org.short_name }} "
        "за {{ org.school_year }} учебный год",
        align=CENTER,
        indent=False,
        bold=True,
        after=12,
    )
    para(
        doc,
        "Отчёт подготовлен куратором внедрения целевой модели наставничества по итогам мониторинга "
        "реализации персонализированных программ наставничества (сравнение показателей "
        "участников на «входе» и «выходе» программ) и SWOT-анализа.",
    )
    _figures(doc)
    _target(doc)

    section_heading(doc, "3. Результаты мониторинга на «входе» и «выходе»")
    tag(doc, "if monitoring")
    para(
        doc,
        "Средние значения показателей участников программ наставничества (по шкале от 1 до 10 "
        "баллов)." + ANXIETY_NOTE,
        keep_with_next=True,
    )
    _score_table(doc, "monitoring")
    tag(doc, "else")
    para(doc, "Данные мониторинга на «входе» и «выходе» программ не представлены.")
    tag(doc, "endif")

    _swot(doc)
    _pairs(doc)
    _conclusions(doc)

    para(doc, DATE_OR_BLANK, align=LEFT, indent=False, before=18, keep_with_next=True)
    # the curator's and the director's signatures on one page (the director's was alone on a
    # page of its own, reader17)
    signature_block(doc, "curator", before=12, keep_with_next=True)
    signature_block(doc, "director", before=12)
    return doc


BUILDERS = {"report_pair": build_report_pair, "report_final": build_report_final}


def _score_table(doc: Doc, rows: str) -> None:
    """Indicator, entry, exit, change — one row per item of the Jinja list ``rows``."""
    table(
        doc,
        SCORE_HEADERS,
        ["{{ s.label }}", "{{ s.entry }}", "{{ s.exit }}", "{{ s.delta }}"],
        loop=f"for s in {rows}",
        widths=SCORE_WIDTHS,
    )
