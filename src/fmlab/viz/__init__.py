"""Alloy-style drawings of instances, z3 models, state graphs and traces.

Every drawer returns a ``graphviz.Digraph`` (it shows inline as SVG in Jupyter and in the
book); :func:`to_svg` renders one with a time limit and :func:`gallery` puts several in
tabs (:func:`svg_fragment` is one drawing as inline SVG); :func:`show_value` and
:func:`show_state` are the short, stable texts the drawings print values with. The DOT
text is deterministic: the same input gives byte-identical source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fmlab.core.lazy import lazy_exports

if TYPE_CHECKING:
    from fmlab.viz._gallery import gallery, svg_fragment
    from fmlab.viz._instance import draw_instance
    from fmlab.viz._render import Drawing, to_svg
    from fmlab.viz._states import draw_state_graph
    from fmlab.viz._text import show_state, show_value
    from fmlab.viz._trace import draw_trace
    from fmlab.viz._z3model import draw_z3_model

__all__ = [
    "Drawing",
    "draw_instance",
    "draw_state_graph",
    "draw_trace",
    "draw_z3_model",
    "gallery",
    "show_state",
    "show_value",
    "svg_fragment",
    "to_svg",
]

_HOMES = {
    "_render": ("Drawing", "to_svg"),
    "_instance": ("draw_instance",),
    "_states": ("draw_state_graph",),
    "_text": ("show_state", "show_value"),
    "_trace": ("draw_trace",),
    "_z3model": ("draw_z3_model",),
    "_gallery": ("gallery", "svg_fragment"),
}

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, _HOMES)
