"""Exact preemption planning with z3: one node for the pod, victims anywhere.

DefaultPreemption judges each node alone and removes every lower-priority pod before it
checks the fit, which is why it misses plans that keep an affinity partner (pitfall a)
or that evict an anti-affinity blocker on another node of the zone (pitfall b). This
planner states the whole decision as one constraint problem over every node at once:

* a Boolean ``place[n]`` per node that passes the node-only filters, exactly one true;
* a Boolean ``evict[q]`` per bound pod of strictly lower priority than the preemptor;
* the filters, over the pods that are kept: NodeResourcesFit, PodTopologySpread
  (``DoNotSchedule``, with the true global minimum), InterPodAffinity (the pod's required
  affinity and anti-affinity, existing pods' anti-affinity), each checked with and
  without the equal-or-higher-priority pods nominated to the node, as kube-scheduler does;

and optimises kube-scheduler's own node-choice criteria lexicographically (z3's
``Optimize``): fewest PDB violations, lowest highest-victim priority, smallest sum of
(priority + 2^31), fewest victims, latest earliest start among the highest-priority
victims. PDB violations are counted as the budget overrun ``sum over PDBs of
max(0, evicted matching pods - disruptionsAllowed)``, budgets shared across nodes.

Every plan is replayed with the concrete filters (:class:`~fmlab.k8s.filters.CycleState`
on the cluster with the victims removed) before it is reported. The answer is
``optimal`` only when z3 finished; after a timeout it is the best plan known (z3's last
model, or DefaultPreemption's answer when that is valid), labelled as such.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import z3

from fmlab.core.result import Proved, Unknown, UnknownReason
from fmlab.core.solving import default_timeout_ms
from fmlab.k8s._cluster import ClusterState, NodeInfo
from fmlab.k8s._deadline import Answer, Deadline, Watchdog, check_before
from fmlab.k8s._model import NEVER, Node, Pod
from fmlab.k8s._preemption import PreemptionResult, find_fits, preempt
from fmlab.k8s._selectors import selector_matches
from fmlab.k8s._status import Status, unschedulable
from fmlab.k8s._terms import ResolvedTerm, matches_all
from fmlab.k8s._text import LINE_WIDTH, fold
from fmlab.k8s.filters import CycleState, importance_key

_OFFSET = 2**31

Cost = tuple[int, int, int, int, int]
"""(PDB overrun, highest victim priority, sum of adjusted priorities, victims, -start)."""


@dataclass(frozen=True)
class ExactPlan:
    """The planner's answer: the plan, how sure it is, and what it cost to find."""

    result: PreemptionResult
    status: str  # "optimal", "best-within-budget", "infeasible", "not-needed", "unknown"
    check: Proved | Unknown
    seconds: float
    cost: Cost | None = None
    variables: int = 0
    default_cost: Cost | None = field(default=None)

    @property
    def unknown(self) -> bool:
        return self.status == "unknown"

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"

    def explain(self, width: int = LINE_WIDTH) -> str:
        """The status and how sure it is, in lines of at most ``width`` characters.

        An answer cut short by the budget says so in words: "not proved optimal within
        the budget", with the reason, never just a status name.
        """
        head = f"status: {self.status} ({self.seconds:.3f} s)"
        check = self.check
        if isinstance(check, Proved):
            body = f"proved: {check.claim}"
        elif check.reason is UnknownReason.TIMEOUT:
            found = "no plan found" if self.result.nominated_node is None else "best plan found"
            body = f"{found}, not proved optimal within the budget: {check.detail}"
        else:
            body = f"not proved optimal ({check.reason.value}): {check.detail}"
        return fold(f"{head}\n  {body}", width)

    def __repr__(self) -> str:
        return self.explain()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.explain())

    def to_json(self) -> dict[str, object]:
        return {
            "status": self.status,
            "optimal": self.optimal,
            "seconds": round(self.seconds, 4),
            "cost": list(self.cost) if self.cost is not None else None,
            "check": self.check.to_json(),
        }


# --- concrete evaluation --------------------------------------------------------------


def start_millis(pod: Pod, now: float) -> int:
    return round(importance_key(pod, now)[1] * 1000)


def plan_cost(cluster: ClusterState, victims: Sequence[Pod], now: float) -> Cost:
    """The lexicographic cost of a set of victims, smaller is better."""
    overrun = 0
    for pdb in cluster.pdbs:
        if pdb.selector is None or pdb.selector.empty:
            continue
        used = sum(
            1
            for v in victims
            if v.namespace == pdb.namespace
            and v.labels
            and v.name not in pdb.disrupted_pods
            and selector_matches(pdb.selector, v.labels)
        )
        overrun += max(0, used - pdb.disruptions_allowed)
    if not victims:
        return (overrun, -_OFFSET, 0, 0, 0)
    top = max(v.effective_priority for v in victims)
    earliest = min(start_millis(v, now) for v in victims if v.effective_priority == top)
    total = sum(v.effective_priority + _OFFSET for v in victims)
    return (overrun, top, total, len(victims), -earliest)


def replay(cluster: ClusterState, pod: Pod, node_name: str, victims: Iterable[Pod]) -> bool:
    """Does ``pod`` pass every filter on ``node_name`` once ``victims`` are gone?"""
    return plan_status(cluster, pod, node_name, victims).ok


def plan_status(cluster: ClusterState, pod: Pod, node_name: str, victims: Iterable[Pod]) -> Status:
    """The filter status of ``pod`` on ``node_name`` after evicting ``victims``.

    Only pods of strictly lower priority may be victims; anything else is refused with
    an ``Unschedulable`` status naming the pod. The cluster is left as it was.
    """
    removed: list[Pod] = []
    try:
        for victim in victims:
            if victim.effective_priority >= pod.effective_priority or not victim.node_name:
                return unschedulable("Preemption", f"{victim.key} may not be evicted by {pod.key}")
            cluster.remove(victim)
            removed.append(victim)
        # A fresh cycle: PreFilter counts computed from scratch, as the next attempt would.
        state = CycleState(cluster, pod)
        return state.filter_with_nominated(cluster.nodes[node_name])
    finally:
        for victim in removed:
            cluster.add(victim)


# --- the encoding ---------------------------------------------------------------------


class _Shared:
    """What every per-node encoding of one pending pod shares (computed once)."""

    def __init__(self, cluster: ClusterState, pod: Pod, state: CycleState, now: float) -> None:
        self.cluster = cluster
        self.pod = pod
        self.state = state
        self.now = now
        self.evictable: dict[str, Pod] = {
            other.key: other
            for _, other in cluster.bound_pods()
            if other.effective_priority < pod.effective_priority
        }
        self.partners: list[tuple[Pod, Node]] | None = None
        self.anti_targets: dict[int, list[tuple[Pod, Node]]] = {}
        self.guards: list[tuple[Pod, Node, ResolvedTerm]] | None = None
        # A context of the call's own: the watchdog's interrupts must never reach the
        # caller's z3.main_ctx() (an interrupted context's simplify() silently does nothing).
        self.ctx = z3.Context()


class _Encoding:
    def __init__(self, shared: _Shared, max_victim_priority: int | None = None) -> None:
        self.shared = shared
        self.cluster = shared.cluster
        self.pod = shared.pod
        self.state = shared.state
        self.now = shared.now
        self.ctx = shared.ctx
        self.true = z3.BoolVal(True, self.ctx)
        self.false = z3.BoolVal(False, self.ctx)
        self.priority = self.pod.effective_priority
        self.evict: dict[str, z3.BoolRef] = {}
        # A cap from a known plan: any better plan evicts nothing above that plan's top.
        self.evictable = shared.evictable
        self.cap = max_victim_priority
        self.place: dict[str, z3.BoolRef] = {}
        self.constraints: list[z3.BoolRef] = []
        self._overruns: list[z3.ArithRef] = []

    def evicted(self, other: Pod) -> z3.BoolRef:
        if other.key not in self.evictable:
            return self.false
        if self.cap is not None and other.effective_priority > self.cap:
            return self.false
        var = self.evict.get(other.key)
        if var is None:
            var = z3.Bool(f"evict[{other.key}]", self.ctx)
            self.evict[other.key] = var
        return var

    def kept(self, other: Pod) -> z3.BoolRef:
        return z3.Not(self.evicted(other))

    # -- filters on one node ---------------------------------------------------------

    def node_ok(self, info: NodeInfo) -> z3.BoolRef:
        nominated = [
            p
            for p in self.cluster.nominated.get(info.name, {}).values()
            if p.key != self.pod.key and p.effective_priority >= self.priority
        ]
        passes = [self._filters(info, ())]
        if nominated:
            passes.append(self._filters(info, nominated))
        return z3.And(passes)

    def _filters(self, info: NodeInfo, extra: Sequence[Pod]) -> z3.BoolRef:
        parts = [self._fit(info, extra)]
        parts.extend(self._spread(info, extra))
        parts.append(self._affinity(info, extra))
        parts.extend(self._anti_affinity(info, extra))
        parts.extend(self._existing_anti_affinity(info, extra))
        return z3.And(parts)

    def _fit(self, info: NodeInfo, extra: Sequence[Pod]) -> z3.BoolRef:
        allocatable = info.node.allocatable
        checks: list[z3.BoolRef] = []
        demands = [("pods", 1), *((r, a) for r, a in self.pod.requests.items() if a > 0)]
        for resource, amount in demands:
            fixed = amount
            variable: list[tuple[z3.BoolRef, int]] = []
            for other in [*info.pods.values(), *extra]:
                used = 1 if resource == "pods" else other.requests.get(resource, 0)
                if used == 0:
                    continue
                evicted = self.evicted(other) if other.node_name else self.false
                if z3.is_false(evicted):
                    fixed += used
                else:
                    variable.append((z3.Not(evicted), used))
            limit = allocatable.get(resource, 0)
            if fixed > limit:
                return self.false
            if variable:
                # A pseudo-Boolean constraint (kept pods' requests fit in what is left),
                # scaled down by the common divisor; z3's SAT core reasons about these
                # natively, which matters for the MaxSAT objectives.
                divisor = math.gcd(*(weight for _, weight in variable))
                scaled = [(literal, weight // divisor) for literal, weight in variable]
                checks.append(z3.PbLe(scaled, (limit - fixed) // divisor))
        return z3.And(checks) if checks else self.true

    def _affinity(self, info: NodeInfo, extra: Sequence[Pod]) -> z3.BoolRef:
        terms = self.state.affinity_terms
        if not terms:
            return self.true
        labels = info.node.labels
        if any(t.topology_key not in labels for t in terms):
            return self.false
        matching = self._partners(terms)
        per_term = []
        for term in terms:
            domain = labels[term.topology_key]
            options = [
                self.kept(q) for q, node in matching if node.labels.get(term.topology_key) == domain
            ]
            options.extend(self.true for q in extra if matches_all(terms, q))
            per_term.append(z3.Or(options) if options else self.false)
        satisfied = z3.And(per_term)
        if not self.state.self_affinity:
            return satisfied
        # The self-affinity exception holds when no matching pod is counted anywhere.
        keys = {t.topology_key for t in terms}
        counted = [self.kept(q) for q, node in matching if any(k in node.labels for k in keys)]
        if any(matches_all(terms, q) for q in extra):
            counted.append(self.true)
        return z3.Or(satisfied, z3.Not(z3.Or(counted)) if counted else self.true)

    def _partners(self, terms: tuple[ResolvedTerm, ...]) -> list[tuple[Pod, Node]]:
        cached = self.shared.partners
        if cached is None:
            cached = [
                (q, info.node) for info, q in self.cluster.bound_pods() if matches_all(terms, q)
            ]
            self.shared.partners = cached
        return cached

    def _anti_affinity(self, info: NodeInfo, extra: Sequence[Pod]) -> list[z3.BoolRef]:
        result: list[z3.BoolRef] = []
        labels = info.node.labels
        for term in self.state.anti_terms:
            domain = labels.get(term.topology_key)
            if domain is None:
                continue
            if any(term.matches(q) for q in extra):
                return [self.false]
            for q, node in self._anti_targets(term):
                if node.labels.get(term.topology_key) == domain:
                    result.append(self.evicted(q))
        return result

    def _anti_targets(self, term: ResolvedTerm) -> list[tuple[Pod, Node]]:
        cache = self.shared.anti_targets
        found = cache.get(id(term))
        if found is None:
            found = [(q, info.node) for info, q in self.cluster.bound_pods() if term.matches(q)]
            cache[id(term)] = found
        return found

    def _existing_anti_affinity(self, info: NodeInfo, extra: Sequence[Pod]) -> list[z3.BoolRef]:
        result: list[z3.BoolRef] = []
        labels = info.node.labels
        for q in extra:
            for term in self.state.resolve(q, q.anti_affinity_terms):
                if term.topology_key in labels and term.matches(self.pod):
                    return [self.false]
        for q, node, term in self._guards():
            value = node.labels.get(term.topology_key)
            if value is not None and labels.get(term.topology_key) == value:
                result.append(self.evicted(q))
        return result

    def _guards(self) -> list[tuple[Pod, Node, ResolvedTerm]]:
        cached = self.shared.guards
        if cached is None:
            cached = []
            for info in self.cluster.nodes.values():
                for q in info.anti_affinity_pods.values():
                    for term in self.state.resolve(q, q.anti_affinity_terms):
                        if term.matches(self.pod):
                            cached.append((q, info.node, term))
            self.shared.guards = cached
        return cached

    def _spread(self, info: NodeInfo, extra: Sequence[Pod]) -> list[z3.BoolRef]:
        result: list[z3.BoolRef] = []
        state = self.state
        for index, constraint in enumerate(state.constraints):
            key = constraint.key
            if key not in info.node.labels:
                return [self.false]
            counts: dict[str, list[z3.ArithRef]] = {}
            for other_info in self.cluster.nodes.values():
                if not state.spread_eligible(other_info.node)[index]:
                    continue
                domain = other_info.node.labels[key]
                terms = counts.setdefault(domain, [])
                for q in other_info.pods.values():
                    if state.spread_match(constraint, q):
                        terms.append(z3.If(self.evicted(q), 0, 1))
                if other_info is info:
                    one = z3.IntVal(1, self.ctx)
                    terms.extend(one for q in extra if state.spread_match(constraint, q))
            if not counts:
                continue
            own = 1 if selector_matches(constraint.selector, self.pod.labels) else 0
            here = (
                z3.Sum(counts.get(info.node.labels[key], []))
                if counts.get(info.node.labels[key])
                else z3.IntVal(0, self.ctx)
            )
            if len(counts) < constraint.min_domains:
                result.append(here + own <= constraint.max_skew)
                continue
            for terms in counts.values():
                other = z3.Sum(terms) if terms else z3.IntVal(0, self.ctx)
                result.append(here + own - other <= constraint.max_skew)
        return result

    # -- the whole problem -------------------------------------------------------------

    def build(self, candidates: Sequence[NodeInfo]) -> None:
        for info in candidates:
            ok = self.node_ok(info)
            if z3.is_false(z3.simplify(ok)):
                continue
            var = z3.Bool(f"place[{info.name}]", self.ctx)
            self.place[info.name] = var
            self.constraints.append(z3.Implies(var, ok))
        if self.place:
            self.constraints.append(z3.PbEq([(v, 1) for v in self.place.values()], 1))

    def lower_bound(self, info: NodeInfo) -> tuple[int, int, int, int] | None:
        """A bound no plan placing the pod on ``info`` can beat on criteria 1-4 (None: no plan).

        Every plan evicts the forced pods (anti-affinity blockers and guards in the node's
        domains) plus enough lower-priority pods of the node to cover its resource deficit;
        adding victims never lowers the PDB overrun, the top priority, the sum or the count,
        so the cheapest such set, priced optimistically, is a lower bound.
        """
        labels = info.node.labels
        forced: dict[str, Pod] = {}
        for term in self.state.anti_terms:
            domain = labels.get(term.topology_key)
            if domain is None:
                continue
            for q, node in self._anti_targets(term):
                if node.labels.get(term.topology_key) == domain:
                    forced[q.key] = q
        for q, node, term in self._guards():
            value = node.labels.get(term.topology_key)
            if value is not None and labels.get(term.topology_key) == value:
                forced[q.key] = q
        if any(not self._may_evict(q) for q in forced.values()):
            return None
        nominated = [
            p
            for p in self.cluster.nominated.get(info.name, {}).values()
            if p.key != self.pod.key and p.effective_priority >= self.priority
        ]
        demands = [("pods", 1), *((r, a) for r, a in self.pod.requests.items() if a > 0)]
        spare = [p for p in info.pods.values() if p.key not in forced and self._may_evict(p)]
        deficits: dict[str, int] = {}
        for resource, amount in demands:

            def used(p: Pod, resource: str = resource) -> int:
                return 1 if resource == "pods" else p.requests.get(resource, 0)

            kept = sum(used(p) for p in info.pods.values() if p.key not in forced)
            kept += sum(used(p) for p in nominated)
            deficit = kept + amount - info.node.allocatable.get(resource, 0)
            if deficit > 0:
                deficits[resource] = deficit
        base = plan_cost(self.cluster, tuple(forced.values()), self.now)
        overrun, top, total, count = base[:4]
        if not deficits:
            return overrun, top, total, count
        spare.sort(key=lambda p: p.effective_priority)
        # The lowest priority t such that pods up to t can cover every deficit.
        needed_top = None
        covered = dict.fromkeys(deficits, 0)
        for p in spare:
            for resource in deficits:
                covered[resource] += 1 if resource == "pods" else p.requests.get(resource, 0)
            if all(covered[r] >= d for r, d in deficits.items()):
                needed_top = p.effective_priority
                break
        if needed_top is None:
            return None
        top = max(top, needed_top) if forced else needed_top
        usable = [p for p in spare if p.effective_priority <= top]
        extra = 0
        for resource, deficit in deficits.items():
            amounts = sorted(
                (1 if resource == "pods" else p.requests.get(resource, 0) for p in usable),
                reverse=True,
            )
            running, k = 0, 0
            while running < deficit:
                running += amounts[k]
                k += 1
            extra = max(extra, k)
        cheapest = min(p.effective_priority for p in usable) + _OFFSET
        return overrun, top, total + extra * cheapest, count + extra

    def _may_evict(self, pod: Pod) -> bool:
        if pod.key not in self.evictable:
            return False
        return self.cap is None or pod.effective_priority <= self.cap

    def add_objectives(self, optimizer: z3.Optimize, *, no_overrun: bool = False) -> None:
        """The five criteria, in kube-scheduler's order, as lexicographic objectives.

        Criteria 2-5 are weighted MaxSAT groups (z3 handles those far better than
        arithmetic objectives with 2^31-sized coefficients):

        2. for each priority level v, the soft fact "no victim has priority >= v";
           satisfying the most of them is the lowest highest-victim priority;
        3. and 4. "q is kept", weighted by (priority(q) + 2^31) * K + 1 (see below);
        5. for each start time t, "no highest-priority victim started before t";
           satisfying the most of them is the latest earliest start.
        """
        victims = [(self.evictable[k], v) for k, v in self.evict.items()]
        overruns: list[z3.ArithRef] = []
        for index, pdb in enumerate(self.cluster.pdbs):
            if pdb.selector is None or pdb.selector.empty:
                continue
            used = [
                z3.If(var, 1, 0)
                for q, var in victims
                if q.namespace == pdb.namespace
                and q.labels
                and q.name not in pdb.disrupted_pods
                and selector_matches(pdb.selector, q.labels)
            ]
            if not used:
                continue
            excess = z3.Int(f"overrun[{index}]", self.ctx)
            self.constraints.extend([excess >= 0, excess >= z3.Sum(used) - pdb.disruptions_allowed])
            overruns.append(excess)
        self._overruns = overruns
        optimizer.add(*self.constraints)
        if no_overrun:
            optimizer.add(*(excess == 0 for excess in overruns))
        optimizer.minimize(z3.Sum(overruns) if overruns else z3.IntVal(0, self.ctx))
        if not victims:
            return
        by_level: dict[int, list[z3.BoolRef]] = {}
        for q, var in victims:
            by_level.setdefault(q.effective_priority, []).append(var)
        levels = sorted(by_level)
        # above[v]: some victim has priority above v (a chain, so the encoding stays linear).
        above: dict[int, z3.BoolRef] = {}
        higher: z3.BoolRef = self.false
        for level in reversed(levels):
            above[level] = higher
            higher = z3.Or(higher, z3.Or(by_level[level]))
        for level in levels:
            optimizer.add_soft(z3.Not(z3.Or(above[level], z3.Or(by_level[level]))), 1, id="top")
        # Criteria 3 and 4 in one group: weight (priority + 2^31) * K + 1 with K above any
        # possible count orders plans by the sum first and the count second. (Two groups
        # over the same literals sent z3 into very long searches.)
        scale = len(victims) + 1
        for q, var in victims:
            optimizer.add_soft(z3.Not(var), (q.effective_priority + _OFFSET) * scale + 1, id="sum")

    def refine_start(
        self, found: tuple[str, tuple[Pod, ...]], cost: Cost, watchdog: Watchdog
    ) -> tuple[Answer, tuple[str, tuple[Pod, ...]]]:
        """Criterion 5 among the plans that equal ``cost`` on criteria 1-4.

        Criteria 1-4 are fixed by constraints (the count as a cardinality, the sum as a
        pseudo-Boolean equality over shifted priorities); then a binary search over the
        start times of the top-priority pods asks z3 whether every top victim can start
        at or after a threshold. As one more objective group this made z3's search very
        long; as a handful of incremental checks it is quick. Each check gets only what
        remains of the watchdog's deadline; the answer is decided only if every check was.
        """
        victims = [(self.evictable[k], v) for k, v in self.evict.items()]
        overrun, top, total, count = cost[:4]
        solver = z3.Solver(ctx=self.ctx)
        # Set once, before the assertions: see check_before's set_timeout.
        solver.set("timeout", max(1, watchdog.deadline.remaining_ms()))
        solver.add(*self.constraints)
        if self._overruns:
            solver.add(z3.Sum(self._overruns) == overrun)
        solver.add(*(z3.Not(v) for q, v in victims if q.effective_priority > top))
        solver.add(z3.PbEq([(v, 1) for _, v in victims], count))
        lowest = min(q.effective_priority for q, _ in victims)
        shifted = [(v, q.effective_priority - lowest) for q, v in victims]
        priority_sum = total - count * _OFFSET - count * lowest
        positive = [(v, w) for v, w in shifted if w > 0]
        if positive:
            solver.add(z3.PbEq(positive, priority_sum))
        elif priority_sum != 0:
            return Answer(z3.unknown, True, "the plan's cost does not match its victims"), found
        tops = [(start_millis(q, self.now), v) for q, v in victims if q.effective_priority == top]
        starts = sorted({start for start, _ in tops})
        current = -cost[4]
        low = starts.index(current) if current in starts else 0
        high = len(starts) - 1
        best = found
        while low < high:
            middle = (low + high + 1) // 2
            threshold = starts[middle]
            late = (z3.Not(v) for start, v in tops if start < threshold)
            answer = check_before(solver, watchdog, *late, set_timeout=False)
            if answer.sat:
                decoded = self.decode(solver.model())
                if decoded is None:
                    return Answer(z3.unknown, answer.in_time, "z3's model chose no node"), best
                best, low = decoded, middle
            elif answer.unsat:
                high = middle - 1
            if not answer.decided:
                return answer, best
        return Answer(z3.sat, True), best

    def decode(self, model: z3.ModelRef) -> tuple[str, tuple[Pod, ...]] | None:
        """The plan a model describes, or None when it places the pod on no single node.

        Read with ``get_interp``, not ``eval``: after the watchdog has interrupted the
        context, ``eval`` refuses (``canceled``) while the model itself is intact.
        """
        chosen = [n for n, v in self.place.items() if _true_in(model, v)]
        if len(chosen) != 1:
            return None
        victims = [self.evictable[k] for k, v in self.evict.items() if _true_in(model, v)]
        victims.sort(key=lambda p: importance_key(p, self.now))
        return chosen[0], tuple(victims)


def _true_in(model: z3.ModelRef, variable: z3.BoolRef) -> bool:
    """Is ``variable`` true in ``model``? (Unassigned counts as false, as eval's completion.)"""
    value = model.get_interp(variable.decl())
    return value is not None and z3.is_true(value)


# --- the planner ----------------------------------------------------------------------


CLAIM = "no plan is better under kube-scheduler's node-choice criteria"


def plan_exact(
    cluster: ClusterState,
    pod: Pod,
    *,
    timeout_ms: int | None = None,
    now: float | None = None,
    prune: bool = True,
) -> ExactPlan:
    """The best (node, victims) for ``pod`` over the whole cluster, within the budget.

    ``timeout_ms`` bounds the whole call in wall-clock time, not each query: one deadline
    is set on entry, each z3 query gets only what remains of it, no query starts after
    it, and a watchdog interrupts a query that overruns it (z3 does not always stop at
    its own timeout). The Python-side steps between queries are checked against the same
    deadline; only DefaultPreemption's answer, which is the fallback plan, is always
    computed. When the deadline passes first, the answer is the best plan found so far,
    labelled ``best-within-budget`` (or ``unknown`` with no plan at all), never ``optimal``.

    With ``prune``, a node whose ``_Encoding.lower_bound`` is already worse than the
    best plan found is skipped without asking z3 (the tests check pruning changes nothing).
    """
    deadline = Deadline(timeout_ms if timeout_ms is not None else default_timeout_ms())
    now = time.time() if now is None else now
    state = CycleState(cluster, pod)
    fits, _statuses = find_fits(state)
    if fits:
        result = PreemptionResult(
            pod.key, tuple(fits), None, (), 0, f"fits on {len(fits)} node(s) without preemption"
        )
        return ExactPlan(result, "not-needed", Proved("no eviction is needed"), deadline.elapsed())
    if pod.preemption_policy == NEVER:
        result = PreemptionResult(
            pod.key, (), None, (), 0, "not eligible due to preemptionPolicy=Never.", eligible=False
        )
        check = Proved("the pod may not preempt")
        return ExactPlan(result, "not-needed", check, deadline.elapsed())

    default = preempt(cluster, pod, offset=0, now=now)
    default_plan = (
        (default.nominated_node, default.victims) if default.nominated_node is not None else None
    )
    default_cost = plan_cost(cluster, default.victims, now) if default_plan else None

    shared = _Shared(cluster, pod, state, now)
    candidates = [info for info in cluster.nodes.values() if state.static_status(info.node).ok]
    best: tuple[Cost, str, tuple[Pod, ...]] | None = None
    if (
        default_plan is not None
        and default_cost is not None
        and replay(cluster, pod, *default_plan)
    ):
        best = (default_cost, *default_plan)
    stopped: Unknown | None = None
    variables = 0
    # Each node in turn, victims anywhere: the global optimum is the best of the per-node
    # optima, and each small problem is far easier for z3 than one joint problem.
    with Watchdog(shared.ctx, deadline) as watchdog:
        for info in candidates:
            if deadline.passed():
                stopped = _out_of_time(deadline, f"before node {info.name}")
                break
            cap = best[0][1] if best is not None and best[0][0] == 0 else None
            encoding = _Encoding(shared, cap)
            if prune and best is not None:
                bound = encoding.lower_bound(info)
                if bound is None or bound > best[0][:4]:
                    continue  # no plan on this node can beat the best one found
            encoding.build([info])
            if not encoding.place:
                continue  # the node is out of the question whatever is evicted
            optimizer = z3.Optimize(ctx=shared.ctx)
            encoding.add_objectives(optimizer, no_overrun=cap is not None)
            answer = check_before(optimizer, watchdog)
            variables = max(variables, len(encoding.evict) + 1)
            if answer.unsat and answer.in_time:
                continue
            found = None
            if not answer.unsat:
                # After a timeout z3's model is the best it had; replayed below like any plan.
                with contextlib.suppress(z3.Z3Exception):
                    found = encoding.decode(optimizer.model())
            if answer.decided and answer.sat and found is None:
                # Not a proof that the node has no plan: the encoding and the model disagree.
                detail = f"z3's model for node {info.name} does not read as a plan"
                stopped = Unknown(CLAIM, UnknownReason.WITNESS_NOT_CONFIRMED, detail)
            if answer.decided and found is not None:
                answer, found = _refine(encoding, found, watchdog, cluster, now)
            if found is not None and not replay(cluster, pod, *found):
                detail = f"z3's plan {found[0]} / {[v.key for v in found[1]]} failed its replay"
                stopped = Unknown(CLAIM, UnknownReason.WITNESS_NOT_CONFIRMED, detail)
                found = None
            if found is not None:
                cost = plan_cost(cluster, found[1], now)
                if best is None or cost < best[0]:
                    best = (cost, *found)
            if not answer.decided:
                if stopped is None:
                    stopped = _out_of_time(deadline, f"on node {info.name}", answer.reason)
                break
    elapsed = deadline.elapsed()
    if best is None:
        if stopped is not None:
            result = PreemptionResult(pod.key, (), None, (), 0, stopped.detail)
            return ExactPlan(result, "unknown", stopped, elapsed, variables=variables)
        result = PreemptionResult(
            pod.key, (), None, (), 0, "no set of lower-priority victims on any node helps"
        )
        check = Proved("no node and set of lower-priority victims lets the pod fit")
        return ExactPlan(result, "infeasible", check, elapsed, variables=variables)
    cost, node_name, victims = best
    if stopped is None:
        result = _result(pod, node_name, victims, cost, "optimal plan")
        return ExactPlan(result, "optimal", Proved(CLAIM), elapsed, cost, variables, default_cost)
    result = _result(pod, node_name, victims, cost, "best plan found within the budget")
    return ExactPlan(result, "best-within-budget", stopped, elapsed, cost, variables, default_cost)


def _out_of_time(deadline: Deadline, where: str, reason: str = "") -> Unknown:
    """The planner's Unknown when the budget ran out (or z3 gave up) ``where``."""
    said = f"; z3: {reason}" if reason else ""
    seconds = deadline.elapsed()
    # Less than a millisecond left counts as spent: z3's own timer gets whole milliseconds.
    if deadline.remaining_ms() == 0 or any(w in reason for w in ("timeout", "cancel")):
        detail = f"the {deadline.budget_ms} ms budget ran out {where} after {seconds:.2f} s{said}"
        return Unknown(CLAIM, UnknownReason.TIMEOUT, detail, {"seconds": seconds})
    detail = f"z3 gave up {where} after {seconds:.2f} s{said}"
    return Unknown(CLAIM, UnknownReason.INCOMPLETE, detail, {"seconds": seconds})


def _refine(
    encoding: _Encoding,
    found: tuple[str, tuple[Pod, ...]],
    watchdog: Watchdog,
    cluster: ClusterState,
    now: float,
) -> tuple[Answer, tuple[str, tuple[Pod, ...]]]:
    """Criterion 5 for the plan ``found``; returns z3's answer and the (maybe better) plan."""
    cost = plan_cost(cluster, found[1], now)
    if cost[3] == 0:
        return Answer(z3.sat, True), found  # no victim: nothing left to choose
    # Even a single victim is a choice: pods of the same priority tie on criteria 1-4 and
    # differ only in their start time (a property test found the plan that skipped this).
    return encoding.refine_start(found, cost, watchdog)


def _result(
    pod: Pod, node_name: str, victims: tuple[Pod, ...], cost: Cost, what: str
) -> PreemptionResult:
    nodes = sorted({v.node_name for v in victims})
    return PreemptionResult(
        pod.key,
        (),
        node_name,
        victims,
        cost[0],
        f"{what}: node {node_name}, evicting {len(victims)} pod(s) on {', '.join(nodes)}",
    )
