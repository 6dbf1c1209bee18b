"""Shared helpers for the time-travel tests: a fixed starting instant and a manual clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from fmlab.timetravel import ManualClock, use_clock

START = datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC)


@pytest.fixture
def manual() -> Iterator[ManualClock]:
    """A manual clock at START in UTC, installed as the time source for the test."""
    clock = ManualClock(utc=START, zone="UTC")
    with use_clock(clock):
        yield clock
