"""Verdicts on disk: the same reports in a new process, and never a stale one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fmlab.core.errors import InputError
from fmlab.core.result import Unknown, UnknownReason
from fmlab.refine import ModuleReport, check_source
from fmlab.refine import _checker as checker
from fmlab.refine import _diskcache as diskcache
from fmlab.refine._diskcache import DiskCache, default_cache_directory
from fmlab.refine._report import FunctionReport, ObligationError, Status
from tests.refine.corpus_support import CORPUS

ROUND_TRIP = [
    "neg/heartbleed.py",
    "neg/l5_tuple.py",
    "neg/unknown_loop.py",
    "pos/l3_infer_result.py",
    "neg/l5_dataclass_measure.py",
    "neg/l6_abstract.py",
]


def _fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget the in-process cache and forbid checking: only the disk may answer."""
    checker.clear_cache()

    def refuse(*args: object, **kwargs: object) -> FunctionReport:
        raise AssertionError("checked again instead of read from disk")

    monkeypatch.setattr(checker, "check_function", refuse)


def _check(text: str, cache_dir: Path | None) -> ModuleReport:
    return check_source(text, "m.py", cache_dir=cache_dir)


@pytest.mark.parametrize("name", ROUND_TRIP)
def test_reports_come_back_from_disk_unchanged(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    first = _check(text, tmp_path)
    assert list(tmp_path.rglob("*.json"))
    _fresh_process(monkeypatch)
    again = _check(text, tmp_path)
    assert again == first
    assert again.explain() == first.explain()
    assert [f.vcs for f in again.functions] == [f.vcs for f in first.functions]


def _edits_change_the_verdict(
    text: str, edited: str, function: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _check(text, tmp_path).function(function).status
    checker.clear_cache()
    after = _check(edited, tmp_path).function(function).status
    checker.clear_cache()
    assert after != before
    assert after == _check(edited, None).function(function).status
    # And the original text still gets its own verdict back, from disk.
    _fresh_process(monkeypatch)
    assert _check(text, tmp_path).function(function).status == before


def test_a_changed_body_is_checked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (CORPUS / "pos" / "l1_inc.py").read_text(encoding="utf-8")
    edited = text.replace("return x + 1", "return x - 1")
    assert edited != text
    _edits_change_the_verdict(text, edited, "inc", tmp_path, monkeypatch)


def test_a_callee_signature_change_reaches_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (CORPUS / "pos" / "heartbleed_fixed.py").read_text(encoding="utf-8")
    # take_at_most's body is unchanged; what it may assume about pack is weaker.
    edited = text.replace("{t: Text | tlen(t) == len(s)}", "{t: Text | tlen(t) >= 0}")
    assert edited != text
    _edits_change_the_verdict(text, edited, "take_at_most", tmp_path, monkeypatch)


def test_a_callee_body_change_reaches_the_caller_through_inference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (CORPUS / "pos" / "l3_infer_result.py").read_text(encoding="utf-8")
    edited = text.replace("return n + total(n - 1)", "return 0 * total(n - 1)")
    _edits_change_the_verdict(text, edited, "at_least", tmp_path, monkeypatch)


def test_a_changed_measure_is_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (CORPUS / "pos" / "l5_measure_list.py").read_text(encoding="utf-8")
    # The measure now returns bool: the predicate sm(r) == sm(xs) + len(xs) no longer types.
    edited = text.replace(
        "# @ measure sm(xs: list[int]) -> int", "# @ measure sm(xs: list[int]) -> bool"
    )
    assert edited != text
    _check(text, tmp_path)
    checker.clear_cache()
    with pytest.raises(InputError, match="operator Add on bool and int"):
        _check(edited, tmp_path)


def test_a_new_checker_version_reads_nothing_old(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (CORPUS / "neg" / "l1_inc.py").read_text(encoding="utf-8")
    _check(text, tmp_path)
    _fresh_process(monkeypatch)
    monkeypatch.setattr(diskcache, "checker_version", lambda: "a later checker")
    with pytest.raises(AssertionError, match="checked again"):
        _check(text, tmp_path)


def test_the_version_digest_covers_the_checker_sources() -> None:
    version = diskcache.checker_version()
    assert len(version) == 64
    assert diskcache.key("a", "b") != diskcache.key("ab")  # parts are delimited


def test_malformed_entries_are_misses(tmp_path: Path) -> None:
    text = (CORPUS / "neg" / "l1_inc.py").read_text(encoding="utf-8")
    first = _check(text, tmp_path)
    for entry in tmp_path.rglob("*.json"):
        entry.write_text('{"name": 1}' if "0" in entry.name else "not json")
    checker.clear_cache()
    again = _check(text, tmp_path)
    assert (again.to_json(), again.explain()) == (first.to_json(), first.explain())


def test_clock_dependent_reports_are_not_stored(tmp_path: Path) -> None:
    timeout = Unknown("goal", UnknownReason.TIMEOUT, "z3 gave up")
    report = FunctionReport(
        "f", 1, Status.UNKNOWN, (ObligationError(2, 5, "goal", "postcondition", None, timeout),)
    )
    cache = DiskCache(tmp_path)
    cache.put_report("ab" * 32, report)
    assert not list(tmp_path.rglob("*.json"))
    proved_later = FunctionReport("f", 1, Status.SAFE)
    cache.put_report("cd" * 32, proved_later)
    assert cache.get_report("cd" * 32) == proved_later


def test_an_unwritable_directory_means_no_caching(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    text = (CORPUS / "neg" / "l1_inc.py").read_text(encoding="utf-8")
    assert _check(text, blocker / "cache").function("inc").status is Status.UNSAFE


def test_default_directory_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_directory() == tmp_path / "fmlab" / "refine"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_directory() == tmp_path / "home" / ".cache" / "fmlab" / "refine"


def _cli(path: Path, cache: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "fmlab.cli.main", "refine", "check", str(path), "--json", *flags],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_the_cli_keeps_verdicts_across_processes_unless_told_not_to(tmp_path: Path) -> None:
    program = CORPUS / "neg" / "heartbleed.py"
    uncached = _cli(program, tmp_path / "none", "--no-cache")
    assert not (tmp_path / "none").exists()
    first = _cli(program, tmp_path / "xdg")
    assert list((tmp_path / "xdg" / "fmlab" / "refine").rglob("*.json"))
    second = _cli(program, tmp_path / "xdg")
    assert first.returncode == second.returncode == uncached.returncode == 1
    assert json.loads(first.stdout) == json.loads(second.stdout) == json.loads(uncached.stdout)
