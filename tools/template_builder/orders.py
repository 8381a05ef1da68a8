"""Templates: the five orders of the section-12 set (seed 001, §12, items 2 and 5–8).

Layout of order 93/24 (seed 001): organization, ПРИКАЗ, date and number, place, title,
preamble, «ПРИКАЗЫВАЮ:», numbered points, the control point, signature, «С приказом
ознакомлены» with every person the order charges with something (the signing director is not
listed). Points are numbered in the text, so that conditional paragraphs never break numbering.
"""

from __future__ import annotations

from tools.template_builder.common import (
    CENTER,
    TABLE_SIZE,
    Doc,
    _cell_text,
    acquaintance_list,
    new_document,
    order_header,
    order_points_intro,
    page_break,
    para,
    signature_block,
    table,
    tag,
    title,
)
from tools.template_builder.regulation import DOC_DATE, DOC_NUMBER, right_block
from tools.template_builder.text import person_label

NB = "\u00a0"
# The order of the Ministry that introduced the target model (cited by order 93/24, seed 001).
P145 = (
    f"Министерства просвещения Российской Федерации от 25.12.2019 №{NB}Р-145 "
    "«Об утверждении методологии (целевой модели) наставничества обучающихся для организаций, "
    "осуществляющих образовательную деятельность по общеобразовательным, дополнительным "
    "общеобразовательным и программам среднего профессионального образования, в том числе "
    "с применением лучших практик обмена опытом между обучающимися»"
)
ORG = "{{ org.short_name }}"
YEAR = "{{ org.school_year }}"
CURATOR_ACCS = "{{ curator.name | accs }}, {{ curator.position | accs }}"
CURATOR_DATV = "{{ curator.name | datv }}"
# the curator is appointed once, by the implementation order (as order 93/24 of seed 001 does),
# cited by its number and date (``doc.cited``, filled when the director signs this order:
# the implementation order signed by then, or — not signed yet — a text with no blanks)
IMPLEMENTATION = "«О внедрении целевой модели наставничества»"
CURATOR_APPOINTED = (
    "{% if doc.cited is defined and not doc.cited.number %}"
    f"назначается приказом {IMPLEMENTATION}, не подписанным на дату настоящего приказа"
    "{% else %}{{ 'назначен' | agree(curator) }} приказом от "
    "{% if doc.cited is defined %}{{ doc.cited.date | date('numeric') }}"
    f" №{NB}{{{{ doc.cited.number }}}}"
    f"{{% else %}}«____»{NB}____________{NB}20___{NB}г. №{NB}_______{{% endif %}} "
    f"{IMPLEMENTATION}{{% endif %}}"
)
REGULATION = f"Положением о наставничестве в {ORG}"
CONTROL_SELF = "Контроль за исполнением настоящего приказа оставляю за собой."


def points(doc: Doc, *texts: str) -> None:
    """Numbered points and sub-points of an order; the number is part of the text."""
    for text in texts:
        para(doc, text, keep_with_next=text.endswith(":"))


def closing_points(doc: Doc, number: int, order_title: str, control: str = CONTROL_SELF) -> None:
    """The point «Признать утратившим силу» (only in an order made again after its signed
    version: ``doc.replaces``) and the control point after it, numbered on."""
    tag(doc, "if doc.replaces is defined")
    points(
        doc,
        f"{number}. Признать утратившим силу приказ {ORG} от {{{{ doc.replaces.date | date }}}} "
        f"№ {{{{ doc.replaces.number }}}} «{order_title}».",
    )
    tag(doc, "endif")
    points(
        doc,
        "{% if doc.replaces is defined %}"
        f"{number + 1}{{% else %}}{number}{{% endif %}}. {control}",
    )
    # the last point on the page of the signature: the director's signature began a page with
    # none of the order's text (reader22, the order approving the pairs)
    doc.paragraphs[-1].paragraph_format.keep_with_next = True


def appendix(doc: Doc, number: int, heading: str, subheading: str = "") -> None:
    """A new page with «Приложение N к приказу … от … №» and the appendix title."""
    page_break(doc)
    right_block(doc, [f"Приложение {number}", f"к приказу {ORG}", f"от {DOC_DATE} {DOC_NUMBER}"])
    title(doc, heading, before=12, after=0 if subheading else 12)
    if subheading:
        title(doc, subheading, before=0, after=12)


def build_order_implementation() -> Doc:
    doc = new_document()
    order_header(doc, "О внедрении целевой модели наставничества")
    para(
        doc,
        f"На основании распоряжения {P145}, с целью достижения результата показателя "
        "регионального проекта «Современная школа» национального проекта «Образование» "
        f"«Не менее 70{NB}% обучающихся общеобразовательных организаций вовлечены в различные "
        "формы сопровождения и наставничества»,",
    )
    order_points_intro(doc)
    points(
        doc,
        f"1. Внедрить в {ORG} целевую модель наставничества.",
        f"2. Назначить куратором внедрения целевой модели наставничества {CURATOR_ACCS}.",
        "3. Утвердить:",
        f"3.1. Дорожную карту внедрения системы наставничества в {ORG} на {YEAR} учебный год "
        "(приложение 1);",
        f"3.2. Положение о наставничестве в {ORG} на {YEAR} учебный год (приложение 2);",
        f"3.3. Программу целевой модели наставничества в {ORG} на {YEAR} учебный год "
        "(приложение 3).",
    )
    closing_points(
        doc,
        4,
        "О внедрении целевой модели наставничества",
        "Контроль за исполнением настоящего приказа возложить на "
        "{{ director.name | accs }}, {{ director.position | accs }} " + ORG + ".",
    )
    signature_block(doc)
    acquaintance_list(doc)
    return doc


def build_order_coordinators() -> Doc:
    doc = new_document()
    order_header(
        doc, "О назначении координатора и кураторов внедрения целевой модели наставничества"
    )
    para(
        doc,
        f"В соответствии с распоряжением {P145}, {REGULATION}, в целях организации внедрения "
        f"целевой модели наставничества в {ORG} в {YEAR} учебном году,",
    )
    order_points_intro(doc)
    points(
        doc,
        "1. {% if coordinator %}Назначить координатором внедрения целевой модели наставничества "
        f"в {ORG} на {YEAR} учебный год "
        "{{ coordinator.name | accs }}, {{ coordinator.position | accs }}.{% else %}Возложить "
        f"обязанности координатора внедрения целевой модели наставничества в {ORG} на {YEAR} "
        f"учебный год на куратора внедрения целевой модели наставничества {CURATOR_ACCS} "
        f"({CURATOR_APPOINTED}).{{% endif %}}",
        "2. {% if coordinator %}Координатору внедрения целевой модели наставничества "
        "{{ coordinator.name | datv }}{% else %}Куратору внедрения целевой модели наставничества "
        "{{ curator.name | datv }} в части обязанностей координатора{% endif %}:",
        f"2.1. обеспечить организацию программы наставничества в {ORG} в целом и всего цикла "
        "программы наставничества;",
        "2.2. {% if coordinator %}совместно с куратором {% endif %}сформировать базу "
        "наставников и базу наставляемых и актуализировать их в зависимости от потребностей "
        "школы и участников образовательных отношений;",
        "2.3. организовать обучение наставников, в том числе с привлечением экспертов для "
        "проведения обучения;",
        "2.4. осуществлять контроль процедуры внедрения целевой модели наставничества и "
        "проведения программ наставничества;",
        "2.5. решать организационные вопросы, возникающие в процессе реализации целевой модели "
        "наставничества;",
        "2.6. провести SWOT-анализ реализуемой программы наставничества по результатам первого "
        "этапа мониторинга.",
        f"3. Куратору внедрения целевой модели наставничества {CURATOR_DATV}"
        "{% if coordinator %} (" + CURATOR_APPOINTED + "){% endif %}:",
        f"3.1. осуществлять руководство деятельностью наставничества в {ORG};",
        "3.2. обеспечить разработку программ наставничества в соответствии с выбранными формами, "
        "формирование наставнических пар (групп) и реализацию наставнического цикла;",
        f"3.3. разработать дорожную карту внедрения системы наставничества в {ORG};",
        "3.4. не реже одного раза в год актуализировать сведения об обучающихся и педагогах, "
        "которых необходимо включить в наставническую деятельность в качестве наставляемых;",
        "3.5. вести банк (персонифицированный учёт) наставников и наставляемых, формировать банк "
        "персонализированных программ наставничества, описывать наиболее успешный опыт;",
        "3.6. обеспечить получение согласий участников программ наставничества на обработку "
        "персональных данных и согласий родителей (законных представителей) "
        "несовершеннолетних участников;",
        "3.7. проводить совместно с наставниками мониторинг реализации программ наставничества "
        "два раза за период наставничества: промежуточный и итоговый;",
        "3.8. осуществлять оценку вовлечённости обучающихся и педагогов в различные формы "
        "наставничества, формировать итоговый аналитический отчёт о реализации системы "
        "наставничества, фиксировать данные о количестве участников программ наставничества.",
        "4. {% if coordinator %}Координатору и куратору{% else %}Куратору{% endif %} "
        f"руководствоваться в работе {REGULATION} и Программой целевой модели наставничества "
        f"в {ORG}.",
    )
    closing_points(
        doc, 5, "О назначении координатора и кураторов внедрения целевой модели наставничества"
    )
    signature_block(doc)
    acquaintance_list(doc)
    return doc


def build_order_training() -> Doc:
    doc = new_document()
    order_header(
        doc, "Об организации обучения наставников, утверждении программы и графика обучения"
    )
    para(
        doc,
        f"В соответствии с {REGULATION}, дорожной картой внедрения системы наставничества в "
        f"{ORG} на {YEAR} учебный год, в целях подготовки наставников к работе с наставляемыми,",
    )
    order_points_intro(doc)
    points(
        doc,
        f"1. Организовать в {YEAR} учебном году обучение наставников {ORG} для работы с "
        "наставляемыми.",
        "2. Утвердить программу и график обучения наставников{% if total_hours %} общим "
        "объёмом {{ total_hours | plural('час', 'часа', 'часов') }}{% endif %} (приложение 1).",
        "3. Утвердить список наставников, направляемых на обучение (приложение 2).",
        f"4. Возложить ответственность за организацию обучения наставников на {CURATOR_ACCS}.",
        f"5. Куратору внедрения целевой модели наставничества {CURATOR_DATV}:",
        "5.1. обеспечить проведение обучения в соответствии с утверждёнными программой и графиком;",
        "5.2. подготовить методические материалы для сопровождения наставнической деятельности;",
        "5.3. организовать консультации и обмен опытом среди наставников («установочные "
        "сессии» наставников);",
        "5.4. вести учёт прохождения обучения наставниками.",
        "6. Наставникам, указанным в приложении 2, пройти обучение в сроки, установленные "
        "графиком обучения.",
    )
    closing_points(
        doc, 7, "Об организации обучения наставников, утверждении программы и графика обучения"
    )
    signature_block(doc)
    acquaintance_list(doc)

    appendix(doc, 1, "Программа и график обучения наставников", f"на {YEAR} учебный год")
    t = table(
        doc,
        ["№ п/п", "Тема", "Дата", "Часов", "Форма", "Ответственный"],
        [
            "{{ t.number }}",
            "{{ t.topic | capfirst }}",
            "{{ t.date | date }}",
            "{{ t.hours }}",
            "{{ t.form | capfirst }}",
            "{{ t.responsible }}",
        ],
        loop="for t in trainings",
        widths=(10, 50, 34, 14, 26, 36),
    )
    total = t.add_row().cells
    label = total[0].merge(total[2])
    _cell_text(label, "Итого", bold=True, align=CENTER, size=TABLE_SIZE)
    _cell_text(total[3], "{{ total_hours }}", bold=True, size=TABLE_SIZE)
    total[4].merge(total[5])

    appendix(doc, 2, "Список наставников, направляемых на обучение")
    table(
        doc,
        ["ФИО", "Должность (класс), место работы", "Категория"],
        [
            "{{ m.name }}",
            "{{ m.post | capfirst }}",
            "{{ m.category | agree(m) | capfirst }}",
        ],
        loop="for m in mentors",
        widths=(58, 62, 38),
        numbered=True,
    )
    return doc


PAIR_MENTOR = (
    person_label("p.mentor", cell=True)
    + "{% if p.replaced_mentors is defined and p.replaced_mentors %}, с\u00a0"
    "{{ p.replaced_mentors[0].until | date('numeric') }}; до этого — "
    "{% for x in p.replaced_mentors %}"
    + person_label("x", cell=True)
    + "{% if not loop.last %}, с\u00a0{{ x.since | date('numeric') }}; ранее — {% endif %}"
    "{% endfor %}{% endif %}"
)
"""The mentor of now and, after a replacement in the pair's term, since when and who led it
before her: an order made again names both (it voids the one that approved the first)."""
PAIR_MENTEES = (
    "{% for m in p.mentees %}"
    + person_label("m", cell=True)
    + "{% if not loop.last %}; {% endif %}{% endfor %}"
)
# a dash inside a form's name never starts a line
FORM = "{{ p.form | replace(' – ', '\u00a0– ') }}"
VARIANT = "{{ p.variant | replace(' – ', '\u00a0– ') }}"
PAIR_FORM = (
    f"«{FORM}»{{% if p.variant %}}, вариант «{VARIANT}»{{% endif %}}"
    "{% if p.mode %}; вид: {{ p.mode }}{% endif %}"
)
PAIR_TERM = (
    "с {{ p.start | date('numeric') }} по {{ p.end | date('numeric') }} "
    "({{ p.months | plural('месяц', 'месяца', 'месяцев') }})"
)
HAS_EXTERNAL = "has_external_mentors"


def build_order_pairs() -> Doc:
    doc = new_document()
    order_header(doc, "Об утверждении наставников и наставнических пар/групп")
    para(
        doc,
        f"В соответствии с {REGULATION}, Программой целевой модели наставничества в {ORG}, на "
        "основании письменных согласий педагогических работников на назначение наставниками, "
        "согласий участников программ наставничества и родителей (законных представителей) "
        "несовершеннолетних участников на обработку персональных данных и участие в программе "
        "наставничества, с учётом сформированных на добровольной основе наставнических пар "
        "(групп),",
    )
    order_points_intro(doc)
    points(
        doc,
        f"1. Утвердить наставников и наставнические пары (группы) {ORG} на {YEAR} учебный год:",
    )
    table(
        doc,
        ["Код пары", "Наставник", "Наставляемые", "Форма, вариант, вид наставничества", "Сроки"],
        ["{{ p.code }}", PAIR_MENTOR, PAIR_MENTEES, PAIR_FORM, PAIR_TERM],
        loop="for p in pairs",
        widths=(16, 38, 38, 48, 30),
    )
    points(
        doc,
        "2. Наставникам:",
        "2.1. разработать совместно с наставляемыми персонализированные программы "
        "наставничества с планом мероприятий и представить их на утверждение;",
        "2.2. организовать взаимодействие с наставляемыми по этапам, установленным пунктом 5.3 "
        f"Положения о наставничестве в {ORG}: организационная встреча, пробная рабочая встреча, "
        "встреча-планирование, регулярные встречи, заключительная встреча;",
        "2.3. по завершении персонализированной программы наставничества подвести её итоги и "
        "представить куратору отчёт о проделанной работе с выводами и предложениями.",
        f"3. Куратору внедрения целевой модели наставничества {CURATOR_DATV}:",
        "3.1. обеспечить хранение письменных согласий участников наставнических пар (групп), "
        "в том числе согласий родителей (законных представителей) несовершеннолетних "
        "участников, и письменных согласий педагогических работников на назначение "
        "наставниками;",
        "3.2. провести совместно с наставниками мониторинг реализации программ наставничества "
        "два раза за период наставничества: промежуточный и итоговый"
        f"{{% if {HAS_EXTERNAL} %}};{{% else %}}.{{% endif %}}",
    )
    tag(doc, f"if {HAS_EXTERNAL}")
    points(
        doc,
        "3.3. заключить с наставниками, приглашёнными из внешней среды, договоры о "
        "сотрудничестве на безвозмездной основе.",
    )
    tag(doc, "endif")
    closing_points(doc, 4, "Об утверждении наставников и наставнических пар/групп")
    signature_block(doc)
    acquaintance_list(doc)
    return doc


def build_order_final_event() -> Doc:
    doc = new_document()
    order_header(
        doc, "О проведении итогового мероприятия в рамках реализации целевой модели наставничества"
    )
    para(
        doc,
        f"В соответствии с {REGULATION}, дорожной картой внедрения системы наставничества в "
        f"{ORG} на {YEAR} учебный год, в целях подведения итогов реализации программ "
        "наставничества, выявления и распространения лучших практик наставничества и "
        "популяризации роли наставника,",
    )
    order_points_intro(doc)
    points(
        doc,
        "1. Провести {{ event.date | date }} итоговое мероприятие в рамках реализации целевой "
        f"модели наставничества в {ORG} в форме {{{{ event.form | gent }}}}"
        "{% if event.place %} (место проведения: {{ event.place }}){% endif %}.",
        "2. Возложить ответственность за подготовку и проведение итогового мероприятия на "
        "{{ event.responsible | accs }}.",
        "3. {{ 'Ответственному' | agree(event.responsible) }} за проведение итогового мероприятия:",
        "3.1. разработать программу итогового мероприятия и обеспечить его подготовку;",
        "3.2. обеспечить участие в итоговом мероприятии наставников и наставляемых всех "
        "наставнических пар (групп){% if pairs_count %} — "
        "{{ pairs_count | plural('пара (группа)', 'пары (группы)', 'пар (групп)') }}"
        "{% if participants_count %}, "
        "{{ participants_count | plural('участник', 'участника', 'участников') }}{% endif %}"
        "{% endif %};",
        "3.3. организовать представление наставническими парами (группами) результатов "
        "реализации персонализированных программ наставничества, выявление лучших практик "
        "наставничества и пополнение методической копилки практик наставничества;",
        "3.4. подготовить предложения о поощрении наставников (награждение школьными грамотами "
        "«Лучший наставник», направление благодарственных писем родителям наставников из числа "
        "обучающихся).",
        f"4. Куратору внедрения целевой модели наставничества {CURATOR_DATV}:",
        "4.1. до проведения итогового мероприятия провести итоговый мониторинг реализации "
        "программ наставничества (анкетирование участников) и сравнение характеристик "
        "участников на «входе» и «выходе» программ;",
        f"4.2. подготовить итоговый аналитический отчёт о реализации системы наставничества в "
        f"{ORG}, в том числе о доле обучающихся, вовлечённых в различные формы наставничества, "
        f"в сравнении с целевым показателем 70{NB}%;",
        f"4.3. разместить информацию об итогах мероприятия на официальном сайте {ORG}"
        "{% if org.website %} ({{ org.website }}){% endif %} в специальном разделе (рубрике), "
        "посвящённом наставничеству.",
        "5. Наставникам представить на итоговом мероприятии результаты реализации "
        "персонализированных программ наставничества и отчёты о проделанной работе с выводами "
        "и предложениями.",
    )
    closing_points(
        doc,
        6,
        "О проведении итогового мероприятия в рамках реализации целевой модели наставничества",
    )
    signature_block(doc)
    acquaintance_list(doc)
    return doc


BUILDERS = {
    "order_implementation": build_order_implementation,
    "order_coordinators": build_order_coordinators,
    "order_training": build_order_training,
    "order_pairs": build_order_pairs,
    "order_final_event": build_order_final_event,
}
