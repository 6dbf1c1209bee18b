"""Mirroring the simulated clock into time, datetime and uuid, and undoing it exactly.

Every behaviour shared by the two mechanisms runs in both (the ``mode`` fixture): native
(time-machine's C patch dispatching to fmlab) and python (module attributes replaced).
"""

from __future__ import annotations

import asyncio
import datetime as datetime_module
import os
import sys
import threading
import time
import types
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from fmlab.timetravel import (
    ManualClock,
    accelerate,
    halt,
    jump_to,
    now_utc,
    travel_to,
    use_clock,
)
from fmlab.timetravel import _clock as clock_module
from fmlab.timetravel._stdlib_patch import PATCHER, Mode, SimulatedDatetime, patch_stdlib

FUTURE = datetime(1985, 10, 26, 8, 24, tzinfo=UTC)
LA = "America/Los_Angeles"
# 100-ns intervals between the Gregorian reform (uuid's epoch) and the Unix epoch.
UUID_EPOCH_OFFSET = 0x01B21DD213814000


def _snapshot() -> tuple[object, ...]:
    """Every object the patch may touch, and whether the C functions answer for real."""
    real_year = datetime(2024, 1, 1, tzinfo=UTC)
    return (
        datetime(*time.gmtime()[:6], tzinfo=UTC) > real_year,
        datetime_module.datetime.now(UTC) > real_year,
        clock_module._real_time_ns,
        clock_module._real_datetime_now,
        time.time,
        time.time_ns,
        time.gmtime,
        time.localtime,
        time.ctime,
        time.strftime,
        time.monotonic,
        time.perf_counter,
        datetime_module.datetime,
        datetime_module.date,
        getattr(uuid, "_generate_time_safe", "missing"),
        os.environ.get("TZ"),
    )


@pytest.fixture(params=["native", "python"])
def mode(request: pytest.FixtureRequest) -> Iterator[Mode]:
    """Run the test with each patching mechanism (native is skipped where unavailable)."""
    wanted: Mode = request.param
    PATCHER.prefer(wanted)
    try:
        if PATCHER.mode != wanted:
            pytest.skip("time-machine's C extension is not available here")
        yield wanted
    finally:
        PATCHER.prefer("native")


@pytest.fixture
def la_clock(mode: Mode) -> Iterator[ManualClock]:
    clock = ManualClock(utc=FUTURE, zone=LA)
    with use_clock(clock):
        yield clock


@pytest.mark.parametrize("tz", [None, "Europe/Paris"])
def test_everything_is_restored_after_a_normal_or_raising_block(
    tz: str | None, mode: Mode, monkeypatch: pytest.MonkeyPatch
) -> None:
    if tz is None:
        monkeypatch.delenv("TZ", raising=False)
    else:
        monkeypatch.setenv("TZ", tz)
    before = _snapshot()
    with travel_to(FUTURE, patch_stdlib=True), jump_to("Asia/Tokyo", patch_stdlib=True):
        assert _snapshot() != before
        assert os.environ["TZ"] == "Asia/Tokyo"
    assert _snapshot() == before
    with pytest.raises(KeyError), halt(patch_stdlib=True):
        raise KeyError("boom")
    assert _snapshot() == before
    assert not PATCHER.active


def test_time_functions_mirror_the_simulated_clock(la_clock: ManualClock) -> None:
    with halt(patch_stdlib=True):
        assert time.time() == 499_163_040.0
        assert time.time_ns() == 499_163_040 * 10**9
        assert time.gmtime()[:6] == (1985, 10, 26, 8, 24, 0)
        local = time.localtime()
        assert local[:6] == (1985, 10, 26, 1, 24, 0)
        assert (local.tm_isdst, local.tm_zone, local.tm_gmtoff) == (1, "PDT", -7 * 3600)
        assert time.strftime("%Y-%m-%d %H:%M %Z") == "1985-10-26 01:24 PDT"
        assert time.ctime() == "Sat Oct 26 01:24:00 1985"
        # explicit arguments are converted in the simulated zone too
        assert time.localtime(0)[:4] == (1969, 12, 31, 16)
        assert time.gmtime(0)[:4] == (1970, 1, 1, 0)


def test_datetime_and_date_mirror_the_simulated_clock(la_clock: ManualClock, mode: Mode) -> None:
    with halt(patch_stdlib=True):
        assert datetime_module.datetime.now() == datetime(1985, 10, 26, 1, 24)
        assert datetime_module.datetime.now(UTC) == FUTURE
        assert datetime_module.datetime.utcnow() == datetime(1985, 10, 26, 8, 24)
        tokyo = datetime_module.datetime.now(ZoneInfo("Asia/Tokyo"))
        assert (tokyo == FUTURE, tokyo.hour, str(tokyo.tzinfo)) == (True, 17, "Asia/Tokyo")
        fixed = datetime_module.datetime.now(timezone(timedelta(hours=-3)))
        assert (fixed == FUTURE, fixed.hour) == (True, 5)
        assert datetime_module.datetime.today() == datetime(1985, 10, 26, 1, 24)
        assert datetime_module.date.today() == datetime_module.date(1985, 10, 26)
        # The real class's today() goes through time.time() and $TZ, so it follows too.
        assert datetime_module.date.fromtimestamp(time.time()) == datetime_module.date(1985, 10, 26)
        # isinstance keeps working in both directions.
        assert isinstance(datetime(2000, 1, 1), datetime_module.datetime)
        assert isinstance(datetime_module.datetime(2000, 1, 1), datetime)
        assert isinstance(datetime_module.datetime.now(), datetime_module.date)
        assert issubclass(datetime, datetime_module.datetime)
        if mode == "python":
            assert datetime_module.datetime is SimulatedDatetime
        else:  # the real class answers: its C method leads to fmlab's context
            assert datetime_module.datetime is datetime


def test_naive_now_keeps_the_fold_in_an_overlap(mode: Mode) -> None:
    clock = ManualClock(utc=datetime(1985, 10, 27, 9, 30, tzinfo=UTC), zone=LA)
    with use_clock(clock), halt(patch_stdlib=True):
        naive = datetime_module.datetime.now()
        assert (naive.hour, naive.minute, naive.fold) == (1, 30, 1)
        assert time.localtime().tm_isdst == 0


def test_patched_functions_honour_scale_and_halt(la_clock: ManualClock) -> None:
    with accelerate(60, patch_stdlib=True):
        start = time.time()
        la_clock.advance(1)
        assert time.time() - start == 60.0
        with halt():
            frozen = time.time_ns()
            la_clock.advance(5)
            assert time.time_ns() == frozen


def test_uuid1_stamps_the_simulated_time_and_recovers(la_clock: ManualClock) -> None:
    real_stamp = uuid.uuid1().time
    with halt(patch_stdlib=True):
        assert uuid.uuid1().time == 499_163_040 * 10**7 + UUID_EPOCH_OFFSET
    after = uuid.uuid1().time
    assert after > real_stamp  # back on the real clock, still increasing


def test_monotonic_clocks_and_asyncio_are_left_alone(la_clock: ManualClock) -> None:
    monotonic, perf_counter = time.monotonic, time.perf_counter
    with halt(patch_stdlib=True):
        assert (time.monotonic, time.perf_counter) == (monotonic, perf_counter)
        started = time.monotonic()
        asyncio.run(asyncio.wait_for(asyncio.sleep(0.02), timeout=5))
        assert time.monotonic() - started >= 0.02


def test_threads_outside_any_block_see_real_time_while_patched(mode: Mode) -> None:
    seen: list[float] = []
    with halt(), travel_to(FUTURE, patch_stdlib=True):
        thread = threading.Thread(target=lambda: seen.append(time.time()))
        thread.start()
        thread.join(timeout=10)
        assert time.time() == FUTURE.timestamp()
    assert seen[0] > datetime(2024, 1, 1, tzinfo=UTC).timestamp()


def test_nested_patching_blocks_follow_the_innermost_zone(
    la_clock: ManualClock, mode: Mode
) -> None:
    with halt(patch_stdlib=True):
        assert os.environ["TZ"] == LA
        with jump_to("Asia/Tokyo", patch_stdlib=True):
            assert os.environ["TZ"] == "Asia/Tokyo"
            assert time.localtime().tm_hour == 17
        assert os.environ["TZ"] == LA
        with jump_to("Europe/London"):  # not patching: $TZ stays
            assert os.environ["TZ"] == LA
            # python mode reads the context's zone; native mode's C functions read $TZ
            assert time.localtime().tm_hour == (9 if mode == "python" else 1)


def test_in_python_mode_names_bound_before_the_block_must_be_rebound() -> None:
    PATCHER.prefer("python")
    try:
        _check_rebinding()
    finally:
        PATCHER.prefer("native")


def _check_rebinding() -> None:
    user_module = types.ModuleType("user_code")
    user_module.datetime = datetime  # type: ignore[attr-defined]  # as by `from datetime import datetime`
    user_module.time = time.time  # type: ignore[attr-defined]
    user_module.other = 3  # type: ignore[attr-defined]
    with halt(), travel_to(FUTURE):
        with patch_stdlib():
            # Without rebinding, the early-bound real class keeps reading the real clock.
            assert user_module.datetime.now(UTC) > FUTURE + timedelta(days=365)
        with patch_stdlib(user_module):
            assert user_module.datetime.now(UTC) == FUTURE
            assert user_module.time() == FUTURE.timestamp()
    assert user_module.datetime is datetime
    assert user_module.time is time.time
    assert user_module.other == 3


def test_patching_inside_use_clock_reads_the_manual_clock(la_clock: ManualClock) -> None:
    with patch_stdlib():
        assert time.time() == FUTURE.timestamp()
        la_clock.advance(2.5)
        assert time.time() == FUTURE.timestamp() + 2.5
        assert now_utc() == FUTURE + timedelta(seconds=2.5)


def test_other_threads_keep_the_host_zone_while_tz_is_patched(
    mode: Mode, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fmlab.timetravel import zone

    monkeypatch.setenv("TZ", "Europe/Paris")
    seen: list[str] = []
    with jump_to("Asia/Tokyo", patch_stdlib=True):
        assert os.environ["TZ"] == "Asia/Tokyo"
        assert zone() == "Asia/Tokyo"
        thread = threading.Thread(target=lambda: seen.append(zone()))
        thread.start()
        thread.join(timeout=10)
    assert seen == ["Europe/Paris"]
    assert zone() == "Europe/Paris"


def test_without_the_c_extension_the_patcher_falls_back_to_python(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from fmlab.timetravel._stdlib_patch import StdlibPatcher, _load_native

    monkeypatch.setitem(sys.modules, "_time_machine", None)  # import now fails
    assert _load_native() is None
    patcher = StdlibPatcher()
    assert patcher.mode == "python"
    handle = patcher.start()
    try:
        assert datetime_module.datetime is SimulatedDatetime
    finally:
        patcher.stop(handle)
    assert datetime_module.datetime is datetime


def test_the_mode_cannot_change_inside_a_block() -> None:
    with halt(patch_stdlib=True), pytest.raises(RuntimeError, match="inside a patching block"):
        PATCHER.prefer("python")


@pytest.mark.skipif(PATCHER.mode != "native", reason="needs time-machine's C extension")
def test_the_traveller_survives_an_unpatch_racing_its_call() -> None:
    from fmlab.timetravel._stdlib_patch import _ContextTraveller

    def refuses() -> int:
        raise ValueError("Not currently time-travelling.")

    # The originals refuse once another thread has unpatched: the builtins are real again.
    traveller = _ContextTraveller(refuses)
    assert traveller.time_ns() > int(datetime(2024, 1, 1, tzinfo=UTC).timestamp()) * 10**9
    with halt(), travel_to(FUTURE):
        assert traveller.time_ns() == int(FUTURE.timestamp()) * 10**9


@pytest.mark.skipif(
    sys.implementation.name != "cpython" or sys.platform == "win32",
    reason="time-machine's C extension exists only for CPython on POSIX here",
)
def test_native_mode_is_available_where_the_pinned_time_machine_runs() -> None:
    # The native-only tests skip when the C hooks are missing; on the platform CI runs,
    # that would hide a broken install, so their precondition is asserted here.
    assert PATCHER.mode == "native"
