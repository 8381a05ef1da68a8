"""A dry run: what a workbook would change, with nothing changed anywhere.

The workbook is read and checked exactly as :func:`~service.pipeline.process_workbook` reads
it; if it would be accepted, it is applied to the register and the documents are planned
inside a transaction that is always rolled back (:func:`rolled_back_session`), so the answer
is the real run's own — people and pairs added or changed, documents to be made, documents
to get a new version (those already signed marked) — while the register, the ledger, the
outbox, the store and the inbox stay as they were: no batch, no event, no file.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from service.config import Settings
from service.documents import russian
from service.documents.not_due import NotDue
from service.documents.planning import plan_documents
from service.errors import NastavnikError
from service.home import one_writer
from service.intake.model import IntakeReport
from service.pipeline import done_summary, read_and_check
from service.register.apply import apply_workbook
from service.register.batches import done_batch
from service.register.db import init_database, rolled_back_session
from service.register.diff import RowChange, compare, snapshot
from service.register.labels import STATUS_NAMES
from service.register.models import DocumentStatus
from service.register.reading import sqlite_file, sqlite_url
from service.register.schema import refusal, schema_state
from service.resent import changed_since
from service.store import sha256_file
from service.versions import pending_changes
from service.withdrawn import withdraw_not_due

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentChange:
    """A document the workbook would make, or a new version of one."""

    title: str
    subject: str
    version: int
    """The version it would be made as (1 for a new document)."""
    previous_status: str | None = None
    """The status of the version it replaces (None for a new document)."""
    previous_signed: bool = False
    """The version it replaces carries signatures: they will have to be given again."""
    withdrawn: bool = False
    """Its content is back to its signed version ``version``: the drafts after it are
    withdrawn and no version is made."""

    @property
    def signatures_note(self) -> str:
        """What becomes of the signatures the replaced version carries: «подписан — …», or, for
        one signed in part (a programme the director and the curator signed, waiting for the
        pair's signatures on paper), «подписан частично — …»."""
        if self.previous_status in (DocumentStatus.SIGNED, DocumentStatus.ARCHIVED):
            return "подписан — потребуется новая подпись"
        return "подписан частично — подписи потребуются заново"

    def to_text(self) -> str:
        """«Приказ о закреплении пар — П-02: новая версия 2; подписан — потребуется новая
        подпись»."""
        line = f"{self.title} — {self.subject}"
        if self.withdrawn:
            return f"{line}: действует подписанная версия {self.version}"
        if self.previous_status is None:
            return line
        line += f": новая версия {self.version}"
        if self.previous_signed:
            return f"{line}; {self.signatures_note}"
        status = STATUS_NAMES.get(DocumentStatus(self.previous_status), self.previous_status)
        return f"{line} (версия {self.version - 1} — {status})"


@dataclass
class DryRun:
    """What the workbook would change (or why it would be refused)."""

    source_name: str
    report: IntakeReport
    refusal: str | None = None
    """Why the register cannot take any workbook now (its schema is behind): a message."""
    duplicate: str | None = None
    """The file was processed already (a real run changes nothing): which batch."""
    changed_since: str = ""
    """For ``duplicate``: later batches changed the register since (:func:`changed_since`)."""
    rows: list[RowChange] = field(default_factory=list)
    new_documents: list[DocumentChange] = field(default_factory=list)
    new_versions: list[DocumentChange] = field(default_factory=list)
    withdrawn: list[DocumentChange] = field(default_factory=list)
    """Documents whose drafts would be withdrawn, their signed version current again."""
    unchanged: int = 0

    @property
    def accepted(self) -> bool:
        return self.refusal is None and self.report.ok

    @property
    def signatures_lost(self) -> int:
        return sum(1 for d in self.new_versions if d.previous_signed)

    def sections(self) -> dict[str, list[RowChange]]:
        """The register's changes by sheet, in the workbook's order."""
        found: dict[str, list[RowChange]] = {}
        for row in self.rows:
            found.setdefault(row.section, []).append(row)
        return found

    def summary(self) -> str:
        """One sentence: accepted or not, and how much would change."""
        if self.refusal:
            return self.refusal
        if self.duplicate:
            return (
                f"Книга «{self.source_name}» уже обработана ({self.duplicate}): при обработке "
                f"ничего не изменится.{self.changed_since} Проверка ничего не изменила."
            )
        if not self.report.ok:
            count = len(self.report.errors)
            return (
                f"Книга «{self.source_name}» не будет принята: "
                f"{count} {russian.plural(count, ('ошибка', 'ошибки', 'ошибок'))}. "
                "Ничего не изменено."
            )
        made = len(self.new_documents) + len(self.new_versions)
        text = (
            f"Книга «{self.source_name}» будет принята: {done_summary(made, self.unchanged)}. "
            "Проверка ничего не изменила."
        )
        if self.withdrawn:
            text += (
                f" Черновиков, которые будут отозваны (действует подписанная версия): "
                f"{len(self.withdrawn)}."
            )
        if self.signatures_lost:
            text += (
                f" Подписанных документов, которым потребуется новая подпись: "
                f"{self.signatures_lost}."
            )
        return text

    def to_text(self) -> str:
        """The whole answer for the CLI: the summary, then the errors, or the changes."""
        if self.refusal or self.duplicate:
            return self.summary()
        if not self.report.ok:
            return self.summary() + "\n\n" + self.report.to_text(self.source_name)
        lines = [self.summary()]
        sections = self.sections()
        if sections:
            lines.append("\nИзменения в реестре:")
            for title, rows in sections.items():
                lines.append(f"  {title}:")
                lines.extend(f"    {row.to_text()}" for row in rows)
        else:
            lines.append("\nВ реестре ничего не изменится.")
        for heading, documents in (
            ("Будут созданы документы", self.new_documents),
            ("Получат новую версию", self.new_versions),
            ("Черновики будут отозваны (содержание как у подписанной версии)", self.withdrawn),
        ):
            if documents:
                lines.append(f"\n{heading} ({len(documents)}):")
                lines.extend(f"  {d.to_text()}" for d in documents)
        if self.report.warnings:  # no «Файл … принят.»: a check hands nothing in
            lines.append(self.report.to_text(self.source_name, headline=False))
        return "\n".join(lines)


def dry_run(settings: Settings, path: Path) -> DryRun:
    """What processing the workbook at ``path`` would change; changes nothing (the register's
    transaction is rolled back; a home without a register is tried on a temporary one)."""
    database = sqlite_file(settings.database_url)
    if database is not None and not database.exists():
        with tempfile.TemporaryDirectory(prefix="nastavnik-dry-run-") as folder:
            url = sqlite_url(Path(folder) / "nastavnik.db")
            init_database(url)
            return _guarded(settings, url, path)
    state = schema_state(settings.database_url)
    if not state.up_to_date:
        return DryRun(path.name, IntakeReport(), refusal=refusal(state))
    with one_writer(settings):  # a real run beside it would change the answer under it
        return _guarded(settings, settings.database_url, path)


def _guarded(settings: Settings, url: str, path: Path) -> DryRun:
    """:func:`_dry_run`, a failure of the service (a bug, a broken disk) answered like the
    real run answers it: a message without the details, which go to the log only."""
    try:
        return _dry_run(settings, url, path)
    except NastavnikError as exc:  # expected and said in Russian, as the real run says it
        return DryRun(path.name, IntakeReport(), refusal=exc.message)
    except Exception:
        log.exception("dry run of %s failed", path.name)
        return DryRun(
            path.name,
            IntakeReport(),
            refusal=(
                f"Внутренняя ошибка при проверке книги «{path.name}». Ничего не изменено. "
                "Подробности — в журнале var/nastavnik.log; сообщите администратору."
            ),
        )


def _dry_run(settings: Settings, url: str, path: Path) -> DryRun:
    with rolled_back_session(url) as session:
        done = done_batch(session, sha256_file(path))
        if done is not None:
            when = f"пакет № {done.id} от {done.started_at:%d.%m.%Y %H:%M}"
            later = changed_since(session, done.id, "сдайте её снова")
            return DryRun(path.name, IntakeReport(), duplicate=when, changed_since=later)
        book, report = read_and_check(settings, session, path)
        result = DryRun(path.name, report)
        if book is None or not report.ok:
            return result
        before = snapshot(session)
        apply_workbook(session, book)
        result.rows = compare(before, snapshot(session))
        notes: list[str] = []
        not_due: list[NotDue] = []
        planned = plan_documents(session, notes, not_due=not_due)
        if notes and book.results:
            report.add("Итоги", None, None, notes[0], warning=True)
        withdraw_not_due(session, not_due, report, "", None, record=False)
        withdrawn: dict[int, int] = {}
        changes_of = pending_changes(settings, session, planned, withdrawn)
        for index, (item, (latest, changes)) in enumerate(zip(planned, changes_of, strict=True)):
            if index in withdrawn:
                result.withdrawn.append(
                    DocumentChange(
                        item.kind.title, item.subject_label, withdrawn[index], withdrawn=True
                    )  # fmt: skip
                )
            if not changes:
                result.unchanged += 1
            elif latest is None:
                result.new_documents.append(DocumentChange(item.kind.title, item.subject_label, 1))
            else:
                result.new_versions.append(
                    DocumentChange(
                        item.kind.title,
                        item.subject_label,
                        latest.version + 1,
                        latest.status,
                        bool(latest.has_signatures),
                    )
                )
        return result
