"""The fixed look of every fmlab drawing: palette, shapes, fonts, emphasis.

Fill colours are Paul Tol's "light" scheme, chosen to stay distinguishable under the
common colour-vision deficiencies and to keep black text readable. Shape varies with
colour so that signatures differ even in greyscale print. Styles are plain dicts of
DOT attributes so that the drawers stay declarative.

>>> style_for_index(0) == style_for_index(len(FILLS) * len(SHAPES))
True
>>> style_for_index(0) != style_for_index(1)
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Paul Tol, "light" qualitative scheme (https://personal.sron.nl/~pault/).
FILLS: tuple[str, ...] = (
    "#77AADD",  # light blue
    "#EE8866",  # orange
    "#EEDD88",  # light yellow
    "#FFAABB",  # pink
    "#99DDFF",  # light cyan
    "#44BB99",  # mint
    "#BBCC33",  # pear
    "#AAAA00",  # olive
    "#DDDDDD",  # pale grey
)
# Eight shapes against nine colours: the pair only repeats after 72 signatures.
SHAPES: tuple[str, ...] = (
    "box",
    "ellipse",
    "hexagon",
    "octagon",
    "diamond",
    "parallelogram",
    "house",
    "trapezium",
)

FONT = "Helvetica,Arial,sans-serif"
INK = "#222222"
# Tol "vibrant" red and blue: emphasis that survives red-green colour blindness
# because it also changes line width.
ALERT = "#CC3311"
ALERT_FILL = "#FFCCCC"
PATH = "#0077BB"
CHANGED_FILL = "#FFEE99"
BOLD_PEN = "3"

# WCAG 2.x contrast a label must reach against the colour behind it (normal-size text).
MIN_TEXT_CONTRAST = 4.5

RANKDIRS = frozenset({"LR", "RL", "TB", "BT"})


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a ``#RRGGBB`` colour (0 black to 1 white)."""
    digits = colour.removeprefix("#")
    if len(digits) != 6:
        raise ValueError(f"expected #RRGGBB, got {colour!r}")
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(text: str, background: str) -> float:
    """WCAG 2.x contrast ratio between two ``#RRGGBB`` colours, from 1 to 21.

    >>> round(contrast_ratio("#000000", "#FFFFFF"), 1)
    21.0
    >>> round(contrast_ratio("#777777", "#EEEEEE"), 2)  # the widget tabs' inactive titles
    3.86
    """
    lighter, darker = sorted((relative_luminance(text), relative_luminance(background)))[::-1]
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True)
class NodeStyle:
    fill: str
    shape: str

    def attrs(self) -> dict[str, str]:
        return {"fillcolor": self.fill, "shape": self.shape, "style": "filled"}


def style_for_index(index: int) -> NodeStyle:
    """The ``index``-th style of the palette (colour and shape cycle independently)."""
    return NodeStyle(FILLS[index % len(FILLS)], SHAPES[index % len(SHAPES)])


def styles_for(names: Iterable[str]) -> dict[str, NodeStyle]:
    """One style per name, assigned in the given (already sorted) order."""
    return {name: style_for_index(i) for i, name in enumerate(names)}


def graph_attrs(title: str | None, rankdir: str = "LR") -> dict[str, str]:
    """Graph-level attributes shared by every drawing; ``title`` is escaped by the caller."""
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {sorted(RANKDIRS)}, got {rankdir!r}")
    attrs = {"rankdir": rankdir, "fontname": FONT, "bgcolor": "transparent"}
    if title is not None:
        attrs.update({"label": title, "labelloc": "t", "fontsize": "16"})
    return attrs


NODE_DEFAULTS: Mapping[str, str] = {"fontname": FONT, "fontsize": "12", "color": INK}
EDGE_DEFAULTS: Mapping[str, str] = {"fontname": FONT, "fontsize": "10", "color": INK}

# Emphasis is the red, thick outline; the label stays INK: red text on the pastel fills
# measured 2.1 to 3.8:1 (WCAG asks 4.5:1), "red on pink" on the IAM pages.
HIGHLIGHT_NODE: Mapping[str, str] = {"color": ALERT, "fontcolor": INK, "penwidth": BOLD_PEN}
BAD_NODE: Mapping[str, str] = {"color": ALERT, "fillcolor": ALERT_FILL, "penwidth": BOLD_PEN}
PATH_EDGE: Mapping[str, str] = {"color": PATH, "fontcolor": PATH, "penwidth": BOLD_PEN}
