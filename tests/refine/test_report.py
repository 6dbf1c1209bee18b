"""A function's status is core's verdict in a type checker's words."""

from __future__ import annotations

import pytest

from fmlab.core import ExitCode, Verdict, exit_code
from fmlab.refine import FunctionReport, ModuleReport, Status


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
