"""pytest integration: a ``timetravel`` fixture and a ``timetravel`` marker.

Registered through the ``pytest11`` entry point, so installing fmlab is enough::

    def test_greeting(timetravel):
        timetravel.travel_to("2024-01-01T09:00", zone="Europe/Paris")
        assert greeting() == "Good morning"
        timetravel.advance(4 * 3600)
        assert greeting() == "Hello"

    @pytest.mark.timetravel("1985-10-26T01:24", zone="America/Los_Angeles", patch_stdlib=True)
    def test_legacy_code():
        assert datetime.datetime.now().year == 1985

Each test gets its own :class:`~fmlab.timetravel.ManualClock` (starting at the marker's
instant, else at the real time when the test starts, in the marker's zone, else UTC),
installed with :func:`~fmlab.timetravel.use_clock`; time moves only when the test says
so. Operations called on the fixture stay in force until the end of the test, and are all
undone, innermost first, at teardown.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from fmlab.timetravel._clock import ManualClock
from fmlab.timetravel._destinations import Destination, parse_destination
from fmlab.timetravel._operations import Block, accelerate, halt, jump_to, travel_to
from fmlab.timetravel._spacetime import Spacetime, now_local, now_utc, use_clock
from fmlab.timetravel._stdlib_patch import patch_stdlib as _patch_stdlib
from fmlab.timetravel._zones import Policy, resolve_local

MARKER = "timetravel"


class TimeTravel:
    """What the fixture hands a test: its manual clock, and operations that persist."""

    def __init__(
        self, start: Destination | None = None, *, zone: str = "UTC", patch_stdlib: bool = False
    ) -> None:
        self._stack = ExitStack()
        self.clock = ManualClock(utc=_starting_instant(start, zone), zone=zone)
        self._stack.enter_context(use_clock(self.clock))
        if patch_stdlib:
            self._stack.enter_context(_patch_stdlib())

    def advance(self, seconds: float | timedelta) -> None:
        """Let real time pass on the test's clock (scaled by any ``accelerate`` in force)."""
        self.clock.advance(seconds)

    def now_utc(self) -> datetime:
        return now_utc()

    def now_local(self) -> datetime:
        return now_local()

    def travel_to(
        self,
        destination: Destination,
        *,
        fold: int = 0,
        policy: Policy = "fold",
        zone: str | None = None,
    ) -> Spacetime:
        """Travel (after jumping to ``zone`` if given) for the rest of the test."""
        if zone is not None:
            self.jump_to(zone)
        return self._enter(travel_to(destination, fold=fold, policy=policy))

    def jump_to(self, zone_name: str) -> Spacetime:
        return self._enter(jump_to(zone_name))

    def accelerate(
        self, factor: float | None = None, *, velocity: float | None = None
    ) -> Spacetime:
        return self._enter(accelerate(factor, velocity=velocity))

    def halt(self) -> Spacetime:
        return self._enter(halt())

    def _enter(self, block: Block) -> Spacetime:
        return self._stack.enter_context(block)

    def close(self) -> None:
        """Undo every operation and the clock itself (the fixture's teardown)."""
        self._stack.close()


def _starting_instant(start: Destination | None, zone: str) -> datetime:
    if start is None:
        return datetime.now(UTC)
    parsed = parse_destination(start)
    if not isinstance(parsed, datetime):
        raise TypeError(f"a timetravel marker starts at an instant or ISO string, got {start!r}")
    if parsed.utcoffset() is None:
        return resolve_local(parsed, zone)
    return parsed.astimezone(UTC)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "timetravel(start=None, *, zone='UTC', patch_stdlib=False): run the test on a "
        "ManualClock starting at `start` (an aware datetime, or wall time in `zone`).",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A marked test gets the fixture even when it does not ask for it by name.
    for item in items:
        names = getattr(item, "fixturenames", None)
        marked = item.get_closest_marker(MARKER) is not None
        if marked and names is not None and MARKER not in names:
            names.insert(0, MARKER)


@pytest.fixture(name=MARKER)
def timetravel_fixture(request: pytest.FixtureRequest) -> Iterator[TimeTravel]:
    """A :class:`TimeTravel` on a fresh ManualClock, configured by the marker if any."""
    marker = request.node.get_closest_marker(MARKER)
    args: tuple[Any, ...] = marker.args if marker is not None else ()
    kwargs: dict[str, Any] = dict(marker.kwargs) if marker is not None else {}
    travel = TimeTravel(*args, **kwargs)
    try:
        yield travel
    finally:
        travel.close()
