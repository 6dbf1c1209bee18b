"""Known bugs in classic models are found with traces of their known shortest length,
and the corrected versions are proved."""

from __future__ import annotations

import pytest

from fmlab.core.result import Proved, Refuted
from fmlab.mc import PropertyKind, Status, Trace, check, check_deadlock, check_invariant
from tests.mc.conftest import classic


def test_naive_mutex_fails_with_the_four_step_race() -> None:
    report = check(classic("mutex_naive"))
    prop = report["inv_mutual_exclusion"]
    assert prop.status is Status.VIOLATED
    assert prop.kind is PropertyKind.INVARIANT
    trace = prop.trace
    assert trace is not None
    assert len(trace) == 4
    assert [str(a).split("(")[0] for a in trace.actions] == ["test", "test", "enter", "enter"]
    assert trace.states[-1][:2] == ("critical", "critical")
    assert isinstance(prop.result, Refuted)
    assert prop.result.replayed_by == "replaying init and next"


def test_peterson_keeps_mutual_exclusion_exhaustively() -> None:
    result = check_invariant(classic("mutex_peterson"), "inv_mutual_exclusion")
    assert isinstance(result, Proved)
    assert result.bound is not None
    assert result.bound.endswith("exhaustive")


def test_philosophers_deadlock_after_three_left_forks() -> None:
    result = check_deadlock(classic("philosophers"))
    assert isinstance(result, Refuted)
    trace = result.witness
    assert isinstance(trace, Trace)
    assert len(trace) == 3
    assert sorted(str(a) for a in trace.actions) == ["take_left(0)", "take_left(1)", "take_left(2)"]
    assert check(classic("philosophers"))["inv_forks_held_by_neighbours"].status is Status.HOLDS


def test_ordered_philosophers_never_deadlock() -> None:
    report = check(classic("philosophers_ordered"))
    assert report["deadlock"].status is Status.HOLDS
    assert report.exit_code == 0


def test_lost_update_needs_four_steps_and_the_lock_fixes_it() -> None:
    lost = check(classic("lost_update"))
    trace = lost["inv_no_lost_update"].trace
    assert trace is not None
    assert len(trace) == 4
    assert trace.states[-1][0] == 1
    assert lost["deadlock"].status is Status.HOLDS  # ends are declared terminal
    fixed = check(classic("locked_update"))
    assert fixed.holds
    assert fixed["inv_no_lost_update"].reason.endswith("exhaustive")


def test_a_state_count_is_the_reachable_set() -> None:
    # Naive mutex: pcs idle/tested/critical with flags tied to "critical": counted by hand.
    report = check(classic("mutex_naive"))
    phases = ("idle", "tested", "critical")
    states = {(a, b) for a in phases for b in phases}
    assert report.states == len(states)


@pytest.mark.parametrize("name", ["mutex_naive", "philosophers", "lost_update"])
def test_exit_code_of_a_violation_is_one(name: str) -> None:
    assert check(classic(name)).exit_code == 1
