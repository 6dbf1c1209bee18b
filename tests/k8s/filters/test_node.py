"""The node-only filters, on situations translated from kube-scheduler's plugin tests.

Each case names the upstream situation it follows; the expectation is the status code
(and plugin) kube-scheduler gives, because preemption depends on exactly that.
"""

from __future__ import annotations

import pytest

from fmlab.k8s._build import node, pod
from fmlab.k8s._model import Pod
from fmlab.k8s._selectors import (
    NodeSelector,
    NodeSelectorTerm,
    Requirement,
    Taint,
    Toleration,
)
from fmlab.k8s._status import Code

from .checks import OK, UU, code_on, statuses

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
