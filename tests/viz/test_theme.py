from __future__ import annotations

import pytest

from fmlab.viz._theme import FILLS, SHAPES, graph_attrs, style_for_index, styles_for


def test_the_first_seventy_two_signatures_all_look_different() -> None:
    styles = [style_for_index(i) for i in range(len(FILLS) * len(SHAPES))]
    assert len(set(styles)) == len(styles)


def test_styles_follow_the_given_order() -> None:
    assert styles_for(["a", "b"])["b"] == style_for_index(1)


def test_graph_attrs_reject_unknown_rankdir() -> None:
    assert graph_attrs("t", "TB")["rankdir"] == "TB"
    with pytest.raises(ValueError, match="rankdir"):
        graph_attrs(None, "up")
