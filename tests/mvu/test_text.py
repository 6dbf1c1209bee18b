"""Folding explanations to the page: nothing lost, nothing wider than the width."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.mvu._text import LINE_WIDTH, fold, fold_markup

_WORDS = st.text(alphabet="abc <>/='x", min_size=0, max_size=300)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), _WORDS), min_size=1, max_size=5))
def test_fold_keeps_every_word_and_the_width(lines: list[tuple[int, str]]) -> None:
    text = "\n".join(" " * indent + line for indent, line in lines)
    folded = fold(text, 40)
    assert all(len(line) <= 40 for line in folded.splitlines())
    assert "".join(folded.split()) == "".join(text.split())


def test_fold_keeps_indentation_and_indents_continuations() -> None:
    text = "top\n  " + " ".join(["word"] * 30)
    folded = fold(text, 30).splitlines()
    assert folded[0] == "top"
    assert folded[1].startswith("  word")
    assert not folded[1].startswith("   ")
    assert all(line.startswith("    word") for line in folded[2:])
    assert fold("short line") == "short line"
    assert LINE_WIDTH == 76


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet='ab <>/"=', max_size=400), st.integers(0, 8), st.integers(20, 100))
def test_fold_markup_loses_nothing_and_fits(markup: str, indent: int, width: int) -> None:
    lines = fold_markup(markup, " " * indent, width)
    assert all(len(line) <= width for line in lines)
    assert "".join(line[indent:] for line in lines) == markup


def test_fold_markup_breaks_between_tags_not_inside_text() -> None:
    markup = "<div><h1>Good morning!</h1><p>Page 1 of 3</p><button>next</button></div>"
    lines = fold_markup(markup, "    ", 40)
    assert len(lines) == 3
    assert all(len(line) <= 40 for line in lines)
    assert "".join(line.strip() for line in lines) == markup
    # Every line starts with a tag, so no text is split.
    assert all(line.lstrip().startswith("<") for line in lines)
