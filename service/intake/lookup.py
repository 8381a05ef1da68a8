"""What intake asks the register: does it already know this person, pair, organization?

A workbook may name people and pairs that came in an earlier workbook; the reader checks
them through this interface so that intake does not depend on the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, runtime_checkable

from service.intake.normalise import alphabetical, code_key, person_key


@dataclass(frozen=True)
class PairSpan:
    """A registered pair's code and period."""

    code: str
    start: date
    end: date


@dataclass(frozen=True)
class PairPeople:
    """A registered pair's code, period and people (ФИО)."""

    code: str
    start: date
    end: date
    mentor: str
    mentees: tuple[str, ...]


@runtime_checkable
class RegisterLookup(Protocol):
    """The register as intake sees it."""

    def has_person(self, ref: str, role: str) -> bool:
        """True if a person with this normalised ФИО or Код is registered as ``role``.

        ``role`` is ``"mentor"`` or ``"mentee"``.
        """
        ...

    def ambiguous(self, ref: str, role: str) -> bool:
        """True if ``ref`` is the ФИО of more than one registered person of ``role`` (the
        workbook must then give the Код, or the ФИО with the date of birth in brackets)."""
        ...

    def code_of(self, ref: str, role: str) -> str | None:
        """The Код of the one registered person of ``role`` that ``ref`` names (None if none
        or no Код): a pair may name by the old ФИО a person this workbook renames."""
        ...

    def category_of(self, ref: str, role: str) -> str | None:
        """The «Категория» of the one registered person of ``role`` that ``ref`` names."""
        ...

    def has_pair(self, code: str) -> bool:
        """True if a pair with this «Код пары» is registered (and not withdrawn)."""
        ...

    def withdrawn_on(self, code: str) -> date | None:
        """The day the secretary withdrew the registered pair ``code`` as entered by mistake;
        None for a pair not withdrawn or not registered. Its code is not used again."""
        ...

    def people_fitting(
        self, fits: Callable[[str], bool], role: str
    ) -> list[tuple[str, str | None, date | None]]:
        """ФИО, Код and date of birth of each registered person of ``role`` whose ФИО ``fits``
        (surname and initials: :mod:`service.intake.initials`)."""
        ...

    def code_owners(self, code: str, role: str) -> list[tuple[str, str, date | None]]:
        """The registered people of ``role`` whose Код ``code`` is (:func:`code_key`: «Н01» is
        «Н-01»): the Код as the register spells it, the ФИО and the date of birth. One, or none;
        several only in a register made before «Н01» and «Н-01» were one code, and then the one
        spelling it as ``code`` does if there is one."""
        ...

    def pair_code(self, code: str) -> str | None:
        """The «Код пары» as the register spells it of the pair ``code`` is; None if none."""
        ...

    def pairs_with(self, mentor_ref: str, mentee_refs: tuple[str, ...]) -> list[PairSpan]:
        """The registered pairs of exactly this mentor and these mentees (by Код or ФИО): a
        pair typed again under another code would be a second pair of the same people."""
        ...

    def pair_ends(self, code: str) -> tuple[date, date | None] | None:
        """The registered pair ``code``'s end and the end the signed orders on pairs
        approved (None before the order is signed); None for a pair not registered."""
        ...

    def pair_mode(self, code: str) -> str | None:
        """The registered pair ``code``'s «Вид»; None for a pair not registered."""
        ...

    def starts_new_term(self, code: str, start: date) -> bool:
        """True if the registered pair ``code`` starting on ``start`` begins a new term (after
        its registered end, in a later school year); dates moved within the year are the same
        term."""
        ...

    def unrenewed_year(self, code: str) -> tuple[str, str] | None:
        """(the school year of the registered pair ``code``'s present term, the final
        report's) when that term is of an earlier year than the register's and the final
        report in force is of a later year than the term's: its «Итоги» no longer reach its
        year's report. None otherwise."""
        ...

    def registered_term(self, code: str) -> tuple[date, date] | None:
        """The registered pair ``code``'s present term (start, end); None for a pair not
        registered."""
        ...

    def trainings(self) -> list[tuple[date, str, float]]:
        """The registered sessions of «Обучение наставников»: (date, topic, hours)."""
        ...

    def continued_term(self, code: str) -> tuple[date, date, str] | None:
        """(start, end, the school year of the term before it) of the registered pair
        ``code``'s present term when the pair continues an earlier term under its code; None
        for a pair in its first term or not registered."""
        ...

    def reused_code(
        self, code: str, mentor_ref: str, mentee_refs: tuple[str, ...], start: date
    ) -> PairPeople | None:
        """The registered pair ``code`` when a row of it starting on ``start`` would begin its
        new term (a later school year) with none of its people — another mentor and other
        mentees: another pair numbered with a code already given; else None."""
        ...

    def former_mentor(self, code: str, mentor_ref: str) -> str | None:
        """The ФИО of the mentor of the registered pair ``code`` when ``mentor_ref`` (Код or
        ФИО) names someone else; None for a new pair or one that keeps its mentor."""
        ...

    def replaced_mentor(self, code: str, mentor_ref: str) -> tuple[str, date] | None:
        """The ФИО of ``mentor_ref`` (Код or ФИО), the registered pair ``code``'s mentor
        replaced in its present term, and the day the register learnt it; None when he never
        was its mentor in this term, or is its mentor now."""
        ...

    def born_on(self, birth: date, role: str) -> list[tuple[str, str | None]]:
        """The ФИО and Код of each registered person of ``role`` born on ``birth``: a row that
        matches none of them by ФИО may be one of them with the ФИО corrected."""
        ...

    def births_of(self, full_name: str, role: str) -> list[tuple[date, str | None]]:
        """The date of birth and Код of each registered person of ``role`` with this ФИО: a
        row of this ФИО born another day may be one of them with the date corrected."""
        ...

    def has_identity_document(self, code: str | None, full_name: str, birth: date | None) -> bool:
        """True if the registered mentor a «Наставники» row is (the same Код, else the same
        ФИО and date of birth) has an identity document: an external mentor listed again need
        not repeat it."""
        ...

    def has_organization(self) -> bool:
        """True if the register already holds the «Организация» data."""
        ...

    def school_year(self) -> str | None:
        """The register's «Учебный год» («2024–2025»); None before «Организация» is held."""
        ...

    def is_other_school(self, full_name: str, inn: str | None) -> bool:
        """True if a workbook's «Организация» names another school than the register's."""
        ...

    def sex_of(self, role: str, code: str | None, full_name: str, birth_date: date) -> str | None:
        """The «Пол» («м»/«ж») the register holds for the person a sheet row is (the same Код,
        else the same ФИО and date of birth); None if none is held or the person is new."""
        ...

    def registered_name(
        self, role: str, code: str | None, full_name: str, birth_date: date
    ) -> str | None:
        """The ФИО the register holds for the person a sheet row is (the same Код, else the
        same ФИО and date of birth); None if the person is new."""
        ...

    def listed_before(
        self, role: str, code: str | None, full_name: str, birth_date: date, year: str
    ) -> str | None:
        """The school year the person a sheet row is was last listed in, when listing him now
        does not make him ``year``'s participant: an earlier year's, while the register has
        pairs of ``year`` and he is in none of them (docs/intake.md); else None."""
        ...

    def sexes_named(self, full_name: str) -> set[str]:
        """The «Пол» the register holds for its mentors and mentees of this ФИО (the director
        or the curator may be one of them: the sheet «Организация» has no «Пол»)."""
        ...

    def signer_standing(self, full_name: str, role: str) -> tuple[str, str] | None:
        """Why the person ``full_name`` cannot sign as ``role`` (``director`` or ``curator``):
        ``("disabled", login)`` — the administrator switched her account off — or
        ``("revoked", login)`` — her keys of the role are revoked, none in force; None when
        she can, or has no account yet."""
        ...

    def offices(self) -> list[tuple[str, str]]:
        """The registered «Организация»'s offices filled: (``head_name``, ``curator_name`` or
        ``coordinator_name``, ФИО); none before it is registered."""
        ...

    def pair_as_registered(
        self, code: str, start: date, end: date, mentor_ref: str, mentee_refs: tuple[str, ...]
    ) -> bool:
        """True if the pair ``code`` is registered with this start and end, this mentor and
        exactly these mentees (by Код or ФИО): a row repeating it as it is."""
        ...

    def student_class(self, ref: str, role: str) -> tuple[str, str, str] | None:
        """The ФИО and class («Должность или класс») of the one registered student (category
        «обучающийся») of ``role`` that ``ref`` names, and the school year of the workbook that
        last listed him on «Наставники» or «Наставляемые»; None for anyone else or when that
        year is not known."""
        ...

    def listed_class(
        self, role: str, code: str | None, full_name: str, birth_date: date
    ) -> tuple[str, str] | None:
        """The class of the registered student (category «обучающийся») a sheet row is (the
        same Код, else the same ФИО and date of birth) and the school year of the workbook
        that gave it; None for anyone else or when that year is not known."""
        ...


@dataclass
class StaticLookup:
    """A register given as sets of names and codes: for tests and dry runs."""

    mentors: set[str] = field(default_factory=set)
    mentees: set[str] = field(default_factory=set)
    pairs: set[str] = field(default_factory=set)
    organization: bool = False

    def has_person(self, ref: str, role: str) -> bool:
        """True if ``ref`` (ФИО or Код) is among the mentors or mentees, by ``role``."""
        people = self.mentors if role == "mentor" else self.mentees
        return person_key(ref) in {person_key(p) for p in people} or code_key(ref) in {
            code_key(p) for p in people
        }

    def ambiguous(self, ref: str, role: str) -> bool:
        """Never: a set holds each name once."""
        return False

    def code_of(self, ref: str, role: str) -> str | None:
        """Never known: the sets hold names and codes, not which is whose."""
        return None

    def category_of(self, ref: str, role: str) -> str | None:
        """Never known: the sets hold names, not categories."""
        return None

    def has_pair(self, code: str) -> bool:
        """True if ``code`` is among the pairs."""
        return code_key(code) in {code_key(p) for p in self.pairs}

    def withdrawn_on(self, code: str) -> date | None:
        """None: the sets hold no withdrawn pairs."""
        return None

    def people_fitting(
        self, fits: Callable[[str], bool], role: str
    ) -> list[tuple[str, str | None, date | None]]:
        """The names of the set that fit (no Код, no date of birth known)."""
        people = self.mentors if role == "mentor" else self.mentees
        return [(name, None, None) for name in sorted(people, key=alphabetical) if fits(name)]

    def code_owners(self, code: str, role: str) -> list[tuple[str, str, date | None]]:
        """None: the sets hold no one's Код with his ФИО."""
        return []

    def pair_code(self, code: str) -> str | None:
        """The code of :attr:`pairs` ``code`` is, as the set spells it."""
        return next((p for p in self.pairs if code_key(p) == code_key(code)), None)

    def pairs_with(self, mentor_ref: str, mentee_refs: tuple[str, ...]) -> list[PairSpan]:
        """None: the sets hold no pairs' people."""
        return []

    def pair_ends(self, code: str) -> tuple[date, date | None] | None:
        """None: the sets hold no pairs' dates."""
        return None

    def pair_mode(self, code: str) -> str | None:
        """None: the sets hold no pairs' «Вид»."""
        return None

    def reused_code(
        self, code: str, mentor_ref: str, mentee_refs: tuple[str, ...], start: date
    ) -> PairPeople | None:
        """None: the sets hold no pairs' people."""
        return None

    def unrenewed_year(self, code: str) -> tuple[str, str] | None:
        """None: the sets hold no pairs' dates nor reports."""
        return None

    def starts_new_term(self, code: str, start: date) -> bool:
        """False: the sets hold no pairs' dates."""
        return False

    def continued_term(self, code: str) -> tuple[date, date, str] | None:
        """None: the sets hold no pairs' terms."""
        return None

    def trainings(self) -> list[tuple[date, str, float]]:
        """None: the sets hold no trainings."""
        return []

    def registered_term(self, code: str) -> tuple[date, date] | None:
        """None: the sets hold no pairs' dates."""
        return None

    def former_mentor(self, code: str, mentor_ref: str) -> str | None:
        """None: the sets hold no pairs' mentors."""
        return None

    def replaced_mentor(self, code: str, mentor_ref: str) -> tuple[str, date] | None:
        """None: the sets hold no pairs' mentors."""
        return None

    def born_on(self, birth: date, role: str) -> list[tuple[str, str | None]]:
        """No one: the sets hold no dates of birth."""
        return []

    def births_of(self, full_name: str, role: str) -> list[tuple[date, str | None]]:
        """No one: the sets hold no dates of birth."""
        return []

    def has_identity_document(self, code: str | None, full_name: str, birth: date | None) -> bool:
        """Never: the sets hold no documents."""
        return False

    def has_organization(self) -> bool:
        """The ``organization`` flag."""
        return self.organization

    def school_year(self) -> str | None:
        """None: the sets hold no school."""
        return None

    def is_other_school(self, full_name: str, inn: str | None) -> bool:
        """Never: the sets hold no school."""
        return False

    def sex_of(self, role: str, code: str | None, full_name: str, birth_date: date) -> str | None:
        """Never known: the sets hold names, not people's «Пол»."""
        return None

    def registered_name(
        self, role: str, code: str | None, full_name: str, birth_date: date
    ) -> str | None:
        """Never known: the sets hold keys of names, not their spelling."""
        return None

    def listed_before(
        self, role: str, code: str | None, full_name: str, birth_date: date, year: str
    ) -> str | None:
        """Never known: the sets hold no school years."""
        return None

    def sexes_named(self, full_name: str) -> set[str]:
        """None known: the sets hold names, not people's «Пол»."""
        return set()

    def signer_standing(self, full_name: str, role: str) -> tuple[str, str] | None:
        """Never known: a set of names holds no user accounts."""
        return None

    def offices(self) -> list[tuple[str, str]]:
        """None: the sets hold no «Организация»."""
        return []

    def pair_as_registered(
        self, code: str, start: date, end: date, mentor_ref: str, mentee_refs: tuple[str, ...]
    ) -> bool:
        """False: the sets hold codes, not the pairs' dates and people."""
        return False

    def student_class(self, ref: str, role: str) -> tuple[str, str, str] | None:
        """Never known: the sets hold names, not classes."""
        return None

    def listed_class(
        self, role: str, code: str | None, full_name: str, birth_date: date
    ) -> tuple[str, str] | None:
        """Never known: the sets hold names, not classes."""
        return None
