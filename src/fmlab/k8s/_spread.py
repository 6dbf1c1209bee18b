"""PodTopologySpread's pieces: a pod's hard constraints, and the minimum per topology key.

>>> paths = CriticalPaths()
>>> for domain, count in [("a", 3), ("b", 1), ("c", 2)]:
...     paths.update(domain, count)
>>> paths.minimum
1
>>> paths.update("b", 4)   # "b" grows: kube-scheduler's two entries now hold c=2 and b=4
>>> paths.minimum
2
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from fmlab.k8s._model import Pod, TopologySpreadConstraint
from fmlab.k8s._selectors import LabelSelector, Requirement


@dataclass(frozen=True)
class SpreadConstraint:
    """A pod's topology spread constraint as the filter uses it (``matchLabelKeys`` applied)."""

    key: str
    max_skew: int
    min_domains: int
    selector: LabelSelector | None
    honor_affinity: bool
    honor_taints: bool


def spread_constraint(pod: Pod, c: TopologySpreadConstraint) -> SpreadConstraint:
    selector = c.label_selector
    if c.match_label_keys and selector is not None:
        # matchLabelKeys narrows the selector to this pod's own values of those keys.
        extra = tuple(
            Requirement(k, "In", (pod.labels[k],)) for k in c.match_label_keys if k in pod.labels
        )
        selector = LabelSelector(selector.match_labels, selector.match_expressions + extra)
    return SpreadConstraint(
        c.topology_key,
        c.max_skew,
        c.min_domains,
        selector,
        c.node_affinity_policy == "Honor",
        c.node_taints_policy == "Honor",
    )


class CriticalPaths:
    """The two smallest domain counts of a topology key, updated as upstream does.

    kube-scheduler keeps two entries rather than all domains; after updates the first is
    the minimum that the skew check reads. The same update rule is used here so that
    preemption's what-ifs give the answers kube-scheduler gives.
    """

    __slots__ = ("paths",)

    def __init__(self) -> None:
        self.paths: list[list[object]] = [["", math.inf], ["", math.inf]]

    def update(self, value: str, count: int) -> None:
        p = self.paths
        index = 0 if value == p[0][0] else (1 if value == p[1][0] else -1)
        if index >= 0:
            p[index][1] = count
            if p[0][1] > p[1][1]:  # type: ignore[operator]
                p[0], p[1] = p[1], p[0]
        elif count < p[0][1]:  # type: ignore[operator]
            p[1] = p[0]
            p[0] = [value, count]
        elif count < p[1][1]:  # type: ignore[operator]
            p[1] = [value, count]

    @property
    def minimum(self) -> float:
        return self.paths[0][1]  # type: ignore[return-value]

    def snapshot(self) -> tuple[tuple[object, object], tuple[object, object]]:
        return (tuple(self.paths[0]), tuple(self.paths[1]))  # type: ignore[return-value]

    def restore(self, saved: tuple[tuple[object, object], tuple[object, object]]) -> None:
        self.paths = [list(saved[0]), list(saved[1])]
