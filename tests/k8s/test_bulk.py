"""Pausing the garbage collector for a bulk load restores its state, even on errors."""

from __future__ import annotations

import gc

import pytest

from fmlab.k8s._bulk import paused_garbage_collection


def test_restores_an_enabled_collector_after_an_error() -> None:
    seen: list[bool] = []

    def load() -> None:
        with paused_garbage_collection():
            seen.append(gc.isenabled())
            raise ValueError("bad manifest")

    assert gc.isenabled()
    with pytest.raises(ValueError, match="bad manifest"):
        load()
    assert seen == [False]
    assert gc.isenabled()


def test_nested_pauses_enable_only_at_the_outermost_exit() -> None:
    with paused_garbage_collection():
        with paused_garbage_collection():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with paused_garbage_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
