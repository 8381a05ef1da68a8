"""A register that took a «Учебный год» typed a year ahead before year17 refused it (left20):
«2027–2028» sent in December 2026 was taken, and since then the corrected «2026–2027» is
refused as last year's, while «2027–2028» is refused as not begun — the office was stuck for
good. A register whose own school year has not begun yet takes this year's workbook."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from service.intake import rules
from service.intake.years import school_year
from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Document, Organization
from tests.test_year_boundary import september
from tests.workbooks import organization_rows, write_workbook


def test_a_register_of_a_year_not_begun_takes_this_years_workbook(settings, tmp_path, monkeypatch):
    now = school_year(date.today())
    typed = school_year(date.today() + timedelta(days=92)) + 1  # more than 3 months ahead
    sheets = september(now)
    sheets["Организация"] = organization_rows(**{"Учебный год": f"{typed}–{typed + 1}"})
    with monkeypatch.context() as earlier:  # the release before year17 took it
        earlier.setattr(rules, "check_future_year", lambda *args: False)
        taken = process_workbook(settings, write_workbook(tmp_path / "сентябрь.xlsx", sheets))
    assert taken.outcome == Outcome.DONE, taken.message
    corrected = process_workbook(settings, write_workbook(tmp_path / "верная.xlsx", september(now)))
    assert corrected.outcome == Outcome.DONE, [str(p) for p in corrected.report.problems]
    with session_scope(settings.database_url) as session:
        assert session.get(Organization, 1).school_year == f"{now}–{now + 1}"
        orders = session.scalars(
            select(Document).where(Document.kind == "order_implementation").order_by(Document.id)
        )
        # the order of the year typed wrong made again for this year's, for the director
        assert [(d.version, str(d.status)) for d in orders] == [
            (1, "superseded"),
            (2, "awaiting_signature"),
        ]
    # a register of this year still refuses last year's workbook (play16)
    last = september(now - 1)
    refused = process_workbook(settings, write_workbook(tmp_path / "прошлая.xlsx", last))
    assert refused.outcome == Outcome.REJECTED
    assert "— прошлый: реестр уже ведёт" in refused.report.problems[0].message
