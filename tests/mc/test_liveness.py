"""Liveness under fairness: models that hold only under the right fairness fail without it,
with a lasso whose cycle really is fair (replayed)."""

from __future__ import annotations

import pytest

from fmlab.core.result import Proved, Refuted
from fmlab.mc import Model, Trace, check, check_leads_to
from tests.mc.conftest import classic


def _leadsto(model: Model, weak: tuple[str, ...] = (), strong: tuple[str, ...] = ()):
    ((name, prop),) = model.liveness.items()
    return check_leads_to(model, prop.p, prop.q, weak=weak, strong=strong, name=name)


def test_busy_loop_starves_without_fairness() -> None:
    result = _leadsto(classic("busy_loop"))
    assert isinstance(result, Refuted)
    lasso = result.witness
    assert isinstance(lasso, Trace)
    assert lasso.is_lasso
    cycle = lasso.actions[lasso.loop_start :]
    assert set(cycle) == {"spin"}
    assert lasso.states[-1] == lasso.states[lasso.loop_start]


def test_busy_loop_progresses_under_weak_fairness_of_go() -> None:
    assert isinstance(_leadsto(classic("busy_loop"), weak=("go",)), Proved)


def test_weak_fairness_of_the_spinner_does_not_help() -> None:
    assert isinstance(_leadsto(classic("busy_loop"), weak=("spin",)), Refuted)


def test_flicker_needs_strong_fairness() -> None:
    weak = _leadsto(classic("flicker"), weak=("enter", "toggle"))
    assert isinstance(weak, Refuted)
    lasso = weak.witness
    assert isinstance(lasso, Trace)
    # The cycle must see the light off (enter disabled) to be weakly fair.
    assert any(s[0] == "off" for s in lasso.states[lasso.loop_start :])
    assert isinstance(_leadsto(classic("flicker"), strong=("enter",)), Proved)


def _two_workers() -> Model:
    """Worker i goes from waiting to done (``go(i)``) and back (``back(i)``)."""

    def next_state(state: tuple[str, str]):  # type: ignore[no-untyped-def]
        for i in (0, 1):
            flipped = "done" if state[i] == "waiting" else "waiting"
            label = f"go({i})" if state[i] == "waiting" else f"back({i})"
            yield label, (flipped, state[1]) if i == 0 else (state[0], flipped)

    return Model(lambda: [("waiting", "waiting")], next_state)


def test_a_fair_name_makes_each_of_its_labels_fair_on_its_own() -> None:
    workers = _two_workers()

    # Worker 0 going back and forth takes "go" infinitely often, but go(1) stays enabled:
    # per-label fairness of "go" forbids starving worker 1 (a fairness of "some go" would
    # not).
    def p(s: tuple[str, str]) -> bool:
        return s[1] == "waiting"

    def q(s: tuple[str, str]) -> bool:
        return s[1] == "done"

    assert isinstance(check_leads_to(workers, p, q, weak=("go",)), Proved)
    only_worker_0 = check_leads_to(workers, p, q, weak=("go(0)", "back(0)"))
    assert isinstance(only_worker_0, Refuted)
    assert isinstance(check_leads_to(workers, p, q, weak=("go(1)",)), Proved)
    assert isinstance(check_leads_to(workers, p, q, strong=("go(1)",)), Proved)


def test_peterson_entry_under_weak_fairness() -> None:
    report = check(classic("mutex_peterson"))
    assert report["leadsto_entry0"].status.value == "holds"


def test_stopping_before_q_is_a_violation_that_stutters() -> None:
    model = Model(
        init=lambda: [0],
        next=lambda s: [("step", s + 1)] if s < 2 else [],
        terminal=lambda s: True,
    )
    result = check_leads_to(model, lambda s: s == 0, lambda s: s == 5, weak=("step",))
    assert isinstance(result, Refuted)
    lasso = result.witness
    assert lasso.stutters
    assert lasso.states == (0, 1, 2)


@pytest.mark.parametrize("p_holds_nowhere", [True])
def test_vacuous_leads_to_holds(p_holds_nowhere: bool) -> None:
    result = check_leads_to(classic("busy_loop"), lambda s: False, lambda s: False)
    assert isinstance(result, Proved)
