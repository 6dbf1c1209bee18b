"""Reading the current context: now_utc, now_local, zone, scale, use_clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fmlab.timetravel import (
    Clock,
    ManualClock,
    current_context,
    now_local,
    now_utc,
    scale,
    travel_to,
    use_clock,
    zone,
)
from fmlab.timetravel._clock import host_zone_key

from .conftest import START


def test_outside_any_block_the_real_clock_answers() -> None:
    before = datetime.now(UTC)
    reading = now_utc()
    after = datetime.now(UTC)
    assert before <= reading <= after
    assert zone() == host_zone_key()
    assert scale() == 1.0
    assert now_local().utcoffset() is not None


def test_use_clock_makes_readings_exact(manual: ManualClock) -> None:
    assert now_utc() == START
    manual.advance(0.25)
    assert now_utc() == START + timedelta(milliseconds=250)
    assert zone() == "UTC"
    assert scale() == 1.0


def test_use_clock_takes_the_zone_from_the_clock() -> None:
    clock = ManualClock(utc=datetime(1985, 10, 27, 9, 30, tzinfo=UTC), zone="America/Los_Angeles")
    with use_clock(clock):
        assert zone() == "America/Los_Angeles"
        local = now_local()
        assert (local.hour, local.minute, local.fold) == (1, 30, 1)
        assert local.utcoffset() == timedelta(hours=-8)


def test_use_clock_sets_enclosing_travel_aside_and_restores_it() -> None:
    outer = ManualClock(utc=START)
    inner = ManualClock(utc=datetime(2030, 1, 1, tzinfo=UTC))
    with use_clock(outer), travel_to("1999-12-31T23:59:59Z"):
        with use_clock(inner):
            assert now_utc() == datetime(2030, 1, 1, tzinfo=UTC)
        assert now_utc() == datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC)


def test_the_current_context_is_itself_a_clock(manual: ManualClock) -> None:
    context = current_context()
    assert isinstance(context, Clock)
    assert context.now_utc() == START
    assert context.now_local() == START
    assert (context.zone(), context.scale()) == ("UTC", 1.0)


class _TickingClock:
    """A third-party clock: only the protocol, no ticks_ns."""

    def __init__(self) -> None:
        self.instant = datetime(2010, 5, 5, tzinfo=UTC)

    def now_utc(self) -> datetime:
        self.instant += timedelta(seconds=1)
        return self.instant

    def now_local(self) -> datetime:
        return self.instant

    def zone(self) -> str:
        return "Europe/Paris"

    def scale(self) -> float:
        return 1.0


def test_any_protocol_clock_can_be_the_source() -> None:
    with use_clock(_TickingClock()):
        assert now_utc() == datetime(2010, 5, 5, 0, 0, 1, tzinfo=UTC)
        assert zone() == "Europe/Paris"
        with travel_to("2000-01-01T00:00Z"):
            # entering read the source once (00:00:02); each reading reads it again.
            assert now_utc() == datetime(2000, 1, 1, 0, 0, 1, tzinfo=UTC)
            assert zone() == "Europe/Paris"
