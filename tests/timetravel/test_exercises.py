"""The exercise checker rejects wrong answers with a replayed witness and accepts right ones."""

from __future__ import annotations

from fmlab.timetravel import now_local, now_utc
from fmlab.timetravel._exercises import check_opening_hours


def test_the_utc_placeholder_is_refuted_with_a_local_witness() -> None:
    result = check_opening_hours(lambda: 9 <= now_utc().hour < 17)
    assert result.refuted
    witness = result.witness  # type: ignore[union-attr]
    assert set(witness) == {"zone", "utc", "local", "expected"}


def test_forgetting_weekends_is_refuted_on_a_weekend() -> None:
    result = check_opening_hours(lambda: 9 <= now_local().hour < 17)
    assert result.refuted
    assert result.witness["local"].startswith(("Saturday", "Sunday"))  # type: ignore[union-attr]


def test_a_correct_answer_is_proved_within_the_bound() -> None:
    def shop_is_open() -> bool:
        local = now_local()
        return local.weekday() < 5 and 9 <= local.hour < 17

    result = check_opening_hours(shop_is_open)
    assert result.proved
    assert "5376 instants" in (result.bound or "")  # type: ignore[union-attr]


def test_off_by_one_at_closing_time_is_caught() -> None:
    def closes_late() -> bool:
        local = now_local()
        return local.weekday() < 5 and 9 <= local.hour <= 17

    result = check_opening_hours(closes_late)
    assert result.refuted
    assert " 17:" in result.witness["local"]  # type: ignore[union-attr]
