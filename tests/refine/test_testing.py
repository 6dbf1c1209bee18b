"""``assert_module_checks``: a project's tests require its annotated modules to check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fmlab.refine import Status
from fmlab.refine._testing import assert_module_checks
from tests.refine.corpus_support import CORPUS
from tests.refine.examples import enforced


def test_a_safe_module_passes_and_returns_the_report() -> None:
    report = assert_module_checks(CORPUS / "pos" / "heartbleed_fixed.py")
    assert {function.status for function in report.functions} == {Status.SAFE}


def test_an_unsafe_module_fails_with_function_line_obligation_and_counterexample() -> None:
    path = CORPUS / "neg" / "l1_inc.py"
    with pytest.raises(AssertionError) as raised:
        assert_module_checks(str(path))
    assert str(raised.value) == (
        f"{path}: 1 function does not check:\n"
        "inc (line 7): unsafe\n"
        "  8:12: result must satisfy `_ > 0`\n"
        "      counterexample: x = -1"
    )


def test_unknown_fails_unless_allowed() -> None:
    path = CORPUS / "neg" / "unknown_loop.py"
    with pytest.raises(AssertionError, match=r"square \(line 7\): unknown"):
        assert_module_checks(path)
    assert assert_module_checks(path, allow_unknown=True).functions[0].status is Status.UNKNOWN


def test_unsupported_fails_even_when_unknown_is_allowed() -> None:
    with pytest.raises(AssertionError, match="unsupported"):
        assert_module_checks(CORPUS / "neg" / "unsupported_float.py", allow_unknown=True)


def test_a_module_object_is_checked_through_its_file() -> None:
    with pytest.raises(AssertionError) as raised:
        assert_module_checks(enforced)
    message = str(raised.value)
    assert "4 functions do not check" in message
    assert "off_by_one (line 43): unsafe" in message
    assert re.search(r"off_by_one \(line 43\): unsafe\n.*\n +counterexample: n = \d+", message)
    assert "trusting" not in message


def test_bad_input_fails_with_the_one_line_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("def f(:\n")
    with pytest.raises(AssertionError, match=r"broken.py: cannot be checked: .*broken.py:1:7"):
        assert_module_checks(broken)
    with pytest.raises(AssertionError, match=r"cannot be checked: .*no such file"):
        assert_module_checks(tmp_path / "absent.py")
