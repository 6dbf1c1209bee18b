"""NodeResourcesFit, on situations translated from kube-scheduler's plugin tests.

Each case names the upstream situation it follows; the expectation is the status code
(and plugin) kube-scheduler gives, because preemption depends on exactly that.
"""

from __future__ import annotations

from fmlab.k8s._build import node, pod

from .checks import OK, UU, U, code_on, statuses

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
    # None at all on n2: no preemption can help (fit_test.go TestEnoughRequests "extended
    # resource allocatable enforced for unknown resource").
    assert code_on([gpu_node, plain], [taken], wants_one, "n2") is UU
    assert statuses([gpu_node], [taken], wants_two)["n1"].reasons == (
        "Insufficient example.com/gpu",
    )
