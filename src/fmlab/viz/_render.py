"""Running Graphviz's ``dot``: SVG text with a time limit, and the graph type we return.

Every drawer returns a :class:`Drawing`, a ``graphviz.Digraph`` whose notebook display
goes through :func:`to_svg` too, so neither a notebook cell nor the book build can hang
on a pathological graph and a missing ``dot`` is reported in words.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from typing import Any

import graphviz

from fmlab.viz._text import plain_label
from fmlab.viz._theme import EDGE_DEFAULTS, NODE_DEFAULTS, graph_attrs

DOT_PROGRAM = "dot"
ENGINES = frozenset({"dot", "neato", "fdp", "sfdp", "circo", "twopi"})
# dot's layered layout with labelled edges grows steeply: measured on random instances,
# 125 labelled edges took 0.3 s, 250 took 4.5 s and 500 did not finish in 40 s, while
# neato drew all of them in under 0.2 s. Above this many edges we switch to neato.
LARGE_EDGE_COUNT = 150
_INSTALL_HINT = (
    "Graphviz's 'dot' program is not on PATH; install Graphviz "
    "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz)"
)


class Drawing(graphviz.Digraph):  # type: ignore[misc]  # graphviz ships no type hints
    """A ``graphviz.Digraph`` that renders for Jupyter through :func:`to_svg`."""

    def _repr_image_svg_xml(self) -> str:
        return to_svg(self)


def choose_engine(requested: str | None, edge_count: int) -> str:
    """``requested`` if given (checked), else dot for small graphs and neato for large ones.

    >>> choose_engine(None, 10), choose_engine(None, 1_000), choose_engine("circo", 1)
    ('dot', 'neato', 'circo')
    """
    if requested is None:
        return "dot" if edge_count <= LARGE_EDGE_COUNT else "neato"
    if requested not in ENGINES:
        raise ValueError(f"engine must be one of {sorted(ENGINES)}, got {requested!r}")
    return requested


def new_drawing(
    title: str | None,
    *,
    rankdir: str = "LR",
    node: Mapping[str, str] | None = None,
    engine: str = "dot",
) -> Drawing:
    """An empty drawing with the house style and an escaped ``title``."""
    attrs = graph_attrs(None if title is None else plain_label(title), rankdir)
    if engine != "dot":
        attrs["overlap"] = "false"  # the force-directed engines otherwise stack nodes
    drawing = Drawing(
        engine=choose_engine(engine, 0),
        graph_attr=attrs,
        node_attr={**NODE_DEFAULTS, **(node or {})},
        edge_attr=dict(EDGE_DEFAULTS),
    )
    return drawing


def add_node(graph: Any, node_id: str, label: str, attrs: Mapping[str, str]) -> None:
    """Typed wrapper over ``Digraph.node`` (attributes in sorted order for stable DOT)."""
    graph.node(node_id, label=label, **dict(sorted(attrs.items())))


def add_edge(graph: Any, tail: str, head: str, attrs: Mapping[str, str]) -> None:
    """Typed wrapper over ``Digraph.edge`` (attributes in sorted order for stable DOT)."""
    graph.edge(tail, head, **dict(sorted(attrs.items())))


def dot_source(graph: Any) -> str:
    """The DOT text of a graph (``Digraph.source``), typed."""
    source: str = graph.source
    return source


def to_svg(graph: graphviz.Digraph | str, *, timeout_s: float = 30) -> str:
    """Render ``graph`` (a Digraph or DOT text) to SVG text by running ``dot -Tsvg``.

    The layout engine is the graph's ``engine`` (``dot`` for DOT text). Raises
    :class:`RuntimeError` when ``dot`` is not installed, when it fails, or when it does
    not finish within ``timeout_s`` seconds (it is then killed).
    """
    program = shutil.which(DOT_PROGRAM)
    if program is None:
        raise RuntimeError(_INSTALL_HINT)
    source = graph if isinstance(graph, str) else dot_source(graph)
    engine = "dot" if isinstance(graph, str) else choose_engine(str(graph.engine), 0)
    try:
        finished = subprocess.run(
            [program, f"-K{engine}", "-Tsvg"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise RuntimeError(
            f"dot did not finish within {timeout_s:g} s; graph too large?"
        ) from error
    except OSError as error:
        raise RuntimeError(f"could not run {program}: {error}") from error
    if finished.returncode != 0:
        detail = finished.stderr.decode("utf-8", "replace").strip() or "no message"
        raise RuntimeError(f"dot failed with exit code {finished.returncode}: {detail}")
    svg: str = finished.stdout.decode("utf-8")
    return svg
