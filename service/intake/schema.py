"""Every sheet and column of the intake workbook (INTAKE.md), declared once, as data.

The reader, the blank-workbook writer and its instruction sheet all work from these
declarations: adding a column means adding one :class:`Column` here (what a column and a sheet
are: :mod:`service.intake.columns`).
"""

from __future__ import annotations

import re

from service.intake import vocabulary as voc
from service.intake.columns import Column, Kind, Sheet
from service.intake.normalise import header_key

PARAMETER_HEADER = "Параметр"
VALUE_HEADER = "Значение"
NOTE_HEADER = "Пояснение"
INSTRUCTION_SHEET = "Инструкция"
LISTS_SHEET = "Списки"
IGNORED_SHEETS = frozenset(header_key(n) for n in (INSTRUCTION_SHEET, LISTS_SHEET))
IGNORED_HEADERS = frozenset(header_key(h) for h in ("№", "№ п/п", "п/п", "N", "No", "Номер"))
"""Row-numbering columns people add; read silently as nothing."""

POINTS = ("баллов", "балла", "балл.", "балл", "б.", "б", "из 10", "(из 10)", "/10")
"""A score written with its scale: «7 баллов», «7 из 10», «7/10»."""
SCORE = {"kind": Kind.INT, "minimum": 1, "maximum": 10, "width": 12, "units": POINTS}
YEARS = ("лет", "года", "год", "г.", "г")
PERSONS = ("человек", "чел.", "чел")
_HOUR_WORDS = ("часов", "часа", "час", "ч.", "ч")
HOURS = _HOUR_WORDS + tuple(
    f"{academic}{space}{word}"
    for academic in ("академических", "академического", "академический", "акад.", "ак.")
    for space in (" ", "")
    if space or academic.endswith(".")
    for word in _HOUR_WORDS
)
"""«4 ч», «4 часа»; programmes count academic hours: «72 академических часа», «4 ак. ч»."""
C = Column
SEX_HELP = (
    "Нужен, когда пол не понять по ФИО (нет отчества, имя вроде «Саша», «Женя» или "
    "иностранное: «Ким Сон Хи»): по нему склоняется ФИО и пишется «наставляемая», "
    "«ознакомлена». Если пусто — пол определяется по ФИО."
)


def _named_as_event(word: str) -> tuple[str, ...]:
    """How offices name a parameter of the final event: «Дата проведения», «Место
    мероприятия», «Форма проведения итогового мероприятия»."""
    return tuple(
        f"{word} {what}".strip()
        for how in ("", "проведения")
        for event in ("", "мероприятия", "итогового мероприятия")
        if (what := f"{how} {event}".strip())
    )


# fmt: off
# One line per column reads like the table in INTAKE.md; keep it that way.
ORGANIZATION = Sheet(
    "Организация", "organization", key_value=True,
    help="Сведения о школе: попадают в шапку и подписи всех документов. Заполняется один раз; "
    "если сведения не менялись, в следующих книгах лист можно не заполнять.",
    columns=(
        C("Полное наименование", "full_name", required=True, help="Как в уставе школы.",
          example="«Муниципальное бюджетное общеобразовательное учреждение Идринская средняя "
          "общеобразовательная школа»"),
        C("Краткое наименование", "short_name", required=True, example="«МБОУ Идринская СОШ»"),
        C("Населённый пункт", "locality", required=True, example="«с. Идринское»",
          help="Место составления документов."),
        C("Адрес", "address", example="«662680, Красноярский край, с. Идринское, ул. Мира, 1»"),
        C("ИНН", "inn", example="«2415001234»"),
        C("ОГРН", "ogrn", example="«1022401000000»", help="Печатается в реквизитах договора."),
        C("Руководитель (ФИО)", "head_name", Kind.NAME, required=True,
          aliases=("Руководитель", "ФИО руководителя", "ФИО директора")),
        C("Должность руководителя", "head_position", help="Если пусто — «Директор».",
          aliases=("Должность директора",)),
        C("Куратор (ФИО)", "curator_name", Kind.NAME, required=True,
          aliases=("Куратор", "ФИО куратора")),
        C("Должность куратора", "curator_position", required=True,
          example="«заместитель директора по учебно-воспитательной работе»"),
        C("Координатор (ФИО)", "coordinator_name", Kind.NAME,
          aliases=("Координатор", "ФИО координатора")),
        C("Должность координатора", "coordinator_position", example="«педагог-психолог»"),
        C("Учебный год", "school_year", Kind.SCHOOL_YEAR, required=True),
        C("Всего обучающихся", "students_total", Kind.INT, minimum=0, units=PERSONS,
          aliases=("Всего учащихся", "Количество обучающихся", "Число обучающихся"),
          help="Нужно для расчёта доли обучающихся, вовлечённых в наставничество (цель — 70 %)."),
        C("Всего педагогов", "teachers_total", Kind.INT, minimum=0, units=PERSONS,
          aliases=("Количество педагогов", "Число педагогов")),
        C("Сайт", "website", help="Где публикуются сведения об участниках: называется в согласии "
          "на распространение персональных данных.", example="«https://school.example.ru»"),
        C("Положение принято педсоветом (дата)", "regulation_adopted_on", Kind.DATE,
          help="Печатается в блоке «ПРИНЯТО» положения; если пусто, блок не печатается."),
        C("Положение принято педсоветом (протокол №)", "regulation_protocol",
          example="«5»"),
    ),
)

FULL_NAME_ALIASES = (
    "Ф.И.О.", "Ф. И. О.", "Фамилия, имя, отчество", "Фамилия имя отчество", "ФИО полностью",
)
"""How offices head the column of names («Ф.И.О.» in most school forms)."""

MENTORS = Sheet(
    "Наставники", "mentors", help="Один наставник — одна строка.",
    columns=(
        C("Код", "code", width=10, help="Любой уникальный код, например «Н-01». "
          "Нужен, если в школе есть полные тёзки."),
        C("ФИО", "full_name", Kind.NAME, required=True, width=32,
          aliases=(*FULL_NAME_ALIASES, "ФИО наставника")),
        C("Пол", "sex", Kind.SEX, width=8, help=SEX_HELP),
        C("Дата рождения", "birth_date", Kind.DATE, required=True, width=14),
        C("Категория", "category", Kind.CHOICE, required=True, choices=voc.MENTOR_CATEGORIES,
          width=26),
        C("Должность или класс", "position", required=True, width=26,
          example="«учитель математики», «10 Б», у наставника на пенсии — «пенсионер»",
          aliases=("Должность", "Класс")),
        C("Место работы", "workplace", width=26,
          example="«ООО „Агро-Идра“»", help="Для внешнего наставника указывается в договоре о "
          "сотрудничестве; у наставника на пенсии может отсутствовать."),
        C("Внешний наставник", "is_external", Kind.YES_NO, required=True, width=12,
          help="«да» — наставник не работает в школе: с ним заключается договор.",
          aliases=("Внешний", "Внешний/внутренний", "Внешний / внутренний")),
        C("Стаж (лет)", "experience_years", Kind.NUMBER, minimum=0, units=YEARS, width=10,
          aliases=("Стаж",)),
        C("Компетенции", "competences", width=30),
        C("Телефон", "phone", width=18),
        C("E-mail", "email", aliases=("Email", "Эл. почта", "Электронная почта"), width=22),
        C("Адрес", "address", width=30),
        C("Документ, удостоверяющий личность", "identity_document", width=36,
          condition="для внешних наставников",
          example="«паспорт 04 12 345678, выдан ГУ МВД России по Красноярскому краю 01.02.2020»",
          help="Для внешнего наставника обязательно: вид, серия, номер, кем и когда выдан."),
        C("Законный представитель (ФИО)", "guardian_name", Kind.NAME, width=30,
          condition="для наставника младше 18 лет",
          aliases=("Законный представитель", "ФИО законного представителя")),
    ),
)

MENTEES = Sheet(
    "Наставляемые", "mentees", help="Один наставляемый — одна строка.",
    columns=(
        C("Код", "code", width=10, help="Любой уникальный код, например «У-01»."),
        C("ФИО", "full_name", Kind.NAME, required=True, width=32,
          aliases=(*FULL_NAME_ALIASES, "ФИО наставляемого")),
        C("Пол", "sex", Kind.SEX, width=8, help=SEX_HELP),
        C("Дата рождения", "birth_date", Kind.DATE, required=True, width=14),
        C("Категория", "category", Kind.CHOICE, required=True, choices=voc.MENTEE_CATEGORIES,
          width=26),
        C("Класс или должность", "position", required=True, width=22,
          example="«8 Б» или «учитель истории»", aliases=("Класс", "Должность")),
        C("Запрос (затруднения)", "request", width=36, aliases=("Запрос", "Затруднения"),
          help="С чем наставляемому нужна помощь."),
        C("Законный представитель (ФИО)", "guardian_name", Kind.NAME, width=30,
          condition="для наставляемого младше 18 лет",
          aliases=("Законный представитель", "ФИО законного представителя")),
        C("Телефон представителя", "guardian_phone", width=18),
    ),
)

PAIRS = Sheet(
    "Пары", "pairs", aliases=("Пары и группы",),
    help="Одна наставническая пара или группа — одна строка.",
    columns=(
        C("Код пары", "code", required=True, width=10,
          help="Уникальный код, например «П-01»: по нему к паре относятся строки листов «План» "
          "и «Итоги»."),
        C("Наставник", "mentor_ref", Kind.REF, required=True, width=30,
          aliases=("ФИО наставника",),
          help="ФИО (или Код) наставника с листа «Наставники» или уже внесённого в реестр."),
        C("Наставляемые", "mentee_refs", Kind.REFS, required=True, width=40,
          aliases=("Наставляемый", "ФИО наставляемого", "ФИО наставляемых"),
          help="ФИО (или Коды) через «;». Несколько наставляемых — это группа."),
        C("Форма", "form", Kind.CHOICE, required=True, choices=voc.FORMS, width=30,
          aliases=("Форма наставничества",)),
        C("Вариант", "variant", width=34, example="«Опытный педагог – молодой специалист»"),
        C("Вид", "mode", Kind.CHOICE, choices=voc.MODES, width=16,
          help=f"Если пусто — «{voc.DEFAULT_MODE}»."),
        C("Дата начала", "start", Kind.DATE, required=True, width=14),
        C("Дата окончания", "end", Kind.DATE, required=True, width=14,
          help="Программа длится от 3 месяцев до 1 года."),
        C("Цель", "goal", required=True, width=40,
          example="«адаптация молодого специалиста в коллективе»"),
        C("Задачи", "tasks", Kind.LINES, width=40, help="Через «;» или каждая с новой строки."),
        C("Ожидаемые результаты", "expected_results", width=40),
    ),
)

PLAN = Sheet(
    "План", "plan", aliases=("План мероприятий",),
    help="Необязательный лист: мероприятия программ пар. Пара без строк здесь получит "
    "пять стандартных этапов встреч наставника и наставляемого.",
    columns=(
        C("Код пары", "pair_code", required=True, width=10, example="«П-01»"),
        C("Мероприятие", "activity", required=True, width=44,
          example="«Первая, организационная, встреча»"),
        C("Срок", "term", Kind.TERM, required=True, width=18),
        C("Форма проведения", "form", width=20, example="«беседа»"),
        C("Ответственный", "responsible", width=24, example="«наставник»"),
        C("Ожидаемый результат", "expected_result", width=32),
    ),
)

ROADMAP = Sheet(
    "Дорожная карта", "roadmap",
    help="Необязательный лист: без него дорожная карта составляется из семи стандартных "
    "этапов на учебный год.",
    columns=(
        C("Этап", "stage", required=True, width=28, example="«Подготовка условий»"),
        C("Мероприятия", "activities", required=True, width=44, example="«Издание приказа»"),
        C("Срок", "term", Kind.TERM, required=True, width=18),
        C("Ответственный", "responsible", required=True, width=24, example="«куратор»"),
        C("Результат", "result", width=30),
    ),
)

TRAININGS = Sheet(
    "Обучение наставников", "trainings", aliases=("Обучение",),
    help="График обучения наставников: одно занятие — одна строка.",
    columns=(
        C("Тема", "topic", required=True, width=44, example="«Введение в наставничество»"),
        C("Дата", "date", Kind.DATE, required=True, width=14),
        C("Часов", "hours", Kind.NUMBER, required=True, positive=True, units=HOURS, width=10,
          aliases=("Количество часов", "Кол-во часов", "Часы")),
        C("Форма", "form", width=20, example="«семинар»"),
        C("Ответственный", "responsible", required=True, width=28, example="«Бутрина О. Н.»"),
    ),
)

FINAL_EVENT = Sheet(
    "Итоговое мероприятие", "final_event", key_value=True,
    help="Итоговое мероприятие программы наставничества (для приказа о его проведении).",
    columns=(
        C("Дата", "date", Kind.DATE, required=True, aliases=_named_as_event("Дата")),
        C("Форма", "form", Kind.CHOICE, required=True, choices=voc.FINAL_EVENT_FORMS,
          aliases=_named_as_event("Форма")),
        C("Место", "place", required=True, example="«актовый зал»",
          aliases=_named_as_event("Место")),
        C("Ответственный", "responsible", Kind.NAME, required=True,
          aliases=("Ответственный за проведение", "Ответственный за мероприятие",
                   "Ответственный за проведение мероприятия", "Ответственное лицо",
                   "ФИО ответственного")),
    ),
)

RESULTS = Sheet(
    "Итоги", "results",
    help="Итоги программ пар: одна пара — одна строка. Оценки — целые числа от 1 до 10.",
    columns=(
        C("Код пары", "pair_code", required=True, width=10, example="«П-01»"),
        C("Статус", "status", Kind.CHOICE, required=True, choices=voc.RESULT_STATUSES,
          width=18),
        C("Причина", "reason", condition=f"если статус не «{voc.RESULT_COMPLETED}»", width=28,
          help="Почему программа завершена досрочно или продлена."),
        C("Достигнутые результаты", "achieved", required=True, width=40,
          example="«проведено 12 встреч, подготовлен открытый урок»"),
        C("Выводы", "conclusions", width=32),
        C("Предложения", "proposals", width=32),
        C("Вовлечённость на входе", "engagement_in", **SCORE),
        C("Вовлечённость на выходе", "engagement_out", **SCORE),
        C("Самооценка на входе", "self_esteem_in", **SCORE),
        C("Самооценка на выходе", "self_esteem_out", **SCORE),
        C("Тревожность на входе", "anxiety_in", **SCORE),
        C("Тревожность на выходе", "anxiety_out", **SCORE),
        C("Сильные стороны", "strengths", width=30),
        C("Слабые стороны", "weaknesses", width=30),
        C("Возможности", "opportunities", width=30),
        C("Угрозы", "threats", width=30),
    ),
)
# fmt: on

SHEETS: tuple[Sheet, ...] = (
    ORGANIZATION,
    MENTORS,
    MENTEES,
    PAIRS,
    PLAN,
    ROADMAP,
    TRAININGS,
    FINAL_EVENT,
    RESULTS,
)
"""In the order of the blank workbook and of the report."""


def find_sheet(title: str) -> Sheet | None:
    """The declared sheet a workbook sheet title means, if any."""
    key = header_key(title)
    return next((s for s in SHEETS if key in s.keys), None)


_HINT_RE = re.compile(r"\s*\([^()]*\)$")
"""A hint in brackets after a header: «Дата рождения (ДД.ММ.ГГГГ)», «Стаж (полных лет)»."""


def find_column(sheet: Sheet, header: object) -> Column | None:
    """The declared column a header (or parameter name) means, if any; a header that names
    none is tried once more without a hint in brackets at its end."""
    key = header_key(header)
    found = next((c for c in sheet.columns if key in c.keys), None)
    if found is None and (bare := _HINT_RE.sub("", key)) not in ("", key):
        found = next((c for c in sheet.columns if bare in c.keys), None)
    return found
