"""Alloy-style drawings of instances, z3 models, state graphs and traces.

Every drawer returns a ``graphviz.Digraph`` (it shows inline as SVG in Jupyter and in the
book); :func:`to_svg` renders one with a time limit and :func:`gallery` puts several in
tabs. The DOT text is deterministic: the same input gives byte-identical source.
"""

from fmlab.viz.gallery import gallery
from fmlab.viz.instance import draw_instance
from fmlab.viz.render import Drawing, to_svg
from fmlab.viz.states import draw_state_graph
from fmlab.viz.trace import draw_trace
from fmlab.viz.z3model import draw_z3_model

__all__ = [
    "Drawing",
    "draw_instance",
    "draw_state_graph",
    "draw_trace",
    "draw_z3_model",
    "gallery",
    "to_svg",
]
