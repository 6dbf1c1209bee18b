"""Manifests as kubectl writes them: YAML streams, Lists, JSON; errors name object and field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.core.errors import InputError
from fmlab.k8s._manifests import load_manifests, parse_manifests

DATA = Path(__file__).parent / "data"


def test_kubectl_list_in_yaml() -> None:
    manifests = load_manifests([DATA / "cluster-pitfall-a.yaml"])
    assert [n.name for n in manifests.nodes] == ["node-1", "node-2"]
    assert {c.name: c.value for c in manifests.priority_classes} == {"low": 0, "high": 1000}
    node_1, node_2 = manifests.nodes
    assert node_1.allocatable == {
        "cpu": 4000,
        "ephemeral-storage": 100 * 2**30,
        "memory": 8 * 2**30,
        "pods": 110,
    }
    assert node_2.allocatable["cpu"] == 4000
    assert node_2.allocatable["memory"] == 8 * 2**30
    cache = next(p for p in manifests.pods if p.name == "cache-0")
    assert cache.requests == {"cpu": 2000, "memory": 2**30}
    assert cache.node_name == "node-1"
    assert cache.priority == 0
    assert cache.start_time == dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.UTC)
    web = next(p for p in manifests.pods if p.name == "web")
    assert web.node_name == ""
    assert len(web.affinity_terms) == 1
    assert web.affinity_terms[0].topology_key == "kubernetes.io/hostname"


def test_kubectl_list_in_json() -> None:
    manifests = load_manifests([DATA / "cluster-pitfall-b.json"])
    assert len(manifests.nodes) == 2
    assert len(manifests.pods) == 4
    web = next(p for p in manifests.pods if p.name == "web")
    (term,) = web.anti_affinity_terms
    assert term.topology_key == "topology.kubernetes.io/zone"
    assert term.label_selector is not None
    assert term.label_selector.matches({"app": "logger"})


def test_multi_document_stream_skips_unknown_kinds_with_a_warning() -> None:
    manifests = load_manifests([DATA / "basic.yaml"])
    assert len(manifests.pods) == 3
    assert len(manifests.pdbs) == 1
    assert any("ConfigMap" in w for w in manifests.warnings)
    (pdb,) = manifests.pdbs
    assert pdb.disruptions_allowed == 0
    assert pdb.selector is not None


POD = """
apiVersion: v1
kind: Pod
metadata: {{name: web-1}}
spec:
  containers:
  - name: app
    resources: {{requests: {{cpu: {cpu}}}}}
{extra}
"""


def _pod_error(cpu: str = "1", extra: str = "") -> str:
    with pytest.raises(InputError) as caught:
        parse_manifests(POD.format(cpu=cpu, extra=extra), source="web.yaml")
    return str(caught.value)


def test_bad_quantity_names_object_and_field() -> None:
    assert _pod_error(cpu='"5 cores"') == (
        "web.yaml: Pod default/web-1: spec.containers[0].resources.requests.cpu: "
        'invalid quantity "5 cores"'
    )


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        ("  priority: high", "spec.priority: expected an integer"),
        ("  tolerations: [{operator: Maybe}]", "spec.tolerations[0].operator"),
        (
            "  affinity: {podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "
            "[{labelSelector: {}}]}}",
            "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]"
            ".topologyKey: missing",
        ),
        (
            "  topologySpreadConstraints: [{maxSkew: 0, topologyKey: zone, "
            "whenUnsatisfiable: DoNotSchedule}]",
            "spec.topologySpreadConstraints[0].maxSkew",
        ),
        ("  nodeSelector: [a]", "spec.nodeSelector: expected a mapping"),
        ("  preemptionPolicy: Sometimes", "spec.preemptionPolicy"),
    ],
)
def test_bad_fields_are_located(extra: str, where: str) -> None:
    message = _pod_error(extra=extra)
    assert message.startswith("web.yaml: Pod default/web-1: ")
    assert where in message


def test_negative_request_is_rejected() -> None:
    assert "must not be negative" in _pod_error(cpu="-1")


def test_limits_default_missing_requests() -> None:
    text = POD.format(cpu="1", extra="").replace(
        "resources: {requests: {cpu: 1}}", "resources: {limits: {cpu: 2, memory: 1Gi}}"
    )
    (pod,) = parse_manifests(text).pods
    assert pod.requests == {"cpu": 2000, "memory": 2**30}


def test_init_containers_and_sidecars_and_overhead() -> None:
    text = """
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  overhead: {cpu: 100m}
  initContainers:
  - {name: sidecar, restartPolicy: Always, resources: {requests: {cpu: 200m}}}
  - {name: migrate, resources: {requests: {cpu: "3", memory: 1Gi}}}
  containers:
  - {name: a, resources: {requests: {cpu: 500m, memory: 2Gi}}}
  - {name: b, resources: {requests: {cpu: 500m}}}
"""
    (pod,) = parse_manifests(text).pods
    # cpu: max(1000 + 200 sidecar, 3000 + 200) + 100 overhead; memory: max(2Gi, 1Gi).
    assert pod.requests == {"cpu": 3300, "memory": 2 * 2**30}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: [1, 2", "invalid YAML"),
        ("kind: Pod\nkind: Node\n", 'duplicate key "kind"'),
        ('{"kind": "Pod", "kind": "Node"}', 'duplicate key "kind"'),
        ("- 1\n- 2\n", "expected a Kubernetes object"),
        ("apiVersion: v1\nkind: Pod\nmetadata: {}\n", "metadata.name: missing"),
    ],
)
def test_broken_documents(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_manifests(text, source="x.yaml")


def test_duplicate_objects_are_rejected() -> None:
    node = "apiVersion: v1\nkind: Node\nmetadata: {name: n}\n"
    with pytest.raises(InputError, match="Node n appears twice"):
        parse_manifests(node + "---\n" + node)


def test_missing_file() -> None:
    with pytest.raises(InputError, match="no such file"):
        load_manifests([DATA / "absent.yaml"])


def test_unsupported_api_version_is_skipped() -> None:
    text = "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: old}\n"
    manifests = parse_manifests(text)
    assert not manifests.pdbs
    assert "policy/v1beta1" in manifests.warnings[0]


def test_node_taints_and_unschedulable() -> None:
    text = """
apiVersion: v1
kind: Node
metadata: {name: n, labels: {rack: 7}}
spec:
  unschedulable: true
  taints: [{key: dedicated, value: gpu, effect: NoSchedule}]
status: {allocatable: {cpu: "8", pods: 10, nvidia.com/gpu: 2}}
"""
    (node,) = parse_manifests(text).nodes
    assert node.unschedulable
    assert node.taints[0].key == "dedicated"
    assert node.labels == {"rack": "7"}
    assert node.allocatable == {"cpu": 8000, "pods": 10, "nvidia.com/gpu": 2}


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=True), st.text(max_size=5)
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "metadata",
                    "spec",
                    "status",
                    "name",
                    "namespace",
                    "labels",
                    "containers",
                    "resources",
                    "requests",
                    "limits",
                    "cpu",
                    "affinity",
                    "podAffinity",
                    "requiredDuringSchedulingIgnoredDuringExecution",
                    "labelSelector",
                    "matchExpressions",
                    "key",
                    "operator",
                    "values",
                    "topologyKey",
                    "tolerations",
                    "taints",
                    "allocatable",
                    "priority",
                    "nodeName",
                    "startTime",
                    "selector",
                    "disruptionsAllowed",
                    "value",
                    "items",
                    "kind",
                    "apiVersion",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@given(
    st.sampled_from(["Pod", "Node", "PriorityClass", "PodDisruptionBudget", "List", "Other"]),
    _VALUES,
)
@settings(max_examples=150)
def test_arbitrary_objects_raise_input_errors_only(kind: str, body: object) -> None:
    import json as json_module

    api = {"PriorityClass": "scheduling.k8s.io/v1", "PodDisruptionBudget": "policy/v1"}
    document = {"apiVersion": api.get(kind, "v1"), "kind": kind}
    if isinstance(body, dict):
        document.update(body)
    text = json_module.dumps(document, default=str)
    message = ""
    try:
        parse_manifests(text, source="fuzz.json")
    except InputError as error:  # the only exception bad input may raise
        message = str(error)
    assert "\n" not in message
