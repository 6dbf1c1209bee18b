"""One DefaultPreemption attempt told as stages, for a reader to step through.

:func:`walk_through` runs :func:`~fmlab.k8s._preemption.preempt` (without changing the
cluster) and retells it: eligibility, the filter verdict of every node, the potential
nodes, the what-if on each potential node in visiting order (with the steps of
SelectVictimsOnNode), the choice among the candidates and the criterion that decided
it, and the nomination. Each :class:`Stage` names the pods to highlight, so a notebook
can draw one picture per stage.

The per-node what-ifs are retold with
:func:`~fmlab.k8s._preemption.explain_victim_selection` on every potential node; that is
what the dry run visits as long as fewer than 100 nodes are potential (the candidate
quota is then all of them), which is the size of cluster worth stepping through. The
tests check that the candidates told here are the ones the attempt found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from fmlab.k8s._cluster import ClusterState
from fmlab.k8s._model import Pod
from fmlab.k8s._preemption import (
    MIN_CANDIDATE_NODES_ABSOLUTE,
    Candidate,
    PreemptionResult,
    earliest_start_of_top_victims,
    explain_victim_selection,
    narrow_candidates,
    preempt,
)
from fmlab.k8s._status import Code
from fmlab.k8s._text import LINE_WIDTH, fold

CRITERIA = (
    "fewest PodDisruptionBudget violations",
    "lowest priority of the most important victim",
    "smallest sum of victim priorities (each + 2^31)",
    "fewest victims",
    "latest start among the most important victims",
)
"""pickOneNodeForPreemption's criteria, in order (ties after all five: the first visited)."""


@dataclass(frozen=True)
class Stage:
    """One step of the attempt: a short title, what happened, and what to highlight."""

    title: str
    lines: tuple[str, ...]
    victims: tuple[str, ...] = ()
    set_aside: tuple[str, ...] = ()
    node: str | None = None

    def text(self, width: int = LINE_WIDTH) -> str:
        """The stage's lines, each folded to ``width`` characters."""
        return fold("\n".join(self.lines), width)


@dataclass(frozen=True)
class Walkthrough:
    result: PreemptionResult
    stages: tuple[Stage, ...]
    deciding_criterion: str | None
    """The first criterion that left a single candidate (None: one candidate, or none)."""


def walk_through(cluster: ClusterState, pod: Pod, *, offset: int, now: float) -> Walkthrough:
    """The attempt of the pending ``pod``, from ``offset``, retold; the cluster is unchanged."""
    result = preempt(cluster, pod, offset=offset, now=now)
    stages = [_eligibility(pod, result), _filters(result)]
    if result.fits or not result.eligible:
        return Walkthrough(result, tuple(stages), None)
    potential = [n for n, s in result.statuses.items() if s.code is Code.UNSCHEDULABLE]
    stages.append(_potential(result, potential))
    if len(potential) > MIN_CANDIDATE_NODES_ABSOLUTE:
        raise ValueError("walk_through retells clusters with at most 100 potential nodes")
    start = result.offset or 0
    for i in range(len(potential)):
        name = potential[(start + i) % len(potential)]
        stages.append(_what_if(cluster, pod, name, now, i + 1))
    deciding = None
    if result.candidates:
        deciding = _deciding_criterion(result.candidates, now)
        stages.append(_choice(result, deciding, now))
    stages.append(_nomination(result))
    return Walkthrough(result, tuple(stages), deciding)


def criteria_values(candidate: Candidate, now: float) -> tuple[int, int, int, int, float]:
    """The five numbers compared, each as stated (smaller is better, except the last)."""
    victims = candidate.victims
    return (
        candidate.pdb_violations,
        victims[0].effective_priority,
        sum(v.effective_priority + 2**31 for v in victims),
        len(victims),
        earliest_start_of_top_victims(victims, now),
    )


def _deciding_criterion(candidates: Sequence[Candidate], now: float) -> str | None:
    if len(candidates) == 1:
        return None
    # The same narrowing the scheduler's choice makes, so the story cannot drift from it.
    _chosen, index = narrow_candidates(candidates, now)
    return "a full tie: the first candidate visited" if index is None else CRITERIA[index]


def _eligibility(pod: Pod, result: PreemptionResult) -> Stage:
    policy = pod.preemption_policy or "PreemptLowerPriority"
    lines = [
        f"{pod.key} has priority {pod.effective_priority} and preemptionPolicy {policy}.",
    ]
    if pod.nominated_node_name:
        lines.append(f"It is already nominated to {pod.nominated_node_name}.")
    if result.fits:
        lines.append("It fits somewhere, so preemption is not needed.")
    elif result.eligible:
        lines.append("It may preempt.")
    else:
        lines.append(f"It may not preempt: {result.reason.rpartition('preemption: ')[2]}")
    return Stage("1. eligible?", tuple(lines))


def _filters(result: PreemptionResult) -> Stage:
    lines = []
    for name, status in result.statuses.items():
        if status.ok:
            lines.append(f"{name}: fits")
        else:
            lines.append(f"{name}: {status.code.value} ({'; '.join(status.reasons)})")
    if result.fits:
        lines.append(f"The pod fits on {', '.join(result.fits)}: no preemption.")
    return Stage("2. filters", tuple(lines))


def _potential(result: PreemptionResult, potential: list[str]) -> Stage:
    others = [n for n in result.statuses if n not in potential]
    lines = [f"Potential nodes (Unschedulable): {', '.join(potential) or 'none'}."]
    if others:
        lines.append(
            "Never tried (UnschedulableAndUnresolvable, eviction cannot help): "
            f"{', '.join(others)}."
        )
    if potential:
        lines.append(f"The dry run visits them starting at offset {result.offset}.")
    return Stage("3. potential", tuple(lines))


def _what_if(cluster: ClusterState, pod: Pod, name: str, now: float, number: int) -> Stage:
    selection = explain_victim_selection(cluster, pod, name, now)
    lines = [f"What if on {name}:"]
    for step in selection.steps:
        note = " (evicting it would break a PodDisruptionBudget)" if step.violates_pdb else ""
        lines.append(f"  {step.sentence}{note}")
    victims = tuple(v.key for v in selection.victims)
    if selection.status.ok and victims:
        lines.append(
            f"Candidate {name}: victims {', '.join(victims)}, "
            f"{selection.pdb_violations} PDB violation(s)."
        )
    else:
        lines.append(f"No candidate: {'; '.join(selection.status.reasons)}.")
    last_aside = selection.steps[-1].set_aside if selection.steps else ()
    return Stage(f"4.{number} {name}", tuple(lines), victims, tuple(last_aside), node=name)


def _choice(result: PreemptionResult, deciding: str | None, now: float) -> Stage:
    lines = ["node: PDB violations, top victim priority, sum, victims, earliest top start"]
    for c in result.candidates:
        violations, top, total, count, earliest = criteria_values(c, now)
        lines.append(
            f"{c.node}: {violations}, {top}, {total - count * 2**31}+{count}*2^31, "
            f"{count}, {_clock(earliest)}"
        )
    if deciding is None:
        lines.append(f"Only one candidate: {result.nominated_node}.")
    else:
        lines.append(f"Chosen: {result.nominated_node}, decided by {deciding}.")
    return Stage(
        "5. choose",
        tuple(lines),
        tuple(v.key for v in result.victims),
        node=result.nominated_node,
    )


def _clock(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _nomination(result: PreemptionResult) -> Stage:
    if result.nominated_node is None:
        return Stage("6. outcome", ("No candidate: nothing is evicted.", result.reason))
    lines = [
        f"{result.pod} is nominated to {result.nominated_node}.",
        f"Deleted gracefully: {', '.join(v.key for v in result.victims)}.",
    ]
    if result.cleared_nominations:
        lines.append(
            f"Lower-priority pods lose their nomination there: "
            f"{', '.join(result.cleared_nominations)}."
        )
    lines.append("The pod binds in a later cycle, once the victims are gone.")
    return Stage(
        "6. nominate",
        tuple(lines),
        tuple(v.key for v in result.victims),
        node=result.nominated_node,
    )
