"""The bag check compares each signature's certificate with the person the document names,
as ``nastavnik verify`` does: by the ledger entry's record of the signatory (signatures made
from this release on), else by the signature lines of the DOCX in the bag. A certificate of
another person fails with a Russian reason naming both; a ФИО written shorter is valid with a
warning. Real keys from the school's CA, real signatures, a real export (one document archived
here: one short LibreOffice call)."""

from __future__ import annotations

import json
from pathlib import Path

from service.archive.archiving import archive_documents
from service.archive.bag import export_bag
from service.archive.signatories import SignatoryCheck, check_signatory, names_on_signature_lines
from service.archive.verify import verify_bag
from service.register.db import session_factory, session_scope
from service.signing import workflow
from tests.archive_school import (
    CA_PASSWORD,
    DIRECTOR_PASSWORD,
    ORG,
    YEAR,
    copy_home,
    document_id,
)
from tests.signing_calls import sign_documents
from tests.test_archive_bag import openssl_cms
from tests.web_school import issue_key

PETROV = "Петров Иван Сергеевич"
KEY = "пароль-ключа-7"
NOT_HIM = (
    "а сертификат выдан на имя «{}»: подпись поставлена не тем лицом, которое называет документ"
)
SHORTER = (
    "ВНИМАНИЕ: сертификат выдан на имя «{}», а подписантом в документе указан «{}»: ФИО "
    "записаны по-разному — убедитесь, что это одно лицо"
)


def inventory(bag: Path) -> list[dict]:
    return json.loads((bag / "data" / "Опись.json").read_text(encoding="utf-8"))["documents"]


def test_a_signature_by_another_persons_certificate_fails_the_bag_check(
    exported, tmp_path, monkeypatch
):
    """A curator's key issued to Петров (the reason written down) signs the final report the
    way an earlier release let it: no comparison, no record of the signatory in the ledger. The
    bag check reads the report's signature lines and fails that signature, naming both."""
    settings = copy_home(exported[0], tmp_path / "home")
    issue_key(
        settings,
        "petrov",
        PETROV,
        "Куратор",
        "curator",
        KEY,
        ca_password=CA_PASSWORD,
        org=ORG,
        other_name_reason="исполнял обязанности куратора",
    )
    report = document_id(settings, "report_final")  # the director signed it, the curator not
    monkeypatch.setattr(workflow, "_check_signatory", lambda *args: None)
    monkeypatch.setattr(workflow, "printed_signatory", lambda *args: None)
    (signed,) = sign_documents(settings, "petrov", [report], KEY)
    monkeypatch.undo()
    assert signed.ok, signed.message
    passwords = {"petrov": KEY, "director": DIRECTOR_PASSWORD}
    with session_scope(settings.database_url) as s:
        (done,) = archive_documents(s, settings, [report], passwords, school_year=YEAR)
    assert done.ok, done.message
    bag = tmp_path / "пакет"
    export_bag(session_factory(settings.database_url), settings, bag, CA_PASSWORD, year=YEAR)

    files = {
        f["signer_role"] or f["role"]: bag / "data" / f["path"]
        for d in inventory(bag)
        if d["id"] == report
        for f in d["files"]
    }
    checked = verify_bag(bag)
    verdicts = {v.path: v for v in checked.verdicts}
    curator = verdicts[files["curator"].relative_to(bag).as_posix()]
    assert curator.problems == [
        "подписантами в документе указаны «О.Н. Бутрина» и «Т.И. Кинякина», "
        + NOT_HIM.format(PETROV)
    ]
    director = verdicts[files["director"].relative_to(bag).as_posix()]
    assert director.ok and director.notes[0].startswith(
        "подпись верна: Кинякина Татьяна Игоревна, сертификат № "
    )
    assert [v.path for v in checked.verdicts if not v.ok] == [curator.path]
    assert checked.to_text().endswith("ПРОВЕРКА НЕ ПРОЙДЕНА.\n")
    # openssl alone finds Петров's signature intact: only the bag check knows whom it names
    assert openssl_cms(bag, files["curator"], files["docx"]) == 0


def test_the_signatory_recorded_in_the_ledger_or_read_from_the_docx(exported):
    """Signatures made now record the document's signatory in their ledger entry (the bag's
    proofs carry it); without the record the DOCX's lines are read. Another person fails, a
    ФИО written shorter warns, the same person passes."""
    bag = exported[1]
    report = next(d for d in inventory(bag) if d["kind"] == "order_pairs")
    paths = {f["role"]: bag / "data" / f["path"] for f in report["files"]}
    docx = paths["docx"].read_bytes()
    proof = json.loads(paths["proof"].read_text(encoding="utf-8"))
    (entry,) = [json.loads(e["entry"]) for e in proof["entries"] if e["kind"] == "document_signed"]
    assert (entry["details"]["role"], entry["details"]["signatory"]) == (
        "director",
        "Кинякина Татьяна Игоревна",
    )
    assert names_on_signature_lines(docx) == ["Т.И. Кинякина"]
    old = {**entry, "details": {**entry["details"], "signatory": None}}
    full, short = "Кинякина Татьяна Игоревна", "Кинякина Татьяна"
    cases = [
        (entry, full, SignatoryCheck()),
        (old, full, SignatoryCheck()),
        (
            entry,
            PETROV,
            SignatoryCheck(
                problem="подписантом в документе указан руководитель «Кинякина Татьяна "
                "Игоревна», " + NOT_HIM.format(PETROV)
            ),
        ),
        (
            old,
            PETROV,
            SignatoryCheck(
                problem="подписантом в документе указан «Т.И. Кинякина», " + NOT_HIM.format(PETROV)
            ),
        ),
        (entry, short, SignatoryCheck(note=SHORTER.format(short, full))),
        (old, short, SignatoryCheck(note=SHORTER.format(short, "Т.И. Кинякина"))),
        (old, "Кинякина Тамара Ивановна", SignatoryCheck()),  # initials are all a line gives
        (
            entry,
            "Кинякина Тамара Ивановна",
            SignatoryCheck(
                problem="подписантом в документе указан руководитель «Кинякина Татьяна "
                "Игоревна», " + NOT_HIM.format("Кинякина Тамара Ивановна")
            ),
        ),
    ]
    for ledger_entry, holder, expected in cases:
        assert check_signatory(ledger_entry, "director", docx, holder) == expected, holder
    assert check_signatory(None, "director", b"not a docx", PETROV) == SignatoryCheck(
        note="ФИО подписанта не сверено: ни журнал, ни текст документа его не называют"
    )
