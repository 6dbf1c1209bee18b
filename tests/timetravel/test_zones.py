"""Resolving wall times: gaps and overlaps, whole-hour, half-hour and historical rules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fmlab.timetravel import (
    AmbiguousLocalTimeError,
    LocalTimeKind,
    NonexistentLocalTimeError,
    classify,
    resolve_local,
    transitions,
)

LA = "America/Los_Angeles"


def utc(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=UTC)


# (zone, wall time in a gap, UTC with fold=0, UTC with fold=1)
GAPS = [
    (LA, datetime(1985, 4, 28, 2, 30), utc(1985, 4, 28, 10, 30), utc(1985, 4, 28, 9, 30)),
    (
        "Europe/Berlin",
        datetime(2024, 3, 31, 2, 30),
        utc(2024, 3, 31, 1, 30),
        utc(2024, 3, 31, 0, 30),
    ),
    # Lord Howe Island moves by half an hour: 02:00 -> 02:30 on 2023-10-01.
    (
        "Australia/Lord_Howe",
        datetime(2023, 10, 1, 2, 15),
        utc(2023, 9, 30, 15, 45),
        utc(2023, 9, 30, 15, 15),
    ),
    # China's daylight saving, 1986-1991: the first spring forward.
    (
        "Asia/Shanghai",
        datetime(1986, 5, 4, 2, 30),
        utc(1986, 5, 3, 18, 30),
        utc(1986, 5, 3, 17, 30),
    ),
]

# (zone, wall time in an overlap, earlier UTC (fold=0), later UTC (fold=1))
OVERLAPS = [
    (LA, datetime(1985, 10, 27, 1, 30), utc(1985, 10, 27, 8, 30), utc(1985, 10, 27, 9, 30)),
    (
        "Australia/Lord_Howe",
        datetime(2024, 4, 7, 1, 45),
        utc(2024, 4, 6, 14, 45),
        utc(2024, 4, 6, 15, 15),
    ),
    (
        "Asia/Shanghai",
        datetime(1986, 9, 14, 1, 30),
        utc(1986, 9, 13, 16, 30),
        utc(1986, 9, 13, 17, 30),
    ),
    (
        "Asia/Shanghai",
        datetime(1991, 9, 15, 1, 30),
        utc(1991, 9, 14, 16, 30),
        utc(1991, 9, 14, 17, 30),
    ),
]


def test_the_future_is_0824_utc() -> None:
    # "oct 26 1985 am 1 24" in Los Angeles, during PDT.
    assert resolve_local(datetime(1985, 10, 26, 1, 24), LA) == utc(1985, 10, 26, 8, 24)
    assert classify(datetime(1985, 10, 26, 1, 24), LA) is LocalTimeKind.UNIQUE


@pytest.mark.parametrize(("zone", "local", "fold0", "fold1"), GAPS)
def test_gap_times_follow_pep_495_or_raise_under_strict(
    zone: str, local: datetime, fold0: datetime, fold1: datetime
) -> None:
    assert classify(local, zone) is LocalTimeKind.NONEXISTENT
    assert resolve_local(local, zone) == fold0
    assert resolve_local(local, zone, fold=1) == fold1
    # fold=0 lands after the gap, fold=1 before it.
    assert fold1 < fold0
    with pytest.raises(NonexistentLocalTimeError) as caught:
        resolve_local(local, zone, policy="strict")
    assert caught.value.zone == zone
    assert caught.value.local == local
    assert "does not exist" in str(caught.value)


@pytest.mark.parametrize(("zone", "local", "earlier", "later"), OVERLAPS)
def test_overlap_times_pick_by_fold_or_raise_under_strict(
    zone: str, local: datetime, earlier: datetime, later: datetime
) -> None:
    assert classify(local, zone) is LocalTimeKind.AMBIGUOUS
    assert resolve_local(local, zone, fold=0) == earlier
    assert resolve_local(local, zone, fold=1) == later
    with pytest.raises(AmbiguousLocalTimeError) as caught:
        resolve_local(local, zone, policy="strict", fold=1)
    assert (caught.value.earlier, caught.value.later) == (earlier, later)
    assert "happens twice" in str(caught.value)


def test_china_stopped_daylight_saving_after_1991() -> None:
    local = datetime(1992, 9, 13, 1, 30)
    assert classify(local, "Asia/Shanghai") is LocalTimeKind.UNIQUE
    assert resolve_local(local, "Asia/Shanghai", policy="strict") == utc(1992, 9, 12, 17, 30)


def test_strict_accepts_ordinary_times() -> None:
    assert resolve_local(datetime(2024, 7, 1, 12), "Asia/Tokyo", policy="strict") == utc(
        2024, 7, 1, 3
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"fold": 2}, "fold must be 0 or 1"), ({"policy": "lenient"}, "policy must be")],
)
def test_bad_fold_or_policy_is_rejected(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        resolve_local(datetime(2024, 1, 1), "UTC", **kwargs)  # type: ignore[arg-type]


def test_aware_times_are_not_wall_times() -> None:
    with pytest.raises(ValueError, match="naive"):
        resolve_local(utc(2024, 1, 1), "UTC")


def test_zone_names_must_be_strings() -> None:
    with pytest.raises(TypeError, match="IANA key"):
        resolve_local(datetime(2024, 1, 1), 9)  # type: ignore[arg-type]


def test_transitions_of_los_angeles_in_1985() -> None:
    from datetime import timedelta

    from fmlab.timetravel._zones import transitions

    spring, autumn = transitions(LA, 1985, 1985)
    assert spring.utc == utc(1985, 4, 28, 10)
    assert spring.kind is LocalTimeKind.NONEXISTENT
    assert (spring.offset_before, spring.offset_after) == (timedelta(hours=-8), timedelta(hours=-7))
    assert autumn.utc == utc(1985, 10, 27, 9)
    assert autumn.kind is LocalTimeKind.AMBIGUOUS
    assert autumn.wall_before == datetime(1985, 10, 27, 2)
    assert autumn.wall_after == datetime(1985, 10, 27, 1)
    # Every wall time just inside a listed gap or overlap classifies accordingly.
    for change in (spring, autumn):
        inside = min(change.wall_before, change.wall_after) + timedelta(minutes=1)
        assert classify(inside, LA) is change.kind


def test_transitions_reject_huge_or_reversed_spans() -> None:
    from fmlab.timetravel._zones import transitions

    with pytest.raises(ValueError, match="at most"):
        transitions("UTC", 1, 1000)
    with pytest.raises(ValueError, match="first year"):
        transitions("UTC", 2000, 1999)
    assert transitions("UTC", 1970, 2030) == []


# The site's output boxes hold 77 characters at 1280 px: a description prints at most 76.
WIDEST = 76


@pytest.mark.parametrize(
    ("zone", "first", "last"),
    [
        (LA, 1960, 2030),
        ("Asia/Shanghai", 1986, 1991),
        ("Australia/Lord_Howe", 1981, 2030),
        ("America/Argentina/ComodRivadavia", 1930, 2010),
        ("Antarctica/Troll", 2005, 2030),  # a two-hour change
        ("Pacific/Kiritimati", 1979, 1996),  # a whole day skipped
    ],
)
def test_a_transition_is_described_within_the_page(zone: str, first: int, last: int) -> None:
    changes = transitions(zone, first, last)
    assert changes
    for change in changes:
        text = change.describe()
        assert max(len(line) for line in text.splitlines()) <= WIDEST, text
        # Folding only moves the offsets under the wall clock: the same words, in order.
        assert text.split() == change.describe(width=10**9).split()
        assert len(text.splitlines()) <= 2
        assert change.utc.strftime("%Y-%m-%d %H:%M:%S") in text.splitlines()[0]
