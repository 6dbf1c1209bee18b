"""A code cell's outputs, exactly as the book build recorded them, as slide HTML.

Drawings (SVG, PNG) are written next to the decks and shown as images, which the slide's
CSS scales to fit; each SVG carries its smallest font size and its width in user units, so
the browser test can work out how large its text is on the screen. Widgets are shown from
the state the book embedded: a gallery (tabs) becomes figures side by side, boxes and HTML
become their contents. A widget with no static face is a problem, reported, not a blank.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .metadata import LineRanges

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_FONT_ATTRIBUTE = re.compile(r"font-size\s*[=:]\s*\"?\s*([0-9.]+)\s*(px|pt)?")
_VIEWBOX = re.compile(r"viewBox=\"\s*[-0-9.]+[ ,]+[-0-9.]+[ ,]+([0-9.]+)[ ,]+([0-9.]+)\s*\"")
_FULL_VIEWBOX = re.compile(r'viewBox="\s*([-0-9.]+)[ ,]+([-0-9.]+)[ ,]+([0-9.]+)[ ,]+([0-9.]+)\s*"')
# A caption above a drawing (the pattern of a gallery's pages): text in a <pre>, then the
# drawing alone in a <div>. A workshop deck shows it as a text output and a figure.
_TEXT_THEN_SVG = re.compile(
    r"^\s*<pre[^>]*>(.*?)</pre>\s*<div[^>]*>\s*(<svg\b.*</svg>)\s*</div>\s*$", re.DOTALL
)
_ONLY_SVG = re.compile(r"^\s*(?:<div[^>]*>\s*)?(<svg\b.*</svg>)\s*(?:</div>\s*)?$", re.DOTALL)
LIVE_WIDGET = (
    '<p class="fmlab-live-widget">An interactive widget: it runs in the notebook '
    "(<code>make lab</code>), not on a slide.</p>"
)
RICH_HTML = (
    '<p class="fmlab-live-widget">An interactive or drawn HTML output: see it on the '
    "book's page or in the notebook (<code>make lab</code>).</p>"
)
# HTML with its own drawings, controls or styles does not scale with a slide; a workshop
# deck points to the page instead of showing it too small to read.
_RICH_HTML = re.compile(r"<(svg|button|script|input|select|style)\b", re.IGNORECASE)
_IMAGE_KINDS = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg"}


@dataclass
class AssetStore:
    """Files the decks refer to, written once each under ``folder`` by content hash."""

    folder: Path
    url_prefix: str  # from a deck's file to ``folder``, e.g. "../_assets/"
    written: set[str] = field(default_factory=set)

    def add(self, data: bytes, suffix: str) -> str:
        name = f"{hashlib.sha256(data).hexdigest()[:20]}.{suffix}"
        if name not in self.written:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.folder / name
            if not target.exists() or target.read_bytes() != data:
                target.write_bytes(data)
            self.written.add(name)
        return self.url_prefix + name


TILE_OVERLAP = 0.06  # of a window's step, into each neighbouring window


@dataclass(frozen=True)
class Tile:
    """One window of a drawing too large to read on one slide: column and row of a grid."""

    column: int
    row: int
    columns: int
    rows: int


@dataclass(frozen=True)
class SvgGeometry:
    width: float  # the viewBox's, in user units
    height: float
    font_min: float  # the smallest font size, in user units


def svg_geometry(svg: str) -> SvgGeometry | None:
    box = _FULL_VIEWBOX.search(svg)
    sizes = [float(m.group(1)) for m in _FONT_ATTRIBUTE.finditer(svg)]
    if box is None or not sizes:
        return None
    return SvgGeometry(float(box.group(3)), float(box.group(4)), min(sizes))


def crop_svg(svg: str, tile: Tile) -> str:
    """The drawing with its root viewBox (and size) narrowed to one tile of the grid."""
    box = _FULL_VIEWBOX.search(svg)
    if box is None:
        return svg
    x, y, width, height = (float(box.group(i)) for i in range(1, 5))
    step_x, step_y = width / tile.columns, height / tile.rows
    # Each window reaches a little into its neighbours, so a box or label cut by one
    # window's edge is whole in the next.
    left = x + tile.column * step_x - (TILE_OVERLAP * step_x if tile.column else 0)
    top = y + tile.row * step_y - (TILE_OVERLAP * step_y if tile.row else 0)
    right = (
        x
        + (tile.column + 1) * step_x
        + (TILE_OVERLAP * step_x if tile.column < tile.columns - 1 else 0)
    )
    bottom = (
        y + (tile.row + 1) * step_y + (TILE_OVERLAP * step_y if tile.row < tile.rows - 1 else 0)
    )
    tile_width, tile_height = right - left, bottom - top
    view = f'viewBox="{left:.2f} {top:.2f} {tile_width:.2f} {tile_height:.2f}"'
    root_end = svg.index(">", svg.index("<svg"))
    root = svg[: root_end + 1]
    root = _FULL_VIEWBOX.sub(view, root, count=1)
    root = re.sub(r'\swidth="[^"]*"', f' width="{tile_width:.2f}pt"', root, count=1)
    root = re.sub(r'\sheight="[^"]*"', f' height="{tile_height:.2f}pt"', root, count=1)
    return root + svg[root_end + 1 :]


def drawing_svg(
    widget_state: Mapping[str, Any], data: Mapping[str, Any], item: int | None
) -> tuple[str, int] | None:
    """The SVG an image output (or one figure of a gallery) shows, when it is one, and the
    lines of text shown above it (a caption)."""
    if "image/svg+xml" in data:
        return _text(data["image/svg+xml"]), 0
    view = data.get(WIDGET_VIEW)
    if not isinstance(view, Mapping):
        return None
    model = widget_state.get(str(view.get("model_id", "")), {})
    children = [_model_ref(c) for c in model.get("state", {}).get("children", [])]
    if item is not None and 0 <= item < len(children):
        model = widget_state.get(children[item], {})
    if model.get("model_name") not in ("HTMLModel", "HTMLMathModel"):
        return None
    value = str(model.get("state", {}).get("value", ""))
    only_svg = _ONLY_SVG.match(value)
    if only_svg:
        return only_svg.group(1), 0
    captioned = _TEXT_THEN_SVG.match(value)
    if captioned:
        return captioned.group(2), html.unescape(captioned.group(1)).count("\n") + 1
    return None


@dataclass
class OutputRenderer:
    """Renders the outputs of the cells of one page."""

    assets: AssetStore
    widget_state: Mapping[str, Any]
    markdown: Callable[[str], str]
    problems: list[str] = field(default_factory=list)
    # A workshop deck shows every output, and a live widget (sliders, say) says where it
    # works instead; a lightning-talk deck chose its outputs, so one it cannot show is wrong.
    live_widgets_allowed: bool = False
    tile: Tile | None = None  # set while rendering one tile of a large drawing

    def render(
        self,
        outputs: Sequence[Mapping[str, Any]],
        lines: LineRanges | None,
        item: int | None = None,
        tile: Tile | None = None,
    ) -> list[str]:
        """The outputs as HTML blocks; ``item`` picks one figure of a gallery and ``tile``
        one window of a drawing."""
        self.tile = tile
        try:
            return self._render(outputs, lines, item)
        finally:
            self.tile = None

    def _render(
        self, outputs: Sequence[Mapping[str, Any]], lines: LineRanges | None, item: int | None
    ) -> list[str]:
        blocks: list[str] = []
        for output in _merge_streams(outputs):
            kind = output.get("output_type")
            if kind == "stream":
                text = _text(output.get("text", ""))
                css = "fmlab-output fmlab-stderr" if output.get("name") == "stderr" else None
                blocks.append(self._text_block(text, lines, css or "fmlab-output"))
            elif kind in ("execute_result", "display_data"):
                blocks.append(self._rich(output.get("data", {}), lines, item))
            elif kind == "error":
                self.problems.append("the cell raised an error in the book build")
        return [block for block in blocks if block]

    def _text_block(self, text: str, lines: LineRanges | None, css: str) -> str:
        clean = _ANSI.sub("", text).rstrip("\n")
        if lines is not None:
            try:
                clean = "\n".join(lines.select(clean.split("\n"), "the output"))
            except ValueError as error:
                self.problems.append(f"slides.output_lines: {error}")
        return f'<pre class="{css}">{html.escape(clean)}</pre>'

    def _rich(
        self, data: Mapping[str, Any], lines: LineRanges | None, item: int | None = None
    ) -> str:
        if WIDGET_VIEW in data:
            model = str(data[WIDGET_VIEW].get("model_id", ""))
            shown = self._widget(model, item=item)
            if shown is not None:
                return shown
            if self.live_widgets_allowed:
                return LIVE_WIDGET
            self.problems.append(f"widget {model} has no static form a slide can show")
            return ""
        for mime, suffix in _IMAGE_KINDS.items():
            if mime in data:
                return self.image(data[mime], suffix)
        if "text/html" in data:
            return self._html(_text(data["text/html"]))
        if "text/markdown" in data:
            rendered = self.markdown(_text(data["text/markdown"]))
            return f'<div class="fmlab-markdown">{rendered}</div>'
        if "text/latex" in data:
            return f'<div class="fmlab-html">{html.escape(_text(data["text/latex"]))}</div>'
        if "text/plain" in data:
            return self._text_block(_text(data["text/plain"]), lines, "fmlab-output")
        return ""

    def image(self, payload: str | list[str], suffix: str, alt: str = "") -> str:
        if suffix == "svg":
            svg = _text(payload)
            if self.tile is not None:
                svg = crop_svg(svg, self.tile)
            url = self.assets.add(svg.encode("utf-8"), "svg")
            extra = _svg_measures(svg)
        else:
            url = self.assets.add(base64.b64decode(_text(payload)), suffix)
            extra = ""
        alt_text = html.escape(alt or "a drawing from the notebook", quote=True)
        return f'<div class="fmlab-figure"><img src="{url}" alt="{alt_text}"{extra}></div>'

    # --- widgets, from the embedded state ---------------------------------------------

    def _html(self, value: str) -> str:
        captioned = _TEXT_THEN_SVG.match(value) if self.live_widgets_allowed else None
        if captioned:
            drawing = self.image(captioned.group(2), "svg")
            if self.tile is not None and (self.tile.row, self.tile.column) != (0, 0):
                return drawing  # the caption is on the first window
            caption = f'<pre class="fmlab-output">{captioned.group(1)}</pre>'
            return f'<div class="fmlab-captioned">{caption}{drawing}</div>'
        if self.live_widgets_allowed and _RICH_HTML.search(value):
            return RICH_HTML
        return f'<div class="fmlab-html">{value}</div>'

    def _widget(self, model_id: str, depth: int = 0, item: int | None = None) -> str | None:
        model = self.widget_state.get(model_id)
        if model is None or depth > 8:
            return None
        name = str(model.get("model_name", ""))
        state: Mapping[str, Any] = model.get("state", {})
        children = [_model_ref(c) for c in state.get("children", [])]
        if name in ("TabModel", "AccordionModel", "StackModel"):
            titles = list(state.get("titles", [])) + [""] * len(children)
            if item is not None and 0 <= item < len(children):
                children, titles = [children[item]], [titles[item]]
            figures = []
            for title, child in zip(titles, children, strict=False):
                shown = self._widget(child, depth + 1)
                if shown is None:
                    return None
                caption = f"<figcaption>{html.escape(str(title))}</figcaption>" if title else ""
                figures.append(f'<figure class="fmlab-gallery-item">{shown}{caption}</figure>')
            return f'<div class="fmlab-gallery">{"".join(figures)}</div>'
        if name in ("HBoxModel", "VBoxModel", "BoxModel", "GridBoxModel"):
            parts = [self._widget(child, depth + 1) for child in children]
            if any(part is None for part in parts):
                return None
            direction = "column" if name == "VBoxModel" else "row"
            return f'<div class="fmlab-box fmlab-box-{direction}">{"".join(map(str, parts))}</div>'
        if name in ("HTMLModel", "HTMLMathModel"):
            value = str(state.get("value", ""))
            only_svg = _ONLY_SVG.match(value)
            if only_svg:
                return self.image(only_svg.group(1), "svg")
            return self._html(value)
        if name == "LabelModel":
            return f'<p class="fmlab-label">{html.escape(str(state.get("value", "")))}</p>'
        if name == "OutputModel":
            blocks = self._render(list(state.get("outputs", [])), None, None)
            return "".join(blocks) if blocks else None
        return None


def gallery_size(widget_state: Mapping[str, Any], data: Mapping[str, Any]) -> int:
    """How many figures the output's gallery (a tab widget) has; 0 when it is none."""
    view = data.get(WIDGET_VIEW)
    if not isinstance(view, Mapping):
        return 0
    model = widget_state.get(str(view.get("model_id", "")), {})
    if model.get("model_name") not in ("TabModel", "AccordionModel", "StackModel"):
        return 0
    return len(model.get("state", {}).get("children", []))


def _model_ref(reference: object) -> str:
    return str(reference).removeprefix("IPY_MODEL_")


def merged_outputs(outputs: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """A cell's outputs as a slide shows them (one block per run of one stream)."""
    return _merge_streams(outputs)


def _merge_streams(outputs: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Consecutive writes to one stream as one block, as the book shows them."""
    merged: list[Mapping[str, Any]] = []
    for output in _without_coalesced_copies(outputs):
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and output.get("output_type") == "stream"
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            text = _text(previous.get("text", "")) + _text(output.get("text", ""))
            merged[-1] = {**previous, "text": text}
        else:
            merged.append(output)
    return merged


def _without_coalesced_copies(outputs: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The outputs without the writes myst-nb already folded into the stream's first write.

    With ``nb_merge_streams`` myst-nb appends every later write of a stream to the first one
    *in place* (each stripped, plus a newline) and the executed notebook it saves keeps the
    later writes too, so a cell whose output arrived in several messages (a slow machine)
    would show its last lines twice. When the first write already ends with exactly that
    folded text, the later writes are copies and are dropped.
    """
    kept = list(outputs)
    for name in {str(o.get("name")) for o in kept if o.get("output_type") == "stream"}:
        writes = [
            i
            for i, o in enumerate(kept)
            if o.get("output_type") == "stream" and o.get("name") == name
        ]
        if len(writes) < 2:
            continue
        later = [_text(kept[i].get("text", "")).rstrip() for i in writes[1:]]
        folded = "".join(f"{text}\n" for text in later if text)
        if folded and _text(kept[writes[0]].get("text", "")).endswith(folded):
            kept = [o for i, o in enumerate(kept) if i not in writes[1:]]
    return kept


def _text(value: object) -> str:
    if isinstance(value, list):
        return "".join(str(part) for part in value)
    return str(value)


def _svg_measures(svg: str) -> str:
    """Data attributes: the smallest font size and the width, both in SVG user units."""
    box = _VIEWBOX.search(svg)
    sizes = [float(m.group(1)) for m in _FONT_ATTRIBUTE.finditer(svg)]
    if box is None or not sizes:
        return ""
    return f' data-font-min="{min(sizes):g}" data-view-width="{float(box.group(1)):g}"'
