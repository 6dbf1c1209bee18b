from __future__ import annotations

import ipywidgets
import pytest

from fmlab.core.instance import Instance
from fmlab.viz import draw_instance, draw_trace, gallery, to_svg
from fmlab.viz._gallery import svg_fragment


def test_one_tab_per_item_with_titles_and_svg() -> None:
    first = draw_instance(Instance.build({"A": ["atom_one"]}))
    second = to_svg(draw_trace([{"x": 1}]))
    tabs = gallery([("例 1", first), ("trace", second)])
    assert isinstance(tabs, ipywidgets.Tab)
    assert len(tabs.children) == 2
    assert tuple(tabs.titles) == ("例 1", "trace")
    assert all(isinstance(child, ipywidgets.HTML) for child in tabs.children)
    assert "atom_one" in tabs.children[0].value
    assert tabs.children[0].value.count("<svg") == 1
    assert "<?xml" not in tabs.children[0].value
    assert "<!DOCTYPE" not in tabs.children[1].value


def test_empty_gallery_and_non_svg_text_are_errors() -> None:
    with pytest.raises(ValueError, match="at least one"):
        gallery([])
    with pytest.raises(ValueError, match="SVG"):
        gallery([("oops", "digraph { a }")])


def test_svg_fragment_keeps_everything_from_the_svg_element() -> None:
    assert svg_fragment("<!-- c -->\n<svg a='1'><g/></svg>\n") == "<svg a='1'><g/></svg>\n"


def test_repeated_titles_are_numbered_so_tabs_differ() -> None:
    drawing = to_svg(draw_trace([{"x": 1}]))
    tabs = gallery([("same", drawing), ("other", drawing), ("same", drawing)])
    assert tuple(tabs.titles) == ("same", "other", "same (2)")
    assert len(set(tabs.titles)) == 3


def test_each_drawing_keeps_its_size_in_a_named_focusable_scroll_box() -> None:
    tabs = gallery([('policy "A"', to_svg(draw_trace([{"x": 1}])))])
    page = tabs.children[0].value
    assert page.startswith('<div class="fmlab-drawing" role="group" tabindex="0"')
    assert 'aria-label="policy &quot;A&quot;"' in page
    assert "overflow:auto" in page
    # dot's own width stays: the drawing is not squeezed to the page
    assert 'width="100%"' not in page
