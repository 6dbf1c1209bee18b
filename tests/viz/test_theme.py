from __future__ import annotations

import pytest

from fmlab.viz._theme import (
    ALERT,
    ALERT_FILL,
    BAD_NODE,
    CHANGED_FILL,
    FILLS,
    HIGHLIGHT_NODE,
    INK,
    MIN_TEXT_CONTRAST,
    PATH_EDGE,
    SHAPES,
    contrast_ratio,
    graph_attrs,
    style_for_index,
    styles_for,
)


def test_the_first_seventy_two_signatures_all_look_different() -> None:
    styles = [style_for_index(i) for i in range(len(FILLS) * len(SHAPES))]
    assert len(set(styles)) == len(styles)


def test_styles_follow_the_given_order() -> None:
    assert styles_for(["a", "b"])["b"] == style_for_index(1)


def test_graph_attrs_reject_unknown_rankdir() -> None:
    assert graph_attrs("t", "TB")["rankdir"] == "TB"
    with pytest.raises(ValueError, match="rankdir"):
        graph_attrs(None, "up")


def test_every_label_colour_is_legible_on_every_fill_it_can_sit_on() -> None:
    # Node labels: the default ink, or a highlight's fontcolor, on any palette fill, the
    # alert and changed fills, and the page (drawings are transparent over white).
    backgrounds = [*FILLS, ALERT_FILL, CHANGED_FILL, "#FFFFFF"]
    label_colours = {INK, HIGHLIGHT_NODE.get("fontcolor", INK), BAD_NODE.get("fontcolor", INK)}
    for text in label_colours:
        for background in backgrounds:
            ratio = contrast_ratio(text, background)
            assert ratio >= MIN_TEXT_CONTRAST, f"{text} on {background}: {ratio:.2f}:1"
    # Edge labels sit on the page itself.
    assert contrast_ratio(PATH_EDGE["fontcolor"], "#FFFFFF") >= MIN_TEXT_CONTRAST


def test_the_contrast_check_rejects_red_on_pink() -> None:
    # The pair the IAM pages showed before: the check must be able to fail.
    assert contrast_ratio(ALERT, "#FFAABB") < MIN_TEXT_CONTRAST
