"""A CRI runtime built on rkt's immutable pods: why it cannot keep a sandbox READY.

rkt's original pods were immutable: the apps were fixed when the pod was created, and
the pod exited once its apps had exited; a pod with no app exits at once (rkt's app-level
API proposal: "when a pod becomes empty, currently it will terminate"). This model puts
the CRI's calls on top of such a pod, generously: an app may be started and stopped on
its own (real ``rkt run`` started every app at once), so any failure found here is a
failure of immutability itself, not of a clumsy adapter.

Two ways to fix the apps at creation, chosen by ``preloaded``:

* ``False`` (the module-level model): RunPodSandbox carries no container list in the
  CRI, so the pod is created empty. It exits at once, and CreateContainer can never add
  an app ("error adding app to pod: immutable pod", as the seed post shows).
* ``True``: the adapter learns the Kubernetes pod's containers in advance (as the
  earlier rktnetes integration read the pod spec) and creates the pod with all of them;
  CreateContainer then only claims an app that is already there.

The state, the labels and the properties are those of :mod:`fmlab.mc.models.cri`, seen
through :func:`view`, so the same questions can be asked of both.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from fmlab.mc.models._slots import Named, describe, replaced
from fmlab.mc.models.cri import (
    STOPPED,
    Container,
    Sandbox,
    container_name,
    create_possible,
    repeat_succeeds,
)

CONTAINERS = 2
PRELOADED = False


class Pod(Named):
    NONE = "NONE"
    RUNNING = "RUNNING"
    EXITED = "EXITED"
    REMOVED = "REMOVED"


class App(Named):
    """An app slot of an immutable pod; its states are linear (exited never runs again)."""

    NOT_IN_POD = "NOT_IN_POD"
    """Not among the pod's apps, and never can be: the pod is immutable."""
    PREPARED = "PREPARED"
    """In the pod from its creation; the kubelet has not called CreateContainer for it."""
    CREATED = "CREATED"
    RUNNING = "RUNNING"
    EXITED = "EXITED"
    REMOVED = "REMOVED"


@dataclass(frozen=True, slots=True)
class ImmutablePodState:
    pod: Pod
    apps: tuple[App, ...]
    stop_called: bool
    """The kubelet's memory: has it called StopPodSandbox?"""

    def __repr__(self) -> str:
        return describe("pod", self.pod, self.apps, note="stop called" if self.stop_called else "")


def initial_state(containers: int) -> ImmutablePodState:
    return ImmutablePodState(Pod.NONE, (App.NOT_IN_POD,) * containers, stop_called=False)


def init() -> Iterator[ImmutablePodState]:
    yield initial_state(CONTAINERS)


def _with(state: ImmutablePodState, index: int, app: App) -> ImmutablePodState:
    return replace(state, apps=replaced(state.apps, index, app))


# [start:immutable-pod-exits]
def pod_may_exit(state: ImmutablePodState) -> bool:
    """rkt's rule: a running pod exits once every app it holds has exited.

    An empty pod satisfies that at once; an app not started yet keeps the pod alive.
    """
    in_pod = [a for a in state.apps if a is not App.NOT_IN_POD]
    return state.pod is Pod.RUNNING and all(a in (App.EXITED, App.REMOVED) for a in in_pod)


# [end:immutable-pod-exits]


def _removed(apps: tuple[App, ...]) -> tuple[App, ...]:
    """Removing the pod removes the containers the kubelet knew; the others never existed."""
    known = (App.CREATED, App.RUNNING, App.EXITED)
    return tuple(App.REMOVED if a in known else App.NOT_IN_POD for a in apps)


def successors(state: ImmutablePodState, preloaded: bool) -> Iterator[tuple[str, Any]]:
    """The CRI calls an adapter over immutable pods can serve, and what the pod does."""
    pod, running = state.pod, state.pod is Pod.RUNNING
    if pod is Pod.NONE:
        fixed = App.PREPARED if preloaded else App.NOT_IN_POD
        yield "RunPodSandbox", replace(state, pod=Pod.RUNNING, apps=(fixed,) * len(state.apps))
        return
    if running:
        apps = tuple(App.EXITED if a is App.RUNNING else a for a in state.apps)
        yield "StopPodSandbox", replace(state, pod=Pod.EXITED, apps=apps, stop_called=True)
    else:
        yield "StopPodSandbox", replace(state, stop_called=True)
    if state.stop_called and pod is Pod.EXITED:
        yield "RemovePodSandbox", replace(state, pod=Pod.REMOVED, apps=_removed(state.apps))
    elif pod is Pod.REMOVED:
        yield "RemovePodSandbox", state
    if pod is not Pod.REMOVED:
        yield f"PodSandboxStatus() -> {'READY' if running else 'NOTREADY'}", state
    for i, app in enumerate(state.apps):
        name = container_name(i)
        if running and app is App.PREPARED:
            yield f"CreateContainer({name})", _with(state, i, App.CREATED)
        if running and app is App.CREATED:
            yield f"StartContainer({name})", _with(state, i, App.RUNNING)
        if app is App.RUNNING:
            yield f"StopContainer({name})", _with(state, i, App.EXITED)
            yield f"exit({name})", _with(state, i, App.EXITED)
        elif app in (App.CREATED, App.EXITED, App.REMOVED):
            yield f"StopContainer({name})", state
        if app in (App.CREATED, App.RUNNING, App.EXITED):
            yield f"ContainerStatus({name}) -> {app.name}", state
        # No RemoveContainer: an immutable pod's apps cannot be taken out.
    if pod_may_exit(state):
        yield "pod exits", replace(state, pod=Pod.EXITED)


def next(state: ImmutablePodState) -> Iterator[tuple[str, Any]]:
    return successors(state, PRELOADED)


def label_map(label: str) -> str | None:
    """For trace inclusion against the CRI: the pod's own exit is unseen (None); the
    kubelet notices it only through PodSandboxStatus."""
    return None if label == "pod exits" else label


# ---- the CRI's view of this runtime, and the CRI's properties ------------------------

_SANDBOX = {
    Pod.NONE: Sandbox.NONE,
    Pod.RUNNING: Sandbox.READY,
    Pod.EXITED: Sandbox.NOTREADY,
    Pod.REMOVED: Sandbox.REMOVED,
}
_CONTAINER = {
    App.NOT_IN_POD: Container.ABSENT,
    App.PREPARED: Container.ABSENT,  # the kubelet has no ID for it yet
    App.CREATED: Container.CREATED,
    App.RUNNING: Container.RUNNING,
    App.EXITED: Container.EXITED,
    App.REMOVED: Container.REMOVED,
}


def view(state: ImmutablePodState) -> tuple[Sandbox, tuple[Container, ...]]:
    """What PodSandboxStatus and ContainerStatus would report."""
    return _SANDBOX[state.pod], tuple(_CONTAINER[a] for a in state.apps)


def inv_sandbox_stable(state: ImmutablePodState) -> bool:
    """SandboxStable: once RunPodSandbox returned READY, READY until StopPodSandbox."""
    sandbox, _ = view(state)
    return sandbox in (Sandbox.NONE, Sandbox.READY) or state.stop_called


def inv_create_possible_when_ready(state: ImmutablePodState) -> bool:
    sandbox, containers = view(state)
    return create_possible(state, next, sandbox is Sandbox.READY, containers)


def inv_stop_container_idempotent(state: ImmutablePodState) -> bool:
    return repeat_succeeds(state, next, view(state)[1], "StopContainer", STOPPED)


def namespace(containers: int = CONTAINERS, *, preloaded: bool = PRELOADED) -> dict[str, Any]:
    """This model in the file convention, for ``containers`` slots and either variant."""
    if containers < 0:
        raise ValueError(f"containers must be at least 0, got {containers}")

    def step(state: ImmutablePodState) -> Iterator[tuple[str, Any]]:
        return successors(state, preloaded)

    def create_ok(state: ImmutablePodState) -> bool:
        sandbox, slots = view(state)
        return create_possible(state, step, sandbox is Sandbox.READY, slots)

    def stop_ok(state: ImmutablePodState) -> bool:
        return repeat_succeeds(state, step, view(state)[1], "StopContainer", STOPPED)

    return {
        "init": lambda: iter([initial_state(containers)]),
        "next": step,
        "label_map": label_map,
        "inv_sandbox_stable": inv_sandbox_stable,
        "inv_create_possible_when_ready": create_ok,
        "inv_stop_container_idempotent": stop_ok,
    }
