"""Laws every DefaultPreemption answer obeys, on random small clusters."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fmlab.k8s._build import pod, started
from fmlab.k8s._model import Pod
from fmlab.k8s._preemption import Candidate, preempt
from fmlab.k8s.filters import CycleState, importance_key

from .strategies import Scenario, scenarios

NOW = started(100).timestamp()


def _usage_ok(scenario_cluster: object) -> bool:
    from fmlab.k8s._cluster import ClusterState

    assert isinstance(scenario_cluster, ClusterState)
    for info in scenario_cluster.nodes.values():
        total = sum(p.requests.get("cpu", 0) for p in info.pods.values())
        if total != info.requested.get("cpu", 0) or total > info.node.allocatable["cpu"]:
            return False
        if len(info.pods) > info.node.allocatable["pods"]:
            return False
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_preemption_laws(scenario: Scenario) -> None:
    cluster = scenario.cluster()
    assert _usage_ok(cluster)
    pending = scenario.pending
    result = preempt(cluster, pending, offset=0, now=NOW)
    # The what-ifs left the cluster exactly as it was.
    assert _usage_ok(cluster)
    if result.nominated_node is None:
        assert result.victims == ()
        return
    assert result.victims, "a nomination always comes with at least one victim"
    for victim in result.victims:
        assert victim.effective_priority < pending.effective_priority
        assert victim.node_name == result.nominated_node
    # An eviction happens only when the preemptor then fits.
    for victim in result.victims:
        cluster.remove(victim)
    state = CycleState(cluster, pending)
    assert state.filter_with_nominated(cluster.nodes[result.nominated_node]).ok
    state.add_pod(pending, cluster.nodes[result.nominated_node])
    assert _usage_ok(cluster)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_arithmetic_shortcut_agrees_with_the_step_by_step_what_if(scenario: Scenario) -> None:
    from fmlab.k8s._preemption import select_victims_on_node

    cluster = scenario.cluster()
    state = CycleState(cluster, scenario.pending)
    for info in cluster.nodes.values():
        fast = select_victims_on_node(state, info, NOW, shortcut=True)
        slow = select_victims_on_node(state, info, NOW, shortcut=False)
        assert fast == slow


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_nominated_pod_shortcut_agrees_with_adding_them(scenario: Scenario) -> None:
    cluster = scenario.cluster()
    state = CycleState(cluster, scenario.pending)
    for info in cluster.nodes.values():
        fast = state.filter_with_nominated(info, shortcut=True)
        slow = state.filter_with_nominated(info, shortcut=False)
        assert fast.code == slow.code
        assert fast.plugin == slow.plugin


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_filtering_all_nodes_at_once_agrees_with_one_by_one(scenario: Scenario) -> None:
    cluster = scenario.cluster()
    state = CycleState(cluster, scenario.pending)
    if not state.vectorizable:
        return
    ok, failures = state.filter_all()
    for info in cluster.node_list:
        one = state.filter_with_nominated(info, shortcut=False)
        assert bool(ok[info.index]) == one.ok
        if not one.ok:
            failure = failures[info.index]
            assert failure is not None
            assert (failure.code, failure.plugin, failure.reasons) == (
                one.code,
                one.plugin,
                one.reasons,
            )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_fit_first_arrays_agree_with_filtering_one_by_one(scenario: Scenario) -> None:
    cluster = scenario.cluster()
    state = CycleState(cluster, scenario.pending)
    if not state.fit_vectorizable:
        return
    ok, failures = state.filter_all_fit_first()
    for info in cluster.node_list:
        one = state.filter_with_nominated(info, shortcut=False)
        assert bool(ok[info.index]) == one.ok
        failure = failures[info.index]
        if one.ok:
            assert failure is None
        else:
            assert failure is not None
            assert (failure.code, failure.plugin, failure.reasons) == (
                one.code,
                one.plugin,
                one.reasons,
            )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_dry_run_screen_agrees_with_visiting_every_node(scenario: Scenario) -> None:
    from fmlab.k8s._preemption import dry_run

    cluster = scenario.cluster()
    state = CycleState(cluster, scenario.pending)
    potential = list(cluster.nodes.values())
    screened = dry_run(state, potential, 0, NOW, screen=True)
    remembered = dry_run(state, potential, 0, NOW, screen=True)  # from the memo
    visited = dry_run(state, potential, 0, NOW, screen=False)
    slowest = dry_run(state, potential, 0, NOW, screen=False, shortcut=False, memo=False)
    assert screened == remembered == visited == slowest


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.data())
def test_remembered_victims_are_forgotten_when_the_cluster_changes(
    scenario: Scenario, data: st.DataObject
) -> None:
    from fmlab.k8s._preemption import dry_run

    cluster = scenario.cluster()
    potential = list(cluster.nodes.values())
    dry_run(CycleState(cluster, scenario.pending), potential, 0, NOW)
    bound = [p for _, p in cluster.bound_pods()]
    if bound:
        cluster.remove(data.draw(st.sampled_from(bound)))
    # A different "now", too: pods without a start time count as started now.
    later = NOW + data.draw(st.sampled_from([0.0, 50.0]))
    fast = dry_run(CycleState(cluster, scenario.pending), potential, 0, later)
    slow = dry_run(
        CycleState(cluster, scenario.pending), potential, 0, later, screen=False, memo=False
    )
    assert fast == slow


_victims = st.lists(
    st.builds(
        lambda i, priority, start: pod(f"v{i}", priority=priority, start=start, node_name="n"),
        st.integers(0, 3),
        st.integers(-2, 2),
        st.sampled_from([None, 99.0, 102.0]),  # around NOW (start 100) and NOW + 5
    ),
    min_size=1,
    max_size=3,
).map(lambda vs: tuple(sorted(vs, key=lambda v: _importance(v))))
_candidates = st.lists(
    st.builds(Candidate, st.sampled_from(["n1", "n2", "n3", "n4"]), _victims, st.integers(0, 2)),
    min_size=1,
    max_size=6,
)


def _importance(v: Pod) -> tuple[int, float]:
    return importance_key(v, NOW)


@settings(max_examples=100, deadline=None)
@given(_candidates)
def test_picking_by_one_key_agrees_with_criterion_by_criterion(
    candidates: list[Candidate],
) -> None:
    from fmlab.k8s._preemption import _pick_by_key, pick_one_node

    assert _pick_by_key(candidates, NOW) is pick_one_node(candidates, NOW)
    # Again, from the keys remembered on the candidates, and at a later "now".
    assert _pick_by_key(candidates, NOW) is pick_one_node(candidates, NOW)
    assert _pick_by_key(candidates, NOW + 5) is pick_one_node(candidates, NOW + 5)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_fit_error_counts_every_node_reason(scenario: Scenario) -> None:
    from fmlab.k8s._preemption import _fit_error, find_fits

    cluster = scenario.cluster()
    _, statuses = find_fits(CycleState(cluster, scenario.pending))
    counts = Counter(r for s in statuses.values() for r in (s.reasons or (s.code.value,)))
    # sortReasonsHistogram (pkg/scheduler/framework/types.go, FitError.Error): the strings
    # "<count> <reason>" are sorted as strings, count included.
    expected = ", ".join(sorted(f"{n} {r}" for r, n in counts.items()))
    assert _fit_error(statuses) == f"0/{len(statuses)} nodes are available: {expected}."


def test_a_remembered_pick_key_that_used_now_is_not_reused_at_another_now() -> None:
    from fmlab.k8s._preemption import _pick_by_key, pick_one_node

    # Equal on every criterion but the start time: an unstarted victim counts as started
    # "now", which is before 102 at NOW (start 100) and after it at NOW + 5.
    unstarted = Candidate("n1", (pod("a", priority=1, start=None, node_name="n1"),), 0)
    started_102 = Candidate("n2", (pod("b", priority=1, start=102.0, node_name="n2"),), 0)
    candidates = [unstarted, started_102]
    assert _pick_by_key(candidates, NOW) is pick_one_node(candidates, NOW) is started_102
    assert _pick_by_key(candidates, NOW + 5) is pick_one_node(candidates, NOW + 5) is unstarted


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), scenarios())
def test_caches_shared_between_cycles_change_no_verdict(first: Scenario, second: Scenario) -> None:
    # A cycle of another pod first fills the cluster's shared caches; the second pod's
    # verdicts must be those it gets on a fresh copy of the cluster.
    cluster = second.cluster()
    earlier = CycleState(cluster, first.pending)
    if earlier.fit_vectorizable:
        earlier.filter_all_fit_first()
    CycleState(cluster, second.pending)
    warm = CycleState(cluster, second.pending)
    cold = CycleState(second.cluster(), second.pending)
    assert warm.spread_counts == cold.spread_counts
    for info in cluster.node_list:
        fresh = cold.cluster.nodes[info.name]
        assert warm.filter_with_nominated(info) == cold.filter_with_nominated(fresh)
