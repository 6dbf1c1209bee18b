"""The public :func:`decide`: one group of obligations, decided on its own.

The checker's own ``decide`` (:mod:`fmlab.refine._decide`) also takes what a function's
whole symbolic run learned (abstract refinements, callee results, facts about list
elements) and a record to fill in with what a counterexample took for granted. Both are
built and read by the checker alone, so the package's face offers the call a reader
makes by hand: the obligations of one location (:func:`group_obligations`), the values
of the function's inputs, and a time limit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fmlab.refine import _decide
from fmlab.refine._state import Obligation
from fmlab.refine._values import Value

__all__ = ["decide"]


def decide(
    obligations: Sequence[Obligation],
    inputs: Mapping[str, Value],
    *,
    timeout_ms: int | None = None,
) -> _decide.Decision:
    """Prove a group of obligations, or refute it with a replayed counterexample.

    ``obligations`` share one source location and message (one group of
    :func:`group_obligations`); ``inputs`` are the function's parameters as the symbolic
    run made them (``FunctionExecutor.inputs``). The answer is ``Proved``, ``Refuted``
    with the parameter values that break the claim (replayed before it is returned), or
    ``Unknown`` with a reason, for instance when ``timeout_ms`` ran out.
    """
    return _decide.decide(obligations, inputs, timeout_ms=timeout_ms)
