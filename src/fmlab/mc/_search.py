"""Breadth-first search over a plain-convention model.

States are numbered in the order they are found (breadth-first, so a state's number
never decreases with its distance from ``init``); ``parent[i]`` and ``action[i]`` say
how state ``i`` was first reached, which gives every state a shortest trace without
keeping any per-state Python object beyond the state itself. Two loops share that
layout: the safety loop keeps a ``set`` of seen states (invariants and deadlock need no
edges), and the graph loop keeps a ``dict`` from state to number and the successors of
every expanded state in flat arrays (liveness, trace inclusion and drawings need them).
"""

from __future__ import annotations

import bisect
import itertools
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fmlab.core.result import UnknownReason
from fmlab.mc._bounds import Bounds, Clock, OutOfTimeError, alarm_backstop
from fmlab.mc._model import (
    MODEL_FAULTS,
    Model,
    ModelError,
    Predicate,
    definition_line,
    located_error,
)

MAX_SUCCESSORS = 1_000_000
"""More successors than this for one state is taken as a runaway ``next``."""

# How many states are expanded between two looks at the clock.
_CLOCK_EVERY = 256


@dataclass
class Exploration:
    """The states a search found, how each was first reached, and what it saw.

    The search's own record, in arrays; :func:`explore` hands it over as a
    :class:`StateSpace`, which is what a reader uses.
    """

    states: list[Any]
    parent: array[int]
    action: array[int]
    labels: list[Any]
    level_starts: list[int]
    """``level_starts[d]`` is the number of the first state at distance ``d``."""
    transitions: int = 0
    expanded: int = 0
    """States ``0 .. expanded-1`` had all their successors computed."""
    complete: bool = False
    stop_reason: UnknownReason | None = None
    stop_detail: str = ""
    seconds: float = 0.0
    violations: dict[str, int] = field(default_factory=dict)
    """Invariant name -> number of the first (hence a nearest) state breaking it."""
    deadlock: int | None = None
    """The number of a nearest state with no successor that is not ``terminal``."""
    index: dict[Any, int] | None = None
    offsets: array[int] | None = None
    """Graph mode: the successors of state ``i`` are ``targets[offsets[i]:offsets[i+1]]``."""
    targets: array[int] | None = None
    edge_labels: array[int] | None = None
    seen: set[Any] | None = None
    """Safety mode: the states found (handed from the initial states to the loop)."""

    def depth(self, number: int) -> int:
        return bisect.bisect_right(self.level_starts, number) - 1

    def path(self, number: int) -> list[tuple[Any, Any]]:
        """``[(None, initial), (label, state), ...]`` ending at state ``number``."""
        steps = []
        while number >= 0:
            label = self.action[number]
            steps.append((None if label < 0 else self.labels[label], self.states[number]))
            number = self.parent[number]
        steps.reverse()
        return steps

    def successors(self, number: int) -> list[tuple[Any, int]]:
        """Graph mode: ``(label, target number)`` of an expanded state."""
        assert self.offsets is not None
        assert self.targets is not None
        assert self.edge_labels is not None
        start, end = self.offsets[number], self.offsets[number + 1]
        return [(self.labels[self.edge_labels[k]], self.targets[k]) for k in range(start, end)]

    def counts(self) -> str:
        return f"{len(self.states):,} states, {self.transitions:,} transitions explored"


def search(
    model: Model,
    bounds: Bounds,
    *,
    invariants: Mapping[str, Predicate] | None = None,
    deadlock: bool = False,
    keep_graph: bool = False,
    stop_when_decided: bool = True,
) -> Exploration:
    """Explore ``model`` breadth-first within ``bounds``, checking ``invariants`` on every
    state found and, with ``deadlock``, looking for states without successors.

    With ``stop_when_decided`` (and no graph wanted) the search ends as soon as every
    property asked for is violated. Raises :class:`ModelError` for a broken model.
    """
    checks = dict(invariants if invariants is not None else model.invariants)
    clock = Clock(bounds.timeout)
    found = Exploration([], array("i"), array("i"), [], [0])
    if keep_graph:
        found.index = {}
        found.offsets = array("q", [0])
        found.targets = array("i")
        found.edge_labels = array("i")
    try:
        with alarm_backstop(bounds.timeout):
            _initial(model, found, checks, bounds)
            if keep_graph:
                _graph_loop(model, found, checks, deadlock, bounds, clock)
            else:
                _safety_loop(model, found, checks, deadlock, bounds, clock, stop_when_decided)
    except OutOfTimeError:
        found.complete = False
        found.stop_reason = UnknownReason.TIMEOUT
        found.stop_detail = f"time budget of {bounds.timeout:g} s used up"
    except ModelError:
        raise
    except MODEL_FAULTS as error:
        raise _model_error(model, error) from None
    found.seconds = clock.elapsed()
    return found


def _initial(
    model: Model, found: Exploration, checks: Mapping[str, Predicate], bounds: Bounds
) -> None:
    initial = bounded_initial(model)
    seen: dict[Any, int] | set[Any] = found.index if found.index is not None else set()
    for state in initial:
        try:
            if state in seen:
                continue
        except TypeError as error:
            raise ModelError(
                f"an initial state is not hashable ({error}); use tuples, frozensets or "
                "frozen dataclasses",
                source=model.where(),
                line=definition_line(model.init),
            ) from None
        if len(found.states) >= bounds.state_limit:
            _stop_at_state_limit(found, bounds)
            return
        number = len(found.states)
        if isinstance(seen, dict):
            seen[state] = number
        else:
            seen.add(state)
        found.states.append(state)
        found.parent.append(-1)
        found.action.append(-1)
        _check_new_state(model, found, checks, number, state)
    if not found.states:
        raise ModelError(
            "init() returned no initial state",
            source=model.where(),
            line=definition_line(model.init),
        )
    if isinstance(seen, set):
        found.seen = seen


def _check_new_state(
    model: Model, found: Exploration, checks: Mapping[str, Predicate], number: int, state: Any
) -> None:
    for name, predicate in checks.items():
        if name not in found.violations:
            verdict = predicate(state)
            if not verdict:
                if verdict is None:
                    raise _no_verdict(model, name, predicate)
                found.violations[name] = number


def _no_verdict(model: Model, name: str, predicate: Predicate) -> ModelError:
    # An invariant that returns None has almost always lost its ``return``; reading None
    # as False would report a violation the model's author never wrote.
    return ModelError(
        f"{name}(state) returned None (a missing return?); an invariant returns True or False",
        source=model.where(),
        line=definition_line(predicate),
    )


def _stop_at_state_limit(found: Exploration, bounds: Bounds) -> None:
    found.complete = False
    found.stop_reason = UnknownReason.INCOMPLETE
    found.stop_detail = f"stopped at the bound of {bounds.max_states:,} states"


def _safety_loop(
    model: Model,
    found: Exploration,
    checks: Mapping[str, Predicate],
    want_deadlock: bool,
    bounds: Bounds,
    clock: Clock,
    stop_when_decided: bool,
) -> None:
    # The hot loop of the plain path: everything it touches is a local variable, and the
    # per-transition work is one set look-up.
    seen = found.seen
    assert seen is not None
    found.seen = None  # the set is the search's working memory, not part of the result
    states = found.states
    append_state = states.append
    add_seen = seen.add
    parent_append = found.parent.append
    action_append = found.action.append
    label_ids: dict[Any, int] = {}
    labels = found.labels
    next_fn = model.next
    terminal = model.terminal
    islice = itertools.islice
    limit = bounds.state_limit
    depth_limit = bounds.depth_limit
    level_starts = found.level_starts
    active = [(name, check) for name, check in checks.items() if name not in found.violations]
    wanted = len(checks) + (1 if want_deadlock else 0)
    transitions = 0
    head = 0
    level_end = len(states)
    depth = 0
    truncated = False
    while head < len(states):
        if head == level_end:
            level_starts.append(head)
            depth += 1
            level_end = len(states)
        if not head & (_CLOCK_EVERY - 1) and clock.expired():
            found.stop_reason = UnknownReason.TIMEOUT
            found.stop_detail = f"time budget of {bounds.timeout:g} s used up"
            break
        state = states[head]
        successors = tuple(islice(next_fn(state), MAX_SUCCESSORS + 1))
        count = len(successors)
        if count > MAX_SUCCESSORS:
            raise _runaway(model)
        transitions += count
        if not count:
            if want_deadlock and found.deadlock is None and not (terminal and terminal(state)):
                found.deadlock = head
        elif depth < depth_limit:
            for label, target in successors:
                if target not in seen:
                    number = len(states)
                    if number >= limit:
                        found.transitions = transitions
                        found.expanded = head
                        _stop_at_state_limit(found, bounds)
                        return
                    add_seen(target)
                    append_state(target)
                    parent_append(head)
                    label_id = label_ids.get(label)
                    if label_id is None:
                        label_id = label_ids[label] = len(labels)
                        labels.append(label)
                    action_append(label_id)
                    if active:
                        broken = False
                        for name, check in active:
                            verdict = check(target)
                            if not verdict:
                                if verdict is None:
                                    raise _no_verdict(model, name, check)
                                found.violations[name] = number
                                broken = True
                        if broken:
                            # A broken invariant is checked no further: its first (hence
                            # nearest) violation is the one kept.
                            active = [(n, c) for n, c in active if n not in found.violations]
        else:
            truncated = truncated or any(target not in seen for _, target in successors)
        head += 1
        if (
            stop_when_decided
            and wanted
            and len(found.violations) == len(checks)
            and (found.deadlock is not None or not want_deadlock)
        ):
            if head < len(states):
                found.stop_detail = "every property is violated"
            break
    found.transitions = transitions
    found.expanded = head
    if head == len(states) and found.stop_reason is None:
        if truncated:
            found.stop_reason = UnknownReason.INCOMPLETE
            found.stop_detail = f"stopped at the bound of depth {bounds.max_depth}"
        else:
            found.complete = True


def _graph_loop(
    model: Model,
    found: Exploration,
    checks: Mapping[str, Predicate],
    want_deadlock: bool,
    bounds: Bounds,
    clock: Clock,
) -> None:
    index = found.index
    assert index is not None
    assert found.offsets is not None
    assert found.targets is not None
    assert found.edge_labels is not None
    states = found.states
    offsets, targets, edge_labels = found.offsets, found.targets, found.edge_labels
    label_ids: dict[Any, int] = {}
    labels = found.labels
    next_fn = model.next
    terminal = model.terminal
    limit = bounds.state_limit
    depth_limit = bounds.depth_limit
    level_starts = found.level_starts
    head = 0
    level_end = len(states)
    depth = 0
    truncated = False
    transitions = 0
    while head < len(states):
        if head == level_end:
            level_starts.append(head)
            depth += 1
            level_end = len(states)
        if not head & (_CLOCK_EVERY - 1) and clock.expired():
            found.stop_reason = UnknownReason.TIMEOUT
            found.stop_detail = f"time budget of {bounds.timeout:g} s used up"
            break
        state = states[head]
        successors = tuple(itertools.islice(next_fn(state), MAX_SUCCESSORS + 1))
        if len(successors) > MAX_SUCCESSORS:
            raise _runaway(model)
        if (
            not successors
            and want_deadlock
            and found.deadlock is None
            and not (terminal and terminal(state))
        ):
            found.deadlock = head
        # A state at the depth bound is expanded only as far as edges to known states go;
        # its edge list is then partial, so it does not count as expanded.
        at_bound = depth >= depth_limit
        pending: list[tuple[int, int]] = []
        for label, target in successors:
            number = index.get(target)
            if number is None:
                if at_bound:
                    truncated = True
                    continue
                number = len(states)
                if number >= limit:
                    found.transitions = transitions
                    found.expanded = head
                    del offsets[head + 1 :]
                    _stop_at_state_limit(found, bounds)
                    return
                index[target] = number
                states.append(target)
                found.parent.append(head)
                label_id = label_ids.get(label)
                if label_id is None:
                    label_id = label_ids[label] = len(labels)
                    labels.append(label)
                found.action.append(label_id)
                _check_new_state(model, found, checks, number, target)
            label_id = label_ids.get(label)
            if label_id is None:
                label_id = label_ids[label] = len(labels)
                labels.append(label)
            pending.append((number, label_id))
        for number, label_id in pending:
            targets.append(number)
            edge_labels.append(label_id)
        offsets.append(len(targets))
        transitions += len(successors)
        head += 1
    found.transitions = transitions
    found.expanded = head
    if truncated:
        # The states at the depth bound lost their edges to new states: not expanded.
        found.expanded = min(head, level_starts[min(depth_limit, len(level_starts) - 1)])
    if head == len(states) and found.stop_reason is None:
        if truncated:
            found.stop_reason = UnknownReason.INCOMPLETE
            found.stop_detail = f"stopped at the bound of depth {bounds.max_depth}"
        else:
            found.complete = True


def _runaway(model: Model) -> ModelError:
    return ModelError(
        f"next(state) yielded more than {MAX_SUCCESSORS:,} successors for one state",
        source=model.where(),
        line=definition_line(model.next),
    )


def bounded_initial(model: Model) -> tuple[Any, ...]:
    """``model.init()``'s values, at most :data:`MAX_SUCCESSORS` of them.

    More is taken as an endless ``init`` (a ``ModelError``), never cut short silently: a
    search over part of the initial states must not be reported as exhaustive.
    """
    initial = model.init()
    if initial is None or isinstance(initial, str | bytes) or not isinstance(initial, Iterable):
        raise ModelError(
            f"init() must return an iterable of initial states, got {type(initial).__name__}",
            source=model.where(),
            line=definition_line(model.init),
        )
    values = tuple(itertools.islice(initial, MAX_SUCCESSORS + 1))
    if len(values) > MAX_SUCCESSORS:
        raise ModelError(
            f"init() yielded more than {MAX_SUCCESSORS:,} initial states (is it endless?)",
            source=model.where(),
            line=definition_line(model.init),
        )
    return values


def bounded_successors(model: Model, state: Any) -> tuple[tuple[Any, Any], ...]:
    """``model.next(state)``'s pairs, at most :data:`MAX_SUCCESSORS` (else a ModelError)."""
    successors = tuple(itertools.islice(model.next(state), MAX_SUCCESSORS + 1))
    if len(successors) > MAX_SUCCESSORS:
        raise _runaway(model)
    return successors


def _model_error(model: Model, error: BaseException) -> ModelError:
    """Turn an exception from a search into one located line about the model."""
    files = model.code_files()
    frames = [f for f in _frames(error) if f[0] in files]
    if frames:
        _, line, function = frames[-1]
        hint = ""
        if isinstance(error, ValueError) and "truth value of an array" in str(error):
            # A VectorModel's function used ``and``/``or``/``if`` on arrays of states.
            hint = " (a VectorModel's functions see arrays: combine conditions with & and |)"
        return ModelError(
            f"{function}() raised {type(error).__name__}: {error}{hint}",
            source=model.where(),
            line=line,
        )
    text = str(error)
    if isinstance(error, TypeError) and "unhashable" in text:
        return ModelError(
            f"a state or action label is not hashable ({text}); use tuples, frozensets "
            "or frozen dataclasses",
            source=model.where(),
            line=definition_line(model.next),
        )
    if isinstance(error, TypeError | ValueError) and "unpack" in text:
        return ModelError(
            f"next(state) must yield (action_label, next_state) pairs ({text})",
            source=model.where(),
            line=definition_line(model.next),
        )
    return located_error(
        error, "the model failed", files, model.where(), fallback_line=definition_line(model.next)
    )


def _frames(error: BaseException) -> list[tuple[str, int, str]]:
    import traceback

    return [
        (frame.filename, frame.lineno or 0, frame.name)
        for frame in traceback.extract_tb(error.__traceback__)
    ]


def replay_path(model: Model, steps: Iterable[tuple[Any, Any]]) -> bool:
    """Whether ``steps`` (``(None, s0), (label, s1), ...``) is a behaviour of ``model``:
    ``s0`` is initial and each ``(label, s)`` is yielded by ``next`` of the state before.

    This calls ``init`` and ``next`` afresh, independently of the search's records.
    """
    steps = list(steps)
    if not steps or steps[0][0] is not None:
        return False
    if steps[0][1] not in set(model.init()):
        return False
    for (_, before), (label, after) in itertools.pairwise(steps):
        if (label, after) not in set(model.next(before)):
            return False
    return True
