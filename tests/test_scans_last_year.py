"""The secretary's «сканы» page as the school year turns: last year's versions superseded by
this year's still take last year's paper (service.register.succession.superseded_by_later_year)
and are listed with the rest, by id, each with its school year."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Document
from service.signing.paper import Awaiting, awaiting_paper
from service.web import create_app
from tests.test_year_terms import NEXT_YEAR, PAIR_HEADER, p01
from tests.web_school import login, make_users
from tests.workbooks import valid_sheets, write_workbook

PDF = b"%PDF-1.4\n% a scan of last year's paper\n"


def rows(html: str) -> list[str]:
    """The rows of the «waiting» table, as texts with « | » between cells."""
    table = html[html.index('<table id="waiting"') : html.index("</table>")]
    found = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        found.append(
            " | ".join(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip() for c in cells)
        )
    return found


@pytest.mark.postgresql
def test_last_years_consent_is_listed_with_its_year_and_takes_its_scan(settings, tmp_path):
    """П-01 (Петрова — Смирнов) of 2023–2024 goes on in 2024–2025: the September workbook
    made this year's consents and programme while last year's paper was not scanned yet. The
    «сканы» page listed this year's only; last year's were reached by their id alone."""
    done = process_workbook(settings, write_workbook(tmp_path / "2023.xlsx", valid_sheets()))
    assert done.outcome == Outcome.DONE, done.message
    sheets = {"Организация": NEXT_YEAR, "Пары": [PAIR_HEADER, p01("Н-01", "У-01")]}
    done = process_workbook(settings, write_workbook(tmp_path / "2024.xlsx", sheets))
    assert done.outcome == Outcome.DONE, done.message
    make_users(settings)
    client = create_app(settings, {"WTF_CSRF_ENABLED": False}).test_client()
    login(client, "secretary")
    page = client.get("/secretary/scans").get_data(as_text=True)
    last = "2023–2024 (прошлого года; действует документ нового года)"
    consent, distribution = (
        "Согласие на обработку персональных данных",
        ("Согласие на распространение персональных данных"),
    )
    mentor, programme = (
        "Согласие на назначение наставником",
        ("Персонализированная программа наставничества"),
    )
    smirnov, petrova = "Смирнов Илья Олегович", "Петрова Анна Сергеевна"
    scan = " | DOCX | Приложить скан…"
    expected = [
        f"{consent} | {smirnov} | {last} | участник{scan}",
        f"{distribution} | {smirnov} | {last} | участник{scan}",
        f"{consent} | {petrova} | {last} | участник{scan}",
        f"{distribution} | {petrova} | {last} | участник{scan}",
        f"{mentor} | {petrova} | {last} | наставник{scan}",
        f"{programme} | П-01 | {last} | наставляемый, наставник{scan}",
        f"{consent} | {smirnov} | 2024–2025 | участник{scan}",
        f"{distribution} | {smirnov} | 2024–2025 | участник{scan}",
        f"{consent} | {petrova} | 2024–2025 | участник{scan}",
        f"{distribution} | {petrova} | 2024–2025 | участник{scan}",
        f"{mentor} | {petrova} | 2024–2025 | наставник{scan}",
        f"{programme} | П-01 | 2024–2025 | наставляемый, наставник{scan}",
    ]
    assert rows(page)[1:] == expected
    with session_scope(settings.database_url) as session:
        old, new = session.scalars(
            select(Document.id)
            .where(Document.kind == "consent_adult", Document.subject_key == "person:1")
            .order_by(Document.version)
        ).all()
    assert f'id="scan-{old}"' in page and f'id="scan-{new}"' in page
    with session_scope(settings.database_url) as session:
        years = {(w.year, w.last_year, w.in_force) for w in awaiting_paper(session)}
    assert years == {("2023–2024", True, "2024–2025"), ("2024–2025", False, "2024–2025")}
    form = re.sub(r"\s+", " ", client.get(f"/secretary/scans/{old}").get_data(as_text=True))
    assert f"Приложить скан к документу «{consent} — {petrova}» (2023–2024 учебный год)" in form
    done = client.post(
        "/secretary/scans",
        data={
            "document": str(old),
            "signer_participant": petrova,
            "scan": (io.BytesIO(PDF), "согласие 2023.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert done.status_code == 302 and done.location == "/secretary/scans"
    page = client.get(done.location).get_data(as_text=True)
    assert (
        f"Скан приложен к документу «{consent} — {petrova}»: подписали на бумаге {petrova} "
        "(участник)." in re.sub(r"\s+", " ", page)
    )
    assert rows(page)[1:] == expected[:2] + expected[3:]
    with session_scope(settings.database_url) as session:
        assert [session.get(Document, i).status for i in (old, new)] == ["signed", "generated"]


@pytest.mark.parametrize(
    ("year", "in_force", "said"),
    [
        ("2023–2024", "2024–2025", "прошлого года; действует документ нового года"),
        (
            "2022–2023",
            "2024–2025",
            "прежнего учебного года; действует документ 2024–2025 учебного года",
        ),
        ("2023–2024", None, "прошлого года; действует документ нового года"),
    ],
)
def test_a_version_two_years_old_is_not_called_last_years(year, in_force, said):
    """A version two or more school years older than the one in force was labelled «прошлого
    года» on the «сканы» page."""
    assert Awaiting(None, [], year, True, in_force).replaced == said
    assert Awaiting(None, [], year, False, in_force).replaced == ""
