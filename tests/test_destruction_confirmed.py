"""``nastavnik archive destroy`` asks before it destroys (attack22): it took the documents'
numbers, typed by hand, and the director's password, and destroyed at once — the one action of
the service that can never be undone, and the numbers never shown back in words."""

from __future__ import annotations

from datetime import date, timedelta

from click.testing import CliRunner

from service.cli import main
from service.register.archive import archive_item_of
from service.register.db import session_scope
from tests.archive_school import DIRECTOR_PASSWORD, copy_home, document_id


def test_the_documents_to_destroy_are_listed_and_asked_for(exported, tmp_path):
    settings = copy_home(exported[0], tmp_path / "школа")
    consent = document_id(settings, "consent_adult")
    destroy = ["--home", str(settings.home), "archive", "destroy", str(consent), "999"]
    destroy += ["--user", "director"]

    # review22b: a document the act cannot take was listed like the others and the question
    # asked («№ 999: в архиве нет (акт не будет составлен)», the consent «хранится до …»); the
    # act was refused only after the password. Now it is named with its reason, nothing asked
    kept = CliRunner().invoke(main, destroy, input="y\n")
    assert kept.exit_code == 1
    assert kept.output.splitlines() == [
        "Акт не составлен — эти документы по нему не уничтожить:",
        f"  № {consent}: Согласие на обработку персональных данных — Алиев Руслан Рашид оглы, "
        f"версия 1; хранится до {retained(settings, consent):%d.%m.%Y} — срок хранения не истёк",
        "  № 999: в архиве нет — акт его не уничтожит",
        "Ошибка: Ничего не уничтожено. Укажите только документы архива с истёкшим сроком "
        "хранения (nastavnik archive due).",
    ]
    unasked = CliRunner().invoke(main, [*destroy, "--password-stdin"], input=DIRECTOR_PASSWORD)
    assert unasked.exit_code == 1
    assert unasked.output == (
        "Ошибка: Уничтожение отменить нельзя: с --password-stdin подтвердите его заранее, "
        "--yes. Ничего не уничтожено.\n"
    )
    with session_scope(settings.database_url) as s:
        assert archive_item_of(s, consent).destroyed_at is None
    scripted = CliRunner().invoke(
        main, [*destroy, "--password-stdin", "--yes"], input=DIRECTOR_PASSWORD
    )
    assert scripted.output == (  # --yes: the act itself refuses it
        f"Ошибка: Срок хранения документа № {consent} не истёк (до "
        f"{retained(settings, consent):%d.%m.%Y}).\n"
    )

    # its term over (the archive's entry moved back: the CLI's day is today's), it is listed
    # and asked for; «n» destroys nothing, «y» and the password make the act
    with session_scope(settings.database_url) as s:
        archive_item_of(s, consent).retain_until = date.today() - timedelta(days=1)
    due = [*destroy[:-3], "--user", "director"]
    declined = CliRunner().invoke(main, due, input="n\n")
    assert declined.exit_code == 1
    assert declined.output.splitlines() == [
        "По акту будут уничтожены — все их файлы и копии, отменить нельзя:",
        f"  № {consent}: Согласие на обработку персональных данных — Алиев Руслан Рашид оглы, "
        f"версия 1; хранится до {date.today() - timedelta(days=1):%d.%m.%Y}",
        "Уничтожить эти документы? [y/N]: n",
        "Ошибка: Ничего не уничтожено.",
    ]
    agreed = CliRunner().invoke(main, due, input=f"y\n{DIRECTOR_PASSWORD}\n")
    assert agreed.exit_code == 0, agreed.output
    assert "о выделении к уничтожению утверждён и подписан; документов 1." in agreed.output
    again = CliRunner().invoke(main, due, input="y\n")
    assert again.exit_code == 1
    assert again.output.splitlines()[1].endswith(
        f"версия 1; уже уничтожен по акту № 1/{date.today():%y} от {date.today():%d.%m.%Y}"
    )


def retained(settings, document: int):
    with session_scope(settings.database_url) as s:
        return archive_item_of(s, document).retain_until
