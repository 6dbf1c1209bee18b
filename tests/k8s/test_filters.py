"""The filters, on situations translated from kube-scheduler's plugin tests.

Each case names the upstream situation it follows; the expectation is the status code
(and plugin) kube-scheduler gives, because preemption depends on exactly that.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from fmlab.k8s.build import node, pod, spread, term
from fmlab.k8s.cluster import ClusterState
from fmlab.k8s.filters import CycleState
from fmlab.k8s.model import Node, Pod, PodAffinityTerm, TopologySpreadConstraint
from fmlab.k8s.selectors import (
    LabelSelector,
    NodeSelector,
    NodeSelectorTerm,
    Requirement,
    Taint,
    Toleration,
)
from fmlab.k8s.status import Code, Status

OK, U, UU = Code.SUCCESS, Code.UNSCHEDULABLE, Code.UNSCHEDULABLE_AND_UNRESOLVABLE


def statuses(nodes: Sequence[Node], existing: Sequence[Pod], pending: Pod) -> dict[str, Status]:
    cluster = ClusterState(nodes, existing)
    state = CycleState(cluster, pending)
    return {name: state.filter_with_nominated(info) for name, info in cluster.nodes.items()}


def code_on(nodes: Sequence[Node], existing: Sequence[Pod], pending: Pod, name: str = "n1") -> Code:
    return statuses(nodes, existing, pending)[name].code


# --- NodeResourcesFit ----------------------------------------------------------------


def test_no_resources_requested_always_fits() -> None:
    full = pod("full", cpu="4", memory="16Gi", node_name="n1")
    assert code_on([node("n1")], [full], pod("p")) is OK


def test_too_many_resources_fails_with_every_reason() -> None:
    used = pod("used", cpu="3", memory="15Gi", node_name="n1")
    status = statuses([node("n1")], [used], pod("p", cpu="2", memory="2Gi"))["n1"]
    assert status.code is U
    assert status.plugin == "NodeResourcesFit"
    assert status.reasons == ("Insufficient cpu", "Insufficient memory")


def test_exact_fit_is_a_fit() -> None:
    used = pod("used", cpu="3", node_name="n1")
    assert code_on([node("n1")], [used], pod("p", cpu="1")) is OK


def test_pod_count_is_a_resource() -> None:
    existing = [pod(f"e{i}", node_name="n1") for i in range(2)]
    status = statuses([node("n1", pods=2)], existing, pod("p"))["n1"]
    assert status.reasons == ("Too many pods",)
    assert status.code is U


def test_extended_resources_are_enforced_and_absent_means_zero() -> None:
    gpu_node = node("n1", extra={"example.com/gpu": 2})
    plain = node("n2")
    taken = pod("t", node_name="n1", extra={"example.com/gpu": 1})
    wants_one = pod("p", extra={"example.com/gpu": 1})
    wants_two = pod("q", extra={"example.com/gpu": 2})
    assert code_on([gpu_node, plain], [taken], wants_one, "n1") is OK
    assert code_on([gpu_node, plain], [taken], wants_one, "n2") is U
    assert statuses([gpu_node], [taken], wants_two)["n1"].reasons == (
        "Insufficient example.com/gpu",
    )


# --- NodeName, NodeUnschedulable, TaintToleration, NodeAffinity ----------------------


def test_node_name_mismatch_is_unresolvable() -> None:
    pinned = Pod("default", "p", node_name="n2", priority=0)
    result = statuses([node("n1"), node("n2")], [], pinned)
    assert result["n1"].code is UU
    assert result["n2"].code is OK


def test_cordoned_node_is_unresolvable_unless_tolerated() -> None:
    cordoned = node("n1", unschedulable=True)
    assert code_on([cordoned], [], pod("p")) is UU
    tolerant = pod(
        "t",
        tolerations=(Toleration("node.kubernetes.io/unschedulable", "Exists", "", "NoSchedule"),),
    )
    assert code_on([cordoned], [], tolerant) is OK


@pytest.mark.parametrize(
    ("taint", "toleration", "expected"),
    [
        # "A pod having no tolerations can't be scheduled onto a node with nonempty taints"
        (Taint("dedicated", "user1", "NoSchedule"), None, UU),
        (
            Taint("dedicated", "user1", "NoSchedule"),
            Toleration("dedicated", "Equal", "user1", "NoSchedule"),
            OK,
        ),
        (
            Taint("dedicated", "user1", "NoSchedule"),
            Toleration("dedicated", "Equal", "user2", "NoSchedule"),
            UU,
        ),
        (Taint("foo", "bar", "NoExecute"), Toleration("foo", "Exists"), OK),
        (Taint("foo", "bar", "NoSchedule"), Toleration("", "Exists"), OK),
        (Taint("foo", "bar", "NoSchedule"), Toleration("foo", "Exists", "", "NoExecute"), UU),
        # "The pod has a toleration that doesn't match the taint, but the taint is
        # PreferNoSchedule": a soft taint never filters.
        (Taint("foo", "bar", "PreferNoSchedule"), None, OK),
    ],
)
def test_taints_and_tolerations(
    taint: Taint, toleration: Toleration | None, expected: Code
) -> None:
    tainted = node("n1", taints=(taint,))
    tolerations = (toleration,) if toleration else ()
    assert code_on([tainted], [], pod("p", tolerations=tolerations)) is expected


def _affinity_pod(*terms: NodeSelectorTerm) -> Pod:
    import dataclasses

    return dataclasses.replace(pod("p"), node_affinity=NodeSelector(terms))


@pytest.mark.parametrize(
    ("labels", "terms", "expected"),
    [
        ({"foo": "bar"}, (NodeSelectorTerm((Requirement("foo", "In", ("bar", "value2")),)),), OK),
        ({"foo": "bar"}, (NodeSelectorTerm((Requirement("foo", "NotIn", ("bar",)),)),), UU),
        ({"kernel": "6"}, (NodeSelectorTerm((Requirement("kernel", "Gt", ("5",)),)),), OK),
        ({"kernel": "abc"}, (NodeSelectorTerm((Requirement("kernel", "Gt", ("5",)),)),), UU),
        ({}, (NodeSelectorTerm((Requirement("foo", "DoesNotExist"),)),), OK),
        # "Pod with an empty NodeSelectorTerm ... should not be scheduled onto any node"
        ({"foo": "bar"}, (NodeSelectorTerm(),), UU),
        ({"foo": "bar"}, (), UU),
        # terms are ORed: one matching term is enough
        (
            {"foo": "bar"},
            (
                NodeSelectorTerm((Requirement("foo", "In", ("nope",)),)),
                NodeSelectorTerm((Requirement("foo", "Exists"),)),
            ),
            OK,
        ),
        (
            {},
            (NodeSelectorTerm((), (Requirement("metadata.name", "In", ("n1",)),)),),
            OK,
        ),
    ],
)
def test_required_node_affinity(
    labels: dict[str, str], terms: tuple[NodeSelectorTerm, ...], expected: Code
) -> None:
    assert code_on([node("n1", labels=labels)], [], _affinity_pod(*terms)) is expected


def test_node_selector_needs_every_label() -> None:
    labelled = node("n1", labels={"disk": "ssd", "zone": "a"})
    assert code_on([labelled], [], pod("p", node_selector={"disk": "ssd"})) is OK
    assert code_on([labelled], [], pod("p", node_selector={"disk": "ssd", "gpu": "y"})) is UU


def test_filter_order_resources_before_inter_pod_affinity() -> None:
    # A node that lacks resources *and* the affinity partner reports the resource failure
    # first (Unschedulable): kube-scheduler stops at the first failing plugin.
    n1 = node("n1", cpu="1", labels={"kubernetes.io/hostname": "n1"})
    pending = pod("p", cpu="2", affinity=(term({"app": "db"}),))
    status = statuses([n1], [], pending)["n1"]
    assert status.plugin == "NodeResourcesFit"
    assert status.code is U


# --- InterPodAffinity (after TestRequiredAffinitySingleNode / MultipleNodes) ----------

HOST = "kubernetes.io/hostname"


def _hosts(*names: str, zone: str = "z1") -> list[Node]:
    return [node(n, labels={HOST: n, "zone": zone, "region": "r1"}) for n in names]


def test_pod_without_affinity_fits_an_empty_node() -> None:
    assert code_on(_hosts("n1"), [], pod("p")) is OK


def test_affinity_satisfied_by_an_existing_pod_in_the_topology() -> None:
    existing = pod("s", node_name="n1", labels={"service": "securityscan"})
    wants = pod("p", affinity=(term({"service": "securityscan"}, "region"),))
    assert code_on(_hosts("n1"), [existing], wants) is OK


def test_unmet_affinity_is_unresolvable() -> None:
    existing = pod("s", node_name="n1", labels={"service": "other"})
    wants = pod("p", affinity=(term({"service": "securityscan"}, "region"),))
    status = statuses(_hosts("n1"), [existing], wants)["n1"]
    assert status.code is UU
    assert status.reasons == ("node(s) didn't match pod affinity rules",)


def test_affinity_with_match_expressions_and_namespaces() -> None:
    existing = pod("s", node_name="n1", labels={"service": "securityscan"}, namespace="ns1")
    selector = LabelSelector((), (Requirement("service", "In", ("securityscan", "value2")),))
    same_ns = pod("p", affinity=(PodAffinityTerm(selector, "region"),))
    other_ns = pod("q", affinity=(PodAffinityTerm(selector, "region", ("ns1",)),))
    everywhere = pod("r", affinity=(PodAffinityTerm(selector, "region", (), LabelSelector()),))
    assert code_on(_hosts("n1"), [existing], same_ns) is UU  # the term looks in "default"
    assert code_on(_hosts("n1"), [existing], other_ns) is OK
    assert code_on(_hosts("n1"), [existing], everywhere) is OK


def test_affinity_terms_must_be_met_by_one_pod() -> None:
    # Two pods each matching one of two terms do not satisfy both terms.
    a = pod("a", node_name="n1", labels={"a": "1"})
    b = pod("b", node_name="n1", labels={"b": "1"})
    wants = pod("p", affinity=(term({"a": "1"}), term({"b": "1"})))
    both = pod("ab", node_name="n1", labels={"a": "1", "b": "1"})
    assert code_on(_hosts("n1"), [a, b], wants) is UU
    assert code_on(_hosts("n1"), [both], wants) is OK


def test_first_pod_of_a_self_affine_group_may_go_anywhere() -> None:
    wants = pod("p", labels={"app": "web"}, affinity=(term({"app": "web"}),))
    assert code_on(_hosts("n1"), [], wants) is OK
    # ...but once one such pod exists, the others must join it.
    first = pod("w0", node_name="n2", labels={"app": "web"})
    result = statuses(_hosts("n1", "n2"), [first], wants)
    assert result["n1"].code is UU
    assert result["n2"].code is OK


def test_node_without_the_topology_label_fails_affinity() -> None:
    existing = pod("s", node_name="n1", labels={"service": "x"})
    wants = pod("p", affinity=(term({"service": "x"}, "rack"),))
    assert code_on(_hosts("n1"), [existing], wants) is UU


def test_anti_affinity_is_resolvable_and_spans_the_topology() -> None:
    existing = pod("s", node_name="n1", labels={"service": "securityscan"})
    avoid = pod("p", anti_affinity=(term({"service": "securityscan"}, "zone"),))
    result = statuses(_hosts("n1", "n2"), [existing], avoid)
    assert result["n1"].code is U
    assert result["n2"].code is U  # same zone, other node
    assert result["n2"].reasons == ("node(s) didn't match pod anti-affinity rules",)
    other_zone = _hosts("n3", zone="z2")
    assert code_on(_hosts("n1") + other_zone, [existing], avoid, "n3") is OK


def test_existing_pods_anti_affinity_applies_to_the_incoming_pod() -> None:
    guard = pod("g", node_name="n1", anti_affinity=(term({"app": "web"}, "zone"),))
    incoming = pod("p", labels={"app": "web"})
    result = statuses(_hosts("n1", "n2") + _hosts("n3", zone="z2"), [guard], incoming)
    assert result["n1"].code is U
    assert result["n2"].reasons == ("node(s) didn't satisfy existing pods anti-affinity rules",)
    assert result["n3"].code is OK


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

    import fmlab.k8s.build as build

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


# --- nominated pods ------------------------------------------------------------------


def test_higher_priority_nominated_pods_count_lower_ones_do_not() -> None:
    nodes = [node("n1", cpu="2")]
    high = pod("h", cpu="2", priority=100, nominated="n1")
    low = pod("l", cpu="2", priority=1, nominated="n1")
    pending = pod("p", cpu="1", priority=50)
    assert code_on(nodes, [high], pending) is U
    assert code_on(nodes, [low], pending) is OK
