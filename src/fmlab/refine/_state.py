"""A path through a function: the variables' symbolic values and what is known on the way.

The checker forks a :class:`State` at every branch instead of merging, so each path's
facts are a plain conjunction: the path condition plus what callees promised about
their results. ``exact`` turns false once a loop has been summarised by an invariant:
from then on a failing check may be due to a weak invariant rather than a real bug.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import z3

from fmlab.refine._terms import conjunction
from fmlab.refine._values import Value


@dataclass(frozen=True)
class State:
    env: Mapping[str, Value]
    facts: tuple[z3.BoolRef, ...] = ()
    exact: bool = True
    unrolled: Mapping[int, int] = field(default_factory=dict)
    # True once a generic or abstract call's result was described by a choice (one of the
    # inputs) rather than by what the callee computes: see checker.decide.
    modular: bool = False

    def assume(self, *facts: z3.BoolRef) -> State:
        return replace(self, facts=(*self.facts, *facts))

    def bind(self, name: str, value: Value) -> State:
        return replace(self, env={**self.env, name: value})

    def unbind(self, name: str) -> State:
        return replace(self, env={k: v for k, v in self.env.items() if k != name})

    def with_env(self, env: Mapping[str, Value]) -> State:
        return replace(self, env=dict(env))


@dataclass(frozen=True)
class Obligation:
    """Something that must hold on one path: ``facts`` imply ``goal``.

    ``kind`` groups the obligations of one source location (``precondition``, ``assert``,
    ``index``, ...); ``message`` is written in the user's own syntax.
    """

    kind: str
    line: int
    column: int
    message: str
    facts: tuple[z3.BoolRef, ...]
    goal: z3.BoolRef
    exact: bool
    modular: bool = False

    @property
    def key(self) -> tuple[str, int, int, str]:
        return (self.kind, self.line, self.column, self.message)

    def violation(self) -> z3.BoolRef:
        """The formula whose models are counterexamples: facts hold and the goal fails."""
        return conjunction([*self.facts, z3.Not(self.goal)])
