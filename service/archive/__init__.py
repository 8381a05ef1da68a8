"""The archive for inspections.

- ``packs``, ``section12``: ZIP packs of documents and the section-12 completeness of the
  current documents (the web pages use them);
- ``archiving``: archiving signed documents with everything that proves them, stored read-only
  by hash (``store``), with a PDF/A rendition (``rendition``) carrying the PAdES mark of each
  electronic signature (``mark``);
- ``status``: the section-12 sheet of a school year, printed and as ``Сводка по разделу 12.docx``;
- ``bag``, ``verify``: the BagIt package for an inspection and its offline verification;
- ``retention``: retention periods, what may be destroyed, destruction acts.

Domain code: no Flask, click or watchdog here.
"""
