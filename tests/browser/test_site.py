"""Every page of the built book, opened in Chromium as a reader would open it.

A page passes when it loads, shows its title, logs no console error, requests nothing that
fails and nothing from another host, shows every image, typesets its maths, and renders its
widgets. A full-page screenshot of each page goes to `_build/screenshots/<page>.png`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

# (term, page prefix): searching the site for the term must list a page whose path starts
# with the prefix. Chapters add their own pairs here.
SEARCH_EXPECTATIONS: list[tuple[str, str]] = [
    ("counterexample", "notebooks/model-finding/"),
    ("freezegun", "notebooks/time/"),
    ("Heartbleed", "notebooks/refinement/"),
    ("NotAction", "notebooks/iam/"),
    ("PriorityClass", "notebooks/preemption/"),
]

WIDGET_STATE = 'script[type="application/vnd.jupyter.widget-state+json"]'
WIDGET_VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]'
_RENDER_TIMEOUT_MS = 20_000


@dataclass
class PageLog:
    """What a page did while it loaded: anything in here fails the test."""

    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    off_host_requests: list[str] = field(default_factory=list)
    requested_paths: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [
            *(f"console error: {text}" for text in self.console_errors),
            *(f"failed request: {text}" for text in self.failed_requests),
            *(f"request off the host: {url}" for url in self.off_host_requests),
        ]


def _allowed(url: str, origin: str) -> bool:
    """A URL the site may load: its own origin, or inline data."""
    return url.startswith((f"{origin}/", "data:", "blob:")) or url == origin


def _watch(page: Any, origin: str) -> PageLog:
    log = PageLog()

    def on_console(message: Any) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            log.console_errors.append(f"{message.text} [{where}]")

    def on_request(request: Any) -> None:
        if _allowed(request.url, origin):
            log.requested_paths.append(urlsplit(request.url).path)

    def on_response(response: Any) -> None:
        if response.status >= 400:
            log.failed_requests.append(f"{response.url} (HTTP {response.status})")

    def on_failed(request: Any) -> None:
        if _allowed(request.url, origin):  # off-host ones are reported (and aborted) below
            log.failed_requests.append(f"{request.url} ({request.failure})")

    def off_host(route: Any) -> None:
        # Record and abort: the site must not depend on a CDN, and a test must not wait on
        # a network that may not be there.
        log.off_host_requests.append(route.request.url)
        route.abort()

    page.on("console", on_console)
    page.on("pageerror", lambda error: log.console_errors.append(f"uncaught: {error}"))
    page.on("request", on_request)
    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    page.route(lambda url: not _allowed(url, origin), off_host)
    return log


def _settle(page: Any) -> None:
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")


def _wait_for_math(page: Any) -> list[str]:
    if page.locator(".math").count() == 0:
        return []
    try:
        page.wait_for_function(
            """() => Array.from(document.querySelectorAll('.math'))
                     .every(e => e.querySelector('mjx-container'))""",
            timeout=_RENDER_TIMEOUT_MS,
        )
    except Exception:  # a timeout: reported as a finding below, not as a crash
        raw = page.evaluate(
            """() => Array.from(document.querySelectorAll('.math'))
                     .filter(e => !e.querySelector('mjx-container'))
                     .map(e => e.textContent.trim().slice(0, 60))"""
        )
        return [f"maths not typeset by MathJax: {raw}"]
    return []


def _wait_for_widgets(page: Any) -> list[str]:
    if page.locator(WIDGET_STATE).count() == 0:
        return []
    if page.locator(WIDGET_VIEW).count() == 0:
        return ["widget state is embedded but no widget view is placed on the page"]
    # The embed manager puts a .widget-subarea before each view script and renders into it.
    try:
        page.wait_for_function(
            f"""() => Array.from(document.querySelectorAll('{WIDGET_VIEW}')).every(s => {{
                   const area = s.previousElementSibling;
                   return area && area.classList.contains('widget-subarea')
                       && area.querySelector('.jupyter-widgets');
               }})""",
            timeout=_RENDER_TIMEOUT_MS,
        )
    except Exception:  # a timeout: reported as a finding below, not as a crash
        return ["widgets did not render (no .jupyter-widgets view next to each widget-view)"]
    return []


def _zero_sized(page: Any, root_selector: str) -> list[str]:
    """Describe every visible <svg>/<img> under the selector that has no width or height."""
    found: list[str] = page.evaluate(
        """(selector) => {
            const out = [];
            for (const root of document.querySelectorAll(selector)) {
                for (const e of root.querySelectorAll('svg, img')) {
                    if (e.closest('svg') !== e && e.tagName.toLowerCase() === 'svg') continue;
                    const box = e.getBoundingClientRect();
                    if (box.width === 0 || box.height === 0) out.push(e.outerHTML.slice(0, 80));
                }
            }
            return out;
        }""",
        root_selector,
    )
    return found


def _widget_bundle_only_where_needed(page: Any, log: PageLog) -> list[str]:
    # The 3.6 MB widget bundle belongs on widget pages only. JB1 adds every script under a
    # root `_static/` folder to every page, which is why the JavaScript is vendored elsewhere.
    if page.locator(WIDGET_STATE).count() > 0:
        return []
    loaded = [path for path in log.requested_paths if path.endswith("/embed-amd.js")]
    return [f"widget bundle loaded on a page without widgets: {path}" for path in loaded]


def _check_tabs(page: Any) -> list[str]:
    """Open every tab of every Tab widget; each panel and its pictures must have a size."""
    problems: list[str] = []
    tab_widgets = page.locator(".widget-tab")
    for w in range(tab_widgets.count()):
        widget = tab_widgets.nth(w)
        titles = widget.locator(".lm-TabBar-tab")
        if titles.count() == 0:
            problems.append(f"Tab widget {w} has no tab titles")
        for t in range(titles.count()):
            title = titles.nth(t)
            label = title.inner_text().strip()
            title.click()
            panel = widget.locator(".widget-tab-contents > .lm-Widget:not(.lm-mod-hidden)")
            if panel.count() != 1:
                problems.append(f"Tab widget {w}, tab {label!r}: {panel.count()} visible panels")
                continue
            box = panel.bounding_box()
            if not box or box["width"] == 0 or box["height"] == 0:
                problems.append(f"Tab widget {w}, tab {label!r}: the panel has no size")
            panel_id = f"fmlab-tab-{w}-{t}"
            panel.evaluate("(e, id) => e.setAttribute('data-fmlab-probe', id)", panel_id)
            for picture in _zero_sized(page, f'[data-fmlab-probe="{panel_id}"]'):
                problems.append(f"Tab widget {w}, tab {label!r}: zero-sized {picture}")
        if titles.count():
            titles.first.click()
    return problems


def _broken_images(page: Any) -> list[str]:
    # Lazy images load only when scrolled to; load them all so each one is checked.
    page.evaluate("() => document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; })")
    with contextlib.suppress(Exception):  # a timeout: the incomplete ones are listed below
        page.wait_for_function(
            "() => Array.from(document.images).every(i => i.complete)",
            timeout=_RENDER_TIMEOUT_MS,
        )
    broken: list[str] = page.evaluate(
        """() => Array.from(document.images)
                 .filter(i => !i.complete || i.naturalWidth === 0)
                 .map(i => i.currentSrc || i.src)"""
    )
    return [f"image did not load: {src}" for src in broken]


def _visible_title(page: Any) -> list[str]:
    heading = page.locator("article h1").first
    if heading.count() == 0 or not heading.is_visible():
        return ["no visible <h1> in the article"]
    text = heading.inner_text().replace("#", "").replace("¶", "").strip()
    return [] if text else ["the <h1> is empty"]


def _screenshot_path(screenshots: Path, page_path: str) -> Path:
    target = screenshots / Path(page_path).with_suffix(".png")
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def test_page(page: Any, origin: str, page_path: str, root_page: str, screenshots: Path) -> None:
    log = _watch(page, origin)
    response = page.goto(f"{origin}/{page_path}", wait_until="load")
    assert response is not None, f"{page_path}: no response"
    assert response.status == 200, f"{page_path}: HTTP {response.status}"
    if page_path == "index.html":
        # The site root is a redirect to the book's first page.
        page.wait_for_url(f"{origin}/{root_page}")
    _settle(page)

    problems = _visible_title(page)
    problems += _wait_for_math(page)
    problems += _wait_for_widgets(page)
    problems += _broken_images(page)
    page.screenshot(path=str(_screenshot_path(screenshots, page_path)), full_page=True)
    problems += _check_tabs(page)
    _settle(page)
    problems += _widget_bundle_only_where_needed(page, log)
    problems += log.problems()

    assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize(
    ("term", "expected"), SEARCH_EXPECTATIONS, ids=[term for term, _ in SEARCH_EXPECTATIONS]
)
def test_search_finds_chapter_term(
    page: Any, origin: str, term: str, expected: str, screenshots: Path
) -> None:
    log = _watch(page, origin)
    response = page.goto(f"{origin}/search.html?q={term}", wait_until="load")
    assert response is not None
    assert response.status == 200
    page.wait_for_function(
        "() => (document.querySelector('#search-results h2') || {}).textContent"
        " === 'Search Results'",
        timeout=_RENDER_TIMEOUT_MS,
    )
    hrefs: list[str] = page.eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map(a => a.href)"
    )
    found = sorted({urlsplit(href).path.removeprefix("/") for href in hrefs})
    page.screenshot(path=str(_screenshot_path(screenshots, f"search-{term}")), full_page=True)
    assert any(path.startswith(expected) for path in found), (
        f"searching for {term!r} found {found}, nothing under {expected}"
    )
    assert not log.problems(), "\n".join(log.problems())


def test_vendored_mathjax_loads_its_parts_offline(
    page: Any, origin: str, book_config: dict[str, Any]
) -> None:
    """The trimmed MathJax typesets, and the parts it loads on demand are all there.

    Checked on the search page (which never has maths of its own) so it does not depend on
    a chapter using maths: the vendored MathJax is loaded by hand, typesets a formula, then
    loads what a formula (`\\require`/autoload) or the MathJax menu (SVG renderer,
    accessibility explorer) would fetch later.
    """
    mathjax_path = book_config["sphinx"]["config"]["mathjax_path"]
    log = _watch(page, origin)
    page.goto(f"{origin}/search.html", wait_until="load")
    page.evaluate(
        """() => {
            const probe = document.createElement('p');
            probe.id = 'fmlab-probe';
            probe.textContent = '\\\\(\\\\forall x.\\\\ x^2 \\\\ge 0\\\\)';
            document.querySelector('article, body').appendChild(probe);
            window.MathJax = {startup: {typeset: false}};
        }"""
    )
    page.add_script_tag(url=f"{origin}/_static/{mathjax_path}")
    page.wait_for_function("() => window.MathJax && window.MathJax.typesetPromise")
    page.evaluate(
        """async () => {
            await MathJax.typesetPromise([document.getElementById('fmlab-probe')]);
            await MathJax.loader.load('[tex]/braket', '[tex]/cancel', 'output/svg',
                                      'a11y/explorer');
        }"""
    )
    assert page.locator("#fmlab-probe mjx-container").count() == 1, "the formula was not typeset"
    _settle(page)
    assert not log.problems(), "\n".join(log.problems())
