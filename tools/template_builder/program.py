"""Template: the personalized mentorship program of one pair or group (seed 000 §1, §7;
seed 001 §5.3), approved by the director, with its plan of activities."""

from __future__ import annotations

from tools.template_builder.common import (
    CENTER,
    Doc,
    approval_stamp,
    fields_table,
    new_document,
    org_header,
    para,
    section_heading,
    signature_lines,
    table,
    tag,
    title,
)
from tools.template_builder.text import person_label

# the one mentee of a pair agrees with the person: «потребности наставляемой»
MENTEE_NOMN = (
    "{% if pair.is_group %}наставляемые{% else %}"
    "{{ 'наставляемый' | agree(pair.mentees[0]) }}{% endif %}"
)
MENTEE_GENT = (
    "{% if pair.is_group %}наставляемых{% else %}"
    "{{ 'наставляемого' | agree(pair.mentees[0]) }}{% endif %}"
)
# «встреча наставника и наставляемого» in the plan of a pair whose one mentee is a woman or a
# girl: the default stages stay in the register's contexts as they are (a changed context
# would make the pair's signed documents again), the template agrees the word
ONE_MENTEE = "'наставляемого' | agree(pair.mentees[0]) if not pair.is_group else 'наставляемого'"
MENTEES = (
    "{% for m in pair.mentees %}" + person_label("m") + "{% if not loop.last %}; {% endif %}"
    "{% endfor %}"
)
TERM = (
    "с {{ pair.start | date }} по {{ pair.end | date }} "
    "— {{ pair.months | words('месяц', 'месяца', 'месяцев') }}"
)


def sentence(expr: str) -> str:
    """Jinja text printing ``expr`` as a sentence: capital first letter, a full stop unless it
    already ends with one."""
    return "{{ " + expr + " | sentence }}"


REPLACED = "pair.replaced_mentors is defined and pair.replaced_mentors"
"""Whether the pair's mentor was replaced in its term (a version made before the context
had ``replaced_mentors`` renders as it did)."""
MENTOR_AND_REPLACED = (
    person_label("pair.mentor")
    + "{% if "
    + REPLACED
    + " %}, с\u00a0{{ pair.replaced_mentors[0].until | date }}; до этого — "
    "{% for x in pair.replaced_mentors %}"
    + person_label("x")
    + "{% if not loop.last %}, с\u00a0{{ x.since | date }}; ранее — {% endif %}"
    "{% endfor %}{% endif %}"
)
"""The mentor of now and, after a replacement, since when, and who led the pair before her:
«Петрова Анна Сергеевна (учитель математики), с 03 декабря 2026 г.; до этого — Белова Елена
Викторовна (учитель русского языка и литературы)»."""


def pair_rows(replaced: bool = False) -> list[tuple[str, ...]]:
    """The «general data» rows of a pair for :func:`fields_table` (program and report);
    ``replaced``: the mentor's row names those the pair's mentor replaced (the report: it
    covers the pair's whole term; a programme is its mentor's, from the day she took over)."""
    return [
        (
            "{% if pair.is_group %}Наставническая группа{% else %}Наставническая пара{% endif %}",
            "{{ pair.code }}",
        ),
        ("Форма наставничества", "«{{ pair.form }}»"),
        ("Вариант (форма взаимодействия)", "«{{ pair.variant }}»", "pair.variant"),
        ("Вид наставничества", "{{ pair.mode | capfirst }}", "pair.mode"),
        ("Наставник", MENTOR_AND_REPLACED if replaced else person_label("pair.mentor")),
        (
            "{% if pair.is_group %}Наставляемые"
            "{% else %}{{ 'Наставляемый' | agree(pair.mentees[0]) }}{% endif %}",
            MENTEES,
        ),
        ("Срок реализации", TERM),
        ("Куратор", "{{ curator.name }}, {{ curator.position }}"),
    ]


def mentor_and_mentees_signatures() -> list[tuple[str, ...]]:
    return [
        ("Наставник", "{{ pair.mentor.name | initials_first }}"),
        (
            "{{ 'Наставляемый' | agree(m) }}",
            "{{ m.name | initials_first }}",
            "for m in pair.mentees",
        ),
    ]


def build_program() -> Doc:
    doc = new_document()
    org_header(doc)
    approval_stamp(doc)
    title(doc, "ПЕРСОНАЛИЗИРОВАННАЯ ПРОГРАММА НАСТАВНИЧЕСТВА", after=0)
    para(
        doc,
        "{% if pair.is_group %}наставнической группы{% else %}наставнической пары{% endif %} "
        "{{ pair.code }}",
        align=CENTER,
        indent=False,
        bold=True,
        keep_with_next=True,
    )
    para(
        doc,
        "на период с {{ pair.start | date }} по {{ pair.end | date }}",
        align=CENTER,
        indent=False,
        bold=True,
        after=12,
        keep_with_next=True,
    )

    section_heading(doc, "1. Общие сведения")
    rows = pair_rows()
    rows.insert(
        6,
        (
            "Запрос (затруднения) " + MENTEE_GENT,
            "{% for m in pair.mentees if m.request %}"
            "{% if pair.is_group %}{{ m.name | initials }}: {{ m.request | period }}"
            "{% if not loop.last %} {% endif %}"
            "{% else %}{{ m.request | capfirst }}{% endif %}{% endfor %}",
            "has_requests",
        ),
    )
    fields_table(doc, rows)

    section_heading(doc, "2. Цель и задачи программы")
    para(doc, "Цель программы:", keep_with_next=True)
    para(doc, sentence("pair.goal"))
    tag(doc, "if pair.tasks")
    para(doc, "Задачи программы:", keep_with_next=True)
    tag(doc, "for t in pair.tasks")
    para(doc, "{{ loop.index }}) {{ t }}{% if loop.last %}.{% else %};{% endif %}")
    tag(doc, "endfor")
    tag(doc, "else")
    para(
        doc,
        "Задачи программы: выявить профессиональные (образовательные) затруднения и "
        "потребности " + MENTEE_GENT + "; совместно спланировать и провести мероприятия, "
        "направленные на их преодоление и на поддержку сильных сторон " + MENTEE_GENT + "; "
        "оценить динамику результатов на «входе» и «выходе» программы.",
    )
    tag(doc, "endif")

    section_heading(doc, "3. Ожидаемые результаты")
    para(
        doc,
        "{% if pair.expected_results %}" + sentence("pair.expected_results") + "{% else %}"
        "Достижение цели программы; преодоление выявленных затруднений " + MENTEE_GENT + "; "
        "рост вовлечённости и самооценки, снижение тревожности " + MENTEE_GENT + " при "
        "сравнении на «входе» и «выходе» программы.{% endif %}",
    )

    section_heading(doc, "4. План мероприятий")
    table(
        doc,
        [
            "№",
            "Мероприятие",
            "Срок",
            "Форма проведения",
            "Ответ\u00adственный",  # a soft hyphen: the header breaks as «Ответ-ственный»
            "Ожидаемый результат",
        ],
        [
            "{{ item.number }}",
            "{{ item.activity | replace('наставляемого', " + ONE_MENTEE + ") | capfirst }}",
            "{{ item.term }}",
            "{{ item.form | capfirst }}",
            "{{ item.responsible | capfirst }}",
            "{{ item.expected_result | replace('наставляемого', " + ONE_MENTEE + ") | capfirst }}",
        ],
        loop="for item in pair.plan",
        widths=(8, 36, 32, 33, 29, 32),
    )
    para(
        doc,
        "Количество встреч наставник и "
        + MENTEE_NOMN
        + " определяют на встрече-планировании. Срок реализации программы может быть продлён "
        "или её содержание скорректировано по обоюдному согласию наставника и "
        + MENTEE_GENT
        + "; программа может быть завершена досрочно по инициативе наставника, "
        + MENTEE_GENT
        + " или куратора.",
        keep_with_next=True,  # never a page of signatures alone
    )

    signature_lines(
        doc,
        [
            *mentor_and_mentees_signatures(),
            ("Куратор", "{{ curator.name | initials_first }}"),
        ],
        before=24,
        tall=(2,),
    )
    return doc


BUILDERS = {"program": build_program}
