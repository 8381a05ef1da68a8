"""What a sheet and a column of the intake workbook are: the kinds of values, the length
limits of fields, and the :class:`Column` and :class:`Sheet` records that
:mod:`service.intake.schema` fills with the form's sheets (INTAKE.md). The model here, the
form's declaration there: the reader, the blank-workbook writer and the typo finder take the
model, the form's content is read only where its sheets are meant."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from service.intake.examples import example_month, example_school_year
from service.intake.normalise import header_key, quoted_list


class Kind(StrEnum):
    """How a cell is read (see :mod:`service.intake.normalise`)."""

    TEXT = "text"
    LINES = "lines"  # text items separated by «;» or line breaks
    DATE = "date"
    YES_NO = "yes-no"
    INT = "int"
    NUMBER = "number"
    CHOICE = "choice"
    TERM = "term"  # a date or free text («в течение года»)
    NAME = "name"  # ФИО
    SEX = "sex"  # «м» or «ж»
    REF = "ref"  # ФИО or Код of one person
    REFS = "refs"  # ФИО or Код of people, separated by «;»
    SCHOOL_YEAR = "school-year"


FREE_TEXT = 2000
"""Longest free text (a goal, tasks, results, a request, an address): a page of print."""
KIND_LIMITS = {
    Kind.NAME: 200,
    Kind.REF: 200,
    Kind.TERM: 200,
    Kind.CHOICE: 200,
    Kind.DATE: 50,
    Kind.YES_NO: 50,
    Kind.INT: 50,
    Kind.NUMBER: 50,
    Kind.SCHOOL_YEAR: 50,
    Kind.SEX: 50,
}
"""Longest text a cell of each kind may hold; other kinds: :data:`FREE_TEXT`."""
FIELD_LIMITS = {
    "full_name": 500,  # of the school; a person's ФИО is Kind.NAME
    "short_name": 300,
    "locality": 200,
    "position": 300,
    "head_position": 300,
    "curator_position": 300,
    "coordinator_position": 300,
    "code": 50,
    "pair_code": 50,
    "inn": 20,
    "ogrn": 20,
    "phone": 100,
    "guardian_phone": 100,
    "email": 200,
    "website": 300,
    "variant": 300,
    "regulation_protocol": 50,
}
"""Shorter limits for short texts, by field. Every limit is far above what a school writes and
far below what breaks a document (a 100,000-character school name once filled 49 documents),
and none is above the register's column for the field (``String(n)`` in
:mod:`service.register.models`): PostgreSQL refuses a longer text — a 51-character protocol
number was «Внутренняя ошибка» for the whole workbook, not a line of its error report."""


ONE_LINE_FIELDS = frozenset(FIELD_LIMITS) | {
    "address",
    "workplace",
    "identity_document",
    "variant",
    "place",
    "responsible",
    "regulation_protocol",
}
"""Text fields a document prints inside a sentence or a heading: a line break typed in the cell
(Alt+Enter, to wrap a long name) is read as a space. Paragraph texts keep their lines."""


@dataclass(frozen=True)
class Column:
    """One column of a table sheet, or one parameter of a «Параметр / Значение» sheet."""

    header: str
    """Header (or parameter name) exactly as in INTAKE.md."""
    field: str
    """Field of the model dataclass the value goes to."""
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    """Allowed values for :attr:`Kind.CHOICE`, canonical spelling."""
    help: str = ""
    """One or two sentences for the instruction sheet and the header comment."""
    condition: str = ""
    """When an optional column becomes required, e.g. «для внешних наставников»."""
    aliases: tuple[str, ...] = ()
    """Other headers people use for the same column."""
    minimum: float | None = None
    maximum: float | None = None
    positive: bool = False
    units: tuple[str, ...] = ()
    """Unit words accepted after a number: «22 года», «4 ч»."""
    width: int = 18
    example: str = ""
    """Shown after «например», quotes included: «П-01»."""

    @cached_property
    def keys(self) -> frozenset[str]:
        """Normalised header and aliases (once per column: every header cell of a workbook is
        looked up among them)."""
        return frozenset(header_key(h) for h in (self.header, *self.aliases))

    @property
    def limit(self) -> int:
        """The most characters the cell may hold (:data:`FIELD_LIMITS`, :data:`KIND_LIMITS`)."""
        if self.kind is Kind.NAME:
            return KIND_LIMITS[Kind.NAME]
        return FIELD_LIMITS.get(self.field) or KIND_LIMITS.get(self.kind, FREE_TEXT)

    @property
    def one_line(self) -> bool:
        """A text read on one line (:data:`ONE_LINE_FIELDS`)."""
        return self.kind is Kind.TEXT and self.field in ONE_LINE_FIELDS

    def expectation(self) -> str:
        """What the cell should hold, for «fill it in» messages."""
        if self.kind is Kind.CHOICE:
            return f"одно из значений: {quoted_list(self.choices)}"
        if self.kind in (Kind.INT, Kind.NUMBER):
            number = "целое число" if self.kind is Kind.INT else "число"
            if self.minimum is not None and self.maximum is not None:
                return f"{number} от {self.minimum:g} до {self.maximum:g}"
            return f"{number} больше нуля" if self.positive else number
        return {
            Kind.DATE: "дату в виде ДД.ММ.ГГГГ",
            Kind.YES_NO: "«да» или «нет»",
            Kind.INT: "целое число",
            Kind.NUMBER: "число",
            Kind.TERM: f"срок: дату ДД.ММ.ГГГГ или текст («в течение года», «{example_month()}»)",
            Kind.NAME: "ФИО полностью: Фамилия Имя Отчество",
            Kind.SEX: "«м» или «ж»",
            Kind.REF: "ФИО (или Код)",
            Kind.REFS: "ФИО (или Код) через «;»",
            Kind.SCHOOL_YEAR: f"учебный год в виде {example_school_year()}",
        }.get(self.kind, f"значение, например {self.example}" if self.example else "значение")


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook."""

    name: str
    target: str
    """Field of :class:`~service.intake.model.Workbook` the sheet fills."""
    columns: tuple[Column, ...]
    help: str
    key_value: bool = False
    """True for «Параметр / Значение» sheets: each column is a parameter row."""
    aliases: tuple[str, ...] = ()

    @cached_property
    def keys(self) -> frozenset[str]:
        """Normalised sheet name and aliases (once per sheet)."""
        return frozenset(header_key(n) for n in (self.name, *self.aliases))

    def column(self, field: str) -> Column:
        """The column that fills ``field``."""
        return next(c for c in self.columns if c.field == field)
