"""Kept for older imports; use service.documents.text."""

from service.documents.text import docx_text

__all__ = ["docx_text"]
