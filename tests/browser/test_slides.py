"""Every slide deck, presented in Chromium as a speaker would: from the keyboard, slide by slide.

For each deck in `_build/html/slides/decks.json` (written by `scripts/slides.py build`):
it loads with no console error, no failed request and no request off the host; the right
arrow reaches every slide; on each slide nothing is cut off or leaves the slide, text is at
least `MIN_TEXT_PX` on a 1280 x 720 screen and the text in drawings at least
`MIN_DRAWING_TEXT_PX`. On a phone-sized screen the slides still fit. Printed with
`?print-pdf`, a deck gives one PDF page per slide. Screenshots of every slide go to
`_build/screenshots/slides/`.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import BOOK_ROOT, SITE

sys.path.insert(0, str(BOOK_ROOT / "scripts"))
from fmlab_slides.pdf import print_deck  # scripts/ must be on the path first

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
MIN_TEXT_PX = 18.0  # as displayed at 1280 x 720: legible from the back of a room
MIN_DRAWING_TEXT_PX = 9.0  # labels in a drawing, as displayed (the site holds figures to 9 px too)
MANIFEST = SITE / "slides" / "decks.json"


def _decks() -> list[dict[str, Any]]:
    if not MANIFEST.exists():
        return []
    entries: list[dict[str, Any]] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return entries


DECKS = _decks()
LIGHTNING = [deck for deck in DECKS if deck["kind"] == "lt"]
WORKSHOPS = [deck for deck in DECKS if deck["kind"] == "workshop"]
LIGHTNING_IDS = [str(deck["deck"]) for deck in LIGHTNING]
WORKSHOP_IDS = [str(deck["deck"]) for deck in WORKSHOPS]

# The problems of one slide (an empty list when it is fine), for the slide being shown.
_CHECK_SLIDE = """
function fmlabSlideProblems(slide, {minText, minDrawingText, checkFonts}) {
  const frame = slide.querySelector('.fmlab-frame');
  if (!frame) return ['the slide has no .fmlab-frame'];
  const problems = [];
  const box = frame.getBoundingClientRect();
  const name = (e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className)
      .trim().split(/\\s+/).join('.') : '');
  if (frame.scrollHeight > frame.clientHeight + 1) {
    problems.push(`content ${frame.scrollHeight - frame.clientHeight}px taller than the slide`);
  }
  if (frame.scrollWidth > frame.clientWidth + 1) {
    problems.push(`content ${frame.scrollWidth - frame.clientWidth}px wider than the slide`);
  }
  for (const e of frame.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.bottom > box.bottom + 1 || r.right > box.right + 1 ||
        r.top < box.top - 1 || r.left < box.left - 1) {
      problems.push(`${name(e)} leaves the slide (${e.textContent.trim().slice(0, 40)})`);
    }
  }
  for (const pre of frame.querySelectorAll('pre')) {
    if (pre.scrollWidth > pre.clientWidth + 1 || pre.scrollHeight > pre.clientHeight + 1) {
      problems.push(`${name(pre)} is cut off: ${pre.textContent.trim().slice(0, 40)}`);
    }
  }
  for (const img of frame.querySelectorAll('img')) {
    if (!img.complete || img.naturalWidth === 0) problems.push(`image not loaded: ${img.src}`);
  }
  if (!checkFonts) return problems;
  const walker = document.createTreeWalker(frame, NodeFilter.SHOW_TEXT);
  const small = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const parent = node.parentElement;
    const rect = parent.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    // The font size as displayed: the computed size times reveal.js's scale of the slide.
    const shown = parseFloat(getComputedStyle(parent).fontSize) * Reveal.getScale();
    if (shown < minText) small.add(`${name(parent)} ${shown.toFixed(1)}px`);
  }
  for (const entry of small) problems.push(`text smaller than ${minText}px: ${entry}`);
  for (const img of frame.querySelectorAll('img[data-font-min]')) {
    const r = img.getBoundingClientRect();
    const ratio = img.naturalWidth / img.naturalHeight;
    const drawnWidth = Math.min(r.width, r.height * ratio);
    const px = Number(img.dataset.fontMin) * drawnWidth / Number(img.dataset.viewWidth);
    if (px < minDrawingText) {
      problems.push(`drawing text ${px.toFixed(1)}px < ${minDrawingText}px: ${img.src}`);
    }
  }
  return problems;
}
"""
_SLIDE_PROBLEMS = f"""
(options) => {{
  {_CHECK_SLIDE}
  return fmlabSlideProblems(Reveal.getCurrentSlide(), options);
}}
"""
# Every slide of a deck in one call: shown one after another through reveal.js's API (a
# workshop deck has hundreds; a round trip per slide would cost minutes). Returns the
# number of slides shown and the problems, each with its slide number and source.
_DECK_PROBLEMS = f"""
(options) => {{
  {_CHECK_SLIDE}
  const total = Reveal.getTotalSlides();
  const problems = [];
  for (let index = 0; index < total; index++) {{
    Reveal.slide(index);
    const slide = Reveal.getCurrentSlide();
    for (const problem of fmlabSlideProblems(slide, options)) {{
      problems.push(`slide ${{index + 1}} (${{slide.dataset.fmlabSource}}): ${{problem}}`);
    }}
  }}
  return {{seen: total, last: Reveal.isLastSlide(), problems}};
}}
"""


@dataclass
class DeckLog:
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    off_host: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [
            *(f"console error: {text}" for text in self.console_errors),
            *(f"failed request: {text}" for text in self.failed),
            *(f"request off the host: {url}" for url in self.off_host),
        ]


def _open_deck(browser: Any, origin: str, deck: dict[str, Any], viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(20_000)
    log = DeckLog()

    def allowed(url: str) -> bool:
        return url.startswith((f"{origin}/", "data:", "blob:"))

    def off_host(route: Any) -> None:
        log.off_host.append(route.request.url)
        route.abort()

    page.on(
        "console",
        lambda message: (
            log.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: log.console_errors.append(f"uncaught: {error}"))
    page.on(
        "response",
        lambda response: (
            log.failed.append(f"{response.url} ({response.status})")
            if response.status >= 400
            else None
        ),
    )
    page.on(
        "requestfailed",
        lambda request: log.failed.append(request.url) if allowed(request.url) else None,
    )
    page.route(lambda url: not allowed(url), off_host)
    page.goto(f"{origin}/slides/{deck['path']}")
    page.wait_for_selector("html[data-fmlab-ready]")
    page.wait_for_load_state("networkidle")
    page.fmlab_log = log
    return page


def _present(page: Any, *, check_fonts: bool, shots: Path | None) -> tuple[int, list[str]]:
    """Step through the deck with the right arrow; returns slides seen and problems."""
    total = int(page.evaluate("Reveal.getTotalSlides()"))
    seen: list[int] = []
    problems: list[str] = []
    for _ in range(total * 10):  # fragments take extra presses; never loop for ever
        index = int(page.evaluate("Reveal.getSlidePastCount()"))
        if index not in seen:
            seen.append(index)
            page.wait_for_function("Array.from(document.images).every(i => i.complete)")
            found = page.evaluate(
                _SLIDE_PROBLEMS,
                {
                    "minText": MIN_TEXT_PX,
                    "minDrawingText": MIN_DRAWING_TEXT_PX,
                    "checkFonts": check_fonts,
                },
            )
            source = page.evaluate("Reveal.getCurrentSlide().dataset.fmlabSource")
            problems.extend(f"slide {index + 1} ({source}): {p}" for p in found)
            if shots is not None:
                page.screenshot(path=str(shots / f"{index + 1:02d}.png"))
        if page.evaluate("Reveal.isLastSlide() && !Reveal.availableFragments().next"):
            break
        page.keyboard.press("ArrowRight")
    return len(seen), problems


@pytest.fixture(scope="module")
def decks() -> list[dict[str, Any]]:
    if not DECKS:
        pytest.fail(f"no decks listed in {MANIFEST}: run `make slides`", pytrace=False)
    return DECKS


def test_every_chapter_has_a_deck(decks: list[dict[str, Any]]) -> None:
    from fmlab_slides.sources import chapters

    for kind in ("lt", "workshop"):
        built = {str(deck["chapter"]) for deck in decks if deck["kind"] == kind}
        missing = [c.name for c in chapters(BOOK_ROOT) if c.name not in built]
        assert not missing, f"chapters without a {kind} deck: {missing}"
    for deck in decks:
        if deck["kind"] == "lt":
            assert 8 <= int(deck["slides"]) <= 16, f"{deck['deck']}: {deck['slides']} slides"


@pytest.mark.parametrize("deck", LIGHTNING, ids=LIGHTNING_IDS)
def test_deck_presents_from_the_keyboard(
    browser: Any, origin: str, screenshots: Path, deck: dict[str, Any]
) -> None:
    shots = screenshots / "slides" / str(deck["deck"]).replace("/", "-")
    shots.mkdir(parents=True, exist_ok=True)
    page = _open_deck(browser, origin, deck, DESKTOP)
    try:
        seen, problems = _present(page, check_fonts=True, shots=shots)
        problems.extend(page.fmlab_log.problems())
        assert seen == deck["slides"], f"reached {seen} of {deck['slides']} slides"
        assert page.evaluate("Reveal.isLastSlide()")
        notes = page.evaluate("document.querySelectorAll('.slides aside.notes').length")
        assert notes >= seen // 2, f"only {notes} of {seen} slides have speaker notes"
    finally:
        page.context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("deck", LIGHTNING, ids=LIGHTNING_IDS)
def test_deck_fits_a_phone(
    browser: Any, origin: str, screenshots: Path, deck: dict[str, Any]
) -> None:
    shots = screenshots / "slides-phone" / str(deck["deck"]).replace("/", "-")
    shots.mkdir(parents=True, exist_ok=True)
    page = _open_deck(browser, origin, deck, PHONE)
    try:
        seen, problems = _present(page, check_fonts=False, shots=shots)
        problems.extend(page.fmlab_log.problems())
        assert seen == deck["slides"]
    finally:
        page.context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("deck", LIGHTNING, ids=LIGHTNING_IDS)
def test_deck_prints_one_page_per_slide(
    browser: Any, origin: str, tmp_path: Path, deck: dict[str, Any]
) -> None:
    page = _open_deck(browser, origin, {**deck, "path": f"{deck['path']}?print-pdf"}, DESKTOP)
    try:
        pages = print_deck(page, f"{origin}/slides/{deck['path']}?print-pdf", tmp_path / "d.pdf")
        problems = page.fmlab_log.problems()
    finally:
        page.context.close()
    assert pages == deck["slides"], f"{pages} PDF pages for {deck['slides']} slides"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("deck", WORKSHOPS, ids=WORKSHOP_IDS)
def test_workshop_deck_fits_every_slide(browser: Any, origin: str, deck: dict[str, Any]) -> None:
    """One load per deck; every slide measured at 1280 x 720 in one call, then the whole
    deck walked from the keyboard. A slide's layout is the same at any screen size
    (reveal.js scales the whole slide), so the phone walk of the lightning-talk decks is
    not repeated for hundreds of slides; `make slides-pdf` prints these decks."""
    page = _open_deck(browser, origin, deck, DESKTOP)
    try:
        page.wait_for_function("Array.from(document.images).every(i => i.complete)")
        options = {"minText": MIN_TEXT_PX, "minDrawingText": MIN_DRAWING_TEXT_PX}
        result = page.evaluate(_DECK_PROBLEMS, {**options, "checkFonts": True})
        walked = _walk_from_the_keyboard(page)
        problems = [*result["problems"], *page.fmlab_log.problems()]
    finally:
        page.context.close()
    assert result["seen"] == deck["slides"], f"{result['seen']} of {deck['slides']} slides"
    assert result["last"]
    assert walked == list(range(deck["slides"])), f"the keyboard reached {walked[-5:]} last"
    assert not problems, "\n".join(problems)


def _walk_from_the_keyboard(page: Any) -> list[int]:
    """From the first slide, the right arrow until the last: every slide index reached."""
    page.evaluate("Reveal.slide(0, 0, -1)")
    reached = [int(page.evaluate("Reveal.getSlidePastCount()"))]
    for _ in range(int(page.evaluate("Reveal.getTotalSlides()")) * 10):  # fragments
        if page.evaluate("Reveal.isLastSlide() && !Reveal.availableFragments().next"):
            break
        page.keyboard.press("ArrowRight")
        index = int(page.evaluate("Reveal.getSlidePastCount()"))
        if index != reached[-1]:
            reached.append(index)
    return reached


def test_slides_page_links_every_deck(
    browser: Any, origin: str, decks: list[dict[str, Any]]
) -> None:
    page = browser.new_page()
    try:
        page.goto(f"{origin}/book/slides.html")
        hrefs = page.evaluate("Array.from(document.querySelectorAll('a')).map(a => a.href)")
        for deck in decks:
            assert f"{origin}/slides/{deck['path']}" in hrefs, f"no link to {deck['path']}"
        # Each overview once, for both of its chapter's decks.
        for chapter in dict.fromkeys(str(deck["chapter"]) for deck in decks):
            overview = f"{origin}/book/{chapter}.html"
            page.goto(overview)
            links = page.evaluate("Array.from(document.querySelectorAll('a')).map(a => a.href)")
            for deck in (d for d in decks if d["chapter"] == chapter):
                target = f"{origin}/slides/{deck['path']}"
                assert target in links, f"{overview} does not link {deck['path']}"
    finally:
        page.close()
