"""The CRI model of ``fmlab/mc/models/cri.py`` for the fast path: one sandbox, N containers.

The same states and the same labelled steps as the plain model (status calls and the
idempotent repeats included, as steps that change nothing), with the sandbox and each
container slot encoded as small integers. ``CRI_CONTAINERS`` in the environment sets N
(default 2); :func:`build` makes any size. The state count is 6**N + 2 * 4**N + 2.
"""

import os
from functools import reduce

import numpy as np

from fmlab.mc import VectorAction, VectorModel

# The sandbox's values, and a container slot's.
NONE, READY, NOTREADY, REMOVING, SANDBOX_REMOVED = range(5)
ABSENT, CREATED, RUNNING, EXITED, UNKNOWN, REMOVED = range(6)
CONTAINER_NAMES = ("ABSENT", "CREATED", "RUNNING", "EXITED", "UNKNOWN", "REMOVED")


def _any_of(value, choices):
    # `|` and `==` work on numpy arrays and on plain integers alike (not `in`, not `or`).
    return reduce(lambda a, b: a | b, [value == choice for choice in choices])


def _exists(value):
    return _any_of(value, (CREATED, RUNNING, EXITED, UNKNOWN))


def _unchanged(v):
    return {}


def _stop_sandbox(slots):
    def update(v):
        stopped = {
            slot: np.where(_any_of(v[slot], (RUNNING, UNKNOWN)), EXITED, v[slot]) for slot in slots
        }
        return {"sandbox": NOTREADY, **stopped}

    return update


def _container_actions(slot):
    def is_(*states):
        return lambda v: _any_of(v[slot], states)

    def ready_and(state):
        return lambda v: (v["sandbox"] == READY) & (v[slot] == state)

    def becomes(state):
        return lambda v: {slot: state}

    actions = [
        VectorAction(f"CreateContainer({slot})", ready_and(ABSENT), becomes(CREATED)),
        VectorAction(f"StartContainer({slot})", ready_and(CREATED), becomes(RUNNING)),
        VectorAction(f"StopContainer({slot})", is_(RUNNING, UNKNOWN), becomes(EXITED)),
        VectorAction(f"StopContainer({slot})", is_(CREATED, EXITED, REMOVED), _unchanged),
        VectorAction(f"RemoveContainer({slot})", lambda v: _exists(v[slot]), becomes(REMOVED)),
        VectorAction(f"RemoveContainer({slot})", is_(REMOVED), _unchanged),
        VectorAction(f"exit({slot})", is_(RUNNING), becomes(EXITED)),
        VectorAction(f"lost({slot})", is_(RUNNING), becomes(UNKNOWN)),
        VectorAction(
            f"cleanup({slot})",
            lambda v: (v["sandbox"] == REMOVING) & _exists(v[slot]),
            becomes(REMOVED),
        ),
    ]
    for state in (CREATED, RUNNING, EXITED, UNKNOWN):
        label = f"ContainerStatus({slot}) -> {CONTAINER_NAMES[state]}"
        actions.append(VectorAction(label, is_(state), _unchanged))
    return actions


def build(containers):
    slots = [f"c{i}" for i in range(containers)]

    def sandbox_is(*states):
        return lambda v: _any_of(v["sandbox"], states)

    def all_gone(v):
        result = v["sandbox"] == REMOVING
        for slot in slots:
            result = result & _any_of(v[slot], (ABSENT, REMOVED))
        return result

    def remove_all(v):
        return {"sandbox": SANDBOX_REMOVED, **{slot: REMOVED for slot in slots}}

    actions = [
        VectorAction("RunPodSandbox", sandbox_is(NONE), lambda v: {"sandbox": READY}),
        VectorAction("StopPodSandbox", sandbox_is(READY), _stop_sandbox(slots)),
        VectorAction("StopPodSandbox", sandbox_is(NOTREADY, REMOVING, SANDBOX_REMOVED), _unchanged),
        VectorAction("RemovePodSandbox", sandbox_is(NOTREADY), lambda v: {"sandbox": REMOVING}),
        VectorAction("RemovePodSandbox", sandbox_is(REMOVING, SANDBOX_REMOVED), _unchanged),
        VectorAction("PodSandboxStatus() -> READY", sandbox_is(READY), _unchanged),
        VectorAction("PodSandboxStatus() -> NOTREADY", sandbox_is(NOTREADY, REMOVING), _unchanged),
        VectorAction("cleanup(sandbox)", all_gone, remove_all),
    ]
    for slot in slots:
        actions += _container_actions(slot)

    def sandbox_stable(v):
        stop_called = _any_of(v["sandbox"], (NOTREADY, REMOVING, SANDBOX_REMOVED))
        return (v["sandbox"] == NONE) | (v["sandbox"] == READY) | stop_called

    return VectorModel(
        variables={"sandbox": 5, **{slot: 6 for slot in slots}},
        init=[{}],
        actions=actions,
        invariants={"inv_sandbox_stable": sandbox_stable},
        name=f"cri ({containers} containers)",
    )


def reachable_states(containers):
    """READY: six states per slot; NOTREADY and REMOVING: four; NONE and REMOVED: one."""
    return 6**containers + 2 * 4**containers + 2


model = build(int(os.environ.get("CRI_CONTAINERS", "2")))
