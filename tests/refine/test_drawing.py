"""A function's obligations drawn with their outcomes, and the path to a counterexample."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from fmlab.refine import check_file, check_source, draw_obligations
from fmlab.viz import to_svg

CORPUS = Path(__file__).parent / "corpus"
BOOK_COLUMN_PX = 688
POINTS_TO_PX = 4 / 3


def _texts(svg: str) -> list[str]:
    return [
        re.sub(r"&#(\d+);", lambda m: chr(int(m[1])), t)
        for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    ]


def test_every_obligation_is_a_box_headed_by_its_outcome() -> None:
    function = check_file(CORPUS / "pos" / "l3_binary_search.py").function("search")
    svg = to_svg(draw_obligations(function))
    headings = [t for t in _texts(svg) if re.fullmatch(r"line \d+: \w+", t)]
    assert len(headings) == function.obligations == len(function.vcs) == 5
    assert all(h.endswith(": proved") for h in headings)
    assert "index is in range:" in _texts(svg)
    assert "counterexample:" not in _texts(svg)


def test_a_refuted_obligation_leads_to_its_counterexample() -> None:
    function = check_file(CORPUS / "neg" / "l3_invariant_entry.py").function("sum_to")
    drawing = draw_obligations(function)
    texts = _texts(to_svg(drawing))
    assert "line 11: refuted" in texts
    assert "line 11: proved" in texts  # preserved on every real run (z3's Horn engine)
    assert "loop invariant holds on entry:" in texts
    assert "counterexample:" in texts
    assert "n = 0" in texts
    # The path function -> refuted obligation -> counterexample is the thick one.
    assert drawing.source.count("penwidth=3") == 2 + 2  # two red boxes, two thick steps
    assert 'label="fails for"' in drawing.source


def test_an_unknown_obligation_says_so_and_leads_nowhere() -> None:
    function = check_file(CORPUS / "neg" / "unknown_loop.py").function("square")
    drawing = draw_obligations(function)
    texts = _texts(to_svg(drawing))
    assert "line 13: unknown" in texts
    assert "counterexample:" not in texts
    assert "penwidth=3" not in drawing.source


def test_a_call_that_fails_for_every_input_says_so() -> None:
    function = check_file(CORPUS / "neg" / "heartbleed.py").function("output")
    texts = _texts(to_svg(draw_obligations(function)))
    assert "for every input" in texts


def test_an_unsupported_function_shows_its_error_as_an_unknown_obligation() -> None:
    report = check_source("def f(xs: list[int]) -> None:\n    xs[0] = 1\n")
    texts = _texts(to_svg(draw_obligations(report.function("f"))))
    assert any(t.startswith("line 2: unknown") for t in texts)


def test_the_drawing_fits_the_book_column_with_legible_text() -> None:
    for path, name in [("neg/l3_invariant_entry.py", "sum_to"), ("neg/heartbleed.py", "output")]:
        svg = to_svg(draw_obligations(check_file(CORPUS / path).function(name)))
        width_pt = float(re.search(r'<svg width="([\d.]+)pt"', svg)[1])  # type: ignore[index]
        smallest_pt = min(float(s) for s in re.findall(r'font-size="([\d.]+)"', svg))
        scale = min(1.0, BOOK_COLUMN_PX / (width_pt * POINTS_TO_PX))
        assert smallest_pt * POINTS_TO_PX * scale >= 9, (name, width_pt, smallest_pt)


def test_a_report_without_its_conditions_is_refused_rather_than_drawn_short() -> None:
    function = check_file(CORPUS / "pos" / "l3_binary_search.py").function("search")
    with pytest.raises(ValueError, match="5 obligations"):
        draw_obligations(replace(function, vcs=()))
