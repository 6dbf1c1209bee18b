"""The Container Runtime Interface as its API documents it: one sandbox, N containers.

This is a model in fmlab.mc's plain file convention: ``init()``, ``next(state)`` and
invariants named ``inv_<name>(state)``, plus one liveness property (``leadsto_...``) and
the fairness it needs. Check it with ``fmlab mc check src/fmlab/mc/models/cri.py``
(two containers) or build another size with :func:`namespace`.

What the model takes from the API (kubernetes/cri-api, ``pkg/apis/runtime/v1/api.proto``):

* the sandbox is ``READY`` or ``NOTREADY``; RunPodSandbox must leave it ready;
* a container is ``CREATED``, ``RUNNING``, ``EXITED`` or ``UNKNOWN``;
* StopPodSandbox forcibly stops running containers, is idempotent, and the kubelet calls
  it at least once before RemovePodSandbox; RemovePodSandbox removes the containers too
  and is idempotent; StopContainer and RemoveContainer are idempotent (a repeated call,
  or a call on a container that is already gone, succeeds and changes nothing).

What the model adds, and why:

* ``ABSENT`` (not created yet) and ``REMOVED`` for containers, ``NONE``, ``REMOVING`` and
  ``REMOVED`` for the sandbox: the life before and after the API's states;
* the environment: a running container may exit on its own (``exit(c0)``) or the runtime
  may lose track of it (``lost(c0)``, giving ``UNKNOWN``);
* RemovePodSandbox as a request the runtime finishes later (``cleanup(c0)`` per container,
  then ``cleanup(sandbox)``), so that "every container is eventually removed" is a real
  liveness question that needs fairness, not something true by construction;
* status calls as observations (``PodSandboxStatus() -> READY``): they change nothing, but
  they let trace inclusion compare what a kubelet can *see* of two runtimes.

A call the runtime would answer with an error is simply not a transition: the kubelet may
issue it, nothing changes, and a model checker needs no step for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fmlab.mc.models._slots import Named, describe, replaced

CONTAINERS = 2
"""The number of container slots of the module-level model; :func:`namespace` builds others."""


class Sandbox(Named):
    """A pod sandbox's life, as the kubelet can tell it apart."""

    NONE = "NONE"
    """RunPodSandbox has not been called yet."""
    READY = "READY"
    NOTREADY = "NOTREADY"
    REMOVING = "REMOVING"
    """RemovePodSandbox was called; the runtime is still cleaning up."""
    REMOVED = "REMOVED"


class Container(Named):
    """One container slot: the API's four states, and the time before and after them."""

    ABSENT = "ABSENT"
    """Not created yet (the kubelet has no ID for it)."""
    CREATED = "CREATED"
    RUNNING = "RUNNING"
    EXITED = "EXITED"
    UNKNOWN = "UNKNOWN"
    REMOVED = "REMOVED"


EXISTING = frozenset({Container.CREATED, Container.RUNNING, Container.EXITED, Container.UNKNOWN})
"""The container states a status call can report (an absent or removed one is an error)."""


@dataclass(frozen=True, slots=True)
class CriState:
    """The sandbox and its container slots ``c0, c1, ...``."""

    sandbox: Sandbox
    containers: tuple[Container, ...]

    def __repr__(self) -> str:
        return describe("sandbox", self.sandbox, self.containers)


def container_name(index: int) -> str:
    """The name labels use for slot ``index``: ``c0``, ``c1``, ..."""
    return f"c{index}"


def initial_state(containers: int) -> CriState:
    """No sandbox yet, every slot empty."""
    return CriState(Sandbox.NONE, (Container.ABSENT,) * containers)


def init() -> Iterator[CriState]:
    yield initial_state(CONTAINERS)


def _with(state: CriState, index: int, container: Container) -> CriState:
    return CriState(state.sandbox, replaced(state.containers, index, container))


# [start:cri-sandbox-calls]
def _sandbox_calls(state: CriState) -> Iterator[tuple[str, CriState]]:
    """RunPodSandbox, StopPodSandbox and RemovePodSandbox, as the kubelet may issue them."""
    sandbox = state.sandbox
    if sandbox is Sandbox.NONE:
        yield "RunPodSandbox", CriState(Sandbox.READY, state.containers)
        return
    if sandbox is Sandbox.READY:
        # Running (and unknown) containers are forcibly terminated; created ones stay.
        stopped = tuple(
            Container.EXITED if c in (Container.RUNNING, Container.UNKNOWN) else c
            for c in state.containers
        )
        yield "StopPodSandbox", CriState(Sandbox.NOTREADY, stopped)
    else:
        yield "StopPodSandbox", state  # idempotent: stopped (or gone) already
    if sandbox is Sandbox.NOTREADY:  # the kubelet stops before it removes
        yield "RemovePodSandbox", CriState(Sandbox.REMOVING, state.containers)
    elif sandbox in (Sandbox.REMOVING, Sandbox.REMOVED):
        yield "RemovePodSandbox", state  # idempotent
    if sandbox is not Sandbox.REMOVED:
        seen = Sandbox.READY if sandbox is Sandbox.READY else Sandbox.NOTREADY
        yield f"PodSandboxStatus() -> {seen.name}", state


# [end:cri-sandbox-calls]


# [start:cri-container-calls]
def _container_calls(state: CriState, i: int) -> Iterator[tuple[str, CriState]]:
    """The kubelet's calls on container ``c<i>`` and what the container does by itself."""
    c, name, ready = state.containers[i], container_name(i), state.sandbox is Sandbox.READY
    if ready and c is Container.ABSENT:
        yield f"CreateContainer({name})", _with(state, i, Container.CREATED)
    if ready and c is Container.CREATED:
        yield f"StartContainer({name})", _with(state, i, Container.RUNNING)
    if c in (Container.RUNNING, Container.UNKNOWN):
        yield f"StopContainer({name})", _with(state, i, Container.EXITED)
    elif c is not Container.ABSENT:
        yield f"StopContainer({name})", state  # idempotent; nothing runs
    if c in EXISTING:
        yield f"RemoveContainer({name})", _with(state, i, Container.REMOVED)
        yield f"ContainerStatus({name}) -> {c.name}", state
    elif c is Container.REMOVED:
        yield f"RemoveContainer({name})", state  # idempotent
    if c is Container.RUNNING:  # the environment: containers end without being asked
        yield f"exit({name})", _with(state, i, Container.EXITED)
        yield f"lost({name})", _with(state, i, Container.UNKNOWN)
    if state.sandbox is Sandbox.REMOVING and c in EXISTING:
        yield f"cleanup({name})", _with(state, i, Container.REMOVED)


# [end:cri-container-calls]


def next(state: CriState) -> Iterator[tuple[str, CriState]]:
    yield from _sandbox_calls(state)
    for i in range(len(state.containers)):
        yield from _container_calls(state, i)
    if state.sandbox is Sandbox.REMOVING and all(c not in EXISTING for c in state.containers):
        # Once the sandbox is gone no slot of it can ever hold a container again.
        gone = (Container.REMOVED,) * len(state.containers)
        yield "cleanup(sandbox)", CriState(Sandbox.REMOVED, gone)


# ---- the properties -----------------------------------------------------------------


# [start:cri-sandbox-stable]
def stop_called(state: CriState) -> bool:
    """Has the kubelet called StopPodSandbox? In this model only that call leaves READY."""
    return state.sandbox in (Sandbox.NOTREADY, Sandbox.REMOVING, Sandbox.REMOVED)


def inv_sandbox_stable(state: CriState) -> bool:
    """SandboxStable: once RunPodSandbox returned READY, READY until StopPodSandbox."""
    return state.sandbox in (Sandbox.NONE, Sandbox.READY) or stop_called(state)


# [end:cri-sandbox-stable]


def inv_create_possible_when_ready(state: CriState) -> bool:
    """In every READY state, CreateContainer succeeds for every slot still free."""
    return create_possible(state, next, state.sandbox is Sandbox.READY, state.containers)


# [start:cri-idempotence]
def inv_stop_sandbox_idempotent(state: CriState) -> bool:
    """Once stopped, StopPodSandbox succeeds again and changes nothing."""
    return not stop_called(state) or ("StopPodSandbox", state) in set(next(state))


def inv_remove_sandbox_idempotent(state: CriState) -> bool:
    """Once removal was requested, RemovePodSandbox succeeds again and changes nothing."""
    requested = state.sandbox in (Sandbox.REMOVING, Sandbox.REMOVED)
    return not requested or ("RemovePodSandbox", state) in set(next(state))


def inv_stop_container_idempotent(state: CriState) -> bool:
    """StopContainer on an exited or removed container succeeds and changes nothing."""
    return repeat_succeeds(state, next, state.containers, "StopContainer", STOPPED)


def inv_remove_container_idempotent(state: CriState) -> bool:
    """RemoveContainer on a removed container succeeds and changes nothing."""
    return repeat_succeeds(state, next, state.containers, "RemoveContainer", {Container.REMOVED})


# [end:cri-idempotence]


# [start:cri-liveness]
leadsto_removal_completes = (
    lambda state: state.sandbox is Sandbox.REMOVING,
    lambda state: state.sandbox is Sandbox.REMOVED,
)
"""Every container is eventually removed after RemovePodSandbox (the sandbox with them)."""

WEAK_FAIRNESS = ("cleanup",)
"""The runtime, once it can clean up, eventually does: without this, the kubelet may call
StopPodSandbox forever (it is idempotent, so each call is a step) while nothing is removed."""
# [end:cri-liveness]


# ---- shared with the rkt models ----------------------------------------------------

STOPPED = frozenset({Container.EXITED, Container.REMOVED})


def create_possible(state: Any, step: Any, ready: bool, containers: tuple[Container, ...]) -> bool:
    """True unless the sandbox reads READY and CreateContainer fails for a free slot."""
    if not ready:
        return True
    labels = {label for label, _ in step(state)}
    return all(
        f"CreateContainer({container_name(i)})" in labels
        for i, c in enumerate(containers)
        if c is Container.ABSENT
    )


def repeat_succeeds(
    state: Any,
    step: Any,
    containers: tuple[Container, ...],
    call: str,
    done: frozenset[Container] | set[Container],
) -> bool:
    """For every slot in a ``done`` state, ``call`` on it is a step back to ``state``."""
    wanted = [f"{call}({container_name(i)})" for i, c in enumerate(containers) if c in done]
    if not wanted:
        return True
    loops = {label for label, target in step(state) if target == state}
    return all(label in loops for label in wanted)


def namespace(containers: int = CONTAINERS, *, fair: bool = True) -> dict[str, Any]:
    """This model in the file convention, for ``containers`` slots.

    ``fair=False`` drops the fairness assumption, so the liveness check shows why it is
    needed. Pass the result to ``fmlab.mc``'s model loader (``Model.from_namespace``).
    """
    if containers < 0:
        raise ValueError(f"containers must be at least 0, got {containers}")
    names = {key: value for key, value in globals().items() if _is_convention_name(key)}
    names["init"] = lambda: iter([initial_state(containers)])
    names["WEAK_FAIRNESS"] = WEAK_FAIRNESS if fair else ()
    return names


def _is_convention_name(key: str) -> bool:
    return key in ("next", "WEAK_FAIRNESS") or key.startswith(("inv_", "leadsto_"))


def reachable_states(containers: int) -> int:
    """How many states the model has, counted by hand (tests compare the checkers with it).

    READY: each slot is any of the six states (6^n); NOTREADY and REMOVING: nothing runs,
    so each slot is absent, created, exited or removed (4^n each); plus NONE and REMOVED.
    """
    return int(6**containers) + 2 * int(4**containers) + 2
