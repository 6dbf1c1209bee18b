"""rkt's mutable pods, driven by ``rkt app`` commands (rkt 1.29, ``RKT_EXPERIMENT_APP``).

``rkt app sandbox`` starts an empty pod that stays alive; ``rkt app add``, ``start``,
``stop`` and ``rm`` change its apps one at a time; ``rkt stop`` and ``rkt rm`` end the
pod. The labels here are those commands, so this is rkt's own behaviour, before any
mapping onto the CRI (that is :mod:`fmlab.mc.models.rktlet`).

Facts the model follows, from rkt's source and proposals:

* ``app add`` and ``app stop`` refuse a pod that is not running; ``app rm`` works on a
  running or exited pod, and fails for an app the pod does not have ("nonexistent app");
* an app's states are linear: an exited app never runs again (app-level API proposal);
* ``rkt stop`` asks the pod to stop and returns: the pod keeps the state ``running`` until
  it has exited (rktlet#141 saw exactly that window); ``rkt rm`` refuses a running pod
  (rkt#3449) and fails for a pod that is gone;
* an app that exits on its own leaves the pod running, since rkt#3478. Before it
  (rkt#3472) a mutable sandbox followed the immutable pod's rule and quit as soon as one
  app failed: ``survives_app_exit=False`` brings that behaviour back.

One assumption the sources leave open: ``app stop`` on an app that is not running (added
but not started, or exited) succeeds without effect, as ``systemctl stop`` does for an
inactive unit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from fmlab.mc.models._slots import Named, describe, replaced
from fmlab.mc.models.cri import container_name

CONTAINERS = 2
SURVIVES_APP_EXIT = True


class Pod(Named):
    NONE = "NONE"
    RUNNING = "RUNNING"
    STOPPING = "STOPPING"
    """``rkt stop`` was issued; rkt still reports the pod as running until it exits."""
    EXITED = "EXITED"
    REMOVED = "REMOVED"


class App(Named):
    ABSENT = "ABSENT"
    PREPARED = "PREPARED"
    """Added to the pod, not started (rkt's app state ``created``)."""
    RUNNING = "RUNNING"
    EXITED = "EXITED"
    REMOVED = "REMOVED"


@dataclass(frozen=True, slots=True)
class MutablePodState:
    pod: Pod
    apps: tuple[App, ...]
    stop_called: bool
    """Has ``rkt stop`` been issued (by a user, or by rktlet for the kubelet)?"""

    def __repr__(self) -> str:
        return describe("pod", self.pod, self.apps, note="stop called" if self.stop_called else "")


def initial_state(containers: int) -> MutablePodState:
    return MutablePodState(Pod.NONE, (App.ABSENT,) * containers, stop_called=False)


def init() -> Iterator[MutablePodState]:
    yield initial_state(CONTAINERS)


def reported_running(pod: Pod) -> bool:
    """rkt's own view: a pod that was asked to stop is still ``running`` until it exits."""
    return pod in (Pod.RUNNING, Pod.STOPPING)


def _with(state: MutablePodState, index: int, app: App) -> MutablePodState:
    return replace(state, apps=replaced(state.apps, index, app))


def _pod_gone(state: MutablePodState, pod: Pod) -> MutablePodState:
    """The pod exits (or is removed): whatever ran in it has exited (or is gone)."""
    apps = tuple(App.EXITED if a is App.RUNNING else a for a in state.apps)
    if pod is Pod.REMOVED:
        apps = tuple(a if a is App.ABSENT else App.REMOVED for a in state.apps)
    return replace(state, pod=pod, apps=apps)


# [start:rkt-commands]
def run_app_command(state: MutablePodState, command: str, i: int) -> MutablePodState | None:
    """``rkt app <command>`` on app slot ``i``: the new state, or ``None`` when rkt fails."""
    app, running = state.apps[i], reported_running(state.pod)
    if command == "app add" and running and app is App.ABSENT:
        return _with(state, i, App.PREPARED)
    if command == "app start" and running and app is App.PREPARED:
        return _with(state, i, App.RUNNING)
    if command == "app stop" and running and app in (App.PREPARED, App.RUNNING, App.EXITED):
        return _with(state, i, App.EXITED if app is App.RUNNING else app)
    can_remove = state.pod in (Pod.RUNNING, Pod.STOPPING, Pod.EXITED)
    if command == "app rm" and can_remove and app in (App.PREPARED, App.RUNNING, App.EXITED):
        return _with(state, i, App.REMOVED)
    return None


def run_pod_command(state: MutablePodState, command: str) -> MutablePodState | None:
    """``rkt app sandbox``, ``rkt stop`` and ``rkt rm``: the new state, or ``None``."""
    if command == "app sandbox" and state.pod is Pod.NONE:
        return replace(state, pod=Pod.RUNNING)
    if command in ("stop", "stop --force") and reported_running(state.pod):
        return replace(state, pod=Pod.STOPPING, stop_called=True)
    if command == "rm" and state.pod is Pod.EXITED:
        return _pod_gone(state, Pod.REMOVED)
    return None


# [end:rkt-commands]


APP_COMMANDS = ("app add", "app start", "app stop", "app rm")
POD_COMMANDS = ("app sandbox", "stop", "rm")


def environment(
    state: MutablePodState, survives_app_exit: bool
) -> Iterator[tuple[str, MutablePodState]]:
    """What happens without a command: apps exit, and a stopping pod finishes exiting."""
    for i, app in enumerate(state.apps):
        if app is App.RUNNING and reported_running(state.pod):
            exited = _with(state, i, App.EXITED)
            if not survives_app_exit:  # rkt#3472: the sandbox quits with its app
                exited = _pod_gone(exited, Pod.EXITED)
            yield f"exit({container_name(i)})", exited
    if state.pod is Pod.STOPPING:
        yield "pod exits", _pod_gone(state, Pod.EXITED)


def successors(state: MutablePodState, survives_app_exit: bool) -> Iterator[tuple[str, Any]]:
    for command in POD_COMMANDS:
        target = run_pod_command(state, command)
        if target is not None:
            yield command, target
    for i in range(len(state.apps)):
        for command in APP_COMMANDS:
            target = run_app_command(state, command, i)
            if target is not None:
                yield f"{command} {container_name(i)}", target
    yield from environment(state, survives_app_exit)


def next(state: MutablePodState) -> Iterator[tuple[str, Any]]:
    return successors(state, SURVIVES_APP_EXIT)


def terminal(state: MutablePodState) -> bool:
    """After ``rkt rm`` nothing is left to do: an end, not a deadlock."""
    return state.pod is Pod.REMOVED


def inv_sandbox_stable(state: MutablePodState) -> bool:
    """A pod that ``rkt app sandbox`` started stays running until ``rkt stop``."""
    return state.pod in (Pod.NONE, Pod.RUNNING) or state.stop_called


def inv_add_possible_when_running(state: MutablePodState) -> bool:
    """While the pod runs, ``rkt app add`` succeeds for every free slot."""
    if state.pod is not Pod.RUNNING:
        return True
    labels = {label for label, _ in next(state)}
    return all(
        f"app add {container_name(i)}" in labels
        for i, app in enumerate(state.apps)
        if app is App.ABSENT
    )


def namespace(
    containers: int = CONTAINERS, *, survives_app_exit: bool = SURVIVES_APP_EXIT
) -> dict[str, Any]:
    """This model in the file convention; ``survives_app_exit=False`` is rkt before #3478."""
    if containers < 0:
        raise ValueError(f"containers must be at least 0, got {containers}")

    def step(state: MutablePodState) -> Iterator[tuple[str, Any]]:
        return successors(state, survives_app_exit)

    def add_ok(state: MutablePodState) -> bool:
        if state.pod is not Pod.RUNNING:
            return True
        labels = {label for label, _ in step(state)}
        free = [i for i, app in enumerate(state.apps) if app is App.ABSENT]
        return all(f"app add {container_name(i)}" in labels for i in free)

    return {
        "init": lambda: iter([initial_state(containers)]),
        "next": step,
        "terminal": terminal,
        "inv_sandbox_stable": inv_sandbox_stable,
        "inv_add_possible_when_running": add_ok,
    }
