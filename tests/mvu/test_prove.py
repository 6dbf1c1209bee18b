"""Inductive proofs: proved, refuted with a replayed step, or unknown with the reason."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.mvu import App, h, prove_inductive
from fmlab.mvu._symbolic import SymInt, as_term, enumerate_paths
from fmlab.mvu.examples import counter, form, leaky_counter, todo, unbounded_counter


@dataclass(frozen=True)
class Pair:
    a: int
    b: int
    flag: bool


@dataclass(frozen=True)
class Step:
    by: int


@dataclass(frozen=True)
class Flip:
    pass


def _app(
    update: object, invariant: object, *, valid: object = None, first: Pair | None = None
) -> App:
    return App(
        init=lambda: first or Pair(0, 0, False),
        update=update,  # type: ignore[arg-type]
        view=lambda model: h("button", {"on_click": Step(1)}, ["+"]),
        invariants={"inv": invariant},  # type: ignore[dict-item]
        valid=valid,  # type: ignore[arg-type]
    )


def test_examples() -> None:
    assert prove_inductive(App.from_module(counter), "inv_in_range").proved
    assert prove_inductive(App.from_module(unbounded_counter), "inv_not_negative").proved
    assert prove_inductive(App.from_module(unbounded_counter), "inv_count_at_most_clicks").proved


def test_a_counterexample_to_induction_is_replayed() -> None:
    result = prove_inductive(App.from_module(leaky_counter), "inv_not_negative")
    assert result.refuted
    step = result.witness
    assert step.model.count >= 0
    assert step.next_model.count < 0
    assert "update and the invariant" in result.replayed_by


def test_valid_is_needed_when_update_trusts_the_view() -> None:
    app = App.from_module(unbounded_counter)
    assert prove_inductive(app, "inv_not_negative").proved
    without = App(app.init, app.update, app.view, invariants=app.invariants)
    result = prove_inductive(without, "inv_not_negative")
    assert result.refuted
    assert result.witness.model.count == 0


def test_an_invariant_that_holds_but_is_not_inductive() -> None:
    def update(model: Pair, msg: Step | Flip) -> Pair:
        # a and b move together, so a == b always; "a >= 0" alone does not say that.
        if isinstance(msg, Step):
            return Pair(model.a + 1, model.b + 1, model.flag)
        return Pair(model.a - model.b, 0, not model.flag)

    result = prove_inductive(_app(update, lambda m: m.a >= 0), "inv")
    assert result.refuted
    assert result.witness.model.b > result.witness.model.a
    strengthened = prove_inductive(_app(update, lambda m: m.a >= 0 and m.a == m.b), "inv")
    assert strengthened.proved


def test_python_floor_division_is_encoded_as_python_does_it() -> None:
    def update(model: Pair, msg: Step) -> Pair:
        return Pair(model.a // -3, model.a % -3, model.flag)

    # a // -3 * -3 + a % -3 == a, and the remainder is in (-3, 0]: both Python facts.
    invariant = lambda m: -3 < m.b <= 0  # noqa: E731
    assert prove_inductive(_app(update, invariant, first=Pair(0, 0, True)), "inv").proved


@settings(deadline=None)
@given(st.integers(-50, 50), st.integers(-7, 7).filter(bool))
def test_symbolic_arithmetic_agrees_with_python(a: int, b: int) -> None:
    x, y = z3.Int("x"), z3.Int("y")
    function = lambda p, q: (p // q, p % q, abs(p) - q * 2, min(p, q), max(p, -q))  # noqa: E731
    expected = function(a, b)
    for path in enumerate_paths(lambda p, q: tuple(function(p, q)))(SymInt(x), SymInt(y)):
        pairs = [(x, z3.IntVal(a)), (y, z3.IntVal(b))]
        if not z3.is_true(z3.simplify(z3.substitute(path.guard(), *pairs))):
            continue
        got = tuple(z3.simplify(z3.substitute(as_term(v), *pairs)).as_long() for v in path.result)
        assert got == expected
        return
    raise AssertionError("no path covers the input")


@pytest.mark.parametrize(
    ("update", "reason"),
    [
        (lambda model, msg: Pair(len(str(model.a)), 0, False), "str() or formatting"),
        (lambda model, msg: Pair(sum(1 for _ in range(model.a)), 0, False), "used as an index"),
        (lambda model, msg: Pair(model.a, {model.a: 1}[0], False), "hashing a symbolic"),
    ],
)
def test_unsupported_constructs_are_unknown_with_the_reason(update: object, reason: str) -> None:
    def annotated(model: Pair, msg: Step) -> Pair:
        return update(model, msg)  # type: ignore[operator, no-any-return]

    result = prove_inductive(_app(annotated, lambda m: True), "inv")
    assert result.verdict.value == "unknown"
    assert result.reason.value == "unsupported"
    assert reason in result.detail


def test_models_beyond_ints_and_bools_are_unknown() -> None:
    result = prove_inductive(App.from_module(todo), "inv_ids_are_unique")
    assert result.verdict.value == "unknown"
    assert "field 'entries'" in result.detail
    assert prove_inductive(App.from_module(form), "inv_only_valid_data_is_sent").reason.value == (
        "unsupported"
    )


def test_an_unannotated_message_parameter_is_unknown() -> None:
    result = prove_inductive(_app(lambda model, msg: model, lambda m: True), "inv")
    assert "annotate update's message parameter" in result.detail


def test_an_update_that_may_raise_is_unknown() -> None:
    def update(model: Pair, msg: Step) -> Pair:
        return Pair(10 // model.a, model.b, model.flag)

    result = prove_inductive(_app(update, lambda m: True, first=Pair(1, 0, False)), "inv")
    assert result.verdict.value == "unknown"
    assert "ZeroDivisionError" in result.detail


def test_random_linear_updates_agree_with_brute_force() -> None:
    rnd = random.Random(7)
    for _ in range(25):
        k, c, lo = rnd.randint(-2, 2), rnd.randint(-3, 3), rnd.randint(-2, 2)

        def update(model: Pair, msg: Step, k: int = k, c: int = c) -> Pair:
            return Pair(model.a * k + c if model.flag else model.a + c, model.b, not model.flag)

        invariant = lambda m, lo=lo: m.a >= lo  # noqa: E731
        result = prove_inductive(_app(update, invariant, first=Pair(lo + 5, 0, False)), "inv")
        # Brute force over a window of models: a counterexample to induction exists there
        # whenever z3 says the step is not inductive for models that small.
        broken = [
            (a, flag)
            for a in range(lo, lo + 40)
            for flag in (False, True)
            if invariant(Pair(a, 0, flag)) and not invariant(update(Pair(a, 0, flag), Step(1)))
        ]
        if result.proved:
            assert not broken, (k, c, lo, broken)
        else:
            assert result.refuted, result
            step = result.witness
            assert invariant(step.model)
            assert not invariant(step.next_model)
