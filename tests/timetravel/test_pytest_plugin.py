"""The pytest fixture and marker (the plugin is loaded through its pytest11 entry point)."""

from __future__ import annotations

import datetime as datetime_module
import time
from datetime import UTC, datetime, timedelta

import pytest

from fmlab.timetravel import current_context, now_local, now_utc, scale, zone
from fmlab.timetravel._stdlib_patch import PATCHER
from fmlab.timetravel.pytest_plugin import TimeTravel

FUTURE = datetime(1985, 10, 26, 8, 24, tzinfo=UTC)


def greeting() -> str:
    """The seed's example: 'Good morning' until noon (here: local noon)."""
    return "Good morning" if now_local().hour < 12 else "Hello"


def test_the_fixture_gives_a_manual_clock(timetravel: TimeTravel) -> None:
    start = now_utc()
    assert start == timetravel.clock.now_utc()
    timetravel.advance(1.5)
    assert now_utc() - start == timedelta(seconds=1.5)
    assert zone() == "UTC"


def test_fixture_operations_persist_for_the_test(timetravel: TimeTravel) -> None:
    timetravel.travel_to("2024-01-01T09:00", zone="Europe/Paris")
    assert greeting() == "Good morning"
    timetravel.advance(4 * 3600)
    assert greeting() == "Hello"
    timetravel.accelerate(60)
    timetravel.advance(60)
    assert timetravel.now_local().isoformat() == "2024-01-01T14:00:00+01:00"
    timetravel.halt()
    timetravel.advance(60)
    assert timetravel.now_utc() == datetime(2024, 1, 1, 13, tzinfo=UTC)
    assert scale() == 0.0
    timetravel.jump_to("Asia/Tokyo")
    assert timetravel.now_local().hour == 22


@pytest.mark.timetravel("1985-10-26T01:24", zone="America/Los_Angeles")
def test_the_marker_sets_start_and_zone() -> None:
    assert now_utc() == FUTURE
    assert zone() == "America/Los_Angeles"


@pytest.mark.timetravel(FUTURE, patch_stdlib=True)
def test_the_marker_can_patch_the_stdlib(timetravel: TimeTravel) -> None:
    assert time.time() == FUTURE.timestamp()
    timetravel.advance(10)
    assert datetime_module.datetime.now(UTC) == FUTURE + timedelta(seconds=10)


def test_teardown_undoes_everything() -> None:
    before = current_context()
    travel = TimeTravel(FUTURE, zone="Asia/Tokyo", patch_stdlib=True)
    travel.travel_to("2000-01-01T00:00Z")
    travel.accelerate(velocity=3)
    assert PATCHER.active
    travel.close()
    assert current_context() is before
    assert not PATCHER.active


def test_a_marker_start_must_be_an_instant() -> None:
    with pytest.raises(TypeError, match="instant or ISO string"):
        TimeTravel(timedelta(days=1))
