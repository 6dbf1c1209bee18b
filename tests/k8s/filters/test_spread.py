"""PodTopologySpread, on situations translated from kube-scheduler's plugin tests.

Each case names the upstream situation it follows; the expectation is the status code
(and plugin) kube-scheduler gives, because preemption depends on exactly that.
"""

from __future__ import annotations

from fmlab.k8s._build import node, pod, spread
from fmlab.k8s._model import Node, Pod, TopologySpreadConstraint

from .checks import HOST, OK, UU, U, code_on, statuses

# --- PodTopologySpread (after the plugin's filtering tests) --------------------------


def _zones() -> list[Node]:
    return [
        node("a1", labels={"zone": "a", HOST: "a1"}),
        node("a2", labels={"zone": "a", HOST: "a2"}),
        node("b1", labels={"zone": "b", HOST: "b1"}),
    ]


def _spreading(constraint: TopologySpreadConstraint, namespace: str = "default") -> Pod:
    return pod("p", labels={"foo": ""}, spread=(constraint,), namespace=namespace)


def test_spread_with_no_existing_pods_fits_everywhere() -> None:
    result = statuses(_zones(), [], _spreading(spread({"foo": ""})))
    assert {n: s.code for n, s in result.items()} == {"a1": OK, "a2": OK, "b1": OK}


def test_spread_skew_blocks_the_fuller_zone() -> None:
    existing = [
        pod("x1", node_name="a1", labels={"foo": ""}),
        pod("x2", node_name="a2", labels={"foo": ""}),
        pod("x3", node_name="b1", labels={"foo": ""}),
    ]
    result = statuses(_zones(), existing, _spreading(spread({"foo": ""})))
    assert result["a1"].code is U  # 2 + 1 - 1 > 1
    assert result["b1"].code is OK


def test_spread_ignores_other_namespaces_and_terminating_pods() -> None:
    import dataclasses

    import fmlab.k8s._build as build

    other_ns = [pod(f"x{i}", node_name="a1", labels={"foo": ""}, namespace="ns2") for i in range(3)]
    gone = dataclasses.replace(
        pod("t", node_name="a2", labels={"foo": ""}), deletion_timestamp=build.started(5)
    )
    result = statuses(_zones(), [*other_ns, gone], _spreading(spread({"foo": ""})))
    assert all(s.code is OK for s in result.values())


def test_node_missing_the_spread_key_is_unresolvable() -> None:
    nodes = [*_zones(), node("bare")]
    status = statuses(nodes, [], _spreading(spread({"foo": ""})))["bare"]
    assert status.code is UU
    assert status.plugin == "PodTopologySpread"


def test_min_domains_treats_the_global_minimum_as_zero() -> None:
    import dataclasses

    existing = [
        pod("x1", node_name="a1", labels={"foo": ""}),
        pod("x2", node_name="b1", labels={"foo": ""}),
    ]
    constraint = spread({"foo": ""})
    # Both zones hold one matching pod: the minimum is 1, and 1 + 1 - 1 <= 1.
    assert code_on(_zones(), existing, _spreading(constraint), "a1") is OK
    # With minDomains 3 but only two domains, the minimum counts as 0: 1 + 1 - 0 > 1.
    needs_three = dataclasses.replace(constraint, min_domains=3)
    assert code_on(_zones(), existing, _spreading(needs_three), "a1") is U


def test_schedule_anyway_constraints_never_filter() -> None:
    import dataclasses

    soft = dataclasses.replace(spread({"foo": ""}), when_unsatisfiable="ScheduleAnyway")
    existing = [pod(f"x{i}", node_name="a1", labels={"foo": ""}) for i in range(5)]
    assert code_on(_zones(), existing, _spreading(soft), "a1") is OK
