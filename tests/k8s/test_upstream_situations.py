"""Situations from kube-scheduler's own plugin tests, answered through the public path.

Each case carries the upstream file and test name (``file TestName/case name``) and the
status code (and, where upstream states it, the reason) that upstream's table expects
from the plugin on each node. The manifests go through :func:`fmlab.k8s.parse_manifests`
as JSON text and the verdicts come from :func:`fmlab.k8s.filter_pod`, as ``fmlab k8s
filter`` prints them: the plugin's own verdict is read, so the other plugins that upstream
did not run in its unit test do not hide it.

Where a translation had to change the situation (a namespace upstream leaves empty is
"default" here; a term without a topology key gets one, because the API server requires
it), the case says so.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from fmlab.k8s import ClusterState, filter_pod, parse_config, parse_manifests, preempt

from .upstream import node, pod, run, verdict

OK, U, UU = "Success", "Unschedulable", "UnschedulableAndUnresolvable"

# --- NodeResourcesFit ----------------------------------------------------------------
# noderesources/fit_test.go builds one node allocating 10m cpu, 20 bytes of memory, 32
# pods, 5 of example.com/aaa, 20 bytes of ephemeral storage and 5 of hugepages-2Mi, and
# one existing pod holding the "used" amounts.
FIT = "noderesources/fit_test.go TestEnoughRequests/"
_ALLOCATABLE = {
    "cpu": "10m",
    "memory": "20",
    "pods": "32",
    "example.com/aaa": "5",
    "ephemeral-storage": "20",
    "hugepages-2Mi": "5",
}


def _container(**requests: str) -> dict[str, Any]:
    return {"name": f"c{len(requests)}", "resources": {"requests": dict(requests)}}


def _named(containers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**c, "name": f"c{i}"} for i, c in enumerate(containers)]


def _fit_case(
    used: dict[str, str],
    containers: list[dict[str, Any]],
    *,
    init: list[dict[str, Any]] | None = None,
    **spec: Any,
) -> list[dict[str, Any]]:
    extra: dict[str, Any] = dict(spec)
    if init:
        extra["initContainers"] = [{**c, "name": f"i{i}"} for i, c in enumerate(init)]
    return [
        node("n1", allocatable=_ALLOCATABLE),
        pod("used", on="n1", containers=[_container(**used)]),
        pod("p", containers=_named(containers) or [{"name": "c"}], **extra),
    ]


_CPU, _MEM = "Insufficient cpu", "Insufficient memory"
FIT_CASES = [
    pytest.param(
        _fit_case({"cpu": "10m", "memory": "20"}, []),
        (OK, ()),
        id=FIT + "no resources requested always fits",
    ),
    pytest.param(
        _fit_case({"cpu": "10m", "memory": "20"}, [_container(cpu="1m", memory="1")]),
        (U, (_CPU, _MEM)),
        id=FIT + "too many resources fails",
    ),
    pytest.param(
        _fit_case(
            {"cpu": "8m", "memory": "19"},
            [_container(cpu="1m", memory="1")],
            init=[_container(cpu="3m", memory="1")],
        ),
        (U, (_CPU,)),
        id=FIT + "too many resources fails due to init container cpu",
    ),
    pytest.param(
        _fit_case(
            {"cpu": "9m", "memory": "19"},
            [_container(cpu="1m", memory="1")],
            init=[_container(cpu="1m", memory="3"), _container(cpu="1m", memory="2")],
        ),
        (U, (_MEM,)),
        id=FIT + "too many resources fails due to highest init container memory",
    ),
    pytest.param(
        _fit_case(
            {"cpu": "9m", "memory": "19"},
            [_container(cpu="1m", memory="1")],
            init=[_container(cpu="1m", memory="1")],
        ),
        (OK, ()),
        id=FIT + "init container fits because it's the max, not sum, of containers and "
        "init containers",
    ),
    pytest.param(
        _fit_case({"cpu": "5m", "memory": "19"}, [_container(cpu="5m", memory="1")]),
        (OK, ()),
        id=FIT + "equal edge case",
    ),
    pytest.param(
        _fit_case({"cpu": "9m", "memory": "5"}, [_container(cpu="2m", memory="1")]),
        (U, (_CPU,)),
        id=FIT + "one resource memory fits",
    ),
    pytest.param(
        _fit_case({}, [_container(cpu="1m", memory="1", **{"example.com/aaa": "10"})]),
        (UU, ("Insufficient example.com/aaa",)),
        id=FIT + "extended resource capacity enforced",
    ),
    pytest.param(
        _fit_case(
            {"example.com/aaa": "5"}, [_container(cpu="1m", memory="1", **{"example.com/aaa": "1"})]
        ),
        (U, ("Insufficient example.com/aaa",)),
        id=FIT + "extended resource allocatable enforced",
    ),
    pytest.param(
        _fit_case(
            {"example.com/aaa": "2"},
            [
                _container(cpu="1m", memory="1", **{"example.com/aaa": "3"}),
                _container(cpu="1m", memory="1", **{"example.com/aaa": "3"}),
            ],
        ),
        (UU, ("Insufficient example.com/aaa",)),
        id=FIT + "extended resource allocatable enforced for multiple containers",
    ),
    pytest.param(
        _fit_case({}, [_container(cpu="1m", memory="1", **{"example.com/bbb": "1"})]),
        (UU, ("Insufficient example.com/bbb",)),
        id=FIT + "extended resource allocatable enforced for unknown resource",
    ),
    pytest.param(
        _fit_case({}, [_container(cpu="1m", memory="1", **{"kubernetes.io/something": "10"})]),
        (UU, ("Insufficient kubernetes.io/something",)),
        id=FIT + "kubernetes.io resource capacity enforced",
    ),
    pytest.param(
        _fit_case({}, [_container(cpu="1m", memory="1", **{"hugepages-2Mi": "10"})]),
        (UU, ("Insufficient hugepages-2Mi",)),
        id=FIT + "hugepages resource capacity enforced",
    ),
    pytest.param(
        _fit_case(
            {"cpu": "5m", "memory": "5"},
            [_container(cpu="1m", memory="1")],
            overhead={"cpu": "3m", "memory": "13"},
        ),
        (OK, ()),
        id=FIT + "resources + pod overhead fits",
    ),
    pytest.param(
        _fit_case(
            {"cpu": "5m", "memory": "5"},
            [_container(cpu="1m", memory="1")],
            overhead={"cpu": "1m", "memory": "15"},
        ),
        (U, (_MEM,)),
        id=FIT + "requests + overhead does not fit for memory",
    ),
    pytest.param(
        _fit_case(
            {"cpu": "5m", "memory": "5"},
            [_container(cpu="1m", memory="1")],
            resources={"requests": {"cpu": "7m", "memory": "2"}},
        ),
        (U, (_CPU,)),
        id=FIT + "pod-level cpu resource not fit",
    ),
    pytest.param(
        _fit_case(
            {"cpu": "5m", "memory": "19"},
            [_container(cpu="1m", memory="1")],
            resources={"requests": {"cpu": "3m", "memory": "2"}},
        ),
        (U, (_MEM,)),
        id=FIT + "pod-level memory resource not fit",
    ),
    pytest.param(
        _fit_case(
            {"cpu": "5m", "memory": "5"},
            [_container(cpu="1m", memory="1")],
            resources={"requests": {"cpu": "1m", "memory": "2"}},
        ),
        (OK, ()),
        id=FIT + "both pod-level and container-level resources fit",
    ),
]


@pytest.mark.parametrize(("objects", "expected"), FIT_CASES)
def test_node_resources_fit(
    objects: list[dict[str, Any]], expected: tuple[str, tuple[str, ...]]
) -> None:
    assert verdict(run(objects), "n1", "NodeResourcesFit") == expected


def _config(args: dict[str, Any]) -> Any:
    text = (
        '{"apiVersion": "kubescheduler.config.k8s.io/v1", "kind": "KubeSchedulerConfiguration",'
        ' "profiles": [{"schedulerName": "default-scheduler", "pluginConfig": '
        '[{"name": "NodeResourcesFit", "args": ' + _json(args) + "}]}]}"
    )
    return parse_config(text, source="config.json")


def _json(value: Any) -> str:
    return json.dumps(value)


def test_skip_checking_ignored_extended_resource() -> None:
    # fit_test.go TestEnoughRequests/skip checking ignored extended resource
    objects = _fit_case({}, [_container(cpu="1m", memory="1", **{"example.com/bbb": "1"})])
    config = _config({"ignoredResources": ["example.com/bbb"]})
    assert verdict(run(objects, config=config), "n1", "NodeResourcesFit") == (OK, ())
    assert verdict(run(objects), "n1", "NodeResourcesFit")[0] == UU


def test_skip_checking_ignored_extended_resource_via_resource_groups() -> None:
    # fit_test.go TestEnoughRequests/skip checking ignored extended resource via resource groups
    objects = _fit_case(
        {},
        [
            _container(
                cpu="1m", memory="1", **{"example.com/bbb": "1", "kubernetes.io/something": "1"}
            )
        ],
    )
    config = _config({"ignoredResourceGroups": ["example.com"]})
    assert verdict(run(objects, config=config), "n1", "NodeResourcesFit") == (
        UU,
        ("Insufficient kubernetes.io/something",),
    )


def test_no_space_for_an_additional_pod() -> None:
    # fit_test.go TestNotEnoughRequests/"even without specified resources, predicate fails
    # when there's no space for additional pod"
    objects = [
        node("n1", allocatable={"cpu": "10m", "memory": "20", "pods": "1"}),
        pod("used", on="n1", containers=[_container(cpu="10m", memory="20")]),
        pod("p"),
    ]
    assert verdict(run(objects), "n1", "NodeResourcesFit") == (U, ("Too many pods",))


# --- NodeName and NodeUnschedulable ----------------------------------------------------


@pytest.mark.parametrize(
    ("wanted", "code"),
    [
        pytest.param("", OK, id="nodename/node_name_test.go TestNodeName/no host specified"),
        pytest.param("foo", OK, id="nodename/node_name_test.go TestNodeName/host matches"),
        pytest.param("bar", UU, id="nodename/node_name_test.go TestNodeName/host doesn't match"),
    ],
)
def test_node_name(wanted: str, code: str) -> None:
    # A pod that names its node is bound as soon as it is written, so the situation is
    # built from the pending pod with ``nodeName`` set, as upstream's table does.
    manifests = parse_manifests('[{"apiVersion": "v1", "kind": "Node", "metadata": '
                                '{"name": "foo"}, "status": {"allocatable": {"pods": "110"}}},'
                                ' {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},'
                                ' "spec": {"containers": [{"name": "c"}]}}]')  # fmt: skip
    cluster = ClusterState.from_manifests(manifests)
    pending = dataclasses.replace(cluster.find_pod("default/p"), node_name=wanted)
    (found,) = filter_pod(cluster, pending).nodes
    status = found.plugins["NodeName"]
    assert status.code.value == code
    if code != OK:
        assert status.reasons == ("node(s) didn't match the requested node name",)


UNSCHEDULABLE = "nodeunschedulable/node_unschedulable_test.go TestNodeUnschedulable/"


@pytest.mark.parametrize(
    ("cordoned", "tolerations", "code"),
    [
        pytest.param(
            True,
            [],
            UU,
            id=UNSCHEDULABLE
            + "Does not schedule pod to unschedulable node (node.Spec.Unschedulable==true)",
        ),
        pytest.param(False, [], OK, id=UNSCHEDULABLE + "Schedule pod to normal node"),
        pytest.param(
            True,
            [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}],
            OK,
            id=UNSCHEDULABLE + "Schedule pod with toleration to unschedulable node "
            "(node.Spec.Unschedulable==true)",
        ),
    ],
)
def test_node_unschedulable(cordoned: bool, tolerations: list[dict[str, str]], code: str) -> None:
    spec = {"unschedulable": True} if cordoned else {}
    report = run([node("n1", **spec), pod("p", tolerations=tolerations)])
    status = verdict(report, "n1", "NodeUnschedulable")
    assert status[0] == code
    if code != OK:
        assert status[1] == ("node(s) were unschedulable",)


# --- InterPodAffinity ----------------------------------------------------------------
AFFINITY = "interpodaffinity/filtering_test.go TestRequiredAffinitySingleNode/"
_SCAN = {"service": "securityscan"}
_S1 = {"security": "S1"}
_MACHINE1 = {"region": "r1", "zone": "z11"}
_AFFINITY_REASON = "node(s) didn't match pod affinity rules"
_ANTI_REASON = "node(s) didn't match pod anti-affinity rules"
_EXISTING_ANTI_REASON = "node(s) didn't satisfy existing pods anti-affinity rules"


def _term(key: str, operator: str, values: list[str] | None, topology: str) -> dict[str, Any]:
    expression: dict[str, Any] = {"key": key, "operator": operator}
    if values is not None:
        expression["values"] = values
    return {"labelSelector": {"matchExpressions": [expression]}, "topologyKey": topology}


def _affinity(
    affine: list[dict[str, Any]] | None = None, anti: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if affine:
        found["podAffinity"] = {"requiredDuringSchedulingIgnoredDuringExecution": affine}
    if anti:
        found["podAntiAffinity"] = {"requiredDuringSchedulingIgnoredDuringExecution": anti}
    return {"affinity": found} if found else {}


def _affinity_case(
    labels: dict[str, str], spec: dict[str, Any], existing: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    return [node("machine1", labels=_MACHINE1), *existing, pod("p", labels=labels, **spec)]


_IN_SCAN = _term("service", "In", ["securityscan", "value2"], "region")
_IN_ANTIVIRUS_NODE = _term("service", "In", ["antivirusscan", "value2"], "node")
AFFINITY_CASES = [
    pytest.param(
        _affinity_case({}, {}, []),
        OK,
        None,
        id=AFFINITY + "A pod that has no required pod affinity scheduling rules can schedule "
        "onto a node with no existing pods",
    ),
    pytest.param(
        _affinity_case(_S1, _affinity([_IN_SCAN]), [pod("e", on="machine1", labels=_SCAN)]),
        OK,
        None,
        id=AFFINITY + "satisfies with requiredDuringSchedulingIgnoredDuringExecution in "
        "PodAffinity using In operator that matches the existing pod",
    ),
    pytest.param(
        _affinity_case(
            _S1,
            _affinity([_term("service", "NotIn", ["securityscan3", "value3"], "region")]),
            [pod("e", on="machine1", labels=_SCAN)],
        ),
        OK,
        None,
        id=AFFINITY + "satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution "
        "in PodAffinity using not in operator in labelSelector that matches the existing pod",
    ),
    pytest.param(
        _affinity_case(
            _S1,
            _affinity([{**_IN_SCAN, "namespaces": ["DiffNameSpace"]}]),
            [
                {
                    **pod("e", on="machine1", labels=_SCAN),
                    "metadata": {"name": "e", "namespace": "ns", "labels": _SCAN},
                }
            ],
        ),
        UU,
        _AFFINITY_REASON,
        id=AFFINITY + "Does not satisfy the PodAffinity with labelSelector because of diff "
        "Namespace (topologyKey region added)",
    ),
    pytest.param(
        _affinity_case(
            _SCAN,
            _affinity([_term("service", "In", ["antivirusscan", "value2"], "region")]),
            [pod("e", on="machine1", labels=_SCAN)],
        ),
        UU,
        _AFFINITY_REASON,
        id=AFFINITY + "Doesn't satisfy the PodAffinity because of unmatching labelSelector "
        "with the existing pod (topologyKey region added)",
    ),
    pytest.param(
        _affinity_case(
            _S1,
            _affinity(
                [
                    {
                        "labelSelector": {
                            "matchExpressions": [
                                {"key": "service", "operator": "Exists"},
                                {"key": "wrongkey", "operator": "DoesNotExist"},
                            ]
                        },
                        "topologyKey": "region",
                    },
                    {
                        "labelSelector": {
                            "matchExpressions": [
                                {"key": "service", "operator": "In", "values": ["securityscan2"]},
                                {"key": "service", "operator": "NotIn", "values": ["WrongValue"]},
                            ]
                        },
                        "topologyKey": "region",
                    },
                ]
            ),
            [pod("e", on="machine1", labels=_SCAN)],
        ),
        UU,
        _AFFINITY_REASON,
        id=AFFINITY + "The labelSelector requirements(items of matchExpressions) are ANDed, "
        "the pod cannot schedule onto the node because one of the matchExpression item don't "
        "match.",
    ),
    pytest.param(
        _affinity_case(
            _S1,
            _affinity([_IN_SCAN], [_IN_ANTIVIRUS_NODE]),
            [pod("e", on="machine1", labels=_SCAN)],
        ),
        OK,
        None,
        id=AFFINITY + "satisfies the PodAffinity and PodAntiAffinity with the existing pod",
    ),
    pytest.param(
        _affinity_case(
            _S1,
            _affinity([_IN_SCAN], [_IN_ANTIVIRUS_NODE]),
            [pod("e", on="machine1", labels=_SCAN, **_affinity(None, [_IN_ANTIVIRUS_NODE]))],
        ),
        OK,
        None,
        id=AFFINITY + "satisfies the PodAffinity and PodAntiAffinity and PodAntiAffinity "
        "symmetry with the existing pod",
    ),
    pytest.param(
        _affinity_case(
            _S1,
            _affinity([_IN_SCAN], [_term("service", "In", ["securityscan", "value2"], "zone")]),
            [pod("e", on="machine1", labels=_SCAN)],
        ),
        U,
        _ANTI_REASON,
        id=AFFINITY + "satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with "
        "the existing pod",
    ),
    pytest.param(
        _affinity_case(
            _SCAN,
            _affinity([_IN_SCAN], [_IN_ANTIVIRUS_NODE]),
            [
                pod(
                    "e",
                    on="machine1",
                    labels=_SCAN,
                    **_affinity(None, [_term("service", "In", ["securityscan", "value2"], "zone")]),
                )
            ],
        ),
        U,
        _EXISTING_ANTI_REASON,
        id=AFFINITY + "satisfies the PodAffinity and PodAntiAffinity but doesn't satisfy "
        "PodAntiAffinity symmetry with the existing pod",
    ),
    pytest.param(
        _affinity_case(
            _SCAN,
            {},
            [
                pod(
                    "e",
                    on="machine1",
                    labels=_SCAN,
                    **_affinity(None, [_term("service", "In", ["securityscan", "value2"], "zone")]),
                )
            ],
        ),
        U,
        _EXISTING_ANTI_REASON,
        id=AFFINITY + "verify that PodAntiAffinity from existing pod is respected when pod has "
        "no AntiAffinity constraints. doesn't satisfy PodAntiAffinity symmetry with the "
        "existing pod",
    ),
    pytest.param(
        _affinity_case(
            _SCAN,
            {},
            [
                pod(
                    "e",
                    on="machine1",
                    labels=_SCAN,
                    **_affinity(
                        None, [_term("service", "NotIn", ["securityscan", "value2"], "zone")]
                    ),
                )
            ],
        ),
        OK,
        None,
        id=AFFINITY + "verify that PodAntiAffinity from existing pod is respected when pod has "
        "no AntiAffinity constraints. satisfy PodAntiAffinity symmetry with the existing pod",
    ),
    pytest.param(
        _affinity_case(
            _SCAN,
            _affinity(
                None,
                [
                    _term("service", "Exists", None, "region"),
                    _term("security", "Exists", None, "region"),
                ],
            ),
            [
                pod(
                    "e",
                    on="machine1",
                    labels=_S1,
                    **_affinity(None, [_term("security", "Exists", None, "zone")]),
                )
            ],
        ),
        U,
        _ANTI_REASON,
        id=AFFINITY + "satisfies the PodAntiAffinity with existing pod but doesn't satisfy "
        "PodAntiAffinity symmetry with incoming pod",
    ),
]


@pytest.mark.parametrize(("objects", "code", "reason"), AFFINITY_CASES)
def test_inter_pod_affinity(objects: list[dict[str, Any]], code: str, reason: str | None) -> None:
    found, reasons = verdict(run(objects), "machine1", "InterPodAffinity")
    assert found == code
    if reason is not None:
        assert reason in reasons


# --- PodTopologySpread ---------------------------------------------------------------
SPREAD = "podtopologyspread/filtering_test.go TestSingleConstraint/"
_FOUR = [("node-a", "zone1"), ("node-b", "zone1"), ("node-x", "zone2"), ("node-y", "zone2")]


def _spread_nodes(zones: list[tuple[str, str]] = _FOUR, key: str = "zone") -> list[dict[str, Any]]:
    return [node(name, labels={key: zone, "node": name}) for name, zone in zones]


def _foo(name: str, on: str, namespace: str = "default", **extra: Any) -> dict[str, Any]:
    found = pod(name, on=on, labels={"foo": ""}, **extra)
    found["metadata"]["namespace"] = namespace
    return found


def _spreading(
    key: str,
    max_skew: int = 1,
    selector_key: str = "foo",
    labels: dict[str, str] | None = None,
    **spec: Any,
) -> dict[str, Any]:
    constraint = {
        "maxSkew": max_skew,
        "topologyKey": key,
        "whenUnsatisfiable": "DoNotSchedule",
        "labelSelector": {"matchExpressions": [{"key": selector_key, "operator": "Exists"}]},
    }
    return pod(
        "p",
        labels={"foo": ""} if labels is None else labels,
        topologySpreadConstraints=[constraint],
        **spec,
    )


_2103 = [
    _foo("p-a1", "node-a"),
    _foo("p-a2", "node-a"),
    _foo("p-b1", "node-b"),
    _foo("p-y1", "node-y"),
    _foo("p-y2", "node-y"),
    _foo("p-y3", "node-y"),
]
SPREAD_CASES = [
    pytest.param(
        [*_spread_nodes(), _spreading("zone")],
        {"node-a": OK, "node-b": OK, "node-x": OK, "node-y": OK},
        id=SPREAD + "no existing pods",
    ),
    pytest.param(
        [*_spread_nodes(), _spreading("zone", selector_key="bar")],
        {"node-a": OK, "node-b": OK, "node-x": OK, "node-y": OK},
        id=SPREAD + "no existing pods, incoming pod doesn't match itself",
    ),
    pytest.param(
        [
            *_spread_nodes(),
            _foo("p-a1", "node-a", "ns1"),
            _foo("p-b1", "node-a", "ns2"),
            _foo("p-x1", "node-x"),
            _foo("p-y1", "node-y"),
            _spreading("zone"),
        ],
        {"node-a": OK, "node-b": OK, "node-x": U, "node-y": U},
        id=SPREAD + "existing pods in a different namespace do not count",
    ),
    pytest.param(
        [
            *_spread_nodes(),
            _foo("p-a1", "node-a"),
            _foo("p-a2", "node-a"),
            _foo("p-b1", "node-b"),
            _foo("p-y1", "node-y"),
            _foo("p-y2", "node-y"),
            _foo("p-y3", "node-y"),
            _spreading("zone"),
        ],
        {"node-a": OK, "node-b": OK, "node-x": OK, "node-y": OK},
        id=SPREAD + "pods spread across zones as 3/3, all nodes fit",
    ),
    pytest.param(
        [
            node("node-a", labels={"zone": "zone1", "node": "node-a"}),
            node("node-b", labels={"zon": "zone1", "node": "node-b"}),
            node("node-x", labels={"zone": "zone2", "node": "node-x"}),
            node("node-y", labels={"zone": "zone2", "node": "node-y"}),
            _foo("p-a1", "node-a"),
            _foo("p-b1", "node-b"),
            _foo("p-x1", "node-x"),
            _foo("p-y1", "node-y"),
            _spreading("zone"),
        ],
        {"node-a": OK, "node-b": UU, "node-x": U, "node-y": U},
        id=SPREAD + "pods spread across zones as 1/2 due to absence of label 'zone' on node-b",
    ),
    pytest.param(
        [*_spread_nodes([("node-a", "zone1"), ("node-x", "zone2")]), _spreading("rack")],
        {"node-a": UU, "node-x": UU},
        id=SPREAD + "pod cannot be scheduled as all nodes don't have label 'rack'",
    ),
    pytest.param(
        [*_spread_nodes(), *_2103, _spreading("node")],
        {"node-a": U, "node-b": U, "node-x": OK, "node-y": U},
        id=SPREAD + "pods spread across nodes as 2/1/0/3, only node-x fits",
    ),
    pytest.param(
        [*_spread_nodes(), *_2103, _spreading("node", max_skew=2)],
        {"node-a": U, "node-b": OK, "node-x": OK, "node-y": U},
        id=SPREAD + "pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit",
    ),
    pytest.param(
        [*_spread_nodes(), *_2103, _spreading("node", labels={"bar": ""})],
        {"node-a": U, "node-b": OK, "node-x": OK, "node-y": U},
        id=SPREAD + "pods spread across nodes as 2/1/0/3, but pod doesn't match itself",
    ),
    pytest.param(
        [
            *_spread_nodes(),
            *_2103,
            _spreading(
                "node",
                affinity={
                    "nodeAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": {
                            "nodeSelectorTerms": [
                                {
                                    "matchExpressions": [
                                        {
                                            "key": "node",
                                            "operator": "In",
                                            "values": ["node-a", "node-y"],
                                        }
                                    ]
                                }
                            ]
                        }
                    }
                },
            ),
        ],
        {"node-a": OK, "node-b": OK, "node-x": OK, "node-y": U},
        id=SPREAD + "incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits",
    ),
    pytest.param(
        [
            node("node-a", labels={"node": "node-a"}),
            node("node-b", labels={"node": "node-b"}),
            {
                **_foo("p-a", "node-a"),
                "metadata": {
                    "name": "p-a",
                    "namespace": "default",
                    "labels": {"foo": ""},
                    "deletionTimestamp": "2026-01-01T00:00:00Z",
                },
            },
            _foo("p-b", "node-b"),
            _spreading("node"),
        ],
        {"node-a": OK, "node-b": U},
        id=SPREAD + "terminating Pods should be excluded",
    ),
]


@pytest.mark.parametrize(("objects", "codes"), SPREAD_CASES)
def test_pod_topology_spread(objects: list[dict[str, Any]], codes: dict[str, str]) -> None:
    report = run(objects)
    found = {name: verdict(report, name, "PodTopologySpread")[0] for name in codes}
    assert found == codes


# --- VolumeZone ------------------------------------------------------------------------
ZONE = "volumezone/volume_zone_test.go TestSingleZone/"
_BETA_ZONE = "failure-domain.beta.kubernetes.io/zone"
_BETA_REGION = "failure-domain.beta.kubernetes.io/region"
_GA_ZONE = "topology.kubernetes.io/zone"
_GA_REGION = "topology.kubernetes.io/region"
# The volumes and claims upstream's table lists, each claim bound to its volume.
_ZONE_VOLUMES = {
    "Vol_1": {_BETA_ZONE: "us-west1-a"},
    "Vol_2": {_BETA_REGION: "us-west1", "uselessLabel": "none"},
    "Vol_Stable_1": {_GA_ZONE: "us-west1-a"},
    "Vol_Stable_2": {_GA_REGION: "us-west1", "uselessLabel": "none"},
    "Vol_Stable_3": {_GA_ZONE: "us-west1-a", _GA_REGION: "us-west1-a"},
}


def _zone_case(volume: str, node_labels: dict[str, str]) -> list[dict[str, Any]]:
    claim = "claim-" + volume.lower().replace("_", "-")
    pv = {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": volume, "labels": _ZONE_VOLUMES[volume]},
        "spec": {"claimRef": {"namespace": "default", "name": claim}},
    }
    pvc = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": claim, "namespace": "default"},
        "spec": {"volumeName": volume},
        "status": {"phase": "Bound"},
    }
    uses = [{"name": "data", "persistentVolumeClaim": {"claimName": claim}}]
    return [node("host1", labels=node_labels), pv, pvc, pod("p", volumes=uses)]


_USELESS = {"uselessLabel": "none"}
ZONE_CASES = [
    pytest.param(_zone_case("Vol_1", {}), OK, id=ZONE + "node without labels"),
    pytest.param(
        _zone_case("Vol_1", {_BETA_ZONE: "us-west1-a", **_USELESS}),
        OK,
        id=ZONE + "beta zone label matched",
    ),
    pytest.param(
        _zone_case("Vol_2", {_BETA_REGION: "us-west1", **_USELESS}),
        OK,
        id=ZONE + "beta region label matched",
    ),
    pytest.param(
        _zone_case("Vol_2", {_BETA_REGION: "no_us-west1", **_USELESS}),
        UU,
        id=ZONE + "beta region label doesn't match",
    ),
    pytest.param(
        _zone_case("Vol_1", {_BETA_ZONE: "no_us-west1-a", **_USELESS}),
        UU,
        id=ZONE + "beta zone label doesn't match",
    ),
    pytest.param(
        _zone_case("Vol_Stable_1", {_GA_ZONE: "us-west1-a", **_USELESS}),
        OK,
        id=ZONE + "zone label matched",
    ),
    pytest.param(
        _zone_case("Vol_Stable_2", {_GA_REGION: "us-west1", **_USELESS}),
        OK,
        id=ZONE + "region label matched",
    ),
    pytest.param(
        _zone_case("Vol_Stable_2", {_GA_REGION: "no_us-west1", **_USELESS}),
        UU,
        id=ZONE + "region label doesn't match",
    ),
    pytest.param(
        _zone_case("Vol_Stable_1", {_GA_ZONE: "no_us-west1-a", **_USELESS}),
        UU,
        id=ZONE + "zone label doesn't match",
    ),
    pytest.param(
        _zone_case("Vol_Stable_3", {_GA_ZONE: "us-west1-a"}),
        UU,
        id=ZONE + "pv with zone and region, node with only zone",
    ),
    pytest.param(
        _zone_case("Vol_Stable_1", {_BETA_ZONE: "us-west1-a"}),
        UU,
        id=ZONE + "pv with zone,node with beta zone",
    ),
    pytest.param(
        _zone_case("Vol_1", {_GA_ZONE: "us-west1-a"}),
        OK,
        id=ZONE + "pv with beta label,node with ga label, matched",
    ),
    pytest.param(
        _zone_case("Vol_1", {_GA_ZONE: "us-west1-b"}),
        UU,
        id=ZONE + "pv with beta label,node with ga label, don't match",
    ),
]


@pytest.mark.parametrize(("objects", "code"), ZONE_CASES)
def test_volume_zone(objects: list[dict[str, Any]], code: str) -> None:
    found, reasons = verdict(run(objects), "host1", "VolumeZone")
    assert found == code
    if code != OK:
        assert reasons == ("node(s) had no available volume zone",)


def test_volume_zone_skips_a_pod_without_volumes() -> None:
    # volume_zone_test.go TestSingleZone/pod without volume: PreFilter says Skip, so the
    # plugin takes no part in the cycle; the report shows it as passing.
    report = run([node("host1", labels={_BETA_ZONE: "no-such-zone"}), pod("p")])
    assert verdict(report, "host1", "VolumeZone") == (OK, ())


# --- VolumeRestrictions ----------------------------------------------------------------
RESTRICTIONS = "volumerestrictions/volume_restrictions_test.go "
_DISK = "node(s) had no available disk"
_GCE_FOO = {"gcePersistentDisk": {"pdName": "foo"}}
_GCE_BAR = {"gcePersistentDisk": {"pdName": "bar"}}
_EBS_FOO = {"awsElasticBlockStore": {"volumeID": "foo"}}
_EBS_BAR = {"awsElasticBlockStore": {"volumeID": "bar"}}
_RBD_AB = {"rbd": {"monitors": ["a", "b"], "pool": "foo", "image": "bar", "fsType": "ext4"}}
_RBD_CD = {"rbd": {"monitors": ["c", "d"], "pool": "foo", "image": "bar", "fsType": "ext4"}}
_ISCSI_16 = {"iscsi": {"targetPortal": "127.0.0.1:3260", "lun": 0, "fsType": "ext4",
                       "iqn": "iqn.2016-12.server:storage.target01"}}  # fmt: skip
_ISCSI_17 = {"iscsi": {"targetPortal": "127.0.0.1:3260", "lun": 0, "fsType": "ext4",
                       "iqn": "iqn.2017-12.server:storage.target01"}}  # fmt: skip


def _disk_case(mine: dict[str, Any] | None, theirs: dict[str, Any] | None) -> list[dict[str, Any]]:
    def volumes(source: dict[str, Any] | None) -> dict[str, Any]:
        return {"volumes": [{"name": "disk", **source}]} if source else {}

    return [node("n1"), pod("existing", on="n1", **volumes(theirs)), pod("p", **volumes(mine))]


DISK_CASES = [
    pytest.param(None, None, OK, id=RESTRICTIONS + "TestGCEDiskConflicts/nothing"),
    pytest.param(None, _GCE_FOO, OK, id=RESTRICTIONS + "TestGCEDiskConflicts/one state"),
    pytest.param(_GCE_FOO, _GCE_FOO, U, id=RESTRICTIONS + "TestGCEDiskConflicts/same state"),
    pytest.param(_GCE_BAR, _GCE_FOO, OK, id=RESTRICTIONS + "TestGCEDiskConflicts/different state"),
    pytest.param(_EBS_FOO, _EBS_FOO, U, id=RESTRICTIONS + "TestAWSDiskConflicts/same state"),
    pytest.param(_EBS_BAR, _EBS_FOO, OK, id=RESTRICTIONS + "TestAWSDiskConflicts/different state"),
    pytest.param(_RBD_AB, _RBD_AB, U, id=RESTRICTIONS + "TestRBDDiskConflicts/same state"),
    pytest.param(_RBD_CD, _RBD_AB, OK, id=RESTRICTIONS + "TestRBDDiskConflicts/different state"),
    pytest.param(_ISCSI_16, _ISCSI_16, U, id=RESTRICTIONS + "TestISCSIDiskConflicts/same state"),
    pytest.param(
        _ISCSI_17, _ISCSI_16, OK, id=RESTRICTIONS + "TestISCSIDiskConflicts/different state"
    ),
]


@pytest.mark.parametrize(("mine", "theirs", "code"), DISK_CASES)
def test_volume_restrictions_disks(
    mine: dict[str, Any] | None, theirs: dict[str, Any] | None, code: str
) -> None:
    found = verdict(run(_disk_case(mine, theirs)), "n1", "VolumeRestrictions")
    assert found == ((U, (_DISK,)) if code == U else (OK, ()))


_RWOP_REASON = (
    "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode"
)


def _bound_claim(name: str, mode: str) -> list[dict[str, Any]]:
    # Bound to a volume, so that VolumeBinding passes and VolumeRestrictions is what decides.
    volume = {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": f"pv-{name}"},
        "spec": {"accessModes": [mode], "claimRef": {"namespace": "default", "name": name}},
    }
    claim = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"accessModes": [mode], "volumeName": f"pv-{name}"},
        "status": {"phase": "Bound"},
    }
    return [volume, claim]


def _claims(*names: str) -> dict[str, Any]:
    return {
        "volumes": [
            {"name": f"v{i}", "persistentVolumeClaim": {"claimName": name}}
            for i, name in enumerate(names)
        ]
    }


def _rwop_objects(
    existing: list[tuple[str, ...]], pending: tuple[str, ...]
) -> list[dict[str, Any]]:
    objects = [node("node-1")]
    objects += _bound_claim("claim-with-rwop-1", "ReadWriteOncePod")
    objects += _bound_claim("claim-with-rwop-2", "ReadWriteOncePod")
    objects += _bound_claim("claim-with-rwx", "ReadWriteMany")
    for i, names in enumerate(existing):
        objects.append(pod(f"existing-{i}", on="node-1", **_claims(*names)))
    objects.append(pod("p", **_claims(*pending)))
    return objects


ACCESS = RESTRICTIONS + "TestAccessModeConflicts/"
RWOP_CASES = [
    pytest.param([("claim-with-rwx",)], ("claim-with-rwop-1",), OK,
                 id=ACCESS + "no access mode conflict"),
    pytest.param([("claim-with-rwop-1",), ("claim-with-rwx",)], ("claim-with-rwop-1",), U,
                 id=ACCESS + "access mode conflict, unschedulable"),
    pytest.param([("claim-with-rwop-1", "claim-with-rwop-2"), ("claim-with-rwx",)],
                 ("claim-with-rwop-1", "claim-with-rwop-2"), U,
                 id=ACCESS + "two conflicts, unschedulable"),
]  # fmt: skip


@pytest.mark.parametrize(("existing", "pending", "code"), RWOP_CASES)
def test_volume_restrictions_read_write_once_pod(
    existing: list[tuple[str, ...]], pending: tuple[str, ...], code: str
) -> None:
    found = verdict(run(_rwop_objects(existing, pending)), "node-1", "VolumeRestrictions")
    assert found == ((U, (_RWOP_REASON,)) if code == U else (OK, ()))


def test_a_missing_claim_is_reported_as_upstream_words_it() -> None:
    # volume_restrictions_test.go TestAccessModeConflicts/failed to get PVC: rejected at
    # PreFilter, UnschedulableAndUnresolvable, 'persistentvolumeclaim "..." not found'
    # (here VolumeBinding's PreFilter, which runs the same lookup, says it first).
    report = run([node("node-1"), pod("p", **_claims("claim-with-rwop-1"))])
    assert report.summary == (
        '0/1 nodes are available: persistentvolumeclaim "claim-with-rwop-1" not found.'
    )


# --- DefaultPreemption -----------------------------------------------------------------
# defaultpreemption/default_preemption_test.go TestDryRunPreemption: nodes allocating 500m
# cpu and 500 bytes ("very large"); requests small 100m/100, medium 200m/200, large
# 300m/300, very large 500m/500; priorities low 0, mid 100, high 1000. Upstream compares
# the candidates of a dry run over every node; here `preempt` runs the whole PostFilter
# and its candidates are compared (every node is visited: fewer than 100 nodes).
DRY_RUN = "defaultpreemption/default_preemption_test.go TestDryRunPreemption/"
_SIZES = {"small": "100", "medium": "200", "large": "300", "very large": "500"}
LOW, MID, HIGH = 0, 100, 1000


def _sized(
    name: str, size: str | None, priority: int, on: str = "", **extra: Any
) -> dict[str, Any]:
    containers = None
    if size:
        amount = _SIZES[size]
        containers = [_container(cpu=f"{amount}m", memory=amount)]
    start = extra.pop("start", None)
    found = pod(name, on=on, containers=containers, priority=priority, **extra)
    if start is not None:
        found["status"] = {"phase": "Running", "startTime": f"1970-01-01T00:00:0{start}Z"}
    return found


def _big_node(name: str, **labels: str) -> dict[str, Any]:
    return node(name, labels=labels, allocatable={"cpu": "500m", "memory": "500", "pods": "32"})


def _candidates_of(objects: list[dict[str, Any]]) -> dict[str, tuple[list[str], int]]:
    cluster = ClusterState.from_manifests(parse_manifests(json.dumps(objects)))
    result = preempt(cluster, cluster.find_pod("default/p"), offset=0, now=1e9)
    assert not result.fits
    return {
        c.node: (sorted(v.name for v in c.victims), c.pdb_violations) for c in result.candidates
    }


DRY_RUN_CASES = [
    pytest.param(
        [
            _big_node("node1"),
            _big_node("node2"),
            _sized("p1", "large", MID, "node1"),
            _sized("p2", "large", MID, "node2"),
            _sized("p", "large", HIGH),
        ],
        {"node1": (["p1"], 0), "node2": (["p2"], 0)},
        id=DRY_RUN + "a pod that fits on both nodes when lower priority pods are preempted",
    ),
    pytest.param(
        [
            _big_node("node1"),
            _big_node("node2"),
            _sized("p1", "large", MID, "node1"),
            _sized("p2", "large", MID, "node2"),
            _sized("p", "large", LOW),
        ],
        {},
        id=DRY_RUN + "a pod that would fit on the nodes, but other pods running are higher "
        "priority, no preemption would happen",
    ),
    pytest.param(
        [
            _big_node("node1"),
            _big_node("node2"),
            _sized("p1.1", "small", LOW, "node1"),
            _sized("p1.2", "large", MID, "node1"),
            _sized("p2", "large", MID, "node2"),
            _sized("p", "large", HIGH),
        ],
        {"node1": (["p1.2"], 0), "node2": (["p2"], 0)},
        id=DRY_RUN + "medium priority pod is preempted, but lower priority one stays as it is "
        "small",
    ),
    pytest.param(
        [
            _big_node("node1"),
            _big_node("node2"),
            _sized("p1.1", "small", MID, "node1"),
            _sized("p1.2", "small", LOW, "node1"),
            _sized("p1.3", "medium", MID, "node1"),
            _sized("p1.4", "small", HIGH, "node1"),
            _sized("p2", "large", HIGH, "node2"),
            _sized("p", "large", HIGH),
        ],
        {"node1": (["p1.2", "p1.3"], 0)},
        id=DRY_RUN + "mixed priority pods are preempted",
    ),
    pytest.param(
        [
            _big_node("node1"),
            _big_node("node2"),
            _sized("p1.1", "small", LOW, "node1", start=5),
            _sized("p1.2", "small", LOW, "node1", start=4),
            _sized("p1.3", "medium", MID, "node1", start=3),
            _sized("p1.4", "small", HIGH, "node1", start=2),
            _sized("p2", "large", HIGH, "node2", start=1),
            _sized("p", "large", HIGH),
        ],
        {"node1": (["p1.1", "p1.3"], 0)},
        id=DRY_RUN + "mixed priority pods are preempted, pick later StartTime one when "
        "priorities are equal",
    ),
    pytest.param(
        [
            _big_node("node-a", zone="zone1", hostname="node-a"),
            _big_node("node-b", zone="zone1", hostname="node-b"),
            _big_node("node-x", zone="zone2", hostname="node-x"),
            *[
                {**_sized(name, None, priority, on), "metadata": {
                    "name": name, "namespace": "default", "labels": {"foo": ""}}}
                for name, priority, on in [
                    ("pod-a1", MID, "node-a"),
                    ("pod-a2", LOW, "node-a"),
                    ("pod-b1", LOW, "node-b"),
                    ("pod-x1", HIGH, "node-x"),
                    ("pod-x2", HIGH, "node-x"),
                ]
            ],
            {**_sized("p", None, HIGH, topologySpreadConstraints=[
                {"maxSkew": 1, "topologyKey": key, "whenUnsatisfiable": "DoNotSchedule",
                 "labelSelector": {"matchExpressions": [{"key": "foo", "operator": "Exists"}]}}
                for key in ("zone", "hostname")
            ]), "metadata": {"name": "p", "namespace": "default", "labels": {"foo": ""}}},
        ],
        {"node-a": (["pod-a2"], 0), "node-b": (["pod-b1"], 0)},
        id=DRY_RUN + "preemption to resolve pod topology spread filter failure",
    ),
    pytest.param(
        [
            _big_node("node1"),
            {**_sized("p1.1", "medium", MID, "node1"), "metadata": {
                "name": "p1.1", "namespace": "default", "labels": {"app": "foo"}}},
            {**_sized("p1.2", "medium", MID, "node1"), "metadata": {
                "name": "p1.2", "namespace": "default", "labels": {"app": "foo"}}},
            {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
             "metadata": {"name": "pdb", "namespace": "default"},
             "spec": {"selector": {"matchLabels": {"app": "foo"}}},
             "status": {"disruptionsAllowed": 1}},
            _sized("p", "very large", HIGH),
        ],
        {"node1": (["p1.1", "p1.2"], 1)},
        id=DRY_RUN + "preemption with violation of same pdb",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("objects", "expected"), DRY_RUN_CASES)
def test_default_preemption_candidates(
    objects: list[dict[str, Any]], expected: dict[str, tuple[list[str], int]]
) -> None:
    assert _candidates_of(objects) == expected


# --- VolumeBinding ---------------------------------------------------------------------
BINDING = "volumebinding/volume_binding_test.go TestVolumeBinding/"
_HOST = "kubernetes.io/hostname"
_NODE_CONFLICT = "node(s) didn't match PersistentVolume's node affinity"
_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind"
_PV_MISSING = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)"
# Upstream's two classes: "immediate-sc" and "wait-sc" (WaitForFirstConsumer); neither
# names a provisioner, so nothing is provisioned dynamically.
_CLASSES = [
    {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": name},
     "provisioner": "", "volumeBindingMode": mode}
    for name, mode in (("immediate-sc", "Immediate"), ("wait-sc", "WaitForFirstConsumer"))
]  # fmt: skip


def _binding_node(name: str, **labels: str) -> dict[str, Any]:
    return node(name, labels={_HOST: name, **labels})


def _pvc(name: str, sc: str, bound: str = "", phase: str = "", storage: str = "") -> dict[str, Any]:
    spec: dict[str, Any] = {"storageClassName": sc, "accessModes": ["ReadWriteOnce"]}
    if bound:
        spec["volumeName"] = bound
    if storage:
        spec["resources"] = {"requests": {"storage": storage}}
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": "default"},
        "spec": spec,
        "status": {"phase": phase or ("Bound" if bound else "Pending")},
    }


def _pv(
    name: str, sc: str, affinity: dict[str, list[str]] | None = None, capacity: str = ""
) -> dict[str, Any]:
    spec: dict[str, Any] = {"storageClassName": sc, "accessModes": ["ReadWriteOnce"]}
    if capacity:
        spec["capacity"] = {"storage": capacity}
    if affinity:
        expressions = [
            {"key": key, "operator": "In", "values": values} for key, values in affinity.items()
        ]
        spec["nodeAffinity"] = {"required": {"nodeSelectorTerms": [
            {"matchExpressions": expressions}]}}  # fmt: skip
    return {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": name},
            "spec": spec}  # fmt: skip


def _with_claims(*names: str) -> dict[str, Any]:
    return pod("p", **_claims(*names))


BINDING_CASES = [
    pytest.param(
        [_binding_node("node-a"), pod("p")], {"node-a": (OK, ())},
        id=BINDING + "pod has not pvcs",
    ),
    pytest.param(
        [_binding_node("node-a"), *_CLASSES, _pvc("pvc-a", "wait-sc", bound="pv-a"),
         _pv("pv-a", "wait-sc"), _with_claims("pvc-a")],
        {"node-a": (OK, ())},
        id=BINDING + "all bound",
    ),
    pytest.param(
        [_binding_node("node-a"), _binding_node("node-b"), *_CLASSES,
         _pvc("pvc-a", "wait-sc", bound="pv-a"), _pvc("pvc-b", "wait-sc", bound="pv-b"),
         _pv("pv-a", "wait-sc", {_HOST: ["node-a"]}), _pv("pv-b", "wait-sc", {_HOST: ["node-a"]}),
         _with_claims("pvc-a", "pvc-b")],
        {"node-a": (OK, ()), "node-b": (UU, ("node(s) didn't satisfy plugin(s) [VolumeBinding]",))},
        id=BINDING + "all bound with local volumes (node-b added: left out by PreFilter)",
    ),
    pytest.param(
        [_binding_node("node-a"), *_CLASSES, _pvc("pvc-a", "wait-sc"), _with_claims("pvc-a")],
        {"node-a": (UU, (_BIND_CONFLICT,))},
        id=BINDING + "unbound claims no matches",
    ),
    pytest.param(
        [_binding_node("node-a", foo="barbar"), *_CLASSES,
         _pvc("pvc-a", "wait-sc", bound="pv-a"), _pvc("pvc-b", "wait-sc"),
         _pv("pv-a", "wait-sc", {"foo": ["bar"]}), _with_claims("pvc-a", "pvc-b")],
        {"node-a": (UU, (_NODE_CONFLICT, _BIND_CONFLICT))},
        id=BINDING + "bound and unbound unsatisfied",
    ),
    pytest.param(
        [_binding_node("node-a"), *_CLASSES, _pvc("pvc-a", "wait-sc", bound="pv-a"),
         _with_claims("pvc-a")],
        {"node-a": (UU, (_PV_MISSING,))},
        id=BINDING + "pv not found",
    ),
    pytest.param(
        [_binding_node("node-a"), _binding_node("node-b"), _binding_node("node-c"), *_CLASSES,
         _pvc("pvc-a", "wait-sc", storage="50Gi"),
         _pv("pv-a-0", "wait-sc", {_HOST: ["node-a"]}, "200Gi"),
         _pv("pv-a-1", "wait-sc", {_HOST: ["node-a"]}, "200Gi"),
         _pv("pv-b-0", "wait-sc", {_HOST: ["node-b"]}, "100Gi"),
         _pv("pv-b-1", "wait-sc", {_HOST: ["node-b"]}, "100Gi"),
         _with_claims("pvc-a")],
        {"node-a": (OK, ()), "node-b": (OK, ()), "node-c": (UU, (_BIND_CONFLICT,))},
        id=BINDING + "local volumes with close capacity are preferred (the filter part)",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("objects", "expected"), BINDING_CASES)
def test_volume_binding(
    objects: list[dict[str, Any]], expected: dict[str, tuple[str, tuple[str, ...]]]
) -> None:
    report = run(objects)
    assert {name: verdict(report, name, "VolumeBinding") for name in expected} == expected


PREFILTER_CASES = [
    pytest.param(
        [_binding_node("node-a"), *_CLASSES, _with_claims("pvc-a")],
        'persistentvolumeclaim "pvc-a" not found',
        id=BINDING + "PVC does not exist",
    ),
    pytest.param(
        [_binding_node("node-a"), *_CLASSES, _pvc("pvc-a", "wait-sc", bound="pv-a"),
         _with_claims("pvc-a", "pvc-b")],
        'persistentvolumeclaim "pvc-b" not found',
        id=BINDING + "Part of PVCs do not exist",
    ),
    pytest.param(
        [_binding_node("node-a"), *_CLASSES, _pvc("pvc-a", "immediate-sc"),
         _with_claims("pvc-a")],
        "pod has unbound immediate PersistentVolumeClaims",
        id=BINDING + "immediate claims not bound",
    ),
    pytest.param(
        [_binding_node("node-a"), *_CLASSES,
         _pvc("pvc-a", "wait-sc", bound="pv-a", phase="Lost"), _with_claims("pvc-a")],
        'persistentvolumeclaim "pvc-a" bound to non-existent persistentvolume "pv-a"',
        id=BINDING + "pv not found claim lost",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("objects", "message"), PREFILTER_CASES)
def test_volume_binding_prefilter(objects: list[dict[str, Any]], message: str) -> None:
    # PreFilter rejects the pod on every node, UnschedulableAndUnresolvable, with this text.
    report = run(objects)
    assert verdict(report, "node-a", "VolumeBinding") == (UU, (message,))
    assert report.summary == f"0/1 nodes are available: {message}."


# --- NodeVolumeLimits ------------------------------------------------------------------
# nodevolumelimits/csi_test.go TestCSILimits: claims "csi-<driver>-<n>" bound to volumes of
# that CSI driver, "csi-4" unbound in a class the EBS driver provisions; the node's CSINode
# gives every driver the same count ("maxVols"), or none ("csinode-with-no-limit").
# Not translated: the cases counting VolumeAttachment objects and in-tree migration,
# which fmlab does not model (a VolumeAttachment in the manifests is a skipped kind).
LIMITS = "nodevolumelimits/csi_test.go TestCSILimits/"
_EBS, _GCE = "ebs.csi.aws.com", "pd.csi.storage.gke.io"


def _csi_claim(driver: str, n: int) -> list[dict[str, Any]]:
    name = f"csi-{driver}-{n}"
    volume = {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name},
        "spec": {"storageClassName": "csi-sc",
                 "csi": {"driver": driver, "volumeHandle": f"{driver}-vol{n}"}},
    }  # fmt: skip
    return [volume, _pvc(name, "csi-sc", bound=name)]


def _limits_case(
    pending: tuple[str, ...], existing: list[tuple[str, ...]], limit: int | None
) -> list[dict[str, Any]]:
    drivers = [{"name": d, "nodeID": "node-1"} for d in (_EBS, _GCE)]
    if limit is not None:
        drivers = [{**d, "allocatable": {"count": limit}} for d in drivers]
    objects: list[dict[str, Any]] = [
        _binding_node("node-1"),
        {"apiVersion": "storage.k8s.io/v1", "kind": "CSINode", "metadata": {"name": "node-1"},
         "spec": {"drivers": drivers}},
        {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
         "metadata": {"name": "csi-sc"}, "provisioner": _EBS,
         "volumeBindingMode": "WaitForFirstConsumer"},
        _pvc("csi-4", "csi-sc"),
    ]  # fmt: skip
    for driver in (_EBS, _GCE):
        for n in range(4):
            objects += _csi_claim(driver, n)
    for i, names in enumerate(existing):
        objects.append(pod(f"existing-{i}", on="node-1", **_claims(*names)))
    objects.append(pod("p", **_claims(*pending)))
    return objects


_RUNNING = (f"csi-{_EBS}-3",)
_EBS_ONE = (f"csi-{_EBS}-0",)
_EBS_TWO = (f"csi-{_EBS}-1", f"csi-{_EBS}-2")
_GCE_TWO = (f"csi-{_GCE}-1", f"csi-{_GCE}-2")
_PENDING = ("csi-4",)
LIMITS_CASES = [
    pytest.param(_EBS_ONE, [_RUNNING, _EBS_TWO], 4, OK,
                 id=LIMITS + "fits when node volume limit >= new pods CSI volume"),
    pytest.param(_EBS_ONE, [_RUNNING, _EBS_TWO], 2, U,
                 id=LIMITS + "doesn't when node volume limit <= pods CSI volume"),
    pytest.param(_EBS_ONE, [_RUNNING, _EBS_TWO], None, OK,
                 id=LIMITS + "should when driver does not support volume limits"),
    pytest.param(_EBS_ONE, [_PENDING, _EBS_TWO], 2, U,
                 id=LIMITS + "count pending PVCs towards volume limit <= pods CSI volume"),
    pytest.param(_EBS_ONE, [_PENDING, _PENDING, _EBS_TWO], 4, OK,
                 id=LIMITS + "count multiple pending pvcs towards volume limit >= pods CSI "
                 "volume"),
    pytest.param(_EBS_ONE, [_GCE_TWO, _EBS_TWO], 2, U,
                 id=LIMITS + "count pvcs with the same type towards volume limit"),
    pytest.param(_GCE_TWO, [_EBS_TWO, _RUNNING], 2, OK,
                 id=LIMITS + "don't count pvcs with different type towards volume limit"),
]  # fmt: skip


@pytest.mark.parametrize(("pending", "existing", "limit", "code"), LIMITS_CASES)
def test_node_volume_limits(
    pending: tuple[str, ...], existing: list[tuple[str, ...]], limit: int | None, code: str
) -> None:
    found = verdict(run(_limits_case(pending, existing, limit)), "node-1", "NodeVolumeLimits")
    assert found == ((U, ("node(s) exceed max volume count",)) if code == U else (OK, ()))
