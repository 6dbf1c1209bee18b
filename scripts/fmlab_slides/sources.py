"""The book's pages as cells: source metadata joined with the outputs the book build made.

Slide metadata is read from the MyST source as it is now (so editing it needs no re-run),
outputs from the notebook Jupyter Book executed (``_build/jupyter_execute/<page>.ipynb``).
The two are joined code cell by code cell, and only when every code cell's source is
identical: a notebook whose code changed since the book was built is refused, so a deck
never shows an output the book does not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from myst_nb.core.read import read_myst_markdown_notebook

from .metadata import SlideError, SlideSpec, parse_spec

EXECUTED = Path("_build") / "jupyter_execute"
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})")


@dataclass(frozen=True)
class Cell:
    """One cell of a page, with the book's outputs and its slide metadata."""

    page: str  # the page's docname, e.g. "notebooks/time/01-testing-time"
    number: int  # 1-based position in the page
    line: int  # 1-based line of the cell in the source file
    kind: str  # "code" or "markdown"
    source: str
    tags: tuple[str, ...]
    spec: SlideSpec | None
    section: str  # the heading (markdown) this cell sits under
    outputs: tuple[Mapping[str, Any], ...] = ()

    @property
    def where(self) -> str:
        return f"{self.page}.md:{self.line}"


@dataclass(frozen=True)
class Page:
    """A notebook page of the book."""

    docname: str
    path: Path
    title: str
    cells: tuple[Cell, ...]
    widget_state: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Chapter:
    """A chapter of the book: an overview page and the notebooks listed under it."""

    name: str  # "time" for book/time.md
    overview: str  # docname of the overview, "book/time"
    title: str
    notebooks: tuple[str, ...]


def chapters(root: Path) -> list[Chapter]:
    """The chapters in `_toc.yml`: each `book/<name>` entry with notebook sections."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found: list[Chapter] = []
    for entry in _toc_entries(toc):
        docname = _docname(entry.get("file", ""))
        notebooks = tuple(_docname(s["file"]) for s in entry.get("sections", []) if "file" in s)
        if not docname.startswith("book/") or not notebooks:
            continue
        overview = root / f"{docname}.md"
        found.append(
            Chapter(
                name=docname.removeprefix("book/"),
                overview=docname,
                title=first_heading(overview.read_text(encoding="utf-8")) or docname,
                notebooks=notebooks,
            )
        )
    return found


def toc_docnames(root: Path) -> list[str]:
    """Every page in `_toc.yml`, in order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    names: list[str] = [_docname(toc["root"])] if "root" in toc else []
    for entry in _toc_entries(toc):
        names.append(_docname(entry["file"]))
        names.extend(_docname(s["file"]) for s in entry.get("sections", []) if "file" in s)
    return names


def _toc_entries(toc: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for part in toc.get("parts", []):
        yield from (c for c in part.get("chapters", []) if "file" in c)
    yield from (c for c in toc.get("chapters", []) if "file" in c)


def _docname(file: str) -> str:
    return re.sub(r"\.(md|ipynb)$", "", file.strip("/"))


def is_notebook(path: Path) -> bool:
    """A MyST page is a notebook when its front matter names a kernel."""
    text = path.read_text(encoding="utf-8")
    return text.startswith("---") and "kernelspec:" in text.split("\n---", 1)[0]


def first_heading(markdown: str) -> str | None:
    for heading in _headings(markdown):
        return heading
    return None


def _headings(markdown: str) -> Iterator[str]:
    fence: str | None = None
    for line in markdown.splitlines():
        opened = _FENCE.match(line)
        if opened:
            marker = opened.group(1)
            if fence is None:
                fence = marker[0] * 3
            elif marker.startswith(fence):
                fence = None
            continue
        if fence is None:
            heading = _HEADING.match(line)
            if heading:
                yield heading.group(2)


def read_page(root: Path, docname: str, *, executed: Path | None = None) -> Page:
    """The page's cells: source and metadata from the .md, outputs from the executed copy."""
    path = root / f"{docname}.md"
    text = path.read_text(encoding="utf-8")
    source = read_myst_markdown_notebook(text, add_source_map=True, path=path)
    lines: list[int] = [n + 1 for n in source.metadata.get("source_map", [])]
    specs: list[SlideSpec | None] = []
    for number, raw in enumerate(source.cells, start=1):
        line = lines[number - 1] if number - 1 < len(lines) else 1
        try:
            specs.append(parse_spec(raw.metadata, is_code=raw.cell_type == "code"))
        except ValueError as error:
            raise SlideError(f"{docname}.md:{line}: {error}") from None
    executed_path = (executed or root / EXECUTED) / f"{docname}.ipynb"
    ran = _read_executed(executed_path, docname)
    ran_code = [c for c in ran["cells"] if c["cell_type"] == "code"]
    source_code = [c for c in source.cells if c.cell_type == "code"]
    _check_same_code(
        docname, [c.source for c in source_code], [_text(c["source"]) for c in ran_code]
    )
    outputs = iter(ran_code)
    cells: list[Cell] = []
    section = first_heading(text) or docname
    for number, raw in enumerate(source.cells, start=1):
        line = lines[number - 1] if number - 1 < len(lines) else 1
        is_code = raw.cell_type == "code"
        spec = specs[number - 1]
        tags = tuple(str(tag) for tag in raw.metadata.get("tags", []))
        heading = None if is_code else _last(_headings(raw.source))
        cells.append(
            Cell(
                page=docname,
                number=number,
                line=line,
                kind=raw.cell_type,
                source=raw.source,
                tags=tags,
                spec=spec,
                section=section if is_code else (first_heading(raw.source) or section),
                outputs=tuple(next(outputs).get("outputs", [])) if is_code else (),
            )
        )
        if heading is not None:
            section = heading
    state = ran.get("metadata", {}).get("widgets", {})
    widget_state = state.get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    return Page(
        docname=docname,
        path=path,
        title=first_heading(text) or docname,
        cells=tuple(cells),
        widget_state=widget_state,
    )


def _last(items: Iterator[str]) -> str | None:
    last = None
    for last in items:  # noqa: B007 - the loop keeps the last one
        pass
    return last


def _read_executed(path: Path, docname: str) -> Mapping[str, Any]:
    try:
        notebook: Mapping[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SlideError(
            f"{docname}.md: no executed notebook at {path} (build the book first: make book)"
        ) from None
    return notebook


def _text(source: str | list[str]) -> str:
    return source if isinstance(source, str) else "".join(source)


def _check_same_code(docname: str, now: list[str], built: list[str]) -> None:
    if len(now) != len(built):
        raise SlideError(
            f"{docname}.md: has {len(now)} code cells but the book was built with "
            f"{len(built)}; rebuild the book (make book) so the decks show its outputs"
        )
    for number, (mine, theirs) in enumerate(zip(now, built, strict=True), start=1):
        if mine.strip() != theirs.strip():
            raise SlideError(
                f"{docname}.md: code cell {number} changed since the book was built; "
                f"rebuild the book (make book) so the decks show its outputs"
            )
