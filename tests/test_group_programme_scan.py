"""A group's programme signed on paper (one mentor, several mentees): each mentee has his own
line on the paper, and a scan recorded only the first mentee's signature. The secretary now
ticks every mentee (and the guardian of a minor mentee who signed beside him) on the scan page;
each is recorded, the programme stays on the «сканы» page until every mentee signed, and the
inspector's check of the file lists them all. Played through the secretary's and the
inspector's pages (Flask test client) over a small workbook of one group."""

from __future__ import annotations

import html
import io
import re
from datetime import date

from sqlalchemy import select

from service.pipeline import Outcome, process_workbook
from service.register.db import session_scope
from service.register.models import Document
from service.web import create_app
from tests.test_scans_last_year import rows
from tests.web_school import login
from tests.workbooks import (
    MENTEE_HEADER,
    MENTOR_HEADER,
    PAIR_HEADER,
    organization_rows,
    write_workbook,
)

MOROZOVA, ZUEV, TKACHENKO = (
    "Морозова Алина Сергеевна", "Зуев Никита Андреевич", "Ткаченко Владислав Игоревич",
)  # fmt: skip
MOROZOV, ZUEVA, PETROVA = (
    "Морозов Сергей Николаевич", "Зуева Ирина Викторовна", "Петрова Анна Сергеевна",
)  # fmt: skip

GROUP = {
    "Организация": organization_rows(),
    "Наставники": [
        MENTOR_HEADER,
        ["Н-01", PETROVA, date(1980, 3, 14), "педагог", "учитель литературы", None, "нет",
         None, None],
    ],
    "Наставляемые": [
        MENTEE_HEADER,
        ["У-01", MOROZOVA, date(2010, 3, 22), "обучающийся", "7 А", MOROZOV],
        ["У-02", ZUEV, date(2009, 5, 17), "обучающийся", "8 Б", ZUEVA],
        ["У-03", TKACHENKO, date(2005, 8, 30), "обучающийся", "11 А", None],
    ],
    "Пары": [
        PAIR_HEADER,
        ["П-01", PETROVA, f"{MOROZOVA}; {ZUEV}; {TKACHENKO}", "Учитель – ученик", "групповая",
         date(2023, 10, 2), date(2024, 5, 31), "Повышение мотивации к учёбе"],
    ],
}  # fmt: skip

PROGRAMME = "Персонализированная программа наставничества"


def flat(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def scan(client, programme: int, **signers) -> str:
    """Post a scan of the programme with these ticks; the «сканы» page it leads to."""
    data = {"document": str(programme), "named": "1", "scan": (io.BytesIO(b"%PDF-1.4\n"), "п.pdf")}
    data.update({f"signer_{role}": names for role, names in signers.items()})
    done = client.post("/secretary/scans", data=data, content_type="multipart/form-data")
    assert done.status_code == 302 and done.location == "/secretary/scans"
    return client.get(done.location).get_data(as_text=True)


def post_scan(client, programme: int, ticks: dict):
    sheet = io.BytesIO(b"%PDF-1.4\n% another sheet\n")  # the same file again: test_double_submit
    data = {"document": str(programme), "named": "1", "scan": (sheet, "п.pdf")}
    return client.post("/secretary/scans", data=data | ticks, content_type="multipart/form-data")


def test_every_mentee_of_a_group_and_a_minors_guardian_are_recorded(users_home, tmp_path):
    done = process_workbook(users_home, write_workbook(tmp_path / "группа.xlsx", GROUP))
    assert done.outcome == Outcome.DONE, done.message
    with session_scope(users_home.database_url) as session:
        programme = session.scalars(select(Document.id).where(Document.kind == "program")).one()
    app = create_app(users_home, {"WTF_CSRF_ENABLED": False})
    client = app.test_client()
    login(client, "secretary")
    listed = f"{PROGRAMME} | П-01 | 2023–2024 | наставляемые, наставник | DOCX | Приложить скан…"
    assert listed in rows(client.get("/secretary/scans").get_data(as_text=True))

    form = flat(client.get(f"/secretary/scans/{programme}").get_data(as_text=True))
    boxes = re.findall(r'<input type="checkbox" name="(\w+)" value="([^"]+)"( checked)?>', form)
    assert boxes == [
        ("signer_mentee", MOROZOVA, " checked"),
        ("signer_mentee", ZUEV, " checked"),
        ("signer_mentee", TKACHENKO, " checked"),
        ("signer_guardian", MOROZOV, ""),  # a guardian signs only where he did
        ("signer_guardian", ZUEVA, ""),
    ]
    assert (
        f"<li>наставляемые: {MOROZOVA}, {ZUEV}, {TKACHENKO}</li><li>законные представители: "
        f"{MOROZOV}, {ZUEVA}</li>" in form
    )
    assert "Кто из наставляемых подписал (отметьте каждого)" in form
    assert "Кто из законных представителей подписал (отметьте каждого)" in form
    assert f'<option value="{PETROVA}" selected>{PETROVA}</option>' in form

    # the first sheet of signatures: Ткаченко was ill, Зуева did not come
    page = scan(client, programme, mentor=PETROVA, mentee=[MOROZOVA, ZUEV], guardian=[MOROZOV])
    # a girl signs as «наставляемая» (play10: «Ершова Полина Артёмовна (наставляемый)»)
    assert (
        f"подписали на бумаге {PETROVA} (наставник); {MOROZOVA} (наставляемая); {ZUEV} "
        f"(наставляемый); {MOROZOV} (законный представитель)." in flat(page)
    )
    listed = f"{PROGRAMME} | П-01 | 2023–2024 | наставляемый | DOCX | Приложить скан…"
    assert listed in rows(page)
    form = flat(client.get(f"/secretary/scans/{programme}").get_data(as_text=True))
    assert re.findall(r'<input type="checkbox" name="(\w+)" value="([^"]+)"', form) == [
        ("signer_guardian", ZUEVA)
    ]
    assert f'<option value="{TKACHENKO}" selected>{TKACHENKO}</option>' in form
    assert "Кто подписал как наставник" not in form

    # nothing ticked: a message, nothing recorded
    refused = post_scan(client, programme, {"signer_mentee": "", "signer_guardian": []})
    assert refused.status_code == 400
    assert "Не отмечен никто из подписавших: отметьте, чьи подписи есть на этом скане." in (
        flat(html.unescape(refused.get_data(as_text=True)))
    )
    with session_scope(users_home.database_url) as session:
        assert len(session.get(Document, programme).signatures) == 4

    page = scan(client, programme, mentee=TKACHENKO, guardian=[ZUEVA])
    assert f"подписали на бумаге {TKACHENKO} (наставляемый); {ZUEVA} (законный представитель)." in (
        flat(page)
    )
    assert [r for r in rows(page) if r.startswith(PROGRAMME)] == []
    # another sheet naming the guardian again: said in words, not by the role's code
    again = post_scan(client, programme, {"signer_guardian": [ZUEVA]})
    assert again.status_code == 409
    assert f"Документ «{PROGRAMME}» (П-01) уже подписан всеми, кого указывает скан." in (
        flat(html.unescape(again.get_data(as_text=True)))
    )
    assert f'id="scan-{programme}"' not in page
    with session_scope(users_home.database_url) as session:
        document = session.get(Document, programme)
        assert document.status == "awaiting_signature"  # the curator and the director next
        assert [(s.role, s.signer_name) for s in document.signatures] == [
            ("mentor", PETROVA),
            ("mentee", MOROZOVA),
            ("mentee", ZUEV),
            ("guardian", MOROZOV),
            ("mentee", TKACHENKO),
            ("guardian", ZUEVA),
        ]

    # the inspector checks the programme's file: every paper signature is listed
    inspector = app.test_client()
    login(inspector, "inspector")
    data = inspector.get(f"/documents/{programme}/file").get_data()
    assert len(data) > 1000
    verdict = flat(
        inspector.post(
            "/inspector/verify",
            data={"file": (io.BytesIO(data), "программа.docx")},
            content_type="multipart/form-data",
        ).get_data(as_text=True)
    )
    listed = verdict[verdict.index('<ul id="signatures">') :]
    listed = listed[: listed.index("</ul>")]
    found = re.findall(
        r"<li>подпись на бумаге \((.+?)\), [^<]+: <span class=\"ok\">скан на месте", listed
    )
    assert found == [
        f"наставник — {PETROVA}",
        f"наставляемая — {MOROZOVA}",
        f"наставляемый — {ZUEV}",
        f"законный представитель — {MOROZOV}",
        f"наставляемый — {TKACHENKO}",
        f"законный представитель — {ZUEVA}",
    ]


def test_the_command_records_each_name_given(settings, tmp_path):
    """«nastavnik attach-scan ID FILE» took one «--name»: each repeated one is recorded now
    (a mentee of the group, a minor's guardian), and without any, every mentee."""
    from tests import cli

    done = process_workbook(settings, write_workbook(tmp_path / "группа.xlsx", GROUP))
    assert done.outcome == Outcome.DONE, done.message
    with session_scope(settings.database_url) as session:
        programme = session.scalars(select(Document.id).where(Document.kind == "program")).one()
    paper = tmp_path / "программа.pdf"
    paper.write_bytes(b"%PDF-1.4\n")
    home = ("--home", str(settings.home))
    named = ("--name", MOROZOVA, "--name", ZUEVA, "--name", PETROVA)
    done = cli.nastavnik(*home, "attach-scan", str(programme), str(paper), *named)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"Скан приложен к документу № {programme}: подписали на бумаге {MOROZOVA} "
        f"(наставляемая); {ZUEVA} (законный представитель); {PETROVA} (наставник).\n"
    )
    done = cli.nastavnik(*home, "attach-scan", str(programme), str(paper))
    assert done.stdout == (
        f"Скан приложен к документу № {programme}: подписали на бумаге {ZUEV} "
        f"(наставляемый); {TKACHENKO} (наставляемый).\n"
    )
