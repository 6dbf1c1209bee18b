"""Helpers shared by the viz tests: reading what a rendered SVG actually says."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

SVG = "{http://www.w3.org/2000/svg}"


def _node_texts(svg: str) -> dict[str, list[str]]:
    """Node id (the SVG <title>) -> the text lines dot drew in that node, in order."""
    root = ET.fromstring(svg)  # also checks that the SVG is well-formed XML
    nodes: dict[str, list[str]] = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "node":
            continue
        title = group.find(f"{SVG}title")
        assert title is not None
        nodes[title.text or ""] = [t.text or "" for t in group.iter(f"{SVG}text")]
    return nodes


def _all_texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


@pytest.fixture
def node_texts() -> Callable[[str], dict[str, list[str]]]:
    return _node_texts


@pytest.fixture
def svg_texts() -> Callable[[str], list[str]]:
    return _all_texts
