"""A workbook sent again after later batches changed the register: its file dropped again
does not bring its data back, a corrected copy does (any change makes it a new file) — the
duplicate's message says so (the watcher, the upload, the dry run)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.register.batches import later_changing_batch
from service.register.labels import withdrawn_pair


def changed_since(session: Session, batch_id: int, again: str = "положите её снова") -> str:
    """« После него реестр меняли более поздние книги…» when later batches made documents since
    batch ``batch_id``: its file dropped again does not bring its data back, a corrected copy
    does (any change makes it a new file). Empty when nothing changed since."""
    later = later_changing_batch(session, batch_id)
    if later is None:
        return ""
    when = f"{later.started_at:%d.%m.%Y %H:%M}"
    code = withdrawn_pair(later.source_name)
    if code is not None:  # no workbook: the secretary's withdrawal
        return (
            " После него реестр менялся (последнее изменение — исключение пары "
            f"«{code}», введённой по ошибке: пакет № {later.id} от {when}), и этот файл его не "
            "отменяет. Чтобы вернуть его данные, исправьте книгу (любая правка делает её новым "
            f"файлом), удалите из неё строки исключённых пар и {again}."
        )
    return (
        f" После него реестр меняли более поздние книги (последняя — пакет № {later.id} от "
        f"{when}), и этот файл их не отменяет. Чтобы вернуть его данные, исправьте книгу "
        f"(любая правка делает её новым файлом) и {again}."
    )
