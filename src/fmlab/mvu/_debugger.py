"""The time-travelling debugger: every message and model of a session, stepped through.

Because ``update`` is pure, a session is fully described by its messages: the models
follow by replaying them from ``init()``. :class:`Debugger` records each message with
the model it led to, the effects ``update`` asked for and the invariants the model
breaks, and keeps a cursor that moves backwards and forwards, jumps to the first model
that breaks an invariant, or replays a counterexample. Sending a message while looking
at the past drops the steps after the cursor (the session branches there).

The same recording is shown three ways: as text (``repr``), as a widget in a live kernel
(:meth:`Debugger.widget`) and as a page with every step pre-rendered, for the published
site (:meth:`Debugger.to_static_html`).

>>> from fmlab.mvu import App
>>> from fmlab.mvu.examples import leaky_counter as app
>>> debugger = Debugger(App.from_module(app), [app.Increment(), app.Decrement(),
...                                            app.Decrement(), app.Increment()])
>>> debugger.jump_to_violation().index, debugger.model
(3, Model(count=-1))
>>> debugger.back().model
Model(count=0)
>>> print(debugger)
leaky_counter: 5 steps, at step 2
    0  init                 Model(count=0)
    1  Increment()          Model(count=1)
  > 2  Decrement()          Model(count=0)
    3  Decrement()          Model(count=-1)   breaks inv_not_negative
    4  Increment()          Model(count=0)
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from fmlab.mvu._app import App, Message
from fmlab.mvu._html import render_html
from fmlab.mvu._nodes import Node
from fmlab.mvu._text import LINE_WIDTH


@dataclass(frozen=True)
class Entry:
    """Step ``index`` of a session: the message sent (``None`` for ``init()``) and after it."""

    index: int
    message: Message | None
    model: Hashable
    effects: tuple[Hashable, ...]
    broken: tuple[str, ...]
    """The invariants this model breaks."""

    def line(self, digits: int = 1) -> str:
        """``3  Decrement()   Model(count=-1)   breaks inv_not_negative``."""
        sent = "init" if self.message is None else repr(self.message)
        text = f"{self.index:>{digits}}  {sent:<20} {self.model!r}"
        if self.broken:
            text += "   breaks " + ", ".join(self.broken)
        return text


class Debugger:
    """A recorded session of ``app`` with a cursor (see the module docstring)."""

    def __init__(self, app: App, messages: Iterable[Message] = ()) -> None:
        self.app = app
        first = app.init_model()
        self._entries = [Entry(0, None, first, (), app.broken_invariants(first))]
        self._cursor = 0
        for message in messages:
            self.dispatch(message)

    # --- recording -----------------------------------------------------------------------

    def dispatch(self, message: Message) -> Entry:
        """Send ``message`` to the model at the cursor and record the step.

        Steps after the cursor are dropped first, so the session continues from the
        model being looked at.
        """
        del self._entries[self._cursor + 1 :]
        transition = self.app.step(self.model, message)
        entry = Entry(
            len(self._entries),
            message,
            transition.model,
            transition.effects,
            self.app.broken_invariants(transition.model),
        )
        self._entries.append(entry)
        self._cursor = entry.index
        return entry

    @classmethod
    def replay(cls, app: App, messages: Sequence[Message]) -> Debugger:
        """A session of ``messages`` (a counterexample, say), at its first violation if any."""
        debugger = cls(app, messages)
        if debugger.first_violation() is not None:
            debugger.jump_to_violation()
        return debugger

    # --- moving --------------------------------------------------------------------------

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(self._entries)

    @property
    def messages(self) -> tuple[Message, ...]:
        """Every message of the session (the session can be rebuilt from these alone)."""
        return tuple(entry.message for entry in self._entries[1:] if entry.message is not None)

    @property
    def cursor(self) -> int:
        return self._cursor

    @property
    def current(self) -> Entry:
        return self._entries[self._cursor]

    @property
    def model(self) -> Hashable:
        return self.current.model

    def goto(self, index: int) -> Entry:
        """Move the cursor to step ``index`` (negative counts from the end)."""
        if not -len(self._entries) <= index < len(self._entries):
            raise IndexError(f"step {index} out of 0..{len(self._entries) - 1}")
        self._cursor = index % len(self._entries)
        return self.current

    def back(self, steps: int = 1) -> Entry:
        return self.goto(max(0, self._cursor - steps))

    def forward(self, steps: int = 1) -> Entry:
        return self.goto(min(len(self._entries) - 1, self._cursor + steps))

    def first_violation(self) -> Entry | None:
        return next((entry for entry in self._entries if entry.broken), None)

    def jump_to_violation(self) -> Entry:
        """Move to the first model that breaks an invariant (``ValueError`` if none does)."""
        entry = self.first_violation()
        if entry is None:
            raise ValueError("no step of this session breaks an invariant")
        return self.goto(entry.index)

    # --- showing -------------------------------------------------------------------------

    def view(self, index: int | None = None) -> Node:
        """The view of the model at step ``index`` (default: the cursor)."""
        entry = self.current if index is None else self._entries[index]
        return self.app.render(entry.model)

    def html(self, index: int | None = None) -> str:
        return render_html(self.view(index))

    def lines(self, width: int = LINE_WIDTH) -> list[str]:
        out = [f"{self.app.name}: {len(self._entries)} steps, at step {self._cursor}"]
        digits = len(str(len(self._entries) - 1))
        for entry in self._entries:
            mark = "  > " if entry.index == self._cursor else "    "
            line = mark + entry.line(digits)
            out.append(line if len(line) <= width else line[: width - 3] + "...")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def __repr__(self) -> str:
        return f"<Debugger {self.app.name}: {len(self._entries)} steps, at {self._cursor}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def widget(self) -> Any:
        """The debugger as ipywidgets: the live view, back/forward, a step field, the model."""
        # Through the package face: _widgets imports this module.
        from fmlab.mvu import debugger_widget

        return debugger_widget(self)

    def to_static_html(self) -> Any:
        """Every step pre-rendered, with buttons to step through them, for a static page."""
        from fmlab.mvu import static_debugger

        return static_debugger(self)
