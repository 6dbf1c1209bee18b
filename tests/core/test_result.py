"""The result type keeps proved, refuted and unknown apart, and never shows a bad witness."""

from __future__ import annotations

import ast
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fmlab.core.result import (
    Proved,
    Refuted,
    Unknown,
    UnknownReason,
    Verdict,
    exit_code,
    refute,
)


def test_only_proved_is_proved() -> None:
    results = [
        Proved("c"),
        Refuted("c", {"x": 1}),
        Unknown("c", UnknownReason.TIMEOUT, "budget"),
    ]
    assert [r.proved for r in results] == [True, False, False]
    assert [r.refuted for r in results] == [False, True, False]
    assert [r.verdict for r in results] == [Verdict.PROVED, Verdict.REFUTED, Verdict.UNKNOWN]


def test_exit_codes_follow_the_cli_convention() -> None:
    assert exit_code(Proved("c")) == 0
    assert exit_code(Refuted("c", 1)) == 1
    assert exit_code(Unknown("c", UnknownReason.INCOMPLETE)) == 3


def test_refute_keeps_a_confirmed_witness() -> None:
    result = refute("x is even", 3, replay=lambda x: x % 2 == 1)
    assert isinstance(result, Refuted)
    assert result.witness == 3


def test_refute_turns_an_unconfirmed_witness_into_unknown() -> None:
    result = refute("x is even", 4, replay=lambda x: x % 2 == 1)
    assert isinstance(result, Unknown)
    assert result.reason is UnknownReason.WITNESS_NOT_CONFIRMED
    assert "4" in result.detail


def test_refute_treats_a_crashing_replay_as_unconfirmed() -> None:
    def crash(_: object) -> bool:
        raise ZeroDivisionError("boom")

    result = refute("claim", 0, replay=crash)
    assert isinstance(result, Unknown)
    assert "ZeroDivisionError" in result.detail


@pytest.mark.parametrize(
    "result",
    [Proved("c", "for 3 A"), Refuted("c", {"x": [1, 2]}), Unknown("c", UnknownReason.TIMEOUT)],
)
def test_results_serialise_to_json(result: Proved | Refuted[object] | Unknown) -> None:
    payload = json.loads(json.dumps(result.to_json()))
    assert payload["verdict"] == result.verdict.value
    assert payload["claim"] == "c"


def test_witness_with_to_json_is_serialised_through_it() -> None:
    class Witness:
        def to_json(self) -> dict[str, int]:
            return {"x": 7}

    assert Refuted("c", Witness()).to_json()["witness"] == {"x": 7}


def test_explanations_name_the_verdict() -> None:
    assert Proved("c", "for 2 A").explain() == "proved: c (for 2 A)"
    assert Refuted("c", 5).explain().startswith("refuted: c")
    assert Unknown("c", UnknownReason.UNSUPPORTED, "while loops").explain() == (
        "unknown (unsupported): c: while loops"
    )


def test_results_are_immutable() -> None:
    result = Proved("c")
    with pytest.raises(AttributeError):
        result.claim = "other"  # type: ignore[misc]


# --- readable explanations: wrapped to the page, witnesses still readable as values -----

WIDE_WITNESS = {
    "request": {
        "principal": "arn:aws:iam::123456789012:role/deploy",
        "action": "s3:PutObject",
        "resource": "arn:aws:s3:::reports-bucket/2026/12/07/summary.csv",
    },
    "policies": ["allow-reports", "deny-unencrypted-uploads", "session-boundary"],
}


def _witness_text(explanation: str) -> str:
    """The witness part of a wrapped ``Refuted.explain()``: the lines below its heading."""
    _, _, below = explanation.partition("evaluation):\n")
    return "\n".join(line.strip() for line in below.splitlines())


def test_a_short_witness_stays_on_the_heading_line() -> None:
    # The layout notebooks and the command line printed before wrapping existed.
    text = Refuted("x > 0 for all x", {"x": 0}).explain()
    assert (
        text == "refuted: x > 0 for all x\n  witness (confirmed by concrete evaluation): {'x': 0}"
    )


@pytest.mark.parametrize("width", [40, 60, 88])
def test_a_wide_witness_wraps_and_still_reads_as_the_same_value(width: int) -> None:
    text = Refuted("the deploy role cannot write reports", WIDE_WITNESS).explain(width=width)
    assert max(len(line) for line in text.splitlines()) <= width, text
    if width == 88:  # narrower, pprint cannot fit the ARN and a word is cut
        # Independent of the printer: Python's own parser reads the wrapped text back.
        assert ast.literal_eval(_witness_text(text)) == WIDE_WITNESS


def test_the_old_one_line_witness_was_wider_than_the_page() -> None:
    # Guards the test above: the witness really needs wrapping at the default width.
    one_line = f"  witness (confirmed by concrete evaluation): {WIDE_WITNESS}"
    assert len(one_line) > 88
    assert len(Refuted("c", WIDE_WITNESS).explain().splitlines()) > 2


def test_a_witness_object_with_a_long_text_is_cut_into_lines() -> None:
    class Request:
        def __str__(self) -> str:
            return "Request(" + ", ".join(f"key{i}='value {i}'" for i in range(20)) + ")"

    text = Refuted("c", Request()).explain(width=60)
    assert max(len(line) for line in text.splitlines()) <= 60
    assert " ".join(_witness_text(text).split()) == " ".join(str(Request()).split())


@pytest.mark.parametrize(
    "result",
    [
        Proved("every request the old policy allows, the new one allows " * 3, bound="3 nodes"),
        Unknown("c", UnknownReason.TIMEOUT, "the solver gave up after 10 s " * 5),
        Unknown("c", UnknownReason.UNSUPPORTED, "/tmp/" + "very-long-directory-name-" * 6),
    ],
    ids=["proved", "unknown", "unknown-long-word"],
)
def test_long_claims_and_details_wrap_without_losing_words(
    result: Proved | Unknown,
) -> None:
    text = result.explain(width=70)
    assert max(len(line) for line in text.splitlines()) <= 70, text
    unwrapped = text.replace("\n  ", " ")
    one_line = result.explain(width=10_000)
    assert "".join(unwrapped.split()) == "".join(one_line.split())


@given(
    claim=st.text(st.characters(categories=["L", "N", "Zs"]), max_size=300),
    witness=st.dictionaries(st.text(max_size=30), st.integers() | st.text(max_size=60)),
    width=st.integers(min_value=30, max_value=120),
)
def test_no_line_is_wider_than_asked(claim: str, witness: dict[str, object], width: int) -> None:
    for result in (Proved(claim), Refuted(claim, witness), Unknown(claim, UnknownReason.TIMEOUT)):
        lines = result.explain(width=width).splitlines()
        assert all(len(line) <= width for line in lines), lines


@pytest.mark.parametrize(
    "result",
    [Proved("c", "3 nodes"), Refuted("c", WIDE_WITNESS), Unknown("c", UnknownReason.TIMEOUT)],
    ids=["proved", "refuted", "unknown"],
)
def test_ipython_shows_a_result_as_its_explanation(
    result: Proved | Refuted[object] | Unknown,
) -> None:
    from IPython.lib.pretty import pretty

    assert pretty(result) == result.explain()
