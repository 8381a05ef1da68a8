"""The director's and the inspector's commands, run as a user runs them."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from service.intake.demo import write_demo_workbook
from tests.cli import nastavnik


def run(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    """``nastavnik --home HOME ARGS`` as a process (tests/cli.py)."""
    return nastavnik("--home", str(home), *args, input=stdin)


def test_director_signs_from_the_command_line_and_anyone_verifies(tmp_path):
    home = tmp_path / "школа"
    workbook = tmp_path / "книга.xlsx"
    write_demo_workbook(workbook)
    assert run(home, "process", str(workbook)).returncode == 0
    made = run(home, "init", "--ca-password-stdin", stdin="пароль-уц-школы\n")
    assert "Создан удостоверяющий центр" in made.stdout
    added = run(
        home,
        "signer",
        "add",
        "--user",
        "kinyakina",
        "--name",
        "Кинякина Татьяна Игоревна",
        "--position",
        "Директор",
        "--password-stdin",
        stdin="пароль-уц-школы\nвыдал-администратор\n",
    )
    assert added.returncode == 0, added.stderr
    listed = run(home, "pending", "--user", "kinyakina")
    queue = listed.stdout
    order_id = next(
        line.split("\t")[0]
        for line in queue.splitlines()
        if "Приказ об утверждении наставников" in line
    )
    # the demo's year is over: each order is said to be dated today if signed now
    today = date.today()
    months = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
    day = f"{today:%d} {months.split()[today.month - 1]} {today.year}\xa0г."
    assert (
        f"Внимание: документ {order_id}: Это документ 2023–2024 учебного года (он закончился "
        f"31 августа 2024\xa0г.). Подписанный сейчас, он получит сегодняшнюю дату — {day} — и "
        "очередной номер журнала приказов: задним числом документ не датируется. Если он был "
        "подписан на бумаге в своё время, не подписывайте его, а верните с комментарием о "
        "бумажном подлиннике."
    ) in listed.stderr.splitlines()
    # the administrator's password opens the key but does not sign
    refused = run(
        home,
        "sign",
        order_id,
        "--user",
        "kinyakina",
        "--password-stdin",
        stdin="выдал-администратор\n",
    )
    assert refused.returncode == 1
    assert refused.stderr == (
        "Ошибка: Ключ подписи ещё защищён паролем, который задал администратор при выпуске: "
        "подписывать им нельзя. Сначала задайте свой пароль ключа — на странице «Учётная "
        "запись» (раздел «Пароль ключа электронной подписи») или командой "
        "«nastavnik signer password --user kinyakina».\n"
    )
    short = run(
        home,
        "signer",
        "password",
        "--user",
        "kinyakina",
        "--password-stdin",
        stdin="выдал-администратор\nкороткий\n",
    )
    assert (short.returncode, short.stderr) == (
        1,
        "Ошибка: Новый пароль ключа должен быть не короче 10 символов: ключ можно унести вместе "
        "с копией базы, и короткий пароль подбирается.\n",
    )
    own = run(
        home,
        "signer",
        "password",
        "--user",
        "kinyakina",
        "--password-stdin",
        stdin="выдал-администратор\nпароль-директора\n",
    )
    assert own.stdout == "Пароль ключа подписи изменён (ключей: 1).\n", own.stderr

    wrong = run(home, "sign", order_id, "--user", "kinyakina", "--password-stdin", stdin="не тот\n")
    assert (wrong.returncode, wrong.stdout, wrong.stderr) == (
        1,
        "",
        "Ошибка: Неверный пароль ключа электронной подписи (осталось попыток: 4, затем ключ "
        "будет заблокирован на 15 минут).\n",
    )

    signed = run(
        home,
        "sign",
        order_id,
        "--user",
        "kinyakina",
        "--password-stdin",
        stdin="пароль-директора\n",
    )
    assert signed.returncode == 0 and "ПОДПИСАН" in signed.stdout and "№ 1/" in signed.stdout

    from service.config import load_settings
    from service.register.db import session_scope
    from service.register.models import Document
    from service.store import FileStore

    settings = load_settings({"home": home})
    store = FileStore(settings.store_dir)
    with session_scope(settings.database_url) as s:
        document = s.get(Document, int(order_id))
        data, p7s = store.get(document.sha256), store.get(document.signatures[0].sha256)
    (tmp_path / "приказ.docx").write_bytes(data)
    (tmp_path / "приказ.docx.p7s").write_bytes(p7s)
    ok = run(
        home,
        "verify",
        str(tmp_path / "приказ.docx"),
        "--signature",
        str(tmp_path / "приказ.docx.p7s"),
    )
    assert ok.returncode == 0 and "ПОДПИСЬ ВЕРНА" in ok.stdout
    changed = bytearray(data)
    changed[-100] ^= 1
    (tmp_path / "приказ.docx").write_bytes(bytes(changed))
    bad = run(
        home,
        "verify",
        str(tmp_path / "приказ.docx"),
        "--signature",
        str(tmp_path / "приказ.docx.p7s"),
    )
    assert bad.returncode == 1 and "нет в реестре" in bad.stdout

    assert (
        run(home, "ledger", "checkpoint", "--password-stdin", stdin="пароль-уц-школы\n").returncode
        == 0
    )
    assert "Журнал цел" in run(home, "ledger", "verify").stdout
    assert '"proof"' in run(home, "ledger", "proof", order_id).stdout
