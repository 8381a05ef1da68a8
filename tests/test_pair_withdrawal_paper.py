"""A pair entered by mistake for a mentor who had one already (left22b): her consent, version 1
printed for her to sign on paper, was made again as version 2 naming both pairs; withdrawing the
mistaken pair made it again as version 3 — the very file of version 1, and nothing said so: the
secretary printed it again and the mentor signed a second paper. The withdrawal now says that
version 3 is version 1's file, so the paper of version 1, if signed, is scanned onto version 3.

Version 1 itself is not brought back: nobody signed it, and the register takes the newest
version of a document for its current one everywhere (the queue, the pages, the next workbook's
comparison); a signed version 1 is brought back already (service/restored.py), as checked here."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from service.cli import main
from service.config import load_settings
from service.home import initialise_home
from service.intake.demo import MENTEES, MENTORS, ORGANIZATION, PAIRS, write_filled_workbook
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Document
from tests.archive_school import SCAN
from tests.signing_calls import attach_scan

MENTOR = "Белова Елена Викторовна"
CONSENT = "Согласие на назначение наставником"


def _school(home: Path, *, signed: bool):
    settings = load_settings({"home": home, "database_url": ""})
    initialise_home(settings)
    pairs = [p for p in PAIRS if p["Код пары"] != "П-03"]
    mistaken = {**next(p for p in PAIRS if p["Код пары"] == "П-03"), "Наставник": MENTOR}
    for n, rows in enumerate((pairs, [*pairs, mistaken])):
        path = home / f"книга-{n}.xlsx"
        write_filled_workbook(
            path, organization=ORGANIZATION, mentors=MENTORS, mentees=MENTEES, pairs=rows
        )
        assert process_workbook(settings, path).outcome == Outcome.DONE
        if n == 0 and signed:
            attach_scan(settings, _versions(settings)[0][0], SCAN)
    return settings


def _versions(settings) -> list[tuple[int, int, str, str]]:
    with session_scope(settings.database_url) as s:
        found = s.scalars(
            select(Document)
            .where(Document.kind == "mentor_consent", Document.subject_label == MENTOR)
            .order_by(Document.version)
        )
        return [(d.id, d.version, d.status, d.sha256) for d in found]


def _withdraw(settings) -> str:
    done = CliRunner().invoke(
        main, ["--home", str(settings.home), "withdraw-pair", "П-03", "--yes"]
    )
    assert done.exit_code == 0, done.output
    return done.output


def test_the_withdrawal_says_the_consent_made_again_is_the_unsigned_paper(tmp_path):
    settings = _school(tmp_path / "школа", signed=False)
    output = _withdraw(settings)
    (_, _, first, sha), (_, _, second, _), (_, _, third, again) = _versions(settings)
    assert (first, second, third, again) == ("superseded", "superseded", "generated", sha)
    assert (
        f"; «{CONSENT}» — {MENTOR}, версия 3 — тот же файл, что версия 1: если её уже подписали "
        "на бумаге, приложите скан этой бумаги к версии 3, подписывать заново не нужно."
    ) in output
    assert output.count("тот же файл") == 1  # the order on pairs is the director's to sign


def test_a_signed_consent_is_in_force_again_and_nothing_is_said_of_paper(tmp_path):
    settings = _school(tmp_path / "школа", signed=True)
    output = _withdraw(settings)
    assert [(v, status) for _, v, status, _ in _versions(settings)] == [
        (1, "signed"),
        (2, "superseded"),
    ]
    assert f"«{CONSENT}» — {MENTOR}, версия 1 (черновик версии 2 отозван)" in output
    assert "тот же файл" not in output
