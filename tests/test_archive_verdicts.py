"""The bag check's exact verdicts, pinned before its speed work: a bag damaged six ways at
once (a DOCX changed, a proof removed, a signature damaged, another document's signature put
in place of one, a PDF changed, a file added) gets the same verdict texts, file by file, in one
process and in worker processes; and the names the check reads off the signature lines of every
document the school archives (the path of bags whose ledger records no signatory)."""

from __future__ import annotations

import re
from collections import Counter

import bagit
import pytest

from service.archive.bagit_texts import bagit_text
from service.archive.inventory import read_inventory
from service.archive.signatories import names_on_signature_lines
from service.archive.verify import BagReport, _trust, verify_bag
from service.archive.verify_documents import DocumentChecks, check_documents
from tests.test_archive_bag import files_of, flip, inventory

R12 = "data/Раздел 12"
REGULATION = "Положение о наставничестве"
TARGET = "Программа целевой модели наставничества"
ROADMAP = "Дорожная карта внедрения системы наставничества"
COORDINATORS = "Приказ о назначении координатора и кураторов"
PAIRS = "Приказ об утверждении наставников и наставнических пар"
CHANGED = "изменён: SHA-256 не совпадает с манифестом"
NO_ENTRY = "записи об этой подписи нет в журнале (или доказательство неверно)"
DAMAGED = (
    "Значение подписи не сходится с сертификатом подписанта: файл подписи повреждён или подделан"
)
NOT_THE_PDF = "не та PDF-копия, что помещена в архив (по журналу)"
PDF_CHANGED = (
    "подпись 1 в PDF недействительна: Подпись не соответствует документу: документ изменён"
)
MISSING = "отсутствует, хотя есть в манифесте"
AFTER_SIGNING = "изменён после подписания: не совпадает с подписью"


def test_every_verdict_on_a_bag_damaged_six_ways(bag):
    flip(files_of(bag, "order_pairs")["docx"], 2000)
    files_of(bag, "roadmap")["proof"].unlink()
    regulation = files_of(bag, "regulation")["signature"]
    flip(regulation, len(regulation.read_bytes()) - 20)
    files_of(bag, "order_coordinators")["signature"].write_bytes(
        files_of(bag, "order_training")["signature"].read_bytes()
    )
    pdf = files_of(bag, "target_model")["pdf"]
    flip(pdf, len(pdf.read_bytes()) // 3)
    (bag / "data" / "Раздел 12" / "приказ задним числом.docx").write_bytes(b"PK fake")

    report = verify_bag(bag, processes=1)
    (oxum,) = report.problems
    assert re.fullmatch(
        r"BagIt: число или объём файлов данных не совпадает с записанным в bag-info\.txt "
        r"\(Payload-Oxum\): записано файлов 55, байт \d+; найдено файлов 55, байт \d+\.",
        oxum,
    )
    assert [(v.path, v.problems) for v in report.verdicts if not v.ok] == [
        (f"{R12}/01 {REGULATION}/{REGULATION}.docx.p7s", [CHANGED, NO_ENTRY, DAMAGED]),
        (f"{R12}/03 {TARGET}/{TARGET}.pdf", [CHANGED, NOT_THE_PDF, PDF_CHANGED]),
        (f"{R12}/04 {ROADMAP}/{ROADMAP}.docx.p7s", [NO_ENTRY]),
        (f"{R12}/04 {ROADMAP}/{ROADMAP}.журнал.json", ["отсутствует", MISSING]),
        (f"{R12}/05 {COORDINATORS}/{COORDINATORS}.docx", [AFTER_SIGNING]),
        (f"{R12}/05 {COORDINATORS}/{COORDINATORS}.docx.p7s", [CHANGED, NO_ENTRY]),
        (
            f"{R12}/07 {PAIRS}/{PAIRS}.docx",
            [
                CHANGED,
                "не тот документ, что помещён в архив (по журналу)",
                "по журналу подписан другой документ: этот изменён",
                AFTER_SIGNING,
            ],
        ),
        (f"{R12}/приказ задним числом.docx", ["лишний: его нет в манифесте"]),
    ]
    director, curator = "Кинякина Татьяна Игоревна", "Бутрина Ольга Николаевна"
    assert Counter(_plain(v.notes) for v in report.verdicts if v.ok) == {
        (): 20,
        ("записей журнала: 2, все в контрольной точке",): 8,
        (f"отметки о подписи верны: {director}",): 7,
        (f"подпись верна: {director}, сертификат № …",): 6,
        (f"не изменён; подпись {director} верна",): 5,
        (f"подпись верна: {curator}, сертификат № …",): 2,
        ("подпись верна (Удостоверяющий центр)",): 2,
        (f"не изменён; подпись {curator} верна",): 1,
        (f"отметки о подписи верны: {curator}",): 1,
        ("записей журнала: 3, все в контрольной точке",): 1,
        (f"не изменён; подпись {director} верна", f"не изменён; подпись {curator} верна"): 1,
        (f"отметки о подписи верны: {director}, {curator}",): 1,
        ("записей журнала: 4, все в контрольной точке",): 1,
        ("копия без отметки: документ подписан на бумаге (см. скан)",): 1,
    }
    # the worker processes' verdicts are the same, note for note (twice the documents: a pool)
    header, documents = read_inventory((bag / "data" / "Опись.json").read_bytes())
    manifest = {k: v["sha256"] for k, v in bagit.Bag(str(bag)).entries.items()}
    trust = _trust(bag, BagReport(bag))
    one, pool = (check_documents(bag, documents * 2, trust, manifest, processes=n) for n in (1, 2))
    assert sorted((v.path, v.problems, v.notes) for v in pool) == sorted(
        (v.path, v.problems, v.notes) for v in one
    )
    assert sum(not v.ok for v in pool) == 2 * 7


def test_a_path_of_the_inventory_leading_out_of_the_bag_is_never_read(bag, tmp_path):
    """Опись.json is read before BagIt's checks: a path «../../…» in it made the check read a
    file of the inspector's own machine as the bag's (BagIt itself refuses a link out)."""
    import json

    secret = tmp_path / "secret.docx"
    secret.write_bytes(b"the inspector's own file")
    body = json.loads((bag / "data" / "Опись.json").read_text(encoding="utf-8"))
    regulation = next(d for d in body["documents"] if d["kind"] == "regulation")
    docx = next(f for f in regulation["files"] if f["role"] == "docx")
    docx["path"] = "../../secret.docx"
    (bag / "data" / "Опись.json").write_text(json.dumps(body, ensure_ascii=False), "utf-8")
    report = verify_bag(bag, processes=1)
    outside = "путь в описи ведёт за пределы папки data пакета: файл не прочитан"
    verdicts = {v.path: v.problems for v in report.verdicts}
    assert verdicts["data/../../secret.docx"] == [outside]


def _plain(notes: list[str]) -> tuple[str, ...]:
    """The notes without the certificate's serial number and the signing time."""
    return tuple(re.sub(r"№ [0-9A-F:]+, [0-9.: ]+ UTC", "№ …", n) for n in notes)


def test_the_names_on_the_signature_lines_of_every_archived_document(exported):
    bag = exported[1]
    names = {
        d["kind"]: names_on_signature_lines((bag / "data" / d["files"][0]["path"]).read_bytes())
        for d in inventory(bag)
    }
    director, curator = "Т.И. Кинякина", "О.Н. Бутрина"
    assert names == {
        "regulation": [director],
        "order_implementation": [director],
        "target_model": [director],
        "roadmap": [director],
        "order_coordinators": [director],
        "order_training": [director],
        "order_pairs": [director],
        "order_final_event": [director],
        "consent_adult": [],
        "program": [director, curator],
        "report_pair": [curator],
    }


def test_a_folder_that_is_not_a_bag(bag):
    """Refused as a whole, nothing else reported, and the documents' workers (started before
    the bag was opened) stopped: twice the documents, so that they run in a pool."""
    (bag / "bagit.txt").unlink()
    report = verify_bag(bag, processes=2)
    assert report.problems == ["Это не пакет BagIt: в папке нет файла bagit.txt."]
    assert (report.verdicts, report.notes, report.documents) == ([], [], 0)
    header, documents = read_inventory((bag / "data" / "Опись.json").read_bytes())
    trust = _trust(bag, BagReport(bag))
    with DocumentChecks(bag, documents * 2, trust, processes=2) as checks:
        assert checks.parallel
    assert all(part.done() for _, part in checks.parts)


@pytest.mark.parametrize(
    ("english", "russian"),
    [
        ("Expected data directory /x/data does not exist", "в пакете нет папки data."),
        ("No manifest files found", "в пакете нет манифеста (manifest-sha256.txt)."),
        (
            "Bag validation failed",
            "файлы пакета не совпадают с манифестом: изменённые, отсутствующие и лишние "
            "названы ниже.",
        ),
        ("Bag is incomplete", "пакет неполон: не все файлы из fetch.txt на месте."),
        (
            "bagit.txt must not contain a byte-order mark",
            "файл bagit.txt начинается с метки порядка байтов (BOM), а её там быть не должно.",
        ),
        (
            "Malformed URL in fetch.txt: ftp:x",
            "пакет не прошёл проверку BagIt («Malformed URL in fetch.txt: ftp:x»).",
        ),
    ],
)
def test_bagit_library_messages_read_in_russian(english, russian):
    """The inspector reads the report: the bagit library speaks English; a message it has
    that is not known here keeps its words, in brackets after a Russian sentence."""
    assert bagit_text(english) == russian
