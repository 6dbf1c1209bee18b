"""Diff and patch: applying the patches to the old tree gives the new tree."""

from __future__ import annotations

from hypothesis import given, settings

from fmlab.mvu import Element, apply, diff, first_difference, h
from fmlab.mvu._diff import Insert, Remove, Replace, SetAttrs, SetText
from tests.mvu.strategies import any_tree


@settings(max_examples=300, deadline=None)
@given(any_tree(), any_tree())
def test_patches_turn_the_old_tree_into_the_new_one(old: Element, new: Element) -> None:
    assert apply(old, diff(old, new)) == new


@settings(deadline=None)
@given(any_tree())
def test_a_tree_has_no_difference_with_itself(tree: Element) -> None:
    assert diff(tree, tree) == []
    assert first_difference(tree, tree) is None


def test_one_changed_row_is_one_patch() -> None:
    rows = [h("li", {}, [str(n)]) for n in range(1000)]
    old = h("ul", {}, rows)
    new = h("ul", {}, [*rows[:500], h("li", {}, ["changed"]), *rows[501:]])
    assert diff(old, new) == [SetText((500, 0), "changed")]


def test_kinds_of_patches() -> None:
    old = h("div", {"class": "a"}, [h("p", {}, ["x"]), h("span"), "t"])
    new = h("div", {"class": "b"}, [h("em", {}, ["x"])])
    assert diff(old, new) == [
        SetAttrs((), (("class", "b"),)),
        Replace((0,), h("em", {}, ["x"])),
        Remove((2,)),
        Remove((1,)),
    ]
    assert diff(h("ul"), h("ul", {}, ["a"])) == [Insert((0,), h("ul", {}, ["a"]).children[0])]


def test_first_difference_in_words() -> None:
    assert first_difference(h("p", {}, ["9:00"]), h("p", {}, ["9:01"])) == (
        "at /0: text '9:00' became '9:01'"
    )
    assert first_difference(h("p"), h("div")) == "at /: <p> became <div>"
