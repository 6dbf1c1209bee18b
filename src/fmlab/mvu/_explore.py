"""Exploring an app: every model a user can reach by clicking what the view offers.

The app becomes a transition system for :mod:`fmlab.mc`: the states are models, and the
transitions from a model are the messages its view offers (enabled ``on_<event>``
handlers, and the sample texts of typed inputs), each labelled with the message. The
search is :func:`fmlab.mc.explore`'s breadth-first search, so the messages leading to
any model are a shortest sequence, and bounds (models, depth, seconds) stop it with what
it reached.

>>> from fmlab.mvu import App
>>> from fmlab.mvu.examples import counter
>>> found = explore(App.from_module(counter))
>>> len(found), found.complete
(6, True)
>>> found.messages_to(counter.Model(2))
(Increment(), Increment())
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import Any

from fmlab.core.result import UnknownReason
from fmlab.mc import Model as McModel
from fmlab.mc import ModelError, StateSpace
from fmlab.mc import explore as mc_explore
from fmlab.mvu._app import App, AppError, Message

DEFAULT_MAX_STATES = 5_000
"""Models an exploration stores unless told otherwise."""


def as_model(app: App) -> McModel:
    """``app`` as an :mod:`fmlab.mc` model: models are states, messages are actions.

    Each distinct message the view offers is one transition, however many handlers send
    it. The app's ``inv_*`` functions are the model's invariants; a model whose view
    offers nothing is a proper end, not a deadlock.
    """

    def init() -> list[Hashable]:
        return [app.init_model()]

    def next_models(model: Hashable) -> Iterator[tuple[Hashable, Hashable]]:
        seen: set[Hashable] = set()
        for handler in app.offered(model):
            if handler.message in seen:
                continue
            seen.add(handler.message)
            yield handler.message, app.next_model(model, handler.message)

    return McModel(
        init=init,
        next=next_models,
        invariants=dict(app.invariants),
        terminal=lambda _model: True,
        name=app.name,
        source=app.source,
    )


class Exploration:
    """The models reachable from ``init()`` within the bounds, nearest first."""

    def __init__(self, app: App, space: StateSpace) -> None:
        self.app = app
        self.space = space

    @property
    def models(self) -> tuple[Hashable, ...]:
        """Every model found, in breadth-first order (the first is ``init()``)."""
        return tuple(self.space.states)

    @property
    def complete(self) -> bool:
        """Whether every reachable model was found (no bound stopped the search)."""
        return self.space.complete

    @property
    def stop_reason(self) -> UnknownReason | None:
        return self.space.stop_reason

    @property
    def stop_detail(self) -> str:
        return self.space.stop_detail

    @property
    def transitions(self) -> int:
        return self.space.transitions

    @property
    def seconds(self) -> float:
        return self.space.seconds

    def __len__(self) -> int:
        return len(self.space)

    def __contains__(self, model: object) -> bool:
        return model in self.space

    def bound(self) -> str:
        """What the search covered, in words."""
        if self.complete:
            return f"all {len(self):,} reachable models explored"
        return f"{len(self):,} models explored, not exhaustive ({self.stop_detail})"

    def messages_to(self, model: Hashable) -> tuple[Message, ...]:
        """A shortest message sequence from ``init()`` to ``model``, replayed through update.

        Raises ``ValueError`` when sending the messages does not reach ``model``.
        """
        trace = self.space.trace_to(model)
        messages = tuple(step.action for step in trace.steps[1:])
        if self.app.run(messages)[-1] != model:
            raise ValueError(f"replaying {messages!r} through update did not reach {model!r}")
        return messages

    def find(self, predicate: Callable[[Any], bool]) -> tuple[Message, ...] | None:
        """The shortest messages to a model satisfying ``predicate`` (``None``: none found)."""
        for model in self.space.states:
            if predicate(model):
                return self.messages_to(model)
        return None

    def edges(self) -> Iterator[tuple[Hashable, Message, Hashable]]:
        """Every explored transition: ``(model, message, next_model)``."""
        for edge in self.space.edges():
            yield edge.source, edge.action, edge.target

    def draw(
        self,
        *,
        messages: tuple[Message, ...] | None = None,
        label: Callable[[Any], str] | None = None,
        title: str | None = None,
        max_states: int = 60,
    ) -> Any:
        """The graph of models and messages (small apps), with ``messages``' path in blue."""
        highlight = None
        if messages is not None:
            target = self.app.run(messages)[-1]
            highlight = self.space.trace_to(target)
        return self.space.draw(
            highlight=highlight, label=label, title=title or self.app.name, max_states=max_states
        )

    def __repr__(self) -> str:
        return f"<exploration of {self.app.name}: {self.bound()}>"


def explore(
    app: App,
    *,
    max_states: int | None = DEFAULT_MAX_STATES,
    max_depth: int | None = None,
    timeout: float | None = None,
) -> Exploration:
    """Explore ``app`` breadth-first through :func:`fmlab.mc.explore`, within the bounds.

    Raises :class:`~fmlab.mvu.AppError` when the app's own code fails on the way.
    """
    model = as_model(app)
    try:
        space = mc_explore(model, max_states=max_states, max_depth=max_depth, timeout=timeout)
    except ModelError as error:
        # fmlab.mc locates errors itself; when the app's code raised an AppError, that
        # one already names the app's file and line, so it is the one the user sees.
        original = error.__context__
        if isinstance(original, AppError):
            raise original from None
        # Anything else was raised by fmlab.mvu's own code between the app's calls (every
        # call into the app is located by App): a bug here, not bad input, so it must not
        # be reported under the app's file.
        raise RuntimeError(f"fmlab.mvu failed while exploring {app.name}: {error}") from error
    return Exploration(app, space)
