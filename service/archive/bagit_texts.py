"""The bagit library's messages in Russian, for the report the inspector reads
(``nastavnik archive verify``): the library has no Russian catalogue and said «Payload-Oxum
validation failed. Expected 55 files…» in the middle of a Russian report. A message not known
here keeps its words, quoted after a Russian sentence."""

from __future__ import annotations

import re

_OXUM = re.compile(
    r"Payload-Oxum validation failed\. Expected (\d+) files and (\d+) bytes "
    r"but found (\d+) files and (\d+) bytes"
)
_KNOWN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Expected bagit\.txt does not exist: .*"), "в папке нет файла bagit.txt."),
    (re.compile(r"Expected data directory .* does not exist"), "в пакете нет папки data."),
    (re.compile(r"No manifest files found"), "в пакете нет манифеста (manifest-sha256.txt)."),
    (
        re.compile(r"Bag validation failed(:.*)?", re.S),
        "файлы пакета не совпадают с манифестом: изменённые, отсутствующие и лишние названы ниже.",
    ),
    (
        re.compile(r"Bag is incomplete(:.*)?", re.S),
        "пакет неполон: не все файлы из fetch.txt на месте.",
    ),
    (
        re.compile(r"bagit\.txt must not contain a byte-order mark"),
        "файл bagit.txt начинается с метки порядка байтов (BOM), а её там быть не должно.",
    ),
)


def bagit_text(message: str) -> str:
    """``message`` of a :class:`bagit.BagError` as a Russian sentence."""
    message = message.strip()
    oxum = _OXUM.fullmatch(message)
    if oxum:
        files, size, found_files, found_size = oxum.groups()
        return (
            "число или объём файлов данных не совпадает с записанным в bag-info.txt "
            f"(Payload-Oxum): записано файлов {files}, байт {size}; найдено файлов "
            f"{found_files}, байт {found_size}."
        )
    for pattern, russian in _KNOWN:
        if pattern.fullmatch(message):
            return russian
    return f"пакет не прошёл проверку BagIt («{message}»)."
