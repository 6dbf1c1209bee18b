from __future__ import annotations

import os
import stat
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import graphviz
import pytest

from fmlab.viz import Drawing, draw_state_graph, to_svg
from fmlab.viz._render import LARGE_EDGE_COUNT, new_drawing


def test_to_svg_renders_well_formed_svg_with_the_labels() -> None:
    graph = new_drawing("タイトル")
    graph.node("a", label="こんにちは")
    svg = to_svg(graph)
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "こんにちは" in svg
    assert "タイトル" in svg


def test_to_svg_accepts_dot_text_and_plain_digraphs() -> None:
    assert "<svg" in to_svg("digraph { a -> b }")
    plain = graphviz.Digraph()
    plain.edge("x", "y")
    assert "<svg" in to_svg(plain)


def test_missing_dot_names_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no dot anywhere
    with pytest.raises(RuntimeError, match=r"apt-get install graphviz"):
        to_svg("digraph { a }")


def _fake_dot(directory: Path, script: str) -> None:
    program = directory / "dot"
    program.write_text(f"#!/bin/sh\n{script}\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)


def test_a_dot_that_hangs_is_stopped_by_the_timeout(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _fake_dot(tmp_path, "exec sleep 30")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    started = time.monotonic()
    with pytest.raises(RuntimeError, match=r"did not finish within 0\.5 s"):
        to_svg("digraph { a }", timeout_s=0.5)
    assert time.monotonic() - started < 10


def test_dot_errors_are_reported_with_its_message() -> None:
    with pytest.raises(RuntimeError, match="syntax error"):
        to_svg("digraph { a -> }")


def test_drawings_display_in_jupyter_through_to_svg(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = new_drawing(None)
    graph.node("a")
    assert isinstance(graph, Drawing)
    assert isinstance(graph, graphviz.Digraph)
    bundle = graph._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the untimed graphviz pipe must not be used")

    monkeypatch.setattr(graphviz.Digraph, "pipe", refuse)
    assert "<svg" in graph._repr_mimebundle_()["image/svg+xml"]


def test_large_graphs_switch_to_a_fast_layout_engine() -> None:
    small = draw_state_graph(range(3), [(0, 1, "a"), (1, 2, "b")], initial=0)
    assert small.engine == "dot"
    count = LARGE_EDGE_COUNT + 1
    large = draw_state_graph(
        range(count), [(i, (i + 1) % count, "a") for i in range(count)], initial=0
    )
    assert large.engine == "neato"
    assert "overlap=false" in large.source
    started = time.monotonic()
    assert "<svg" in to_svg(large)
    assert time.monotonic() - started < 10
    pinned = draw_state_graph(range(3), [(0, 1, "a")], initial=0, engine="circo")
    assert pinned.engine == "circo"


def test_unknown_engine_is_an_error() -> None:
    with pytest.raises(ValueError, match="engine"):
        draw_state_graph([1], [], initial=1, engine="rm -rf")
