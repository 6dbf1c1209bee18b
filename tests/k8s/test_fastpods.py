"""The fast Pod reader agrees with the full one wherever it answers."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.k8s._fastpods import read_plain_pod
from fmlab.k8s._manifests import parse_pod
from fmlab.k8s._model import Pod


def _every_field(pod: Pod) -> dict[str, Any]:
    """Each field as attribute lookup sees it (the fast reader leaves defaults on the class)."""
    assert set(vars(pod)) <= {f.name for f in dataclasses.fields(pod)}  # nothing stray
    return {f.name: getattr(pod, f.name) for f in dataclasses.fields(pod)}


_QUANTITIES = st.sampled_from(["100m", "1", "2Gi", "512Mi", "0", "1.5", "1e3", "-1", "lots", ""])
_WORDS = st.sampled_from(["a", "b", "web", "", "kube-system", "Exists", "Equal", "NoSchedule"])


@st.composite
def _pod_manifests(draw: st.DrawFn) -> dict[str, Any]:
    resources: dict[str, Any] = {}
    for section in draw(st.sets(st.sampled_from(["requests", "limits"]))):
        resources[section] = draw(
            st.dictionaries(st.sampled_from(["cpu", "memory", "example.com/gpu"]), _QUANTITIES)
        )
    container: dict[str, Any] = {"name": "c", "image": "x"}
    if resources or draw(st.booleans()):
        container["resources"] = resources
    spec: dict[str, Any] = {"containers": [container] * draw(st.integers(1, 2))}
    if draw(st.booleans()):
        spec["priority"] = draw(st.one_of(st.integers(-5, 5), st.just("high")))
    if draw(st.booleans()):
        spec["nodeName"] = draw(_WORDS)
    if draw(st.booleans()):
        spec["tolerations"] = [
            {
                "key": draw(_WORDS),
                "operator": draw(st.sampled_from(["Exists", "Equal", "Maybe"])),
                "effect": draw(st.sampled_from(["", "NoExecute", "Sometimes"])),
            }
        ]
    if draw(st.booleans()):
        spec["affinity"] = {}
    if draw(st.booleans()):
        spec["priorityClassName"] = draw(_WORDS)
    if draw(st.booleans()):
        spec["preemptionPolicy"] = draw(st.sampled_from(["Never", "PreemptLowerPriority", ""]))
    metadata: dict[str, Any] = {"name": draw(st.sampled_from(["p", "q", ""]))}
    if draw(st.booleans()):
        metadata["labels"] = draw(st.dictionaries(_WORDS, st.one_of(_WORDS, st.integers(0, 3))))
    if draw(st.booleans()):
        metadata["namespace"] = draw(_WORDS)
    status: dict[str, Any] = {}
    if draw(st.booleans()):
        status["startTime"] = draw(st.sampled_from(["2024-05-01T10:00:00Z", "yesterday"]))
    if draw(st.booleans()):
        status["nominatedNodeName"] = draw(_WORDS)
    if draw(st.booleans()):
        status["phase"] = draw(st.sampled_from(["Running", "Pending", ""]))
    if draw(st.booleans()):
        status["conditions"] = [{"type": "Ready", "status": "True"}]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec, "status": status}


@given(_pod_manifests())
@settings(max_examples=200)
def test_fast_reader_agrees_with_the_full_reader(manifest: dict[str, Any]) -> None:
    fast = read_plain_pod(manifest)
    if fast is None:
        return
    assert fast == parse_pod(manifest)
    # Every field, the derived ones (key, effective priority, start) included.
    assert _every_field(fast) == _every_field(parse_pod(manifest))


def test_kubectl_style_pod_takes_the_fast_path() -> None:
    manifest = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web-1", "namespace": "prod", "labels": {"app": "web"}},
        "spec": {
            "containers": [{"name": "c", "resources": {"requests": {"cpu": "250m"}}}],
            "nodeName": "n1",
            "priority": 100,
            "priorityClassName": "high",
            "restartPolicy": "Always",
            "tolerations": [
                {
                    "effect": "NoExecute",
                    "key": "node.kubernetes.io/not-ready",
                    "operator": "Exists",
                    "tolerationSeconds": 300,
                }
            ],
        },
        "status": {"phase": "Running", "startTime": "2024-05-01T10:00:00Z"},
    }
    fast = read_plain_pod(manifest)
    assert fast is not None
    assert fast == parse_pod(manifest)
    # Every field, the derived ones (key, effective priority, start) included.
    assert _every_field(fast) == _every_field(parse_pod(manifest))
    assert fast.requests == {"cpu": 250}


def _plain(cpu: str, toleration_key: str = "a") -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {
            "containers": [{"name": "c", "resources": {"requests": {"cpu": cpu}}}],
            "tolerations": [{"key": toleration_key, "operator": "Exists"}],
        },
    }


def test_remembered_shapes_do_not_follow_later_changes_to_a_manifest() -> None:
    first = _plain("1")
    read_plain_pod(first)  # remembered as the last resources and tolerations seen
    first["spec"]["containers"][0]["resources"]["requests"]["cpu"] = "2"
    first["spec"]["tolerations"][0]["key"] = "b"
    again = read_plain_pod(_plain("2", "b"))
    assert again is not None
    assert again.requests == {"cpu": 2000}
    assert [t.key for t in again.tolerations] == ["b"]
    # And the changed manifest itself reads as it now is.
    changed = read_plain_pod(first)
    assert changed is not None
    assert changed.requests == {"cpu": 2000}


def test_neighbours_with_equal_requests_agree_and_invalid_ones_fall_back() -> None:
    pods = [read_plain_pod(_plain(cpu)) for cpu in ("1", "1", "lots", "1", "500m")]
    assert [p.requests if p else None for p in pods] == [
        {"cpu": 1000},
        {"cpu": 1000},
        None,
        {"cpu": 1000},
        {"cpu": 500},
    ]


def test_a_container_without_resources_after_a_fresh_start() -> None:
    from fmlab.k8s import _fastpods as fastpods

    fastpods._LAST_RESOURCES[:] = [fastpods._NOTHING_YET, None]
    bare = _plain("1")
    del bare["spec"]["containers"][0]["resources"]
    found = read_plain_pod(bare)
    assert found is not None
    assert found.requests == {}
