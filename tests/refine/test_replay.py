"""A replay's outcome, printed: within the page, and still the same outcome.

``str`` of a :class:`ReplayOutcome` is what a notebook shows; it folds at 76 columns (the
site's output boxes hold 77) and must stay a Python expression that evaluates to the
outcome, so nothing is lost in the folding. ``repr`` stays on one line, for logs.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from IPython.lib.pretty import pretty

from fmlab.refine._replay import WIDTH, ReplayOutcome

OUTCOMES = ["violation", "returned", "rejected-input", "crashed", "timeout"]
KINDS = ["index", "invariant-entry", "precondition", "assert", "division", "termination"]

outcomes = st.builds(
    ReplayOutcome,
    st.sampled_from(OUTCOMES),
    st.none() | st.sampled_from(KINDS),
    st.none() | st.integers(0, 100_000),
    st.none() | st.integers(0, 1_000),
    st.text(max_size=300),
)


def _splittable(line: str) -> bool:
    # pprint splits a string at whitespace only: one literal without any may run over.
    literal = line.strip().removeprefix("detail=").rstrip(",)")
    return " " in literal.strip("'\"").rstrip() or "\\n" in literal[:-3]


@settings(max_examples=300, deadline=None)
@given(outcomes)
def test_the_printed_outcome_evaluates_back_to_the_outcome(outcome: ReplayOutcome) -> None:
    text = str(outcome)
    assert eval(text, {"ReplayOutcome": ReplayOutcome}) == outcome
    assert "\n" not in repr(outcome)
    assert pretty(outcome) == text


@settings(max_examples=300, deadline=None)
@given(outcomes)
def test_the_printed_outcome_fits_unless_a_word_is_too_long(outcome: ReplayOutcome) -> None:
    for line in str(outcome).splitlines():
        assert len(line) <= WIDTH or not _splittable(line), line


def test_the_outcomes_the_notebooks_show_fit() -> None:
    shown = [
        ReplayOutcome("returned", None, None, None, "0"),
        ReplayOutcome("violation", "invariant-entry", 11, 23, "loop invariant may not hold"),
        ReplayOutcome(
            "violation",
            "index",
            5,
            12,
            "index may be out of range: `-len(xs) <= -1 < len(xs)` failed at line 5",
        ),
    ]
    for outcome in shown:
        assert max(len(line) for line in str(outcome).splitlines()) <= WIDTH, str(outcome)
    assert str(shown[0]) == (
        "ReplayOutcome(outcome='returned', kind=None, line=None, column=None,\n"
        "              detail='0')"
    )
