"""The cycle: filter order and the nominated-pod passes.

Each case names the upstream situation it follows; the expectation is the status code
(and plugin) kube-scheduler gives, because preemption depends on exactly that.
"""

from __future__ import annotations

from fmlab.k8s._build import node, pod, term

from .checks import OK, UU, U, code_on, statuses

# --- filter order ------------------------------------------------------------------


def test_filter_order_resources_before_inter_pod_affinity() -> None:
    # A node that lacks resources *and* the affinity partner reports the resource failure
    # first: kube-scheduler stops at the first failing plugin. The pod asks for more cpu
    # than the node has at all, so the code is UnschedulableAndUnresolvable (kubernetes
    # pull request 131345; fit_test.go TestEnoughRequests "extended resource capacity
    # enforced").
    n1 = node("n1", cpu="1", labels={"kubernetes.io/hostname": "n1"})
    pending = pod("p", cpu="2", affinity=(term({"app": "db"}),))
    status = statuses([n1], [], pending)["n1"]
    assert status.plugin == "NodeResourcesFit"
    assert status.code is UU


# --- nominated pods ------------------------------------------------------------------


def test_higher_priority_nominated_pods_count_lower_ones_do_not() -> None:
    nodes = [node("n1", cpu="2")]
    high = pod("h", cpu="2", priority=100, nominated="n1")
    low = pod("l", cpu="2", priority=1, nominated="n1")
    pending = pod("p", cpu="1", priority=50)
    assert code_on(nodes, [high], pending) is U
    assert code_on(nodes, [low], pending) is OK
