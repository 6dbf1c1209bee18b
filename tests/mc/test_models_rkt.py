"""The rkt models: immutable pods, mutable pods and rktlet, with every property's verdict,
the shortest counterexamples, and trace inclusion against the CRI model."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

import pytest

from fmlab.mc import Model, Status, check, check_invariant, check_refinement
from fmlab.mc.models import cri, rkt_immutable, rkt_mutable, rktlet


def model(namespace: dict[str, Any], name: str = "model") -> Model:
    return Model.from_namespace(namespace, name=name)


def verdicts(namespace: dict[str, Any]) -> dict[str, tuple[Status, tuple[Hashable, ...]]]:
    """Each property's status, and each invariant's shortest counterexample.

    The traces come from check_invariant, one invariant at a time: fmlab.mc's check()
    (first API version) keeps overwriting an invariant's violation with later violating
    states when it checks several invariants together, so its traces are not shortest.
    """
    checked = model(namespace)
    found = {}
    for p in check(checked).properties:
        actions: tuple[Hashable, ...] = ()
        if p.status is Status.VIOLATED and p.name in checked.invariants:
            witness = check_invariant(checked, p.name).witness
            actions = witness.actions
        elif p.trace is not None:
            actions = p.trace.actions
        found[p.name] = (p.status, actions)
    return found


# ---- immutable pods -------------------------------------------------------------------


@pytest.mark.parametrize("containers", [0, 1, 2, 3])
def test_an_empty_immutable_pod_exits_at_once(containers: int) -> None:
    found = verdicts(rkt_immutable.namespace(containers, preloaded=False))
    assert found["inv_sandbox_stable"] == (Status.VIOLATED, ("RunPodSandbox", "pod exits"))
    if containers:
        # The CRI gives no container list at RunPodSandbox, and the pod cannot take more.
        assert found["inv_create_possible_when_ready"] == (Status.VIOLATED, ("RunPodSandbox",))
    assert found["inv_stop_container_idempotent"][0] is Status.HOLDS


@pytest.mark.parametrize("containers", [1, 2, 3])
def test_a_preloaded_immutable_pod_exits_once_every_app_has_run(containers: int) -> None:
    found = verdicts(rkt_immutable.namespace(containers, preloaded=True))
    status, actions = found["inv_sandbox_stable"]
    assert status is Status.VIOLATED
    # Shortest: create, start and stop (or let exit) each app in turn, then the pod exits.
    assert len(actions) == 3 * containers + 2
    assert actions[0] == "RunPodSandbox"
    assert actions[-1] == "pod exits"
    for i in range(containers):
        create, start, stop = actions[1 + 3 * i : 4 + 3 * i]
        assert (create, start) == (f"CreateContainer(c{i})", f"StartContainer(c{i})")
        assert stop in (f"StopContainer(c{i})", f"exit(c{i})")
    assert found["inv_create_possible_when_ready"][0] is Status.HOLDS


def test_the_preloaded_counterexample_for_two_apps_is_start_stop_start_another_stop_it() -> None:
    _, actions = verdicts(rkt_immutable.namespace(2, preloaded=True))["inv_sandbox_stable"]
    calls = [str(a) for a in actions if not str(a).startswith(("Create", "Run", "pod"))]
    assert calls[0] == "StartContainer(c0)"
    assert calls[2] == "StartContainer(c1)"
    assert calls[1] in ("StopContainer(c0)", "exit(c0)")
    assert calls[3] in ("StopContainer(c1)", "exit(c1)")
    assert len(calls) == 4


# ---- mutable pods ---------------------------------------------------------------------


@pytest.mark.parametrize("containers", [1, 2, 3])
def test_a_mutable_sandbox_stays_running_until_rkt_stop(containers: int) -> None:
    found = verdicts(rkt_mutable.namespace(containers))
    assert all(status is Status.HOLDS for status, _ in found.values()), found


@pytest.mark.parametrize("containers", [1, 2])
def test_before_rkt_3478_one_exiting_app_ends_the_sandbox(containers: int) -> None:
    found = verdicts(rkt_mutable.namespace(containers, survives_app_exit=False))
    assert found["inv_sandbox_stable"] == (
        Status.VIOLATED,
        ("app sandbox", "app add c0", "app start c0", "exit(c0)"),
    )


# ---- rktlet ---------------------------------------------------------------------------

IDEMPOTENCE_FAILURES = {
    # rkt rm fails for a pod that is gone, and rktlet returns its error
    "inv_remove_sandbox_idempotent": ("RunPodSandbox", "StopPodSandbox", "RemovePodSandbox"),
    # rkt app stop and rkt app rm fail for an app the pod no longer has
    "inv_stop_container_idempotent": (
        "RunPodSandbox",
        "CreateContainer(c0)",
        "RemoveContainer(c0)",
    ),
    "inv_remove_container_idempotent": (
        "RunPodSandbox",
        "CreateContainer(c0)",
        "RemoveContainer(c0)",
    ),
}


@pytest.mark.parametrize("containers", [1, 2, 3])
def test_rktlet_keeps_the_sandbox_stable_but_not_every_call_idempotent(containers: int) -> None:
    found = verdicts(rktlet.namespace(containers))
    for name in ("inv_sandbox_stable", "inv_create_possible_when_ready"):
        assert found[name][0] is Status.HOLDS
    assert found["inv_stop_sandbox_idempotent"][0] is Status.HOLDS
    for name, actions in IDEMPOTENCE_FAILURES.items():
        assert found[name] == (Status.VIOLATED, actions)


def cri_model(containers: int) -> Model:
    return model(cri.namespace(containers), "cri")


@pytest.mark.parametrize("containers", [0, 1, 2, 3])
def test_every_rktlet_behaviour_is_a_cri_behaviour(containers: int) -> None:
    implementation = model(rktlet.namespace(containers), "rktlet")
    found = check_refinement(implementation, cri_model(containers))
    assert found.proved, found.explain()


@pytest.mark.parametrize("containers", [1, 2])
def test_before_pr_142_a_stopped_sandbox_still_behaves_as_ready(containers: int) -> None:
    implementation = model(rktlet.namespace(containers, mapping=rktlet.BEFORE_PR_142))
    found = check_refinement(implementation, cri_model(containers))
    assert found.refuted
    divergence = found.witness
    assert divergence.implementation.actions[:2] == ("RunPodSandbox", "StopPodSandbox")
    assert divergence.rejected in ("PodSandboxStatus() -> READY", "CreateContainer(c0)")
    assert len(divergence.implementation.actions) == 3


@pytest.mark.parametrize("containers", [1, 2])
def test_a_create_that_starts_is_caught_after_three_steps(containers: int) -> None:
    implementation = model(rktlet.namespace(containers, mapping=rktlet.ADD_STARTS))
    found = check_refinement(implementation, cri_model(containers))
    assert found.refuted
    actions = found.witness.implementation.actions
    assert actions[:2] == ("RunPodSandbox", "CreateContainer(c0)")
    assert actions[2] in ("ContainerStatus(c0) -> RUNNING", "exit(c0)", "lost(c0)")


@pytest.mark.parametrize("preloaded", [False, True])
def test_an_immutable_pod_is_not_a_cri_runtime(preloaded: bool) -> None:
    implementation = model(rkt_immutable.namespace(1, preloaded=preloaded))
    found = check_refinement(implementation, cri_model(1), label_map={"pod exits": None})
    assert found.refuted
    assert found.witness.rejected == "PodSandboxStatus() -> NOTREADY"


def test_a_mapping_must_translate_every_call() -> None:
    with pytest.raises(ValueError, match="RemovePodSandbox"):
        rktlet.namespace(
            1, mapping={k: v for k, v in rktlet.RKTLET_MAPPING.items() if k != "RemovePodSandbox"}
        )


# ---- trace inclusion, checked against a brute-force comparison of bounded traces -------


def traces(
    namespace: dict[str, Any], depth: int, hide: Callable[[Any], Any] = lambda label: label
) -> set[tuple[Any, ...]]:
    """Every trace of at most ``depth`` steps, labels mapped by ``hide`` (None dropped)."""
    found: set[tuple[Any, ...]] = set()
    frontier: Iterable[tuple[Any, tuple[Any, ...], int]] = [(s, (), 0) for s in namespace["init"]()]
    stack = list(frontier)
    while stack:
        state, labels, steps = stack.pop()
        found.add(labels)
        if steps == depth:
            continue
        for label, target in namespace["next"](state):
            mapped = hide(label)
            stack.append((target, labels if mapped is None else (*labels, mapped), steps + 1))
    return found


@pytest.mark.parametrize(
    ("mapping", "included"),
    [(rktlet.RKTLET_MAPPING, True), (rktlet.BEFORE_PR_142, False), (rktlet.ADD_STARTS, False)],
)
def test_trace_inclusion_agrees_with_enumerating_bounded_traces(
    mapping: Any, included: bool
) -> None:
    depth = 6
    implementation = traces(rktlet.namespace(1, mapping=mapping), depth, rktlet.label_map)
    specification = traces(cri.namespace(1), depth)
    assert (implementation <= specification) is included
    found = check_refinement(model(rktlet.namespace(1, mapping=mapping)), cri_model(1))
    assert found.proved is included


@pytest.mark.parametrize(
    ("module", "namespace"),
    [
        (rkt_immutable, rkt_immutable.namespace()),
        (rkt_mutable, rkt_mutable.namespace()),
        (rktlet, rktlet.namespace()),
    ],
    ids=["immutable", "mutable", "rktlet"],
)
def test_each_model_file_is_the_default_namespace(module: Any, namespace: dict[str, Any]) -> None:
    from pathlib import Path

    from fmlab.mc import load_model

    loaded = check(load_model(Path(module.__file__)))
    built = check(model(namespace))
    assert (loaded.states, loaded.transitions) == (built.states, built.transitions)
    assert [(p.name, p.status) for p in loaded.properties] == [
        (p.name, p.status) for p in built.properties
    ]


def test_the_immutable_model_file_hides_the_pods_own_exit_from_the_cri() -> None:
    from pathlib import Path

    from fmlab.mc import load_model

    pod = load_model(Path(rkt_immutable.__file__))
    found = check_refinement(pod, load_model(Path(cri.__file__)))
    assert found.refuted
    assert found.witness.implementation.actions == (
        "RunPodSandbox",
        "pod exits",
        "PodSandboxStatus() -> NOTREADY",
    )
