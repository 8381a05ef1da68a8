"""``nastavnik pending`` for a director whose key is not issued yet, or was revoked: it said
«Документов на подпись нет.» while the workbook had put a dozen documents in his queue — the
page «На подпись» lists them since 775aaa6, the console did not (review15)."""

from __future__ import annotations

from click.testing import CliRunner

from service.cli import main
from service.documents.catalogue import BY_ID
from service.register.db import session_scope
from service.signing.signers import revoke_signer
from service.signing.workflow import pending_documents


def test_pending_lists_the_roles_queue_to_a_director_without_a_key(web_school):
    settings = web_school.settings
    home = ["--home", str(settings.home)]
    with session_scope(settings.database_url) as s:
        revoke_signer(s, "director", "ключ утерян")
        waiting = [
            f"{d.id}\t{BY_ID[d.kind].title} — {d.subject_label} (версия {d.version})"
            for d in pending_documents(s, "director", {"director"})
        ]
    assert len(waiting) > 5
    done = CliRunner().invoke(main, [*home, "pending", "--user", "director"])
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines() == waiting
    assert (
        "Внимание: у пользователя «director» нет действующего ключа электронной подписи. "
        "Документы ниже ждут подписи по его роли: их можно прочитать и вернуть с комментарием "
        "(nastavnik return), подписать — когда администратор выпустит ключ (nastavnik signer "
        "add)."
    ) in done.stderr.splitlines()
    # a user who signs nothing is told there is nothing, as before
    other = CliRunner().invoke(main, [*home, "pending", "--user", "secretary"])
    assert (other.exit_code, other.stdout, other.stderr) == (0, "Документов на подпись нет.\n", "")
