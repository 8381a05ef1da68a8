"""``nastavnik archive destroy`` asks before it destroys (attack22): it took the documents'
numbers, typed by hand, and the director's password, and destroyed at once — the one action of
the service that can never be undone, and the numbers never shown back in words."""

from __future__ import annotations

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

    declined = CliRunner().invoke(main, destroy, input="n\n")
    assert declined.exit_code == 1
    assert declined.output.splitlines() == [
        "По акту будут уничтожены — все их файлы и копии, отменить нельзя:",
        f"  № {consent}: Согласие на обработку персональных данных — Алиев Руслан Рашид оглы, "
        f"версия 1; хранится до {retained(settings, consent):%d.%m.%Y}",
        "  № 999: в архиве нет (акт не будет составлен)",
        "Уничтожить эти документы? [y/N]: n",
        "Ошибка: Ничего не уничтожено.",
    ]
    unasked = CliRunner().invoke(main, [*destroy, "--password-stdin"], input=DIRECTOR_PASSWORD)
    assert unasked.exit_code == 1
    assert unasked.output == (
        "Ошибка: Уничтожение отменить нельзя: с --password-stdin подтвердите его заранее, "
        "--yes. Ничего не уничтожено.\n"
    )
    with session_scope(settings.database_url) as s:
        assert archive_item_of(s, consent).destroyed_at is None
    # said yes: the act is tried (refused here: the consent is kept for years yet)
    refused = (
        f"Ошибка: Срок хранения документа № {consent} не истёк (до "
        f"{retained(settings, consent):%d.%m.%Y})."
    )
    agreed = CliRunner().invoke(main, destroy, input=f"y\n{DIRECTOR_PASSWORD}\n")
    assert agreed.output.splitlines()[-1] == refused
    scripted = CliRunner().invoke(
        main, [*destroy, "--password-stdin", "--yes"], input=DIRECTOR_PASSWORD
    )
    assert scripted.output == refused + "\n"


def retained(settings, document: int):
    with session_scope(settings.database_url) as s:
        return archive_item_of(s, document).retain_until
