"""The fields users write that fmlab once ignored: each is modelled now (or warned about),
checked through the public path (manifests, cluster, :func:`fmlab.k8s.filter_pod`)."""

from __future__ import annotations

from typing import Any

from fmlab.k8s import ClusterState, load_cluster, parse_manifests, preempt

from .upstream import node, pod, run, verdict

OK, U, UU = "Success", "Unschedulable", "UnschedulableAndUnresolvable"


def _requests(cpu: str) -> list[dict[str, Any]]:
    return [{"name": "c", "resources": {"requests": {"cpu": cpu}}}]


def test_host_port_taken_on_the_node_does_not_fit() -> None:
    port = [{"name": "c", "ports": [{"containerPort": 80, "hostPort": 8080}]}]
    report = run(
        [node("n1"), node("n2"), pod("web-0", on="n1", containers=port), pod("p", containers=port)]
    )
    assert verdict(report, "n1", "NodePorts")[0] == U
    assert report.fits == ("n2",)


def test_a_sidecar_host_port_counts_too() -> None:
    sidecar = [
        {"name": "s", "restartPolicy": "Always", "ports": [{"containerPort": 1, "hostPort": 9000}]}
    ]
    wanted = [{"name": "c", "ports": [{"containerPort": 1, "hostPort": 9000}]}]
    report = run(
        [node("n1"), pod("a", on="n1", initContainers=sidecar), pod("p", containers=wanted)]
    )
    assert verdict(report, "n1", "NodePorts")[0] == U


def test_preemption_frees_a_host_port() -> None:
    port = [{"name": "c", "ports": [{"containerPort": 80, "hostPort": 8080}]}]
    objects = [
        node("n1"),
        pod("low", on="n1", containers=port, priority=1),
        pod("p", containers=port, priority=10),
    ]
    from fmlab.k8s._manifests import from_documents

    cluster = ClusterState.from_manifests(from_documents(objects))
    result = preempt(cluster, cluster.find_pod("default/p"), offset=0, now=0.0)
    assert result.nominated_node == "n1"
    assert [v.name for v in result.victims] == ["low"]


def test_pod_level_requests_replace_the_containers_sum() -> None:
    objects = [
        node("n1", allocatable={"cpu": "4", "memory": "16Gi", "pods": "110"}),
        pod("p", containers=_requests("1"), resources={"requests": {"cpu": "6"}}),
    ]
    report = run(objects)
    # 6 cpu on a 4-cpu node: more than it has at all, so unresolvable (kubernetes#131345).
    assert verdict(report, "n1", "NodeResourcesFit") == (UU, ("Insufficient cpu",))


def test_pod_level_limits_default_the_request() -> None:
    objects = [node("n1"), pod("p", resources={"limits": {"cpu": "6"}})]
    assert verdict(run(objects), "n1", "NodeResourcesFit") == (UU, ("Insufficient cpu",))


def test_in_place_resize_counts_the_allocated_resources_of_a_bound_pod() -> None:
    resized = pod("big", on="n1", containers=_requests("1"))
    resized["status"] = {
        "containerStatuses": [
            {
                "name": "c",
                "allocatedResources": {"cpu": "3"},
                "resources": {"requests": {"cpu": "3"}},
            }
        ]
    }
    report = run([node("n1"), resized, pod("p", containers=_requests("2"))])
    # Spec says 1 cpu used (2 would fit on 4); the status says 3 (2 does not).
    assert verdict(report, "n1", "NodeResourcesFit") == (U, ("Insufficient cpu",))


def test_an_infeasible_resize_counts_status_and_allocation_only() -> None:
    resized = pod("big", on="n1", containers=_requests("3"))
    resized["status"] = {
        "conditions": [{"type": "PodResizePending", "status": "True", "reason": "Infeasible"}],
        "containerStatuses": [
            {
                "name": "c",
                "allocatedResources": {"cpu": "1"},
                "resources": {"requests": {"cpu": "1"}},
            }
        ],
    }
    report = run([node("n1"), resized, pod("p", containers=_requests("2"))])
    assert verdict(report, "n1", "NodeResourcesFit")[0] == OK


def test_match_label_keys_narrow_anti_affinity_to_the_same_version() -> None:
    term = {
        "labelSelector": {"matchLabels": {"app": "web"}},
        "topologyKey": "kubernetes.io/hostname",
        "matchLabelKeys": ["version"],
    }
    anti = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term]}}
    objects = [
        node("n1", labels={"kubernetes.io/hostname": "n1"}),
        pod("old", on="n1", labels={"app": "web", "version": "v1"}),
        pod("p", labels={"app": "web", "version": "v2"}, affinity=anti),
    ]
    assert verdict(run(objects), "n1", "InterPodAffinity")[0] == OK
    objects[1] = pod("old", on="n1", labels={"app": "web", "version": "v2"})
    assert verdict(run(objects), "n1", "InterPodAffinity")[0] == U


def test_mismatch_label_keys_exclude_the_own_value() -> None:
    term = {
        "labelSelector": {"matchExpressions": [{"key": "tenant", "operator": "Exists"}]},
        "topologyKey": "kubernetes.io/hostname",
        "mismatchLabelKeys": ["tenant"],
    }
    anti = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term]}}
    objects = [
        node("n1", labels={"kubernetes.io/hostname": "n1"}),
        pod("same", on="n1", labels={"tenant": "a"}),
        pod("p", labels={"tenant": "a"}, affinity=anti),
    ]
    assert verdict(run(objects), "n1", "InterPodAffinity")[0] == OK
    objects[1] = pod("other", on="n1", labels={"tenant": "b"})
    assert verdict(run(objects), "n1", "InterPodAffinity")[0] == U


def test_scheduler_name_of_another_scheduler_gets_no_attempt() -> None:
    from fmlab.k8s._manifests import from_documents

    cluster = ClusterState.from_manifests(
        from_documents([node("n1"), pod("p", schedulerName="volcano")])
    )
    result = preempt(cluster, cluster.find_pod("default/p"), offset=0, now=0.0)
    assert "volcano" in result.reason
    assert result.nominated_node is None


def test_gated_pod_gets_no_attempt() -> None:
    from fmlab.k8s._manifests import from_documents

    cluster = ClusterState.from_manifests(
        from_documents([node("n1"), pod("p", schedulingGates=[{"name": "quota"}])])
    )
    result = preempt(cluster, cluster.find_pod("default/p"), offset=0, now=0.0)
    assert result.reason == "waiting for scheduling gates: [quota]"


def test_unquoted_numeric_label_is_warned_about_with_its_line() -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    version: 1.10\n"
        "spec:\n  containers: [{name: c}]\n"
    )
    manifests = parse_manifests(text, source="p.yaml")
    (warning,) = manifests.warnings
    assert "line 6" in warning
    assert "1.10" in warning
    assert "metadata.labels.version" in warning
    assert manifests.pods[0].labels["version"] == "1.1"


def test_unquoted_node_selector_value_is_warned_about() -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
        "spec:\n  nodeSelector:\n    gen: 2\n  containers: [{name: c}]\n"
    )
    (warning,) = parse_manifests(text).warnings
    assert "spec.nodeSelector.gen" in warning
    assert "line 6" in warning


# --- volumes ------------------------------------------------------------------------


def _claim(name: str, **spec: Any) -> dict[str, Any]:
    status = spec.pop("status", {"phase": "Bound" if spec.get("volumeName") else "Pending"})
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "1Gi"}},
            **spec,
        },
        "status": status,
    }


def _volume(name: str, **spec: Any) -> dict[str, Any]:
    labels = spec.pop("labels", {})
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name, "labels": labels},
        "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], **spec},
    }


def _class(
    name: str, provisioner: str, mode: str = "WaitForFirstConsumer", **extra: Any
) -> dict[str, Any]:
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": name},
        "provisioner": provisioner,
        "volumeBindingMode": mode,
        **extra,
    }


def _uses(claim: str) -> dict[str, Any]:
    return {"volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": claim}}]}


def _zone_affinity(zone: str) -> dict[str, Any]:
    expression = {"key": "topology.kubernetes.io/zone", "operator": "In", "values": [zone]}
    return {"required": {"nodeSelectorTerms": [{"matchExpressions": [expression]}]}}


def test_a_missing_claim_rejects_the_pod_at_prefilter_with_a_warning(tmp_path: Any) -> None:
    path = tmp_path / "m.yaml"
    import yaml

    path.write_text(yaml.safe_dump_all([node("n1"), pod("p", **_uses("data"))]))
    warned: list[str] = []
    cluster, _ = load_cluster([path], warn=warned.append)
    assert any(
        'persistentvolumeclaim "data" is not in the manifests' in w for w in cluster.warnings
    )
    from fmlab.k8s import filter_pod

    report = filter_pod(cluster, cluster.find_pod("p"))
    assert report.summary == '0/1 nodes are available: persistentvolumeclaim "data" not found.'


def test_bound_volume_node_affinity_is_checked() -> None:
    objects = [
        node("a", labels={"topology.kubernetes.io/zone": "z1"}),
        node("b", labels={"topology.kubernetes.io/zone": "z2"}),
        _volume(
            "pv1",
            nodeAffinity=_zone_affinity("z1"),
            claimRef={"namespace": "default", "name": "data"},
        ),
        _claim("data", volumeName="pv1"),
        pod("p", **_uses("data")),
    ]
    report = run(objects)
    assert verdict(report, "b", "VolumeBinding") == (
        UU,
        ("node(s) didn't match PersistentVolume's node affinity",),
    )
    assert report.fits == ("a",)


def test_unbound_immediate_claim_rejects_everywhere() -> None:
    objects = [
        node("a"),
        _class("fast", "ebs.csi.aws.com", "Immediate"),
        _claim("data", storageClassName="fast"),
        pod("p", **_uses("data")),
    ]
    assert (
        run(objects).summary
        == "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims."
    )


def test_wait_for_first_consumer_needs_an_available_local_volume() -> None:
    objects = [
        node("a", labels={"topology.kubernetes.io/zone": "z1"}),
        node("b", labels={"topology.kubernetes.io/zone": "z2"}),
        _class("local", "kubernetes.io/no-provisioner"),
        _volume("pv1", storageClassName="local", nodeAffinity=_zone_affinity("z1")),
        _claim("data", storageClassName="local"),
        pod("p", **_uses("data")),
    ]
    report = run(objects)
    assert verdict(report, "b", "VolumeBinding") == (
        UU,
        ("node(s) didn't find available persistent volumes to bind",),
    )
    assert report.fits == ("a",)


def test_volume_zone_labels_must_match_the_node() -> None:
    objects = [
        node("a", labels={"topology.kubernetes.io/zone": "z1"}),
        node("b", labels={"topology.kubernetes.io/zone": "z2"}),
        _volume("pv1", labels={"topology.kubernetes.io/zone": "z1"}),
        _claim("data", volumeName="pv1"),
        pod("p", **_uses("data")),
    ]
    assert verdict(run(objects), "b", "VolumeZone") == (
        UU,
        ("node(s) had no available volume zone",),
    )


def test_read_write_once_pod_claim_in_use_elsewhere() -> None:
    objects = [
        node("a"),
        node("b"),
        _volume("pv1", accessModes=["ReadWriteOncePod"]),
        _claim("data", volumeName="pv1", accessModes=["ReadWriteOncePod"]),
        pod("user", on="a", **_uses("data")),
        pod("p", **_uses("data")),
    ]
    report = run(objects)
    assert verdict(report, "b", "VolumeRestrictions")[0] == U
    assert report.fits == ()


def test_csi_volume_limit_of_the_node() -> None:
    csinode = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "CSINode",
        "metadata": {"name": "a"},
        "spec": {
            "drivers": [{"name": "ebs.csi.aws.com", "nodeID": "i-1", "allocatable": {"count": 1}}]
        },
    }
    objects = [
        node("a"),
        csinode,
        _volume("pv1", csi={"driver": "ebs.csi.aws.com", "volumeHandle": "vol-1"}),
        _volume("pv2", csi={"driver": "ebs.csi.aws.com", "volumeHandle": "vol-2"}),
        _claim("one", volumeName="pv1"),
        _claim("two", volumeName="pv2"),
        pod("user", on="a", **_uses("one")),
        pod("p", **_uses("two")),
    ]
    assert verdict(run(objects), "a", "NodeVolumeLimits") == (
        U,
        ("node(s) exceed max volume count",),
    )


def test_inline_ebs_disk_already_attached() -> None:
    ebs = {"volumes": [{"name": "d", "awsElasticBlockStore": {"volumeID": "vol-9"}}]}
    objects = [node("a"), pod("user", on="a", **ebs), pod("p", **ebs)]
    assert verdict(run(objects), "a", "VolumeRestrictions") == (
        U,
        ("node(s) had no available disk",),
    )


def test_other_volume_kinds_are_warned_about() -> None:
    nfs = {"volumes": [{"name": "d", "nfs": {"server": "x", "path": "/"}}]}
    from fmlab.k8s._manifests import from_documents

    (warning,) = from_documents([pod("p", **nfs)]).warnings
    assert "nfs" in warning
    assert "not modelled" in warning


def test_an_existing_volume_binds_where_the_class_cannot_provision() -> None:
    # upstream binder.go: matching volumes are looked for before provisioning is tried.
    only_z2 = {"allowedTopologies": [{"matchLabelExpressions": [
        {"key": "topology.kubernetes.io/zone", "values": ["z2"]}
    ]}]}  # fmt: skip
    objects = [
        node("a", labels={"topology.kubernetes.io/zone": "z1"}),
        node("b", labels={"topology.kubernetes.io/zone": "z2"}),
        node("c", labels={"topology.kubernetes.io/zone": "z3"}),
        _class("csi", "ebs.csi.aws.com", **only_z2),
        _volume("pv1", storageClassName="csi", nodeAffinity=_zone_affinity("z1")),
        _claim("data", storageClassName="csi"),
        pod("p", **_uses("data")),
    ]
    report = run(objects)
    assert report.fits == ("a", "b")
    assert verdict(report, "c", "VolumeBinding")[0] == UU


def test_a_claim_whose_class_is_missing_is_warned_about() -> None:
    from fmlab.k8s._manifests import from_documents

    objects = [node("a"), _claim("data", storageClassName="gone"), pod("p", **_uses("data"))]
    cluster = ClusterState.from_manifests(from_documents(objects))
    assert any('storageclass "gone"' in w for w in cluster.warnings)
