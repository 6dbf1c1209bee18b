"""What the chapter's models share: states that print as the talk writes them, slot updates.

Every model keeps a pod (or sandbox) and a tuple of container or app slots ``c0, c1, ...``;
traces print states as ``pod=RUNNING c0=PREPARED c1=ABSENT``, so the enums print as their
bare names and one function lays a state out.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import TypeVar

_Slot = TypeVar("_Slot")


class Named(enum.Enum):
    """An enum whose members print as their bare names (``READY``, not ``Sandbox.READY``)."""

    def __repr__(self) -> str:
        return self.name

    __str__ = __repr__


def replaced(slots: tuple[_Slot, ...], index: int, value: _Slot) -> tuple[_Slot, ...]:
    """``slots`` with slot ``index`` set to ``value`` (states are frozen, so a new tuple)."""
    return (*slots[:index], value, *slots[index + 1 :])


def describe(owner: str, state: enum.Enum, slots: Sequence[enum.Enum], *, note: str = "") -> str:
    """``owner=STATE c0=... c1=...`` and an optional note in brackets, as traces print states."""
    named = " ".join(f"c{i}={slot.name}" for i, slot in enumerate(slots))
    text = f"{owner}={state.name} {named}".rstrip()
    return f"{text} ({note})" if note else text
