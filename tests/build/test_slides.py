"""The slide builder (scripts/fmlab_slides) on small books written to a temporary folder.

Each book has a chapter overview, one notebook with slide metadata, and the executed copy
Jupyter Book would leave in `_build/jupyter_execute`, written here by hand so the outputs
are known. The decks are checked as HTML; the browser test checks them as slides.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from fmlab_slides.cli import build  # noqa: E402 - scripts/ must be on the path first
from fmlab_slides.metadata import (  # noqa: E402
    LineRanges,
    Placement,
    Show,
    SlideError,
    WorkshopPlacement,
    parse_spec,
)

HEADER = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""

NOTEBOOK = (
    HEADER
    + """
+++ {"slides": {"lt": "slide", "title": "The question"}}

# Probing

Can a probe find the bug? This sentence is on the slide.

+++ {"slides": {"lt": "notes"}}

These words are for the speaker only.

## The check

A paragraph that stays in the book.

```{code-cell} ipython3
:tags: [remove-cell]

hidden = "set-up"
```

```{code-cell} ipython3
:slides: {lt: slide, lines: "1-2"}

answer = 6 * 7
print(answer)
assert answer == 42
```

+++ {"slides": {"lt": "notes"}}

Say: the assert is in the book, not on the slide.
"""
)

OVERVIEW = """\
# The probe chapter

Slides: <a href="../slides/probe/lt.html">lightning talk</a>,
<a href="../slides/probe/workshop.html">workshop</a>.
"""

SLIDES_PAGE = """\
# Slides

- <a href="../slides/probe/lt.html">The probe chapter</a>
- <a href="../slides/probe/workshop.html">The probe chapter, workshop</a>
"""

TOC = """\
format: jb-book
root: book/intro
parts:
  - caption: Chapters
    chapters:
      - file: book/probe
        sections:
          - file: notebooks/probe/01-probe
      - file: book/slides
"""


def _code_cell(source: str, outputs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "metadata": {},
        "source": source,
        "outputs": outputs,
        "execution_count": 1,
    }


def _stream(text: str) -> dict[str, Any]:
    return {"output_type": "stream", "name": "stdout", "text": text}


def _write_book(
    root: Path,
    notebook: str = NOTEBOOK,
    executed: list[dict[str, Any]] | None = None,
    slides_page: str = SLIDES_PAGE,
) -> None:
    (root / "book").mkdir(parents=True)
    (root / "notebooks" / "probe").mkdir(parents=True)
    (root / "_toc.yml").write_text(TOC)
    (root / "book" / "intro.md").write_text("# Intro\n")
    (root / "book" / "probe.md").write_text(OVERVIEW)
    (root / "book" / "slides.md").write_text(slides_page)
    (root / "notebooks" / "probe" / "01-probe.md").write_text(notebook)
    cells = executed or [
        _code_cell('hidden = "set-up"', []),
        _code_cell("answer = 6 * 7\nprint(answer)\nassert answer == 42", [_stream("42\n")]),
    ]
    ran = root / "_build" / "jupyter_execute" / "notebooks" / "probe"
    ran.mkdir(parents=True)
    document = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (ran / "01-probe.ipynb").write_text(json.dumps(document))
    reveal = root / "book" / "_vendor" / "reveal.js"
    for name in ("reveal.js", "reveal.css", "theme/white.css", "plugin/notes.js", "LICENSE"):
        (reveal / name).parent.mkdir(parents=True, exist_ok=True)
        (reveal / name).write_text("/* stand-in */\n")


def _deck_html(root: Path) -> str:
    return (root / "_build" / "html" / "slides" / "probe" / "lt.html").read_text()


def _sections(html: str) -> list[str]:
    return re.findall(r"<section\b.*?</section>", html, flags=re.DOTALL)


# --- metadata -----------------------------------------------------------------------------


def test_spec_reads_every_field() -> None:
    spec = parse_spec(
        {"slides": {"lt": "slide", "title": "T", "lines": "1-2,4", "output_lines": "3"}},
        is_code=True,
    )
    assert spec is not None
    assert spec.placement is Placement.SLIDE
    assert spec.show is Show.AUTO
    assert spec.lines == LineRanges(((1, 2), (4, 4)))
    assert spec.output_lines == LineRanges(((3, 3),))
    assert parse_spec({"tags": ["x"]}, is_code=True) is None


def test_notes_is_a_markdown_cell_appended_as_notes() -> None:
    spec = parse_spec({"slides": {"lt": "notes"}}, is_code=False)
    assert spec is not None
    assert (spec.placement, spec.show) == (Placement.APPEND, Show.NOTES)


@pytest.mark.parametrize(
    ("raw", "is_code", "message"),
    [
        ({"lt": "slyde"}, True, "slides.lt: 'slyde' is not one of"),
        ({"lt": "slide", "colour": "red"}, True, "slides.colour: unknown key"),
        ({"show": "code"}, True, "slides.lt: missing"),
        ({"lt": "append", "title": "T"}, True, "slides.title: only a cell that starts"),
        ({"lt": "slide", "lines": "1-2"}, False, "slides.lines: only code cells"),
        ({"lt": "slide", "lines": "2-1"}, True, "slides.lines: '2-1' is not a range"),
        ({"lt": "slide", "lines": "one"}, True, "slides.lines: 'one' is not a list"),
        ({"lt": "notes"}, True, "slides.show: a code cell is shown as"),
        ({"lt": "slide", "show": "text"}, True, "slides.show: a code cell is shown as"),
        ("slide", True, "slides: expected a mapping"),
        ({"workshop": "skipp"}, True, "slides.workshop: 'skipp' is not one of"),
        ({"workshop": "notes"}, True, "slides.workshop: a code cell cannot be notes"),
        ({"workshop": "skip", "lines": "1"}, True, "slides.lines: shapes a lightning-talk"),
    ],
)
def test_bad_metadata_names_the_field(raw: object, is_code: bool, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_spec({"slides": raw}, is_code=is_code)


def test_workshop_alone_is_no_lightning_talk_cell() -> None:
    spec = parse_spec({"slides": {"workshop": "skip"}}, is_code=True)
    assert spec is not None
    assert (spec.placement, spec.workshop) == (None, WorkshopPlacement.SKIP)
    both = parse_spec({"slides": {"lt": "slide", "workshop": "notes"}}, is_code=False)
    assert both is not None
    assert (both.placement, both.workshop) == (Placement.SLIDE, WorkshopPlacement.NOTES)


def test_line_ranges_past_the_end_are_an_error() -> None:
    with pytest.raises(ValueError, match="has 2 lines, so 2-3 is out of range"):
        LineRanges.parse("2-3").select(["a", "b"], "the cell")


# --- building a deck ----------------------------------------------------------------------


def test_deck_has_title_slides_and_closing(tmp_path: Path) -> None:
    _write_book(tmp_path)
    built = build(tmp_path, tmp_path / "_build" / "html" / "slides")
    assert next(b.slide_count for b in built) == 4  # title, two slides, closing
    sections = _sections(_deck_html(tmp_path))
    assert len(sections) == 4
    question, check = sections[1], sections[2]
    assert "The question</h2>" in question
    assert "This sentence is on the slide" in question
    assert "# Probing" not in question
    assert ">Probing<" not in question
    assert 'class="notes"' in question
    assert "for the speaker only" in question
    # The code cell: its section heading as title, two of three lines, the book's output.
    assert "The check</h2>" in check
    assert "answer" in check
    assert "assert" not in check.split('class="notes"')[0]
    assert "42</pre>" in check
    assert "stays in the book" not in check
    manifest = json.loads((tmp_path / "_build/html/slides/decks.json").read_text())
    assert manifest[0] == {
        "deck": "probe/lt",
        "path": "probe/lt.html",
        "chapter": "probe",
        "kind": "lt",
        "slides": 4,
    }
    assert [entry["kind"] for entry in manifest] == ["lt", "workshop"]


def test_changed_code_is_refused(tmp_path: Path) -> None:
    _write_book(tmp_path, notebook=NOTEBOOK.replace("6 * 7", "6 * 8"))
    with pytest.raises(SlideError, match=r"code cell 2 changed since the book was built"):
        build(tmp_path, tmp_path / "out")


def test_hidden_cell_cannot_be_on_a_slide(tmp_path: Path) -> None:
    notebook = NOTEBOOK.replace(
        ":tags: [remove-cell]", ":tags: [remove-cell]\n:slides: {lt: slide}"
    )
    _write_book(tmp_path, notebook=notebook)
    with pytest.raises(SlideError, match=r"01-probe\.md:\d+: a remove-cell cell is hidden"):
        build(tmp_path, tmp_path / "out")


def test_unlinked_deck_is_refused(tmp_path: Path) -> None:
    _write_book(tmp_path, slides_page="# Slides\n")
    with pytest.raises(SlideError, match=r"book/slides\.md: no link to the deck probe/lt\.html"):
        build(tmp_path, tmp_path / "_build" / "html" / "slides")


def test_link_to_a_deck_nobody_builds_is_refused(tmp_path: Path) -> None:
    page = SLIDES_PAGE + '- <a href="../slides/ghost/lt.html">Ghost</a>\n'
    _write_book(tmp_path, slides_page=page)
    with pytest.raises(SlideError, match=r"book/slides\.md:5: links to \.\./slides/ghost/lt"):
        build(tmp_path, tmp_path / "_build" / "html" / "slides")


def test_output_lines_and_drawings(tmp_path: Path) -> None:
    svg = (
        '<svg width="200pt" height="100pt" viewBox="0.00 0.00 200.00 100.00">'
        '<text font-size="14.00">a</text><text font-size="10.00">b</text></svg>'
    )
    notebook = NOTEBOOK.replace(
        ':slides: {lt: slide, lines: "1-2"}', ':slides: {lt: slide, output_lines: "2"}'
    )
    executed = [
        _code_cell('hidden = "set-up"', []),
        _code_cell(
            "answer = 6 * 7\nprint(answer)\nassert answer == 42",
            [
                _stream("first\nsecond\nthird\n"),
                {"output_type": "display_data", "metadata": {}, "data": {"image/svg+xml": svg}},
            ],
        ),
    ]
    _write_book(tmp_path, notebook=notebook, executed=executed)
    build(tmp_path, tmp_path / "_build" / "html" / "slides")
    check = _sections(_deck_html(tmp_path))[2]
    assert "second</pre>" in check
    assert "first" not in check
    assert "third" not in check
    image = re.search(r'<img src="\.\./_assets/img/(\w+\.svg)"[^>]*>', check)
    assert image, check
    assert 'data-font-min="10"' in image.group(0)
    assert 'data-view-width="200"' in image.group(0)
    assert (tmp_path / "_build/html/slides/_assets/img" / image.group(1)).read_text() == svg


@pytest.mark.parametrize(
    ("writes", "shown"),
    [
        # myst-nb folded the later writes into the first and the saved notebook kept them
        (["1 a\n2 b\n3 c\n", "2 b\n", "3 c\n"], "1 a\n2 b\n3 c"),
        # writes nobody folded are joined once
        (["1 a\n", "2 b\n", "3 c\n"], "1 a\n2 b\n3 c"),
    ],
)
def test_stream_written_in_pieces_is_shown_once(
    tmp_path: Path, writes: list[str], shown: str
) -> None:
    executed = [
        _code_cell('hidden = "set-up"', []),
        _code_cell(
            "answer = 6 * 7\nprint(answer)\nassert answer == 42",
            [_stream(text) for text in writes],
        ),
    ]
    _write_book(tmp_path, notebook=NOTEBOOK, executed=executed)
    build(tmp_path, tmp_path / "_build" / "html" / "slides")
    check = _sections(_deck_html(tmp_path))[2]
    assert f'<pre class="fmlab-output">{shown}</pre>' in check, check


def test_gallery_widget_becomes_figures(tmp_path: Path) -> None:
    svg = '<svg width="10pt" height="10pt" viewBox="0 0 10 10"><text font-size="9">x</text></svg>'
    state = {
        "tab": {"model_name": "TabModel", "state": {
            "children": ["IPY_MODEL_one", "IPY_MODEL_two"], "titles": ["first", "second"]}},
        "one": {"model_name": "HTMLModel", "state": {"value": f'<div style="x">{svg}</div>'}},
        "two": {"model_name": "HTMLModel", "state": {"value": "<p>plain</p>"}},
    }  # fmt: skip
    view = {"application/vnd.jupyter.widget-view+json": {"model_id": "tab"}, "text/plain": "Tab"}
    executed = [
        _code_cell('hidden = "set-up"', []),
        _code_cell(
            "answer = 6 * 7\nprint(answer)\nassert answer == 42",
            [{"output_type": "display_data", "metadata": {}, "data": view}],
        ),
    ]
    _write_book(tmp_path, executed=executed)
    ran = tmp_path / "_build/jupyter_execute/notebooks/probe/01-probe.ipynb"
    document = json.loads(ran.read_text())
    document["metadata"]["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {"state": state}
    }
    ran.write_text(json.dumps(document))
    build(tmp_path, tmp_path / "_build" / "html" / "slides")
    check = _sections(_deck_html(tmp_path))[2]
    assert check.count('class="fmlab-gallery-item"') == 2
    assert "<figcaption>first</figcaption>" in check
    assert "<p>plain</p>" in check
    assert 'data-font-min="9"' in check


def test_command_line_reports_bad_metadata_on_one_line(tmp_path: Path) -> None:
    _write_book(tmp_path, notebook=NOTEBOOK.replace("lt: slide, lines", "lt: slyde, lines"))
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "slides.py"), "build", "--root", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert re.match(r"slides: notebooks/probe/01-probe\.md:\d+: slides\.lt: 'slyde'", lines[0])


def test_repository_decks_build_from_the_metadata() -> None:
    """Every chapter's metadata parses and places (outputs are the book build's business)."""
    from fmlab_slides.cli import collect_decks
    from fmlab_slides.sources import chapters

    executed = ROOT / "_build" / "jupyter_execute"
    if not executed.exists():
        pytest.skip("no book build to read outputs from (make book)")
    try:
        decks, _ = collect_decks(ROOT)
    except SlideError as error:
        if "rebuild the book" in str(error):
            pytest.skip(f"the book build is older than the notebooks: {error}")
        raise
    names = {deck.chapter.name for deck in decks}
    assert names == {chapter.name for chapter in chapters(ROOT)}


# --- workshop decks -----------------------------------------------------------------------

LONG_CODE = "\n".join(f"step_{n} = {n}" for n in range(1, 61))
LONG_OUTPUT = "".join(f"line {n}\n" for n in range(1, 81))
ITEMS = "\n".join(f"- item {n}: a point the workshop makes, one line each" for n in range(1, 31))

WORKSHOP_NOTEBOOK = (
    HEADER
    + f"""
# Probing

The opening paragraph, under the notebook's title.

```{{code-cell}} ipython3
:tags: [remove-cell]

hidden = "set-up"
```

## A long cell

```{{code-cell}} ipython3
{LONG_CODE}
```

```{{code-cell}} ipython3
:tags: [remove-input]

print("only the output")
```

### A long output

```{{code-cell}} ipython3
print(LONG)
```

## A long list

{ITEMS}

+++ {{"slides": {{"workshop": "notes"}}}}

For the speaker: the list is long on purpose.

```{{code-cell}} ipython3
:slides: {{workshop: skip}}

print("skipped")
```

## Exercises

```{{exercise}}
:label: probe-ex

Find the bug.
```

```{{solution}} probe-ex
:class: dropdown

The answer is forty-two.
```

```{{code-cell}} ipython3
attempt = 41
```
"""
)


def _workshop_book(tmp_path: Path, notebook: str = WORKSHOP_NOTEBOOK) -> None:
    executed = [
        _code_cell('hidden = "set-up"', []),
        _code_cell(LONG_CODE, []),
        _code_cell('print("only the output")', [_stream("only the output\n")]),
        _code_cell("print(LONG)", [_stream(LONG_OUTPUT)]),
        _code_cell('print("skipped")', [_stream("skipped\n")]),
        _code_cell("attempt = 41", []),
    ]
    _write_book(tmp_path, notebook=notebook, executed=executed)
    # No cell is marked for a lightning talk, so only the workshop deck is linked.
    link = '<a href="../slides/probe/workshop.html">workshop</a>'
    (tmp_path / "book" / "probe.md").write_text(f"# The probe chapter\n\nSlides: {link}.\n")
    (tmp_path / "book" / "slides.md").write_text(f"# Slides\n\n- {link}\n")


def _workshop_slides(root: Path) -> list[str]:
    html = (root / "_build" / "html" / "slides" / "probe" / "workshop.html").read_text()
    return _sections(html)[1:-1]  # without the title and closing slides


def _title(section: str) -> str:
    found = re.search(r'<h2 class="fmlab-slide-title">(.*?)</h2>', section, flags=re.DOTALL)
    assert found, section
    return found.group(1)


def test_workshop_deck_follows_the_notebook(tmp_path: Path) -> None:
    _workshop_book(tmp_path)
    built = build(tmp_path, tmp_path / "_build" / "html" / "slides")
    assert [b.deck.kind.value for b in built] == ["workshop"]  # no cell is marked for a talk
    slides = _workshop_slides(tmp_path)
    titles = [_title(s) for s in slides]
    # Headings start slides; what does not fit goes on, titled "(cont.)".
    assert titles[0] == "Probing"
    assert "fmlab-notebook-slide" in slides[0]
    assert "opening paragraph" in slides[0]
    assert titles[1:3] == ["A long cell", "A long cell (cont.)"]
    assert "A long output" in titles
    assert "A long output (cont.)" in titles
    assert "A long list" in titles
    assert "A long list (cont.)" in titles
    assert built[0].slide_count == len(slides) + 2
    body = "".join(s.split('class="notes"')[0] for s in slides)
    # Nothing is lost and nothing is shown twice: every code line, output line, list item.
    for n in range(1, 61):
        assert body.count(f"step_{n}</span>") == 1, n
    for n in range(1, 81):
        assert len(re.findall(rf"\bline {n}\b", body)) == 1, n
    for n in range(1, 31):
        assert body.count(f"item {n}:") == 1, n


def test_workshop_deck_hides_what_the_book_hides(tmp_path: Path) -> None:
    _workshop_book(tmp_path)
    build(tmp_path, tmp_path / "_build" / "html" / "slides")
    deck = "".join(_workshop_slides(tmp_path))
    assert "set-up" not in deck  # remove-cell
    assert "only the output</pre>" in deck  # remove-input: the output ...
    assert "print(</span>" not in deck.split("only the output</pre>")[0].rsplit("<section", 1)[1]
    assert "skipped" not in deck  # workshop: skip


def test_workshop_exercise_has_its_slide_and_the_solution_in_notes(tmp_path: Path) -> None:
    _workshop_book(tmp_path)
    build(tmp_path, tmp_path / "_build" / "html" / "slides")
    slides = _workshop_slides(tmp_path)
    exercise = next(s for s in slides if "fmlab-exercise-slide" in s)
    assert _title(exercise) == "Exercise 1"
    shown, notes = exercise.split('<aside class="notes">')
    assert "Find the bug." in shown
    assert "forty-two" not in shown
    assert "forty-two" in notes
    assert "forty-two" not in "".join(s for s in slides if s is not exercise)
    # The empty "Exercises" heading gave way to the exercise.
    assert "Exercises" not in [_title(s) for s in slides]
    # workshop: notes sent the markdown cell to the notes of the slide it follows.
    speaker = next(s for s in slides if "on purpose" in s)
    assert "on purpose" in speaker.split('<aside class="notes">')[1]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            ":slides: {workshop: skip}",
            ":slides: {workshop: skipp}",
            r"01-probe\.md:\d+: slides\.workshop: 'skipp' is not one of",
        ),
        (
            ":tags: [remove-cell]",
            ":tags: [remove-cell]\n:slides: {workshop: slide}",
            r"01-probe\.md:\d+: slides\.workshop: a remove-cell cell is hidden",
        ),
    ],
)
def test_workshop_override_errors_name_the_line(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    _workshop_book(tmp_path, notebook=WORKSHOP_NOTEBOOK.replace(old, new))
    with pytest.raises(SlideError, match=message) as raised:
        build(tmp_path, tmp_path / "_build" / "html" / "slides")
    line = int(re.search(r"\.md:(\d+):", str(raised.value)).group(1))  # type: ignore[union-attr]
    source = WORKSHOP_NOTEBOOK.replace(old, new).splitlines()
    # The line after the cell's fence: its first option line, as for the lt key.
    assert source[line - 2].startswith("```{code-cell}"), source[line - 2]


def test_workshop_override_keeps_a_cell_whole(tmp_path: Path) -> None:
    notebook = WORKSHOP_NOTEBOOK.replace(
        "```{code-cell} ipython3\nprint(LONG)",
        "```{code-cell} ipython3\n:slides: {workshop: slide}\nprint(LONG)",
    ).replace(
        "```{code-cell} ipython3\nattempt = 41",
        "```{code-cell} ipython3\n:slides: {workshop: fragment}\nattempt = 41",
    )
    _workshop_book(tmp_path, notebook=notebook)
    build(tmp_path, tmp_path / "_build" / "html" / "slides")
    slides = _workshop_slides(tmp_path)
    exercise = next(s for s in slides if "fmlab-exercise-slide" in s)
    assert re.search(r'class="fmlab-part fragment"><div class="fmlab-cell">.*attempt', exercise)


def _workshop_book_with_outputs(tmp_path: Path, outputs: list[dict[str, Any]]) -> None:
    _workshop_book(tmp_path)
    ran = tmp_path / "_build/jupyter_execute/notebooks/probe/01-probe.ipynb"
    document = json.loads(ran.read_text())
    document["cells"][-1]["outputs"] = outputs
    ran.write_text(json.dumps(document))


def _display(data: dict[str, str]) -> dict[str, Any]:
    return {"output_type": "display_data", "metadata": {}, "data": data}


def test_workshop_drawing_too_wide_to_read_becomes_legible_windows(tmp_path: Path) -> None:
    # 3000 units wide with 10-unit labels: fitted to a 1280 px slide they would be 4 px.
    wide = (
        '<svg width="3000pt" height="100pt" viewBox="0.00 0.00 3000.00 100.00">'
        '<text font-size="10.00">wide</text></svg>'
    )
    small = (
        '<svg width="300pt" height="100pt" viewBox="0 0 300 100">'
        '<text font-size="12">s</text></svg>'
    )
    _workshop_book_with_outputs(
        tmp_path, [_display({"image/svg+xml": wide}), _display({"image/svg+xml": small})]
    )
    build(tmp_path, tmp_path / "_build" / "html" / "slides")
    slides = _workshop_slides(tmp_path)
    tiles = [s for s in slides if re.search(r"\(part \d of \d\)</h2>", s)]
    assert len(tiles) == 3, [_title(s) for s in slides]  # 3000 x 0.98 px over 1230 px
    widths = [re.search(r'data-view-width="([\d.]+)"', s) for s in tiles]
    # Steps of 1000 units, each window reaching 60 units into its neighbours.
    assert [float(w.group(1)) for w in widths if w] == [1060.0, 1120.0, 1060.0]
    assets = tmp_path / "_build/html/slides/_assets/img"
    boxes = re.findall(r'viewBox="([^"]+)"', "".join(p.read_text() for p in assets.glob("*.svg")))
    assert "0.00 0.00 1060.00 100.00" in boxes
    assert "940.00 0.00 1120.00 100.00" in boxes
    assert "1940.00 0.00 1060.00 100.00" in boxes
    # A drawing that reads when fitted stays whole, on a slide of its own.
    whole = [s for s in slides if 'data-view-width="300"' in s]
    assert len(whole) == 1
    assert "<pre" not in whole[0]


def test_workshop_points_to_the_book_for_interactive_html(tmp_path: Path) -> None:
    stepper = '<div><button class="next">next</button><table><tr><td>x</td></tr></table></div>'
    table = "<table><tr><td>plain cell</td></tr></table>"
    _workshop_book_with_outputs(
        tmp_path, [_display({"text/html": stepper}), _display({"text/html": table})]
    )
    build(tmp_path, tmp_path / "_build" / "html" / "slides")
    deck = "".join(_workshop_slides(tmp_path))
    assert "<button" not in deck
    assert "see it on the book's page" in deck
    assert "plain cell" in deck  # a plain table is shown


def test_workshop_gallery_gets_a_slide_per_page_with_its_caption(tmp_path: Path) -> None:
    svg = '<svg width="10pt" height="10pt" viewBox="0 0 100 50"><text font-size="12">x</text></svg>'
    state = {
        "tab": {"model_name": "TabModel", "state": {
            "children": ["IPY_MODEL_one", "IPY_MODEL_two"], "titles": ["first", "second"]}},
        "one": {"model_name": "HTMLModel", "state": {
            "value": f'<pre style="x">stage one</pre><div style="overflow:auto">{svg}</div>'}},
        "two": {"model_name": "HTMLModel", "state": {"value": f"<div>{svg}</div>"}},
    }  # fmt: skip
    view = {"application/vnd.jupyter.widget-view+json": {"model_id": "tab"}, "text/plain": "Tab"}
    _workshop_book_with_outputs(tmp_path, [_display(view)])
    ran = tmp_path / "_build/jupyter_execute/notebooks/probe/01-probe.ipynb"
    document = json.loads(ran.read_text())
    document["metadata"]["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {"state": state}
    }
    ran.write_text(json.dumps(document))
    build(tmp_path, tmp_path / "_build" / "html" / "slides")
    pages = [s for s in _workshop_slides(tmp_path) if "fmlab-gallery-item" in s]
    assert len(pages) == 2
    assert "<figcaption>first</figcaption>" in pages[0]
    assert '<pre class="fmlab-output">stage one</pre>' in pages[0]
    assert "<figcaption>second</figcaption>" in pages[1]
    assert all(page.count("<img") == 1 for page in pages)
    assert "see it on the book's page" not in "".join(pages)


def test_workshop_tables_are_measured_by_their_wrapped_rows_and_split_between_rows() -> None:
    from fmlab_slides.markdown import markdown_blocks
    from fmlab_slides.workshop import BODY_PX, _block_px, _split

    long_cell = "route tables, gateways, endpoints, regions: which way a request leaves " * 2
    row = f"| part | {long_cell} | policies |"
    table = "\n".join(["| a | b | c |", "| --- | --- | --- |", *[row] * 12])
    [block] = markdown_blocks(table)
    # A wrapped row is several lines tall, not one: the estimate that let a table spill.
    assert _block_px(block) > 12 * 3 * 37
    pieces = _split(block)
    assert len(pieces) > 1
    for piece in pieces:
        assert piece.startswith("| a | b | c |\n| --- | --- | --- |\n")
        [part] = markdown_blocks(piece)
        assert _block_px(part) <= BODY_PX
    assert sum(piece.count(row) for piece in pieces) == 12
