"""Counters for the tests of bounded work: what a refusal «at once» did not do, counted.

The team's rule is that no test asserts a time (speed is measured in ``make bench``): a bound in
seconds fails on a loaded machine and passes on a fast one whatever the code does. These
helpers count the work itself instead — the parts of a zip unpacked, the characters of cell
text cleaned, the rows given to a sheet's reader, the steps of a template's loops — so that a
test fails exactly when the bounded behaviour breaks, on any machine.
"""

from __future__ import annotations

import itertools
import tracemalloc
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import pytest


def opened_parts(monkeypatch: pytest.MonkeyPatch) -> list[zipfile.ZipInfo]:
    """Every zip member opened for reading from now on (by the product, openpyxl, docx…),
    as its directory entry: its ``file_size`` is what unpacking it could give."""
    opened: list[zipfile.ZipInfo] = []
    original = zipfile.ZipFile.open

    def open_(self: zipfile.ZipFile, name: Any, mode: str = "r", *args: Any, **kwargs: Any):
        if mode == "r":
            with suppress(KeyError):  # the original says so
                opened.append(name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name))
        return original(self, name, mode, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", open_)
    return opened


def cleaned_lengths(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every cell text cleaned from now on (``normalise._clean``: each pass over
    a cell's whole text — its value, its key — goes through it; short texts remembered by
    ``clean_text`` are not cleaned again)."""
    from service.intake import normalise

    lengths: list[int] = []
    original = normalise._clean

    def clean(value: str) -> str:
        lengths.append(len(value))
        return original(value)

    monkeypatch.setattr(normalise, "_clean", clean)
    normalise._clean_short.cache_clear()  # a text remembered by an earlier test is counted too
    return lengths


def rows_given(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many rows each sheet (by its title) gave its reader from now on
    (``reader._rows``: the filled rows, streamed)."""
    from service.intake import reader

    given: Counter[str] = Counter()
    original = reader._rows

    def rows(worksheet: Any, max_rows: int, *rest: Any) -> Iterator[tuple[int, tuple[object, ...]]]:
        for row in original(worksheet, max_rows, *rest):
            given[worksheet.title] += 1
            yield row

    monkeypatch.setattr(reader, "_rows", rows)
    return given


class LoopClock:
    """The clock of the templates' sandbox (``sandbox.time``), read once per loop step (and
    once more when a rendering's first loop sets its deadline,
    :func:`service.documents.sandbox.counted_loop`). Each read moves it on by ``tick`` seconds
    (a power of two, so the sums are exact), so a time bound is reached after a known number
    of steps whatever the machine's speed, and :attr:`reads` counts the steps. The clock is
    C code (``itertools.count``): millions of steps cost no more than with the real one."""

    def __init__(self, tick: float = 2.0**-20) -> None:
        self.tick = tick
        self._times = itertools.count(0.0, tick)
        self.monotonic = self._times.__next__
        self._peeks = 0

    @property
    def reads(self) -> int:
        """How many times the sandbox read the clock so far."""
        self._peeks += 1  # taking the next time to see it is a read too, not the sandbox's
        return round(next(self._times) / self.tick) - self._peeks + 1


def loop_clock(monkeypatch: pytest.MonkeyPatch, tick: float = 2.0**-20) -> LoopClock:
    """A :class:`LoopClock` in place of the sandbox's clock from now on (the default tick, a
    microsecond, keeps five million steps under the sandbox's minute)."""
    from service.documents import sandbox

    clock = LoopClock(tick)
    monkeypatch.setattr(sandbox, "time", clock)
    return clock


@contextmanager
def peak_memory() -> Iterator[list[int]]:
    """The largest amount of memory Python allocated inside the block, in bytes, appended to
    the list it gives once the block ends (tracemalloc: allocations counted, not timed)."""
    peak: list[int] = []
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    start, _ = tracemalloc.get_traced_memory()
    try:
        yield peak
    finally:
        _, top = tracemalloc.get_traced_memory()
        if not was_tracing:
            tracemalloc.stop()
        peak.append(top - start)
