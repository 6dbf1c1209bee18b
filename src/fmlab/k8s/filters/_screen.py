"""The first check of SelectVictimsOnNode for every node at once, as plain lists.

Its own module so that the cycle's shared state (:mod:`~fmlab.k8s.filters._base`) and
the array code that builds it (:mod:`~fmlab.k8s.filters._arrays`) can both name it
without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from fmlab.k8s._status import Status


@dataclass(frozen=True)
class PreemptionScreen:
    """Per node (by index): lower-priority pods present, and the fit once they are gone.

    ``pattern`` is 0 where the pod would fit, else a bit pattern of the fit failure whose
    status is in ``failures``. Nodes in ``unsure`` need the full procedure. ``room`` holds
    per node (the columns: free pod slots, then the free amount of each requested
    resource) what ``CycleState.room_without`` returns with every lower-priority pod
    removed and the nominated pods added, once the pod is placed. ``static_ok`` is the
    node-only filters' verdict. All are plain lists: the dry run reads them node by node,
    where indexing numpy arrays one element at a time would cost more.
    """

    has_victims: list[bool]
    pattern: list[int]
    failures: dict[int, Status]
    unsure: frozenset[int]
    room: list[list[int]]
    static_ok: list[bool]

    def room_of(self, index: int) -> list[int]:
        return [column[index] for column in self.room]
