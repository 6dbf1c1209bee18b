"""PodTopologySpread helpers: hard constraints of a pod, and kube-scheduler's two-entry minimum."""

from __future__ import annotations

from fmlab.k8s._build import pod, spread
from fmlab.k8s._spread import CriticalPaths, spread_constraint


def test_two_entries_track_the_minimum_while_counts_fall() -> None:
    paths = CriticalPaths()
    for domain, count in [("a", 4), ("b", 2), ("c", 3)]:
        paths.update(domain, count)
    assert paths.minimum == 2
    paths.update("a", 1)
    assert paths.minimum == 1


def test_two_entries_can_overestimate_after_counts_rise() -> None:
    # The structure kube-scheduler keeps (and this library copies on purpose) forgets the
    # third domain: once both remembered domains grow, the minimum it reports is too high.
    # Upstream relies on what-ifs touching one node, hence one domain per key, at a time;
    # this shows why the exact planner, which changes many nodes, uses the true minimum.
    paths = CriticalPaths()
    for domain, count in [("a", 1), ("b", 2), ("c", 3)]:
        paths.update(domain, count)
    paths.update("b", 10)
    paths.update("a", 10)
    assert paths.minimum == 10  # the true minimum is c = 3
    saved = paths.snapshot()
    paths.update("a", 0)
    paths.restore(saved)
    assert paths.minimum == 10


def test_match_label_keys_narrow_the_selector() -> None:
    import dataclasses

    constraint = dataclasses.replace(spread({"app": "web"}), match_label_keys=("version",))
    owner = pod("p", labels={"app": "web", "version": "2"})
    narrowed = spread_constraint(owner, constraint)
    assert narrowed.selector is not None
    assert narrowed.selector.matches({"app": "web", "version": "2"})
    assert not narrowed.selector.matches({"app": "web", "version": "1"})
