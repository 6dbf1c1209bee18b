"""How the cost of a bounded check grows with the scope: z3 against walking every world.

The claim is proved, so explicit enumeration has to visit every world: the worst case, and
the usual one when a check passes. The family model has one signature and one binary
relation, so scope n has sum over k <= n of 2^(k^2) worlds: 531 at 3, 66,067 at 4 and
over 33 million at 5, which is where enumeration stops being an option.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fmlab.core.result import Proved
from fmlab.relational import Model, all_, check, no
from fmlab.relational._enumerate import counterexample_by_enumeration, world_count
from fmlab.relational._syntax import Formula

# Run alone or through benchmarks/run.py: either way the harness module is beside us.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import Case

SUITE = "model-finding"
TASK = "check: acyclic implies no self-parent"


def _family(scope: int) -> tuple[Model, Formula]:
    m = Model("family", default_scope=scope)
    Person = m.sig("Person")  # noqa: N806 - Alloy-style signature name
    parent = m.relation("parent", Person, Person)
    m.fact(all_(Person, lambda p: no(p & p @ parent.closure())))
    return m, all_(Person, lambda p: no(p @ parent & p))


def cases() -> list[Case]:
    result = []
    for scope in (2, 3, 4, 6, 8, 10):
        model, claim = _family(scope)
        params = {"scope": scope, "worlds": world_count(model)}
        result.append(
            Case(
                SUITE,
                TASK,
                "fmlab (z3)",
                lambda m=model, c=claim: check(m, c, smallest=False),
                params,
                repeat=5,
                check=lambda r: isinstance(r, Proved),
            )
        )
        if scope <= 4:
            result.append(
                Case(
                    SUITE,
                    TASK,
                    "enumerate every world",
                    lambda m=model, c=claim: counterexample_by_enumeration(m, c) or "proved",
                    params,
                    repeat=3 if scope < 4 else 1,
                    baseline=True,
                    check=lambda r: r == "proved",
                )
            )
    return result
