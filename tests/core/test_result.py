"""The result type keeps proved, refuted and unknown apart, and never shows a bad witness."""

from __future__ import annotations

import json

import pytest

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
