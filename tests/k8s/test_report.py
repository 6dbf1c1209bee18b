"""``filter_pod`` on situations translated from kube-scheduler's plugin tests.

Each case names the upstream file and test (table entry) it follows. The manifests are
built as kubectl would print them and go through the whole public path: reading,
admission, the cluster, then every filter plugin on every node.
"""

from __future__ import annotations

from typing import Any

import pytest

from fmlab.k8s import parse_config

from .upstream import node, pod, run, verdict

OK, U, UU = "Success", "Unschedulable", "UnschedulableAndUnresolvable"
UNTOLERATED = "node(s) had untolerated taint(s)"
AFFINITY = "node(s) didn't match Pod's node affinity/selector"
PORTS = "node(s) didn't have free ports for the requested pod ports"
TT = "tainttoleration/taint_toleration_test.go TestTaintTolerationFilter"
NA = "nodeaffinity/node_affinity_test.go TestNodeAffinity"
NP = "nodeports/node_ports_test.go TestNodePorts"


def _taint(key: str, value: str, effect: str = "NoSchedule") -> dict[str, str]:
    return {"key": key, "value": value, "effect": effect}


# (upstream, taints, tolerations, expected code, expected reason or None)
TAINT_CASES: list[tuple[str, list[dict[str, str]], list[dict[str, str]], str, str | None]] = [
    (
        f"{TT}: A pod having no tolerations can't be scheduled onto a node with nonempty taints",
        [_taint("dedicated", "user1")],
        [],
        UU,
        UNTOLERATED,
    ),
    (
        f"{TT}: A pod which can be scheduled on a dedicated node "
        "assigned to user1 with effect NoSchedule",
        [_taint("dedicated", "user1")],
        [{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}],
        OK,
        None,
    ),
    (
        f"{TT}: A pod which can't be scheduled on a dedicated node "
        "assigned to user2 with effect NoSchedule",
        [_taint("dedicated", "user1")],
        [{"key": "dedicated", "operator": "Equal", "value": "user2", "effect": "NoSchedule"}],
        UU,
        UNTOLERATED,
    ),
    (
        f"{TT}: A pod can be scheduled onto the node, with a toleration uses operator Exists",
        [_taint("foo", "bar")],
        [{"key": "foo", "operator": "Exists", "effect": "NoSchedule"}],
        OK,
        None,
    ),
    (
        f"{TT}: A pod has multiple tolerations, node has multiple taints, all tolerated",
        [_taint("dedicated", "user2"), _taint("foo", "bar")],
        [
            {"key": "dedicated", "operator": "Equal", "value": "user2", "effect": "NoSchedule"},
            {"key": "foo", "operator": "Exists", "effect": "NoSchedule"},
        ],
        OK,
        None,
    ),
    (
        f"{TT}: keys and values match the taint, but (non-empty) effect doesn't match",
        [_taint("foo", "bar")],
        [{"key": "foo", "operator": "Equal", "value": "bar", "effect": "PreferNoSchedule"}],
        UU,
        UNTOLERATED,
    ),
    (
        f"{TT}: keys and values match, the effect of toleration is empty",
        [_taint("foo", "bar")],
        [{"key": "foo", "operator": "Equal", "value": "bar"}],
        OK,
        None,
    ),
    (
        f"{TT}: key and value don't match, but the effect of taint on node is PreferNoSchedule",
        [_taint("dedicated", "user1", "PreferNoSchedule")],
        [{"key": "dedicated", "operator": "Equal", "value": "user2", "effect": "NoSchedule"}],
        OK,
        None,
    ),
    (
        f"{TT}: The pod has no toleration, but the effect of taint on node is PreferNoSchedule",
        [_taint("dedicated", "user1", "PreferNoSchedule")],
        [],
        OK,
        None,
    ),
    (
        f"{TT}: Pod with Gt toleration cannot be scheduled on node "
        "when taint value is lower than threshold",
        [_taint("node.example.com/priority-level", "800")],
        [
            {
                "key": "node.example.com/priority-level",
                "operator": "Gt",
                "value": "950",
                "effect": "NoSchedule",
            }
        ],
        UU,
        UNTOLERATED,
    ),
    (
        f"{TT}: Pod with Gt toleration can be scheduled on node when "
        "taint value is higher than threshold",
        [_taint("node.kubernetes.io/sla", "950")],
        [
            {
                "key": "node.kubernetes.io/sla",
                "operator": "Gt",
                "value": "750",
                "effect": "NoSchedule",
            }
        ],
        OK,
        None,
    ),
    (
        f"{TT}: Pod with Lt toleration cannot be scheduled on node "
        "when taint value is higher than threshold",
        [_taint("node.example.com/priority-level", "950")],
        [
            {
                "key": "node.example.com/priority-level",
                "operator": "Lt",
                "value": "800",
                "effect": "NoSchedule",
            }
        ],
        UU,
        UNTOLERATED,
    ),
    (
        f"{TT}: Pod with Lt toleration can be scheduled on node when "
        "taint value is lower than threshold",
        [_taint("node.kubernetes.io/sla", "800")],
        [
            {
                "key": "node.kubernetes.io/sla",
                "operator": "Lt",
                "value": "950",
                "effect": "NoSchedule",
            }
        ],
        OK,
        None,
    ),
    (
        f"{TT}: Pod with Gt toleration cannot be scheduled on node with non-numeric taint value",
        [_taint("node.kubernetes.io/sla", "high")],
        [
            {
                "key": "node.kubernetes.io/sla",
                "operator": "Gt",
                "value": "950",
                "effect": "NoSchedule",
            }
        ],
        UU,
        'failed to parse taint value "high" as int64: must be a '
        "valid decimal integer in canonical form",
    ),
    (
        "tainttoleration (toleration_test.go leading zeros): a taint value 0950 is not canonical",
        [_taint("sla", "0950")],
        [{"key": "sla", "operator": "Gt", "value": "750", "effect": "NoSchedule"}],
        UU,
        'failed to parse taint value "0950" as int64: must be a '
        "valid decimal integer in canonical form",
    ),
]


@pytest.mark.parametrize(
    ("taints", "tolerations", "code", "reason"),
    [case[1:] for case in TAINT_CASES],
    ids=[case[0] for case in TAINT_CASES],
)
def test_taint_toleration(
    taints: list[dict[str, str]], tolerations: list[dict[str, str]], code: str, reason: str | None
) -> None:
    report = run([node("nodeA", taints=taints), pod("p", tolerations=tolerations)])
    assert verdict(report, "nodeA", "TaintToleration") == (code, (reason,) if reason else ())


def _required(*terms: dict[str, Any]) -> dict[str, Any]:
    return {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": list(terms)}
        }
    }


NODE_AFFINITY_CASES: list[tuple[str, dict[str, str], dict[str, Any], str]] = [
    (
        f"{NA}: Pod with an invalid value in Affinity term won't be scheduled onto the node",
        {"foo": "bar"},
        _required(
            {
                "matchExpressions": [
                    {"key": "foo", "operator": "NotIn", "values": ["invalid value: ___@#$%^"]}
                ]
            }
        ),
        UU,
    ),
    (
        f"{NA}: Pod with Affinity that matches the node's labels (Exists)",
        {"foo": "bar"},
        _required({"matchExpressions": [{"key": "foo", "operator": "Exists"}]}),
        OK,
    ),
    (
        f"{NA}: a Gt term with a non-integer value matches nothing (labels.NewRequirement)",
        {"gen": "5"},
        _required({"matchExpressions": [{"key": "gen", "operator": "Gt", "values": ["three"]}]}),
        UU,
    ),
    (
        f"{NA}: Gt with an integer value compares numerically",
        {"gen": "5"},
        _required({"matchExpressions": [{"key": "gen", "operator": "Gt", "values": ["3"]}]}),
        OK,
    ),
    (
        f"{NA}: an invalid term does not stop another term from matching (terms are ORed)",
        {"foo": "bar"},
        _required(
            {"matchExpressions": [{"key": "foo", "operator": "In", "values": ["bad value!"]}]},
            {"matchExpressions": [{"key": "foo", "operator": "In", "values": ["bar"]}]},
        ),
        OK,
    ),
    (
        f"{NA}: Pod with matchFields using In operator that matches the existing node",
        {},
        _required(
            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node1"]}]}
        ),
        OK,
    ),
]


@pytest.mark.parametrize(
    ("labels", "affinity", "code"),
    [case[1:] for case in NODE_AFFINITY_CASES],
    ids=[case[0] for case in NODE_AFFINITY_CASES],
)
def test_node_affinity(labels: dict[str, str], affinity: dict[str, Any], code: str) -> None:
    report = run([node("node1", labels=labels), pod("p", affinity=affinity)])
    status = verdict(report, "node1", "NodeAffinity")
    assert status[0] == code
    if code == UU:
        assert status[1] == (AFFINITY,)


def test_an_unparsable_term_is_warned_about_with_its_field() -> None:
    from fmlab.k8s._manifests import from_documents

    affinity = _required(
        {"matchExpressions": [{"key": "foo", "operator": "NotIn", "values": ["x y"]}]}
    )
    manifests = from_documents([pod("p", affinity=affinity)])
    (warning,) = manifests.warnings
    assert "nodeSelectorTerms[0].matchExpressions[0].values[0]" in warning
    assert "matches no node" in warning


def test_match_fields_naming_another_node_leaves_it_out_at_prefilter() -> None:
    # nodeaffinity: "Pod with matchFields using In operator that does not match the existing
    # node": PreFilter returns node names; the others are absent from the cycle.
    affinity = _required(
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node2"]}]}
    )
    report = run([node("node1"), node("node2"), pod("p", affinity=affinity)])
    assert verdict(report, "node1", "NodeAffinity") == (
        UU,
        ("node(s) didn't satisfy plugin(s) [NodeAffinity]",),
    )
    assert report.fits == ("node2",)


def test_conflicting_match_fields_reject_at_prefilter() -> None:
    # node_affinity.go PreFilter: every term names nodes and they share none.
    affinity = _required(
        {
            "matchFields": [
                {"key": "metadata.name", "operator": "In", "values": ["node1"]},
                {"key": "metadata.name", "operator": "In", "values": ["node2"]},
            ]
        }
    )
    report = run([node("node1"), node("node2"), pod("p", affinity=affinity)])
    assert report.summary == "0/2 nodes are available: pod affinity terms conflict."


def _ports(*specs: str) -> list[dict[str, Any]]:
    ports = []
    for spec in specs:
        protocol, ip, port = spec.split("/")
        ports.append(
            {"containerPort": int(port), "hostPort": int(port), "hostIP": ip, "protocol": protocol}
        )
    return [{"name": "c", "ports": ports}]


PORT_CASES = [
    (f"{NP}: other port", ["UDP/127.0.0.1/8080"], ["UDP/127.0.0.1/9090"], OK),
    (f"{NP}: same udp port", ["UDP/127.0.0.1/8080"], ["UDP/127.0.0.1/8080"], U),
    (f"{NP}: same tcp port", ["TCP/127.0.0.1/8080"], ["TCP/127.0.0.1/8080"], U),
    (f"{NP}: different host ip", ["TCP/127.0.0.1/8080"], ["TCP/127.0.0.2/8080"], OK),
    (f"{NP}: different protocol", ["UDP/127.0.0.1/8080"], ["TCP/127.0.0.1/8080"], OK),
    (
        f"{NP}: second udp port conflict",
        ["UDP/127.0.0.1/8000", "UDP/127.0.0.1/8080"],
        ["UDP/127.0.0.1/8080"],
        U,
    ),
    (
        f"{NP}: first tcp port conflict",
        ["TCP/127.0.0.1/8001", "UDP/127.0.0.1/8080"],
        ["TCP/127.0.0.1/8001", "UDP/127.0.0.1/8081"],
        U,
    ),
    (
        f"{NP}: first tcp port conflict due to 0.0.0.0 hostIP",
        ["TCP/0.0.0.0/8001"],
        ["TCP/127.0.0.1/8001"],
        U,
    ),
    (
        f"{NP}: TCP hostPort conflict due to 0.0.0.0 hostIP",
        ["TCP/10.0.10.10/8001", "TCP/0.0.0.0/8001"],
        ["TCP/127.0.0.1/8001"],
        U,
    ),
    (
        f"{NP}: second tcp port conflict to 0.0.0.0 hostIP",
        ["TCP/127.0.0.1/8001"],
        ["TCP/0.0.0.0/8001"],
        U,
    ),
    (f"{NP}: second different protocol", ["UDP/127.0.0.1/8001"], ["TCP/0.0.0.0/8001"], OK),
    (
        f"{NP}: UDP hostPort conflict due to 0.0.0.0 hostIP",
        ["UDP/127.0.0.1/8001"],
        ["TCP/0.0.0.0/8001", "UDP/0.0.0.0/8001"],
        U,
    ),
]


@pytest.mark.parametrize(
    ("wanted", "used", "code"), [c[1:] for c in PORT_CASES], ids=[c[0] for c in PORT_CASES]
)
def test_node_ports(wanted: list[str], used: list[str], code: str) -> None:
    report = run(
        [
            node("m1"),
            pod("taken", on="m1", containers=_ports(*used)),
            pod("p", containers=_ports(*wanted)),
        ]
    )
    assert verdict(report, "m1", "NodePorts") == (code, (PORTS,) if code == U else ())


def test_scheduling_gates_block_the_pod() -> None:
    # schedulinggates/scheduling_gates_test.go TestPreEnqueue: "pod carries scheduling gates".
    report = run([node("n1"), pod("p", schedulingGates=[{"name": "foo"}, {"name": "bar"}])])
    assert report.blocked == "waiting for scheduling gates: [foo bar]"
    assert not report.schedulable
    assert report.fits == ("n1",)  # what the filters say once the gates are gone


def test_a_pod_for_another_scheduler_is_left_alone() -> None:
    report = run([node("n1"), pod("p", schedulerName="my-scheduler")])
    assert report.nodes == ()
    assert "my-scheduler" in report.summary
    assert not report.schedulable


def test_json_shape_matches_the_issue() -> None:
    report = run([node("n1", taints=[_taint("a", "b")]), node("n2"), pod("p")])
    payload = report.to_json()
    assert set(payload) == {"pod", "nodes", "summary"}
    assert payload["nodes"]["n1"]["fits"] is False
    assert payload["nodes"]["n1"]["plugins"]["TaintToleration"] == {
        "code": UU,
        "reasons": [UNTOLERATED],
    }
    assert payload["nodes"]["n2"]["fits"] is True
    assert payload["summary"] == "fits on 1 of 2 node(s): n2"


def test_every_plugin_is_shown_even_after_the_first_failure() -> None:
    # A node failing both TaintToleration and NodeResourcesFit shows both; kube-scheduler's
    # sentence counts only the first (TaintToleration, earlier in the profile).
    big = [{"name": "c", "resources": {"requests": {"cpu": "8"}}}]
    report = run([node("n1", taints=[_taint("a", "b")]), pod("p", containers=big)])
    assert verdict(report, "n1", "TaintToleration")[0] == UU
    # 8 cpu on a 4-cpu node: more than it has at all, so unresolvable (kubernetes#131345).
    assert verdict(report, "n1", "NodeResourcesFit") == (UU, ("Insufficient cpu",))
    assert report.summary == f"0/1 nodes are available: 1 {UNTOLERATED}."


def test_a_disabled_plugin_is_not_run() -> None:
    config = parse_config(
        "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"
        "profiles:\n- plugins:\n    filter:\n      disabled: [{name: TaintToleration}]\n"
    )
    report = run([node("n1", taints=[_taint("a", "b")]), pod("p")], config=config)
    assert "TaintToleration" not in report.nodes[0].plugins
    assert report.fits == ("n1",)
