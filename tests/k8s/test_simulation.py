"""Timed events through the scheduler, and their errors."""

from __future__ import annotations

import pytest

from fmlab.core.errors import InputError
from fmlab.k8s._build import node, pod
from fmlab.k8s._cluster import ClusterState
from fmlab.k8s._model import PriorityClass
from fmlab.k8s._simulation import Action, parse_actions, plot_timeline, simulate


def test_arrival_preemption_and_deletion_in_order() -> None:
    cluster = ClusterState([node("n1", cpu="2")], [pod("low", cpu="2", priority=0, node_name="n1")])
    actions = [
        Action(3.0, create=pod("high", cpu="1", priority=None)),  # priority from the class
        Action(10.0, delete="default/high"),
    ]
    classes = [PriorityClass("standard", 100, global_default=True)]
    timeline = simulate(cluster, actions, classes=classes)
    kinds = [(e.time, e.kind, e.pod) for e in timeline.events]
    assert kinds[0] == (3.0, "preempted", "default/low")
    assert (4.0, "bound", "default/high") in kinds
    assert kinds[-1] == (10.0, "deleted", "default/high")
    assert timeline.placement == {}
    assert timeline.samples[0][0] == 0.0


def test_events_file_is_checked() -> None:
    good = parse_actions(
        "- {at: 2, delete: default/a}\n- {at: 1, create: {apiVersion: v1, kind: Pod, "
        "metadata: {name: b}}}\n"
    )
    assert [a.at for a in good] == [1.0, 2.0]
    for text, message in [
        ("- {at: -1, delete: default/a}", "non-negative"),
        ("- {at: 1}", "exactly one"),
        ("- {at: 1, delete: a}", "namespace/name"),
        ("- {at: 1, create: {kind: Node, metadata: {name: n}}}", "Pod manifest"),
        (
            "- {at: 1, create: {apiVersion: v1, kind: Pod, metadata: {name: p}, "
            "spec: {containers: [{name: c, resources: {requests: {cpu: lots}}}]}}}",
            "invalid quantity",
        ),
    ]:
        with pytest.raises(InputError, match=message):
            parse_actions(text, source="events.yaml")


def test_deleting_an_unknown_pod_is_bad_input() -> None:
    cluster = ClusterState([node("n1")])
    with pytest.raises(InputError, match="no pod default/ghost"):
        simulate(cluster, [Action(1.0, delete="default/ghost")])


def test_plot_writes_an_svg(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    cluster = ClusterState([node("n1", cpu="1")], [pod("low", cpu="1", priority=0, node_name="n1")])
    timeline = simulate(cluster, [Action(0.0, create=pod("high", cpu="1", priority=5))])
    target = tmp_path / "timeline.svg"
    plot_timeline(timeline, str(target))
    assert target.read_text().lstrip().startswith("<?xml")
    assert "<svg" in target.read_text()


def test_node_usage_and_stays_follow_bindings_and_graceful_deletions() -> None:
    cluster = ClusterState(
        [node("n1", cpu="2"), node("n2", cpu="1")],
        [pod("low", cpu="2", priority=0, node_name="n1"), pod("small", cpu="1", node_name="n2")],
    )
    actions = [
        Action(3.0, create=pod("high", cpu="2", priority=100)),
        Action(20.0, delete="default/high"),
    ]
    timeline = simulate(cluster, actions, grace_seconds=5)
    usage = [(t, used["n1"], used["n2"]) for t, used in timeline.node_usage()]
    # The victim holds its cpu through its grace period; then the preemptor is bound.
    assert usage[0] == (0.0, 2000, 1000)
    deleted = next(e.time for e in timeline.events if e.kind == "deleted")
    bound = next(e.time for e in timeline.events if e.kind == "bound")
    assert deleted == 8.0
    assert bound >= deleted
    assert (deleted, 0, 1000) in usage
    assert (bound, 2000, 1000) in usage
    assert usage[-1] == (20.0, 0, 1000)
    stays = {(p, n): (a, b) for p, n, a, b in timeline.pod_intervals()}
    assert stays == {
        ("default/low", "n1"): (0.0, 8.0),
        ("default/small", "n2"): (0.0, timeline.end),
        ("default/high", "n1"): (bound, 20.0),
    }
    assert timeline.to_json()["cpuByNode"][0] == {"time": 0.0, "cpu": {"n1": 2000, "n2": 1000}}
