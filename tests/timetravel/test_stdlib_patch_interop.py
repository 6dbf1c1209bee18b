"""fmlab's native patch and time-machine's own travel: one after the other, never nested.

Both drive the same C wrappers through ``time_machine.traveller_stack``; one inside the
other would answer with the wrong clock, so each refuses to start inside the other with a
clear error and leaves everything as it was.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
import time_machine

from fmlab.timetravel import halt, now_utc, travel_to
from fmlab.timetravel._stdlib_patch import PATCHER

FUTURE = datetime(1985, 10, 26, 8, 24, tzinfo=UTC)
PAST = datetime(1955, 11, 12, 22, 4, tzinfo=UTC)
REAL_ERA = datetime(2024, 1, 1, tzinfo=UTC)

pytestmark = pytest.mark.skipif(
    PATCHER.mode != "native", reason="time-machine's C extension is not available here"
)


def _real() -> bool:
    return (datetime.now(UTC) > REAL_ERA, time_machine.escape_hatch.is_travelling()) == (
        True,
        False,
    )


def test_time_machine_works_after_an_fmlab_block() -> None:
    stack = time_machine.traveller_stack
    with halt(), travel_to(FUTURE, patch_stdlib=True):
        assert datetime.now(UTC) == FUTURE
    assert time_machine.traveller_stack is stack
    assert stack == []
    with time_machine.travel(PAST, tick=False):
        assert datetime.now(UTC) == PAST
        assert now_utc() == PAST  # fmlab's real source is the clock time-machine set
    assert _real()


def test_fmlab_works_after_a_time_machine_block() -> None:
    with time_machine.travel(PAST, tick=False):
        assert datetime.now(UTC) == PAST
    with halt(), travel_to(FUTURE, patch_stdlib=True):
        assert datetime.now(UTC) == FUTURE
    assert _real()


def test_time_machine_inside_fmlab_is_refused_and_changes_nothing() -> None:
    tz_before = os.environ.get("TZ")
    with halt(), travel_to(FUTURE, patch_stdlib=True):
        with pytest.raises(RuntimeError, match=r"time_machine\.travel cannot start inside"):
            time_machine.travel(PAST, tick=False).start()
        assert datetime.now(UTC) == FUTURE
        assert len(time_machine.traveller_stack) == 1
    assert _real()
    assert os.environ.get("TZ") == tz_before
    with time_machine.travel(PAST, tick=False):  # and it still works afterwards
        assert datetime.now(UTC) == PAST


def test_fmlab_inside_time_machine_is_refused_and_changes_nothing() -> None:
    with time_machine.travel(PAST, tick=False):
        with pytest.raises(RuntimeError, match=r"while time_machine\.travel is active"):
            travel_to(FUTURE, patch_stdlib=True).__enter__()
        assert datetime.now(UTC) == PAST
        assert not PATCHER.active
    assert _real()


def test_the_time_machine_fixture_is_refused_inside_fmlab(
    time_machine: time_machine.TimeMachineFixture,
) -> None:
    with halt(), travel_to(FUTURE, patch_stdlib=True), pytest.raises(RuntimeError, match="inside"):
        time_machine.move_to(PAST, tick=False)
    time_machine.move_to(PAST, tick=False)
    assert datetime.now(UTC) == PAST


def test_asking_the_mode_while_time_machine_travels_decides_nothing() -> None:
    from fmlab.timetravel._stdlib_patch import StdlibPatcher

    fresh = StdlibPatcher()
    with time_machine.travel(PAST, tick=False):
        assert fresh.mode == "python"  # cannot probe the C hooks without disturbing them
        assert datetime.now(UTC) == PAST
    assert fresh.mode == "native"  # probed now, and cached
