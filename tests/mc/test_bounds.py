"""Bounds always stop the search, and a stopped search answers unknown with its counts,
never "holds"."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.core.result import Unknown, UnknownReason
from fmlab.mc import (
    Model,
    ModelError,
    Status,
    check,
    check_leads_to,
    check_refinement,
    explore,
    load_model,
)
from tests.mc.conftest import MODELS

ENDLESS = MODELS / "broken" / "endless.py"


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 5000))
def test_max_states_stops_an_infinite_search_exactly(limit: int) -> None:
    report = check(load_model(ENDLESS), max_states=limit)
    assert report.states == limit
    assert not report.complete
    assert {p.status for p in report.properties} == {Status.UNKNOWN}
    assert report.exit_code == 3
    assert f"{limit:,} states" in report["inv_anything"].reason


def test_max_depth_stops_and_says_so() -> None:
    report = check(load_model(ENDLESS), max_depth=10)
    assert report.states == 11
    assert "depth 10" in report["inv_anything"].reason


def test_a_depth_bound_beyond_the_diameter_still_proves() -> None:
    model = Model(lambda: [0], lambda s: [("inc", (s + 1) % 5)])
    assert check(model, max_depth=4).holds
    assert not check(model, max_depth=3).holds


def test_timeout_stops_an_endless_search() -> None:
    started = time.perf_counter()
    report = check(load_model(ENDLESS), timeout=0.5)
    assert time.perf_counter() - started < 5
    unknown = report["inv_anything"].result
    assert isinstance(unknown, Unknown)
    assert unknown.reason is UnknownReason.TIMEOUT


def test_the_alarm_rings_again_when_its_first_interruption_is_lost() -> None:
    # Seen in the full test run: the alarm's exception raised inside a garbage-collector
    # callback, where Python ignores exceptions; a model hanging then would hang for good.
    started = time.perf_counter()
    report = check(load_model(MODELS / "broken" / "swallows_the_alarm.py"), timeout=0.5)
    assert time.perf_counter() - started < 10
    assert report["deadlock"].result.reason is UnknownReason.TIMEOUT


def test_timeout_stops_a_next_that_never_returns() -> None:
    started = time.perf_counter()
    report = check(load_model(MODELS / "broken" / "hangs.py"), timeout=0.5)
    assert time.perf_counter() - started < 5
    assert report.exit_code == 3


@pytest.mark.parametrize("bounds", [{"max_states": 50}, {"max_depth": 5}, {"timeout": 0.3}])
def test_liveness_refinement_and_explore_are_bounded_too(bounds: dict[str, float]) -> None:
    model = load_model(ENDLESS)
    result = check_leads_to(model, lambda s: s == 0, lambda s: s < 0, weak=("step",), **bounds)
    assert isinstance(result, Unknown)
    inclusion = check_refinement(model, model, **bounds)
    assert isinstance(inclusion, Unknown)
    assert not explore(model, **bounds).complete


def test_a_violation_found_before_the_bound_is_still_reported() -> None:
    model = Model(lambda: [0], lambda s: [("step", s + 1)], invariants={"inv_low": lambda s: s < 3})
    report = check(model, max_states=100)
    assert report["inv_low"].status is Status.VIOLATED
    assert report["deadlock"].status is Status.UNKNOWN


def test_a_lasso_in_a_bounded_search_is_real() -> None:
    # 0 -> 1 -> 0 ... and 1 -> 2 -> 3 -> ... forever: the cycle lies inside the bound.
    def step(s: int) -> list[tuple[str, int]]:
        if s == 0:
            return [("go", 1)]
        if s == 1:
            return [("back", 0), ("on", 2)]
        return [("on", s + 1)]

    model = Model(lambda: [0], step)
    result = check_leads_to(model, lambda s: s == 0, lambda s: s > 100, max_states=20)
    assert result.refuted


def _counting_model(*, endless_init: bool = False, endless_next: bool = False) -> Model:
    import itertools

    def init() -> object:
        return itertools.count() if endless_init else [0]

    def next_state(state: int) -> object:
        if endless_next:
            return (("step", n) for n in itertools.count())
        return [("step", state + 1)] if state < 3 else []

    return Model(init, next_state, invariants={"inv_small": lambda s: s < 2_000_000})


@pytest.mark.parametrize(
    ("endless", "says"),
    [("init", "init() yielded more than 1,000,000"), ("next", "next(state) yielded more")],
)
def test_an_endless_init_or_next_is_an_error_never_a_cut_short_proof(
    endless: str, says: str
) -> None:
    # init() once was read up to 1,000,001 states and the search called exhaustive: here
    # the invariant breaks at state 2,000,000, beyond what was read.
    model = _counting_model(endless_init=endless == "init", endless_next=endless == "next")
    with pytest.raises(ModelError, match=says.replace("(", r"\(").replace(")", r"\)")):
        check(model)
    spec = _counting_model()
    with pytest.raises(ModelError, match=says.replace("(", r"\(").replace(")", r"\)")):
        check_refinement(model, spec)
    with pytest.raises(ModelError, match=says.replace("(", r"\(").replace(")", r"\)")):
        check_refinement(spec, model)
