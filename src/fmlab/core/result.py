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

``explain()`` says the answer in words, wrapped to fit a page (76 characters unless told
otherwise), and a notebook shows a result that way (``_repr_pretty_``): a witness too wide
for one line is printed across several, indented under its heading.

>>> print(bad.explain())
refuted: x > 0 for all x
  witness (confirmed by concrete evaluation): {'x': 0}
>>> wide = Refuted("no two pods share a port", {f"pod-{i}": {"port": 8080} for i in range(4)})
>>> print(wide.explain(width=50))
refuted: no two pods share a port
  witness (confirmed by concrete evaluation):
    {'pod-0': {'port': 8080},
     'pod-1': {'port': 8080},
     'pod-2': {'port': 8080},
     'pod-3': {'port': 8080}}
"""

from __future__ import annotations

import enum
import pprint
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Protocol, TypeVar

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

PAGE_WIDTH = 76
"""The width ``explain()`` wraps to by default: a line of a notebook's output on the site,
whose output boxes hold 77 characters at 1280 px (the chapters' own explanations use 76)."""

_INDENT = "  "


class _PrettyPrinter(Protocol):
    """The part of IPython's ``RepresentationPrinter`` that ``_repr_pretty_`` uses."""

    def text(self, text: str) -> None: ...

    def break_(self) -> None: ...


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` as lines of at most ``width`` characters, its own line breaks kept.

    Continuation lines get two more spaces than ``indent``; a word longer than a whole
    line (a path, a long identifier) is cut, so that nothing runs off the page.
    """
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines += textwrap.wrap(
            paragraph,
            width=width,
            initial_indent=indent,
            subsequent_indent=indent + _INDENT,
            break_on_hyphens=False,
        ) or [indent]
    return lines


def _witness_lines(heading: str, witness: object, width: int) -> list[str]:
    """``heading: witness`` on one line when it fits, else the witness indented below it."""
    one_line = f"{_INDENT}{heading}: {witness}"
    if len(one_line) <= width and "\n" not in one_line:
        return [one_line]
    body = _INDENT * 2
    if isinstance(witness, (dict, list, tuple, set, frozenset)):
        shown = pprint.pformat(witness, width=max(width - len(body), 20), sort_dicts=False)
    else:
        # A witness that lays itself out over several lines may open with a blank line or
        # an indent of its own (made for the old one-line heading): one indent is enough.
        shown = textwrap.dedent(str(witness)).strip("\n")
    lines = _wrap(f"{heading}:", width, _INDENT)
    for line in shown.splitlines():
        lines += _wrap(line, width, body) if len(body + line) > width else [body + line]
    return lines


def _pretty(answer: _Answer, printer: _PrettyPrinter, cycle: bool) -> None:
    """IPython's display of a result: its explanation, line by line."""
    for number, line in enumerate(answer.explain().splitlines()):
        if number:
            printer.break_()
        printer.text(line)


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

    def explain(self, width: int = PAGE_WIDTH) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Proved(_Answer):
    """The claim holds. ``bound`` says how far the search went when it was bounded."""

    verdict: ClassVar[Verdict] = Verdict.PROVED
    claim: str
    bound: str | None = None

    # In each class, not in _Answer: IPython prefers a class's own __repr__ (the
    # dataclass's) to a _repr_pretty_ it inherits.
    _repr_pretty_ = _pretty

    def explain(self, width: int = PAGE_WIDTH) -> str:
        """``proved: claim (bound)``, wrapped at ``width`` characters."""
        suffix = f" ({self.bound})" if self.bound else ""
        return "\n".join(_wrap(f"proved: {self.claim}{suffix}", width))

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

    # In each class, not in _Answer: IPython prefers a class's own __repr__ (the
    # dataclass's) to a _repr_pretty_ it inherits.
    _repr_pretty_ = _pretty

    def explain(self, width: int = PAGE_WIDTH) -> str:
        """``refuted: claim`` and the witness below it, wrapped at ``width`` characters."""
        heading = f"witness (confirmed by {self.replayed_by})"
        lines = _wrap(f"refuted: {self.claim}", width)
        return "\n".join([*lines, *_witness_lines(heading, self.witness, width)])

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

    # In each class, not in _Answer: IPython prefers a class's own __repr__ (the
    # dataclass's) to a _repr_pretty_ it inherits.
    _repr_pretty_ = _pretty

    def explain(self, width: int = PAGE_WIDTH) -> str:
        """``unknown (reason): claim: detail``, wrapped at ``width`` characters."""
        detail = f": {self.detail}" if self.detail else ""
        return "\n".join(_wrap(f"unknown ({self.reason.value}): {self.claim}{detail}", width))

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
