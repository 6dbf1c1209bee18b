"""The static pages in Chromium: clicking through an app shows the views update would give.

Runs with the browser tests (``make browser``). Each page is the block that
:func:`fmlab.mvu.to_static_html` writes, loaded on its own; after every click or typed
sample the view in the page must be the server HTML of the model that sending the same
messages to ``update`` gives (compared as parsed trees).
"""

from __future__ import annotations

from typing import Any

import pytest

from fmlab.mvu import App, Debugger, parse_html, render_html, to_static_html
from fmlab.mvu.examples import counter, form, leaky_counter, todo
from tests.mvu.chromium import PLAIN_VIEW_JS, in_chromium

pytestmark = pytest.mark.browser


def _open(browser: Any, html: str) -> Any:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: errors.append(f"fetched {request.url}"))
    page.set_content(f"<!DOCTYPE html><html><body>{html}</body></html>")
    page.errors = errors
    return page


def _assert_shows(page: Any, app: App, messages: list[Any]) -> None:
    shown = page.locator(".fmlab-mvu").evaluate(PLAIN_VIEW_JS)
    expected = render_html(app.render(app.run(messages)[-1]))
    assert parse_html(shown).nodes == parse_html(expected).nodes, (messages, shown)
    model = page.locator(".fmlab-mvu-model").inner_text()
    assert model.startswith(f"model: {app.run(messages)[-1]!r}")


def test_clicking_through_the_counter() -> None:
    in_chromium(_clicking_through_the_counter)


def _clicking_through_the_counter(browser: Any) -> None:
    app = App.from_module(counter)
    page = _open(browser, to_static_html(app).html)
    sent: list[Any] = []
    _assert_shows(page, app, sent)
    for label, message in [
        ("+", counter.Increment()),
        ("+", counter.Increment()),
        ("-", counter.Decrement()),
        ("reset", counter.Reset()),
    ]:
        page.get_by_role("button", name=label, exact=True).click()
        sent.append(message)
        _assert_shows(page, app, sent)
    assert page.locator(".fmlab-mvu-trail li").count() == 4
    page.locator("[data-fm-do=back]").click()
    sent.pop()
    _assert_shows(page, app, sent)
    assert not page.errors


def test_typing_samples_into_the_form() -> None:
    in_chromium(_typing_samples_into_the_form)


def _typing_samples_into_the_form(browser: Any) -> None:
    app = App.from_module(form)
    page = _open(browser, to_static_html(app).html)
    sent: list[Any] = []
    for index, (text, message) in enumerate(
        [
            ("Ada", form.SetName("Ada")),
            ("ada@example.org", form.SetEmail("ada@example.org")),
            ("s3cret!!", form.SetPassword("s3cret!!")),
            ("s3cret!!", form.SetConfirm("s3cret!!")),
        ]
    ):
        field = page.locator(".fmlab-mvu-view input").nth(index)
        field.fill(text)
        field.dispatch_event("change")
        sent.append(message)
        _assert_shows(page, app, sent)
    page.get_by_role("button", name="Sign up").click()
    sent.append(form.Submit())
    _assert_shows(page, app, sent)
    assert "Post(url='/signup'" in page.locator(".fmlab-mvu-note").inner_text()
    field = page.locator(".fmlab-mvu-view input").first
    field.fill("Grace")
    field.dispatch_event("change")
    assert "was not pre-computed" in page.locator(".fmlab-mvu-note").inner_text()
    _assert_shows(page, app, sent)
    assert not page.errors


def test_a_move_beyond_the_bound_says_so() -> None:
    in_chromium(_a_move_beyond_the_bound_says_so)


def _a_move_beyond_the_bound_says_so(browser: Any) -> None:
    app = App.from_module(todo)
    page = _open(browser, to_static_html(app, max_states=3).html)
    field = page.locator(".fmlab-mvu-view input").first
    field.fill("milk")
    field.dispatch_event("change")
    page.get_by_role("button", name="Add").click()
    assert "beyond the 3 models" in page.locator(".fmlab-mvu-note").inner_text()
    assert not page.errors


def test_stepping_through_a_recorded_session() -> None:
    in_chromium(_stepping_through_a_recorded_session)


def _stepping_through_a_recorded_session(browser: Any) -> None:
    app = App.from_module(leaky_counter)
    messages = [leaky_counter.Increment(), leaky_counter.Decrement(), leaky_counter.Decrement()]
    page = _open(browser, Debugger(app, messages).to_static_html().html)
    assert page.locator(".fmlab-mvu").get_attribute("data-fm-state") == "3"
    page.locator("[data-fm-do=first]").click()
    _assert_shows(page, app, [])
    page.locator("[data-fm-do=violation]").click()
    _assert_shows(page, app, messages)
    assert "breaks inv_not_negative" in page.locator(".fmlab-mvu-model").inner_text()
    page.locator("[data-fm-do=back]").click()
    _assert_shows(page, app, messages[:2])
    assert not page.errors
