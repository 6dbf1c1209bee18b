"""Decks to HTML files: reveal.js markup, the assets beside them, nothing from a network."""

from __future__ import annotations

import functools
import html
import re
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from .deck import Deck, DeckKind, Note, Part, Slide
from .markdown import Citation, MarkdownContext, MystRenderer, highlight_code, pygments_css
from .metadata import Show, SlideError
from .outputs import AssetStore, OutputRenderer, merged_outputs
from .sources import Cell, Page

HERE = Path(__file__).resolve().parent
ASSETS = "_assets"
# The reveal.js files scripts/vendor_js.py fetched from the npm registry.
REVEAL_VENDORED = Path("book") / "_vendor" / "reveal.js"
REVEAL_FILES = ("reveal.js", "reveal.css", "theme/white.css", "plugin/notes.js", "LICENSE")
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720


@dataclass(frozen=True)
class BuiltDeck:
    deck: Deck
    path: Path  # the written HTML file
    slide_count: int  # including the title and closing slides


class DeckWriter:
    """Writes decks under ``out`` (``_build/html/slides``); the site root is ``out/..``."""

    def __init__(
        self,
        root: Path,
        out: Path,
        pages: Mapping[str, Page],
        bibliography: Mapping[str, Citation],
    ) -> None:
        self.root = root
        self.out = out
        self.pages = pages
        self.bibliography = bibliography
        self.assets = AssetStore(out / ASSETS / "img", f"../{ASSETS}/img/")
        self._jinja = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html", "j2"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def copy_static(self) -> None:
        """reveal.js (vendored), the deck style and script, the favicon."""
        vendored = self.root / REVEAL_VENDORED
        target = self.out / ASSETS / "reveal"
        for name in REVEAL_FILES:
            source = vendored / name
            if not source.exists():
                raise SlideError(
                    f"{REVEAL_VENDORED}/{name} is missing: run `python scripts/vendor_js.py`"
                )
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
        static = self.out / ASSETS
        css = (HERE / "static" / "fmlab-slides.css").read_text(encoding="utf-8")
        (static / "fmlab-slides.css").write_text(css + "\n" + pygments_css() + "\n")
        shutil.copy2(HERE / "static" / "fmlab-slides.js", static / "fmlab-slides.js")
        favicon = self.root / "book" / "favicon.svg"
        if favicon.exists():
            shutil.copy2(favicon, static / "favicon.svg")

    def write(self, deck: Deck) -> BuiltDeck:
        context = _DeckContext(self, deck)
        slides = [context.slide(slide) for slide in deck.slides]
        if context.problems:
            raise SlideError("\n".join(context.problems))
        chapter = deck.chapter
        talk = self.bibliography.get(deck.talk) if deck.talk else None
        page_titles = [(self.pages[name].title, name) for name in deck.pages if name in self.pages]
        rendered = self._jinja.get_template("deck.html.j2").render(
            title=Markup(context.inline(chapter.title)),
            plain_title=_plain(chapter.title),
            chapter_url=f"../../{chapter.overview}.html",
            talk=talk,
            talk_url="../../book/references.html",
            slides=slides,
            page_links=[
                (Markup(context.inline(title)), f"../../{name}.html") for title, name in page_titles
            ],
            deck_kind=deck.kind.value,
            workshop=deck.kind is DeckKind.WORKSHOP,
            chapter_name=chapter.name,
            uses_math=context.markdown_context.uses_math,
            width=SLIDE_WIDTH,
            height=SLIDE_HEIGHT,
        )
        path = self.out / deck.filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
        return BuiltDeck(deck=deck, path=path, slide_count=len(slides) + 2)


@dataclass(frozen=True)
class RenderedSlide:
    title: Markup
    source: str  # file:line of the slide's first cell
    parts: tuple[tuple[Markup, str], ...]  # (html, css classes)
    notes: Markup
    style: str = ""


class _DeckContext:
    """Renders one deck's slides; markdown and outputs are rendered per page."""

    def __init__(self, writer: DeckWriter, deck: Deck) -> None:
        self.writer = writer
        self.kind = deck.kind
        self.problems: list[str] = []
        self.markdown_context = MarkdownContext(
            root=writer.root,
            page=deck.chapter.overview,
            site_prefix="../../",
            bibliography=writer.bibliography,
        )
        self._renderers: dict[str, tuple[MystRenderer, OutputRenderer]] = {}

    def inline(self, markdown: str) -> str:
        return self._for_page(self.markdown_context.page)[0].render_inline(markdown)

    def _for_page(self, page: str) -> tuple[MystRenderer, OutputRenderer]:
        if page not in self._renderers:
            self.markdown_context.page = page
            markdown = MystRenderer(self.markdown_context)
            state = self.writer.pages[page].widget_state if page in self.writer.pages else {}
            outputs = OutputRenderer(
                self.writer.assets,
                state,
                markdown.render,
                live_widgets_allowed=self.kind is DeckKind.WORKSHOP,
            )
            self._renderers[page] = (markdown, outputs)
        self.markdown_context.page = page
        return self._renderers[page]

    def slide(self, slide: Slide) -> RenderedSlide:
        title = Markup(self._checked(slide.title_from, lambda m, _o: m.render_inline(slide.title)))
        parts = []
        for index, part in enumerate(slide.parts):
            drop_heading = index == 0 and part.cell.kind == "markdown" and part.text is None
            render = functools.partial(self._part, part=part, drop=drop_heading)
            body = self._checked(part.cell, render)
            classes = ["fmlab-part"]
            if 'class="fmlab-figure"' in body or 'class="fmlab-gallery"' in body:
                classes.append("fmlab-grow")
            if part.fragment:
                classes.append("fragment")
            parts.append((Markup(body), " ".join(classes)))
        notes = "".join(self._checked(note.cell, _notes_renderer(note)) for note in slide.notes)
        return RenderedSlide(
            title=title,
            source=slide.where,
            parts=tuple(parts),
            notes=Markup(notes),
            style=slide.style,
        )

    def _checked(self, cell: Cell, render: Callable[[MystRenderer, OutputRenderer], str]) -> str:
        markdown, outputs = self._for_page(cell.page)
        before = len(self.markdown_context.problems), len(outputs.problems)
        result = render(markdown, outputs)
        for problem in self.markdown_context.problems[before[0] :] + outputs.problems[before[1] :]:
            self.problems.append(f"{cell.where}: {problem}")
        return result

    def _part(self, markdown: MystRenderer, outputs: OutputRenderer, part: Part, drop: bool) -> str:
        cell = part.cell
        if cell.kind == "markdown":
            source = part.text if part.text is not None else cell.source
            source = _without_heading(source) if drop else source
            return f'<div class="fmlab-text">{markdown.render(source)}</div>'
        show = part.show
        if show is Show.AUTO:
            hidden_input = {"remove-input", "hide-input"} & set(cell.tags)
            hidden_output = {"remove-output", "hide-output"} & set(cell.tags)
            show = Show.OUTPUT if hidden_input else Show.CODE if hidden_output else Show.BOTH
        blocks: list[str] = []
        if show in (Show.BOTH, Show.CODE):
            lines = cell.source.split("\n")
            if part.lines is not None:
                try:
                    lines = part.lines.select(lines, "the cell")
                except ValueError as error:
                    self.markdown_context.problems.append(f"slides.lines: {error}")
            blocks.append(highlight_code("\n".join(lines), "ipython3"))
        if show in (Show.BOTH, Show.OUTPUT):
            shown = cell.outputs
            if part.outputs is not None:
                merged = merged_outputs(cell.outputs)
                shown = tuple(merged[i] for i in part.outputs)
            rendered = outputs.render(shown, part.output_lines, part.item, part.tile)
            if not rendered:
                self.markdown_context.problems.append("the slide shows outputs, the cell has none")
            blocks.extend(rendered)
        return f'<div class="fmlab-cell">{"".join(blocks)}</div>'


def _notes_renderer(note: Note) -> Callable[[MystRenderer, OutputRenderer], str]:
    def render(markdown: MystRenderer, outputs: OutputRenderer) -> str:
        return markdown.render(_without_heading(note.text))

    return render


def _without_heading(markdown: str) -> str:
    """The markdown without its leading heading (which became the slide's title)."""
    stripped = markdown.lstrip()
    if stripped.startswith("#"):
        return stripped.split("\n", 1)[1] if "\n" in stripped else ""
    return markdown


def _plain(markdown: str) -> str:
    return html.unescape(re.sub(r"[`*_]", "", markdown))


def write_all(writer: DeckWriter, decks: Sequence[Deck]) -> list[BuiltDeck]:
    writer.copy_static()
    return [writer.write(deck) for deck in decks]
