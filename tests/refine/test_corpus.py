"""Every corpus program gets its declared verdict, and every counterexample replays.

The replay runs the program's function on the counterexample under CPython, in a
subprocess with a timeout, instrumented so that the violated refinement raises at the
obligation's place (:mod:`fmlab.refine._runtime`). A counterexample that does not fail
there would be a false alarm, and fails this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fmlab.core.result import Refuted
from fmlab.refine import ObligationError, Status, check_file
from fmlab.refine._replay import replay_many
from fmlab.refine._values import Unwritten
from tests.refine.corpus_support import PROGRAMS, error_lines, expectation, program_id, worst


def test_corpus_is_large_and_balanced() -> None:
    kinds = [path.parent.name for path in PROGRAMS]
    assert kinds.count("pos") >= 30
    assert kinds.count("neg") >= 30


@pytest.mark.parametrize("path", PROGRAMS, ids=program_id)
def test_verdict_and_lines(path: Path) -> None:
    expected = expectation(path)
    report = check_file(path)
    assert (worst(report), error_lines(report)) == (expected.status, expected.lines), (
        report.explain()
    )
    if path.parent.name == "pos":
        assert expected.status is Status.SAFE


@pytest.mark.parametrize("path", [p for p in PROGRAMS if p.parent.name == "neg"], ids=program_id)
def test_counterexamples_replay(path: Path) -> None:
    report = check_file(path)
    cases = [
        (function.name, error)
        for function in report.functions
        for error in function.errors
        if isinstance(error.result, Refuted)
    ]
    if expectation(path).status is Status.UNSAFE:
        assert cases, "an unsafe program must come with a counterexample"
    # No run can take a function as an input (it has no literal), and a function passed for
    # a Callable fails for some argument the Callable allows, not for these inputs: such
    # counterexamples are checked by the solver's replay of the formula only.
    cases = [(name, error) for name, error in cases if not _about_a_function(error)]
    # Each counterexample is either concrete (replayable as it is) or modular: it then
    # names the callee results and measure values it assumes, and holds only with them.
    assert all(error.replayable != error.modular for _, error in cases), [
        error.explain() for _, error in cases
    ]
    assert all(error.assumes for _, error in cases if not error.replayable)
    outcomes = replay_many(
        path,
        [(name, dict(error.counterexample or {})) for name, error in cases],
        assuming=[error.assumes for _, error in cases],
    )
    for (name, error), outcome in zip(cases, outcomes, strict=True):
        assert outcome.confirms(error.kind, error.line), (name, error.explain(), outcome)


def _about_a_function(error: ObligationError) -> bool:
    inputs = (error.counterexample or {}).values()
    return error.kind == "function-argument" or any(isinstance(v, Unwritten) for v in inputs)


@pytest.mark.parametrize(
    ("program", "function"),
    [("neg/l4_weak_callee", "even"), ("neg/l5_measure_opaque", "empty_total")],
)
def test_a_modular_counterexample_does_not_fail_without_its_assumptions(
    program: str, function: str
) -> None:
    # The inputs alone do not break the program: only the assumed callee result or measure
    # value does. Replayed without the stubs, the run returns normally.
    path = Path(__file__).parent / "corpus" / f"{program}.py"
    [error] = check_file(path).function(function).errors
    assert (error.modular, error.replayable) == (True, False)
    [plain] = replay_many(path, [(function, dict(error.counterexample or {}))])
    assert plain.outcome == "returned", plain
