"""SPIN and fmlab.mc agree on the chapter's models: every verdict, the number of reachable
states wherever both searched exhaustively, and the length of every shortest counterexample.

The Promela twins (``src/fmlab/mc/models/*.pml``) take one d_step per step of the Python
models, so a state of one is a state of the other and the counts must be equal, not merely
close. SPIN's runs are breadth-first with partial-order reduction off (tests/mc/models_spin.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fmlab.mc import Model, check, check_invariant, check_leads_to, load_model, run_spin
from fmlab.mc.models import cri, promela_path, rkt_immutable, rkt_mutable, rktlet
from tests.mc.models_spin import PromelaModel

CRI_INVARIANTS = (
    "sandbox_stable",
    "create_possible_when_ready",
    "stop_sandbox_idempotent",
    "remove_sandbox_idempotent",
    "stop_container_idempotent",
    "remove_container_idempotent",
)


@dataclass(frozen=True)
class Case:
    name: str
    promela: str
    defines: dict[str, int]
    namespace: Callable[[], dict[str, Any]]
    invariants: tuple[str, ...]

    def __str__(self) -> str:
        return self.name


def cases() -> list[Case]:
    found = []
    for n in (1, 2, 3):
        found.append(
            Case(f"cri-{n}", "cri", {"N": n}, lambda n=n: cri.namespace(n), CRI_INVARIANTS)
        )
    for n in (1, 2):
        for preloaded in (False, True):
            found.append(
                Case(
                    f"immutable-{n}-{'preloaded' if preloaded else 'empty'}",
                    "rkt_immutable",
                    {"N": n, "PRELOADED": int(preloaded)},
                    lambda n=n, p=preloaded: rkt_immutable.namespace(n, preloaded=p),
                    ("sandbox_stable", "create_possible_when_ready", "stop_container_idempotent"),
                )
            )
        for survives in (True, False):
            found.append(
                Case(
                    f"mutable-{n}-{'3478' if survives else 'before-3478'}",
                    "rkt_mutable",
                    {"N": n, "SURVIVES_APP_EXIT": int(survives)},
                    lambda n=n, s=survives: rkt_mutable.namespace(n, survives_app_exit=s),
                    ("sandbox_stable", "add_possible_when_running"),
                )
            )
        for label, mapping, defines in (
            ("rktlet", rktlet.RKTLET_MAPPING, {}),
            ("before-142", rktlet.BEFORE_PR_142, {"WAIT_AFTER_STOP": 0}),
            ("add-starts", rktlet.ADD_STARTS, {"ADD_STARTS": 1}),
        ):
            found.append(
                Case(
                    f"{label}-{n}",
                    "rktlet",
                    {"N": n, **defines},
                    lambda n=n, m=mapping: rktlet.namespace(n, mapping=m),
                    CRI_INVARIANTS,
                )
            )
    return found


@pytest.mark.parametrize("case", cases(), ids=str)
def test_spin_and_fmlab_mc_agree(case: Case, tmp_path: Path) -> None:
    model = Model.from_namespace(case.namespace(), name=case.name)
    report = check(model)
    spin = PromelaModel(tmp_path, case.promela, case.defines)
    for name in case.invariants:
        ours = check_invariant(model, f"inv_{name}")
        theirs = spin.safety(f"inv_{name}")
        assert theirs.holds is ours.proved, (case.name, name)
        if ours.proved:
            assert theirs.states == report.states, (case.name, name)
        else:
            assert theirs.trail_steps == len(ours.witness.actions), (case.name, name)
    deadlock = spin.deadlock()
    assert deadlock.holds is report["deadlock"].result.proved
    assert deadlock.states == report.states


@pytest.mark.parametrize("fair", [True, False])
def test_spin_and_fmlab_mc_agree_on_liveness_with_and_without_fairness(
    fair: bool, tmp_path: Path
) -> None:
    model = Model.from_namespace(cri.namespace(2, fair=fair))
    ours = check_leads_to(
        model, *cri.leadsto_removal_completes, weak=model.weak_fairness, name="removal"
    )
    theirs = PromelaModel(tmp_path, "cri", {"N": 2}).liveness(
        "leadsto_removal_completes", fair=fair
    )
    assert ours.proved is fair
    assert theirs.holds is fair


@pytest.mark.parametrize("name", ["cri", "rkt_immutable", "rkt_mutable", "rktlet"])
def test_fmlab_mc_spin_on_each_twin_agrees_with_checking_the_model_file(name: str) -> None:
    """The public ``run_spin`` (``fmlab mc spin``) on a twin as shipped, beside ``check`` on
    the Python file as shipped: the same property names, verdicts and state count."""
    module = {"cri": cri, "rkt_immutable": rkt_immutable, "rkt_mutable": rkt_mutable}.get(
        name, rktlet
    )
    ours = check(load_model(Path(module.__file__)))
    theirs = run_spin(promela_path(name), weak_fairness=bool(ours_fairness(name)))
    assert {p.name: p.status for p in theirs.properties} == {
        p.name: p.status for p in ours.properties
    }
    assert theirs.states == ours.states


def ours_fairness(name: str) -> tuple[str, ...]:
    return cri.WEAK_FAIRNESS if name == "cri" else ()


def test_fmlab_mc_spin_with_definitions_checks_another_size() -> None:
    ours = check(Model.from_namespace(rkt_immutable.namespace(3, preloaded=True)))
    theirs = run_spin(promela_path("rkt_immutable"), defines={"N": 3, "PRELOADED": 1})
    assert {p.name: p.status for p in theirs.properties} == {
        p.name: p.status for p in ours.properties
    }
    assert theirs.states == ours.states == 101
