"""A function's status is core's verdict in a type checker's words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.core import ExitCode, Unknown, UnknownReason, Verdict, exit_code
from fmlab.refine import FunctionReport, ModuleReport, Status
from fmlab.refine._assumptions import Assumption
from fmlab.refine._report import WIDTH, ObligationError


def test_each_status_stands_for_one_verdict_and_unsupported_is_an_unknown() -> None:
    assert {status: status.verdict for status in Status} == {
        Status.SAFE: Verdict.PROVED,
        Status.UNSAFE: Verdict.REFUTED,
        Status.UNKNOWN: Verdict.UNKNOWN,
        Status.UNSUPPORTED: Verdict.UNKNOWN,
    }


def _module(*statuses: Status) -> ModuleReport:
    functions = tuple(FunctionReport(f"f{i}", i + 1, s) for i, s in enumerate(statuses))
    return ModuleReport("m.py", functions)


@pytest.mark.parametrize(
    ("statuses", "verdict"),
    [
        ((), Verdict.PROVED),
        ((Status.SAFE, Status.SAFE), Verdict.PROVED),
        ((Status.SAFE, Status.UNSUPPORTED), Verdict.UNKNOWN),
        ((Status.UNKNOWN, Status.UNSAFE, Status.SAFE), Verdict.REFUTED),
    ],
)
def test_a_module_is_refuted_by_any_unsafe_function_and_proved_only_when_all_are_safe(
    statuses: tuple[Status, ...], verdict: Verdict
) -> None:
    report = _module(*statuses)
    assert report.verdict is verdict
    assert (report.verdict is Verdict.PROVED) == report.all_safe


def test_the_command_fails_what_it_does_not_prove() -> None:
    # `fmlab refine check` is a gate: unknown and unsupported exit 1, as unsafe does.
    codes = {
        s: exit_code(_module(s).verdict, unknown_fails=True)
        for s in (Status.SAFE, Status.UNSAFE, Status.UNKNOWN, Status.UNSUPPORTED)
    }
    assert codes == {
        Status.SAFE: ExitCode.OK,
        Status.UNSAFE: ExitCode.FINDING,
        Status.UNKNOWN: ExitCode.FINDING,
        Status.UNSUPPORTED: ExitCode.FINDING,
    }


def test_a_notebook_shows_a_module_report_as_its_summary() -> None:
    from IPython.lib.pretty import pretty

    report = ModuleReport("/tmp/build-machine/m.py", (FunctionReport("f", 3, Status.SAFE),))
    assert pretty(report) == report.explain() == "f (line 3): safe"


# The site's output boxes hold 77 characters at 1280 px: a report prints at most 76.

_identifiers = st.from_regex(r"[a-z_][a-z0-9_]{0,30}", fullmatch=True)
_words = st.lists(
    st.from_regex(r"[a-z0-9_()<=>+*`,.:\[\]-]{1,24}", fullmatch=True), min_size=1, max_size=30
)
_values = st.recursive(
    st.integers(-(10**12), 10**12) | st.booleans() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=12),
    max_leaves=20,
)
_errors = st.builds(
    ObligationError,
    line=st.integers(1, 9999),
    column=st.integers(0, 200),
    message=_words.map(" ".join),
    kind=st.sampled_from(["index", "precondition", "result", "termination"]),
    counterexample=st.none() | st.dictionaries(_identifiers, _values, max_size=5),
    result=st.none()
    | st.builds(
        Unknown,
        st.just("claim"),
        st.sampled_from(list(UnknownReason)),
        _words.map(" ".join),
    ),
    assumes=st.lists(
        st.builds(Assumption, _identifiers, st.tuples(_values), _values, measure=st.booleans()),
        max_size=2,
    ).map(tuple),
)
_functions = st.builds(
    FunctionReport,
    name=_identifiers,
    line=st.integers(1, 9999),
    status=st.sampled_from(list(Status)),
    errors=st.lists(_errors, max_size=3).map(tuple),
    inferred_result=st.just("") | _words.map(" and ".join),
    result_withheld=st.booleans(),
)


def _fits(line: str) -> bool:
    return len(line) <= WIDTH or len(line.split()) == 1


@settings(max_examples=200, deadline=None)
@given(_functions)
def test_a_function_report_fits_the_page_and_keeps_every_word(function: FunctionReport) -> None:
    text = function.explain()
    assert all(_fits(line) for line in text.splitlines()), text
    # Folding only moves line breaks: the words are those of the unfolded report.
    unfolded = function.explain(width=10**9)
    assert text.split() == unfolded.split()
    assert len(unfolded.splitlines()) == 1 + sum(
        len(error.explain(width=10**9).splitlines()) for error in function.errors
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(_functions, max_size=3), st.lists(_identifiers, max_size=30))
def test_a_module_report_fits_the_page(functions: list[FunctionReport], assumed: list[str]) -> None:
    from IPython.lib.pretty import pretty

    report = ModuleReport("m.py", tuple(functions), tuple(assumed))
    assert all(_fits(line) for line in report.explain().splitlines())
    assert pretty(report) == report.explain()
    assert report.explain().split() == report.explain(width=10**9).split()


def test_the_notebooks_long_headings_fold_at_a_space() -> None:
    withheld = FunctionReport("any_digit", 16, Status.UNSAFE, result_withheld=True)
    assert withheld.explain().splitlines() == [
        "any_digit (line 16): unsafe (no inferred result for callers: not every",
        "    obligation holds)",
    ]
    error = ObligationError(
        11,
        12,
        "result must satisfy `-1 <= _ <= 1 and (_ > 0) == (x > 0) and (_ < 0) == (x < 0)`",
        "result",
        {"x": -1},
    )
    assert error.explain().splitlines() == [
        "11:12: result must satisfy `-1 <= _ <= 1 and (_ > 0) == (x > 0) and (_ < 0)",
        "  == (x < 0)`",
        "    counterexample: x = -1",
    ]
