"""InterPodAffinity, on situations translated from kube-scheduler's plugin tests.

Each case names the upstream situation it follows; the expectation is the status code
(and plugin) kube-scheduler gives, because preemption depends on exactly that.
"""

from __future__ import annotations

from fmlab.k8s._build import node, pod, term
from fmlab.k8s._model import Node, PodAffinityTerm
from fmlab.k8s._selectors import (
    LabelSelector,
    Requirement,
)

from .checks import HOST, OK, UU, U, code_on, statuses

# --- InterPodAffinity (after TestRequiredAffinitySingleNode / MultipleNodes) ----------


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
