"""Signing keys: strong encryption on disk, the owner's own password before the first
signature, and the lock-out after five wrong passwords — the same in the CLI, the web and the
API, counted atomically when attempts come at once."""

from __future__ import annotations

import re
import stat
import subprocess
import threading
from datetime import datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from sqlalchemy import select

from service.register.db import session_scope
from service.register.models import Document, Event, Signer
from service.register.users import find_user, issue_api_token
from service.signing.authority import ca_key_path, ensure_ca
from service.signing.ca import KDF_ROUNDS, key_rounds, load_private_key
from service.signing.ca_attempts import CaLocked
from service.signing.errors import SigningError, WeakPassword, WrongPassword
from service.signing.signer import KeyLocked, open_ca, open_signer
from service.signing.signers import add_signer
from tests.signing_calls import sign_documents
from tests.test_signing_cli import run
from tests.test_web_pages import texts
from tests.web_school import CA_PASSWORD, KEY_PASSWORD, NAMES, ORG, login

WRONG = "не-тот-пароль"


def director_key(settings) -> Signer:
    with session_scope(settings.database_url) as s:
        signer = s.scalars(select(Signer).where(Signer.role == "director")).one()
        s.expunge(signer)
        return signer


def locked_events(settings) -> list[dict]:
    with session_scope(settings.database_url) as s:
        return [e.details for e in s.scalars(select(Event).where(Event.kind == "key_locked"))]


def left(count: int) -> str:
    return (
        f"Ошибка: Неверный пароль ключа электронной подписи (осталось попыток: {count}, затем "
        "ключ будет заблокирован на 15 минут).\n"
    )


def add_curator(session, settings, password: str) -> None:
    """The administrator issues the curator's key with ``password``."""
    add_signer(
        session,
        settings.var,
        login="curator",
        full_name=NAMES["curator"],
        position="Заместитель директора",
        role="curator",
        org_name=ORG,
        password=password,
        ca_password=CA_PASSWORD,
    )


def test_five_wrong_passwords_in_the_cli_lock_the_key(web_school):
    settings = web_school.settings
    order = str(web_school.doc_id("order_pairs"))
    sign = ("sign", order, "--user", "director", "--password-stdin")
    answers = [run(settings.home, *sign, stdin=f"{WRONG}\n") for _ in range(5)]
    assert [a.stderr for a in answers[:4]] == [left(4), left(3), left(2), left(1)]
    until = director_key(settings).locked_until
    assert answers[4].stderr == (
        "Ошибка: Ключ электронной подписи заблокирован после 5 неверных паролей подряд: "
        f"попробуйте после {until:%H:%M}. Если пароль ключа забыт, попросите администратора "
        "выпустить новый ключ взамен этого: снять блокировку он не может.\n"
    )
    right = run(settings.home, *sign, stdin=f"{KEY_PASSWORD}\n")
    assert right.returncode == 1 and right.stderr == answers[4].stderr
    [event] = locked_events(settings)
    assert event["login"] == "director" and event["attempts"] == 5
    with session_scope(settings.database_url) as s:
        assert s.get(Document, int(order)).signatures == []


def test_the_web_page_and_the_api_share_the_lock(app, client, web_school):
    settings = web_school.settings
    order = web_school.doc_id("order_pairs")
    login(client, "director")
    for _ in range(4):
        page = client.post(
            "/director/sign",
            data={"document": str(order), "password": WRONG},
            follow_redirects=True,
        )
    assert (
        "Ничего не подписано: неверный пароль ключа электронной подписи (осталось попыток: 1"
        in (page.get_data(as_text=True))
    )
    with session_scope(settings.database_url) as s:
        token = issue_api_token(s, find_user(s, "director"))
    api = app.test_client()
    bearer = {"Authorization": f"Bearer {token}"}
    fifth = api.post(f"/api/documents/{order}/sign", json={"password": WRONG}, headers=bearer)
    until = director_key(settings).locked_until
    message = (
        "Ключ электронной подписи заблокирован после 5 неверных паролей подряд: "
        f"попробуйте после {until:%H:%M}. Если пароль ключа забыт, попросите администратора "
        "выпустить новый ключ взамен этого: снять блокировку он не может."
    )
    assert (fifth.status_code, fifth.get_json()) == (423, {"error": message})
    right = api.post(
        f"/api/documents/{order}/sign", json={"password": KEY_PASSWORD}, headers=bearer
    )
    assert (right.status_code, right.get_json()) == (423, {"error": message})
    page = client.post("/director/sign", data={"document": str(order), "password": KEY_PASSWORD})
    assert f"Ничего не подписано: к{message[1:]}" in client.get("/director/").get_data(as_text=True)
    assert len(locked_events(settings)) == 1


def test_each_adapter_answers_a_wrong_password_in_its_own_way(app, client, web_school):
    """The one refusal (WrongPassword, 403): the director's page flashes it on the same
    confirmation page, the API answers JSON with the class's status; each attempt counted,
    nothing signed."""
    order = web_school.doc_id("order_pairs")
    login(client, "director")
    page = client.post("/director/sign", data={"document": str(order), "password": WRONG})
    assert (page.status_code, page.headers["Location"]) == (302, f"/director/sign?document={order}")
    queue = client.get(page.headers["Location"]).get_data(as_text=True)
    assert left(4).replace("Ошибка: Неверный", "Ничего не подписано: неверный").strip() in queue
    api = client.post(f"/api/documents/{order}/sign", json={"password": WRONG})
    assert (api.status_code, api.get_json()) == (
        403,
        {"error": left(3).removeprefix("Ошибка: ").strip()},
    )
    assert director_key(web_school.settings).failed_key_attempts == 2
    with session_scope(web_school.settings.database_url) as s:
        assert s.get(Document, order).signatures == []


def test_parallel_wrong_passwords_are_all_counted(web_school):
    settings = web_school.settings
    signer_id = director_key(settings).id
    outcomes: list[str] = []
    start = threading.Barrier(10)

    def attempt() -> None:
        start.wait()
        try:
            open_signer(settings.database_url, signer_id, WRONG, actor="director")
        except KeyLocked:
            outcomes.append("locked")
        except WrongPassword:
            outcomes.append("wrong")

    threads = [threading.Thread(target=attempt) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # attempts 1–4 are told how many are left, the fifth locks the key, and every later one
    # (counted, or refused before its password was tried) finds it locked: none is lost
    signer = director_key(settings)
    assert sorted(outcomes) == ["locked"] * 6 + ["wrong"] * 4
    assert signer.failed_key_attempts >= 5 and signer.locked_until is not None
    assert len(locked_events(settings)) == 1


def test_wrong_ca_passwords_on_the_administrators_page_lock_the_ca(client, web_school):
    """Found on the running service: the administrator's page asks for the CA password (a new
    signer's certificate) and took wrong ones without end — the CA «had no lock-out: typed
    only at the console». Now five in a row lock it for 15 minutes, for the commands too."""
    settings = web_school.settings
    login(client, "admin")
    form = {"login": "curator", "role": "curator", "ca_password": "не-тот-пароль"}
    form |= {"password": "временный-2", "password_repeat": "временный-2"}
    for left in (4, 3, 2, 1):
        wrong = client.post("/admin/signers", data=form)
        assert wrong.status_code == 403
        assert (
            f"Неверный пароль удостоверяющего центра школы (осталось попыток: {left}, затем "
            "центр будет заблокирован на 15 минут)."
        ) in wrong.get_data(as_text=True)
    fifth = client.post("/admin/signers", data=form)
    state = (settings.var / "ca" / "password-attempts").read_text().split()
    until = datetime.fromisoformat(state[1])
    locked = (
        "Удостоверяющий центр школы заблокирован после 5 неверных паролей подряд: "
        f"попробуйте после {until:%H:%M}."
    )
    assert fifth.status_code == 423 and locked in fifth.get_data(as_text=True)
    right = client.post("/admin/signers", data=form | {"ca_password": CA_PASSWORD})
    assert right.status_code == 423 and locked in right.get_data(as_text=True)
    with pytest.raises(CaLocked, match="заблокирован"):
        open_ca(settings.var, CA_PASSWORD)  # the commands share the count
    assert stat.S_IMODE((settings.var / "ca" / "password-attempts").stat().st_mode) == 0o600
    past = (until - timedelta(minutes=16)).isoformat()
    (settings.var / "ca" / "password-attempts").write_text(f"5 {past}\n")  # 15 minutes on
    assert open_ca(settings.var, CA_PASSWORD).certificate is not None
    assert (settings.var / "ca" / "password-attempts").read_text() == "0 -\n"


def test_the_console_asks_before_a_new_key_revokes_a_working_one(web_school):
    """`nastavnik signer add` over a working key revoked it unasked (as the page did): asked
    at the console now; «нет» leaves the working key and issues nothing."""
    settings = web_school.settings
    serial = director_key(settings).serial
    answer = run(settings.home, "signer", "add", "--user", "director", stdin="n\n")
    assert answer.returncode == 1
    assert (
        f"У пользователя «director» есть действующий ключ № {serial} (Кинякина Татьяна "
        "Игоревна): новый ключ отзовёт его сразу и навсегда"
    ) in answer.stdout
    assert "Ничего не изменено: ключ не выпущен, прежний действует." in answer.stderr
    with session_scope(settings.database_url) as s:
        keys = s.scalars(select(Signer).where(Signer.role == "director")).all()
        assert [(k.serial, k.revoked_at) for k in keys] == [(serial, None)]


def test_a_key_signs_only_after_its_owner_set_a_password(app, client, web_school):
    settings = web_school.settings
    with session_scope(settings.database_url) as s:
        add_curator(s, settings, "выдал-админ-9")
    report = web_school.doc_id("report_pair")
    with pytest.raises(SigningError) as refused:
        sign_documents(settings, "curator", [report], "выдал-админ-9")
    assert str(refused.value) == (
        "Ключ подписи ещё защищён паролем, который задал администратор при выпуске: "
        "подписывать им нельзя. Сначала задайте свой пароль ключа — на странице «Учётная "
        "запись» (раздел «Пароль ключа электронной подписи») или командой "
        "«nastavnik signer password --user curator»."
    )
    login(client, "curator")
    short = client.post(
        "/account/key-password",
        data={"key_current": "выдал-админ-9", "key_new": "коротко", "key_repeat": "коротко"},
    )
    assert (short.status_code, short.headers["Location"]) == (302, "/account")
    assert (
        "Пароль ключа не изменён: новый пароль ключа должен быть не короче 10 символов: ключ "
        "можно унести вместе с копией базы, и короткий пароль подбирается."
    ) in client.get("/account").get_data(as_text=True)
    changed = client.post(
        "/account/key-password",
        data={
            "key_current": "выдал-админ-9",
            "key_new": "мой-пароль-ключа",
            "key_repeat": "мой-пароль-ключа",
        },
        follow_redirects=True,
    )
    assert "Пароль ключа электронной подписи изменён" in changed.get_data(as_text=True)
    (result,) = sign_documents(settings, "curator", [report], "мой-пароль-ключа")
    assert result.ok, result.message


def test_keys_are_stored_with_600000_rounds_and_old_ones_are_upgraded(web_school, tmp_path):
    settings = web_school.settings
    signer = director_key(settings)
    assert key_rounds(signer.key_pem.encode()) == KDF_ROUNDS == 600_000
    assert key_rounds(ca_key_path(settings.var).read_bytes()) == KDF_ROUNDS
    # openssl reads the key as standard PKCS#8 (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC)
    (tmp_path / "key.pem").write_text(signer.key_pem)
    opened = subprocess.run(
        ["openssl", "pkcs8", "-in", str(tmp_path / "key.pem"), "-passin", f"pass:{KEY_PASSWORD}"],
        capture_output=True,
        text=True,
    )
    assert opened.stdout.startswith("-----BEGIN PRIVATE KEY-----"), opened.stderr

    # a key and a CA key written by an earlier release (2,048 rounds) still open, and are
    # re-encrypted at their next successful use
    key = load_private_key(signer.key_pem.encode(), KEY_PASSWORD)
    old = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(KEY_PASSWORD.encode()),
    ).decode()
    assert key_rounds(old.encode()) == 2048
    with session_scope(settings.database_url) as s:
        s.get(Signer, signer.id).key_pem = old
    open_signer(settings.database_url, signer.id, KEY_PASSWORD, actor="director")
    assert key_rounds(director_key(settings).key_pem.encode()) == KDF_ROUNDS
    ca_key = open_ca(settings.var, CA_PASSWORD).key
    ca_key_path(settings.var).write_bytes(
        ca_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(CA_PASSWORD.encode()),
        )
    )
    open_ca(settings.var, CA_PASSWORD)
    assert key_rounds(ca_key_path(settings.var).read_bytes()) == KDF_ROUNDS


def test_short_key_passwords_are_refused(web_school, tmp_path):
    with pytest.raises(WeakPassword) as short_ca:
        ensure_ca(tmp_path / "var", ORG, "123456789")
    assert short_ca.value.message == (
        "Пароль удостоверяющего центра должен быть не короче 10 символов: ключ можно унести "
        "вместе с копией базы, и короткий пароль подбирается."
    )
    with session_scope(web_school.settings.database_url) as s, pytest.raises(SigningError) as e:
        add_curator(s, web_school.settings, "123456789")
    assert str(e.value).startswith("Пароль ключа должен быть не короче 10 символов")


def test_two_ca_creations_at_once_make_one_ca(tmp_path):
    """A double click on «Создать удостоверяющий центр»: both found none and each made its
    own, writing key and certificate over the other's — a key of one CA beside the
    certificate of the other would sign nothing that verifies. Now one makes it."""
    var = tmp_path / "var"
    made: list[bool] = []
    clicks = [
        threading.Thread(target=lambda: made.append(ensure_ca(var, "МБОУ СОШ", "пароль-уц-12")))
        for _ in range(2)
    ]
    for click in clicks:
        click.start()
    for click in clicks:
        click.join(60)
    assert sorted(made) == [False, True]
    ca = open_ca(var, "пароль-уц-12")
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    assert ca.key.public_key().public_bytes(serialization.Encoding.PEM, public) == (
        ca.certificate.public_key().public_bytes(serialization.Encoding.PEM, public)
    )


def test_a_fifth_ca_attempt_that_never_came_back_locks_for_15_minutes_only(tmp_path):
    """The fifth wrong-password attempt counted, its process killed while the key was
    decrypted: the count stood at 5 with no lock time, and every attempt after it — the right
    password too — was refused «попробуйте после …» without end. It locks for 15 minutes."""
    var = tmp_path / "var"
    ensure_ca(var, ORG, CA_PASSWORD)
    attempts = var / "ca" / "password-attempts"
    attempts.write_text("5 -\n")
    with pytest.raises(CaLocked) as locked:
        open_ca(var, CA_PASSWORD)
    count, until = attempts.read_text().split()
    assert (count, datetime.fromisoformat(until)) == ("6", locked.value.until)
    assert timedelta(minutes=14) < locked.value.until - datetime.now() <= timedelta(minutes=15)
    attempts.write_text(f"6 {(locked.value.until - timedelta(minutes=16)).isoformat()}\n")
    assert open_ca(var, CA_PASSWORD).certificate is not None  # 15 minutes on
    assert attempts.read_text() == "0 -\n"


def sign_page(client, order: int) -> str:
    """The confirmation page's one-time token (a hidden field «form»)."""
    page = client.get(f"/director/sign?document={order}").get_data(as_text=True)
    return re.search(r'name="form" value="([^"]+)"', page).group(1)


def wrong_left(count: int) -> str:
    return (
        "Ничего не подписано: неверный пароль ключа электронной подписи (осталось попыток: "
        f"{count}, затем ключ будет заблокирован на 15 минут)."
    )


def test_a_double_click_with_a_wrong_password_counts_one_mistake(client, web_school):
    """A double click on «Подписать» with a wrong key password counted two failed attempts
    (the second request is the same mistake). The same page sent twice with the same password
    is one mistake; typed again on the page shown after it, it counts."""
    settings = web_school.settings
    order = web_school.doc_id("order_pairs")
    login(client, "director")
    form = {"document": str(order), "password": WRONG, "form": sign_page(client, order)}
    answers = [client.post("/director/sign", data=form) for _ in range(2)]
    page = texts(client.get(answers[1].location))  # the browser shows the last answer
    assert wrong_left(4) in page and "осталось попыток: 3" not in page
    assert director_key(settings).failed_key_attempts == 1
    again = {**form, "form": sign_page(client, order)}  # the page shown again, typed again
    assert wrong_left(3) in texts(client.get(client.post("/director/sign", data=again).location))
    assert director_key(settings).failed_key_attempts == 2


def test_a_guesser_reusing_the_form_is_still_locked_after_five(client, web_school):
    """The page's token does not weaken the lock-out: five different passwords sent with one
    page's token are five mistakes, the fifth locks the key."""
    settings = web_school.settings
    order = web_school.doc_id("order_pairs")
    login(client, "director")
    token = sign_page(client, order)
    for guess in range(5):
        form = {"document": str(order), "password": f"догадка-{guess}", "form": token}
        answer = client.post("/director/sign", data=form)
    until = director_key(settings).locked_until
    assert until is not None
    assert (
        "Ничего не подписано: ключ электронной подписи заблокирован после 5 неверных паролей "
        f"подряд: попробуйте после {until:%H:%M}."
    ) in texts(client.get(answer.location))
    assert [e["attempts"] for e in locked_events(settings)] == [5]


def test_two_sends_at_once_of_one_wrong_submission_count_once(web_school):
    """The second request of a double click arrives while the first one's password is still
    being tried: both are refused alike and one attempt is counted."""
    settings = web_school.settings
    key_id = director_key(settings).id
    refused: list[str] = []

    def click() -> None:
        try:
            open_signer(settings.database_url, key_id, WRONG, actor="director", submission="t:[1]")
        except WrongPassword as exc:
            refused.append(exc.message)

    clicks = [threading.Thread(target=click) for _ in range(2)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join(60)
    message = (
        "Неверный пароль ключа электронной подписи (осталось попыток: 4, затем ключ будет "
        "заблокирован на 15 минут)."
    )
    assert refused == [message, message]
    assert director_key(settings).failed_key_attempts == 1


def test_a_key_for_a_curators_account_is_a_curators_key(web_school):
    """`signer add --user curator` without `--role` took the role «director»: it added the
    director's role to the curator's account, or refused her as not the director. The key is now
    of the account's own signing role; an account that signs for no role must say which."""
    settings = web_school.settings
    made = run(
        settings.home,
        *("signer", "add", "--user", "curator", "--password-stdin"),
        stdin=f"{CA_PASSWORD}\n{KEY_PASSWORD}\n",
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Сертификат выпущен: {NAMES['curator']}, ")
    with session_scope(settings.database_url) as s:
        keys = s.scalars(select(Signer).where(Signer.user_id == find_user(s, "curator").id))
        assert [k.role for k in keys] == ["curator"]
        assert find_user(s, "curator").role_set == {"curator"}
    refused = run(settings.home, "signer", "add", "--user", "secretary", "--password-stdin")
    assert refused.returncode == 1
    assert refused.stderr == (
        "Ошибка: Сертификат не выпущен: укажите, для какой роли ключ пользователя «secretary» "
        "(его роли: секретарь) — --role director (руководитель) или --role curator (куратор).\n"
    )
