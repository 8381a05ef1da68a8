"""Templates: consents of participants (seed 001 §4.11, seed 000 §3; 152-ФЗ, art. 9).

The data a consent must name by law (art. 9 part 4 of 152-ФЗ: the subject's address and identity
document, the operator, purpose, list of data, actions, term, revocation) are printed when the
workbook gives them and left as a line to fill in by hand otherwise.
"""

from __future__ import annotations

from docx.shared import Mm

from tools.template_builder.common import (
    LEFT,
    Doc,
    new_document,
    para,
    signature_lines,
    tag,
    title,
)
from tools.template_builder.text import DATE_OR_BLANK, person_label

LAW = "Федерального закона от 27 июля 2006 г. № 152-ФЗ «О персональных данных»"
BLANK = "______________________________"


def minor(word: str, person: str) -> str:
    """Jinja text printing «Несовершеннолетний»/«Несовершеннолетнего» (``word``) agreeing with
    the child ``person``: «(далее — Несовершеннолетняя)», «в интересах Несовершеннолетней»."""
    return "{{ '" + word + "' | agree(" + person + ") }}"


def role_gent(person: str) -> str:
    """«в качестве наставника / наставляемой / наставляемого» of the child ``person`` a guardian
    speaks of: «наставляемая» agrees with her, «наставник» is of either gender."""
    return (
        '{% if role == "наставник" %}наставника{% else %}'
        + "{{ 'наставляемого' | agree("
        + person
        + ") }}{% endif %}"
    )


STUDENT = '{% if child.category == "обучающийся" %}'


def feminine(name: str) -> str:
    """A Jinja test that the person ``name`` is a woman (the patronymic, else the first name,
    else the surname: :mod:`service.documents.gender`)."""
    return f"{name} | female"


def own_role_gent(person: str) -> str:
    """«в качестве наставника / наставляемой / наставляемого» of an adult speaking of himself
    («моего участия»): «наставляемая» agrees with the person, «наставник» is of either gender."""
    return (
        '{% if role == "наставник" %}наставника{% else %}'
        + by_gender(f"{person}.name", "наставляемой", "наставляемого")
        + "{% endif %}"
    )


def by_gender(name: str, feminine_form: str, masculine_form: str) -> str:
    """Jinja text printing the word that agrees with the gender of the person ``name``."""
    return (
        "{% if "
        + feminine(name)
        + " %}"
        + feminine_form
        + "{% else %}"
        + masculine_form
        + "{% endif %}"
    )


CHILD_CLASS = "{{ child.position | gent }}"
OPERATOR = (
    "{{ org.short_name }} (полное наименование: {{ org.full_name }}"
    "{% if org.address %}; адрес: {{ org.address }}{% endif %}"
    "{% if org.inn %}; ИНН {{ org.inn }}{% endif %}; далее — Оператор)"
)
ACTIONS = (
    "сбор, запись, систематизация, накопление, хранение, уточнение (обновление, изменение), "
    "извлечение, использование, передача (предоставление, доступ) в случаях, предусмотренных "
    "законодательством Российской Федерации, обезличивание, блокирование, удаление, уничтожение; "
    "обработка осуществляется с использованием средств автоматизации и без их использования."
)
REVOCATION = (
    "согласие может быть отозвано в любое время письменным заявлением, направленным Оператору. "
    "В случае отзыва согласия Оператор вправе продолжить обработку персональных данных без "
    "согласия при наличии оснований, указанных в пунктах 2–11 части 1 статьи 6, части 2 "
    "статьи 10 и части 2 статьи 11 Федерального закона № 152-ФЗ."
)
RIGHTS = "Права субъекта персональных данных, предусмотренные главой 3 " + LAW + ", мне разъяснены."


def _or_blank(expr: str, hint: str = "") -> str:
    """The value of ``expr`` or a line to fill in by hand (with a hint in brackets)."""
    blank = BLANK + (f" ({hint})" if hint else "")
    return "{% if " + expr + " %}{{ " + expr + " }}{% else %}" + blank + "{% endif %}"


def _heading(doc: Doc, first: str, second: str) -> None:
    title(doc, first, before=0, after=0)
    title(doc, second, before=0, after=12)


def build_consent_adult() -> Doc:
    doc = new_document()
    _heading(doc, "СОГЛАСИЕ", "на обработку персональных данных участника программы наставничества")
    para(
        doc,
        "Я, {{ person.name }}, дата рождения: {{ person.birth_date | date }}, адрес: "
        + _or_blank("person.address")
        + ", документ, удостоверяющий личность: "
        + _or_blank("person.identity_document", "вид, серия, номер, кем и когда выдан")
        + ", в соответствии со статьёй 9 "
        + LAW
        + " свободно, своей волей и в своём интересе даю согласие "
        + OPERATOR
        + " на обработку моих персональных данных на следующих условиях.",
        align=LEFT,
    )
    para(
        doc,
        "1. Цель обработки: организация моего участия в программе наставничества (реализации "
        "целевой модели наставничества) {{ org.short_name }} в {{ org.school_year }} учебном году "
        "в качестве " + own_role_gent("person") + ", в том числе формирование базы наставников и "
        "наставляемых, "
        "формирование наставнических пар (групп) и их утверждение приказом руководителя "
        "Оператора, разработка и реализация персонализированных программ наставничества, "
        "мониторинг и оценка их результатов, подготовка отчётов о реализации программы "
        "наставничества.",
    )
    para(
        doc,
        "2. Перечень персональных данных: фамилия, имя, отчество; дата рождения; категория "
        "участника программы; место работы (учёбы), должность или класс; стаж работы; сведения "
        "о профессиональных компетенциях и запросах (затруднениях); контактный телефон, адрес "
        "электронной почты; адрес места жительства; данные документа, удостоверяющего личность; "
        "результаты анкетирования и мониторинга участия в программе наставничества.",
    )
    para(doc, "3. Действия с персональными данными: " + ACTIONS)
    para(
        doc,
        "4. Срок действия: согласие действует со дня его подписания до окончания моего участия "
        "в программе наставничества, а после этого — в течение срока хранения документов, "
        "содержащих персональные данные, установленного законодательством Российской Федерации "
        "об архивном деле.",
    )
    para(doc, "5. Порядок отзыва: " + REVOCATION)
    # the signature on the page of the last words: it went alone to a second page (reader22)
    para(doc, RIGHTS, before=6, keep_with_next=True)
    signature_lines(doc, [(DATE_OR_BLANK, "/ {{ person.name | initials }}")], before=24)
    return doc


def build_consent_guardian() -> Doc:
    doc = new_document()
    _heading(
        doc,
        "СОГЛАСИЕ",
        "законного представителя на обработку персональных данных "
        + by_gender("child.name", "несовершеннолетней и её", "несовершеннолетнего и его")
        + " участие в программе наставничества",
    )
    para(
        doc,
        "Я, {{ guardian.name }}, адрес: "
        + BLANK
        + ", документ, удостоверяющий личность: "
        + BLANK
        + " (вид, серия, номер, кем и когда выдан)"
        "{% if guardian.phone %}, контактный телефон: {{ guardian.phone }}{% endif %}, являясь "
        "законным представителем (родителем, усыновителем, опекуном, попечителем) "
        + by_gender("child.name", "несовершеннолетней", "несовершеннолетнего")
        + " "
        + STUDENT
        + by_gender("child.name", "обучающейся", "обучающегося")
        + " "
        + CHILD_CLASS
        + " {{ org.short_name }} "
        "{% endif %}{{ child.name | gent }}, {{ child.birth_date | date('numeric') }} года "
        "рождения{% if child.address %}, адрес: {{ child.address }}{% endif %} (далее — "
        + minor("Несовершеннолетний", "child")
        + "), что подтверждается документом: "
        + BLANK
        + " (свидетельство о рождении или иной документ), в соответствии со статьёй 64 "
        "Семейного кодекса Российской Федерации и статьёй 9 " + LAW + " свободно, своей волей "
        "и в интересах " + minor("Несовершеннолетнего", "child") + " даю согласие:",
        align=LEFT,
    )
    para(
        doc,
        "1. На участие "
        + minor("Несовершеннолетнего", "child")
        + " в программе наставничества (целевой модели "
        "наставничества), реализуемой {{ org.short_name }} в {{ org.school_year }} учебном году, "
        "в качестве "
        + role_gent("child")
        + ", в том числе во встречах наставника и наставляемого, "
        "мероприятиях плана персонализированной программы наставничества, анкетировании и "
        "мониторинге её результатов.",
    )
    para(
        doc,
        "2. На обработку "
        + OPERATOR
        + " персональных данных "
        + minor("Несовершеннолетнего", "child")
        + ", а также моих персональных данных на "
        "следующих условиях.",
    )
    para(
        doc,
        "2.1. Цель обработки: организация участия "
        + minor("Несовершеннолетнего", "child")
        + " в программе "
        "наставничества, в том числе формирование базы наставников и наставляемых, "
        "формирование наставнических пар (групп) и их утверждение приказом руководителя "
        "Оператора, разработка и реализация персонализированной программы наставничества, "
        "мониторинг и оценка её результатов, подготовка отчётов, связь с законным "
        "представителем.",
    )
    para(
        doc,
        "2.2. Перечень персональных данных "
        + minor("Несовершеннолетнего", "child")
        + ": фамилия, имя, отчество; дата "
        "рождения; класс; категория участника программы; сведения об образовательных запросах "
        "(затруднениях), интересах и достижениях; результаты анкетирования и мониторинга "
        "участия в программе наставничества. Перечень моих персональных данных: фамилия, имя, "
        "отчество; контактный телефон; данные документа, удостоверяющего личность, и документа, "
        "подтверждающего полномочия законного представителя.",
    )
    para(doc, "2.3. Действия с персональными данными: " + ACTIONS)
    para(
        doc,
        "2.4. Срок действия: согласие действует со дня его подписания до окончания участия "
        + minor("Несовершеннолетнего", "child")
        + " в программе наставничества, а после этого — в течение срока "
        "хранения документов, содержащих персональные данные, установленного "
        "законодательством Российской Федерации об архивном деле.",
    )
    para(doc, "2.5. Порядок отзыва: " + REVOCATION)
    para(
        doc,
        "Мне известно, что участие "
        + minor("Несовершеннолетнего", "child")
        + " в программе наставничества является "
        "добровольным. " + RIGHTS,
        before=6,
        keep_with_next=True,
    )
    signature_lines(doc, [(DATE_OR_BLANK, "/ {{ guardian.name | initials }}")], before=24)
    return doc


def _addressee(doc: Doc, lines: list[str]) -> None:
    for line in lines:
        p = para(doc, line, align=LEFT, indent=False)
        p.paragraph_format.left_indent = Mm(75)
    para(doc, "", after=12)


def build_mentor_consent() -> Doc:
    doc = new_document()
    _addressee(
        doc,
        [
            "{{ director.position | datv | capfirst }} {{ org.short_name }}",
            "{{ director.name | datv }}",
            '{% if mentor.category == "обучающийся" %}от '
            + by_gender("mentor.name", "обучающейся", "обучающегося")
            + " {{ mentor.position | gent }}"
            "{% else %}от {{ mentor.position | gent }}{% endif %}",
            "{{ mentor.name | gent }}",
        ],
    )
    _heading(doc, "СОГЛАСИЕ", "на назначение наставником")
    para(
        doc,
        "Я, {{ mentor.name }}"
        '{% if mentor.category != "обучающийся" %}, {{ mentor.position }} {{ org.short_name }}'
        "{% endif %}, в соответствии с Положением о наставничестве в {{ org.short_name }} даю "
        "согласие на назначение меня наставником в рамках реализации целевой модели "
        "наставничества в {{ org.school_year }} учебном году и на возложение на меня "
        "дополнительных обязанностей, связанных с наставнической деятельностью"
        "{% if pairs %}, в отношении "
        "{% if pairs | length > 1 or pairs[0].is_group %}следующих наставляемых"
        "{% else %}"
        + by_gender("pairs[0].mentees[0].name", "наставляемой", "наставляемого")
        + "{% endif %}:{% else %}.{% endif %}",
    )
    tag(doc, "for p in pairs")
    para(
        doc,
        "–\u00a0{% for m in p.mentees %}"
        + person_label("m", "gent")
        + "{% if not loop.last %}, {% endif %}{% endfor %}: наставническая "
        "{% if p.is_group %}группа{% else %}пара{% endif %} {{ p.code }}, форма наставничества "
        "«{{ p.form }}», срок реализации персонализированной программы наставничества "
        "с {{ p.start | date }} по {{ p.end | date }}{% if not loop.last %};{% endif %}",
    )
    tag(doc, "endfor")
    para(
        doc,
        "Положение о наставничестве в {{ org.short_name }}, права и обязанности наставника мне "
        "известны. Мне известно, что я вправе обратиться к куратору и руководителю "
        "{{ org.short_name }} с заявлением о сложении с меня обязанностей наставника.",
        before=6,
        keep_with_next=True,
    )
    signature_lines(doc, [(DATE_OR_BLANK, "/ {{ mentor.name | initials }}")], before=24)
    return doc


BUILDERS = {
    "consent_adult": build_consent_adult,
    "consent_guardian": build_consent_guardian,
    "mentor_consent": build_mentor_consent,
}
