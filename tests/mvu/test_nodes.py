"""Building nodes with h: what is accepted, what is refused, and the handlers found."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from fmlab.mvu import Element, NodeError, Text, Typed, h, handlers, walk


@dataclass(frozen=True)
class Go:
    to: int = 0


@dataclass(frozen=True)
class Say:
    text: str


def test_h_as_the_issue_writes_it() -> None:
    node = h("button", {"on_click": Go()}, ["+"])
    assert node == Element("button", (), (Text("+"),), (("click", Go()),))
    assert [(found.path, found.event, found.message) for found in handlers(node)] == [
        ((), "click", Go())
    ]


def test_nodes_are_hashable_and_compare_by_value() -> None:
    first = h("ul", {"class": "x"}, [h("li", {}, ["a"]), "b"])
    second = h("ul", {"class": "x"}, [h("li", {}, ["a"]), "b"])
    assert first == second
    assert hash(first) == hash(second)


def test_none_and_empty_children_are_skipped_and_false_attributes_dropped() -> None:
    node = h("p", {"hidden": False, "title": None, "open": True}, [None, "", "x"])
    assert node.attrs == (("open", True),)
    assert node.children == (Text("x"),)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: h("Div"), "lower-case HTML tag"),
        (lambda: h("script", {}, ["alert(1)"]), "script or style"),
        (lambda: h("br", {}, ["x"]), "void element"),
        (lambda: h("p", {"onclick": "alert(1)"}), "never as script"),
        (lambda: h("p", {"on_click": Go}), "send an instance, as in Go()"),
        (lambda: h("p", {"on_click": [1]}), "must be hashable"),
        (lambda: h("p", {"on_click": print}), "a message is data"),
        (lambda: h("p", {"title": object()}), "expected str, int, float or bool"),
        (lambda: h("p", {'a"b': "x"}), "not a valid lower-case attribute name"),
        (lambda: h("p", {}, [3]), "use str(...)"),
        (lambda: h("p", {}, ["nul\x00"]), "U+0000"),
        (lambda: h("p", {"on_click": Typed(Say)}), "on_input or on_change"),
    ],
)
def test_bad_nodes_are_refused_with_the_reason(build: object, message: str) -> None:
    with pytest.raises(NodeError, match=re.escape(message)):
        build()  # type: ignore[operator]


def test_typed_handlers_offer_one_message_per_sample() -> None:
    node = h(
        "div", {}, [h("input", {"on_input": Typed(Say, ("", "hi"))}), h("input", {"on_input": Say})]
    )
    found = handlers(node, samples=("x",))
    assert [(f.path, f.typed, f.message) for f in found] == [
        ((0,), "", Say("")),
        ((0,), "hi", Say("hi")),
        ((1,), "x", Say("x")),
    ]
    assert found[1].describe() == "input 'hi' on /0"


def test_disabled_elements_offer_nothing() -> None:
    node = h(
        "div",
        {},
        [h("button", {"on_click": Go(1), "disabled": True}), h("button", {"on_click": Go(2)})],
    )
    assert [found.message for found in handlers(node)] == [Go(2)]


def test_walk_visits_in_document_order() -> None:
    node = h("a", {}, [h("b", {}, ["1"]), "2"])
    assert [(path, getattr(n, "tag", None)) for path, n in walk(node)] == [
        ((), "a"),
        ((0,), "b"),
        ((0, 0), None),
        ((1,), None),
    ]
