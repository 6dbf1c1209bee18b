"""The step-through works in a real browser with nothing but its own HTML: the buttons
and the slider move between steps, and without scripts every step is shown.

Chromium runs in a thread of its own with its own Playwright session: the site's browser
tests keep a session open in the main thread, and Playwright's sync API allows one per
thread.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fmlab.mc import check, step_through
from tests.mc.conftest import classic

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.browser


def _in_chromium(scenario: Callable[[Any], None], *, javascript: bool = True) -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing (under CI=true nothing is skipped)")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    failure: list[BaseException] = []

    def run() -> None:
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
                )
                try:
                    context = browser.new_context(java_script_enabled=javascript)
                    scenario(context.new_page())
                finally:
                    browser.close()
        except BaseException as error:  # re-raised in the test's thread
            failure.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "Chromium did not finish within two minutes"
    if failure:
        raise failure[0]


def _page_html() -> str:
    trace = check(classic("mutex_naive"))["inv_mutual_exclusion"].trace
    assert trace is not None
    return f"<!doctype html><html><body>{step_through(trace).html}</body></html>"


def test_buttons_and_slider_step_through_the_trace() -> None:
    def scenario(page: Any) -> None:
        page.set_content(_page_html())
        visible = page.locator(".step.on")
        # It opens at the violating state, the last of the five.
        assert visible.count() == 1
        assert "Step 4" in visible.inner_text()
        assert page.locator(".pos").inner_text() == "4 / 4"
        page.click("button.first")
        assert "Step 0: initial state" in page.locator(".step.on").inner_text()
        page.click("button.next")
        text = page.locator(".step.on").inner_text()
        assert "Step 1: test(0)" in text
        assert page.locator(".step.on tr.changed").count() == 1  # pc0 changed
        page.locator("input[type=range]").fill("3")
        assert "Step 3: enter(0)" in page.locator(".step.on").inner_text()
        page.click("button.prev")
        assert page.locator(".pos").inner_text() == "2 / 4"
        box = page.locator(".fmlab-steps").bounding_box()
        assert box is not None
        assert box["width"] <= page.viewport_size["width"]

    _in_chromium(scenario)


def test_without_scripts_every_step_is_shown() -> None:
    def scenario(page: Any) -> None:
        page.set_content(_page_html())
        steps = page.locator(".step")
        assert steps.count() == 5
        assert all(steps.nth(i).is_visible() for i in range(5))
        assert not page.locator(".bar").is_visible()

    _in_chromium(scenario, javascript=False)


def test_it_fits_a_phone_screen() -> None:
    def scenario(page: Any) -> None:
        page.set_viewport_size({"width": 390, "height": 800})
        page.set_content(_page_html())
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390

    _in_chromium(scenario)
