"""DefaultPreemption, the PostFilter plugin of kube-scheduler, step by step.

:func:`preempt` runs one scheduling attempt of a pending pod: the filters on every node;
if no node fits, the preemption evaluator:

1. eligibility (``preemptionPolicy: Never``; a nominated node whose lower-priority pods
   are still terminating because of an earlier preemption);
2. potential nodes: only those whose filter status is ``Unschedulable``;
3. the dry run: ``clamp(n * 10%, 100, n)`` candidates, visited from an offset, going on
   until at least one candidate violates no PodDisruptionBudget; on each node
   :func:`select_victims_on_node` (remove every strictly lower-priority pod, check the
   fit, reprieve PDB-violating pods first and then the others, most important first);
4. the choice of a node (:func:`pick_one_node`): fewest PDB violations, lowest
   highest-victim priority, smallest sum of (priority + 2^31), fewest victims, latest
   earliest start time among the highest-priority victims, then the first candidate;
5. the nomination, and the lower-priority pods nominated to that node losing theirs.

Differences from the Go code, all about order where Go's is random or parallel: nodes
are in input order; the dry run visits nodes one at a time (so the candidate lists are
those of a sequential run); a full tie in step 4 picks the first candidate in visit
order; pods of equal importance are ordered by namespace/name.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from fmlab.k8s._cluster import ClusterState, NodeInfo
from fmlab.k8s._config import DEFAULT_CONFIG, SchedulerConfig
from fmlab.k8s._model import NEVER, Pod, PodDisruptionBudget
from fmlab.k8s._report import gates_message, other_scheduler_message
from fmlab.k8s._selectors import selector_matches
from fmlab.k8s._status import SUCCESS, Code, Status, unresolvable
from fmlab.k8s._summary import NO_NODES, fit_error, reason_histogram
from fmlab.k8s._text import LINE_WIDTH, fold
from fmlab.k8s._victim_steps import StepAction, VictimStep
from fmlab.k8s.filters import CycleState, importance_key

MIN_CANDIDATE_NODES_PERCENTAGE = 10
MIN_CANDIDATE_NODES_ABSOLUTE = 100
_PRIORITY_OFFSET = 2**31  # MaxInt32 + 1, so that negative priorities cannot win by count

NO_VICTIMS = "No preemption victims found for incoming pod"
NOT_HELPFUL = "Preemption is not helpful for scheduling"


@dataclass(frozen=True)
class Candidate:
    node: str
    victims: tuple[Pod, ...]
    pdb_violations: int
    # The key :func:`_pick_by_key` computed, with the "now" it used (None when it used
    # none), for candidates that later cycles reuse.
    pick_memo: list[object] = field(default_factory=list, compare=False, repr=False)


@dataclass(frozen=True)
class PreemptionResult:
    """The outcome of one attempt. ``nominated_node`` is None when nothing was nominated."""

    pod: str
    fits: tuple[str, ...]
    nominated_node: str | None
    victims: tuple[Pod, ...]
    pdb_violations: int
    reason: str
    eligible: bool = True
    offset: int | None = None
    candidates: tuple[Candidate, ...] = ()
    statuses: dict[str, Status] = field(default_factory=dict)
    cleared_nominations: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "nominatedNode": self.nominated_node,
            "victims": [v.key for v in self.victims],
            "pdbViolations": self.pdb_violations,
            "reason": self.reason,
        }

    def explain(self, width: int = LINE_WIDTH) -> str:
        """The nomination, the victims and kube-scheduler's reason, folded to ``width``.

        ``reason`` itself stays one line, word for word as kube-scheduler writes it.
        """
        lines = [f"pod {self.pod}"]
        if self.fits:
            lines.append(f"fits without preemption on: {', '.join(self.fits)}")
        elif self.nominated_node is None:
            lines.append("no node nominated")
        else:
            lines.append(f"nominated node: {self.nominated_node}")
            lines.append(f"victims: {', '.join(v.key for v in self.victims) or 'none'}")
            lines.append(f"PDB violations: {self.pdb_violations}")
        lines.append(f"reason: {self.reason}")
        return fold("\n".join(lines), width)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.explain())


# --- SelectVictimsOnNode ---------------------------------------------------------------


def split_by_pdb(
    pods: Sequence[Pod], pdbs: Sequence[PodDisruptionBudget]
) -> tuple[list[Pod], list[Pod]]:
    """(violating, non-violating), keeping order; earlier pods use up the budget first."""
    if not pdbs:
        return [], list(pods)
    allowed = [pdb.disruptions_allowed for pdb in pdbs]
    violating: list[Pod] = []
    non_violating: list[Pod] = []
    for pod in pods:
        violated = False
        if pod.labels:
            for index, pdb in enumerate(pdbs):
                if pdb.namespace != pod.namespace:
                    continue
                if pdb.selector is None or pdb.selector.empty:
                    continue  # a PDB with an empty selector protects nothing here
                if not selector_matches(pdb.selector, pod.labels):
                    continue
                if pod.name in pdb.disrupted_pods:
                    continue
                allowed[index] -= 1
                if allowed[index] < 0:
                    violated = True
        (violating if violated else non_violating).append(pod)
    return violating, non_violating


# [start:select-victims]
def select_victims_on_node(
    state: CycleState,
    info: NodeInfo,
    now: float,
    *,
    shortcut: bool = True,
    steps: list[VictimStep] | None = None,
) -> tuple[tuple[Pod, ...], int, Status]:
    """The victims kube-scheduler would pick on one node, and its PDB violations.

    The node and the cycle state are changed during the what-if and restored after.
    When no count of this cycle depends on the potential victims (no affinity, spread
    or anti-affinity involves them, and nothing is nominated here), only resource sums
    change, and the same steps are done by arithmetic (``shortcut``; the tests check that
    both ways agree). A list passed as ``steps`` receives a :class:`VictimStep` per step
    taken (the step-by-step way is then used, so that every step can be told).
    """
    note = steps.append if steps is not None else None
    shortcut = shortcut and note is None
    priority = state.priority
    potential = [p for p in info.pods.values() if p.effective_priority < priority]
    if not potential:
        return (), 0, unresolvable("DefaultPreemption", NO_VICTIMS)
    if shortcut and state.independent_of(potential):
        extra = state.nominated_here(info)
        if not any(state.is_relevant(other) for other in extra):
            return _select_by_arithmetic(state, info, potential, extra, now)
    token = state.checkpoint()
    try:
        for pod in potential:
            state.remove_pod(pod, info)
        status = state.filter_with_nominated(info, shortcut=shortcut)
        aside = {p.key for p in potential}
        if note:
            keys = tuple(p.key for p in potential)
            note(VictimStep(StepAction.REMOVE_LOWER, keys, status.ok, status.reasons, keys, ()))
        if not status.ok:
            return (), 0, status
        potential.sort(key=lambda p: _victim_order(p, now))
        violating, non_violating = split_by_pdb(potential, state.cluster.pdbs)
        victims: list[Pod] = []
        violations = 0
        violating_keys = {p.key for p in violating}

        def reprieve(pod: Pod) -> bool:
            state.add_pod(pod, info)
            verdict = state.filter_with_nominated(info, shortcut=shortcut)
            if not verdict.ok:
                state.remove_pod(pod, info)
                victims.append(pod)
            else:
                aside.discard(pod.key)
            if note:
                note(
                    VictimStep(
                        StepAction.PUT_BACK,
                        (pod.key,),
                        verdict.ok,
                        verdict.reasons,
                        tuple(p.key for p in potential if p.key in aside),
                        tuple(v.key for v in victims),
                        violates_pdb=pod.key in violating_keys,
                    )
                )
            return verdict.ok

        for pod in violating:
            if not reprieve(pod):
                violations += 1
        for pod in non_violating:
            reprieve(pod)
        if violating and non_violating:
            victims.sort(key=lambda p: _victim_order(p, now))
        return tuple(victims), violations, Status(Code.SUCCESS)
    finally:
        state.rollback(token)


# [end:select-victims]


@dataclass(frozen=True)
class VictimSelection:
    """SelectVictimsOnNode on one node, with the steps it took."""

    node: str
    steps: tuple[VictimStep, ...]
    victims: tuple[Pod, ...]
    pdb_violations: int
    status: Status

    def explain(self, width: int = LINE_WIDTH) -> str:
        """The steps, numbered, and the outcome, folded to ``width`` characters."""
        lines = [f"{number}. {step.sentence}" for number, step in enumerate(self.steps, 1)]
        if self.status.ok:
            victims = ", ".join(v.key for v in self.victims) or "none"
            lines.append(f"on {self.node}: the pod fits; victims: {victims}")
        else:
            lines.append(f"on {self.node}: no candidate ({'; '.join(self.status.reasons)})")
        return fold("\n".join(lines), width)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.explain())


def explain_victim_selection(
    cluster: ClusterState, pod: Pod, node_name: str, now: float
) -> VictimSelection:
    """What SelectVictimsOnNode does on ``node_name`` for the pending ``pod``, step by step.

    The cluster is left as it was. Without lower-priority pods on the node there are
    no steps, and the status says so.
    """
    steps: list[VictimStep] = []
    victims, violations, status = select_victims_on_node(
        CycleState(cluster, pod), cluster.nodes[node_name], now, steps=steps
    )
    return VictimSelection(node_name, tuple(steps), victims, violations, status)


def _victim_order(pod: Pod, now: float) -> tuple[int, float, str]:
    # Go's sort is not stable, so pods of equal importance come in no defined order; the
    # name breaks such ties here, so that the answer never depends on a node's history.
    # importance_key, inlined: this runs for every pod of every node visited.
    started = pod.start_seconds
    return -pod.effective_priority, now if started is None else started, pod.key


def _select_by_arithmetic(
    state: CycleState, info: NodeInfo, potential: list[Pod], nominated: list[Pod], now: float
) -> tuple[tuple[Pod, ...], int, Status]:
    status, room = state.room_without(info, potential, nominated)
    if not status.ok:
        return (), 0, status
    return _reprieve_by_room(state, potential, room, now)


def _victims_from_room(
    state: CycleState, info: NodeInfo, room: list[int], now: float, *, memo: bool
) -> tuple[tuple[Pod, ...], int, Status, Candidate | None]:
    """:func:`_reprieve_by_room` on the node's lower-priority pods, remembered per node.

    Also the candidate it makes (None without victims), the same object while remembered.
    """
    cluster = state.cluster
    key = (info.version, state.priority, state.requested_resources, tuple(room), cluster.pdbs)
    if memo:
        found = cluster.victim_memo.get(info.name)
        # The answer depends on "now" only through pods without a start time.
        if found is not None and found[0] == key and found[1] in (None, now):
            return found[2]  # type: ignore[no-any-return]
    priority = state.priority
    below = [p for p in info.pods.values() if p.effective_priority < priority]
    victims, violations, status = _reprieve_by_room(state, below, list(room), now)
    candidate = Candidate(info.name, victims, violations) if status.ok and victims else None
    result = (victims, violations, status, candidate)
    if memo:
        uses_now = any(p.start_seconds is None for p in below)
        cluster.victim_memo[info.name] = (key, now if uses_now else None, result)
    return result


def _reprieve_by_room(
    state: CycleState, potential: list[Pod], room: list[int], now: float
) -> tuple[tuple[Pod, ...], int, Status]:
    """The reprieve loop of SelectVictimsOnNode when only resource sums matter.

    ``room`` is what is left once every pod of ``potential`` is gone and the pending pod
    placed (pod slots, then each requested resource); it is used up as pods come back.
    """
    potential.sort(key=lambda p: _victim_order(p, now))
    violating, non_violating = split_by_pdb(potential, state.cluster.pdbs)
    resources = state.requested_resources
    victims: list[Pod] = []
    violations = 0
    for group_violates, group in ((True, violating), (False, non_violating)):
        for pod in group:
            # Reprieve the pod when it fits in what is left: a pod slot and each resource.
            fits = room[0] >= 1
            if fits:
                requests = pod.requests
                for index, resource in enumerate(resources, start=1):
                    if room[index] < requests.get(resource, 0):
                        fits = False
                        break
            if fits:
                room[0] -= 1
                for index, resource in enumerate(resources, start=1):
                    room[index] -= pod.requests.get(resource, 0)
                continue
            victims.append(pod)
            if group_violates:
                violations += 1
    if violating and non_violating:
        victims.sort(key=lambda p: _victim_order(p, now))
    return tuple(victims), violations, SUCCESS


# --- choosing a node -------------------------------------------------------------------


def earliest_start_of_top_victims(victims: Sequence[Pod], now: float) -> float:
    top = victims[0].effective_priority
    return min(importance_key(v, now)[1] for v in victims if v.effective_priority == top)


# [start:pick-one-node]
def pick_one_node(candidates: Sequence[Candidate], now: float) -> Candidate:
    """``pickOneNodeForPreemption``: each criterion keeps only the best, ties go on."""
    return narrow_candidates(candidates, now)[0]


def narrow_candidates(candidates: Sequence[Candidate], now: float) -> tuple[Candidate, int | None]:
    """The chosen candidate, and the index of the criterion that left it alone (``None``
    when it was alone from the start or all five criteria tie: then the first wins)."""
    criteria: tuple[Callable[[Candidate], float], ...] = (
        lambda c: -c.pdb_violations,
        lambda c: -c.victims[0].effective_priority,
        lambda c: -sum(v.effective_priority + _PRIORITY_OFFSET for v in c.victims),
        lambda c: -len(c.victims),
        lambda c: earliest_start_of_top_victims(c.victims, now),
    )
    remaining = list(candidates)
    if len(remaining) == 1:
        return remaining[0], None
    for index, score in enumerate(criteria):
        best = max(score(c) for c in remaining)
        remaining = [c for c in remaining if score(c) == best]
        if len(remaining) == 1:
            return remaining[0], index
    return remaining[0], None


# [end:pick-one-node]


def _pick_by_key(candidates: Sequence[Candidate], now: float) -> Candidate:
    """:func:`pick_one_node` in one pass: the criteria in order form one key, to maximise.

    Keeping the best of each criterion in turn is the lexicographic order of the tuple of
    criteria, and ``max`` returns the first of equal keys, as the filter does.
    """

    def key(c: Candidate) -> tuple[int, int, int, int, float]:
        memo = c.pick_memo
        if memo and memo[0] in (None, now):
            return memo[1]  # type: ignore[return-value]
        victims = c.victims
        found = (
            -c.pdb_violations,
            -victims[0].effective_priority,
            -sum(v.effective_priority for v in victims) - _PRIORITY_OFFSET * len(victims),
            -len(victims),
            earliest_start_of_top_victims(victims, now),
        )
        uses_now = any(v.start_seconds is None for v in victims)
        memo[:] = [now if uses_now else None, found]
        return found

    return max(candidates, key=key)


def candidate_count(
    potential: int,
    percentage: int = MIN_CANDIDATE_NODES_PERCENTAGE,
    absolute: int = MIN_CANDIDATE_NODES_ABSOLUTE,
) -> int:
    """``calculateNumCandidates``: ``percentage`` of the potential nodes, at least
    ``absolute``, at most all of them (DefaultPreemptionArgs)."""
    wanted = potential * percentage // 100
    return min(max(wanted, absolute), potential)


# --- the attempt -----------------------------------------------------------------------


def eligible_to_preempt(
    pod: Pod, cluster: ClusterState, statuses: dict[str, Status]
) -> tuple[bool, str]:
    if pod.preemption_policy == NEVER:
        return False, "not eligible due to preemptionPolicy=Never."
    nominated = pod.nominated_node_name
    if nominated and nominated in cluster.nodes:
        status = statuses.get(nominated)
        if status is not None and status.code is Code.UNSCHEDULABLE_AND_UNRESOLVABLE:
            return True, ""
        priority = pod.effective_priority
        for other in cluster.nodes[nominated].pods.values():
            if other.effective_priority < priority and other.terminating_by_preemption:
                return False, "not eligible due to a terminating pod on the nominated node."
    return True, ""


def find_fits(state: CycleState) -> tuple[list[str], dict[str, Status]]:
    fits: list[str] = []
    statuses: dict[str, Status] = {}
    if state.cluster.node_list and (state.vectorizable or state.fit_vectorizable):
        ok, failures = state.filter_all() if state.vectorizable else state.filter_all_fit_first()
        names = state.cluster.node_names
        for name, fitting, failure in zip(names, ok.tolist(), failures, strict=True):
            statuses[name] = failure or SUCCESS
            if fitting:
                fits.append(name)
        return fits, statuses
    for name, info in state.cluster.nodes.items():
        status = state.filter_with_nominated(info)
        statuses[name] = status
        if status.ok:
            fits.append(name)
    return fits, statuses


def preempt(
    cluster: ClusterState,
    pod: Pod,
    *,
    seed: int | None = None,
    offset: int | None = None,
    now: float | None = None,
    apply: bool = False,
    config: SchedulerConfig | None = None,
) -> PreemptionResult:
    """One scheduling attempt of the pending ``pod``, with DefaultPreemption if nothing fits.

    ``offset`` fixes where the dry run starts; otherwise it is drawn from ``seed`` (or at
    random, as kube-scheduler does). With ``apply`` the cluster is changed: victims are
    removed, the pod nominated, lower-priority nominations on that node cleared.
    ``config`` chooses the pod's profile by its ``schedulerName``; a pod for another
    scheduler, or one with scheduling gates, gets no attempt, and the reason says why.
    """
    now = time.time() if now is None else now
    config = config or DEFAULT_CONFIG
    profile = config.profile_for(pod)
    if profile is None:
        return _no_attempt(pod, other_scheduler_message(pod, config.names))
    if pod.scheduling_gates:
        return _no_attempt(pod, gates_message(pod))
    if not cluster.node_list:
        return PreemptionResult(pod.key, (), None, (), 0, NO_NODES)
    state = CycleState(cluster, pod, profile)
    fits, statuses = find_fits(state)
    if fits:
        return PreemptionResult(
            pod.key,
            tuple(fits),
            None,
            (),
            0,
            f"fits on {len(fits)} node(s) without preemption",
            statuses=statuses,
        )
    return post_filter(state, statuses, seed=seed, offset=offset, now=now, apply=apply)


def post_filter(
    state: CycleState,
    statuses: dict[str, Status],
    *,
    seed: int | None = None,
    offset: int | None = None,
    now: float | None = None,
    apply: bool = False,
    rng: random.Random | None = None,
) -> PreemptionResult:
    """DefaultPreemption after a filter pass in which no node fitted (``statuses``)."""
    now = time.time() if now is None else now
    cluster, pod = state.cluster, state.pod
    fit_error = _fit_error(statuses, state.prefilter_message)
    if not state.profile.preemption:
        return PreemptionResult(pod.key, (), None, (), 0, fit_error, statuses=statuses)
    eligible, why = eligible_to_preempt(pod, cluster, statuses)
    if not eligible:
        return PreemptionResult(
            pod.key,
            (),
            None,
            (),
            0,
            f"{fit_error} preemption: {why}",
            eligible=False,
            statuses=statuses,
        )
    nodes = cluster.nodes
    unschedulable = Code.UNSCHEDULABLE
    potential = [nodes[n] for n, s in statuses.items() if s.code is unschedulable]
    if not potential:
        reason = f"{fit_error} preemption: 0/{len(statuses)} nodes are available: " + (
            f"{len(statuses)} {NOT_HELPFUL}."
        )
        return _no_candidate(cluster, pod, reason, statuses, apply)
    if offset is None:
        offset = (rng or random.Random(seed)).randrange(len(potential))
    else:
        offset %= len(potential)
    candidates, failures = dry_run(state, potential, offset, now)
    if not candidates:
        return _no_candidate(
            cluster,
            pod,
            f"{fit_error} preemption: {_preemption_error(statuses, failures)}",
            statuses,
            apply,
            offset,
        )
    chosen = candidates[0] if len(candidates) == 1 else _pick_by_key(candidates, now)
    cleared = tuple(
        other.key
        for other in cluster.nominated.get(chosen.node, {}).values()
        if other.key != pod.key and other.effective_priority < pod.effective_priority
    )
    if apply:
        _carry_out(cluster, pod, chosen, cleared)
    return PreemptionResult(
        pod.key,
        (),
        chosen.node,
        chosen.victims,
        chosen.pdb_violations,
        f"{fit_error} preemption: nominated node {chosen.node}, "
        f"evicting {len(chosen.victims)} pod(s)",
        offset=offset,
        candidates=tuple(candidates),
        statuses=statuses,
        cleared_nominations=cleared,
    )


def dry_run(
    state: CycleState,
    potential: Sequence[NodeInfo],
    offset: int,
    now: float,
    *,
    screen: bool = True,
    shortcut: bool = True,
    memo: bool = True,
) -> tuple[list[Candidate], dict[str, Status]]:
    """Visit potential nodes from ``offset`` until enough candidates, one without PDB harm.

    With ``screen`` (and a cycle simple enough), the first check of SelectVictimsOnNode is
    read from arrays computed once for all nodes, and when no count of the cycle involves
    a bound pod, the reprieves start from the room those arrays give; ``shortcut`` is
    passed to :func:`select_victims_on_node`. With ``memo``, a node's victims found that
    way are reused by later cycles while the node's pods, the pending pod's priority and
    requests, the room and the PDBs are the same. The tests check that every way agrees
    with ``screen=False, shortcut=False, memo=False``.
    """
    profile = state.profile
    wanted = candidate_count(
        len(potential),
        profile.min_candidate_nodes_percentage,
        profile.min_candidate_nodes_absolute,
    )
    non_violating: list[Candidate] = []
    violating: list[Candidate] = []
    failures: dict[str, Status] = {}
    verdicts = state.preemption_screen() if screen and state.vectorizable else None
    # With no bound pod relevant, a screened node's victims follow from its room alone.
    by_room = verdicts is not None and not state.relevant
    for i in range(len(potential)):
        info = potential[(offset + i) % len(potential)]
        index = info.index
        if verdicts is not None and verdicts.static_ok[index] and index not in verdicts.unsure:
            if not verdicts.has_victims[index]:
                failures[info.name] = unresolvable("DefaultPreemption", NO_VICTIMS)
                continue
            failed = verdicts.pattern[index]
            if failed:
                failures[info.name] = verdicts.failures[failed]
                continue
            if by_room:
                victims, violations, status, candidate = _victims_from_room(
                    state, info, verdicts.room_of(index), now, memo=memo
                )
            else:
                victims, violations, status = select_victims_on_node(state, info, now)
                candidate = None
        else:
            victims, violations, status = select_victims_on_node(
                state, info, now, shortcut=shortcut
            )
            candidate = None
        if status.ok and victims:
            chosen_list = non_violating if violations == 0 else violating
            if len(chosen_list) < wanted:
                chosen_list.append(candidate or Candidate(info.name, victims, violations))
            if non_violating and len(non_violating) + len(violating) >= wanted:
                break
            continue
        if status.ok:
            status = Status(
                Code.ERROR,
                "DefaultPreemption",
                (f"expected at least one victim pod on node {info.name}",),
            )
        failures[info.name] = status
    return non_violating + violating, failures


def _carry_out(
    cluster: ClusterState, pod: Pod, chosen: Candidate, cleared: tuple[str, ...]
) -> None:
    for victim in chosen.victims:
        if victim.terminating:
            continue
        cluster.remove(victim)
    for key in cleared:
        cluster.nominate(cluster.pending[key], "")
    if pod.key in cluster.pending:
        cluster.nominate(cluster.pending[pod.key], chosen.node)


def _no_candidate(
    cluster: ClusterState,
    pod: Pod,
    reason: str,
    statuses: dict[str, Status],
    apply: bool,
    offset: int | None = None,
) -> PreemptionResult:
    # kube-scheduler answers with an empty nominatedNodeName, which clears an old one.
    if apply and pod.key in cluster.pending and pod.nominated_node_name:
        cluster.nominate(cluster.pending[pod.key], "")
    return PreemptionResult(pod.key, (), None, (), 0, reason, offset=offset, statuses=statuses)


def _fit_error(statuses: dict[str, Status], prefilter_message: str = "") -> str:
    return fit_error(statuses, prefilter_message=prefilter_message)


def _no_attempt(pod: Pod, why: str) -> PreemptionResult:
    return PreemptionResult(pod.key, (), None, (), 0, why, eligible=False)


def _preemption_error(statuses: dict[str, Status], failures: dict[str, Status]) -> str:
    reasons: list[Status] = []
    for name, status in statuses.items():
        if name in failures:
            reasons.append(failures[name])
        elif status.code is not Code.UNSCHEDULABLE:
            reasons.append(_NOT_HELPFUL_STATUS)
    return f"0/{len(statuses)} nodes are available: {reason_histogram(reasons)}."


_NOT_HELPFUL_STATUS = unresolvable("DefaultPreemption", NOT_HELPFUL)
