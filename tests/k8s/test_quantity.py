"""Quantities: Kubernetes' grammar, exact values, and the scheduler's rounding up."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fmlab.k8s._quantity import format_amount, parse_quantity, scheduler_amount


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("500m", Fraction(1, 2)),
        ("1Gi", Fraction(2**30)),
        ("1e3", Fraction(1000)),
        ("1E3", Fraction(1000)),
        ("1E", Fraction(10**18)),
        ("1.5", Fraction(3, 2)),
        ("100Ki", Fraction(102400)),
        (".5", Fraction(1, 2)),
        ("5.", Fraction(5)),
        ("+2k", Fraction(2000)),
        ("12n", Fraction(12, 10**9)),
        ("3u", Fraction(3, 10**6)),
        ("2.5e-3", Fraction(1, 400)),
        ("0", Fraction(0)),
        ("-1", Fraction(-1)),
    ],
)
def test_valid_quantities(text: str, value: Fraction) -> None:
    assert parse_quantity(text) == value


@pytest.mark.parametrize(
    "text", ["5 cores", "", ".", "1KiB", "1ki", "1.2.3", "m", "1e", "e3", "1µ", " 1", "1e999"]
)
def test_invalid_quantities(text: str) -> None:
    with pytest.raises(ValueError, match="invalid quantity"):
        parse_quantity(text)


def test_yaml_numbers_and_non_numbers() -> None:
    assert parse_quantity(2) == 2
    assert parse_quantity(0.25) == Fraction(1, 4)
    for bad in (True, None, [1], float("nan")):
        with pytest.raises(ValueError, match="invalid quantity"):
            parse_quantity(bad)


def test_scheduler_rounds_up() -> None:
    # MilliValue() and Value() round towards +infinity.
    assert scheduler_amount("cpu", parse_quantity("0.0001")) == 1
    assert scheduler_amount("cpu", parse_quantity("1.0001")) == 1001
    assert scheduler_amount("memory", parse_quantity("500m")) == 1
    assert scheduler_amount("nvidia.com/gpu", parse_quantity("2")) == 2


@given(st.integers(min_value=0, max_value=10**9))
def test_millicores_round_trip(milli: int) -> None:
    assert scheduler_amount("cpu", parse_quantity(f"{milli}m")) == milli
    assert scheduler_amount("cpu", parse_quantity(format_amount("cpu", milli))) == milli


@given(st.integers(min_value=0, max_value=2**50))
def test_memory_round_trip(amount: int) -> None:
    assert scheduler_amount("memory", parse_quantity(format_amount("memory", amount))) == amount
