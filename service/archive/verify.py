"""Offline verification of an exported bag, with nothing but the bag: the full BagIt validation
(every hash recomputed — never the fast mode, which only counts files and bytes), the CA's
signatures on the tag manifests, the checkpoint and the revocation list, every document's CMS
signatures, every PAdES signature of its PDF copy, every ledger proof against the checkpoint,
and the ties between them (the ledger entries name the files' hashes). One verdict per file,
and a total. Nothing is raised for a bad bag: everything wrong is a verdict.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import bagit
from cryptography import x509

from service.archive.bag import SIGNED_TAG_MANIFESTS
from service.archive.bagit_texts import bagit_text
from service.archive.checks import Trust, Verdict
from service.archive.instructions import INSTRUCTIONS_NAME, ca_fingerprint
from service.archive.inventory import (
    CA_FILE,
    CA_FOLDER,
    CHECKPOINT_FILE,
    CRL_FILE,
    INVENTORY_JSON,
    LEDGER_FOLDER,
    read_inventory,
)
from service.archive.verify_documents import DocumentChecks
from service.signing.cms import verify_detached

TAG_FILES = {
    "bagit.txt",
    "bag-info.txt",
    INSTRUCTIONS_NAME,
    *(f"manifest-{a}.txt" for a in ("sha256", "sha512")),
    *SIGNED_TAG_MANIFESTS,
    *(f"{name}.p7s" for name in SIGNED_TAG_MANIFESTS),
}
"""Files a bag of ours has outside ``data/``."""


@dataclass
class BagReport:
    path: Path
    verdicts: list[Verdict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Problems of the bag as a whole (BagIt, the CA, the checkpoint)."""
    notes: list[str] = field(default_factory=list)
    documents: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and all(v.ok for v in self.verdicts)

    def to_text(self) -> str:
        lines = [f"Проверка пакета: {self.path}"]
        lines += self.notes
        lines += [f"ОШИБКА: {p}" for p in self.problems]
        for verdict in self.verdicts:
            head = "ВЕРНО  " if verdict.ok else "НЕВЕРНО"
            detail = "; ".join(verdict.problems or verdict.notes)
            lines.append(
                f"{head} {verdict.path} — {verdict.what}" + (f": {detail}" if detail else "")
            )
        bad = sum(not v.ok for v in self.verdicts)
        lines.append(
            f"ИТОГ: файлов {len(self.verdicts)}, верных {len(self.verdicts) - bad}, "
            f"с ошибками {bad}; документов {self.documents}. "
            + (
                "Пакет цел, все подписи и доказательства верны."
                if self.ok
                else "ПРОВЕРКА НЕ ПРОЙДЕНА."
            )
        )
        return "\n".join(lines) + "\n"


def verify_bag(path: Path, processes: int = 2, full: bool = False) -> BagReport:
    """Everything that can be checked in the bag at ``path``; ``full``: pyHanko validates
    every PDF copy in full, not only the first one of each signing certificate.

    The documents' checks start first, in worker processes (they need only the CA and the
    checkpoint); BagIt's validation runs here meanwhile, and the documents' files are compared
    with its manifest at the end. The report reads as if one came after the other."""
    report, found = BagReport(path), BagReport(path)
    data = path / "data"
    trust = _trust(path, found)  # reported after BagIt's findings, as checked after them
    try:
        header, documents = read_inventory((data / INVENTORY_JSON).read_bytes())
    except (OSError, ValueError, KeyError, TypeError):
        found.problems.append("Опись.json отсутствует или повреждена: документы не проверить.")
        documents = []
    report.documents = len(documents)
    with DocumentChecks(path, documents if trust else [], trust, processes, full) as checks:
        try:
            bag = bagit.Bag(str(path))
        except bagit.BagError as exc:
            return BagReport(path, problems=[f"Это не пакет BagIt: {bagit_text(str(exc))}"])
        # the documents' workers have the cores: BagIt hashes here rather than in two more
        issues = _bagit_issues(bag, 1 if checks.parallel else processes, report)
        report.notes += found.notes
        report.problems += found.problems
        verdicts: dict[str, Verdict] = {}
        for name in sorted(TAG_FILES | {p.name for p in path.iterdir() if p.is_file()}):
            verdicts[name] = _tag_verdict(path, name, trust, bag)
        files = {_rel(path, p) for p in data.rglob("*") if p.is_file()}
        manifest = {k: v.get("sha256", "") for k, v in bag.entries.items()}
        for verdict in checks.verdicts(manifest):
            verdicts[verdict.path] = verdict
    for relative in sorted(set(manifest) | files):
        if relative not in verdicts:
            verdicts[relative] = Verdict(relative, "файл пакета")
            if relative in manifest and (path / relative).is_file():
                _hash_check(path, relative, manifest, verdicts[relative])
    for relative, problems in issues.items():
        verdict = verdicts.setdefault(relative, Verdict(relative, "файл пакета"))
        verdict.problems += [p for p in problems if p not in verdict.problems]
    report.verdicts = sorted(
        verdicts.values(), key=lambda v: (not v.path.startswith("data/"), v.path)
    )
    return report


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _bagit_issues(bag: bagit.Bag, processes: int, report: BagReport) -> dict[str, list[str]]:
    """Full BagIt validation; problems by file."""
    issues: dict[str, list[str]] = {}
    try:
        bag.validate(processes=max(1, processes), fast=False)
    except bagit.BagValidationError as exc:
        report.problems.append(f"BagIt: {bagit_text(exc.message)}")
        for detail in exc.details or []:
            path = detail.path.replace("\\", "/")
            if isinstance(detail, bagit.ChecksumMismatch):
                issues.setdefault(path, []).append(f"изменён: {detail.algorithm} не совпадает")
            elif isinstance(detail, bagit.FileMissing):
                issues.setdefault(path, []).append("отсутствует, хотя есть в манифесте")
            elif isinstance(detail, bagit.UnexpectedFile):
                issues.setdefault(path, []).append("лишний: его нет в манифесте")
        if not exc.details:  # the count-and-size check failed before the files were compared
            missing, extra = bag.compare_manifests_with_fs()
            for path in missing:
                issues.setdefault(path, []).append("отсутствует, хотя есть в манифесте")
            for path in extra:
                issues.setdefault(path, []).append("лишний: его нет в манифесте")
    except bagit.BagError as exc:
        report.problems.append(f"BagIt: {bagit_text(str(exc))}")
    else:
        report.notes.append(
            f"BagIt (RFC 8493), полная проверка библиотекой bagit {bagit.VERSION}: пакет цел."
        )
    return issues


def _trust(path: Path, report: BagReport) -> Trust | None:
    """The bag's CA, revocation list and checkpoint, each checked."""
    data = path / "data"
    try:
        ca = x509.load_pem_x509_certificate((data / CA_FOLDER / CA_FILE).read_bytes())
    except (OSError, ValueError):
        report.problems.append("Нет сертификата удостоверяющего центра (ca.pem) или он повреждён.")
        return None
    report.notes.append(
        f"Удостоверяющий центр: {ca.subject.rfc4514_string()}; отпечаток SHA-256 "
        f"{ca_fingerprint(ca)} — сверьте его с отпечатком, полученным от школы."
    )
    revoked = {}
    try:
        crl = x509.load_pem_x509_crl((data / CA_FOLDER / CRL_FILE).read_bytes())
        if not crl.is_signature_valid(ca.public_key()):
            raise ValueError("bad CRL signature")
        revoked = {r.serial_number: r.revocation_date_utc for r in crl}
    except (OSError, ValueError, TypeError):
        report.problems.append("Список отозванных сертификатов (crl.pem) отсутствует или подделан.")
    head_path = data / LEDGER_FOLDER / CHECKPOINT_FILE
    try:
        head = head_path.read_bytes()
        signature = head_path.with_name(CHECKPOINT_FILE + ".p7s").read_bytes()
        text = head.decode("utf-8")
        size = int(re.search(r"размер: (\d+)", text)[1])
        root = re.search(r"корень: ([0-9a-f]{64})", text)[1]
    except (OSError, TypeError, UnicodeDecodeError):
        report.problems.append("Контрольной точки журнала нет или она повреждена.")
        return Trust((ca,), revoked, 0, "")
    status = verify_detached(head, signature, [ca])
    if status.intact and status.valid and status.trusted:
        report.notes.append(
            f"Контрольная точка журнала: записей {size}, корень {root}; подписана УЦ."
        )
    else:
        report.problems.append(
            "Подпись контрольной точки журнала неверна: " + "; ".join(status.problems)
        )
    return Trust((ca,), revoked, size, root)


def _tag_verdict(path: Path, name: str, trust: Trust | None, bag: bagit.Bag) -> Verdict:
    verdict = Verdict(name, "служебный файл пакета")
    if name not in TAG_FILES:
        verdict.problems.append("лишний файл: такого нет в пакетах, которые выгружает школа")
        return verdict
    if not (path / name).exists():
        verdict.problems.append("отсутствует")
        return verdict
    if name.endswith(".p7s"):
        verdict.what = "подпись школы (УЦ) на списке файлов пакета"
        if trust is None:
            verdict.problems.append("нечем проверить: нет сертификата УЦ")
            return verdict
        content = (path / name.removesuffix(".p7s")).read_bytes()
        status = verify_detached(content, (path / name).read_bytes(), trust.ca)
        if status.intact and status.valid and status.trusted:
            verdict.notes.append(f"подпись верна ({status.signer_name})")
        else:
            verdict.problems += list(status.problems) or ["подпись неверна"]
    return verdict


def _hash_check(root: Path, relative: str, manifest: dict[str, str], verdict: Verdict) -> str:
    digest = hashlib.sha256((root / relative).read_bytes()).hexdigest()
    if manifest.get(relative) and manifest[relative] != digest:
        verdict.problems.append("изменён: SHA-256 не совпадает с манифестом")
    return digest
