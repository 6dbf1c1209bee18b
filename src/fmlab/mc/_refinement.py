"""Trace inclusion: every behaviour of an implementation is a behaviour of a specification.

The implementation's labels are first mapped onto the specification's (``label_map``);
a label mapped to ``None`` is an internal step, which the specification does not see
(it stutters). The search runs breadth-first over pairs (implementation state, set of
specification states the mapped labels so far can lead to): the specification is made
deterministic on the fly, as in the subset construction, so nondeterministic
specifications are handled exactly. The first pair whose implementation step maps to a
label no specification state in the set offers is a divergence, and breadth-first order
makes it a shortest one.

The comparison is on finite traces (prefix-closed trace inclusion); the specification's
own labels are all visible.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fmlab.core.result import UnknownReason
from fmlab.mc._bounds import Bounds, Clock, OutOfTimeError, alarm_backstop
from fmlab.mc._model import MODEL_FAULTS, LabelMap, Model, ModelError, action_name, label_text
from fmlab.mc._search import _model_error, bounded_initial, bounded_successors


def mapper(label_map: LabelMap | None) -> Callable[[Any], Any]:
    """A function from implementation labels to specification labels (``None``: internal).

    A dict is looked up by the exact label first, then by the action name, in which case
    the label's arguments are carried over: with ``{"app_start": "StartContainer"}``,
    ``app_start(c1)`` maps to ``StartContainer(c1)``. Labels the dict does not mention
    map to themselves.

    >>> m = mapper({"app_start": "StartContainer", "poll": None})
    >>> m("app_start(c1)"), m("poll"), m("other")
    ('StartContainer(c1)', None, 'other')
    """
    if label_map is None:
        return lambda label: label
    if callable(label_map) and not isinstance(label_map, Mapping):
        return label_map
    table: Mapping[Any, Any] = label_map

    def lookup(label: Any) -> Any:
        if label in table:
            return table[label]
        if isinstance(label, str):
            name = action_name(label)
            if name in table:
                target = table[name]
                if target is None:
                    return None
                return str(target) + label[len(label.split("(", 1)[0]) :]
        return label

    return lookup


@dataclass
class InclusionSearch:
    """What the pair search found: counts, and a divergence's implementation path."""

    pairs: int = 0
    transitions: int = 0
    complete: bool = False
    stop_reason: UnknownReason | None = None
    stop_detail: str = ""
    seconds: float = 0.0
    diverging_path: list[tuple[Any, Any]] | None = None


def search_inclusion(
    implementation: Model,
    specification: Model,
    map_label: Callable[[Any], Any],
    bounds: Bounds,
) -> InclusionSearch:
    clock = Clock(bounds.timeout)
    outcome = InclusionSearch()
    try:
        with alarm_backstop(bounds.timeout):
            _pair_search(implementation, specification, map_label, bounds, clock, outcome)
    except OutOfTimeError:
        outcome.stop_reason = UnknownReason.TIMEOUT
        outcome.stop_detail = f"time budget of {bounds.timeout:g} s used up"
    except ModelError:
        raise
    except MODEL_FAULTS as error:
        raise _blame(implementation, specification, error) from None
    outcome.seconds = clock.elapsed()
    return outcome


def _blame(implementation: Model, specification: Model, error: BaseException) -> ModelError:
    from fmlab.mc._search import _frames

    spec_files = specification.code_files()
    if any(f[0] in spec_files for f in _frames(error)):
        return _model_error(specification, error)
    return _model_error(implementation, error)


def _pair_search(
    implementation: Model,
    specification: Model,
    map_label: Callable[[Any], Any],
    bounds: Bounds,
    clock: Clock,
    outcome: InclusionSearch,
) -> None:
    spec_steps: dict[Any, dict[Any, frozenset[Any]]] = {}

    def spec_after(states: frozenset[Any], label: Any) -> frozenset[Any]:
        result: set[Any] = set()
        for state in states:
            table = spec_steps.get(state)
            if table is None:
                grouped: dict[Any, set[Any]] = {}
                for spec_label, target in bounded_successors(specification, state):
                    grouped.setdefault(spec_label, set()).add(target)
                table = spec_steps[state] = {k: frozenset(v) for k, v in grouped.items()}
            result |= table.get(label, frozenset())
        return frozenset(result)

    spec_initial = frozenset(bounded_initial(specification))
    parents: dict[tuple[Any, frozenset[Any]], tuple[Any, Any] | None] = {}
    queue: deque[tuple[tuple[Any, frozenset[Any]], int]] = deque()
    for state in bounded_initial(implementation):
        pair = (state, spec_initial)
        if pair not in parents:
            parents[pair] = None
            queue.append((pair, 0))
    expanded = 0
    truncated = False
    while queue:
        if not expanded % 256 and clock.expired():
            outcome.stop_reason = UnknownReason.TIMEOUT
            outcome.stop_detail = f"time budget of {bounds.timeout:g} s used up"
            break
        pair, depth = queue.popleft()
        expanded += 1
        state, spec_states = pair
        for label, target in bounded_successors(implementation, state):
            outcome.transitions += 1
            mapped = map_label(label)
            after = spec_states if mapped is None else spec_after(spec_states, mapped)
            if not after:
                outcome.diverging_path = [*_path(parents, pair), (label, target)]
                outcome.pairs = len(parents)
                return
            successor = (target, after)
            if successor in parents:
                continue
            if depth >= bounds.depth_limit:
                truncated = True
                continue
            if len(parents) >= bounds.state_limit:
                outcome.pairs = len(parents)
                outcome.stop_reason = UnknownReason.INCOMPLETE
                outcome.stop_detail = f"stopped at the bound of {bounds.max_states:,} states"
                return
            parents[successor] = (pair, label)
            queue.append((successor, depth + 1))
    outcome.pairs = len(parents)
    if not queue and outcome.stop_reason is None:
        if truncated:
            outcome.stop_reason = UnknownReason.INCOMPLETE
            outcome.stop_detail = f"stopped at the bound of depth {bounds.max_depth}"
        else:
            outcome.complete = True


def _path(
    parents: Mapping[tuple[Any, frozenset[Any]], tuple[Any, Any] | None],
    pair: tuple[Any, frozenset[Any]],
) -> list[tuple[Any, Any]]:
    steps: list[tuple[Any, Any]] = []
    current: tuple[Any, frozenset[Any]] | None = pair
    label: Any = None
    while current is not None:
        link = parents[current]
        label = None if link is None else link[1]
        steps.append((label, current[0]))
        current = None if link is None else link[0]
    steps.reverse()
    return steps


@dataclass(frozen=True)
class SpecificationRun:
    """The specification replayed on mapped labels: how far it got, one path, what it offers."""

    matched: int
    """How many mapped (visible) labels the specification could follow."""
    path: list[tuple[Any, Any]]
    offered: tuple[str, ...]


def run_specification(specification: Model, mapped: Iterable[Any]) -> SpecificationRun:
    """Follow ``mapped`` labels (``None`` skipped) through ``specification`` from scratch.

    Independent of the pair search: it keeps every specification state reachable on the
    labels so far with one parent each, calling ``init`` and ``next`` afresh.
    """
    frontier: dict[Hashable, list[tuple[Any, Any]]] = {
        s: [(None, s)] for s in bounded_initial(specification)
    }
    matched = 0
    for label in mapped:
        if label is None:
            continue
        following: dict[Hashable, list[tuple[Any, Any]]] = {}
        for state, path in frontier.items():
            for spec_label, target in specification.next(state):
                if spec_label == label and target not in following:
                    following[target] = [*path, (spec_label, target)]
        if not following:
            offered = sorted(
                {label_text(lab) for state in frontier for lab, _ in specification.next(state)}
            )
            first = min(frontier.values(), key=len)
            return SpecificationRun(matched, first, tuple(offered))
        frontier = following
        matched += 1
    first = min(frontier.values(), key=len)
    return SpecificationRun(matched, first, ())
