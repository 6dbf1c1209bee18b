"""kube-scheduler's sentence for a pod that fits nowhere (``FitError.Error()``).

``0/N nodes are available: <PreFilter message>. <Filter reasons>. <PostFilter message>``:
a PreFilter rejection replaces the per-node reasons; otherwise each reason is counted over
the nodes and written ``"<count> <reason>"``, and those strings are sorted *as strings*
(so ``"1 node(s) had untolerated taint(s)"`` comes before ``"2 Insufficient cpu"``, and
``"10 ..."`` before ``"2 ..."``), as upstream's ``sortReasonsHistogram`` does.

>>> from fmlab.k8s._status import unschedulable, unresolvable
>>> taint = unresolvable("TaintToleration", "node(s) had untolerated taint(s)")
>>> cpu = unschedulable("NodeResourcesFit", "Insufficient cpu")
>>> fit_error({"a": cpu, "b": taint, "c": cpu})
'0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu.'
>>> fit_error({})
'no nodes available to schedule pods'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from fmlab.k8s._status import Status

NO_NODES = "no nodes available to schedule pods"
"""What kube-scheduler says (``ErrNoNodesAvailable``) when the cluster has no node."""


def reason_histogram(statuses: Iterable[Status]) -> str:
    """``"<count> <reason>"`` for every reason over ``statuses``, sorted as strings."""
    # Nodes failing alike share one Status object: count those by identity (cheaper than
    # hashing a dataclass), then their reasons.
    by_id: dict[int, Status] = {}
    times: Counter[int] = Counter()
    for status in statuses:
        key = id(status)
        by_id[key] = status
        times[key] += 1
    counts: dict[str, int] = {}
    for key, n in times.items():
        status = by_id[key]
        for reason in status.reasons or (status.code.value,):
            counts[reason] = counts.get(reason, 0) + n
    return ", ".join(sorted(f"{n} {reason}" for reason, n in counts.items()))


def fit_error(
    statuses: Mapping[str, Status],
    *,
    prefilter_message: str = "",
    postfilter_message: str = "",
) -> str:
    """The sentence for ``statuses`` (every node's failing status, by node name).

    With no node at all, kube-scheduler never builds a FitError and says
    :data:`NO_NODES` instead.
    """
    if not statuses:
        return NO_NODES
    sentence = f"0/{len(statuses)} nodes are available:"
    if prefilter_message:
        sentence += f" {prefilter_message}."
    else:
        histogram = reason_histogram(statuses.values())
        if histogram:
            sentence += f" {histogram}."
    if postfilter_message:
        sentence += f" {postfilter_message}"
    return sentence
