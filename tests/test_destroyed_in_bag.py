"""The inspector's exported archive (BagIt, ``nastavnik archive export``) names a document
destroyed by an act (left22b): its inventory listed 7 section-12 documents and had no folder 07,
without a word, while «Сводка по разделу 12» beside it said «есть 8 из 8» and row 7 «уничтожен
(акт № … от …)». Now Опись.xlsx, Опись.pdf and Опись.json list it in its place, «Файл» its
state, no file, and a participant's document without whom it was about; the bag still passes
BagIt's validation, its signed tag manifest and ``nastavnik archive verify``."""

from __future__ import annotations

import json
import subprocess
from datetime import date

from click.testing import CliRunner
from openpyxl import load_workbook

from service.cli import main
from service.register.archive import archive_item_of
from service.register.db import session_scope
from service.register.models import Document
from tests.archive_school import (
    CA_PASSWORD,
    YEAR,
    copy_home,
    destroy_as_director,
    document_id,
)
from tests.test_archive_bag import bagit_valid, cli_verify, tag_manifest_signed

ORDER = "Приказ об утверждении наставников и наставнических пар"
CONSENT = "Согласие на обработку персональных данных"


def test_the_bag_lists_a_destroyed_document_with_its_act(exported, tmp_path):
    settings = copy_home(exported[0], tmp_path / "школа")
    order = document_id(settings, "order_pairs")
    consent = document_id(settings, "consent_adult")
    with session_scope(settings.database_url) as s:
        due = max(archive_item_of(s, d).retain_until for d in (order, consent))
        label = s.get(Document, consent).subject_label
        order_sha, consent_sha = (s.get(Document, d).sha256 for d in (order, consent))
        order_number = s.get(Document, order).number
    act = destroy_as_director(settings, [order, consent], due)
    state = f"уничтожен (акт № {act.number} от {date.today():%d.%m.%Y})"
    bag = tmp_path / "пакет"
    done = CliRunner().invoke(
        main,
        ["--home", str(settings.home), "archive", "export", str(bag), "--year", YEAR]
        + ["--password-stdin"],
        input=f"{CA_PASSWORD}\n",
    )
    assert done.exit_code == 0, done.output

    data = bag / "data"
    folders = sorted(p.name[:2] for p in (data / "Раздел 12").iterdir())
    assert folders == ["01", "02", "03", "04", "05", "06", "08"]
    rows = list(load_workbook(data / "Опись.xlsx").active.values)[2:]
    section12 = [r[5] for r in rows[:8]]
    assert [f.split("/")[1][:2] for f in section12[:6]] == ["01", "02", "03", "04", "05", "06"]
    assert section12[6] == state and section12[7].startswith("Раздел 12/08 ")
    assert rows[6][:5] == (
        7,
        f"{ORDER} — МБОУ Идринская СОШ (версия 1)",
        rows[6][2],
        order_number,
        None,
    )
    assert rows[6][6] == order_sha
    (gone,) = [r for r in rows[8:] if r[5] == state]
    assert (gone[1], gone[4], gone[6]) == (f"{CONSENT} (версия 1)", None, consent_sha)
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))

    body = json.loads((data / "Опись.json").read_text(encoding="utf-8"))
    assert {d["id"] for d in body["documents"]} & {order, consent} == set()
    kept = len(body["documents"])
    assert f"; документов {kept} (и уничтоженных по акту 2: в описи, без файлов), " in done.output
    listed = {d["id"]: (d["title"], d["subject"], d["state"]) for d in body["destroyed"]}
    assert listed == {
        order: (ORDER, "МБОУ Идринская СОШ", state),
        consent: (CONSENT, "—", state),
    }
    pdf = subprocess.run(
        ["pdftotext", "-layout", str(data / "Опись.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert pdf.count("уничтожен (акт №") == 2
    for name in ("Опись.xlsx", "Опись.json", "Опись.pdf"):
        assert label.encode() not in (data / name).read_bytes()
    assert label not in json.dumps(body, ensure_ascii=False) and label not in pdf
    instructions = (bag / "ПРОВЕРКА.txt").read_text(encoding="utf-8")
    assert "Уничтожено по акту документов: 2 — они есть в описи" in instructions

    assert bagit_valid(bag) and tag_manifest_signed(bag)
    code, output = cli_verify(bag)
    assert code == 0, output
    assert "НЕВЕРНО" not in output and "Пакет цел, все подписи и доказательства верны" in output
