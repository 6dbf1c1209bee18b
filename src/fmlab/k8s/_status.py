"""Filter results with kube-scheduler's status codes.

``Unschedulable`` means preemption might help on that node; ``UnschedulableAndUnresolvable``
means it cannot, and preemption never tries that node.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Code(enum.Enum):
    """A filter's status code, as kube-scheduler names it."""

    SUCCESS = "Success"
    UNSCHEDULABLE = "Unschedulable"
    UNSCHEDULABLE_AND_UNRESOLVABLE = "UnschedulableAndUnresolvable"
    ERROR = "Error"


@dataclass(frozen=True)
class Status:
    """What one filter plugin said about one node: its code and reasons."""

    code: Code
    plugin: str = ""
    reasons: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.code is Code.SUCCESS

    def to_json(self) -> dict[str, object]:
        return {"code": self.code.value, "plugin": self.plugin, "reasons": list(self.reasons)}


SUCCESS = Status(Code.SUCCESS)


def unschedulable(plugin: str, *reasons: str) -> Status:
    return Status(Code.UNSCHEDULABLE, plugin, reasons)


def unresolvable(plugin: str, *reasons: str) -> Status:
    return Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, plugin, reasons)
