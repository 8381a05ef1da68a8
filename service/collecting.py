"""The garbage collector's full passes held off while a batch is written (the pipeline's
:func:`few_full_collections`)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

FULL_COLLECTION_EVERY = 1000
"""While a batch is written, the collector's full pass runs after this many passes of its
middle generation instead of 10 (see :func:`few_full_collections`)."""


@contextmanager
def few_full_collections() -> Iterator[None]:
    """Hold off the garbage collector's full passes while a batch is written.

    A batch keeps what it builds (the workbook's records, the register's rows, every
    document's context) until it commits, and each full pass walks all of it again: for
    15,000 documents about 20 passes over millions of objects, a tenth of the batch's time,
    growing faster than the batch. The young generations are still collected as usual (short-
    lived cycles are freed there); what survives them lives until the batch ends anyway. The
    thresholds are restored afterwards, so the next full pass, in the normal rhythm, frees
    whatever the batch left — by the last of two batches written at once (the watcher's
    warm-up and a file dropped meanwhile), not by the first."""
    global _writing, _thresholds
    with _gc_lock:
        if _writing == 0:
            _thresholds = gc.get_threshold()
            young, middle, full = _thresholds
            gc.set_threshold(young, middle, max(full, FULL_COLLECTION_EVERY))
        _writing += 1
    try:
        yield
    finally:
        with _gc_lock:
            _writing -= 1
            if _writing == 0:
                gc.set_threshold(*_thresholds)


_gc_lock = threading.Lock()
_writing = 0
"""Batches being written now (:func:`few_full_collections`)."""
_thresholds: tuple[int, ...] = gc.get_threshold()
"""The collector's thresholds before the first of them."""
