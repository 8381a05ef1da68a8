"""The blank intake workbook: every sheet and header of :mod:`service.intake.schema`.

Drop-down lists for closed lists, date formats on date columns, a frozen header row, help in
header comments, and a first sheet «Инструкция» written from the same declarations.
"""

from __future__ import annotations

from os import PathLike

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from service.intake import schema
from service.intake.columns import Column, Kind, Sheet
from service.intake.dates import date_hint
from service.intake.examples import example_date, example_month, example_year
from service.intake.normalise import quoted_list

DATE_FORMAT = "DD.MM.YYYY"
TEXT_FORMAT = "@"
LAST_ROW = 1048576
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
OPTIONAL_FILL = PatternFill("solid", fgColor="EDEDED")
HEADER_FONT = Font(bold=True)
NOTE_FONT = Font(italic=True, color="595959")
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
AUTHOR = "Наставничество"
_TEXT_KINDS = {Kind.TEXT, Kind.NAME, Kind.REF, Kind.REFS, Kind.LINES}

GENERAL_RULES: tuple[tuple[str, str], ...] = (
    (
        "Что заполнять",
        "Каждый лист необязателен: заполните то, что готово сейчас — сначала «Организация» и "
        "участники, потом пары, в конце года — итоги. Следующая книга дополняет сведения, "
        "внесённые прежними книгами. Одна строка — один человек (пара, мероприятие); пустые "
        "строки пропускаются.",
    ),
    (
        "Куда положить",
        "Сохраните книгу (формат .xlsx) и положите её в общую папку inbox или загрузите на "
        "странице сервиса. Принятая книга переносится в папку inbox/processed, документы "
        "появляются в папке outbox. Книга с ошибками переносится в inbox/failed, рядом — отчёт "
        "со всеми ошибками сразу (лист, строка, столбец и что исправить). Пока в книге есть "
        "хотя бы одна ошибка, ни один документ не создаётся и реестр не меняется: исправьте "
        "ошибки и положите книгу снова.",
    ),
    (
        "Листы и заголовки",
        "Не переименовывайте листы и заголовки столбцов. Обязательные столбцы выделены "
        "оранжевым, обязательные параметры отмечены «*». Подсказка к столбцу — в примечании "
        "к его заголовку. Лишние столбцы и листы не читаются (о них будет предупреждение).",
    ),
    (
        "Да и нет",
        "В столбцах «да/нет» выберите «да» или «нет» (подходят также «+» и «-», «1» и «0»).",
    ),
    (
        "ФИО",
        "ФИО пишется полностью: Фамилия Имя Отчество, без инициалов; отчество — если есть. "
        "Регистр и лишние пробелы исправляются сами: «ИВАНОВА  мария» станет «Иванова Мария». "
        "Двойная фамилия пишется через дефис («Петров-Водкин»), «оглы» и «кызы» допустимы.",
    ),
    (
        "Коды",
        "«Код» человека необязателен («Н-01», «У-05»). Если в школе есть полные тёзки, "
        "заполните им Код и на листе «Пары» указывайте Код вместо ФИО. «Код пары» обязателен: "
        "по нему к паре относятся строки листов «План» и «Итоги».",
    ),
    (
        "Пары и группы",
        "В столбце «Наставляемые» перечислите ФИО через «;» — если наставляемых несколько, это "
        "группа. Наставник и наставляемые должны быть на листах «Наставники» и «Наставляемые» "
        "этой книги или уже внесены прежними книгами.",
    ),
    (
        "Срок программы",
        "Персонализированная программа длится от 3 месяцев до 1 года: дата окончания — не "
        "раньше чем через 3 месяца после даты начала и не позже чем через год.",
    ),
    (
        "Несовершеннолетние",
        "Участнику, которому на дату начала программы нет 18 лет, укажите законного "
        "представителя — ФИО родителя или опекуна полностью: согласие на обработку "
        "персональных данных подписывает он.",
    ),
    (
        "Внешние наставники",
        "Внешний наставник (в столбце «Внешний наставник» — «да») не работает в школе: с ним "
        "заключается договор о сотрудничестве, поэтому для него обязателен «Документ, "
        "удостоверяющий личность»; «Место работы» указывается, если оно есть (у наставника на "
        "пенсии его нет).",
    ),
    (
        "Итоги",
        "Если статус программы не «завершена», укажите причину. Оценки вовлечённости, "
        "самооценки и тревожности — целые числа от 1 до 10.",
    ),
)


def _dates_rule() -> tuple[str, str]:
    """The instruction on dates, its examples of the school year under way."""
    year = example_year()
    return (
        "Даты",
        f"Даты — в виде ДД.ММ.ГГГГ, например {example_date()}; подойдут также 1.9.{year} и "
        f"{year}-09-01. Месяц словом («сентябрь») вместо даты не принимается. В столбце «Срок» "
        f"можно писать и текст: «в течение года», «{example_month()}».",
    )


def column_note(column: Column) -> str:
    """The help of one column or parameter: required or not, what to write, an example."""
    if column.required:
        parts = ["Обязательно."]
    elif column.condition:
        comma = "," if column.condition.startswith("если") else ""
        parts = [f"Обязательно{comma} {column.condition}."]
    else:
        parts = ["Необязательно."]
    if column.help:
        parts.append(column.help)
    if column.kind is Kind.CHOICE:
        parts.append(f"Значения: {quoted_list(column.choices)}.")
    elif column.kind not in (Kind.TEXT, Kind.LINES, Kind.REF, Kind.REFS):
        parts.append(f"Укажите {column.expectation()}.")
    if column.example:
        parts.append(f"Например: {column.example}.")
    return " ".join(parts)


def build_blank_workbook() -> Workbook:
    """The blank workbook in memory (the demo fills it before saving)."""
    book = Workbook()
    _write_instruction(book.active)
    lists = _write_lists(book)
    for sheet in schema.SHEETS:
        worksheet = book.create_sheet(sheet.name)
        if sheet.key_value:
            _write_key_value(worksheet, sheet, lists)
        else:
            _write_table(worksheet, sheet, lists)
    book.move_sheet(schema.LISTS_SHEET, offset=len(book.sheetnames))
    book.active = 0
    return book


def write_blank_workbook(path: str | PathLike[str]) -> None:
    """Write the blank intake workbook to ``path`` (.xlsx)."""
    build_blank_workbook().save(path)


def _write_instruction(worksheet: Worksheet) -> None:
    worksheet.title = schema.INSTRUCTION_SHEET
    worksheet.column_dimensions["A"].width = 28
    worksheet.column_dimensions["B"].width = 100
    worksheet.append(["Книга для заполнения: программа наставничества"])
    worksheet["A1"].font = Font(bold=True, size=14)
    worksheet.append([])
    rules = (*GENERAL_RULES[:3], _dates_rule(), *GENERAL_RULES[3:])
    for title, text in rules:
        worksheet.append([title, text])
    worksheet.append([])
    worksheet.append(["Листы и столбцы"])
    worksheet.cell(worksheet.max_row, 1).font = Font(bold=True, size=12)
    for sheet in schema.SHEETS:
        worksheet.append([])
        worksheet.append([f"Лист «{sheet.name}»", sheet.help])
        worksheet.cell(worksheet.max_row, 1).font = HEADER_FONT
        for column in sheet.columns:
            worksheet.append([f"«{column.header}»", column_note(column)])
    for row in worksheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = WRAP
        if row[0].value in {title for title, _ in rules}:
            row[0].font = HEADER_FONT


def _write_lists(book: Workbook) -> dict[tuple[str, ...], str]:
    """The hidden sheet with every closed list; returns list → range formula."""
    worksheet = book.create_sheet(schema.LISTS_SHEET)
    worksheet.sheet_state = "hidden"
    ranges: dict[tuple[str, ...], str] = {}
    lists = [c for s in schema.SHEETS for c in s.columns if c.kind is Kind.CHOICE]
    for column in lists:
        if column.choices in ranges:
            continue
        index = len(ranges) + 1
        letter = get_column_letter(index)
        worksheet.cell(1, index, column.header).font = HEADER_FONT
        for row, value in enumerate(column.choices, 2):
            worksheet.cell(row, index, value)
        worksheet.column_dimensions[letter].width = max(len(v) for v in column.choices) + 2
        last = len(column.choices) + 1
        ranges[column.choices] = f"'{schema.LISTS_SHEET}'!${letter}$2:${letter}${last}"
    return ranges


def _validation(column: Column, lists: dict[tuple[str, ...], str]) -> DataValidation | None:
    """The drop-down list or date check for a column, or None."""
    if column.kind is Kind.CHOICE:
        check = DataValidation(type="list", formula1=lists[column.choices], allow_blank=True)
        check.error = "Выберите значение из списка."
    elif column.kind is Kind.YES_NO:
        check = DataValidation(type="list", formula1='"да,нет"', allow_blank=True)
        check.error = "Выберите «да» или «нет»."
    elif column.kind is Kind.SEX:  # a warning only: «жен», «мужской» are read too
        check = DataValidation(type="list", formula1='"м,ж"', allow_blank=True)
        check.errorStyle = "warning"
        check.error = "Выберите «м» или «ж»."
    elif column.kind is Kind.DATE:
        # 1 = 01.01.1900, 73415 = 31.12.2100; a warning only: text dates are read too.
        check = DataValidation(
            type="date", operator="between", formula1="1", formula2="73415", allow_blank=True
        )
        check.errorStyle = "warning"
        check.error = f"{date_hint()}."
    else:
        return None
    check.errorTitle = column.header
    check.showErrorMessage = True
    return check


def _format(column: Column) -> str | None:
    if column.kind is Kind.DATE:
        return DATE_FORMAT
    if column.kind in _TEXT_KINDS:
        return TEXT_FORMAT  # keeps «01» and phone numbers as typed
    return None


def _write_table(worksheet: Worksheet, sheet: Sheet, lists: dict[tuple[str, ...], str]) -> None:
    worksheet.append([c.header for c in sheet.columns])
    worksheet.row_dimensions[1].height = 48
    worksheet.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, 1):
        letter = get_column_letter(index)
        cell = worksheet.cell(1, index)
        cell.font = HEADER_FONT
        cell.alignment = HEADER_ALIGN
        cell.border = BORDER
        cell.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
        cell.comment = Comment(column_note(column), AUTHOR, width=320, height=140)
        dimension = worksheet.column_dimensions[letter]
        dimension.width = max(column.width, 10)
        if number_format := _format(column):
            dimension.number_format = number_format
        if (check := _validation(column, lists)) is not None:
            check.add(f"{letter}2:{letter}{LAST_ROW}")
            worksheet.add_data_validation(check)


def _write_key_value(worksheet: Worksheet, sheet: Sheet, lists: dict[tuple[str, ...], str]) -> None:
    worksheet.append([schema.PARAMETER_HEADER, schema.VALUE_HEADER, schema.NOTE_HEADER])
    worksheet.freeze_panes = "A2"
    for letter, width in zip("ABC", (34, 60, 70), strict=True):
        worksheet.column_dimensions[letter].width = width
        header = worksheet[f"{letter}1"]
        header.font, header.alignment, header.border = HEADER_FONT, HEADER_ALIGN, BORDER
        header.fill = OPTIONAL_FILL
    for row, column in enumerate(sheet.columns, 2):
        name = worksheet.cell(row, 1, column.header + (" *" if column.required else ""))
        name.font = HEADER_FONT if column.required else Font()
        name.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
        value = worksheet.cell(row, 2)
        value.border = BORDER
        value.alignment = WRAP
        if column.kind is Kind.DATE:
            value.number_format = DATE_FORMAT
        elif column.kind in _TEXT_KINDS:
            value.number_format = TEXT_FORMAT
        note = worksheet.cell(row, 3, column_note(column))
        note.font, note.alignment = NOTE_FONT, WRAP
        if (check := _validation(column, lists)) is not None:
            check.add(f"B{row}")
            worksheet.add_data_validation(check)
