"""Scans of paper-signed documents: the formats accepted, recognised by their first bytes."""

from __future__ import annotations

SCAN_FORMATS: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", ".pdf", "application/pdf"),
    (b"\xff\xd8\xff", ".jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", ".png", "image/png"),
    (b"II*\x00", ".tif", "image/tiff"),
    (b"MM\x00*", ".tif", "image/tiff"),
)
"""(magic bytes, file extension, MIME type) of PDF, JPEG, PNG and TIFF."""


def is_scan(data: bytes) -> bool:
    return any(data.startswith(magic) for magic, _, _ in SCAN_FORMATS)


def scan_suffix(data: bytes) -> str:
    """The file extension of a scan, by its first bytes (``.bin`` when unknown)."""
    return next((suffix for magic, suffix, _ in SCAN_FORMATS if data.startswith(magic)), ".bin")


def scan_mimetype(data: bytes) -> str:
    return next(
        (mime for magic, _, mime in SCAN_FORMATS if data.startswith(magic)),
        "application/octet-stream",
    )
