"""The checks: invariants, deadlock, liveness and trace inclusion, as honest results.

Every answer is one of :mod:`fmlab.core.result`'s three: ``Proved`` with the size of the
exhaustive search as its bound, ``Refuted`` with a trace that was replayed from ``init``
by calling ``next`` again (through :func:`fmlab.core.result.refute`), or ``Unknown`` with
the bound that stopped the search and the counts it reached.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason, refute
from fmlab.mc._bounds import DEFAULT_MAX_STATES, Bounds
from fmlab.mc._liveness import Lasso, find_unfair_avoidance
from fmlab.mc._model import (
    MODEL_FAULTS,
    LabelMap,
    LeadsTo,
    Model,
    Predicate,
    action_name,
    label_text,
)
from fmlab.mc._refinement import (
    InclusionSearch,
    mapper,
    run_specification,
    search_inclusion,
)
from fmlab.mc._report import PropertyKind, PropertyResult, Report
from fmlab.mc._search import Exploration, _model_error, replay_path, search
from fmlab.mc._trace import Divergence, Step, Trace

Result = Proved | Refuted[Any] | Unknown

REPLAYED_BY = "replaying init and next"


def _bounds(max_states: int | None, max_depth: int | None, timeout: float | None) -> Bounds:
    return Bounds(max_states, max_depth, timeout)


def exhaustive(found: Exploration) -> str:
    return f"{found.counts()}, exhaustive"


def _unknown(claim: str, found: Exploration) -> Unknown:
    reason = found.stop_reason or UnknownReason.INCOMPLETE
    detail = f"{found.stop_detail or 'search incomplete'}: {found.counts()}"
    return Unknown(claim, reason, detail, {"states": len(found.states)})


def _trace(steps: Sequence[tuple[Any, Any]], **marks: int | None) -> Trace:
    return Trace(tuple(Step(label, state) for label, state in steps), **marks)


def _invariant_result(model: Model, name: str, predicate: Predicate, found: Exploration) -> Result:
    claim = f"{name} holds in every reachable state"
    number = found.violations.get(name)
    if number is not None:
        trace = _trace(found.path(number))

        def replay(witness: Trace) -> bool:
            steps = [(s.action, s.state) for s in witness.steps]
            return replay_path(model, steps) and not predicate(witness.steps[-1].state)

        return refute(claim, trace, replay=replay, replayed_by=REPLAYED_BY)
    if found.complete:
        return Proved(claim, exhaustive(found))
    return _unknown(claim, found)


def _deadlock_result(model: Model, found: Exploration) -> Result:
    claim = "every reachable state has a successor or is terminal"
    if found.deadlock is not None:
        trace = _trace(found.path(found.deadlock))

        def replay(witness: Trace) -> bool:
            steps = [(s.action, s.state) for s in witness.steps]
            last = witness.steps[-1].state
            no_successor = not any(True for _ in model.next(last))
            accepted = model.terminal is not None and model.terminal(last)
            return replay_path(model, steps) and no_successor and not accepted

        return refute(claim, trace, replay=replay, replayed_by=REPLAYED_BY)
    if found.complete:
        return Proved(claim, exhaustive(found))
    return _unknown(claim, found)


def _fairness_text(weak: Sequence[str], strong: Sequence[str]) -> str:
    parts = []
    if weak:
        parts.append("weak fairness of " + ", ".join(weak))
    if strong:
        parts.append("strong fairness of " + ", ".join(strong))
    return " under " + " and ".join(parts) if parts else " (no fairness)"


def _liveness_result(
    model: Model,
    name: str,
    prop: LeadsTo,
    weak: Sequence[str],
    strong: Sequence[str],
    found: Exploration,
) -> Result:
    claim = f"{name}: P leads to Q{_fairness_text(weak, strong)}"
    try:
        lasso = find_unfair_avoidance(found, prop, weak, strong)
    except MODEL_FAULTS as error:  # p or q raised: the model's fault, located in its file
        raise _model_error(model, error) from None
    if lasso is not None:
        trace = _lasso_trace(found, lasso)
        return refute(
            claim,
            trace,
            replay=lambda witness: replay_lasso(model, prop, weak, strong, witness),
            replayed_by=REPLAYED_BY,
        )
    if found.complete:
        return Proved(claim, exhaustive(found))
    return _unknown(claim, found)


def _lasso_trace(found: Exploration, lasso: Lasso) -> Trace:
    steps = [Step(None, found.states[lasso.prefix[0]])]
    for number, label in zip(lasso.prefix[1:], lasso.prefix_labels, strict=True):
        steps.append(Step(found.labels[label], found.states[number]))
    loop_start = len(steps) - 1
    for number, label in zip(lasso.cycle, lasso.cycle_labels, strict=True):
        steps.append(Step(found.labels[label], found.states[number]))
    return Trace(tuple(steps), loop_start=loop_start, focus=lasso.focus)


def replay_lasso(
    model: Model, prop: LeadsTo, weak: Sequence[str], strong: Sequence[str], witness: Trace
) -> bool:
    """Confirm a liveness counterexample from scratch with ``init`` and ``next``.

    The steps must be a behaviour; ``P`` must hold at the focus and ``Q`` nowhere from
    there on; the cycle must close; and repeating the cycle forever must be fair.
    """
    steps = [(s.action, s.state) for s in witness.steps]
    if witness.loop_start is None or witness.focus is None or not replay_path(model, steps):
        return False
    states = witness.states
    if not prop.p(states[witness.focus]):
        return False
    if any(prop.q(state) for state in states[witness.focus :]):
        return False
    if witness.focus > witness.loop_start:
        return False
    if witness.stutters:
        return not any(True for _ in model.next(states[-1]))
    if states[-1] != states[witness.loop_start]:
        return False
    cycle_states = states[witness.loop_start : -1]
    taken = {label_text(a) for a in witness.actions[witness.loop_start :]}
    enabled_per_state = [{label_text(a) for a, _ in model.next(s)} for s in cycle_states]
    weak_names, strong_names = set(weak), set(strong)

    def fair(names: set[str], label: str) -> bool:
        return label in names or action_name(label) in names

    for label in set().union(*enabled_per_state):
        if label in taken:
            continue
        if fair(strong_names, label):
            return False  # enabled infinitely often, never taken
        if fair(weak_names, label) and all(label in e for e in enabled_per_state):
            return False  # enabled forever, never taken
    return True


def check(
    model: Any,
    *,
    max_states: int | None = DEFAULT_MAX_STATES,
    max_depth: int | None = None,
    timeout: float | None = None,
) -> Report:
    """Check every property a model declares: its invariants, deadlock, its liveness.

    ``model`` is a :class:`Model` (or a :class:`VectorModel`, which takes the fast path).
    The search is breadth-first, so every invariant or deadlock trace is a shortest one.
    Raises :class:`ModelError` when the model itself is broken.
    """
    vector_check = getattr(model, "check_with_bounds", None)
    if vector_check is not None:
        report: Report = vector_check(max_states=max_states, max_depth=max_depth, timeout=timeout)
        return report
    bounds = _bounds(max_states, max_depth, timeout)
    found = search(model, bounds, deadlock=True, keep_graph=bool(model.liveness))
    properties = [
        PropertyResult(name, PropertyKind.INVARIANT, _invariant_result(model, name, check, found))
        for name, check in model.invariants.items()
    ]
    properties.append(
        PropertyResult("deadlock", PropertyKind.DEADLOCK, _deadlock_result(model, found))
    )
    for name, prop in model.liveness.items():
        result = _liveness_result(
            model, name, prop, model.weak_fairness, model.strong_fairness, found
        )
        properties.append(PropertyResult(name, PropertyKind.LIVENESS, result))
    return Report(
        model=model.where(),
        states=len(found.states),
        transitions=found.transitions,
        seconds=found.seconds,
        complete=found.complete,
        properties=tuple(properties),
    )


def check_invariant(
    model: Model,
    invariant: str | Predicate,
    *,
    max_states: int | None = DEFAULT_MAX_STATES,
    max_depth: int | None = None,
    timeout: float | None = None,
) -> Result:
    """Whether ``invariant`` (a name in ``model.invariants`` or a predicate) always holds.

    ``Refuted`` carries a shortest :class:`Trace` to a breaking state.
    """
    name, predicate = _named_predicate(model, invariant)
    found = search(model, _bounds(max_states, max_depth, timeout), invariants={name: predicate})
    return _invariant_result(model, name, predicate, found)


def _named_predicate(model: Model, invariant: str | Predicate) -> tuple[str, Predicate]:
    if isinstance(invariant, str):
        if invariant not in model.invariants:
            known = ", ".join(model.invariants) or "none"
            raise KeyError(f"no invariant {invariant!r} in the model (it has: {known})")
        return invariant, model.invariants[invariant]
    return getattr(invariant, "__name__", "invariant"), invariant


def check_deadlock(
    model: Model,
    *,
    max_states: int | None = DEFAULT_MAX_STATES,
    max_depth: int | None = None,
    timeout: float | None = None,
) -> Result:
    """Whether every reachable state has a successor (or is accepted by ``terminal``)."""
    found = search(model, _bounds(max_states, max_depth, timeout), invariants={}, deadlock=True)
    return _deadlock_result(model, found)


def check_leads_to(
    model: Model,
    p: Predicate,
    q: Predicate,
    *,
    weak: Iterable[str] = (),
    strong: Iterable[str] = (),
    name: str = "leadsto",
    max_states: int | None = DEFAULT_MAX_STATES,
    max_depth: int | None = None,
    timeout: float | None = None,
) -> Result:
    """Whether every fair behaviour that reaches a ``p`` state reaches a ``q`` state then
    or later. ``weak`` and ``strong`` name the fair actions (names or exact labels).

    ``Refuted`` carries a lasso :class:`Trace` (``loop_start`` set, ``focus`` at the
    ``p`` state) that was replayed, fairness included.
    """
    bounds = _bounds(max_states, max_depth, timeout)
    found = search(model, bounds, invariants={}, keep_graph=True)
    return _liveness_result(model, name, LeadsTo(p, q), tuple(weak), tuple(strong), found)


def check_refinement(
    implementation: Model,
    specification: Model,
    *,
    label_map: LabelMap | None = None,
    max_states: int | None = DEFAULT_MAX_STATES,
    max_depth: int | None = None,
    timeout: float | None = None,
) -> Result:
    """Whether every trace of ``implementation`` is a trace of ``specification`` once its
    labels go through ``label_map`` (default: the implementation's own ``label_map``,
    else the identity; ``None`` from the map marks an internal step).

    ``Refuted`` carries a :class:`Divergence`: the shortest implementation trace whose
    last step the specification cannot follow, replayed through both models.
    """
    bounds = _bounds(max_states, max_depth, timeout)
    return _refinement(implementation, specification, label_map, bounds)[0]


def _refinement(
    implementation: Model,
    specification: Model,
    label_map: LabelMap | None,
    bounds: Bounds,
) -> tuple[Result, InclusionSearch]:
    chosen = label_map if label_map is not None else implementation.label_map
    map_label = mapper(chosen)
    claim = f"every trace of {implementation.name} is a trace of {specification.name}"
    outcome = search_inclusion(implementation, specification, map_label, bounds)
    counts = f"{outcome.pairs:,} state pairs, {outcome.transitions:,} transitions explored"
    if outcome.diverging_path is not None:
        path = outcome.diverging_path
        mapped = tuple(map_label(label) for label, _ in path[1:])
        spec_run = run_specification(specification, mapped)
        divergence = Divergence(
            implementation=_trace(path),
            mapped=mapped,
            specification=_trace(spec_run.path),
            offered=spec_run.offered,
        )

        def replay(witness: Divergence) -> bool:
            steps = [(s.action, s.state) for s in witness.implementation.steps]
            if not replay_path(implementation, steps):
                return False
            labels = [map_label(s.action) for s in witness.implementation.steps[1:]]
            visible = [label for label in labels if label is not None]
            if labels[-1] is None:
                return False
            run = run_specification(specification, labels)
            return run.matched == len(visible) - 1

        result = refute(claim, divergence, replay=replay, replayed_by=REPLAYED_BY)
        return result, outcome
    if outcome.complete:
        return Proved(claim, f"{counts}, exhaustive"), outcome
    reason = outcome.stop_reason or UnknownReason.INCOMPLETE
    detail = f"{outcome.stop_detail}: {counts}"
    return Unknown(claim, reason, detail, {"pairs": outcome.pairs}), outcome


def refinement_report(
    implementation: Model,
    specification: Model,
    *,
    label_map: LabelMap | None = None,
    max_states: int | None = DEFAULT_MAX_STATES,
    max_depth: int | None = None,
    timeout: float | None = None,
) -> Report:
    """:func:`check_refinement` as a :class:`Report` with one ``refinement`` property;
    ``states`` counts the (implementation state, specification states) pairs explored."""
    bounds = _bounds(max_states, max_depth, timeout)
    result, outcome = _refinement(implementation, specification, label_map, bounds)
    return Report(
        model=implementation.where(),
        states=outcome.pairs,
        transitions=outcome.transitions,
        seconds=outcome.seconds,
        complete=outcome.complete,
        properties=(PropertyResult("refinement", PropertyKind.REFINEMENT, result),),
    )
