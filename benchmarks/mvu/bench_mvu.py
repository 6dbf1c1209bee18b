"""The Elm-architecture chapter: exploring the todo app, rendering, patching widgets.

Three tasks, each with its contenders side by side in one process:

* **exploring the todo app up to 3,000 models**: fmlab.mvu's breadth-first exploration
  (through fmlab.mc) against a Hypothesis ``RuleBasedStateMachine`` that clicks a random
  handler the view offers at every step, given the same wall-clock time as the
  exploration's median. The answer of each is the number of *distinct* models it
  reached; the exploration's is the bound (every model it stores is distinct).
* **rendering a 1,000-row view**: ``render_html`` against the standard library's
  ``xml.etree.ElementTree.tostring(method="html")`` on the same tree (built beforehand
  for both); the outputs are checked to parse to the same tree.
* **one change in a 1,000-row view, in the widget renderer**: patching the live widgets
  by diffing the virtual trees, against building every widget again (a full redraw).

Run with the harness (``make bench``) or alone: ``python benchmarks/mvu/bench_mvu.py``.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fmlab.mvu import App, Element, Node, Text, WidgetTree, explore, h, parse_html, render_html
from fmlab.mvu.examples import todo
from harness import Case

SUITE = "mvu"
MODELS = 3_000
ROWS = 1_000
EXPLORE = f"todo app, {MODELS:,} models"
RENDER = f"render a {ROWS:,}-row view"
PATCH = f"one change in a {ROWS:,}-row view (widgets)"


# --- exploration ------------------------------------------------------------------------


def _explore() -> str:
    started = time.perf_counter()
    found = explore(App.from_module(todo), max_states=MODELS)
    rate = len(found) / (time.perf_counter() - started)
    return f"{len(found):,} distinct models ({rate:,.0f}/s)"


def _explore_seconds() -> float:
    samples = []
    for _ in range(3):
        started = time.perf_counter()
        _explore()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _hypothesis_for(budget: float) -> Any:
    """Random clicking with Hypothesis' stateful testing for ``budget`` seconds."""
    from hypothesis import HealthCheck, Phase, settings
    from hypothesis import strategies as st
    from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test

    app = App.from_module(todo)
    seen: set[Any] = set()

    class ClickAround(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.model = app.init_model()
            seen.add(self.model)

        @rule(data=st.data())
        def click(self, data: st.DataObject) -> None:
            handler = data.draw(st.sampled_from(app.offered(self.model)))
            self.model = app.next_model(self.model, handler.message)
            seen.add(self.model)

    batch = settings(
        max_examples=20,
        stateful_step_count=50,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )

    def run() -> str:
        seen.clear()
        started = time.perf_counter()
        while time.perf_counter() < started + budget:
            run_state_machine_as_test(ClickAround, settings=batch)
        rate = len(seen) / (time.perf_counter() - started)
        return f"{len(seen):,} distinct models ({rate:,.0f}/s)"

    return run


# --- rendering --------------------------------------------------------------------------


def _rows_view(values: tuple[int, ...]) -> Element:
    rows = [
        h(
            "tr",
            {"class": "odd" if index % 2 else "even"},
            [h("td", {}, [f"row {index}"]), h("td", {"title": f"value {value}"}, [str(value)])],
        )
        for index, value in enumerate(values)
    ]
    return h("table", {"class": "rows"}, [h("tbody", {}, rows)])


def _as_etree(node: Node) -> ElementTree.Element:
    assert isinstance(node, Element)
    element = ElementTree.Element(node.tag, {k: str(v) for k, v in node.attrs})
    last: ElementTree.Element | None = None
    for child in node.children:
        if isinstance(child, Text):
            if last is None:
                element.text = (element.text or "") + child.text
            else:
                last.tail = (last.tail or "") + child.text
        else:
            last = _as_etree(child)
            element.append(last)
    return element


# --- widgets ----------------------------------------------------------------------------


def _button_rows(values: tuple[int, ...]) -> Element:
    rows = [
        h("li", {}, [f"row {i}: {v}", h("button", {"on_click": ("bump", i)}, ["+1"])])
        for i, v in enumerate(values)
    ]
    return h("ul", {}, rows)


class _Flip:
    """Alternates between two views that differ in one row, so every run is a change."""

    def __init__(self, patch: bool) -> None:
        values = tuple(range(ROWS))
        self.views = (_button_rows(values), _button_rows((*values[:500], -1, *values[501:])))
        self.tree = WidgetTree(self.views[0], lambda message: None)
        self.patch = patch
        self.turn = 0

    def __call__(self) -> str:
        self.turn += 1
        view = self.views[self.turn % 2]
        built, updates = self.tree.stats.widgets_created, self.tree.stats.updates
        if self.patch:
            self.tree.update(view)
        else:
            self.tree.redraw(view)
        built = self.tree.stats.widgets_created - built
        updates = self.tree.stats.updates - updates
        return f"{built:,} widgets built, {updates:,} updated"


def cases() -> list[Case]:
    budget = _explore_seconds()
    explored = [
        Case(
            SUITE,
            EXPLORE,
            "fmlab.mvu explore (BFS via fmlab.mc)",
            _explore,
            baseline=True,
            repeat=3,
            params={"models": MODELS},
        ),
        Case(
            SUITE,
            EXPLORE,
            "Hypothesis RuleBasedStateMachine, same time",
            _hypothesis_for(budget),
            repeat=3,
            params={"models": MODELS},
        ),
    ]
    values = tuple(range(ROWS))
    view = _rows_view(values)
    tree = _as_etree(view)
    same = (
        parse_html(render_html(view)).nodes
        == parse_html(ElementTree.tostring(tree, encoding="unicode", method="html")).nodes
    )
    assert same, "the two renderers disagree on the 1,000-row view"
    rendered = [
        Case(
            SUITE,
            RENDER,
            "fmlab.mvu render_html",
            lambda: len(render_html(view)),
            baseline=True,
            repeat=20,
            params={"rows": ROWS},
        ),
        Case(
            SUITE,
            RENDER,
            "ElementTree.tostring(method='html')",
            lambda: len(ElementTree.tostring(tree, encoding="unicode", method="html")),
            repeat=20,
            params={"rows": ROWS},
        ),
        Case(
            SUITE,
            f"build a {ROWS:,}-row view with h",
            "fmlab.mvu h",
            lambda: len(_rows_view(values).children[0].children),
            repeat=20,  # type: ignore[union-attr]
            params={"rows": ROWS},
        ),
    ]
    patched = [
        Case(
            SUITE,
            PATCH,
            "full redraw (every widget built again)",
            _Flip(patch=False),
            baseline=True,
            repeat=3,
            params={"rows": ROWS},
        ),
        Case(SUITE, PATCH, "diff and patch", _Flip(patch=True), repeat=20, params={"rows": ROWS}),
    ]
    return [*explored, *rendered, *patched]


if __name__ == "__main__":
    from harness import comparisons, measure

    measured = [measure(case) for case in cases()]
    for item in measured:
        print(f"{item.name:<45} {item.contender:<45} {item.median_s:10.5f} s  {item.answer}")
    print(json.dumps(comparisons(measured), indent=1))
