"""The CRI model (fmlab.mc.models.cri): its size, and every property's expected verdict."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fmlab.mc import Model, Status, check, check_invariant, check_leads_to, explore, load_model
from fmlab.mc.models import cri
from fmlab.mc.models.cri import Container, CriState, Sandbox

PROPERTIES = [
    "inv_create_possible_when_ready",
    "inv_remove_container_idempotent",
    "inv_remove_sandbox_idempotent",
    "inv_sandbox_stable",
    "inv_stop_container_idempotent",
    "inv_stop_sandbox_idempotent",
    "deadlock",
    "leadsto_removal_completes",
]


def model(containers: int, **options: Any) -> Model:
    return Model.from_namespace(cri.namespace(containers, **options), name="cri")


@pytest.mark.parametrize("containers", [0, 1, 2, 3, 4])
def test_the_reachable_states_are_those_counted_by_hand(containers: int) -> None:
    space = explore(model(containers))
    assert len(space.states) == cri.reachable_states(containers)


@pytest.mark.parametrize("containers", [1, 2, 3])
def test_every_property_holds_under_fairness(containers: int) -> None:
    report = check(model(containers))
    assert sorted(p.name for p in report.properties) == sorted(PROPERTIES)
    assert all(p.status is Status.HOLDS for p in report.properties), report
    assert report.states == cri.reachable_states(containers)


def test_removal_needs_fairness_and_the_lasso_is_the_kubelet_repeating_itself() -> None:
    found = check_leads_to(model(2, fair=False), *cri.leadsto_removal_completes)
    assert found.refuted
    lasso = found.witness
    # The shortest way in: run, stop, remove; then the runtime never cleans up while the
    # kubelet repeats an idempotent call (each repeat is a step that changes nothing).
    assert lasso.actions[:3] == ("RunPodSandbox", "StopPodSandbox", "RemovePodSandbox")
    cycle = lasso.actions[lasso.loop_start :]
    assert cycle
    assert not any(label.startswith("cleanup") for label in cycle)
    assert all(step.state.sandbox is Sandbox.REMOVING for step in lasso.steps[3:])


def test_the_module_file_is_a_model_of_two_containers() -> None:
    loaded = load_model(Path(cri.__file__))
    assert check(loaded).states == cri.reachable_states(2)
    assert loaded.weak_fairness == ("cleanup",)


def test_a_negative_size_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 0"):
        cri.namespace(-1)


def test_stop_pod_sandbox_stops_running_containers_and_keeps_created_ones() -> None:
    state = CriState(Sandbox.READY, (Container.RUNNING, Container.CREATED, Container.UNKNOWN))
    stopped = dict(cri.next(state))["StopPodSandbox"]
    assert stopped == CriState(
        Sandbox.NOTREADY, (Container.EXITED, Container.CREATED, Container.EXITED)
    )


def _without(label: str, containers: int) -> Model:
    """The CRI model with one call missing: a runtime that fails it."""
    names = cri.namespace(containers)

    def broken(state: CriState) -> Iterator[tuple[str, CriState]]:
        return ((a, s) for a, s in cri.next(state) if not (a == label and s == state))

    names["next"] = broken
    names["inv_stop_container_idempotent"] = lambda state: cri.repeat_succeeds(
        state, broken, state.containers, "StopContainer", cri.STOPPED
    )
    return Model.from_namespace(names, name="cri-broken")


def test_a_runtime_failing_a_repeated_stop_container_is_caught_by_the_shortest_trace() -> None:
    found = check_invariant(_without("StopContainer(c0)", 1), "inv_stop_container_idempotent")
    assert found.refuted
    assert found.witness.actions == (
        "RunPodSandbox",
        "CreateContainer(c0)",
        "RemoveContainer(c0)",
    )


def test_repr_is_one_short_line() -> None:
    state = CriState(Sandbox.READY, (Container.RUNNING, Container.ABSENT))
    assert repr(state) == "sandbox=READY c0=RUNNING c1=ABSENT"
