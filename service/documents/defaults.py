"""Content the seeds prescribe when a workbook gives none: the five meeting stages of a pair's
plan (seed 001 §5.3) and the stages of the roadmap (the table at the end of seed 000)."""

from __future__ import annotations

from datetime import date, timedelta

from service.documents import russian

# seed 001, §5.3 «Этапы комплекса мероприятий по реализации взаимодействия наставник – наставляемый»
MEETING_STAGES: tuple[tuple[str, str, str], ...] = (
    (
        "Проведение первой, организационной, встречи наставника и наставляемого",
        "встреча, беседа",
        "знакомство, согласование целей и правил взаимодействия",
    ),
    (
        "Проведение второй, пробной рабочей, встречи наставника и наставляемого",
        "рабочая встреча",
        "определены затруднения и сильные стороны наставляемого",
    ),
    (
        "Проведение встречи-планирования рабочего процесса в рамках программы наставничества",
        "встреча-планирование",
        "согласован план работы, количество и график встреч",
    ),
    (
        "Регулярные встречи наставника и наставляемого",
        "консультации, совместная работа",
        "выполнение плана, решение поставленных задач",
    ),
    (
        "Проведение заключительной встречи наставника и наставляемого",
        "итоговая встреча",
        "подведены итоги, подготовлен отчёт наставника",
    ),
)


def default_plan(start: date, end: date, group: bool = False) -> list[dict]:
    """The five stages dated across the programme: the first three in its first month, regular
    meetings throughout, the final meeting in its last week."""
    span = max((end - start).days, 1)
    first = start
    second = start + timedelta(days=min(14, span // 6))
    planning = start + timedelta(days=min(28, span // 4))
    final = end - timedelta(days=min(7, span // 10))
    terms = (
        russian.format_date(first),
        russian.format_date(second),
        russian.format_date(planning),
        f"с {russian.format_date(planning)} по {russian.format_date(final)}, "
        "по согласованному графику",
        russian.format_date(final),
    )

    def for_group(text: str) -> str:
        if not group:
            return text
        return text.replace("наставляемого", "наставляемых")

    return [
        {
            "number": i,
            "activity": for_group(activity),
            "term": term,
            "form": form,
            "responsible": "наставник",
            "expected_result": for_group(result),
        }
        for i, ((activity, form, result), term) in enumerate(
            zip(MEETING_STAGES, terms, strict=True), 1
        )
    ]


# seed 000, «Дорожная карта (план мероприятий) по реализации Положения о системе наставничества»;
# the seventh stage is §8 of the same Положение (publication on the school site).
ROADMAP_STAGES: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "Подготовка условий для реализации системы наставничества",
        "Подготовка и принятие локальных актов: приказ о внедрении целевой модели наставничества, "
        "Положение о наставничестве, дорожная карта; приказы о закреплении наставнических пар "
        "(групп) с письменного согласия их участников; подготовка персонализированных программ "
        "наставничества",
        "september",
        "директор, куратор",
        "приказы, Положение, программы",
    ),
    (
        "Формирование банка наставляемых",
        "Сбор информации о запросах наставляемых; формирование банка данных наставляемых, "
        "обеспечение согласий на сбор и обработку персональных данных",
        "september",
        "куратор",
        "банк наставляемых, согласия",
    ),
    (
        "Формирование банка наставников",
        "Анкетирование потенциальных наставников; формирование банка данных наставников, "
        "обеспечение согласий на сбор и обработку персональных данных",
        "september",
        "куратор",
        "банк наставников, согласия",
    ),
    (
        "Отбор и обучение наставников",
        "Анализ банка наставников и выбор подходящих для конкретных программ; обучение "
        "наставников, подготовка методических материалов, консультации, обмен опытом",
        "october",
        "куратор, координатор",
        "обученные наставники",
    ),
    (
        "Организация и осуществление работы наставнических пар/групп",
        "Формирование наставнических пар (групп); разработка персонализированных программ "
        "наставничества; психолого-педагогическая поддержка наставляемых, не сформировавших пару",
        "year",
        "куратор, наставники",
        "пары (группы), программы",
    ),
    (
        "Завершение персонализированных программ наставничества",
        "Мониторинг качества реализации программ (анкетирование); итоговое мероприятие "
        "(круглый стол) по выявлению лучших практик наставничества; пополнение методической "
        "копилки",
        "may",
        "куратор, наставники",
        "отчёты наставников, итоговый аналитический отчёт",
    ),
    (
        "Информационное сопровождение",
        "Размещение сведений о программах наставничества, базах наставников и наставляемых, "
        "лучших практиках на официальном сайте образовательной организации",
        "year",
        "куратор",
        "раздел «Наставничество» на сайте",
    ),
)

MONTHS_NOMN = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)


def month_span(first: date, last: date) -> str:
    """«май 2024 г.», «сентябрь\u00a0– ноябрь 2023 г.», «октябрь 2023 г.\u00a0– август 2024 г.»."""
    first_month, last_month = MONTHS_NOMN[first.month - 1], MONTHS_NOMN[last.month - 1]
    if (first.year, first.month) == (last.year, last.month):
        return f"{first_month} {first.year}\u00a0г."
    if first.year == last.year:
        return f"{first_month}\u00a0– {last_month} {last.year}\u00a0г."
    return f"{first_month} {first.year}\u00a0г.\u00a0– {last_month} {last.year}\u00a0г."


def default_roadmap(
    year_start: date,
    has_coordinator: bool = True,
    *,
    trainings: list[date] | None = None,
    pairs: list[tuple[date, date]] | None = None,
    final_event: tuple[date, str] | None = None,
) -> list[dict]:
    """The seven roadmap stages dated across the school year that begins at ``year_start``,
    in step with the rest of the set: training in the months of the training order, pairs'
    work from the first start to the last end, completion from the first programme's end to
    the last one's (or the final event, whichever is later)."""
    year_end = date(year_start.year + 1, 5, 31)
    trainings = sorted(trainings or [])
    pairs = sorted(pairs or [])
    starts = [start for start, _ in pairs]
    ends = sorted(end for _, end in pairs)
    event_day = final_event[0] if final_event else None
    preparation_end = min([year_start.replace(day=30), *starts, *trainings])
    if trainings:
        training = month_span(trainings[0], trainings[-1])
    else:
        training = (
            month_span(starts[0], starts[0])
            if starts
            else month_span(date(year_start.year, 10, 1), date(year_start.year, 10, 1))
        )
    work = month_span(starts[0], ends[-1]) if pairs else None
    last = max([*ends, *([event_day] if event_day else [])], default=year_end)
    first_end = min([*ends, *([event_day] if event_day else [])], default=year_end)
    completion = month_span(first_end, last)
    year = f"в течение {year_start.year}–{year_start.year + 1} учебного года"
    terms = {
        "september": month_span(min(year_start, preparation_end), preparation_end),
        "october": training,
        "may": completion,
        "year": year,
        "pairs": work or year,
    }
    event_form = final_event[1] if final_event else "круглый стол"
    return [
        {
            "number": i,
            "stage": stage,
            "activities": activities.replace("(круглый стол)", f"({event_form})"),
            "term": terms["pairs" if i == 5 else when],
            "responsible": who if has_coordinator else who.replace(", координатор", ""),
            "result": result,
        }
        for i, (stage, activities, when, who, result) in enumerate(ROADMAP_STAGES, 1)
    ]
