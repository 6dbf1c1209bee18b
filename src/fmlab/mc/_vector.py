"""The fast path: models over small integer variables, explored a whole level at a time.

A :class:`VectorModel` names its variables with their domain sizes (variable ``x`` of
size 10 takes the values 0..9) and its actions as guarded assignments written once for
whole arrays of states:

>>> from fmlab.mc import check
>>> counter = VectorModel(
...     variables={"x": 4, "y": 4},
...     init=[{"x": 0, "y": 0}],
...     actions=[
...         VectorAction("incx", guard=lambda v: v["x"] < 3, update=lambda v: {"x": v["x"] + 1}),
...         VectorAction("incy", guard=lambda v: v["y"] < 3, update=lambda v: {"y": v["y"] + 1}),
...     ],
...     invariants={"inv_sum": lambda v: v["x"] + v["y"] < 6},
... )
>>> report = check(counter)
>>> report.states, report["inv_sum"].status.value, len(report["inv_sum"].trace)
(16, 'violated', 6)

``guard(v)`` and ``update(v)`` receive the variables as arrays (``v["x"]`` or ``v.x``) and
must use operators and numpy functions that also work on plain integers, because the
same functions run one state at a time in :meth:`VectorModel.to_plain_model` (the plain
path, used to replay every counterexample and for the checks the fast path does not do:
liveness, trace inclusion, drawings). ``update`` returns the variables it assigns.

The search packs each state into one integer (the variables are digits of a mixed-radix
number), expands a whole breadth-first level with numpy, and remembers, per state, the
state it was first reached from and by which action, so counterexamples are still
shortest traces. Small code spaces (at most :data:`DENSE_CODES` codes) use dense tables
indexed by code, about 5 bytes per possible state; larger ones keep a sorted array of
the codes seen and per-level records, about 21 bytes per reached state.
"""

from __future__ import annotations

import collections
import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from fmlab.core.result import Proved, UnknownReason, refute
from fmlab.mc._bounds import DEFAULT_MAX_STATES, Bounds, OutOfTimeError, alarm_backstop
from fmlab.mc._check import REPLAYED_BY
from fmlab.mc._model import MODEL_FAULTS, Model, ModelError, definition_line
from fmlab.mc._report import PropertyKind, PropertyResult, Report
from fmlab.mc._search import replay_path
from fmlab.mc._trace import Step, Trace

Codes = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
VectorFunction = Callable[[Any], Any]

DENSE_CODES = 1 << 25
"""Code spaces up to this size get dense per-code tables (at most 160 MiB, committed
lazily by the operating system as states are reached)."""

_MAX_CODES = 1 << 62
_MAX_ACTIONS = 32_000  # action numbers are stored in 16 bits per state


class Columns(Mapping[str, Any]):
    """The variables of a batch of states, decoded from their codes on first use."""

    def __init__(self, codes: Codes, layout: _Layout) -> None:
        self._codes = codes
        self._layout = layout
        self._cache: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        column = self._cache.get(name)
        if column is None:
            position = self._layout.positions.get(name)
            if position is None:
                raise KeyError(
                    f"no variable {name!r} (the model has {', '.join(self._layout.names)})"
                )
            column = (self._codes // self._layout.strides[position]) % self._layout.sizes[position]
            self._cache[name] = column
        return column

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError as error:
            raise AttributeError(str(error)) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._layout.names)

    def __len__(self) -> int:
        return len(self._layout.names)


class Scalars(Mapping[str, int]):
    """One state's variables (``v["x"]`` or ``v.x``), for the plain view."""

    def __init__(self, values: Mapping[str, int]) -> None:
        self._values = values

    def __getitem__(self, name: str) -> int:
        return self._values[name]

    def __getattr__(self, name: str) -> int:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"no variable {name!r}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


@dataclass(frozen=True)
class VectorAction:
    """A guarded assignment: enabled where ``guard(v)`` holds (``None``: always), it sets
    the variables ``update(v)`` returns. ``name`` is the transition label."""

    name: str
    guard: VectorFunction | None
    update: VectorFunction


@dataclass(frozen=True)
class _Layout:
    names: tuple[str, ...]
    sizes: tuple[int, ...]
    strides: tuple[int, ...]
    positions: Mapping[str, int]
    total: int

    def encode(self, values: Mapping[str, int]) -> int:
        return sum(int(values.get(n, 0)) * s for n, s in zip(self.names, self.strides, strict=True))

    def decode(self, code: int) -> tuple[int, ...]:
        return tuple((code // s) % d for s, d in zip(self.strides, self.sizes, strict=True))


@dataclass(frozen=True)
class VectorModel:
    """A model over integer variables with vectorised guarded assignments (the fast path).

    ``variables`` maps each name to its domain size; ``init`` lists initial valuations
    (variables left out start at 0); ``invariants`` map names to vectorised predicates;
    ``terminal`` (vectorised) accepts states without successors as proper ends.
    """

    variables: Mapping[str, int]
    init: Sequence[Mapping[str, int]]
    actions: Sequence[VectorAction]
    invariants: Mapping[str, VectorFunction] = field(default_factory=dict)
    terminal: VectorFunction | None = None
    name: str = "vector model"
    source: str | None = None

    def __post_init__(self) -> None:
        if not self.variables:
            raise ModelError("a VectorModel needs at least one variable", source=self.where())
        for variable, size in self.variables.items():
            if not isinstance(size, int) or size < 1:
                raise ModelError(
                    f"variable {variable!r} needs a domain size >= 1, got {size!r}",
                    source=self.where(),
                )
        if math.prod(self.variables.values()) > _MAX_CODES:
            raise ModelError(
                "the variables' domains multiply to more than 2**62 states, too many to "
                "pack into one integer; use the plain convention",
                source=self.where(),
            )
        if len(self.actions) > _MAX_ACTIONS:
            raise ModelError(
                f"a VectorModel has at most {_MAX_ACTIONS:,} actions, got {len(self.actions):,}",
                source=self.where(),
            )
        if not self.init:
            raise ModelError(
                "a VectorModel needs at least one initial valuation", source=self.where()
            )
        for index, valuation in enumerate(self.init):
            for variable, value in valuation.items():
                if variable not in self.variables:
                    raise ModelError(
                        f"init[{index}] names unknown variable {variable!r} "
                        f"(the model has {', '.join(self.variables)})",
                        source=self.where(),
                    )
                size = self.variables[variable]
                if not (isinstance(value, int) and 0 <= value < size):
                    raise ModelError(
                        f"init[{index}] sets {variable} to {value!r}, outside 0..{size - 1}",
                        source=self.where(),
                    )

    def where(self) -> str:
        return self.source or self.name

    def _layout(self) -> _Layout:
        names = tuple(self.variables)
        sizes = tuple(self.variables[n] for n in names)
        strides = tuple(math.prod(sizes[:i]) for i in range(len(sizes)))
        return _Layout(names, sizes, strides, {n: i for i, n in enumerate(names)}, math.prod(sizes))

    def state_type(self) -> type[Any]:
        """The named tuple the plain view uses for states (fields: the variables)."""
        return _state_type(tuple(self.variables))

    def to_plain_model(self) -> Model:
        """The same model in the plain convention, one state at a time (a named tuple).

        It evaluates the same guard and update functions on plain integers.
        """
        layout = self._layout()
        state_type = self.state_type()
        actions = tuple(self.actions)
        where = self.where()

        def init() -> list[Any]:
            states = []
            for valuation in self.init:
                unknown = set(valuation) - set(layout.names)
                if unknown:
                    raise ModelError(
                        f"init names unknown variables {sorted(unknown)}", source=where
                    )
                states.append(state_type(*(int(valuation.get(n, 0)) for n in layout.names)))
            return states

        def next_states(state: Any) -> Iterator[tuple[str, Any]]:
            values = Scalars(dict(zip(layout.names, state, strict=True)))
            for action in actions:
                if action.guard is not None and not bool(
                    _truth(self, f"the guard of {action.name}", action.guard, values)
                ):
                    continue
                assigned = action.update(values)
                updated = dict(zip(layout.names, state, strict=True))
                for variable, value in assigned.items():
                    if variable not in layout.positions:
                        raise ModelError(
                            f"action {action.name} assigns unknown variable {variable!r}",
                            source=where,
                            line=definition_line(action.update),
                        )
                    updated[variable] = int(value)
                    size = layout.sizes[layout.positions[variable]]
                    if not 0 <= updated[variable] < size:
                        raise ModelError(
                            f"action {action.name} sets {variable} to {updated[variable]}, "
                            f"outside 0..{size - 1}",
                            source=where,
                            line=definition_line(action.update),
                        )
                yield action.name, state_type(*(updated[n] for n in layout.names))

        def scalar(what: str, function: VectorFunction) -> Callable[[Any], bool]:
            return lambda state: bool(
                _truth(self, what, function, Scalars(dict(zip(layout.names, state, strict=True))))
            )

        return Model(
            init=init,
            next=next_states,
            invariants={name: scalar(f"{name}(v)", f) for name, f in self.invariants.items()},
            terminal=None if self.terminal is None else scalar("terminal(v)", self.terminal),
            name=self.name,
            source=self.source,
            code=self.user_functions(),
        )

    def user_functions(self) -> tuple[VectorFunction, ...]:
        """The functions the model's author wrote (errors in them are located there)."""
        functions: list[VectorFunction] = [*self.invariants.values()]
        for action in self.actions:
            functions += [action.update] if action.guard is None else [action.guard, action.update]
        if self.terminal is not None:
            functions.append(self.terminal)
        return tuple(functions)

    def check_with_bounds(
        self,
        *,
        max_states: int | None = DEFAULT_MAX_STATES,
        max_depth: int | None = None,
        timeout: float | None = None,
    ) -> Report:
        """:func:`fmlab.mc.check` for this model, on the fast path."""
        return check_vector(self, Bounds(max_states, max_depth, timeout))


_STATE_TYPES: dict[tuple[str, ...], type[Any]] = {}


def _state_type(names: tuple[str, ...]) -> type[Any]:
    known = _STATE_TYPES.get(names)
    if known is not None:
        return known
    made: type[Any] = tuple
    if all(n.isidentifier() and not n.startswith("_") for n in names):
        made = collections.namedtuple("State", names)  # type: ignore[misc,no-redef]
    _STATE_TYPES[names] = made
    return made


@dataclass
class _Outcome:
    states: int = 0
    transitions: int = 0
    complete: bool = False
    stop_reason: UnknownReason | None = None
    stop_detail: str = ""
    seconds: float = 0.0


class _DenseStore:
    """Parent links in tables indexed by code: 0 unseen, 1 initial, else parent + 2."""

    def __init__(self, total: int) -> None:
        self.parent = np.zeros(total, dtype=np.int32 if total < 2**31 - 2 else np.int64)
        self.action = np.zeros(total, dtype=np.int16)

    def unseen(self, codes: Codes) -> Mask:
        result: Mask = self.parent[codes] == 0
        return result

    def add_initial(self, codes: Codes) -> None:
        self.parent[codes] = 1

    def begin_level(self) -> None:
        pass

    def offer(self, codes: Codes, parents: Codes, actions: npt.NDArray[np.int16]) -> Codes:
        """Record the first parent of each unseen code; return the distinct new codes."""
        # Several candidates may reach the same code: tag each slot with a candidate's
        # (negative) position, then keep the candidates whose tag survived.
        tags = -(np.arange(len(codes), dtype=self.parent.dtype) + 1)
        self.parent[codes] = tags
        winners = self.parent[codes] == tags
        fresh: Codes = codes[winners]
        self.parent[fresh] = parents[winners] + 2
        self.action[fresh] = actions[winners]
        return fresh

    def end_level(self) -> None:
        pass

    def path(self, code: int) -> list[tuple[int, int]]:
        steps = []
        while True:
            link = int(self.parent[code])
            if link == 1:
                steps.append((-1, code))
                break
            steps.append((int(self.action[code]), code))
            code = link - 2
        steps.reverse()
        return steps


class _SparseStore:
    """A sorted array of the codes seen, plus per-level records (code, parent, action),
    each sorted by code. Codes found during a level are kept apart (and checked against
    too) until the level ends, when they are merged in once."""

    def __init__(self) -> None:
        self.seen: Codes = np.empty(0, dtype=np.int64)
        self.levels: list[tuple[Codes, Codes, npt.NDArray[np.int16]]] = []
        self._pending: list[tuple[Codes, Codes, npt.NDArray[np.int16]]] = []
        self._level_seen: Codes = np.empty(0, dtype=np.int64)

    @staticmethod
    def _absent(sorted_codes: Codes, codes: Codes) -> Mask:
        if not len(sorted_codes):
            return np.ones(len(codes), dtype=bool)
        positions = np.searchsorted(sorted_codes, codes)
        positions[positions == len(sorted_codes)] = 0
        result: Mask = sorted_codes[positions] != codes
        return result

    def unseen(self, codes: Codes) -> Mask:
        return self._absent(self.seen, codes)

    def add_initial(self, codes: Codes) -> None:
        codes = np.unique(codes)
        minus_one = np.full(len(codes), -1, dtype=np.int64)
        self.levels.append((codes, minus_one, np.full(len(codes), -1, dtype=np.int16)))
        self.seen = codes

    def begin_level(self) -> None:
        self._pending = []
        self._level_seen = np.empty(0, dtype=np.int64)

    def offer(self, codes: Codes, parents: Codes, actions: npt.NDArray[np.int16]) -> Codes:
        fresh, first = np.unique(codes, return_index=True)
        new_here = self._absent(self._level_seen, fresh)
        fresh, first = fresh[new_here], first[new_here]
        self._pending.append((fresh, parents[first], actions[first]))
        merged = np.concatenate([self._level_seen, fresh])
        merged.sort(kind="stable")
        self._level_seen = merged
        result: Codes = fresh
        return result

    def end_level(self) -> None:
        if not self._pending:
            return
        codes = np.concatenate([p[0] for p in self._pending])
        order = np.argsort(codes, kind="stable")
        parents = np.concatenate([p[1] for p in self._pending])[order]
        actions = np.concatenate([p[2] for p in self._pending])[order]
        codes = codes[order]
        self.levels.append((codes, parents, actions))
        merged = np.concatenate([self.seen, codes])
        merged.sort(kind="stable")
        self.seen = merged
        self._pending = []
        self._level_seen = np.empty(0, dtype=np.int64)

    def path(self, code: int) -> list[tuple[int, int]]:
        steps = []
        for codes, parents, actions in reversed(self.levels):
            position = int(np.searchsorted(codes, code))
            if position < len(codes) and codes[position] == code:
                parent = int(parents[position])
                steps.append((int(actions[position]), code))
                if parent < 0:
                    break
                code = parent
        steps.reverse()
        return steps


def check_vector(model: VectorModel, bounds: Bounds) -> Report:
    """Check a :class:`VectorModel`'s invariants and deadlock on the fast path."""
    plain = model.to_plain_model()
    layout = model._layout()
    started = time.perf_counter()
    store: _DenseStore | _SparseStore = (
        _DenseStore(layout.total) if layout.total <= DENSE_CODES else _SparseStore()
    )
    outcome = _Outcome()
    found_codes: dict[str, int] = {}
    deadlock_code: int | None = None
    try:
        # Division by zero and invalid operations raise on arrays as they do on plain
        # integers, so both paths reject the same models (numpy would only warn).
        with alarm_backstop(bounds.timeout), np.errstate(divide="raise", invalid="raise"):
            deadlock_code = _explore(model, layout, store, bounds, started, outcome, found_codes)
    except OutOfTimeError:
        outcome.stop_reason = UnknownReason.TIMEOUT
        outcome.stop_detail = f"time budget of {bounds.timeout:g} s used up"
    except ModelError:
        raise
    except MODEL_FAULTS as error:
        from fmlab.mc._search import _model_error

        raise _model_error(plain, error) from None
    outcome.seconds = time.perf_counter() - started
    counts = f"{outcome.states:,} states, {outcome.transitions:,} transitions explored"
    state_type = model.state_type()
    labels = [action.name for action in model.actions]

    def trace_of(code: int) -> Trace:
        steps = []
        for action, step_code in store.path(code):
            state = state_type(*layout.decode(step_code))
            steps.append(Step(None if action < 0 else labels[action], state))
        return Trace(tuple(steps))

    def unknown(claim: str) -> Any:
        from fmlab.core.result import Unknown

        detail = f"{outcome.stop_detail or 'search incomplete'}: {counts}"
        return Unknown(claim, outcome.stop_reason or UnknownReason.INCOMPLETE, detail)

    properties = []
    for name in model.invariants:
        claim = f"{name} holds in every reachable state"
        predicate = plain.invariants[name]
        if name in found_codes:

            def replay(witness: Trace, predicate: Callable[[Any], bool] = predicate) -> bool:
                steps = [(s.action, s.state) for s in witness.steps]
                return replay_path(plain, steps) and not predicate(witness.steps[-1].state)

            result: Any = refute(
                claim, trace_of(found_codes[name]), replay=replay, replayed_by=REPLAYED_BY
            )
        elif outcome.complete:
            result = Proved(claim, f"{counts}, exhaustive")
        else:
            result = unknown(claim)
        properties.append(PropertyResult(name, PropertyKind.INVARIANT, result))
    claim = "every reachable state has a successor or is terminal"
    if deadlock_code is not None:

        def replay_deadlock(witness: Trace) -> bool:
            steps = [(s.action, s.state) for s in witness.steps]
            last = witness.steps[-1].state
            accepted = plain.terminal is not None and plain.terminal(last)
            return replay_path(plain, steps) and not list(plain.next(last)) and not accepted

        result = refute(
            claim, trace_of(deadlock_code), replay=replay_deadlock, replayed_by=REPLAYED_BY
        )
    elif outcome.complete:
        result = Proved(claim, f"{counts}, exhaustive")
    else:
        result = unknown(claim)
    properties.append(PropertyResult("deadlock", PropertyKind.DEADLOCK, result))
    return Report(
        model=model.where(),
        states=outcome.states,
        transitions=outcome.transitions,
        seconds=outcome.seconds,
        complete=outcome.complete,
        properties=tuple(properties),
    )


def _no_verdict(model: VectorModel, what: str, function: VectorFunction) -> ModelError:
    # Read as False, a forgotten ``return`` would disable an action or break an invariant
    # without a word.
    return ModelError(
        f"{what} returned None (a missing return?); it returns booleans",
        source=model.where(),
        line=definition_line(function),
    )


def _truth(model: VectorModel, what: str, function: VectorFunction, values: Any) -> Any:
    """``function(values)``, refused when it is None."""
    result = function(values)
    if result is None:
        raise _no_verdict(model, what, function)
    return result


def _as_mask(value: Any, count: int) -> Mask:
    array = np.asarray(value, dtype=bool)
    if array.shape == ():
        return np.full(count, bool(array))
    return array


_CHUNK = 1 << 17
"""At most this many states are expanded together, so that a level's temporary arrays
stay bounded without costing numpy its batch speed."""
_CANDIDATES = 1 << 22
"""A chunk is also kept to about this many candidate steps (chunk x actions)."""


@dataclass
class _Expansion:
    """The steps out of a chunk of states that may lead somewhere new."""

    codes: Codes
    parents: Codes
    actions: npt.NDArray[np.int16]
    stuck: Codes
    transitions: int


def _expand(model: VectorModel, layout: _Layout, strides: Codes, chunk: Codes) -> _Expansion:
    columns = Columns(chunk, layout)
    enabled_any = np.zeros(len(chunk), dtype=bool)
    codes_out: list[Codes] = []
    parents_out: list[Codes] = []
    actions_out: list[npt.NDArray[np.int16]] = []
    transitions = 0
    for action_id, action in enumerate(model.actions):
        mask = (
            np.ones(len(chunk), dtype=bool)
            if action.guard is None
            else _as_mask(
                _truth(model, f"the guard of {action.name}", action.guard, columns), len(chunk)
            )
        )
        count = int(np.count_nonzero(mask))
        if not count:
            continue
        enabled_any |= mask
        transitions += count
        parents = chunk[mask]
        selected = Columns(parents, layout)
        assigned = action.update(selected)
        if not assigned:
            continue  # a step that changes nothing reaches no new state
        codes = parents.copy()
        for variable, value in assigned.items():
            position = layout.positions.get(variable)
            if position is None:
                raise ModelError(
                    f"action {action.name} assigns unknown variable {variable!r}",
                    source=model.where(),
                    line=definition_line(action.update),
                )
            new = np.broadcast_to(np.asarray(value, dtype=np.int64), (count,))
            size = layout.sizes[position]
            outside = (new < 0) | (new >= size)
            if outside.any():
                where = int(np.flatnonzero(outside)[0])
                raise ModelError(
                    f"action {action.name} sets {variable} to {int(new[where])}, outside "
                    f"0..{size - 1}",
                    source=model.where(),
                    line=definition_line(action.update),
                )
            codes += (new - selected[variable]) * strides[position]
        codes_out.append(codes)
        parents_out.append(parents)
        actions_out.append(np.full(count, action_id, dtype=np.int16))
    empty = np.empty(0, dtype=np.int64)
    return _Expansion(
        np.concatenate(codes_out) if codes_out else empty,
        np.concatenate(parents_out) if parents_out else empty,
        np.concatenate(actions_out) if actions_out else np.empty(0, dtype=np.int16),
        chunk[~enabled_any],
        transitions,
    )


def _explore(
    model: VectorModel,
    layout: _Layout,
    store: _DenseStore | _SparseStore,
    bounds: Bounds,
    started: float,
    outcome: _Outcome,
    violations: dict[str, int],
) -> int | None:
    deadline = None if bounds.timeout is None else started + bounds.timeout
    initial = model.to_plain_model().init()
    frontier = np.unique(
        np.array(
            [layout.encode(dict(zip(layout.names, s, strict=True))) for s in initial],
            dtype=np.int64,
        )
    )
    if len(frontier) > bounds.state_limit:
        frontier = frontier[: bounds.state_limit]
        outcome.stop_reason = UnknownReason.INCOMPLETE
        outcome.stop_detail = f"stopped at the bound of {bounds.max_states:,} states"
    store.add_initial(frontier)
    outcome.states = len(frontier)
    _check_invariants(model, layout, frontier, violations)
    strides = np.array(layout.strides, dtype=np.int64)
    deadlock: int | None = None
    depth = 0
    truncated = False

    def out_of_time() -> bool:
        if deadline is not None and time.perf_counter() >= deadline:
            outcome.stop_reason = UnknownReason.TIMEOUT
            outcome.stop_detail = f"time budget of {bounds.timeout:g} s used up"
            return True
        return False

    while len(frontier):
        if outcome.stop_reason is not None:
            return deadlock
        if deadlock is not None and len(violations) == len(model.invariants):
            # Nothing is left to decide. (Not "complete": this level was not expanded.)
            outcome.stop_detail = "every property is violated"
            return deadlock
        at_bound = depth >= bounds.depth_limit
        store.begin_level()
        fresh_chunks: list[Codes] = []
        chunk = max(1, min(_CHUNK, _CANDIDATES // max(1, len(model.actions))))
        for start in range(0, len(frontier), chunk):
            if out_of_time():
                return deadlock
            step = _expand(model, layout, strides, frontier[start : start + chunk])
            outcome.transitions += step.transitions
            if deadlock is None and len(step.stuck):
                stuck = step.stuck
                if model.terminal is not None:
                    verdicts = _truth(model, "terminal(v)", model.terminal, Columns(stuck, layout))
                    accepted = _as_mask(verdicts, len(stuck))
                    stuck = stuck[~accepted]
                if len(stuck):
                    deadlock = int(stuck[0])
            if not len(step.codes):
                continue
            keep = store.unseen(step.codes)
            if at_bound:
                truncated = truncated or bool(keep.any())
                continue
            fresh = store.offer(step.codes[keep], step.parents[keep], step.actions[keep])
            room = bounds.state_limit - outcome.states
            if len(fresh) > room:
                fresh = fresh[:room]
                outcome.stop_reason = UnknownReason.INCOMPLETE
                outcome.stop_detail = f"stopped at the bound of {bounds.max_states:,} states"
            outcome.states += len(fresh)
            _check_invariants(model, layout, fresh, violations)
            fresh_chunks.append(fresh)
            if outcome.stop_reason is not None:
                store.end_level()
                return deadlock
        store.end_level()
        if at_bound:
            break
        frontier = np.concatenate(fresh_chunks) if fresh_chunks else np.empty(0, dtype=np.int64)
        depth += 1
    if truncated:
        outcome.stop_reason = UnknownReason.INCOMPLETE
        outcome.stop_detail = f"stopped at the bound of depth {bounds.max_depth}"
    else:
        outcome.complete = True
    return deadlock


def _check_invariants(
    model: VectorModel, layout: _Layout, codes: Codes, violations: dict[str, int]
) -> None:
    if not len(codes):
        return
    columns = Columns(codes, layout)
    for name, predicate in model.invariants.items():
        if name in violations:
            continue
        holds = _as_mask(_truth(model, f"{name}(v)", predicate, columns), len(codes))
        broken = np.flatnonzero(~holds)
        if len(broken):
            violations[name] = int(codes[broken[0]])
