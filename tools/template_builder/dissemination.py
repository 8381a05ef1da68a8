"""Template: consent to the dissemination of personal data (152-ФЗ, art. 10.1).

Publishing participants' data on the school's site (the roadmap's information stage, the final
event order's point on the results) needs a consent of its own, separate from the consent to
processing (from 01.09.2025 every consent is a separate document). Its content follows the
requirements of Приказ Роскомнадзора от 24.02.2021 № 18: the subject and contact details, the
operator (name, address, ИНН), the information resource (the site's address), the purpose, the
categories and list of data allowed, the conditions and bans the subject sets, the conditions
of transfer, the term. A minor's guardian signs for the child, the data subject: the child's
address has its own line.
"""

from __future__ import annotations

from tools.template_builder.common import (
    LEFT,
    Doc,
    new_document,
    para,
    signature_lines,
    title,
)
from tools.template_builder.consents import (
    BLANK,
    LAW,
    OPERATOR,
    _or_blank,
    by_gender,
    minor,
    own_role_gent,
    role_gent,
)
from tools.template_builder.regulation import static_table
from tools.template_builder.text import DATE_OR_BLANK

CHILD_GENT = minor("Несовершеннолетнего", "person")
SUBJECT = (
    "{% if guardian %}персональных данных "
    + CHILD_GENT
    + "{% else %}моих персональных данных{% endif %}"
)
SITE = (
    "{% if org.website %}{% if '://' not in org.website %}https://{% endif %}{{ org.website }}"
    "{% else %}" + BLANK + " (адрес сайта){% endif %}"
)
DATA_ROWS = (
    ("Персональные данные", "фамилия, имя, отчество"),
    ("Персональные данные", "класс (для обучающегося) или должность и место работы"),
    (
        "Персональные данные",
        "роль в программе наставничества (наставник, наставляемый), форма наставничества, "
        "наставническая пара (группа)",
    ),
    (
        "Персональные данные",
        "сведения о результатах и достижениях в программе наставничества, участие в "
        "итоговом мероприятии",
    ),
    (
        "Биометрические персональные данные",
        "фотографическое изображение, видеозапись участия в мероприятиях программы наставничества",
    ),
)


def build_consent_dissemination() -> Doc:
    doc = new_document()
    title(doc, "СОГЛАСИЕ", before=0, after=0)
    title(
        doc,
        "на обработку персональных данных, разрешённых субъектом персональных данных для "
        "распространения",
        before=0,
        after=12,
    )
    para(
        doc,
        "{% if guardian %}Я, {{ guardian.name }}, контактный телефон: "
        + _or_blank("guardian.phone")
        + ", являясь законным представителем "
        + by_gender("person.name", "несовершеннолетней", "несовершеннолетнего")
        + " {{ person.name | gent }}, {{ person.birth_date | date('numeric') }} года рождения, "
        + by_gender("person.name", "проживающей", "проживающего")
        + " по адресу: "
        + _or_blank(
            "person.address",
            "адрес места жительства " + minor("несовершеннолетнего", "person"),
        )
        + " (далее — "
        + minor("Несовершеннолетний", "person")
        + "), в соответствии со статьёй 64 Семейного кодекса "
        "Российской Федерации и{% else %}Я, {{ person.name }}, "
        "{{ person.birth_date | date('numeric') }} года рождения, "
        "{{ 'проживающий' | agree(person) }} по адресу: "
        + _or_blank("person.address")
        + ", контактный телефон: "
        + _or_blank("person.phone")
        + "{% if person.email %}, адрес электронной почты: {{ person.email }}{% endif %}, "
        "в соответствии со{% endif %} статьёй 10.1 "
        + LAW
        + ", заявляю о согласии на распространение "
        + OPERATOR
        + " "
        + SUBJECT
        + " с целью размещения информации о реализации целевой модели "
        "наставничества в {{ org.short_name }} в {{ org.school_year }} учебном году ("
        "{% if guardian %}об участии " + CHILD_GENT + "{% else %}о моём участии{% endif %} в "
        "программе "
        "наставничества в качестве {% if guardian %}"
        + role_gent("person")
        + "{% else %}"
        + own_role_gent("person")
        + "{% endif %}, о наставнических парах (группах), "
        "итоговом мероприятии и лучших практиках наставничества) на официальном сайте "
        "Оператора в следующем порядке.",
        align=LEFT,
    )
    para(
        doc,
        "1. Сведения об информационном ресурсе Оператора, посредством которого будет "
        "осуществляться предоставление доступа неограниченному кругу лиц и иные действия с "
        "персональными данными: " + SITE + " (официальный сайт {{ org.short_name }}, раздел "
        "«Наставничество»).",
    )
    para(
        doc,
        "2. Категории и перечень персональных данных, на распространение которых даётся "
        "согласие (в третьем столбце — «да» или «нет», в четвёртом — условия и запреты, если я "
        "их устанавливаю):",
        keep_with_next=True,
    )
    static_table(
        doc,
        [
            [
                ["Категория персональных данных"],
                ["Перечень персональных данных"],
                ["Разрешаю к распространению (да / нет)"],
                ["Условия и запреты"],
            ],
            *[[[category], [items], [""], [""]] for category, items in DATA_ROWS],
        ],
        (34, 58, 38, 40),
    )
    para(
        doc,
        "3. Специальные категории персональных данных (сведения о состоянии здоровья, "
        "национальной принадлежности, религиозных убеждениях и иные) к распространению не "
        "разрешаются.",
    )
    para(
        doc,
        "4. Условия, при которых полученные персональные данные могут передаваться Оператором "
        "только по его внутренней сети, обеспечивающей доступ к информации лишь для строго "
        "определённых сотрудников, либо с использованием информационно-телекоммуникационных "
        "сетей, либо без передачи полученных персональных данных: "
        + BLANK
        + " (не устанавливаю / устанавливаю — указать какие).",
        # flush left, as the openings with their blanks: justified, the line before the blank
        # spread four words over its width (reader22)
        align=LEFT,
    )
    para(
        doc,
        "5. Срок действия: согласие действует со дня его подписания до окончания "
        "{% if guardian %}участия " + CHILD_GENT + "{% else %}моего участия{% endif %} в "
        "программе наставничества, а после этого — до дня отзыва в письменной форме.",
    )
    para(
        doc,
        "6. Мне известно, что я вправе в любое время потребовать прекратить распространение "
        "персональных данных, письменно обратившись к Оператору (часть 12 статьи 10.1 "
        "Федерального закона № 152-ФЗ); действие согласия прекращается с момента поступления "
        "Оператору такого требования (часть 14 статьи 10.1). Настоящее согласие дано отдельно от "
        "иных согласий на обработку персональных данных.",
        keep_with_next=True,
    )
    signature_lines(
        doc,
        [
            (
                DATE_OR_BLANK,
                "/ {% if guardian %}{{ guardian.name | initials }}"
                "{% else %}{{ person.name | initials }}{% endif %}",
            )
        ],
        before=24,
    )
    return doc


BUILDERS = {"consent_dissemination": build_consent_dissemination}
