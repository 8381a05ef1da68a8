"""Who a signature speaks for: the person a document prints on its signature line, the person a
certificate names, and whether they are one person.

A director's certificate issued to someone else signs in the director's name: every signature
it makes would name a person the documents do not name. So a key of a role that signs
electronically (the director, the curator) is issued only on the ФИО the register holds for
that role (unless the administrator writes down why not, in the ledger), a document is signed
only by a certificate of the person it names, and verification reports a signature whose
certificate names someone else.

Names are compared as an office reads them: case, ё/е, spaces and dots do not matter, and a
name written with initials («Кинякина Т.И.», «Т.И. Кинякина») is the same person as the full
ФИО whose initials it gives; a different first name or patronymic is another person. Hand-
written: the project's name grammar (:mod:`service.documents.russian_names`) declines and
abbreviates names, it does not compare them, and no library compares Russian ФИО this way.
"""

from __future__ import annotations

from service.documents import canonical
from service.documents.catalogue import SIGNER_NAMES
from service.documents.russian_names import name_gender
from service.intake.normalise import SURNAME_PARTICLES
from service.register.models import Document, Organization

_PARTICLES = frozenset({"оглы", "угли", "кызы", "кизи"})
"""Part of a patronymic that initials drop («Мамедов Р.Г.» for «Мамедов Рашид Гусейн оглы»),
written apart or with a hyphen («Гусейн-оглы»)."""


def _parts(name: str) -> tuple[str, tuple[str, ...]]:
    """(surname, given names) of ``name``, normalised; an initial is kept as its letter.
    «Т.И. Кинякина» (initials first, as a signature line prints it) is read surname first;
    a surname's particles are part of it («фон визин» of «Д.И. фон Визин»)."""
    return _readings(name)[0]


def _readings(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """The ways to read ``name`` as (surname, given names): with the particles of its surname
    (:data:`SURNAME_PARTICLES`, any case: a name the register holds as «Фон Визин» is the same
    person), and, where that reads otherwise, with its first word alone as the surname («Ван
    Ли Мин» is «Ван» Ли Мин, as «Л.М. Ван» writes him)."""
    text = name.replace("ё", "е").replace("Ё", "Е").casefold().replace(".", ". ")
    for particle in _PARTICLES:  # «Гусейн-оглы» is «Гусейн оглы» written with a hyphen
        text = text.replace(f"-{particle}", f" {particle}")
    words = [w for w in text.replace("\u00a0", " ").split() if w not in _PARTICLES]
    if not words:
        return [("", ())]
    initials = next((i for i, w in enumerate(words) if not _is_initial(w)), len(words))
    tail = words[initials:]
    if (
        initials
        and tail
        and all(w in SURNAME_PARTICLES for w in tail[:-1])
        and not _is_initial(tail[-1])
    ):
        return [_reading(tail, words[:initials])]  # «Д.И. фон Визин»
    count = 0
    while (
        count < len(words) - 1
        and words[count] in SURNAME_PARTICLES
        and not _is_initial(words[count + 1])
    ):
        count += 1
    plain = _reading(words[:1], words[1:])
    with_particles = _reading(words[: count + 1], words[count + 1 :])
    return [with_particles, plain] if count else [plain]


def _reading(surname: list[str], given: list[str]) -> tuple[str, tuple[str, ...]]:
    return " ".join(surname).rstrip("."), tuple(w.rstrip(".") for w in given)


def _is_initial(word: str) -> bool:
    return word.endswith(".") or len(word) == 1


def _same_given(one: str, other: str) -> bool:
    if one == other:
        return True
    short, full = sorted((one, other), key=len)
    return len(short) == 1 and full.startswith(short)


def same_person(one: str, other: str) -> bool:
    """True when two ways of writing a ФИО name one person: «Кинякина Т.И.», «Т. И. Кинякина»
    and «кинякина татьяна игоревна» are «Кинякина Татьяна Игоревна»; «Кинякина Татьяна
    Ивановна» and «Кинякина Т.» are not (another patronymic; a missing one)."""
    return any(
        _agree(mine, theirs) and len(mine[1]) == len(theirs[1])
        for mine in _readings(one)
        for theirs in _readings(other)
    )


def may_be_same_person(one: str, other: str) -> bool:
    """True when one ФИО is the other written shorter: the same surname, and the given names
    both write agree as far as the shorter goes («Кинякина Татьяна» and «Т.И. Кинякина»).
    Not enough to issue or to sign (:func:`same_person` is), but enough that a signature made
    before the names were compared is not called someone else's: it is shown with a warning."""
    return any(_agree(mine, theirs) for mine in _readings(one) for theirs in _readings(other))


def _agree(one: tuple[str, tuple[str, ...]], other: tuple[str, tuple[str, ...]]) -> bool:
    """The same surname, and the given names agree as far as the shorter goes."""
    (surname, given), (other_surname, other_given) = one, other
    return (
        bool(surname)
        and surname == other_surname
        and all(_same_given(a, b) for a, b in zip(given, other_given, strict=False))
    )


def holder_verdict(printed: list[str], holder: str) -> tuple[bool, str | None]:
    """(another person?, a warning) for a signature by ``holder`` (the certificate's ФИО) on a
    document that prints ``printed`` for its signatories: one of them written as he is — fine;
    only written shorter on one side — a warning (:func:`written_differently`); none — another
    person. The one rule of ``nastavnik verify`` and of the archive bag's check."""
    if any(same_person(name, holder) for name in printed):
        return False, None
    shorter = next((name for name in printed if may_be_same_person(name, holder)), None)
    if shorter is not None:
        return False, written_differently(holder, shorter)
    return True, None


def has_initials(name: str) -> bool:
    """True when a given name of ``name`` is only an initial."""
    return any(len(part) == 1 for part in _parts(name)[1])


def register_signatory(org: Organization | None, role: str) -> str | None:
    """The ФИО the register holds for ``role`` (from the workbook's «Организация»): the
    director's or the curator's; None before the first workbook or for another role."""
    if org is None:
        return None
    name = {"director": org.head_name, "curator": org.curator_name}.get(role)
    return " ".join(name.split()) if name else None


def register_position(org: Organization | None, role: str) -> str | None:
    """The position the register holds for ``role`` («Директор» when the workbook gives none)."""
    if org is None:
        return None
    if role == "director":
        return org.head_position or "Директор"
    if role == "curator":
        return org.curator_position or None
    return None


def printed_signatory(document: Document, role: str) -> str | None:
    """The ФИО ``document`` prints on the signature line of ``role`` — from the context it was
    rendered from (``director.name``, ``curator.name``). None for a document kept without its
    context (made by release 0.1), which is not checked."""
    if document.context is None:
        return None
    person = canonical.loads(document.context).get(role)
    name = person.get("name") if isinstance(person, dict) else None
    return " ".join(str(name).split()) if name else None


def not_named(named: list[str], holder: str) -> str:
    """The problem of a signature whose certificate (of ``holder``) names none of the people
    the document names: ``named`` says how it names each («руководитель «Кинякина Татьяна
    Игоревна»», or «Т.И. Кинякина» as its signature line prints it)."""
    who = "подписантами в документе указаны" if len(named) > 1 else "подписантом в документе указан"
    return (
        f"{who} {' и '.join(named)}, а сертификат выдан на имя «{holder}»: подпись поставлена "
        "не тем лицом, которое называет документ"
    )


def written_differently(holder: str, printed: str) -> str:
    """The warning of a signature whose certificate writes the signatory's ФИО shorter than
    the document does (:func:`may_be_same_person`, not :func:`same_person`)."""
    return (
        f"сертификат выдан на имя «{holder}», а подписантом в документе указан «{printed}»: "
        "ФИО записаны по-разному — убедитесь, что это одно лицо"
    )


def role_label(role: str) -> str:
    """«руководитель», «куратор» — the role as the messages name it."""
    return SIGNER_NAMES.get(role, role)


def agreeing(word: str, name: str) -> str:
    """A short past participle agreeing with the person: «указан» → «указана» for a woman."""
    return word + "а" if name_gender(name) == "femn" else word
