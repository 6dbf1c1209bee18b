"""The exercise checker rejects wrong answers with a replayed witness and accepts right ones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from fmlab.timetravel import (
    LocalTimeKind,
    check_nightly_runs,
    check_weekend_test,
    classify,
    jump_to,
    now_local,
    now_utc,
    resolve_local,
    transitions,
    travel_to,
)
from fmlab.timetravel._exercises import check_opening_hours, nightly_runs


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


# --- the nightly job (notebook 03) ---------------------------------------------------

PARIS = ZoneInfo("Europe/Paris")


def _every_24_hours(after: datetime, zone: str) -> datetime:
    return after + timedelta(hours=24)


def _same_wall_time(after: datetime, zone: str) -> datetime:
    # Python's aware arithmetic in one zone is wall-clock arithmetic, and replace() can
    # build a wall time that does not exist: the classic pitfall.
    local = after.astimezone(ZoneInfo(zone))
    run = local.replace(hour=2, minute=30, second=0, microsecond=0)
    return run if run > local else run + timedelta(days=1)


def _by_the_rule(after: datetime, zone: str) -> datetime:
    day = after.astimezone(ZoneInfo(zone)).date()
    while True:
        wall = datetime(day.year, day.month, day.day, 2, 30)
        if classify(wall, zone) is LocalTimeKind.NONEXISTENT:
            (gap,) = (t for t in transitions(zone, day.year, day.year) if t.utc.date() == day)
            run = gap.utc
        else:
            run = resolve_local(wall, zone, fold=0)
        if run > after:
            return run
        day += timedelta(days=1)


def test_the_rule_in_plain_words_matches_the_zone_database_on_change_days() -> None:
    runs = {run.astimezone(PARIS).date(): run for run in nightly_runs("Europe/Paris", 2024)}
    assert len(runs) == 366
    spring, autumn, ordinary = date(2024, 3, 31), date(2024, 10, 27), date(2024, 7, 1)
    assert runs[spring] == datetime(2024, 3, 31, 1, 0, tzinfo=UTC)  # 03:00 CEST, the gap's end
    assert runs[autumn] == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)  # the first 02:30
    assert runs[ordinary] == datetime(2024, 7, 1, 0, 30, tzinfo=UTC)
    new_york = {
        r.astimezone(ZoneInfo("America/New_York")).date(): r
        for r in nightly_runs("America/New_York", 2024)
    }
    assert new_york[date(2024, 3, 10)] == datetime(2024, 3, 10, 7, 0, tzinfo=UTC)  # 03:00 EDT


def test_a_correct_next_run_is_proved_over_a_year_in_four_zones() -> None:
    result = check_nightly_runs(_by_the_rule)
    assert result.proved
    assert "1464 runs" in (result.bound or "")  # type: ignore[union-attr]


def test_wall_clock_arithmetic_is_refuted_on_the_spring_change() -> None:
    result = check_nightly_runs(_same_wall_time)
    assert result.refuted
    witness = result.witness  # type: ignore[union-attr]
    assert witness["expected"] == "2024-03-31T03:00:00+02:00"
    assert witness["got"] == "2024-03-31T03:30:00+02:00"  # the nonexistent 02:30, normalised


def test_a_24_hour_interval_and_a_crashing_answer_are_refuted() -> None:
    assert check_nightly_runs(_every_24_hours).refuted

    def crashes(after: datetime, zone: str) -> datetime:
        raise ValueError("not written yet")

    result = check_nightly_runs(crashes)
    assert result.refuted
    assert result.witness["got"] == "raised ValueError: not written yet"  # type: ignore[union-attr]
    naive = check_nightly_runs(lambda after, zone: after.replace(tzinfo=None))
    assert "not an aware datetime" in naive.witness["got"]  # type: ignore[union-attr]


# --- a test for legacy code (notebook 02) ---------------------------------------------


def _thorough_test(is_weekend: Callable[[], bool]) -> None:
    cases = [
        ("Europe/Paris", datetime(2024, 5, 31, 21, 30, tzinfo=UTC), False),  # Friday 23:30
        ("Asia/Tokyo", datetime(2024, 5, 31, 16, tzinfo=UTC), True),  # Saturday, Friday in UTC
        ("Europe/Paris", datetime(2024, 6, 2, 10, tzinfo=UTC), True),  # Sunday
        ("Europe/Paris", datetime(2024, 6, 3, 6, tzinfo=UTC), False),  # Monday
    ]
    for zone_name, instant, expected in cases:
        with travel_to(instant), jump_to(zone_name, patch_stdlib=True):
            assert is_weekend() is expected, (zone_name, instant)


def test_a_thorough_test_is_proved_to_catch_every_wrong_version() -> None:
    result = check_weekend_test(_thorough_test)
    assert result.proved, result.explain()


def test_a_test_on_one_saturday_is_refuted_with_the_version_it_lets_through() -> None:
    def one_saturday(is_weekend: Callable[[], bool]) -> None:
        with travel_to(datetime(2024, 6, 1, 12, tzinfo=UTC), patch_stdlib=True):
            assert is_weekend()

    result = check_weekend_test(one_saturday)
    assert result.refuted
    assert result.witness["the test passes on a version that"] == "forgets Sunday"  # type: ignore[union-attr]
    assert result.witness["look at"] == "Sunday 2024-06-02 12:00 in Europe/Paris"  # type: ignore[union-attr]


def test_a_test_without_a_zone_misses_the_utc_version_and_a_wrong_test_is_refuted() -> None:
    def in_utc_only(is_weekend: Callable[[], bool]) -> None:
        for day, expected in [(31, False), (1, True), (2, True), (3, False)]:
            month = 5 if day == 31 else 6
            with travel_to(datetime(2024, month, day, 12, tzinfo=UTC), patch_stdlib=True):
                assert is_weekend() is expected

    result = check_weekend_test(in_utc_only)
    assert result.refuted
    assert "UTC" in result.witness["the test passes on a version that"]  # type: ignore[union-attr]
    wrong = check_weekend_test(lambda is_weekend: None)
    assert wrong.refuted  # passes on everything, so it catches nothing
    backwards = check_weekend_test(_expects_monday_to_be_a_weekend)
    assert backwards.witness["problem"] == "the test fails on a right is_weekend"  # type: ignore[union-attr]


def _expects_monday_to_be_a_weekend(is_weekend: Callable[[], bool]) -> None:
    with travel_to(datetime(2024, 6, 3, 12, tzinfo=UTC), patch_stdlib=True):
        assert is_weekend()
