"""The steps of SelectVictimsOnNode, recorded one by one so that a reader can replay them.

:func:`fmlab.k8s._preemption.explain_victim_selection` returns them: first every
lower-priority pod is set aside and the fit checked; then each is put back in turn
(PodDisruptionBudget-violating pods first), staying if the pending pod still fits and
becoming a victim otherwise.

>>> step = VictimStep(StepAction.PUT_BACK, ("default/a",), True, (), (), ())
>>> step.describe(), step.caption
('put back default/a: still fits, so it stays', 'put back a')
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from fmlab.k8s._text import LINE_WIDTH, fold


class StepAction(enum.Enum):
    REMOVE_LOWER = "remove every lower-priority pod"
    PUT_BACK = "put back"


@dataclass(frozen=True)
class VictimStep:
    """One what-if on the node, and the situation right after it.

    ``pods`` are the pods the step moves; ``fits`` whether the pending pod passes the
    filters afterwards (with ``reasons`` when not); ``set_aside`` the pods off the node
    after the step; ``victims`` the victims decided so far; ``violates_pdb`` whether a
    pod put back is one whose eviction would break a PodDisruptionBudget.
    """

    action: StepAction
    pods: tuple[str, ...]
    fits: bool
    reasons: tuple[str, ...]
    set_aside: tuple[str, ...]
    victims: tuple[str, ...]
    violates_pdb: bool = False

    @property
    def caption(self) -> str:
        """A short title, e.g. for a tab: pods by name, without their namespace."""
        if self.action is StepAction.REMOVE_LOWER:
            return f"set aside {len(self.pods)}"
        return f"put back {', '.join(key.rpartition('/')[2] for key in self.pods)}"

    @property
    def sentence(self) -> str:
        """One sentence, on one line: what was done and what the filters said."""
        if self.action is StepAction.REMOVE_LOWER:
            verdict = "fits" if self.fits else f"does not fit ({'; '.join(self.reasons)})"
            return f"{self.action.value} ({', '.join(self.pods)}): the pod {verdict}"
        outcome = "still fits, so it stays" if self.fits else "no longer fits, so it is a victim"
        return f"put back {', '.join(self.pods)}: {outcome}"

    def describe(self, width: int = LINE_WIDTH) -> str:
        """:attr:`sentence`, folded to lines of at most ``width`` characters."""
        return fold(self.sentence, width)
