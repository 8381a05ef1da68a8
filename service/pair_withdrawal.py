"""A pair entered by mistake, withdrawn by the secretary: nothing of it signed, it leaves the
programme — its unsigned drafts leave the director's queue (superseded, one ledger event
``pair_withdrawn``), and the documents are made again without it as a batch of their own
(«Исключение пары П-07»): the order on pairs and the year's figures no longer name it. The
register keeps the pair, marked withdrawn (its drafts and events name it); a workbook naming
its code again is refused (:mod:`service.intake.withdrawn_pairs`).

A pair with a signed document — its programme or report signed by anyone, on paper or with a
key, or a signed order on pairs listing it — is not withdrawn: nothing signed is deleted, and
a signed document is voided only by the director's order (the message says so).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from service.config import Settings
from service.documents.catalogue import BY_ID
from service.documents.planning import plan_documents
from service.errors import Conflict, NastavnikError
from service.home import one_writer
from service.intake.model import IntakeReport
from service.pipeline import BATCH_RETRIES, Outcome, ProcessResult, fail_batch, write_batch
from service.register.batches import new_batch
from service.register.db import retry_when_locked, rolled_back_session, session_scope
from service.register.events import NewEvent, record_events
from service.register.labels import STATUS_NAMES, WITHDRAWAL_BATCH
from service.register.models import DocumentStatus
from service.register.withdrawal import (
    PairStanding,
    Version,
    pair_standing,
    same_file_as_unsigned,
    signed_in_force,
    withdraw,
)
from service.versions import pending_changes


@dataclass(frozen=True)
class Withdrawal:
    """What withdrawing a pair did."""

    code: str
    drafts: list[Version]
    """Its versions that left the queue."""
    result: ProcessResult
    """The batch that made the documents again without it."""
    same_file: dict[tuple[str, str], int] = field(default_factory=dict)
    """(kind, SHA-256) of a version made now → the earlier unsigned version with that very
    file (:func:`~service.register.withdrawal.same_file_as_unsigned`)."""

    @property
    def message(self) -> str:
        text = f"Пара «{self.code}» исключена из реестра (пакет № {self.result.batch_id})"
        if self.drafts:
            text += "; отозваны черновики: " + ", ".join(version_label(v) for v in self.drafts)
        if self.result.withdrawn:  # drafts of others, made when the pair was added
            text += "; снова действуют подписанные версии: " + ", ".join(
                f"«{d['title']}» — {d['subject']}, версия {d['current_version']} "
                f"(черновик версии {d['version']} отозван)"
                for d in self.result.withdrawn
            )
        made = self.result.entries or []
        if made:
            text += "; без неё составлены заново: " + ", ".join(
                sorted({BY_ID[e.kind].title if e.kind in BY_ID else e.kind for e in made})
            )
        same = [
            (e, self.same_file[e.kind, e.sha256])
            for e in made
            if (e.kind, e.sha256) in self.same_file
        ]
        for e, earlier in same:  # a paper of the earlier version, signed already, is the new one's
            text += (
                f"; «{e.title}» — {e.subject}, версия {e.version} — тот же файл, что версия "
                f"{earlier}: если её уже подписали на бумаге, приложите скан этой бумаги к версии "
                f"{e.version}, подписывать заново не нужно"
            )
        return text + "."


LEAVES_THE_QUEUE = "Уйдёт из очереди на подпись: "
"""What the confirmation says of each draft the withdrawal takes out of the queue."""
SIGNED_MADE_AGAIN = "Подписанный документ будет составлен заново (новая версия — на подпись): "
"""What the confirmation says of each signed document the withdrawal makes again."""


def version_label(version: Version, *, state: bool = True) -> str:
    """«…программа…», версия 1 (возвращён на доработку); without its ``state`` for a signed one
    («подписаны («…», версия 1)», not «(ожидает подписи)» while others are still to sign)."""
    title = BY_ID[version.kind].title if version.kind in BY_ID else version.kind
    label = f"«{title}», версия {version.version}"
    return f"{label} ({STATUS_NAMES.get(version.status, version.status)})" if state else label


def refusal(standing: PairStanding) -> str | None:
    """Why ``standing``'s pair cannot be withdrawn; None when it can."""
    code = standing.code
    if standing.withdrawn_at is not None:
        return f"Пара «{code}» уже исключена из реестра {standing.withdrawn_at:%d.%m.%Y в %H:%M}."
    if standing.ended_before is not None:
        end, year = standing.ended_before
        return (
            f"Пару «{code}» нельзя исключить: её срок закончился {end:%d.%m.%Y}, до "
            f"{year} учебного года, который ведёт реестр. Документы прошлых учебных лет заново "
            "не составляются — программа и приказы того года по-прежнему называли бы её. "
            "Исключить можно только пару текущего учебного года."
        )
    if standing.signed:
        signed = ", ".join(version_label(v, state=False) for v in standing.signed)
        return (
            f"Пару «{code}» нельзя исключить: её документы подписаны ({signed}). Подписанный "
            "документ не удаляется; отменить его можно только приказом директора. Если пара "
            "прекратила работу, укажите на листе «Итоги» статус «завершена досрочно» и причину."
        )
    if standing.approved:
        return (
            f"Пару «{code}» нельзя исключить: её утвердил подписанный приказ об утверждении "
            "наставников и наставнических пар. Подписанный приказ не удаляется; исключить пару "
            "можно только новым приказом директора. Если пара прекратила работу, укажите на "
            "листе «Итоги» статус «завершена досрочно» и причину."
        )
    return None


def withdrawal_plan(settings: Settings, code: str, wait: float | None = None) -> PairStanding:
    """The pair ``code`` and what withdrawing it would withdraw and make again, found in a
    transaction rolled back (nothing changes); :class:`Conflict` with the reason when it
    cannot be withdrawn. ``wait``: for a workbook being processed, as :func:`withdraw_pair`."""
    with one_writer(settings, wait), rolled_back_session(settings.database_url) as session:
        standing = pair_standing(session, code)
        if (why := refusal(standing)) is not None:
            raise Conflict(why)
        _find_changes(settings, session, standing)
    return standing


def plan_lines(standing: PairStanding) -> list[str]:
    """What the withdrawal of ``standing``'s pair would do, a line each, as the confirmation
    page and ``nastavnik withdraw-pair`` list it."""
    lines = [f"{LEAVES_THE_QUEUE}{version_label(v)}" for v in standing.drafts]
    lines += [LEAVES_THE_QUEUE + restored for restored in standing.restored]
    return lines + [SIGNED_MADE_AGAIN + signed for signed in standing.signed_made_again]


def _find_changes(settings: Settings, session: Session, standing: PairStanding) -> None:
    """The signed documents the withdrawal would make again and the drafts it would take out
    of the queue for their signed version, as the dry run of a workbook finds them: the pair
    withdrawn in ``session`` (the caller rolls it back), the documents planned and compared
    with their latest versions (nothing rendered)."""
    withdraw(session, standing, "", None)
    planned = plan_documents(session)
    back: dict[int, int] = {}  # planned index → the signed version in force again
    changes = pending_changes(settings, session, planned, back)
    for index, signed_version in sorted(back.items()):
        item, (latest, _) = planned[index], changes[index]
        if latest is not None:
            state = STATUS_NAMES.get(latest.status, latest.status)
            standing.restored.append(
                f"«{item.kind.title}» — {item.subject_label}, версия {latest.version} "
                f"({state}); снова действует подписанная версия {signed_version}"
            )
    remade = [
        (item, latest)
        for item, (latest, new) in zip(planned, changes, strict=True)
        if new and latest is not None
    ]
    # the latest version a draft withdrawn since (the signed one in force again): that one
    withdrawn = {
        (i.kind.id, i.subject_key) for i, v in remade if v.status == DocumentStatus.SUPERSEDED
    }
    in_force = signed_in_force(session, withdrawn)
    for item, latest in remade:
        signed = in_force.get((item.kind.id, item.subject_key))
        if latest.has_signatures:  # signed, or signed by some and waiting for the others
            signed = Version(latest.id, item.kind.id, latest.version, latest.status)
        if signed is not None:
            state = STATUS_NAMES.get(signed.status, signed.status)
            standing.signed_made_again.append(
                f"«{item.kind.title}» — {item.subject_label}, версия {signed.version} ({state})"
            )


def withdraw_pair(
    settings: Settings, code: str, actor: str, wait: float | None = None
) -> Withdrawal:
    """Withdraw the pair ``code`` (checked again under the register's write lock) and make the
    documents again without it; :class:`Conflict` when it cannot be withdrawn. ``wait``: for
    a workbook being processed, at most so many seconds (:class:`~service.errors.Busy`)."""
    url = settings.database_url
    with one_writer(settings, wait):
        with session_scope(url) as session:
            standing = pair_standing(session, code)
            if (why := refusal(standing)) is not None:
                raise Conflict(why)
            name = f"{WITHDRAWAL_BATCH}{standing.code}"
            # a batch of no file: its «sha256» is unique, so never «этот файл уже обработан»
            key = f"pair_withdrawn {standing.id} {datetime.now().isoformat()}"
            batch = new_batch(session, name, hashlib.sha256(key.encode()).hexdigest())
            details = {"pair": standing.code}
            record_events(session, [NewEvent("batch_received", actor, batch.id, None, details)])
            batch_id = batch.id
        withdrawn: list[Version] = []

        def attempt() -> ProcessResult:
            def change(session) -> None:
                now = pair_standing(session, code)  # as it is under the write lock
                if (why := refusal(now)) is not None:
                    raise Conflict(why)
                withdrawn[:] = withdraw(session, now, actor, batch_id)

            return write_batch(
                settings, batch_id, name, name, IntakeReport(), actor, change, report_text=text
            )

        def text() -> str:
            """The batch's report: what was done, and the pair's drafts that left the queue."""
            said = (
                f"Пара «{standing.code}» ({standing.mentor} — {', '.join(standing.mentees)}) "
                f"исключена из реестра как введённая по ошибке; документы составлены без неё.\n"
            )
            if withdrawn:
                said += f"\nОтозваны из очереди на подпись черновики пары «{standing.code}»:\n"
                said += "".join(f"— {version_label(v)}\n" for v in withdrawn)
            return said

        try:
            result = retry_when_locked(attempt, retries=BATCH_RETRIES)
        except Exception as exc:  # said in Russian where it is shown; a bug is logged there
            said = exc.message if isinstance(exc, NastavnikError) else None
            fail_batch(url, batch_id, said or f"Внутренняя ошибка (пакет № {batch_id}).")
            raise
    if result.outcome != Outcome.DONE:
        raise Conflict(result.message)
    # a document the participants sign on paper, not the director: a paper signed already
    made = [
        (e.kind, e.sha256, e.version)
        for e in result.entries or []
        if e.version > 1 and e.kind in BY_ID and "director" not in BY_ID[e.kind].signers
    ]
    with session_scope(url) as session:
        same = same_file_as_unsigned(session, made)
    return Withdrawal(standing.code, withdrawn, result, same)
