"""The exercise checkers answer a wrong attempt with the reader's own counterexample and
accept a right one (fmlab.mc.models.exercises)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fmlab.mc.models import rktlet
from fmlab.mc.models.exercises import (
    check_idempotent_mapping,
    check_mapping,
    check_pod_exit_rule,
    check_removal_fairness,
    check_sandbox_runtime,
    check_symmetry,
    symmetric_states,
)

Step = Callable[[tuple[str, str]], Iterator[tuple[str, Any]]]


def runtime(exit_stops_sandbox: bool, allow_exit: bool = True) -> Step:
    def step(state: tuple[str, str]) -> Iterator[tuple[str, Any]]:
        sandbox, container = state
        if sandbox == "none":
            yield "RunPodSandbox", ("READY", container)
            return
        if sandbox == "READY":
            stopped = "EXITED" if container == "RUNNING" else container
            yield "StopPodSandbox", ("NOTREADY", stopped)
            if container == "ABSENT":
                yield "CreateContainer", ("READY", "CREATED")
            if container == "CREATED":
                yield "StartContainer", ("READY", "RUNNING")
        if container == "RUNNING":
            yield "StopContainer", (sandbox, "EXITED")
            if allow_exit:
                yield "exit", ("NOTREADY" if exit_stops_sandbox else sandbox, "EXITED")

    return step


def test_a_runtime_whose_sandbox_follows_its_container_gets_its_own_trace() -> None:
    found = check_sandbox_runtime(runtime(exit_stops_sandbox=True))
    assert found.refuted
    assert found.witness.actions == ("RunPodSandbox", "CreateContainer", "StartContainer", "exit")


def test_a_runtime_that_forbids_a_step_is_not_accepted() -> None:
    found = check_sandbox_runtime(runtime(exit_stops_sandbox=False, allow_exit=False))
    assert found.verdict.value == "unknown"
    assert "exit" in found.explain()


def test_a_right_runtime_is_accepted() -> None:
    assert check_sandbox_runtime(runtime(exit_stops_sandbox=False)).proved


def test_pod_exit_rules() -> None:
    assert check_pod_exit_rule(lambda apps: "RUNNING" not in apps).witness.actions == (
        "app sandbox",
        "pod exits",
    )
    assert check_pod_exit_rule(lambda apps: False).proved


def test_removal_fairness_lists() -> None:
    assert check_removal_fairness([]).witness.is_lasso
    assert check_removal_fairness(["cleanup(c0)", "cleanup(c1)"]).refuted
    assert check_removal_fairness(["cleanup(c0)", "cleanup(c1)", "cleanup(sandbox)"]).proved


def test_mappings() -> None:
    wrong = {**rktlet.RKTLET_MAPPING, "RemoveContainer": ("app stop",)}
    assert check_mapping(wrong).refuted
    assert check_mapping(rktlet.RKTLET_MAPPING).proved
    assert check_idempotent_mapping(rktlet.RKTLET_MAPPING).refuted
    ignoring = {
        **rktlet.RKTLET_MAPPING,
        "RemoveContainer": ("app rm?",),
        "StopContainer": ("app stop?",),
    }
    assert check_idempotent_mapping(ignoring).proved


def test_symmetry() -> None:
    assert check_symmetry(lambda slots: slots).refuted
    assert check_symmetry(lambda slots: tuple(reversed(slots))).refuted
    sort = check_symmetry(lambda slots: tuple(sorted(slots, key=lambda c: c.name)))
    assert sort.proved
    assert sort.bound is not None
    assert sort.bound.startswith(f"{symmetric_states(3)} states")
    assert [symmetric_states(n) for n in range(4)] == [5, 16, 43, 98]
