"""Export for an inspection and offline verification: the exported year validates, and each
tampering — one byte in a DOCX, a PDF, a .p7s, a manifest (with manifests regenerated), a file
removed, a file added — is caught by ``nastavnik archive verify`` and by an independent check
(openssl, bagit, pyhanko), each in a fresh copy of the bag."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import bagit
import pytest
from click.testing import CliRunner

from service.archive.inventory import read_inventory
from service.archive.verify import BagReport, _trust, verify_bag
from service.archive.verify_documents import check_documents
from service.cli import main
from tests.archive_school import CA_PASSWORD, YEAR

CA = "data/Удостоверяющий центр/ca.pem"


def inventory(bag: Path) -> list[dict]:
    return json.loads((bag / "data" / "Опись.json").read_text(encoding="utf-8"))["documents"]


def files_of(bag: Path, kind: str) -> dict[str, Path]:
    document = next(d for d in inventory(bag) if d["kind"] == kind)
    return {f["role"]: bag / "data" / f["path"] for f in document["files"]}


def openssl_cms(bag: Path, signature: Path, content: Path, *extra: str) -> int:
    return subprocess.run(
        ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(signature)]
        + ["-content", str(content), "-CAfile", str(bag / CA), "-out", "/dev/null", *extra],
        capture_output=True,
    ).returncode


def tag_manifest_signed(bag: Path) -> bool:
    name = bag / "tagmanifest-sha256.txt"
    return openssl_cms(bag, name.with_name(name.name + ".p7s"), name, "-purpose", "any") == 0


def bagit_valid(bag: Path) -> bool:
    try:
        bagit.Bag(str(bag)).validate(fast=False)
    except bagit.BagError:
        return False
    return True


def pyhanko_valid(bag: Path, pdf: Path) -> bool:
    return (
        subprocess.run(
            [str(Path(sys.executable).parent / "pyhanko"), "sign", "validate"]
            + ["--trust", str(bag / CA), "--trust-replace", "--no-revocation-check", str(pdf)],
            capture_output=True,
            timeout=120,
        ).returncode
        == 0
    )


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def cli_verify(bag: Path, *options: str) -> tuple[int, str]:
    """``nastavnik archive verify`` run by an inspector with no school home of his own."""
    home = bag.parent / "проверяющий"
    result = CliRunner().invoke(
        main, ["--home", str(home), "archive", "verify", str(bag), *options]
    )
    assert not (home / "var" / "nastavnik.db").exists()  # verifying needs no register
    return result.exit_code, result.output


def test_the_exported_year_validates(bag):
    names = sorted(p.name for p in bag.iterdir())
    assert names == sorted(
        ["bag-info.txt", "bagit.txt", "data", "manifest-sha256.txt", "manifest-sha512.txt"]
        + ["tagmanifest-sha256.txt", "tagmanifest-sha256.txt.p7s", "tagmanifest-sha512.txt"]
        + ["tagmanifest-sha512.txt.p7s", "ПРОВЕРКА.txt"]
    )
    data = bag / "data"
    for name in ("Опись.xlsx", "Опись.pdf", "Опись.json", "Сводка по разделу 12.docx"):
        assert (data / name).is_file()
    assert len(list((data / "Раздел 12").iterdir())) == 8
    assert (data / "Пары" / "П-01").is_dir() and (data / "Участники").is_dir()
    assert bagit_valid(bag) and tag_manifest_signed(bag)
    code, output = cli_verify(bag)
    assert code == 0, output
    assert "НЕВЕРНО" not in output and "Пакет цел, все подписи и доказательства верны" in output
    assert output.count("ВЕРНО") == sum(1 for p in bag.rglob("*") if p.is_file())
    for document in inventory(bag):
        docx = bag / "data" / document["files"][0]["path"]
        for file in document["files"]:
            if file["role"] == "signature":
                assert openssl_cms(bag, bag / "data" / file["path"], docx) == 0
    inventory_pdf = subprocess.run(
        ["pdftotext", "-layout", str(data / "Опись.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "Приказ об утверждении наставников" in inventory_pdf and "SHA-256" in inventory_pdf


def test_the_instructions_work_as_written(bag):
    text = (bag / "ПРОВЕРКА.txt").read_text(encoding="utf-8")
    assert YEAR in text and "bagit.py --validate ." in text and "-purpose any" in text
    script = text[
        text.index("python3 - <<'КОНЕЦ'") : text.index("КОНЕЦ\n", text.index("<<'КОНЕЦ'") + 10) + 6
    ]
    done = subprocess.run(["bash", "-c", script], cwd=bag, capture_output=True, text=True)
    assert done.returncode == 0 and "Ошибок: 0" in done.stdout, done.stdout + done.stderr
    assert "НЕВЕРНО" not in done.stdout and done.stdout.count("ВЕРНО") >= 2 * len(inventory(bag))
    loop = text[text.index("find data -name") : text.index("done\n", text.index("find data")) + 4]
    done = subprocess.run(["bash", "-c", loop], cwd=bag, capture_output=True, text=True)
    assert done.stdout.count("CMS Verification successful") == sum(
        1 for _ in (bag / "data").rglob("*.docx*.p7s")
    )


def test_one_byte_changed_in_a_docx(bag):
    files = files_of(bag, "order_pairs")
    flip(files["docx"], 2000)
    code, output = cli_verify(bag)
    assert code == 1 and f"НЕВЕРНО {files['docx'].relative_to(bag)}" in output
    assert openssl_cms(bag, files["signature"], files["docx"]) != 0
    assert not bagit_valid(bag)


def test_one_byte_changed_in_a_docx_with_every_manifest_regenerated(bag):
    files = files_of(bag, "order_implementation")
    flip(files["docx"], 3000)
    bagit.Bag(str(bag)).save(manifests=True)  # a forger recomputes every hash
    assert bagit_valid(bag)  # BagIt alone cannot tell
    code, output = cli_verify(bag)
    assert code == 1 and "изменён после подписания" in output
    assert "tagmanifest-sha256.txt.p7s" in output.split("НЕВЕРНО", 1)[1]
    assert not tag_manifest_signed(bag)
    assert openssl_cms(bag, files["signature"], files["docx"]) != 0


@pytest.mark.parametrize(
    "full, verdict",
    [
        (
            False,
            "подпись 1 в PDF недействительна: Подпись не соответствует документу: "
            "документ изменён;",
        ),
        (True, "подпись 1 в PDF недействительна (PDF изменён после подписания);"),
    ],
    ids=["signature-check", "pyhanko-every-pdf"],
)
def test_one_byte_changed_in_a_pdf(bag, full, verdict):
    pdf = files_of(bag, "order_training")["pdf"]
    flip(pdf, len(pdf.read_bytes()) // 3)
    code, output = cli_verify(bag, *(["--full"] if full else []))
    assert code == 1 and f"НЕВЕРНО {pdf.relative_to(bag)}" in output
    assert verdict in output
    assert not pyhanko_valid(bag, pdf)
    assert not bagit_valid(bag)


def test_one_byte_changed_in_a_p7s(bag):
    files = files_of(bag, "regulation")
    flip(files["signature"], len(files["signature"].read_bytes()) - 20)
    code, output = cli_verify(bag)
    assert code == 1 and f"НЕВЕРНО {files['signature'].relative_to(bag)}" in output
    assert openssl_cms(bag, files["signature"], files["docx"]) != 0
    assert not bagit_valid(bag)


def test_one_byte_changed_in_a_manifest_with_tag_manifests_regenerated(bag):
    manifest = bag / "manifest-sha256.txt"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(("1" if text[0] != "1" else "2") + text[1:], encoding="utf-8")
    bagit.Bag(str(bag)).save()  # tag manifests recomputed over the edited manifest
    code, output = cli_verify(bag)
    assert code == 1 and "НЕВЕРНО tagmanifest-sha256.txt.p7s" in output
    assert not tag_manifest_signed(bag)
    assert not bagit_valid(bag)


def test_a_file_removed(bag):
    proof = files_of(bag, "roadmap")["proof"]
    proof.unlink()
    code, output = cli_verify(bag)
    assert code == 1 and f"НЕВЕРНО {proof.relative_to(bag)}" in output and "отсутствует" in output
    assert not bagit_valid(bag)


def test_a_file_added(bag):
    extra = bag / "data" / "Раздел 12" / "приказ задним числом.docx"
    extra.write_bytes(b"PK fake")
    code, output = cli_verify(bag)
    assert code == 1 and f"НЕВЕРНО {extra.relative_to(bag)}" in output
    assert not bagit_valid(bag)


def test_the_school_signature_on_the_file_list_is_required(bag):
    (bag / "tagmanifest-sha256.txt.p7s").unlink()
    (bag / "README.txt").write_text("подложено", encoding="utf-8")
    code, output = cli_verify(bag)
    assert code == 1
    assert "НЕВЕРНО tagmanifest-sha256.txt.p7s — служебный файл пакета: отсутствует" in output
    assert "НЕВЕРНО README.txt" in output


def test_documents_are_checked_in_worker_processes_alike(exported):
    bag = exported[1]
    one = verify_bag(bag, processes=1)
    header, documents = read_inventory((bag / "data" / "Опись.json").read_bytes())
    manifest = {k: v["sha256"] for k, v in bagit.Bag(str(bag)).entries.items()}
    trust = _trust(bag, BagReport(bag))
    twice = check_documents(bag, documents * 2, trust, manifest, processes=2)  # ≥ 16: a pool
    assert len(twice) == 2 * sum(len(d.files) for d in documents)
    assert all(v.ok for v in twice) and one.ok


def test_export_needs_the_ca_password_and_an_empty_folder(exported, tmp_path):
    settings, bag = exported
    home = ["--home", str(settings.home), "archive", "export"]
    wrong = CliRunner().invoke(main, [*home, str(tmp_path / "a"), "--password-stdin"], input="x\n")
    assert (
        wrong.exit_code == 1
        and (
            "Неверный пароль удостоверяющего центра школы (осталось попыток: 4, затем центр "
            "будет заблокирован на 15 минут)."
        )
        in wrong.output
    )
    busy = CliRunner().invoke(main, [*home, str(bag), "--password-stdin"], input=CA_PASSWORD)
    assert busy.exit_code == 1 and "не пуста" in busy.output
    none = CliRunner().invoke(
        main,
        [*home, str(tmp_path / "b"), "--year", "2019-2020", "--password-stdin"],
        input=CA_PASSWORD,
    )
    assert none.exit_code == 1 and "нет документов" in none.output


def test_a_second_version_in_the_bag_is_named_by_its_version_not_an_id():
    """play10: the 2025–2026 bag held «Приказ об утверждении наставников и наставнических пар
    (версия 2, № 29).docx» — 29 the register's id, read beside an order as its number (the
    order's is 4/26). The second version is «(версия 2)»; the id only tells apart two
    documents of one name and version in one folder."""
    from datetime import datetime
    from types import SimpleNamespace

    from service.archive.inventory import bag_document

    def item(document_id: int, version: int, number: str) -> SimpleNamespace:
        document = SimpleNamespace(
            id=document_id, kind="order_pairs", version=version, number=number,
            subject_label="МБОУ Идринская СОШ", reg_date=None, signatures=[],
            created_at=datetime(2024, 1, 22, 10, 0),
            file_name="Приказ об утверждении наставников и наставнических пар.docx",
        )  # fmt: skip
        files = [{"role": "docx", "sha256": "0" * 64}]
        return SimpleNamespace(document=document, pages=2, files=files, pdf_sha256="1" * 64)

    folder, taken = "Раздел 12/07 Приказ", set()
    names = [
        bag_document(item(i, version, number), folder, taken, {}).files[0].path
        for i, version, number in ((6, 1, "3/24"), (29, 2, "4/24"), (31, 2, "5/24"))
    ]
    stem = f"{folder}/Приказ об утверждении наставников и наставнических пар"
    assert names == [
        f"{stem}.docx",
        f"{stem} (версия 2).docx",
        f"{stem} (версия 2, документ 31).docx",
    ]
