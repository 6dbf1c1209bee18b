"""SPIN as an independent reference on random models: the same reachable states, the same
verdicts and the same shortest counterexample lengths as both of fmlab.mc's paths.

Each random model is written twice from one description: as a ``VectorModel`` (checked on
the fast path and, through its plain view, on the plain path) and as Promela text with
one guarded ``d_step`` per action, so a SPIN state is a valuation of the variables. Each
model costs two gcc builds of SPIN's verifier, so the examples are few and fixed (a seeded
generator), not a Hypothesis search.

What this test found: SPIN hides a variable that is written but never read (``man spin``,
option ``-o2``), so a model whose invariant ignores a variable that no guard reads has
fewer SPIN states than valuations (seed 3: 2 against 4), verdicts unchanged. Both twins
therefore also check ``inv_in_range``, which reads every variable, as the chapter's CRI
twins do through their properties.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fmlab.mc import Report, VectorAction, VectorModel, check, explore, run_spin

NAMES = ("a", "b", "c")
# Chosen from the first 400 seeds for variety: the largest space (130: 100 states), the
# longest invariant trace (125: 6 steps), the longest deadlock trace (274: 5 steps), a
# deadlock among 30 states (150), and two more (45, 16).
SEEDS = (130, 125, 274, 150, 45, 16)


@dataclass(frozen=True)
class Action:
    target: str
    source: str
    add: int
    guard: tuple[str, str, int] | None
    """``(variable, "<" or "!=", constant)``, or ``None`` for always enabled."""


@dataclass(frozen=True)
class Description:
    sizes: dict[str, int]
    start: dict[str, int]
    actions: tuple[Action, ...]
    avoid: tuple[str, int]
    """The invariant: variable ``avoid[0]`` never equals ``avoid[1]``."""


def describe(seed: int) -> Description:
    chance = random.Random(seed)
    sizes = {name: chance.randint(2, 5) for name in NAMES}
    actions = []
    for _ in range(chance.randint(2, 5)):
        target, source, guarded = (chance.choice(NAMES) for _ in range(3))
        kind = chance.choice([None, "<", "!=", "=="])
        guard = None if kind is None else (guarded, kind, chance.randint(0, 4))
        actions.append(Action(target, source, chance.randint(1, 4), guard))
    start = {name: chance.randrange(sizes[name]) for name in NAMES}
    avoided = chance.choice(NAMES)
    return Description(sizes, start, tuple(actions), (avoided, chance.randrange(sizes[avoided])))


def vector_model(description: Description) -> VectorModel:
    def guard(action: Action) -> Any:
        if action.guard is None:
            return None
        name, operator, constant = action.guard
        if operator == "<":
            return lambda v: v[name] < constant
        if operator == "==":
            return lambda v: v[name] == constant
        return lambda v: v[name] != constant

    def update(action: Action) -> Any:
        size = description.sizes[action.target]
        return lambda v: {action.target: (v[action.source] + action.add) % size}

    name, value = description.avoid
    sizes = description.sizes
    return VectorModel(
        variables=description.sizes,
        init=[description.start],
        actions=[
            VectorAction(f"act{index}", guard(action), update(action))
            for index, action in enumerate(description.actions)
        ],
        invariants={
            "inv_avoid": lambda v: v[name] != value,
            "inv_in_range": lambda v: (v.a < sizes["a"]) & (v.b < sizes["b"]) & (v.c < sizes["c"]),
        },
    )


def promela(description: Description) -> str:
    declarations = ", ".join(f"{name} = {description.start[name]}" for name in NAMES)
    options = []
    for action in description.actions:
        size = description.sizes[action.target]
        assignment = f"{action.target} = ({action.source} + {action.add}) % {size}"
        guard = "" if action.guard is None else "({} {} {}) -> ".format(*action.guard)
        options.append(f"  :: d_step {{ {guard}{assignment} }}")
    name, value = description.avoid
    in_range = " && ".join(f"{n} < {description.sizes[n]}" for n in NAMES)
    return (
        f"byte {declarations};\n"
        "active proctype model() {\n  do\n" + "\n".join(options) + "\n  od\n}\n"
        f"ltl inv_avoid {{ [] ({name} != {value}) }}\n"
        f"ltl inv_in_range {{ [] ({in_range}) }}\n"
    )


def _verdicts(report: Report) -> dict[str, tuple[str, int | None]]:
    return {
        p.name: (p.status.value, None if p.trace is None else len(p.trace))
        for p in report.properties
    }


@pytest.mark.parametrize("seed", SEEDS)
def test_spin_fast_path_and_plain_path_agree(seed: int, tmp_path: Path) -> None:
    description = describe(seed)
    source = tmp_path / f"random{seed}.pml"
    source.write_text(promela(description), encoding="utf-8")
    spin = run_spin(source)
    fast = check(vector_model(description))
    plain_model = vector_model(description).to_plain_model()
    plain = check(plain_model)
    assert spin.complete, spin
    reachable = len(explore(plain_model))  # (check stops once every property is violated)
    assert spin.states == reachable, promela(description)
    assert _verdicts(spin) == _verdicts(fast) == _verdicts(plain), promela(description)


def test_the_seeds_cover_holds_and_violations() -> None:
    # The examples are only worth their build time if they exercise both answers.
    outcomes = set()
    for seed in SEEDS:
        report = check(vector_model(describe(seed)))
        outcomes |= {(p.name, p.status.value) for p in report.properties}
    assert {("inv_avoid", "holds"), ("inv_avoid", "violated")} <= outcomes
    assert {("deadlock", "holds"), ("deadlock", "violated")} <= outcomes
