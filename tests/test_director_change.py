"""The director changes mid-year: the administrator makes the new director a user and issues
her key. Found by a played school year (play11): the key was issued, ФИО left empty, before the
workbook named the new director — and the certificate of the new director's login said the
former director's name, so the new director could sign as him. Real CA, SQLite, openssl."""

from __future__ import annotations

import html
import io
import re
import subprocess
from datetime import timedelta

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from sqlalchemy import func, select

from service.archive.archiving import archive_documents, signer_logins
from service.archive.bag import export_bag
from service.archive.integrity import verify_archive
from service.archive.verify import verify_bag
from service.intake import demo
from service.register.archive_models import ArchiveItem
from service.register.db import session_factory, session_scope
from service.register.disabling import disable_user
from service.register.models import Document, DocumentStatus, Event, Organization, Signer
from service.register.users import add_user, find_user
from service.signing.signers import revoke_signer
from service.signing.workflow import pending_documents
from tests.signing_calls import attach_scan, sign_documents
from tests.test_school_year import parameters
from tests.test_signing_cli import run
from tests.test_signing_workflow import DIRECTOR_PASSWORD, build_school, doc_id
from tests.test_year_results import Outcome, process
from tests.web_school import CA_PASSWORD, login

NEW = "Мамедов Эльчин Рашид оглы"
YEAR = demo.ORGANIZATION["Учебный год"]
PETROVA = "Петрова Анна Сергеевна"
"""A mentor of the demo school (Н-01), who becomes its director in January."""
REFUSED = (
    "Сертификат не выпущен: пользователь «mamedov» — Мамедов Эльчин Рашид оглы, а сертификат "
    "был бы выдан на имя «Кинякина Татьяна Игоревна» (руководитель школы в реестре — "
    "«Кинякина Татьяна Игоревна»), и этим ключом Мамедов Эльчин Рашид оглы подписывал бы "
    "документы от чужого имени. Если руководство сменилось, сначала обработайте книгу школы с "
    "новым ФИО (лист «Организация», «Руководитель (ФИО)»), затем выпустите сертификат. Если "
    "ФИО в учётной записи набрано с ошибкой, исправьте его («Изменить» на странице "
    'администратора, nastavnik user edit mamedov --name "…").'
)


def texts(response) -> str:
    page = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return html.unescape(re.sub(r"\s+", " ", page))


def keys_and_events(settings) -> tuple[list[tuple[str, str]], int]:
    with session_scope(settings.database_url) as s:
        keys = [(k.user.login, k.full_name) for k in s.scalars(select(Signer).order_by(Signer.id))]
        return keys, len(s.scalars(select(Event.id)).all())


def test_the_new_directors_key_is_not_issued_in_the_former_directors_name(client, web_school):
    settings = web_school.settings
    with session_scope(settings.database_url) as s:
        add_user(s, "mamedov", NEW, ["director"], "пароль-мамедова-1")
    before = keys_and_events(settings)
    login(client, "admin")
    form = {"login": "mamedov", "role": "director", "full_name": "", "position": ""}
    form |= {
        "ca_password": CA_PASSWORD,
        "password": "временный-2",
        "password_repeat": "временный-2",
    }
    page = client.post("/admin/signers", data=form)
    assert page.status_code == 409 and REFUSED in texts(page)
    command = run(
        settings.home,
        "signer",
        "add",
        "--user",
        "mamedov",
        "--password-stdin",
        stdin=f"{CA_PASSWORD}\nвременный-2\n",
    )
    assert (command.returncode, command.stdout, command.stderr) == (1, "", f"Ошибка: {REFUSED}\n")
    assert keys_and_events(settings) == before
    # once the school's workbook names him, his key is issued in his name
    with session_scope(settings.database_url) as s:
        s.get(Organization, 1).head_name = NEW
    issued = client.post("/admin/signers", data=form, follow_redirects=True)
    assert issued.status_code == 200 and f"Сертификат выпущен: {NEW}, №" in texts(issued)
    assert keys_and_events(settings)[0] == before[0] + [("mamedov", NEW)]


def sign_everything(settings, folder) -> None:
    """The signing tests' school; the director signs every document that waits for her."""
    build_school(settings, folder)
    with session_scope(settings.database_url) as s:
        ids = [d.id for d in pending_documents(s, "director")]
    results = sign_documents(settings, "director", ids, DIRECTOR_PASSWORD)
    assert [r.message for r in results if not r.ok] == []


@pytest.fixture
def signed_school(homes, database_kind, tmp_path, request):
    return homes.copy(request, sign_everything, database_kind, tmp_path / "home")


def current(settings) -> dict[tuple[str, str], tuple]:
    """Each document in force: (kind, subject) → (id, version, status, file, signatures)."""
    with session_scope(settings.database_url) as s:
        rows = s.scalars(select(Document).where(Document.status != DocumentStatus.SUPERSEDED))
        return {
            (d.kind, d.subject_label): (
                d.id,
                d.version,
                str(d.status),
                d.sha256,
                sorted((g.role, g.signer_name) for g in d.signatures),
            )
            for d in rows
        }


@pytest.mark.postgresql
def test_a_new_director_does_not_sign_again_what_the_former_one_signed(signed_school, tmp_path):
    """Found by play11: a workbook naming the new director made a new version of everything
    the former director had signed — the regulation, the orders (new orders voiding the signed
    ones), the programmes and the contracts (their signatures dropped while they waited for
    the paper) — and put all of them in the new director's queue."""
    before = current(signed_school)
    signed = {k: v for k, v in before.items() if ("director", "Кинякина Татьяна Игоревна") in v[4]}
    assert len(signed) == 14
    moved = process(
        signed_school,
        tmp_path / "январь.xlsx",
        {"Организация": parameters({**demo.ORGANIZATION, "Руководитель (ФИО)": PETROVA})},
    )
    assert moved.outcome == Outcome.DONE, moved.message
    after = current(signed_school)
    assert {k: after[k] for k in signed} == signed
    made = sorted((k, v[1], v[2]) for k, v in after.items() if before.get(k) != v)
    # only what the former director has not signed names the new one: Белова's consent to be a
    # mentor, addressed to the director, not signed on paper yet
    assert made == [(("mentor_consent", "Белова Елена Викторовна"), 2, "generated")]


def test_a_mentor_does_not_sign_her_consent_again_for_a_new_director(signed_school, tmp_path):
    """Found by play11: a mentor's consent addressed to the director («Директору … Кинякиной
    Т.И. от …»), signed on paper and scanned, was made again addressed to the new director —
    the mentor to sign it once more, though she had given it."""
    with session_scope(signed_school.database_url) as s:
        consent = s.scalars(
            select(Document.id).where(
                Document.kind == "mentor_consent",
                Document.subject_label == "Белова Елена Викторовна",
            )
        ).one()
    attach_scan(signed_school, consent, b"%PDF-1.4\n% her consent, signed\n%%EOF\n")
    before = current(signed_school)
    moved = process(
        signed_school,
        tmp_path / "январь.xlsx",
        {"Организация": parameters({**demo.ORGANIZATION, "Руководитель (ФИО)": PETROVA})},
    )
    assert moved.outcome == Outcome.DONE, moved.message
    assert current(signed_school) == before


def test_documents_the_former_director_signed_are_archived_after_her_key_is_revoked(
    signed_school, tmp_path
):
    """Found by play11: her key revoked when she left, every document she had signed was
    refused by the archive («Ключ … отозван или истёк: PDF-копию нельзя заверить его
    подписью») — the regulation and the orders of section 12 could never be archived, and the
    year's bag went out without them. Now the copy carries her mark without a PAdES signature,
    the ledger says so, and the bag checks as whole."""
    settings = signed_school
    with session_scope(settings.database_url) as s:
        (key,) = revoke_signer(s, "director", "уволена, приказ управления образования № 3-к")
        # the template school was signed a moment ago: a revocation in the same second would
        # count as before the signature (the CRL keeps whole seconds); she left later
        key.revoked_at += timedelta(minutes=1)
    order = doc_id(settings, "order_implementation")
    with session_scope(settings.database_url) as s:
        assert signer_logins(s, [order]) == []  # no password asked of a key that signs no more
        (result,) = archive_documents(s, settings, [order], {})
        revoked = s.scalars(select(Signer).where(Signer.revoked_at.is_not(None))).one()
        why = f"сертификат отозван {revoked.revoked_at:%d.%m.%Y %H:%M} — после подписания"
        pdf_sha = s.scalars(select(ArchiveItem.pdf_sha256)).one()
        details = s.scalars(select(Event).where(Event.kind == "document_archived")).one().details
    assert result.ok, result.message
    assert f"отметок о подписи 1 (без подписи PDF: Кинякина Татьяна Игоревна, {why})" in (
        result.message
    )
    assert details["marks_without_pades"] == [
        {"serial": revoked.serial, "owner": "Кинякина Татьяна Игоревна", "reason": why}
    ]
    pdf = tmp_path / "copy.pdf"
    pdf.write_bytes((settings.archive_dir / pdf_sha[:2] / pdf_sha).read_bytes())
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
    assert "ДОКУМЕНТ ПОДПИСАН" in text and "Владелец: Кинякина Татьяна Игоревна" in text
    assert PdfFileReader(io.BytesIO(pdf.read_bytes())).embedded_signatures == []
    with session_scope(settings.database_url) as s:
        inside = verify_archive(s, settings)
    assert [v.problems for v in inside.verdicts if v.problems] == []
    exported = export_bag(
        session_factory(settings.database_url), settings, tmp_path / "bag", CA_PASSWORD, year=YEAR
    )
    with session_scope(settings.database_url) as s:  # the rest of the year she signed
        left = s.scalar(select(func.count(Document.id)).where(Document.status == "signed"))
    assert left > 0 and exported.unarchived_warning() == (
        f"Внимание: подписанных документов {YEAR} учебного года, ещё не помещённых в архив: "
        f"{left} — в пакете их нет. Поместите их в архив (nastavnik archive add --all) и "
        "выгрузите пакет снова."
    )
    report = verify_bag(tmp_path / "bag", processes=1)
    assert report.ok, report.to_text()
    copy = next(v for v in report.verdicts if v.path.endswith("наставничества.pdf"))
    assert copy.notes == [
        f"отметка о подписи Кинякина Татьяна Игоревна (сертификат № {revoked.serial}) — без "
        f"подписи PDF: {why}; подпись проверяется по файлу .p7s"
    ]


def test_a_switched_off_former_director_is_not_asked_for_her_password(signed_school):
    """The administrator switched her off («Отключить…», as docs/security.md says for one who
    left) without revoking her key: archiving asked for the password of «director» — of
    someone gone — and archived nothing. Her mark goes on the copy without a PAdES signature,
    as for a revoked key."""
    settings = signed_school
    with session_scope(settings.database_url) as s:
        director = find_user(s, "director")
        disable_user(s, director, actor="admin")
        director.disabled_at += timedelta(minutes=1)  # she left after signing, not that second
        off = director.disabled_at
    order = doc_id(settings, "order_coordinators")
    with session_scope(settings.database_url) as s:
        assert signer_logins(s, [order]) == []
        (result,) = archive_documents(s, settings, [order], {})
    assert result.ok, result.message
    assert (
        "отметок о подписи 1 (без подписи PDF: Кинякина Татьяна Игоревна, владелец ключа "
        f"отключён {off:%d.%m.%Y %H:%M} — после подписания)" in result.message
    )


def test_a_signed_version_put_back_with_a_new_director_is_not_made_again(signed_school, tmp_path):
    """A workbook changes the coordinator (the signed order on coordinators gets a draft for
    the director), the next one puts the coordinator back and names the new director: the
    signed order is in force again, the draft withdrawn (service.restored) — not a third
    version naming the new director for her to sign what her predecessor signed."""
    before = current(signed_school)
    key = next(k for k in before if k[0] == "order_coordinators")
    other = {**demo.ORGANIZATION, "Координатор (ФИО)": "Зуева Ирина Викторовна"}
    changed = process(signed_school, tmp_path / "ноябрь.xlsx", {"Организация": parameters(other)})
    assert changed.outcome == Outcome.DONE, changed.message
    assert current(signed_school)[key][1:3] == (2, "awaiting_signature")
    back = {**demo.ORGANIZATION, "Руководитель (ФИО)": PETROVA}
    moved = process(signed_school, tmp_path / "январь.xlsx", {"Организация": parameters(back)})
    assert moved.outcome == Outcome.DONE, moved.message
    assert current(signed_school)[key] == before[key]


def test_a_workbook_naming_a_switched_off_director_is_taken_with_a_warning(signed_school, tmp_path):
    """Found by play13: the administrator switched the director who left off and made the new
    one a user; a workbook still naming the former one as «Руководитель (ФИО)» was taken with no
    word, and every document named her — a director whose key cannot sign them. The same for
    a director whose key is revoked and none issued since."""
    workbook = {"Организация": parameters(demo.ORGANIZATION)}
    where = "лист «Организация», строка 7, столбец «Руководитель (ФИО)»: "
    with session_scope(signed_school.database_url) as s:
        revoke_signer(s, "director", "ключ скомпрометирован")
    moved = process(signed_school, tmp_path / "декабрь.xlsx", workbook)
    assert moved.outcome == Outcome.DONE, moved.message
    assert [str(w) for w in moved.report.warnings] == [
        f"{where}Кинякина Татьяна Игоревна — ключ подписи (учётная запись «director») отозван, "
        "действующего нет. В документах подписант — Кинякина Татьяна Игоревна, а отозванным "
        "ключом их не подписать. Если руководитель сменился, укажите ФИО нового руководителя; "
        "если нет — попросите администратора выпустить новый сертификат. Книга принята."
    ]
    with session_scope(signed_school.database_url) as s:
        disable_user(s, find_user(s, "director"), actor="admin")
        add_user(s, "petrova", PETROVA, ["director"], "пароль-петровой-1")
    # the same sheet, the ФИО typed with a double space (another file, not a repeat of it)
    name = demo.ORGANIZATION["Руководитель (ФИО)"].replace(" ", "  ", 1)
    again = {"Организация": parameters({**demo.ORGANIZATION, "Руководитель (ФИО)": name})}
    moved = process(signed_school, tmp_path / "январь.xlsx", again)
    assert moved.outcome == Outcome.DONE, moved.message
    assert moved.message.endswith("Предупреждений: 1.")
    assert [str(w) for w in moved.report.warnings] == [
        f"{where}Кинякина Татьяна Игоревна — учётная запись «director» отключена "
        "администратором. В документах подписант — Кинякина Татьяна Игоревна, а ключом "
        "отключённой учётной записи их не подписать. Если руководитель сменился, укажите ФИО "
        "нового руководителя; если нет — попросите администратора включить учётную запись. "
        "Книга принята."
    ]
    # the workbook naming the new director: no warning
    renamed = {**demo.ORGANIZATION, "Руководитель (ФИО)": PETROVA}
    moved = process(signed_school, tmp_path / "февраль.xlsx", {"Организация": parameters(renamed)})
    assert moved.outcome == Outcome.DONE, moved.message
    assert moved.report.warnings == []
