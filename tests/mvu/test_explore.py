"""Exploration through fmlab.mc, against a plain breadth-first search written here."""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable

import pytest

from fmlab.mvu import App, AppError, explore, load_app
from fmlab.mvu.examples import counter, form, path, todo
from tests.mvu.test_app import DATA


def plain_bfs(app: App, limit: int = 100_000) -> dict[Hashable, int]:
    """Every reachable model with its distance, by clicking every enabled handler."""
    first = app.init_model()
    depth = {first: 0}
    queue = deque([first])
    while queue and len(depth) < limit:
        model = queue.popleft()
        for handler in app.offered(model):
            following = app.next_model(model, handler.message)
            if following not in depth:
                depth[following] = depth[model] + 1
                queue.append(following)
    return depth


@pytest.mark.parametrize("module", [counter, form])
def test_the_reachable_models_are_those_a_plain_search_finds(module: object) -> None:
    app = App.from_module(module)  # type: ignore[arg-type]
    found = explore(app)
    reference = plain_bfs(app)
    assert found.complete
    assert set(found.models) == set(reference)
    for model in found.models:
        assert len(found.messages_to(model)) == reference[model]


def test_counter_has_six_models() -> None:
    found = explore(App.from_module(counter))
    assert [model.count for model in found.models] == [0, 1, 2, 3, 4, 5]
    assert found.messages_to(counter.Model(3)) == (counter.Increment(),) * 3
    assert set(found.edges()) >= {
        (counter.Model(0), counter.Increment(), counter.Model(1)),
        (counter.Model(5), counter.Reset(), counter.Model(0)),
    }


def test_a_bound_stops_the_search_and_says_so() -> None:
    found = explore(App.from_module(todo), max_states=300)
    assert len(found) == 300
    assert not found.complete
    assert "300" in found.bound()


def test_messages_sent_by_several_handlers_are_one_transition() -> None:
    app = App.from_module(todo)
    found = explore(app, max_states=50)
    first = app.init_model()
    labels = [message for source, message, _ in found.edges() if source == first]
    assert len(labels) == len(set(labels))


def test_find_gives_the_shortest_messages() -> None:
    found = explore(App.from_module(todo), max_states=2000)
    messages = found.find(lambda model: len(model.entries) == 2)
    assert messages == (todo.SetField("milk"), todo.Add(), todo.SetField("milk"), todo.Add())


def test_an_exception_in_update_names_the_app_file_and_line() -> None:
    with pytest.raises(AppError, match=r"update_raises.py:16: update"):
        explore(load_app(DATA / "update_raises.py"))


def test_a_failure_of_the_library_itself_is_not_blamed_on_the_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(self: App, model: Hashable) -> list[object]:
        raise KeyError("a bug in fmlab.mvu")

    monkeypatch.setattr(App, "offered", broken)
    with pytest.raises(RuntimeError, match=r"fmlab\.mvu failed while exploring counter"):
        explore(load_app(path("counter")))


def test_the_state_graph_of_a_small_app_draws() -> None:
    drawing = explore(load_app(path("counter"))).draw(messages=(counter.Increment(),))
    assert "Increment()" in drawing.source
