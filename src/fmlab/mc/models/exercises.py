"""The checkers behind the model-checking chapter's exercises.

Each takes the reader's answer (a model, a rule, a mapping, a fairness list), runs
fmlab.mc on it and returns fmlab.core's answer: ``Proved`` when the answer meets the
exercise's specification, ``Refuted`` with a counterexample trace of the *reader's* model
otherwise (never the solution), ``Unknown`` if the search could not finish.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason
from fmlab.mc import Model, check_invariant, check_leads_to, check_refinement, explore
from fmlab.mc.models import cri, rkt_mutable, rktlet
from fmlab.mc.models.rkt_mutable import App, MutablePodState, Pod

Result = Proved | Refuted[Any] | Unknown

# ---- notebook 1: a one-container runtime that keeps its sandbox READY ----------------

SIMPLE_START = ("none", "ABSENT")
"""The reader's runtime starts here: (sandbox, container) as two strings."""
SIMPLE_ACTIONS = (
    "RunPodSandbox",
    "CreateContainer",
    "StartContainer",
    "exit",
    "StopContainer",
    "StopPodSandbox",
)


def check_sandbox_runtime(step: Callable[[Any], Iterable[tuple[str, Any]]]) -> Result:
    """Does the reader's ``step((sandbox, container))`` keep SandboxStable, while still
    letting every action of :data:`SIMPLE_ACTIONS` happen somewhere?

    The checker remembers, beside the reader's state, whether a ``StopPodSandbox`` step
    has been taken, so the reader's model needs no such flag.
    """

    def init() -> Iterator[tuple[Any, bool]]:
        yield SIMPLE_START, False

    def next_(state: tuple[Any, bool]) -> Iterator[tuple[str, tuple[Any, bool]]]:
        inner, stopped = state
        for label, target in step(inner):
            yield label, (target, stopped or label == "StopPodSandbox")

    def sandbox_stable(state: tuple[Any, bool]) -> bool:
        (sandbox, _), stopped = state
        return sandbox in ("none", "READY") or stopped

    model = Model(init, next_, name="your runtime")
    found = check_invariant(model, sandbox_stable)
    if not isinstance(found, Proved):
        return found
    return _every_action_happens(model, SIMPLE_ACTIONS, found)


def _every_action_happens(model: Model, actions: Iterable[str], proved: Proved) -> Result:
    space = explore(model)
    seen = {str(edge.action).split("(")[0] for edge in space.edges()}
    missing = [name for name in actions if name not in seen]
    if missing:
        # Not a counterexample: the property holds, the runtime is just too timid.
        return Unknown(
            proved.claim,
            UnknownReason.UNSUPPORTED,
            f"it holds, but your runtime never lets {', '.join(missing)} happen",
        )
    return proved


# ---- notebook 2: when may a sandbox pod exit on its own? ----------------------------


def check_pod_exit_rule(rule: Callable[[tuple[str, ...]], bool], containers: int = 2) -> Result:
    """A mutable pod that also exits on its own whenever ``rule(app_states)`` holds
    (app states as strings: ``ABSENT``, ``PREPARED``, ``RUNNING``, ``EXITED``,
    ``REMOVED``): does it keep SandboxStable? The answer is a trace of that pod."""
    plain = rkt_mutable.namespace(containers)

    def next_(state: MutablePodState) -> Iterator[tuple[str, MutablePodState]]:
        yield from plain["next"](state)
        if state.pod is Pod.RUNNING and rule(tuple(a.name for a in state.apps)):
            apps = tuple(App.EXITED if a is App.RUNNING else a for a in state.apps)
            yield "pod exits", replace(state, pod=Pod.EXITED, apps=apps)

    model = Model(plain["init"], next_, name="your pod")
    return check_invariant(model, rkt_mutable.inv_sandbox_stable)


# ---- notebook 3: the fairness that removal needs --------------------------------------


def check_removal_fairness(weak: Iterable[str], containers: int = 2) -> Result:
    """Does weak fairness of exactly the actions in ``weak`` (names or exact labels)
    make "every container is eventually removed after RemovePodSandbox" hold?"""
    model = Model.from_namespace(cri.namespace(containers, fair=False), name="cri")
    p, q = cri.leadsto_removal_completes
    return check_leads_to(model, p, q, weak=tuple(weak), name="removal_completes")


# ---- notebook 4: mappings of CRI calls onto rkt commands ------------------------------


def check_mapping(mapping: Mapping[str, tuple[str, ...]], containers: int = 1) -> Result:
    """Is every behaviour of rktlet with ``mapping`` a behaviour of the CRI model?"""
    names = rktlet.namespace(containers, mapping=mapping)
    implementation = Model.from_namespace(names, name="your rktlet")
    specification = Model.from_namespace(cri.namespace(containers), name="CRI")
    return check_refinement(implementation, specification)


def check_idempotent_mapping(mapping: Mapping[str, tuple[str, ...]], containers: int = 1) -> Result:
    """Does ``mapping`` make RemoveContainer and StopContainer idempotent, and is every
    behaviour still a CRI behaviour?"""
    names = rktlet.namespace(containers, mapping=mapping)
    model = Model.from_namespace(names, name="your rktlet")
    for invariant in ("inv_remove_container_idempotent", "inv_stop_container_idempotent"):
        found = check_invariant(model, invariant)
        if not found.proved:
            return found
    return check_mapping(mapping, containers)


# ---- notebook 5: symmetry reduction -----------------------------------------------------


def check_symmetry(
    canonical: Callable[[tuple[Any, ...]], tuple[Any, ...]], containers: int = 3
) -> Result:
    """Is ``canonical`` (applied to the container tuple after every step) a sound symmetry
    reduction of the CRI model: does it map every state to one representative of the
    states that differ only in the order of their containers?

    Counterexample: a trace of the reduced model ending in a state whose permutation was
    given a different representative (or a representative that is not a permutation).
    """

    def canon(state: cri.CriState) -> cri.CriState:
        return cri.CriState(state.sandbox, tuple(canonical(state.containers)))

    def init() -> Iterator[cri.CriState]:
        yield canon(cri.initial_state(containers))

    def next_(state: cri.CriState) -> Iterator[tuple[str, cri.CriState]]:
        for label, target in cri.next(state):
            yield label, canon(target)

    def one_representative_per_permutation(state: cri.CriState) -> bool:
        slots = state.containers
        if sorted(canonical(slots), key=_order) != sorted(slots, key=_order):
            return False
        return all(
            tuple(canonical(permuted)) == tuple(canonical(slots))
            for permuted in itertools.permutations(slots)
        )

    model = Model(init, next_, name="your reduced CRI model")
    return check_invariant(model, one_representative_per_permutation)


def _order(container: Hashable) -> str:
    return repr(container)


def symmetric_states(containers: int) -> int:
    """States of the CRI model up to the order of containers, counted by hand: multisets
    of 6 states for READY, of 4 for NOTREADY and REMOVING, plus NONE and REMOVED."""
    return _multisets(6, containers) + 2 * _multisets(4, containers) + 2


def _multisets(kinds: int, size: int) -> int:
    from math import comb

    return comb(size + kinds - 1, kinds - 1)
