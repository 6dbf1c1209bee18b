"""Input errors print as one line that says where; every error joins one family."""

from __future__ import annotations

import ast

import pytest

from fmlab.core import errors
from fmlab.core.errors import InputError, UnsupportedError
from fmlab.core.result import UnknownReason


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (InputError("bad", source="f.json", pointer="/a/0"), "f.json: /a/0: bad"),
        (InputError("bad", source="f.py", line=3), "f.py:3: bad"),
        (InputError("bad", source="f.py", line=3, column=7), "f.py:3:7: bad"),
        (InputError("bad", line=3), "line 3: bad"),
        (InputError("bad", pointer="spec.containers[0]"), "spec.containers[0]: bad"),
        (InputError("bad"), "bad"),
        (InputError("two\nlines", source="f"), "f: two lines"),
        (InputError("a\r\nb\u2028c\n", source="f"), "f: a b c"),
        (InputError('unknown element " "', pointer="/\n"), '/\\n: unknown element " "'),
        (InputError("bad", source="a\x0bb.json", line=1), "a\\x0bb.json:1: bad"),
    ],
)
def test_format(error: InputError, text: str) -> None:
    assert str(error) == text
    assert len(str(error).splitlines()) == 1


def test_with_source_fills_in_a_missing_file_only() -> None:
    assert str(InputError("bad", line=2).with_source("x.yaml")) == "x.yaml:2: bad"
    assert InputError("bad", source="a").with_source("b").source == "a"


def test_unsupported_is_undecided_with_a_reason_and_a_place() -> None:
    node = ast.parse("x = 1\nwhile x:\n    pass").body[1]
    error = UnsupportedError.at(node, "while loop")
    assert (error.what, error.line, error.column) == ("while loop", 2, 1)
    assert error.reason is UnknownReason.UNSUPPORTED
    assert isinstance(error, errors.UndecidedError)
    assert UnsupportedError("slow", reason=UnknownReason.TIMEOUT).reason is UnknownReason.TIMEOUT


def test_chapter_errors_join_the_family() -> None:
    # Imported here by their private homes on purpose: the point is where they derive from.
    from fmlab.iam._managed import ManagedPoliciesUnavailableError
    from fmlab.iam._policy_variables import VariableSupportError
    from fmlab.iam._strings import StringSpaceError
    from fmlab.k8s import AdmissionError
    from fmlab.refine import RefinementViolation
    from fmlab.refine._executor import TooManyPathsError
    from fmlab.refine._runtime import PreconditionOfTarget, Violation
    from fmlab.refine._unsupported import UnsupportedError as RefineUnsupported
    from fmlab.timetravel import AmbiguousLocalTimeError, NonexistentLocalTimeError

    assert RefineUnsupported is UnsupportedError  # one class, not two
    assert issubclass(VariableSupportError, UnsupportedError)
    for error in (StringSpaceError, TooManyPathsError):
        assert issubclass(error, errors.UndecidedError)
    for error in (AdmissionError, RefinementViolation, Violation, PreconditionOfTarget):
        assert issubclass(error, errors.ViolationError)
    for error in (AmbiguousLocalTimeError, NonexistentLocalTimeError):
        assert issubclass(error, errors.ViolationError)
        assert issubclass(error, ValueError)
    assert issubclass(RefinementViolation, AssertionError)
    assert issubclass(ManagedPoliciesUnavailableError, errors.UnavailableError)
