"""``fmlab k8s preempt`` on manifests written the way kubectl writes them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fmlab.cli.main import main

DATA = Path(__file__).parents[1] / "k8s" / "data"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_default_planner_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(
        capsys,
        "k8s",
        "preempt",
        str(DATA / "basic.yaml"),
        "--pod",
        "urgent",
        "--seed",
        "1",
        "--json",
    )
    assert code == 0
    payload = json.loads(out)
    assert {k: payload[k] for k in ("nominatedNode", "victims", "pdbViolations")} == {
        "nominatedNode": "node-2",
        "victims": ["default/mid-2"],
        "pdbViolations": 0,
    }
    assert isinstance(payload["reason"], str)
    assert payload["planner"] == "default"
    assert "skipped kind 'ConfigMap'" in err  # unknown kinds are skipped with a warning


def test_default_planner_fails_pitfall_a_and_exact_solves_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = str(DATA / "cluster-pitfall-a.yaml")
    code, out, _ = _run(capsys, "k8s", "preempt", path, "--pod", "default/web", "--json")
    assert code == 1
    assert json.loads(out)["nominatedNode"] is None
    code, out, _ = _run(
        capsys, "k8s", "preempt", path, "--pod", "web", "--planner", "exact", "--json"
    )
    payload = json.loads(out)
    assert code == 0
    assert payload["nominatedNode"] == "node-1"
    assert payload["victims"] == ["default/batch-0"]
    assert payload["status"] == "optimal"


def test_pitfall_b_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(DATA / "cluster-pitfall-b.json")
    code, out, _ = _run(capsys, "k8s", "preempt", path, "--pod", "web", "--planner", "exact")
    assert code == 0
    assert "nominated node: node-1" in out
    assert "default/logger-0" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--pod", "nope"], "no such pod"),
        (["--pod", "mid-2"], "already bound to node node-2"),
    ],
)
def test_bad_pod_names_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = _run(capsys, "k8s", "preempt", str(DATA / "basic.yaml"), *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_bad_manifest_exits_2_with_one_located_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web-1}\nspec:\n"
        "  containers:\n  - name: c\n    resources: {requests: {cpu: 5 cores}}\n"
    )
    code, _, err = _run(capsys, "k8s", "preempt", str(bad), "--pod", "web-1")
    assert code == 2
    assert err.strip().splitlines() == [
        f"fmlab: error: {bad}: Pod default/web-1: spec.containers[0].resources.requests.cpu: "
        'invalid quantity "5 cores"'
    ]


def test_missing_priority_class_is_bad_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
        "spec: {priorityClassName: gold, containers: [{name: c}]}\n"
    )
    code, _, err = _run(capsys, "k8s", "preempt", str(path), "--pod", "p")
    assert code == 2
    assert "no PriorityClass with name gold was found" in err


def test_offset_makes_the_choice_reproducible(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["k8s", "preempt", str(DATA / "basic.yaml"), "--pod", "urgent", "--json"]
    first = json.loads(_run(capsys, *args, "--offset", "1")[1])
    second = json.loads(_run(capsys, *args, "--offset", "1")[1])
    assert first == second
    assert first["offset"] == 1


def test_simulate_json_timeline(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plot = tmp_path / "t.svg"
    code, out, _ = _run(
        capsys, "k8s", "simulate", str(DATA / "basic.yaml"),
        "--events", str(DATA / "events.yaml"), "--plot", str(plot), "--json",
    )  # fmt: skip
    assert code == 0
    payload = json.loads(out)
    kinds = [(e["kind"], e["pod"]) for e in payload["events"]]
    assert kinds[:3] == [
        ("preempted", "default/mid-2"),
        ("deleted", "default/mid-2"),
        ("nominated", "default/urgent"),
    ]
    assert payload["placement"]["default/late"] == "node-2"
    assert payload["pending"] == []
    assert plot.exists()


def test_simulate_bad_events_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    events = tmp_path / "e.yaml"
    events.write_text("- {at: 1, delete: default/nobody}\n")
    code, _, err = _run(
        capsys, "k8s", "simulate", str(DATA / "basic.yaml"), "--events", str(events)
    )
    assert code == 2
    assert "no pod default/nobody to delete" in err


def _zoned_manifest(nodes: int) -> dict[str, object]:
    items: list[dict[str, object]] = []
    for i in range(nodes):
        name = f"n{i:03d}"
        items.append(
            {
                "apiVersion": "v1",
                "kind": "Node",
                "metadata": {"name": name, "labels": {"zone": f"z{i % 3}"}},
                "status": {"allocatable": {"cpu": "4", "pods": "110"}},
            }
        )
        for j in range(30):
            app = "logger" if (i * 7 + j) % 97 == 0 else f"app-{j % 5}"
            items.append(
                {
                    "apiVersion": "v1",
                    "kind": "Pod",
                    "metadata": {"name": f"p{i:03d}-{j:02d}", "labels": {"app": app}},
                    "spec": {
                        "nodeName": name,
                        "priority": (i * 3 + j) % 5,
                        "containers": [{"name": "c", "resources": {"requests": {"cpu": "130m"}}}],
                    },
                    "status": {"startTime": f"2024-05-01T10:{j:02d}:00Z"},
                }
            )
    items.append(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "urgent"},
            "spec": {
                "priority": 10,
                "affinity": {
                    "podAntiAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": [
                            {
                                "labelSelector": {"matchLabels": {"app": "logger"}},
                                "topologyKey": "zone",
                            }
                        ]
                    }
                },
                "containers": [{"name": "c", "resources": {"requests": {"cpu": "1"}}}],
            },
        }
    )
    return {"apiVersion": "v1", "kind": "List", "items": items}


def test_exact_planner_out_of_budget_is_unknown_exit_3(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "cluster.json"
    path.write_text(json.dumps(_zoned_manifest(40)))
    args = ["k8s", "preempt", str(path), "--pod", "urgent", "--planner", "exact", "--json"]
    code, out, _ = _run(capsys, *args, "--timeout", "0.001")
    payload = json.loads(out)
    assert code == 3
    assert payload["status"] == "unknown"
    assert payload["optimal"] is False
    assert payload["nominatedNode"] is None
    code, out, _ = _run(capsys, *args, "--timeout", "60")
    payload = json.loads(out)
    assert code == 0
    assert payload["status"] == "optimal"
    assert payload["check"]["verdict"] == "proved"


def test_exact_planner_says_when_its_plan_is_not_proved_optimal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # With 20 nodes DefaultPreemption has a plan, so a spent budget still nominates.
    path = tmp_path / "cluster.json"
    path.write_text(json.dumps(_zoned_manifest(20)))
    args = ["k8s", "preempt", str(path), "--pod", "urgent", "--planner", "exact"]
    code, out, _ = _run(capsys, *args, "--timeout", "0.001")
    assert code == 0
    assert "status: best-within-budget" in out
    assert "not proved optimal within the budget" in out
    assert "the 1 ms budget ran out" in " ".join(out.split())
    assert max(len(line) for line in out.splitlines()) <= 76
    code, out, _ = _run(capsys, *args, "--timeout", "0.001", "--json")
    payload = json.loads(out)
    assert payload["status"] == "best-within-budget"
    assert payload["optimal"] is False
    assert payload["check"]["verdict"] == "unknown"
    assert payload["check"]["reason"] == "timeout"
    assert "\n" not in payload["check"]["detail"]
    code, out, _ = _run(capsys, *args, "--timeout", "60")
    assert code == 0
    assert "status: optimal" in out
    assert "not proved" not in out


@pytest.mark.parametrize(
    "manifest", ["basic.yaml", "cluster-pitfall-a.yaml", "cluster-pitfall-b.json"]
)
def test_default_planner_prints_what_post_filter_decides(
    capsys: pytest.CaptureFixture[str], manifest: str
) -> None:
    """For every pending pod and several offsets, the CLI's JSON is the library's answer."""
    from fmlab.k8s._cluster import ClusterState
    from fmlab.k8s._manifests import load_manifests
    from fmlab.k8s._preemption import preempt

    path = DATA / manifest
    cluster = ClusterState.from_manifests(load_manifests([path]))
    pending = sorted(cluster.pending)
    assert pending
    for key in pending:
        for offset in range(3):
            code, out, _ = _run(
                capsys, "k8s", "preempt", str(path), "--pod", key, "--offset", str(offset), "--json"
            )
            payload = json.loads(out)
            fresh = ClusterState.from_manifests(load_manifests([path]))
            expected = preempt(fresh, fresh.pending[key], offset=offset).to_json()
            assert {k: payload[k] for k in expected} == expected
            assert code == (0 if expected["nominatedNode"] else 1)
