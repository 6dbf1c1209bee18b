"""A timeline: pods arriving and leaving while the scheduler works, in simulated time.

An events file is a YAML or JSON list; each entry has ``at`` (seconds) and either
``create`` (a Pod manifest) or ``delete`` (``namespace/name``)::

    - at: 5
      create: {apiVersion: v1, kind: Pod, metadata: {name: urgent}, spec: {priority: 100}}
    - at: 60
      delete: default/batch-3

:func:`simulate` replays them against a :class:`~fmlab.k8s._scheduler.Scheduler` and
returns every event and the queue lengths over time; :func:`plot_timeline` draws them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fmlab.core.errors import InputError
from fmlab.k8s._admission import AdmissionError, PriorityAdmission
from fmlab.k8s._cluster import ClusterState
from fmlab.k8s._config import SchedulerConfig
from fmlab.k8s._manifests import parse_pod, read_text
from fmlab.k8s._model import Pod, PriorityClass
from fmlab.k8s._scheduler import Event, Scheduler
from fmlab.k8s._yamlio import documents


@dataclass(frozen=True)
class Action:
    """At time ``at``, create a pod or delete one (``namespace/name``)."""

    at: float
    create: Pod | None = None
    delete: str | None = None


@dataclass(frozen=True)
class Timeline:
    """What :func:`simulate` recorded: events, queue lengths, and where pods ended up."""

    events: tuple[Event, ...]
    samples: tuple[tuple[float, int, int, int], ...]
    placement: Mapping[str, str]
    pending: tuple[str, ...]
    end: float
    initial: Mapping[str, str] = field(default_factory=dict)
    """Where each bound pod was when the run began (``namespace/name`` to node)."""
    cpu_requests: Mapping[str, int] = field(default_factory=dict)
    """Every pod's cpu request in millicores, those created during the run included."""
    cpu_allocatable: Mapping[str, int] = field(default_factory=dict)
    """Each node's allocatable cpu in millicores."""

    def node_usage(self) -> tuple[tuple[float, Mapping[str, int]], ...]:
        """Requested cpu per node over time: the start, then after each binding or deletion.

        A victim keeps its cpu until it is deleted, after its grace period, as on a real node.
        """
        used = dict.fromkeys(self.cpu_allocatable, 0)
        where = dict(self.initial)
        for pod, node in where.items():
            used[node] += self.cpu_requests.get(pod, 0)
        series: list[tuple[float, Mapping[str, int]]] = [(0.0, dict(used))]
        for event in self.events:
            if event.kind == "bound" and event.node is not None:
                where[event.pod] = event.node
                used[event.node] += self.cpu_requests.get(event.pod, 0)
            elif event.kind == "deleted" and event.pod in where:
                used[where.pop(event.pod)] -= self.cpu_requests.get(event.pod, 0)
            else:
                continue
            series.append((event.time, dict(used)))
        return tuple(series)

    def pod_intervals(self) -> tuple[tuple[str, str, float, float], ...]:
        """(pod, node, from, to) for each stay on a node; a pod still running ends at ``end``."""
        starts = {pod: (0.0, node) for pod, node in self.initial.items()}
        stays: list[tuple[str, str, float, float]] = []
        for event in self.events:
            if event.kind == "bound" and event.node is not None:
                starts[event.pod] = (event.time, event.node)
            elif event.kind == "deleted" and event.pod in starts:
                begun, node = starts.pop(event.pod)
                stays.append((event.pod, node, begun, event.time))
        stays.extend((pod, node, begun, self.end) for pod, (begun, node) in starts.items())
        return tuple(sorted(stays, key=lambda stay: (stay[2], stay[0])))

    def to_json(self) -> dict[str, Any]:
        return {
            "events": [e.to_json() for e in self.events],
            "queue": [
                {"time": t, "active": a, "backoff": b, "unschedulable": u}
                for t, a, b, u in self.samples
            ],
            "placement": dict(self.placement),
            "pending": list(self.pending),
            "end": self.end,
            "cpuByNode": [{"time": t, "cpu": dict(used)} for t, used in self.node_usage()],
        }


def load_actions(path: str) -> list[Action]:
    """Read an events file from ``path``."""
    return parse_actions(read_text(path), source=path)


def parse_actions(text: str, *, source: str | None = None) -> list[Action]:
    """Read an events file (see the module docstring)."""
    docs = documents(text, source=source)
    entries: list[Any] = docs[0] if len(docs) == 1 and isinstance(docs[0], list) else docs
    actions = []
    for index, entry in enumerate(entries):
        where = f"[{index}]"
        if not isinstance(entry, Mapping):
            raise InputError("expected a mapping with 'at'", source=source, pointer=where)
        at = entry.get("at")
        if isinstance(at, bool) or not isinstance(at, int | float) or at < 0:
            raise InputError("at: expected a non-negative number", source=source, pointer=where)
        if ("create" in entry) == ("delete" in entry):
            raise InputError(
                "needs exactly one of 'create' or 'delete'", source=source, pointer=where
            )
        if "create" in entry:
            manifest = entry["create"]
            if not isinstance(manifest, Mapping) or manifest.get("kind") != "Pod":
                raise InputError("create: expected a Pod manifest", source=source, pointer=where)
            try:
                pod = parse_pod(manifest)
            except InputError as error:
                raise InputError(
                    error.message, source=source, pointer=f"{where}.create: {error.pointer}"
                ) from None
            if pod.node_name:
                raise InputError(
                    "create: the pod must be pending (no spec.nodeName)",
                    source=source,
                    pointer=where,
                )
            actions.append(Action(float(at), create=pod))
        else:
            key = entry["delete"]
            if not isinstance(key, str) or "/" not in key:
                raise InputError('delete: expected "namespace/name"', source=source, pointer=where)
            actions.append(Action(float(at), delete=key))
    return sorted(actions, key=lambda a: a.at)


def simulate(
    cluster: ClusterState,
    actions: Sequence[Action] = (),
    *,
    classes: Sequence[PriorityClass] = (),
    grace_seconds: float = 0.0,
    seed: int = 0,
    config: SchedulerConfig | None = None,
) -> Timeline:
    """Run the scheduler over ``cluster`` while ``actions`` happen; changes ``cluster``.

    ``config`` gives the profiles (by ``schedulerName``) and their plugin arguments.
    """
    admission = PriorityAdmission(c for c in classes if not c.name.startswith("system-"))
    initial = {pod.key: info.name for info, pod in cluster.bound_pods()}
    cpu_requests = {pod.key: pod.requests.get("cpu", 0) for pod in cluster.all_pods()}
    scheduler = Scheduler(
        cluster, seed=seed, grace_seconds=grace_seconds, record=True, config=config
    )
    scheduler._sample()
    for action in actions:
        scheduler.run(until=action.at)
        scheduler.now = max(scheduler.now, action.at)
        if action.create is not None:
            pod = action.create
            if pod.priority is None:
                try:
                    pod = admission.admit(pod)
                except AdmissionError as error:
                    raise InputError(str(error), pointer=f"Pod {pod.key}") from None
            if pod.key in cluster.pending or any(pod.key in i.pods for i in cluster.nodes.values()):
                raise InputError(f"Pod {pod.key} already exists", pointer=f"at {action.at}")
            cpu_requests[pod.key] = pod.requests.get("cpu", 0)
            scheduler.submit(pod)
        elif action.delete is not None:
            try:
                scheduler.delete_pod(action.delete)
            except KeyError:
                raise InputError(
                    f"no pod {action.delete} to delete", pointer=f"at {action.at}"
                ) from None
    scheduler.run()
    placement = {pod.key: info.name for info, pod in cluster.bound_pods()}
    return Timeline(
        tuple(scheduler.events),
        tuple(scheduler.samples),
        placement,
        tuple(sorted(cluster.pending)),
        scheduler.now,
        initial,
        cpu_requests,
        {info.name: info.node.allocatable.get("cpu", 0) for info in cluster.node_list},
    )


# The figure is drawn at the width of the book's text column (688 px = 7.17 in at 96 px per
# inch), so it is shown at about its own size and 10-point text stays near 13 px on screen.
_FIGURE_INCHES = (7.0, 8.5)
_FONT_POINTS = 10
_DARK_TEXT = "#000000"
_LIGHT_TEXT = "#FFFFFF"


def _relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of ``#RRGGBB`` (0 for black, 1 for white)."""
    digits = colour.removeprefix("#")
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio of two ``#RRGGBB`` colours, from 1 to 21."""
    lighter, darker = sorted((_relative_luminance(first), _relative_luminance(second)))[::-1]
    return (lighter + 0.05) / (darker + 0.05)


def label_colour(fill: str) -> str:
    """Black or white, whichever contrasts more with a bar of colour ``fill`` (``#RRGGBB``).

    One of the two always reaches WCAG's 4.5:1: the worst fill, where they are equal, still
    gives about 4.58:1.
    """
    dark = contrast_ratio(_DARK_TEXT, fill)
    light = contrast_ratio(_LIGHT_TEXT, fill)
    return _DARK_TEXT if dark >= light else _LIGHT_TEXT


def plot_timeline(timeline: Timeline, path: str) -> None:
    """Queue lengths, cpu requested per node, and each pod's stay on its node, as one SVG."""
    import matplotlib.pyplot as plt

    figure = timeline_figure(timeline)
    figure.savefig(path, format="svg")
    plt.close(figure)


def timeline_figure(timeline: Timeline) -> Any:
    """The matplotlib figure :func:`plot_timeline` writes (the caller closes it)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    with plt.rc_context({"font.size": _FONT_POINTS}):
        figure, (queue_axis, usage_axis, gantt_axis) = plt.subplots(
            3, 1, figsize=_FIGURE_INCHES, sharex=True, height_ratios=(2, 2, 3)
        )
        end = max([timeline.end, *(s[0] for s in timeline.samples)]) + 1.0
        times = [s[0] for s in timeline.samples] or [0.0]
        for column, label in ((1, "activeQ"), (2, "backoffQ"), (3, "unschedulable")):
            values = [s[column] for s in timeline.samples] or [0]
            queue_axis.step([*times, end], [*values, values[-1]], where="post", label=label)
        queue_axis.set_ylabel("pods waiting")
        queue_axis.legend(loc="upper right")
        series = timeline.node_usage()
        node_colours: dict[str, str] = {}
        for node, allocatable in timeline.cpu_allocatable.items():
            percent = [100 * used[node] / allocatable if allocatable else 0 for _, used in series]
            (line,) = usage_axis.step(
                [t for t, _ in series] + [end], [*percent, percent[-1]], where="post", label=node
            )
            node_colours[node] = to_hex(line.get_color())
        usage_axis.set_ylabel("cpu requested (%)")
        usage_axis.set_ylim(0, 110)
        if len(timeline.cpu_allocatable) <= 12:  # a legend for a few nodes only
            usage_axis.legend(loc="lower right", ncols=4)
        labelled_bars = _draw_stays(gantt_axis, timeline, end, node_colours)
        gantt_axis.set_xlabel("simulated time (s)")
        figure.tight_layout()
        _place_labels(figure, gantt_axis, labelled_bars)
    return figure


def _draw_stays(
    axis: Any, timeline: Timeline, end: float, colours: Mapping[str, str]
) -> list[tuple[Any, Any]]:
    """One bar per stay, in its node's colour (the usage panel's), labelled with the pod."""
    labelled: list[tuple[Any, Any]] = []
    intervals = timeline.pod_intervals()
    for row, (pod, node, begun, finished) in enumerate(intervals):
        # A pod still running at the end is drawn to the plot's right edge.
        running = finished == timeline.end and timeline.placement.get(pod) == node
        width = (end if running else finished) - begun
        fill = colours.get(node, "#1F77B4")
        (bar,) = axis.barh(row, width, left=begun, color=fill)
        label = axis.text(begun, row, f" {pod} @ {node}", va="center", color=label_colour(fill))
        labelled.append((label, bar))
    axis.set_yticks([])
    axis.set_ylabel("pods on nodes")
    axis.set_ylim(len(intervals) - 0.5, -0.5)  # first stay on top, read like a list
    return labelled


def _place_labels(figure: Any, axis: Any, labelled_bars: list[tuple[Any, Any]]) -> None:
    """Move each label that does not fit in its bar beside it, dark on the white background.

    Whether it fits is known only once the text is laid out, so this runs after layout.
    """
    renderer = figure.canvas.get_renderer()
    axes_box = axis.get_window_extent(renderer)
    for label, bar in labelled_bars:
        text_box = label.get_window_extent(renderer)
        bar_box = bar.get_window_extent(renderer)
        if text_box.width <= bar_box.width:
            continue
        to_data = axis.transData.inverted()
        left, _ = to_data.transform((bar_box.x0, 0))
        right, _ = to_data.transform((bar_box.x1, 0))
        label.set_color(_DARK_TEXT)
        fits_left = bar_box.x0 - text_box.width >= axes_box.x0
        if bar_box.x1 + text_box.width <= axes_box.x1 or not fits_left:
            label.set_x(right)
            label.set_horizontalalignment("left")
        else:
            label.set_x(left)
            label.set_horizontalalignment("right")
            label.set_text(f"{label.get_text().strip()} ")
