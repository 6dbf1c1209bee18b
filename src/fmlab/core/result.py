"""The one answer every check in fmlab gives: proved, refuted with a witness, or unknown.

A solver can say three things about a claim, and the library keeps all three apart
all the way to the reader:

* :class:`Proved`: no counterexample exists (within ``bound`` when the search was bounded,
  as Alloy's ``check`` is);
* :class:`Refuted`: here is a witness, and it was re-checked by concrete evaluation
  before anyone sees it;
* :class:`Unknown`: the solver gave up, with a reason (timeout, an unsupported construct,
  an incomplete theory, or a witness that failed its replay).

An ``Unknown`` is never truthy in the sense of "proved": ``result.proved`` is
``True`` for :class:`Proved` only, and code that wants a yes/no must say what to do with
the third answer.

>>> ok = Proved("x + 0 == x")
>>> ok.proved, ok.verdict.value
(True, 'proved')
>>> bad = refute("x > 0 for all x", {"x": 0}, replay=lambda w: not w["x"] > 0)
>>> bad.verdict.value, bad.witness
('refuted', {'x': 0})
>>> refute("x > 0 for all x", {"x": 5}, replay=lambda w: not w["x"] > 0).verdict.value
'unknown'
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from fmlab.core.exitcode import ExitCode

__all__ = [
    "CheckResult",
    "Proved",
    "Refuted",
    "Unknown",
    "UnknownReason",
    "Verdict",
    "exit_code",
    "refute",
]

W = TypeVar("W")


class Verdict(enum.Enum):
    """The three answers, as they appear in JSON output and exit codes."""

    PROVED = "proved"
    REFUTED = "refuted"
    UNKNOWN = "unknown"


class UnknownReason(enum.Enum):
    """Why a check could not decide."""

    TIMEOUT = "timeout"
    """The solver ran out of its time or resource budget."""
    UNSUPPORTED = "unsupported"
    """The input uses a construct the encoding does not cover."""
    INCOMPLETE = "incomplete"
    """The solver answered ``unknown`` for another reason (an incomplete theory, say)."""
    WITNESS_NOT_CONFIRMED = "witness-not-confirmed"
    """The solver produced a witness that concrete evaluation did not confirm.

    This points at a bug in an encoding; showing the witness anyway would be a lie.
    """


class _Answer:
    """What the three results share: their verdict, and yes/no views of it."""

    verdict: ClassVar[Verdict]

    @property
    def proved(self) -> bool:
        return self.verdict is Verdict.PROVED

    @property
    def refuted(self) -> bool:
        return self.verdict is Verdict.REFUTED


@dataclass(frozen=True)
class Proved(_Answer):
    """The claim holds. ``bound`` says how far the search went when it was bounded."""

    verdict: ClassVar[Verdict] = Verdict.PROVED
    claim: str
    bound: str | None = None

    def explain(self) -> str:
        suffix = f" ({self.bound})" if self.bound else ""
        return f"proved: {self.claim}{suffix}"

    def to_json(self) -> dict[str, Any]:
        return {"verdict": "proved", "claim": self.claim, "bound": self.bound}


@dataclass(frozen=True)
class Refuted(_Answer, Generic[W]):
    """The claim fails, and ``witness`` shows how.

    Build it with :func:`refute`, which replays the witness first; ``replayed_by``
    records what did the replay so a reader can see that it happened.
    """

    verdict: ClassVar[Verdict] = Verdict.REFUTED
    claim: str
    witness: W
    replayed_by: str = "concrete evaluation"
    bound: str | None = None

    def explain(self) -> str:
        return f"refuted: {self.claim}\n  witness (confirmed by {self.replayed_by}): {self.witness}"

    def to_json(self) -> dict[str, Any]:
        witness: Any = self.witness
        to_json = getattr(witness, "to_json", None)
        if callable(to_json):
            witness = to_json()
        return {
            "verdict": "refuted",
            "claim": self.claim,
            "witness": witness,
            "replayed_by": self.replayed_by,
            "bound": self.bound,
        }


@dataclass(frozen=True)
class Unknown(_Answer):
    """The check could not decide; ``detail`` is meant for a human."""

    verdict: ClassVar[Verdict] = Verdict.UNKNOWN
    claim: str
    reason: UnknownReason
    detail: str = ""
    stats: dict[str, Any] = field(default_factory=dict, compare=False)

    def explain(self) -> str:
        detail = f": {self.detail}" if self.detail else ""
        return f"unknown ({self.reason.value}): {self.claim}{detail}"

    def to_json(self) -> dict[str, Any]:
        return {
            "verdict": "unknown",
            "claim": self.claim,
            "reason": self.reason.value,
            "detail": self.detail,
        }


CheckResult = Proved | Refuted[W] | Unknown
"""What every check returns. Match on it, or read ``.verdict``."""


def refute(
    claim: str,
    witness: W,
    *,
    replay: Callable[[W], bool],
    replayed_by: str = "concrete evaluation",
    bound: str | None = None,
) -> Refuted[W] | Unknown:
    """Return :class:`Refuted` only if ``replay(witness)`` confirms the witness.

    ``replay`` must evaluate the claim concretely on the witness and return ``True`` when
    the witness really violates it. A witness that fails its replay becomes an
    :class:`Unknown` with reason ``WITNESS_NOT_CONFIRMED``: the encoding disagreed with the
    concrete semantics, and the reader deserves to know that rather than see a false witness.
    An exception raised by ``replay`` is treated the same way.
    """
    try:
        confirmed = replay(witness)
    except Exception as error:  # a crashing replay confirms nothing
        return Unknown(
            claim,
            UnknownReason.WITNESS_NOT_CONFIRMED,
            f"replay raised {type(error).__name__}: {error}; witness was {witness!r}",
        )
    if not confirmed:
        return Unknown(
            claim,
            UnknownReason.WITNESS_NOT_CONFIRMED,
            f"the solver's witness {witness!r} does not violate the claim when evaluated",
        )
    return Refuted(claim, witness, replayed_by, bound)


def exit_code(
    answer: Proved | Refuted[Any] | Unknown | Verdict, *, unknown_fails: bool = False
) -> ExitCode:
    """The CLI's exit code for one answer: 0 proved, 1 refuted, 3 unknown.

    ``unknown_fails`` is for a command that works as a gate, as a type checker does: it
    passes only what it proves, so an unknown exits 1, like a finding (``fmlab refine
    check`` says so in its help).

    >>> exit_code(Verdict.UNKNOWN), exit_code(Verdict.UNKNOWN, unknown_fails=True)
    (<ExitCode.UNKNOWN: 3>, <ExitCode.FINDING: 1>)
    """
    verdict = answer if isinstance(answer, Verdict) else answer.verdict
    if unknown_fails and verdict is Verdict.UNKNOWN:
        return ExitCode.FINDING
    return _EXIT_CODES[verdict]


_EXIT_CODES = {
    Verdict.PROVED: ExitCode.OK,
    Verdict.REFUTED: ExitCode.FINDING,
    Verdict.UNKNOWN: ExitCode.UNKNOWN,
}
"""The one table from answers to exit codes."""
