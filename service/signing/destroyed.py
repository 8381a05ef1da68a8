"""What the check of a file says about a document destroyed by an act (its files and
signatures deleted, :mod:`service.archive.erasure`): the archive's PDF/A copy of it, or its own
DOCX kept by someone — the register still knows its SHA-256, but its electronic signatures can
no longer be checked by the service (its ``.p7s`` files are gone): neither valid nor invalid."""

from __future__ import annotations

from datetime import datetime

from service.register.archive_models import DestructionAct


def copy_text(archived_at: datetime, act: DestructionAct | None) -> str:
    if act is not None:
        return (
            f"это PDF/A-копия документа, уничтоженного по акту № {act.number} от "
            f"{act.made_at:%d.%m.%Y} (истёк срок хранения; в архив помещён "
            f"{archived_at:%d.%m.%Y}): его файлы удалены из архива и из хранилища службы, но "
            "SHA-256 копии записан в "
            "реестре, и этот файл с ним совпадает байт в байт. Электронные подписи ниже — "
            "подписи самого документа (файла DOCX), файлы .p7s относятся к нему"
        )
    return (
        f"это PDF/A-копия документа из архива школы (помещена в архив {archived_at:%d.%m.%Y}), "
        "для чтения и печати: она совпадает с копией архива байт в байт. Электронные подписи "
        "ниже — подписи самого документа (файла DOCX), файлы .p7s относятся к нему"
    )


def gone_text(act: DestructionAct | None) -> str:
    """Why an electronic signature of an archived document's PDF copy is not checked."""
    where = (
        f"документ уничтожен по акту № {act.number} от {act.made_at:%d.%m.%Y}"
        if act is not None
        else "его нет ни в хранилище службы, ни в архиве (или файл изменён на диске: сообщите "
        "администратору — nastavnik archive verify)"
    )
    return (
        f"подпись поставлена под файлом документа (DOCX), а {where}; по PDF-копии электронную "
        "подпись проверить нельзя. Реестр и журнал записывают, что документ был подписан, но "
        "это не проверка подписи"
    )


def destroyed_docx_text(act: str) -> str:
    """Why an electronic signature of a destroyed document's DOCX is not checked."""
    return (
        f"документ уничтожен по акту {act} (истёк срок хранения), и файл этой подписи (.p7s) "
        "удалён вместе с ним; проверить подпись можно, только приложив её файл .p7s"
    )


def destroyed_docx_summary(act: str) -> str:
    """The verdict's end for a destroyed document's DOCX."""
    return (
        f"этот файл — документ реестра (его SHA-256 записан), уничтоженный по акту {act}; "
        "файлы его подписей удалены вместе с ним, и проверить подписи нельзя."
    )
