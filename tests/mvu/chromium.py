"""Chromium for the mvu browser tests, in a thread of its own.

The site's browser tests (tests/browser) keep one Playwright session open for the whole
run, and Playwright's sync API refuses to start a second one in the same thread, so each
scenario here runs in a fresh thread with its own session.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

T = TypeVar("T")

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARGS += ["--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]

# The view as a static page shows it, without the marks the static form adds for its
# script (shared by the static-form tests here and the built site's tests in tests/browser).
PLAIN_VIEW_JS = """(root) => {
  const view = root.querySelector('.fmlab-mvu-view').cloneNode(true);
  view.querySelectorAll('datalist').forEach((node) => node.remove());
  view.querySelectorAll('[data-fm-h]').forEach((node) => {
    node.removeAttribute('data-fm-h');
    node.removeAttribute('list');
  });
  return view.innerHTML;
}"""


def in_chromium(scenario: Callable[[Any], T]) -> T:
    """Run ``scenario(browser)`` with a headless Chromium, in its own thread."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing at /usr/bin/chromium")
        pytest.skip("Chromium is not installed")
    outcome: dict[str, Any] = {}

    def run() -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
                try:
                    outcome["value"] = scenario(browser)
                finally:
                    browser.close()
        except BaseException as error:  # carried to the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=run, name="mvu-chromium")
    thread.start()
    thread.join(timeout=300)
    if thread.is_alive():
        pytest.fail("the Chromium scenario did not finish in 300 s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]
