"""rktlet: the kubelet's CRI calls, translated into ``rkt app`` commands on a mutable pod.

rktlet (kubernetes-retired/rktlet) ran ``rkt app sandbox`` for RunPodSandbox and
``rkt app add|start|stop|rm`` for the container calls; StopPodSandbox ran ``rkt stop``
(ignoring "already stopped" and "does not exist" errors, for idempotence), and
RemovePodSandbox ran ``rkt stop --force`` and then ``rkt rm``. A sandbox read READY while
rkt reported the pod ``running``. Its PR #142 made StopPodSandbox wait until the status
read NOTREADY, because the status could still read READY right after the call.

:data:`RKTLET_MAPPING` is that translation as data: each CRI call and the rkt commands it
runs, in order; a command ending in ``?`` may fail without failing the call. A call
succeeds (is a transition) when all its commands do, on the mutable pod of
:mod:`fmlab.mc.models.rkt_mutable`. Other mappings give other runtimes:
:data:`BEFORE_PR_142` (no waiting) and :data:`ADD_STARTS` (CreateContainer also starts
the app, as a loose reading of "``app add`` is CreateContainer + StartContainer" suggests).

The labels are the CRI's (``CreateContainer(c0)``, ``PodSandboxStatus() -> READY``,
``exit(c0)``), so trace inclusion can compare this model with :mod:`~.cri` directly;
``pod exits``, rkt finishing a stop in the background, is internal (:func:`label_map`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

from fmlab.mc.models.cri import (
    STOPPED,
    Container,
    Sandbox,
    container_name,
    create_possible,
    repeat_succeeds,
)
from fmlab.mc.models.rkt_mutable import (
    App,
    MutablePodState,
    Pod,
    environment,
    initial_state,
    reported_running,
    run_app_command,
    run_pod_command,
)

CONTAINERS = 2

# [start:rktlet-mapping]
RKTLET_MAPPING: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "RunPodSandbox": ("app sandbox",),
        "CreateContainer": ("app add",),
        "StartContainer": ("app start",),
        "StopContainer": ("app stop",),
        "RemoveContainer": ("app rm",),
        "StopPodSandbox": ("stop?", "wait until exited"),  # the wait is PR #142's fix
        "RemovePodSandbox": ("stop --force?", "rm"),
    }
)
# [end:rktlet-mapping]

BEFORE_PR_142: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {**RKTLET_MAPPING, "StopPodSandbox": ("stop?",)}
)
"""rktlet before PR #142: StopPodSandbox returns as soon as ``rkt stop`` does."""

ADD_STARTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {**RKTLET_MAPPING, "CreateContainer": ("app add", "app start")}
)
"""A deliberately wrong mapping: CreateContainer starts the app as well."""

MAPPING = RKTLET_MAPPING
"""The mapping of the module-level model."""

SANDBOX_CALLS = ("RunPodSandbox", "StopPodSandbox", "RemovePodSandbox")
CONTAINER_CALLS = ("CreateContainer", "StartContainer", "StopContainer", "RemoveContainer")


def _run(state: MutablePodState, command: str, i: int | None) -> MutablePodState | None:
    """One rkt command (or rktlet's own wait); ``None`` when it fails."""
    if command.endswith("?"):  # rktlet ignores this command's errors
        return _run(state, command[:-1], i) or state
    if command == "wait until exited":  # poll the status until the pod has exited
        if state.pod is Pod.STOPPING:
            return next_after_exit(state)
        return state if state.pod in (Pod.EXITED, Pod.REMOVED) else None
    if i is None:
        return run_pod_command(state, command)
    return run_app_command(state, command, i)


def next_after_exit(state: MutablePodState) -> MutablePodState:
    """The pod finishes exiting (what ``pod exits`` does in the background)."""
    return dict(environment(state, survives_app_exit=True))["pod exits"]


def call(
    state: MutablePodState, mapping: Mapping[str, tuple[str, ...]], name: str, i: int | None
) -> MutablePodState | None:
    """A CRI call through ``mapping``: every command in turn, or ``None`` if one fails."""
    current: MutablePodState | None = state
    for command in mapping[name]:
        assert current is not None
        current = _run(current, command, i)
        if current is None:
            return None
    return current


# [start:rktlet-kubelet]
def successors(
    state: MutablePodState, mapping: Mapping[str, tuple[str, ...]]
) -> Iterator[tuple[str, Any]]:
    """What a kubelet may call (it needs an ID for what it names), and what happens."""
    for name in SANDBOX_CALLS:
        created = state.pod is not Pod.NONE
        allowed = {
            "RunPodSandbox": not created,
            "StopPodSandbox": created,
            "RemovePodSandbox": state.stop_called,  # the kubelet stops before it removes
        }[name]
        target = call(state, mapping, name, None) if allowed else None
        if target is not None:
            yield name, target
    for i, app in enumerate(state.apps):
        for name in CONTAINER_CALLS:
            has_id = app is not App.ABSENT or name == "CreateContainer"
            target = call(state, mapping, name, i) if has_id else None
            if target is not None:
                yield f"{name}({container_name(i)})", target
    yield from _observations(state)
    yield from environment(state, survives_app_exit=True)


# [end:rktlet-kubelet]


# [start:rktlet-status]
_CONTAINER = {
    App.ABSENT: Container.ABSENT,
    App.PREPARED: Container.CREATED,
    App.RUNNING: Container.RUNNING,
    App.EXITED: Container.EXITED,
    App.REMOVED: Container.REMOVED,
}


def view(state: MutablePodState) -> tuple[Sandbox, tuple[Container, ...]]:
    """rktlet's status translation: READY while rkt reports the pod ``running``."""
    if state.pod is Pod.NONE:
        sandbox = Sandbox.NONE
    elif state.pod is Pod.REMOVED:
        sandbox = Sandbox.REMOVED
    else:
        sandbox = Sandbox.READY if reported_running(state.pod) else Sandbox.NOTREADY
    return sandbox, tuple(_CONTAINER[a] for a in state.apps)


# [end:rktlet-status]


def _observations(state: MutablePodState) -> Iterator[tuple[str, Any]]:
    sandbox, containers = view(state)
    if sandbox in (Sandbox.READY, Sandbox.NOTREADY):
        yield f"PodSandboxStatus() -> {sandbox.name}", state
    for i, c in enumerate(containers):
        if c in (Container.CREATED, Container.RUNNING, Container.EXITED):
            yield f"ContainerStatus({container_name(i)}) -> {c.name}", state


def label_map(label: str) -> str | None:
    """rktlet's labels are the CRI's; ``pod exits`` happens inside rkt, unseen (None)."""
    return None if label == "pod exits" else label


def next(state: MutablePodState) -> Iterator[tuple[str, Any]]:
    return successors(state, MAPPING)


def init() -> Iterator[MutablePodState]:
    yield initial_state(CONTAINERS)


def _properties(step: Any) -> dict[str, Any]:
    """The CRI's invariants, asked of this runtime through :func:`view`."""

    def inv_sandbox_stable(state: MutablePodState) -> bool:
        sandbox, _ = view(state)
        return sandbox in (Sandbox.NONE, Sandbox.READY) or state.stop_called

    def inv_create_possible_when_ready(state: MutablePodState) -> bool:
        sandbox, containers = view(state)
        return create_possible(state, step, sandbox is Sandbox.READY, containers)

    def inv_stop_sandbox_idempotent(state: MutablePodState) -> bool:
        return not state.stop_called or ("StopPodSandbox", state) in set(step(state))

    def inv_remove_sandbox_idempotent(state: MutablePodState) -> bool:
        removed = state.pod is Pod.REMOVED
        return not removed or ("RemovePodSandbox", state) in set(step(state))

    def inv_stop_container_idempotent(state: MutablePodState) -> bool:
        return repeat_succeeds(state, step, view(state)[1], "StopContainer", STOPPED)

    def inv_remove_container_idempotent(state: MutablePodState) -> bool:
        removed = {Container.REMOVED}
        return repeat_succeeds(state, step, view(state)[1], "RemoveContainer", removed)

    return {
        name: function
        for name, function in locals().items()
        if name.startswith("inv_") and callable(function)
    }


def namespace(
    containers: int = CONTAINERS, *, mapping: Mapping[str, tuple[str, ...]] = RKTLET_MAPPING
) -> dict[str, Any]:
    """This model in the file convention, for ``containers`` slots and a given mapping."""
    if containers < 0:
        raise ValueError(f"containers must be at least 0, got {containers}")
    missing = set(SANDBOX_CALLS + CONTAINER_CALLS) - set(mapping)
    if missing:
        raise ValueError(f"the mapping does not translate {sorted(missing)}")

    def step(state: MutablePodState) -> Iterator[tuple[str, Any]]:
        return successors(state, mapping)

    return {
        "init": lambda: iter([initial_state(containers)]),
        "next": step,
        "label_map": label_map,
        **_properties(step),
    }


_MODULE_PROPERTIES = _properties(next)
inv_sandbox_stable = _MODULE_PROPERTIES["inv_sandbox_stable"]
inv_create_possible_when_ready = _MODULE_PROPERTIES["inv_create_possible_when_ready"]
inv_stop_sandbox_idempotent = _MODULE_PROPERTIES["inv_stop_sandbox_idempotent"]
inv_remove_sandbox_idempotent = _MODULE_PROPERTIES["inv_remove_sandbox_idempotent"]
inv_stop_container_idempotent = _MODULE_PROPERTIES["inv_stop_container_idempotent"]
inv_remove_container_idempotent = _MODULE_PROPERTIES["inv_remove_container_idempotent"]
