"""Every page read at 1280 px and 390 px: no text cut off, every drawing readable.

**No cut-off text.** Every piece of text in the article must lie inside the text column,
unless it sits in a box that scrolls (``overflow: auto``/``scroll``) and that a keyboard can
reach (``tabindex`` 0) and a screen reader can name (``aria-label``). Text clipped by an
``overflow: hidden`` box, or spilling past the column, fails.

**Readable drawings** (the rule, decided for issue 13): every SVG drawing in the article
either shows its smallest text at least ``MIN_TEXT_PX`` CSS pixels tall as displayed, or
is a link (``a.fmlab-zoom``, added by book/_ext/fmlab_reading.py) that opens the same SVG
full size, where its smallest text is at least that tall. Gallery drawings (inline SVG in
widget tabs) are never scaled: they must meet the size as they stand, inside a box that
shows all of them (it scrolls), and each gallery's tab titles must differ. Text that
Matplotlib draws as glyph outlines (no ``<text>``) is measured from its glyphs' scale.
The text in a raster (PNG) cannot be measured: a raster shown smaller than its own size
must open full size.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, PHONE, toc_pages
from tests.browser.visits import register, visit

pytestmark = pytest.mark.browser

MIN_TEXT_PX = 9.0
PAGES = [page for page in toc_pages() if page != "index.html"]

# Returns one description per text that is wider than the box that holds it, naming the
# block it belongs to; an empty list when everything fits. See the module docstring.
CUT_OFF_TEXT_JS = """
() => {
  const article = document.querySelector('article.bd-article');
  if (!article) return ['no article.bd-article on the page'];
  const column = article.getBoundingClientRect();
  const describe = (element) => {
    const block = element.closest('pre, p, li, td, th, table, div, svg, h1, h2, h3') || element;
    const classes = (block.getAttribute('class') || '').trim().split(/\\s+/).slice(0, 2);
    return block.tagName.toLowerCase() + (classes[0] ? '.' + classes.join('.') : '');
  };
  const named = (element) =>
    !!(element.getAttribute('aria-label') || element.getAttribute('aria-labelledby'));
  const hiddenOnPurpose = (style, box) =>
    (box.width <= 1 && box.height <= 1) || (style.clip && style.clip.startsWith('rect'));
  const found = new Map();
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    const text = walker.currentNode;
    if (!text.textContent.trim() || !text.parentElement) continue;
    range.selectNodeContents(text);
    let rects = Array.from(range.getClientRects()).filter(r => r.width > 0 && r.height > 0);
    if (rects.length === 0) continue;
    let left = Math.min(...rects.map(r => r.left));
    let right = Math.max(...rects.map(r => r.right));
    if (right > column.right + 1 || left < column.left - 1 || text.parentElement.closest(
        '[style*="overflow"], pre, .widget-tab, table')) {
      // Measure the words only: spaces that end a wrapped line hang past its edge
      // harmlessly (white-space: pre-wrap), and they are no text a reader misses.
      rects = [];
      for (const word of text.textContent.matchAll(/\\S+/g)) {
        range.setStart(text, word.index);
        range.setEnd(text, word.index + word[0].length);
        rects.push(...Array.from(range.getClientRects()).filter(r => r.width > 0));
      }
      if (rects.length === 0) continue;
      left = Math.min(...rects.map(r => r.left));
      right = Math.max(...rects.map(r => r.right));
    }
    let verdict = null;
    for (let box = text.parentElement; box && box !== article; box = box.parentElement) {
      const style = getComputedStyle(box);
      const bounds = box.getBoundingClientRect();
      if (hiddenOnPurpose(style, bounds)) { verdict = 'fine'; break; }
      if (style.overflowX === 'visible') continue;
      if (right <= bounds.right + 1 && left >= bounds.left - 1) continue;
      if (style.overflowX === 'auto' || style.overflowX === 'scroll') {
        verdict = box.tabIndex >= 0 && named(box)
          ? 'fine'
          : 'in a scroll box with no ' + (box.tabIndex >= 0 ? 'name' : 'tabindex')
            + ' (' + describe(box) + ')';
      } else {
        verdict = 'clipped by overflow:' + style.overflowX + ' (' + describe(box) + ')';
      }
      break;
    }
    if (verdict === null && (right > column.right + 1 || left < column.left - 1)) {
      verdict = 'past the column by ' + Math.round(Math.max(right - column.right,
                                                             column.left - left)) + ' px';
    }
    if (verdict && verdict !== 'fine') {
      const key = describe(text.parentElement) + ': ' + verdict;
      if (!found.has(key)) found.set(key, text.textContent.trim().slice(0, 50));
    }
  }
  return Array.from(found, ([where, sample]) => where + ' e.g. ' + JSON.stringify(sample));
}
"""

# For each SVG drawing: the smallest text as displayed (px), the smallest at full size, and
# whether it opens full size. An <img> SVG is fetched and laid out off-screen at its
# displayed width and at its own width; an inline SVG is measured where it stands.
DRAWING_TEXT_JS = """
async () => {
  const article = document.querySelector('article.bd-article');
  // Matplotlib draws text as glyph outlines, not <text>: each glyph is a <use> of a path
  // named like "DejaVuSans-6c", in a group scaled so that 100 units are one font size.
  const GLYPH = /^#[A-Za-z][A-Za-z0-9_]*-[0-9a-f]+$/;
  const MATPLOTLIB_FONT_UNITS = 100;
  const smallest = (svg) => {
    let least = Infinity;
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      const size = parseFloat(getComputedStyle(t).fontSize);
      const matrix = t.getScreenCTM();
      if (!matrix || !size) continue;
      least = Math.min(least, size * Math.hypot(matrix.a, matrix.b));
    }
    for (const glyph of svg.querySelectorAll('use')) {
      const href = glyph.getAttribute('href') || glyph.getAttribute('xlink:href') || '';
      if (!GLYPH.test(href)) continue;
      const matrix = glyph.getScreenCTM();
      if (!matrix) continue;
      least = Math.min(least, MATPLOTLIB_FONT_UNITS * Math.hypot(matrix.a, matrix.b));
    }
    return least;
  };
  const layOut = (source, width) => {
    const holder = document.createElement('div');
    holder.style.cssText = 'position:absolute;left:-20000px;top:0;width:' + width + 'px';
    const svg = document.importNode(source, true);
    const viewBox = svg.viewBox.baseVal;
    const height = viewBox && viewBox.width ? width * viewBox.height / viewBox.width : 0;
    svg.setAttribute('width', width + 'px');
    if (height) svg.setAttribute('height', height + 'px');
    holder.appendChild(svg);
    document.body.appendChild(holder);
    const least = smallest(svg);
    holder.remove();
    return least;
  };
  const out = [];
  for (const img of article.querySelectorAll('img')) {
    const src = img.currentSrc || img.src;
    if (!src.split('?')[0].endsWith('.svg')) continue;
    const shown = img.getBoundingClientRect().width;
    if (shown === 0) continue;
    const text = await (await fetch(src)).text();
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const svg = doc.documentElement;
    const link = img.closest('a');
    out.push({
      what: src.split('/').pop(),
      shownPx: layOut(svg, shown),
      fullPx: layOut(svg, img.naturalWidth || shown),
      zoomable: !!(link && link.href === img.src),
    });
  }
  for (const svg of article.querySelectorAll('svg')) {
    if (svg.closest('mjx-container') || svg.parentElement.closest('svg')) continue;
    const box = svg.getBoundingClientRect();
    if (box.width === 0 || svg.querySelectorAll('text, use').length === 0) continue;
    const least = smallest(svg);
    out.push({what: 'inline svg', shownPx: least, fullPx: least, zoomable: false});
  }
  return out;
}
"""


# Raster drawings shown smaller than their own width, and whether each opens full size.
SHRUNK_RASTERS_JS = """
() => Array.from(document.querySelectorAll('article.bd-article img'))
  .filter(img => !(img.currentSrc || img.src).split('?')[0].endsWith('.svg'))
  .map(img => ({what: (img.currentSrc || img.src).split('/').pop(),
                shown: img.getBoundingClientRect().width, natural: img.naturalWidth,
                zoomable: !!(img.closest('a') && img.closest('a').href === img.src)}))
  .filter(d => d.shown > 0 && d.shown < d.natural - 1 && !d.zoomable)
"""


def _show_every_tab(page: Any) -> None:
    """Measure every gallery tab, not only the first: stack the tab panels for measuring.

    A resize event follows, as after any layout change, so the site's script names the
    scroll boxes that have just become visible (as it does when a reader opens a tab).
    """
    page.add_style_tag(
        content=".widget-tab .widget-tab-contents > .lm-Widget"
        "{display:block !important; position:static !important}"
    )
    page.evaluate("() => window.dispatchEvent(new Event('resize'))")


GALLERY_JS = """
() => Array.from(document.querySelectorAll('.widget-tab')).map((tabs, index) => {
  const titles = Array.from(tabs.querySelectorAll('.lm-TabBar-tab .lm-TabBar-tabLabel'))
    .map(t => t.textContent.trim());
  const hidden = [];
  for (const svg of tabs.querySelectorAll('.widget-tab-contents svg')) {
    if (svg.parentElement.closest('svg')) continue;
    const box = svg.getBoundingClientRect();
    if (box.width === 0) continue;
    // The drawing is whole when every box between it and the tab panel either shows all
    // of it or scrolls (and can be reached by keyboard).
    for (let up = svg.parentElement; up && up !== tabs; up = up.parentElement) {
      const style = getComputedStyle(up);
      const bounds = up.getBoundingClientRect();
      const wider = box.right > bounds.right + 1 || box.bottom > bounds.bottom + 1;
      if (!wider || style.overflowX === 'visible') continue;
      const scrolls = style.overflowX === 'auto' || style.overflowX === 'scroll';
      if (!scrolls || up.tabIndex < 0) {
        hidden.push(Math.round(box.width) + ' px drawing cut at ' + Math.round(bounds.width)
                    + ' px by a ' + up.tagName.toLowerCase() + ' with overflow '
                    + style.overflowX + (scrolls ? ' and no tabindex' : ''));
      }
      break;
    }
  }
  return {index, titles, hidden};
})
"""


def _cut_off_text(page: Any) -> list[str]:
    found: list[str] = page.evaluate(CUT_OFF_TEXT_JS)
    return [f"text cut off: {where}" for where in found]


def _unreadable_drawings(page: Any) -> list[str]:
    drawings: list[dict[str, Any]] = page.evaluate(DRAWING_TEXT_JS)
    return [
        f"drawing {d['what']}: smallest text {d['shownPx']:.1f} px as shown, "
        f"{d['fullPx']:.1f} px full size, " + ("opens full size" if d["zoomable"] else "no link")
        for d in drawings
        if d["shownPx"] < MIN_TEXT_PX and not (d["zoomable"] and d["fullPx"] >= MIN_TEXT_PX)
    ]


def _shrunk_rasters(page: Any) -> list[str]:
    return [
        f"raster {d['what']}: shown {d['shown']:.0f} px of {d['natural']} px, no link"
        for d in page.evaluate(SHRUNK_RASTERS_JS)
    ]


def _gallery_problems(page: Any) -> list[str]:
    problems: list[str] = []
    for gallery in page.evaluate(GALLERY_JS):
        titles = gallery["titles"]
        repeated = sorted({title for title in titles if titles.count(title) > 1})
        if repeated:
            problems.append(f"gallery {gallery['index']}: repeated tab titles {repeated}")
        problems += [f"gallery {gallery['index']}: {text}" for text in gallery["hidden"]]
    return problems


def _reading_problems(page: Any) -> list[str]:
    _show_every_tab(page)
    page.wait_for_timeout(400)  # fmlab-site.js names the scroll boxes after a layout change
    return (
        _cut_off_text(page)
        + _unreadable_drawings(page)
        + _shrunk_rasters(page)
        + _gallery_problems(page)
    )


# Last: it stacks every gallery tab open, which no other measure should see.
register("reading", _reading_problems, order=100)


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["1280", "390"])
@pytest.mark.parametrize("article_path", PAGES)
def test_page_reads_whole(open_page: Any, origin: str, article_path: str, width: int) -> None:
    problems = visit(open_page, origin, article_path, width)["reading"]
    assert not problems, f"{article_path} at {width} px:\n  " + "\n  ".join(problems)


def test_reading_check_finds_planted_problems(open_page: Any, origin: str) -> None:
    """The check can fail: a clipped line and a shrunk drawing planted on a page are reported."""
    page = open_page(DESKTOP)
    page.goto(f"{origin}/book/how-to-use.html", wait_until="load")
    page.evaluate(
        """() => document.querySelector('article.bd-article').insertAdjacentHTML('beforeend',
        '<div style="overflow:hidden;width:200px"><p style="white-space:nowrap">'
        + 'planted-'.repeat(80) + '</p></div>'
        + '<svg id="planted-svg" viewBox="0 0 4000 100" style="width:300px">'
        + '<text x="0" y="50" font-size="12">tiny planted label</text></svg>')"""
    )
    problems = _reading_problems(page)
    assert any(problem.startswith("text cut off: p") for problem in problems), problems
    assert any(problem.startswith("drawing inline svg") for problem in problems), problems
