"""Chromium for the browser tests (tests/test_browser*.py): which binary, its flags, and one
instance shared by the browser tests that run one after another in a process."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium-headless-shell")
"""Debian's build of Chromium's headless shell (package chromium-headless-shell, from the same
source and version as chromium): what Playwright itself runs for headless tests. The full
browser in its headless mode took 42 s of CPU for these four modules, the shell 27 s."""
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class SharedChromium:
    """One Chromium for the browser tests that run one after another in a process, whichever
    module they are in: launched by the first, closed (with Playwright, whose event loop counts
    as running in this thread while it lives) at the end of a test whose next test needs no
    browser (``browser``'s teardown, told the next test by conftest's
    ``pytest_runtest_protocol``), so that no other test runs beside it (pyHanko's validation
    and others call ``asyncio.run``). A launch costs ~1.2 s; the four modules launched one
    each."""

    def __init__(self) -> None:
        self._playwright = None
        self._browser = None

    def get(self):
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
        return self._browser

    def close(self) -> None:
        if self._browser is not None:
            try:
                self._browser.close()
            finally:
                self._browser = None
                self._playwright.stop()
                self._playwright = None


SHARED_CHROMIUM = SharedChromium()
NEXT_TEST = pytest.StashKey["pytest.Item | None"]()
"""The test that runs after this one in this process (None: the last)."""


def uses_browser(item: pytest.Item | None) -> bool:
    return item is not None and "browser" in getattr(item, "fixturenames", ())
