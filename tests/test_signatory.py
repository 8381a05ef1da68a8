"""A certificate signs only in its holder's name: a key of the director (or curator) is issued
on the ФИО the register holds, a document is signed only by a certificate of the person it
prints on its signature line, and verification reports a signature of anyone else. Real CA,
real keys, real SQLite, the system openssl."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from sqlalchemy import select

from service.register.db import session_scope
from service.register.models import Document, DocumentStatus, Event, Organization, Signer
from service.register.users import find_user, issue_api_token
from service.signing import workflow
from service.signing.ca import issue_signer
from service.signing.errors import SigningError
from service.signing.signatory import may_be_same_person, same_person
from service.signing.signer import open_ca
from service.signing.signers import add_signer, import_signer
from service.store import FileStore
from tests.signing_calls import sign_documents
from tests.test_signing_cli import run
from tests.test_signing_workflow import CA_PASSWORD, build_school, doc_id
from tests.web_school import issue_key, login

PETROV = "Петров Иван Сергеевич"
PETROV_KEY = "пароль-петрова-1"
REASON = "приказ № 12-к от 30.11.2026: исполняет обязанности директора на время отпуска"
REFUSED_ISSUE = (
    "Сертификат не выпущен: в нём было бы ФИО «Петров Иван Сергеевич», а руководитель школы "
    "в реестре — «Кинякина Татьяна Игоревна» (книга школы, лист «Организация», «Руководитель "
    "(ФИО)»). Документы называют подписантом «Кинякина Татьяна Игоревна», и подпись другого "
    "лица не совпала бы с ними. Если ФИО набрано с ошибкой, не указывайте его (в команде — без "
    "«--name», на странице — пустое поле «ФИО»): оно возьмётся из реестра. Если руководство "
    "сменилось, сначала обработайте книгу школы с новым ФИО. Если сертификат всё же нужен на "
    'это ФИО, укажите причину (в команде — «--other-name-reason "…"», на странице — поле '
    "«Причина, если ФИО не из реестра»): она будет записана в журнал событий. Подписать им "
    "можно только документы, в которых подписантом указано это ФИО."
)


def refused_signing(document_id: int, title: str, serial: str) -> str:
    return (
        f"Документ № {document_id} «{title}» не подписан: подписантом в нём указан "
        "руководитель «Кинякина Татьяна Игоревна», а сертификат № "
        f"{serial}, которым вы подписываете, выдан на имя «Петров Иван Сергеевич». Подписать "
        "документ может только сертификат, выданный на имя «Кинякина Татьяна Игоревна». Если "
        "сертификат выпущен не на того человека, администратор отзывает его и выпускает новый "
        "на имя «Кинякина Татьяна Игоревна» («nastavnik signer add» без «--name» берёт ФИО из "
        "реестра)."
    )


def warning(serial: str) -> str:
    return (
        f"Ваш сертификат № {serial} выдан на имя «Петров Иван Сергеевич», а руководитель школы "
        "в реестре — «Кинякина Татьяна Игоревна». Документы, в которых подписантом указана "
        "«Кинякина Татьяна Игоревна», этим сертификатом не подписываются: обратитесь к "
        "администратору."
    )


NOT_SIGNATORY = (
    "подписантом в документе указан руководитель «Кинякина Татьяна Игоревна», а сертификат "
    "выдан на имя «Петров Иван Сергеевич»: подпись поставлена не тем лицом, которое называет "
    "документ"
)


@pytest.fixture
def school(homes, database_kind, tmp_path, request):
    """The signing tests' school (demo workbook, CA, Кинякина's key), a private copy."""
    return homes.copy(request, build_school, database_kind, tmp_path / "home")


def issue(
    settings, login: str, full_name: str, position: str | None, role: str
) -> tuple[str, str, str]:
    """``add_signer`` as the administrator calls it, in a transaction of its own; the new
    certificate's PEM, ФИО and position."""
    with session_scope(settings.database_url) as s:
        made = add_signer(
            s,
            settings.var,
            login=login,
            full_name=full_name,
            position=position,
            role=role,
            org_name="Школа",
            password="выдал-админ-0",
            ca_password=CA_PASSWORD,
        )
        return made.certificate_pem, made.full_name, made.position


def issue_petrov(settings, login: str = "petrov", reason: str = REASON) -> None:
    """A director's key issued to Петров, given his own password (``reason`` for a ФИО
    other than the register's director)."""
    issue_key(
        settings,
        login,
        PETROV,
        "Директор",
        "director",
        PETROV_KEY,
        ca_password=CA_PASSWORD,
        other_name_reason=reason,
    )


def openssl_subject(pem) -> str:
    """A certificate's subject as ``openssl x509`` prints it (UTF-8, short names)."""
    return subprocess.run(
        ["openssl", "x509", "-in", str(pem), "-noout", "-subject"]
        + ["-nameopt", "utf8,sep_comma_plus_space,sname"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def texts(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def serial_of(settings) -> str:
    """The serial of Петров's active certificate."""
    with session_scope(settings.database_url) as s:
        return s.scalars(
            select(Signer.serial).where(Signer.revoked_at.is_(None), Signer.full_name == PETROV)
        ).one()


def state_of(settings, document_id: int) -> tuple:
    """What signing may change: status, number, signatures, hash, events of the document."""
    with session_scope(settings.database_url) as s:
        document = s.get(Document, document_id)
        events = s.scalars(select(Event.kind).where(Event.document_id == document_id)).all()
        return (document.status, document.number, len(document.signatures), document.sha256, events)


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("Кинякина Т.И.", "Кинякина Татьяна Игоревна", True),
        ("Т.И. Кинякина", "Кинякина Татьяна Игоревна", True),
        ("Т. И. Кинякина", "Кинякина Т.И.", True),
        ("кинякина  татьяна игоревна", "Кинякина Татьяна Игоревна", True),
        ("Алёшина Алёна Петровна", "Алешина Алена Петровна", True),
        ("Мамедов Р.Г.", "Мамедов Рашид Гусейн оглы", True),
        ("Мамедов Рашид Гусейн-оглы", "Мамедов Рашид Гусейн оглы", True),
        ("Алиева Лейла Рашид-кызы", "Алиева Л.Р.", True),
        ("Мамедов Рашид Гусейн-оглы", "Мамедов Рашид Гусейнович", False),
        ("Д.И. фон Визин", "фон Визин Денис Иванович", True),
        ("Д. И. Фон Визин", "фон Визин Денис Иванович", True),
        ("фон Визин Д.И.", "Фон Визин Денис Иванович", True),
        ("А.П. де ла Круз", "де ла Круз Анна Петровна", True),
        ("Л.М. Ван", "Ван Ли Мин", True),
        ("А.П. де ла Роса", "де ла Круз Анна Петровна", False),
        ("фон Мекк Денис Иванович", "фон Визин Денис Иванович", False),
        ("Визин Денис Иванович", "фон Визин Денис Иванович", False),
        ("Кинякина Татьяна Ивановна", "Кинякина Татьяна Игоревна", False),
        ("Кинякина Т.В.", "Кинякина Татьяна Игоревна", False),
        ("Кинякина Т.", "Кинякина Татьяна Игоревна", False),
        ("Петров Иван Сергеевич", "Кинякина Татьяна Игоревна", False),
        ("", "Кинякина Татьяна Игоревна", False),
    ],
)
def test_names_compare_as_an_office_reads_them(one, other, same):
    assert same_person(one, other) is same
    assert same_person(other, one) is same


def test_a_directors_certificate_for_another_person_is_not_issued(school):
    with session_scope(school.database_url) as s:
        before = (s.query(Signer).count(), s.query(Event).count())
    with pytest.raises(SigningError) as refused:
        issue(school, "petrov", PETROV, "Директор", "director")
    assert refused.value.message == REFUSED_ISSUE
    with pytest.raises(SigningError) as curator:
        issue(school, "butrina", "Бутрина Ольга Ивановна", None, "curator")
    assert curator.value.message.startswith(
        "Сертификат не выпущен: в нём было бы ФИО «Бутрина Ольга Ивановна», а куратор школы в "
        "реестре — «Бутрина Ольга Николаевна» (книга школы, лист «Организация», «Куратор (ФИО)»)."
    )
    with session_scope(school.database_url) as s:
        assert (s.query(Signer).count(), s.query(Event).count()) == before
        assert find_user(s, "petrov") is None


def test_the_same_name_with_initials_gets_the_full_name_from_the_register(school, tmp_path):
    pem, name, position = issue(school, "kinyakina", "Т.И. Кинякина", None, "director")
    assert (name, position) == ("Кинякина Татьяна Игоревна", "Директор")
    (tmp_path / "cert.pem").write_text(pem)
    subject = openssl_subject(tmp_path / "cert.pem")
    assert "SN=Кинякина, GN=Татьяна Игоревна" in subject
    assert "title=Директор" in subject


def test_an_explicit_reason_is_logged_and_still_signs_only_its_holders_documents(school):
    issue_petrov(school, reason=f"  {REASON} ")
    with session_scope(school.database_url) as s:
        added = s.scalars(select(Event).where(Event.kind == "signer_added")).all()[-1]
        details = added.details
    assert details["name"] == PETROV
    assert (details["register_name"], details["other_name_reason"]) == (
        "Кинякина Татьяна Игоревна",
        REASON,
    )
    order, regulation = doc_id(school, "order_pairs"), doc_id(school, "regulation")
    before = {i: state_of(school, i) for i in (order, regulation)}
    results = sign_documents(school, "petrov", [order, regulation], PETROV_KEY)
    serial = serial_of(school)
    assert [(r.ok, r.message) for r in results] == [
        (
            False,
            refused_signing(
                order, "Приказ об утверждении наставников и наставнических пар", serial
            ),
        ),
        (False, refused_signing(regulation, "Положение о наставничестве", serial)),
    ]
    assert {i: state_of(school, i) for i in (order, regulation)} == before
    assert before[order][:3] == (DocumentStatus.AWAITING_SIGNATURE, None, 0)


def test_a_document_made_before_the_director_changed_is_for_the_former_director(school):
    """The register's director is Петров now (as after a newer workbook); a document still
    printing Кинякина is hers to sign."""
    with session_scope(school.database_url) as s:
        s.get(Organization, 1).head_name = PETROV
    issue_petrov(school, reason="")
    order = doc_id(school, "order_pairs")
    (result,) = sign_documents(school, "petrov", [order], PETROV_KEY)
    title = "Приказ об утверждении наставников и наставнических пар"
    assert (result.ok, result.message) == (
        False,
        f"Документ № {order} «{title}» не подписан: подписантом в нём указан руководитель "
        f"«Кинякина Татьяна Игоревна», а сертификат № {serial_of(school)}, которым "
        "вы подписываете, выдан на имя «Петров Иван Сергеевич». Подписать документ может "
        "только сертификат, выданный на имя «Кинякина Татьяна Игоревна». Документ составлен, "
        "когда руководитель был другим; сейчас в реестре — «Петров Иван Сергеевич». Его "
        "подписывает «Кинякина Татьяна Игоревна» своим сертификатом; если его должен подписать "
        "«Петров Иван Сергеевич», верните документ на доработку и обработайте книгу школы — "
        "будет создана новая версия документа с нынешним подписантом.",
    )


def test_the_command_line_refuses_to_issue_and_to_sign(school):
    refused = run(
        school.home,
        "signer",
        "add",
        "--user",
        "petrov",
        "--name",
        PETROV,
        "--password-stdin",
        stdin=f"{CA_PASSWORD}\nвыдал-админ-0\n",
    )
    assert (refused.returncode, refused.stdout, refused.stderr) == (
        1,
        "",
        f"Ошибка: {REFUSED_ISSUE}\n",
    )
    issue_petrov(school)
    order = doc_id(school, "order_pairs")
    signed = run(
        school.home,
        "sign",
        str(order),
        "--user",
        "petrov",
        "--password-stdin",
        stdin=f"{PETROV_KEY}\n",
    )
    message = refused_signing(
        order, "Приказ об утверждении наставников и наставнических пар", serial_of(school)
    )
    assert (signed.returncode, signed.stdout, signed.stderr) == (
        1,
        f"{order}\tНЕ ПОДПИСАН\t{message}\n",
        "",
    )
    queue = run(school.home, "pending", "--user", "petrov")
    assert queue.returncode == 0 and f"{order}\tПриказ об утверждении" in queue.stdout
    first, *late = queue.stderr.splitlines()
    assert first == f"Внимание: {warning(serial_of(school))}"
    # the demo is of 2023–2024: each listed document is warned of as dated today if signed
    listed = [line.split("\t", 1)[0] for line in queue.stdout.splitlines()]
    assert [line.split(": Это документ", 1)[0] for line in late] == [
        f"Внимание: документ {n}" for n in listed
    ]
    dated = (
        "Это документ 2023–2024 учебного года (он закончился 31 августа 2024\u00a0г.). "
        "Подписанный сейчас, он получит сегодняшнюю дату"
    )
    assert [line.split(": ", 2)[2][: len(dated)] for line in late] == [dated] * len(listed)


def sign_as_release_0_2(monkeypatch, settings, document_id: int) -> None:
    """Sign the way the service did before it compared the names (old stores hold such
    signatures): the check is switched off for this one call."""
    monkeypatch.setattr(workflow, "_check_signatory", lambda *args: None)
    (result,) = sign_documents(settings, "director", [document_id], PETROV_KEY)
    monkeypatch.undo()
    assert result.ok, result.message


def test_the_web_refuses_and_the_inspector_sees_a_signature_of_someone_else(
    app, client, web_school, monkeypatch
):
    settings = web_school.settings
    # the director's key replaced by one issued to Петров (his name, the reason written down)
    issue_petrov(settings, "director")
    serial = serial_of(settings)
    order = web_school.doc_id("order_pairs")
    login(client, "director")
    posted = client.post("/director/sign", data={"document": str(order), "password": PETROV_KEY})
    assert (posted.status_code, posted.location) == (302, "/director/")
    page = client.get("/director/")
    title = "Приказ об утверждении наставников и наставнических пар"
    expected = refused_signing(order, title, serial).replace(f"Документ № {order}", "Документ")
    assert page.status_code == 200 and expected in texts(page)
    assert warning(serial) in texts(page)  # above the queue, before anything is picked
    admin = app.test_client()
    login(admin, "admin")
    assert (
        f"{PETROV}, Директор руководитель" in texts(admin.get("/admin/"))
        and "действует , ФИО не совпадает с реестром («Кинякина Татьяна Игоревна»): документы "
        "этим ключом не подписываются"
        in texts(admin.get("/admin/"))
    )
    with session_scope(settings.database_url) as s:
        token = issue_api_token(s, find_user(s, "director"))
    api = app.test_client().post(
        f"/api/documents/{order}/sign",
        json={"password": PETROV_KEY},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert (api.status_code, api.get_json()) == (
        409,
        {"error": refused_signing(order, title, serial)},
    )

    sign_as_release_0_2(monkeypatch, settings, order)
    with session_scope(settings.database_url) as s:
        document = s.get(Document, order)
        data = FileStore(settings.store_dir).get(document.sha256)
        p7s = FileStore(settings.store_dir).get(document.signatures[0].sha256)
        signed_at = f"{document.signatures[0].signed_at:%d.%m.%Y %H:%M}"
    (settings.home / "приказ.docx").write_bytes(data)
    (settings.home / "приказ.docx.p7s").write_bytes(p7s)
    inspector = app.test_client()
    login(inspector, "inspector")
    shown = inspector.post(
        "/inspector/verify",
        data={"file": (io.BytesIO(data), "приказ.docx"), "signature": (io.BytesIO(p7s), "п.p7s")},
        content_type="multipart/form-data",
    )
    assert shown.status_code == 200
    assert (
        f"ПОДПИСЬ НЕДЕЙСТВИТЕЛЬНА : руководитель — {PETROV}, подписано {signed_at} — "
        f"{NOT_SIGNATORY} Приложенный файл подписи: ПОДПИСЬ НЕДЕЙСТВИТЕЛЬНА ({PETROV}) — "
        f"{NOT_SIGNATORY} ИТОГ: проверка НЕ пройдена."
    ) in texts(shown)
    verified = run(
        settings.home,
        "verify",
        str(settings.home / "приказ.docx"),
        "--signature",
        str(settings.home / "приказ.docx.p7s"),
    )
    assert verified.returncode == 1
    assert (
        f"  ПОДПИСЬ НЕДЕЙСТВИТЕЛЬНА: руководитель — {PETROV}, подписано {signed_at}, "
        f"сертификат № {serial}\n  — {NOT_SIGNATORY}\nПриложенный файл подписи: ПОДПИСЬ "
        f"НЕДЕЙСТВИТЕЛЬНА ({PETROV}, сертификат № {serial})\n  — {NOT_SIGNATORY}\n"
        "ИТОГ: проверка НЕ пройдена.\n"
    ) in verified.stdout
    # openssl alone finds the signature intact and names its holder: only the register knows
    # whom the document names
    checked = subprocess.run(
        ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in"]
        + [str(settings.home / "приказ.docx.p7s"), "-content", str(settings.home / "приказ.docx")]
        + ["-CAfile", str(settings.ca_certificate), "-out", "/dev/null"]
        + ["-signer", str(settings.home / "signer.pem")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0 and "CMS Verification successful" in checked.stderr
    assert "SN=Петров, GN=Иван Сергеевич" in openssl_subject(settings.home / "signer.pem")


def test_an_imported_certificate_is_checked_as_an_issued_one(school):
    """A PKCS#12 from the school's own CA made out to Петров: refused for the director's role,
    imported with a reason (in the ledger)."""
    ca = open_ca(school.var, CA_PASSWORD)
    key, cert = issue_signer(ca.key, ca.certificate, PETROV, "Директор", "Школа", "petrov")
    p12 = pkcs12.serialize_key_and_certificates(
        b"petrov", key, cert, [ca.certificate], serialization.BestAvailableEncryption(b"p12-pass")
    )

    def bring(reason: str = ""):
        with session_scope(school.database_url) as s:
            made = import_signer(
                s,
                login="petrov",
                role="director",
                position="Директор",
                p12=p12,
                p12_password="p12-pass",
                password="выдал-админ-0",
                other_name_reason=reason,
            )
            return made.full_name

    with pytest.raises(SigningError) as refused:
        bring()
    assert refused.value.message == REFUSED_ISSUE
    assert bring(REASON) == PETROV
    with session_scope(school.database_url) as s:
        added = s.scalars(select(Event).where(Event.kind == "signer_added")).all()[-1].details
    assert (added["name"], added["other_name_reason"]) == (PETROV, REASON)


@pytest.mark.parametrize(
    ("one", "other", "maybe"),
    [
        ("Кинякина Татьяна", "Т.И. Кинякина", True),
        ("Кинякина Татьяна", "Кинякина Татьяна Игоревна", True),
        ("Кинякина", "Кинякина Татьяна Игоревна", True),
        ("Кинякина Татьяна Ивановна", "Кинякина Татьяна Игоревна", False),
        ("Кинякина Тамара", "Т.И. Кинякина", True),
        ("Кинякина Вера", "Т.И. Кинякина", False),
        ("фон Визин Денис", "Д.И. фон Визин", True),
        ("фон Визин Вера", "Д.И. фон Визин", False),
        ("Петрова Татьяна", "Кинякина Татьяна Игоревна", False),
    ],
)
def test_a_name_written_shorter_may_be_the_same_person(one, other, maybe):
    assert may_be_same_person(one, other) is maybe
    assert may_be_same_person(other, one) is maybe


def test_an_old_signature_with_the_name_written_shorter_is_valid_with_a_warning(
    school, monkeypatch
):
    """Before names were compared, a certificate could be issued as «Кинякина Татьяна»: her
    past signatures are hers, not someone else's — shown with a warning, not as invalid."""
    short = "Кинякина Татьяна"
    issue_key(
        school,
        "tatiana",
        short,
        "Директор",
        "director",
        PETROV_KEY,
        ca_password=CA_PASSWORD,
        other_name_reason="выпущен прежним выпуском",
    )
    order = doc_id(school, "order_pairs")
    monkeypatch.setattr(workflow, "_check_signatory", lambda *args: None)
    (result,) = sign_documents(school, "tatiana", [order], PETROV_KEY)
    monkeypatch.undo()
    assert result.ok, result.message
    with session_scope(school.database_url) as s:
        document = s.get(Document, order)
        data = FileStore(school.store_dir).get(document.sha256)
        p7s = FileStore(school.store_dir).get(document.signatures[0].sha256)
        signed_at = f"{document.signatures[0].signed_at:%d.%m.%Y %H:%M}"
        serial = s.scalars(select(Signer.serial).where(Signer.full_name == short)).one()
    (school.home / "приказ.docx").write_bytes(data)
    (school.home / "приказ.docx.p7s").write_bytes(p7s)
    verified = run(
        school.home,
        "verify",
        str(school.home / "приказ.docx"),
        "--signature",
        str(school.home / "приказ.docx.p7s"),
    )
    assert verified.returncode == 0, verified.stdout
    assert (
        f"  ПОДПИСЬ ВЕРНА: руководитель — {short}, подписано {signed_at}, сертификат № {serial}\n"
        f"  — ВНИМАНИЕ: сертификат выдан на имя «{short}», а подписантом в документе указан "
        "«Кинякина Татьяна Игоревна»: ФИО записаны по-разному — убедитесь, что это одно лицо\n"
        f"Приложенный файл подписи: ПОДПИСЬ ВЕРНА ({short}, сертификат № {serial})\n"
        "ИТОГ: документ подлинный, подписи верны.\n"
    ) in verified.stdout
