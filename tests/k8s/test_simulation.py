"""Timed events through the scheduler, and their errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.text import Text

from fmlab.core.errors import InputError
from fmlab.k8s._build import node, pod
from fmlab.k8s._cluster import ClusterState
from fmlab.k8s._model import PriorityClass
from fmlab.k8s._simulation import (
    Action,
    Timeline,
    contrast_ratio,
    label_colour,
    parse_actions,
    plot_timeline,
    simulate,
    timeline_figure,
)


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


# The book's text column is 688 px wide; a drawing wider than that is shrunk to fit it.
_COLUMN_PX = 688
_PX_PER_POINT = 96 / 72


def test_label_colour_takes_the_more_contrasting_of_black_and_white() -> None:
    # Reference values from WCAG 2.x's definition: black on white is 21:1, and #767676 is
    # the lightest grey that reaches 4.5:1 on white (4.54:1), #777777 just misses (4.48:1).
    assert round(contrast_ratio("#000000", "#FFFFFF"), 2) == 21.0
    assert round(contrast_ratio("#767676", "#FFFFFF"), 2) == 4.54
    assert round(contrast_ratio("#777777", "#FFFFFF"), 2) == 4.48
    assert label_colour("#FFFFFF") == "#000000"
    assert label_colour("#000000") == "#FFFFFF"
    assert label_colour("#1F77B4") == "#FFFFFF"  # matplotlib's first colour: dark blue
    assert label_colour("#FF7F0E") == "#000000"  # its second: orange
    assert label_colour("#222222") == "#FFFFFF"


@given(st.from_regex(r"#[0-9A-F]{6}", fullmatch=True))
def test_the_label_colour_always_reaches_wcag_aa(fill: str) -> None:
    chosen = label_colour(fill)
    other = "#FFFFFF" if chosen == "#000000" else "#000000"
    assert contrast_ratio(chosen, fill) >= 4.5
    assert contrast_ratio(chosen, fill) >= contrast_ratio(other, fill)


def _two_urgent_pods() -> Timeline:
    cluster = ClusterState(
        [node("n1", cpu="2"), node("n2", cpu="2")],
        [
            pod("low-1", cpu="2", priority=0, node_name="n1"),
            pod("low-2", cpu="1", priority=0, node_name="n2"),
            pod("low-3", cpu="1", priority=0, node_name="n2"),
        ],
    )
    actions = [
        Action(2.0, create=pod("urgent-a", cpu="2", priority=100)),
        Action(4.0, create=pod("urgent-b", cpu="1", priority=100)),
    ]
    return simulate(cluster, actions, grace_seconds=10.0)


def test_timeline_text_is_legible_and_contrasts_where_it_stands() -> None:
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    figure = timeline_figure(_two_urgent_pods())
    try:
        width_px = figure.get_figwidth() * 96
        shrink = min(1.0, _COLUMN_PX / width_px)
        texts = [t for t in figure.findobj(Text) if t.get_text().strip() and t.get_visible()]
        assert len(texts) > 10  # axis labels, ticks, legends and the five bar labels
        smallest = min(t.get_fontsize() * _PX_PER_POINT * shrink for t in texts)
        assert smallest >= 9, f"smallest text {smallest:.1f} px as displayed"
        renderer = figure.canvas.get_renderer()
        gantt = figure.axes[2]
        labels = [t for t in gantt.texts if t.get_text().strip()]
        bars = list(gantt.patches)
        assert len(labels) == len(bars) == 5
        inside = 0
        for label, bar in zip(labels, bars, strict=True):
            text_box = label.get_window_extent(renderer)
            bar_box = bar.get_window_extent(renderer)
            within = text_box.x0 >= bar_box.x0 - 1 and text_box.x1 <= bar_box.x1 + 1
            behind = to_hex(bar.get_facecolor()) if within else "#ffffff"
            inside += within
            ratio = contrast_ratio(to_hex(label.get_color()).upper(), behind.upper())
            assert ratio >= 4.5, (label.get_text(), behind, ratio)
        assert 0 < inside < 5  # both cases occur: labels in their bar and beside it
    finally:
        plt.close(figure)
