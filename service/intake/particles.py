"""A surname's particle written with a capital first — «Фон Визин Денис Иванович» — makes «Фон»
the surname in every document: «В.Д. Фон», the name not declined. Typed so in a workbook, the
secretary is told to write it in lower case («фон Визин», Розенталь § 160); held so by the
register (an earlier release capitalised every particle, and a workbook's «фон Визин» keeps the
register's spelling, so that his signed documents are not made again), she is told that the
documents print it so. Warnings only."""

from __future__ import annotations

from service.documents.russian_names import initials
from service.intake.lookup import RegisterLookup
from service.intake.model import IntakeReport
from service.intake.normalise import SURNAME_PARTICLES
from service.intake.problems import cell_error
from service.intake.sheets import Record

EAST_ASIAN = frozenset({"ван", "ле", "ди", "да"})
"""Particles that are also surnames of their own (Chinese Ван, Vietnamese Ле): «Ван Ли Мин»
is a surname and a name, not a particle's; with four words or more it is a particle's."""


def capital_particles(name: str) -> int:
    """How many words at the start of ``name`` are surname particles written with a capital
    that make the surname a particle alone («Фон Визин Денис Иванович»: 1, «Де Ла Круз Мария
    Ивановна»: 2); 0 for a name that reads right («Ван Ли Мин», «фон Визин Денис»)."""
    words = name.split()
    count = 0
    while count < len(words) - 1 and words[count].lower() in SURNAME_PARTICLES:
        count += 1
    if not count or not words[0][:1].isupper() or words[0].isupper():
        return 0
    if len(words) - count >= 3 or (len(words) - count == 2 and words[0].lower() not in EAST_ASIAN):
        return count
    return 0


def lowered(name: str, count: int) -> str:
    """``name`` with its first ``count`` words (particles) in lower case."""
    words = name.split()
    return " ".join([*(w.lower() for w in words[:count]), *words[count:]])


def check_capital_particle(
    person: Record, role: str, report: IntakeReport, lookup: RegisterLookup | None
) -> None:
    """Warn of ``person``'s ФИО whose surname's particle is written, or held, with a capital."""
    name, birth = person.get("full_name"), person.get("birth_date")
    if "full_name" in person.bad or not isinstance(name, str):
        return
    held = None
    if lookup is not None and birth is not None:
        held = lookup.registered_name(role, person.get("code"), name, birth)
    if held and (count := capital_particles(held)) and lowered(held, count) == lowered(name, count):
        said = (
            f"ФИО «{name}» в реестре записано как «{held}», с частицей «{held.split()[0]}» с "
            "заглавной буквы (так его записала прежняя книга или прежняя версия сервиса): "
            "документы считают фамилией только её и печатают "
            f"«{initials(held, 'initials_first')}». Книга это "
            "написание не меняет, чтобы подписанные документы этого человека не пришлось "
            "подписывать заново; если его нужно исправить, сообщите администратору."
        )
    elif count := capital_particles(name):
        right = lowered(name, count)
        said = (
            f"В ФИО «{name}» частица «{' '.join(name.split()[:count])}» написана с заглавной "
            f"буквы, и фамилией документы считают только её: «{initials(name, 'initials_first')}»"
            f". Если фамилия — «{' '.join(right.split()[: count + 1])}», напишите частицу со "
            f"строчной буквы: «{right}» (в документах — «{initials(right, 'initials_first')}»)."
        )
    else:
        return
    cell_error(report, person, "full_name", said, warning=True)
