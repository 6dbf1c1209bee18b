"""The mvu chapter on the built site: a reader clicks through its apps with no kernel.

Opens the chapter's pages from `_build/html` (served locally) in Chromium, clicks the
pre-computed counter, types a sample into the sign-up form and steps through the recorded
debugger session. After every click the view in the page must be the server HTML of the
model that sending the same messages to the Python ``update`` gives, compared as parsed
trees, so the page and the library are checked against each other, not against a copy.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from fmlab.mvu import App, Debugger, parse_html, render_html
from fmlab.mvu.examples import counter, form, leaky_counter
from tests.browser.test_accessibility import axe_violations
from tests.mvu.chromium import PLAIN_VIEW_JS

pytestmark = pytest.mark.browser

CHAPTER = "notebooks/mvu"
FIRST = f"{CHAPTER}/01-model-view-update.html"
DEBUGGER = f"{CHAPTER}/04-time-travel.html"


def _open(page: Any, origin: str, path: str) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{origin}/{path}")
    return errors


def _block(page: Any, marker: str) -> Any:
    """The clickable block whose model line starts with ``marker`` now, pinned by position.

    A filter on the text would lose the block as soon as a click changes its model line.
    """
    lines = page.locator(".fmlab-mvu .fmlab-mvu-model").all_inner_texts()
    matches = [index for index, line in enumerate(lines) if line.startswith(marker)]
    assert matches, f"no clickable app showing {marker!r} among {lines}"
    return page.locator(".fmlab-mvu").nth(matches[0])


def _assert_shows(block: Any, app: App, messages: list[Any]) -> None:
    model = app.run(messages)[-1] if messages else app.init_model()
    shown = block.evaluate(PLAIN_VIEW_JS)
    assert parse_html(shown).nodes == parse_html(render_html(app.render(model))).nodes, messages
    assert block.locator(".fmlab-mvu-model").inner_text().startswith(f"model: {model!r}")


def test_the_counter_on_the_first_page_clicks_through(page: Any, origin: str) -> None:
    errors = _open(page, origin, FIRST)
    app = App.from_module(counter)
    block = _block(page, "model: Model(count=0)")
    view = block.locator(".fmlab-mvu-view")
    sent: list[Any] = []
    _assert_shows(block, app, sent)
    for _ in range(counter.MAXIMUM):
        view.get_by_role("button", name="+", exact=True).click()
        sent.append(counter.Increment())
        _assert_shows(block, app, sent)
    # At the maximum the view disables "+": the page offers no move, as update's view says.
    assert view.get_by_role("button", name="+", exact=True).is_disabled()
    view.get_by_role("button", name="-", exact=True).click()
    sent.append(counter.Decrement())
    _assert_shows(block, app, sent)
    view.get_by_role("button", name="reset").click()
    sent.append(counter.Reset())
    _assert_shows(block, app, sent)
    block.locator("[data-fm-do=back]").click()
    sent.pop()
    _assert_shows(block, app, sent)
    assert errors == []


def test_the_form_takes_a_sample_and_reports_its_effect(page: Any, origin: str) -> None:
    errors = _open(page, origin, FIRST)
    app = App.from_module(form)
    block = _block(page, "model: Model(fields=Fields(name=''")
    name_input = block.locator(".fmlab-mvu-view input").first
    name_input.fill("Ada")
    name_input.dispatch_event("change")
    _assert_shows(block, app, [form.SetName("Ada")])
    assert errors == []


def test_the_debugger_jumps_to_the_violation(page: Any, origin: str) -> None:
    errors = _open(page, origin, DEBUGGER)
    app = App.from_module(leaky_counter)
    block = page.locator(".fmlab-mvu:has([data-fm-do=violation])").first
    session = [
        leaky_counter.Increment(),
        leaky_counter.Decrement(),
        leaky_counter.Decrement(),
        leaky_counter.Increment(),
    ]
    _assert_shows(block, app, session)
    block.locator("[data-fm-do=violation]").click()
    _assert_shows(block, app, session[:3])
    assert "breaks inv_not_negative" in block.locator(".fmlab-mvu-model").inner_text()
    block.locator("[data-fm-do=back]").click()
    _assert_shows(block, app, session[:2])
    assert errors == []


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize(
    "path",
    [
        "book/mvu.html",
        FIRST,
        f"{CHAPTER}/02-server-rendering-and-hydration.html",
        f"{CHAPTER}/03-exploring-and-proving.html",
        DEBUGGER,
    ],
)
def test_the_chapter_pages_fit_the_width(page: Any, origin: str, path: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    errors = _open(page, origin, path)
    # The page itself never scrolls sideways; wide code and apps scroll inside their boxes.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} at {width} px is {overflow} px too wide"
    assert errors == []


_WIDGET_STATE = re.compile(
    r'(<script type="application/vnd.jupyter.widget-state\+json">).*?(</script>)', re.S
)
_WIDGET_VIEW = re.compile(
    r'(<script type="application/vnd.jupyter.widget-view\+json">).*?(</script>)', re.S
)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_kernel_debugger_widget_is_named_and_whole(
    open_page: Any, origin: str, site: Path, axe_source: str, width: int
) -> None:
    """``Debugger.widget()`` drawn by the site's own widget manager: no axe violation (its
    step control has a name) and every button label whole and on screen at ``width``.

    The page shows the debugger only in a kernel, so its saved state is put into a copy of
    page 04 in place of the live app's, served from memory beside the real page.
    """
    from ipywidgets.embed import embed_data

    session = [leaky_counter.Increment(), leaky_counter.Decrement(), leaky_counter.Decrement()]
    widget = Debugger(App.from_module(leaky_counter), session).widget()
    data = embed_data(views=[widget])
    html = (site / DEBUGGER).read_text(encoding="utf-8")
    state, view = json.dumps(data["manager_state"]), json.dumps(data["view_specs"][0])
    html, replaced_state = _WIDGET_STATE.subn(lambda m: m[1] + state + m[2], html, count=1)
    html, replaced_view = _WIDGET_VIEW.subn(lambda m: m[1] + view + m[2], html, count=1)
    assert (replaced_state, replaced_view) == (1, 1), "page 04 no longer embeds a widget"
    copy = f"{origin}/{CHAPTER}/debugger-widget-probe.html"
    page = open_page(width)
    page.route(copy, lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto(copy, wait_until="load")
    page.wait_for_selector(".widget-hbox .widget-button")
    bar = page.locator(".widget-hbox").first
    violations = [
        v for v in axe_violations(page, axe_source) if v["impact"] in ("critical", "serious")
    ]
    assert not violations, violations
    assert bar.get_by_label("step").input_value() == "3"
    labels = bar.evaluate(
        """(bar) => Array.from(bar.querySelectorAll('button')).map((b) => [
             b.textContent, b.scrollWidth <= b.clientWidth,
             b.getBoundingClientRect().right <= window.innerWidth])"""
    )
    assert [label for label, *_ in labels] == ["back", "forward", "jump to violation"]
    assert all(whole and on_screen for _, whole, on_screen in labels), (width, labels)
