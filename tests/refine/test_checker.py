"""The checker's in-process cache: unchanged functions are looked up, edits are checked."""

from __future__ import annotations

from fmlab.refine import check_source
from tests.refine.corpus_support import CORPUS


def test_unchanged_functions_are_not_checked_again() -> None:
    text = (CORPUS / "pos" / "l3_horn_linear.py").read_text(encoding="utf-8")
    first = check_source(text, "cached.py")
    again = check_source(text, "cached.py")
    assert again.functions[0] is first.functions[0]  # the same report object: a lookup
    edited = check_source(text.replace("j = j + 3", "j = j + 2"), "cached.py")
    assert edited.functions[0] is not first.functions[0]
    assert edited.functions[0].status.value == "unsafe"
    spec_edited = check_source(text.replace("3 * n + 1", "3 * n + 2"), "cached.py")
    assert spec_edited.functions[0].status.value == "unsafe"


def test_a_callee_body_change_reaches_its_callers_through_inference() -> None:
    text = (CORPUS / "pos" / "l3_infer_result.py").read_text(encoding="utf-8")
    assert check_source(text, "c.py").all_safe
    # total now returns 0 for every n: at_least's body is unchanged but no longer safe.
    weaker = text.replace("return n + total(n - 1)", "return 0 * total(n - 1)")
    assert check_source(weaker, "c.py").function("at_least").status.value == "unsafe"
