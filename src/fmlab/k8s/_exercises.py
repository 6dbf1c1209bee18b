"""Checkers for the preemption chapter's exercises: a wrong answer gets a counterexample.

Two questions a learner answers with a plan or a cluster, checked against the exact
planner (:func:`~fmlab.k8s.plan_exact`) and the concrete filters:

* :func:`check_eviction`: "evicting these pods lets the pod run on this node, and no plan
  disrupts less under kube-scheduler's criteria". A plan that does not fit is answered
  with the filter that still fails; a plan that fits but is beaten is answered with the
  first criterion it loses on and the better plan's value there, never with the better
  plan's node or pods.
* :func:`check_greedy_gap`: "DefaultPreemption nominates a node here, and its victims
  disrupt more than necessary". A cluster where it does not is answered with what
  DefaultPreemption does there.

Every counterexample is replayed (:func:`fmlab.core.result.refute`) before it is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fmlab.core.result import Proved, Refuted, Unknown, UnknownReason, refute
from fmlab.k8s._cluster import ClusterState
from fmlab.k8s._exact import Cost, plan_cost, plan_exact, plan_status
from fmlab.k8s._model import Pod
from fmlab.k8s._preemption import preempt
from fmlab.k8s._text import LINE_WIDTH, fold
from fmlab.k8s._walkthrough import CRITERIA
from fmlab.k8s.filters import importance_key


@dataclass(frozen=True)
class PlanCounterexample:
    """What is wrong with an answer, as lines short enough for the page."""

    problem: str
    details: tuple[str, ...] = ()

    def __str__(self) -> str:
        # Each line on its own, indented under "witness (confirmed by ...):" by four
        # spaces, and folded so that with that indent it stays within the page's width.
        lines = [self.problem, *(f"  {line}" for line in self.details)]
        folded = fold("\n".join(lines), LINE_WIDTH - len(_WITNESS_INDENT))
        return "".join(f"\n{_WITNESS_INDENT}{line}" for line in folded.splitlines())

    def _repr_pretty_(self, printer: object, cycle: bool) -> None:
        printer.text(str(self))  # type: ignore[attr-defined]

    def to_json(self) -> dict[str, object]:
        return {"problem": self.problem, "details": list(self.details)}


_WITNESS_INDENT = "    "
"""How far :meth:`fmlab.core.result.Refuted.explain` indents a witness's lines."""

CheckAnswer = Proved | Refuted[PlanCounterexample] | Unknown
"""What the checkers return: accepted, refuted with a replayed counterexample, or unknown."""


def _describe(index: int, victims: Sequence[Pod], cost: Cost, now: float) -> str:
    """The value of kube-scheduler's criterion ``index`` for a plan, in words."""
    if index == 0:
        return f"{cost[0]} PodDisruptionBudget violation(s)"
    if not victims:
        return "no victims"
    priorities = sorted((v.effective_priority for v in victims), reverse=True)
    if index == 1:
        return f"the most important victim has priority {priorities[0]}"
    if index == 2:
        shown = ", ".join(str(p) for p in priorities)
        return f"victim priorities {shown} (sum {sum(priorities)})"
    if index == 3:
        return f"{len(victims)} victim(s)"
    top = [v for v in victims if v.effective_priority == priorities[0]]
    earliest = min(top, key=lambda v: importance_key(v, now))
    started = earliest.start_time.isoformat() if earliest.start_time else "not yet"
    return f"the earliest start among the most important victims: {started}"


def _resolve(
    cluster: ClusterState, pod: Pod, keys: Iterable[str]
) -> tuple[list[Pod], PlanCounterexample | None]:
    victims: list[Pod] = []
    for key in keys:
        try:
            victim = cluster.find_pod(key)
        except KeyError:
            return [], PlanCounterexample(f"there is no pod {key!r} in the cluster")
        if not victim.node_name:
            return [], PlanCounterexample(f"{victim.key} is pending: it runs on no node")
        if victim.effective_priority >= pod.effective_priority:
            return [], PlanCounterexample(
                f"{victim.key} may not be evicted: its priority {victim.effective_priority}"
                f" is not lower than {pod.name}'s {pod.effective_priority}"
            )
        if victim not in victims:
            victims.append(victim)
    return victims, None


def check_eviction(
    cluster: ClusterState,
    pod: Pod,
    node_name: str,
    victim_keys: Iterable[str],
    *,
    now: float,
    timeout_ms: int | None = None,
) -> CheckAnswer:
    """Does evicting ``victim_keys`` place ``pod`` on ``node_name`` with the least disruption?

    Least disruption means kube-scheduler's node-choice criteria in their order
    (:data:`~fmlab.k8s.CRITERIA`), over every node and every set of lower-priority victims
    anywhere in the cluster, as :func:`~fmlab.k8s.plan_exact` searches them.
    """
    keys = list(victim_keys)
    claim = f"this plan places {pod.name} on {node_name} with the least disruption"
    if node_name not in cluster.nodes:
        witness = PlanCounterexample(f"there is no node {node_name!r}")
        return refute(claim, witness, replay=lambda _w: node_name not in cluster.nodes)
    victims, bad = _resolve(cluster, pod, keys)
    if bad is not None:
        return refute(
            claim,
            bad,
            replay=lambda _w: _resolve(cluster, pod, keys)[1] is not None,
            replayed_by="looking the pods up again",
        )
    status = plan_status(cluster, pod, node_name, victims)
    if not status.ok:
        witness = PlanCounterexample(
            f"{pod.name} still does not fit on {node_name}: {status.plugin} says",
            status.reasons,
        )
        return refute(
            claim,
            witness,
            replay=lambda _w: not plan_status(cluster, pod, node_name, victims).ok,
            replayed_by="the filters, without your victims",
        )
    yours = plan_cost(cluster, victims, now)
    plan = plan_exact(cluster, pod, now=now, timeout_ms=timeout_ms)
    best_node = plan.result.nominated_node
    if plan.cost is not None and best_node is not None and plan.cost < yours:
        better = plan.result.victims
        index = next(i for i in range(len(CRITERIA)) if plan.cost[i] != yours[i])
        witness = PlanCounterexample(
            "a plan that disrupts less exists; it wins on",
            (
                CRITERIA[index],
                f"yours:  {_describe(index, victims, yours, now)}",
                f"better: {_describe(index, better, plan.cost, now)}",
            ),
        )
        cost = plan.cost

        def beaten(_w: PlanCounterexample) -> bool:
            fits = plan_status(cluster, pod, best_node, better).ok
            return fits and plan_cost(cluster, better, now) == cost < yours

        return refute(
            claim, witness, replay=beaten, replayed_by="the filters and the criteria, again"
        )
    if plan.optimal:
        return Proved(claim, bound="exact search")
    return Unknown(
        claim,
        UnknownReason.TIMEOUT,
        f"your plan fits; the exact planner could not prove it the best ({plan.status})",
    )


def check_greedy_gap(
    cluster: ClusterState,
    pod: Pod,
    *,
    now: float,
    timeout_ms: int | None = None,
) -> CheckAnswer:
    """Does DefaultPreemption nominate a node for ``pod`` but disrupt more than necessary?"""
    claim = f"DefaultPreemption places {pod.name} but disrupts more than needed"
    plan = plan_exact(cluster, pod, now=now, timeout_ms=timeout_ms)
    default = preempt(cluster, pod, offset=0, now=now)

    def default_again() -> tuple[str | None, tuple[str, ...]]:
        again = preempt(cluster, pod, offset=0, now=now)
        return again.nominated_node, tuple(v.key for v in again.victims)

    seen = (default.nominated_node, tuple(v.key for v in default.victims))
    if plan.status == "not-needed":
        reason, reason_of = plan.result.reason, plan.status
        witness = PlanCounterexample(f"no preemption happens: {reason}")
        return refute(
            claim, witness, replay=lambda _w: plan_exact(cluster, pod, now=now).status == reason_of
        )
    if default.nominated_node is None:
        witness = PlanCounterexample(
            "DefaultPreemption nominates no node here, so it disrupts nothing:",
            (default.reason,),
        )
        return refute(claim, witness, replay=lambda _w: default_again()[0] is None)
    default_cost = plan_cost(cluster, default.victims, now)
    if plan.cost is not None and plan.cost < default_cost:
        if plan.optimal:
            return Proved(claim, bound="optimal plan, replayed")
        return Proved(claim, bound="better plan, replayed")
    if not plan.optimal:
        return Unknown(claim, UnknownReason.TIMEOUT, f"exact planner: {plan.status}")
    victims = ", ".join(v.name for v in default.victims) or "nobody"
    witness = PlanCounterexample(
        f"DefaultPreemption's plan is already the best: node {default.nominated_node},"
        f" evicting {victims}",
        ("the exact planner proves that no node and no victims do better",),
    )

    def still_best(_w: PlanCounterexample) -> bool:
        return default_again() == seen and plan_cost(cluster, default.victims, now) <= (
            plan_exact(cluster, pod, now=now, timeout_ms=timeout_ms).cost or default_cost
        )

    return refute(claim, witness, replay=still_best, replayed_by="both planners, again")
