"""Verdicts kept on disk, so that re-checking an unchanged file in a new process is fast.

Two kinds of entry, each a JSON file named by a SHA-256 key:

* a function's report, keyed by the checker's version, the file's name, the function's
  syntax tree (with positions, which the report quotes) and its context: every signature,
  the ``#@`` lines, module-level statements, the solver budget, and the results inferred for
  unrefined functions (which depend on their bodies);
* the inferred results of a whole file, keyed by the checker's version, the budget, the
  file's name and its whole text.

Any change to what a verdict depends on changes its key, so a stale verdict is never read:
it is simply not found. The checker's version is a digest of its own source files and of
z3's version, so editing the checker invalidates everything. Entries are JSON, never
pickles: a cache directory that came with a cloned repository must not be able to run code,
since the checker promises not to. Reports that depend on the clock (a solver timeout, a
function over its time or path budget) are not stored. An unreadable or malformed entry is a
miss; an unwritable directory means no caching.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import z3

from fmlab.core.result import Refuted, Unknown, UnknownReason
from fmlab.refine._assumptions import Assumption
from fmlab.refine._report import FunctionReport, ObligationError, Status
from fmlab.refine._values import RecordValue

CACHE_ENV = "XDG_CACHE_HOME"
LOCAL_DIRECTORY = Path(".fmlab-cache") / "refine"


def default_cache_directory() -> Path:
    """``$XDG_CACHE_HOME/fmlab/refine``, with XDG's default ``~/.cache`` when it is unset.

    Without a home directory, ``.fmlab-cache/refine`` under the current one. The home
    default, rather than the current directory, keeps caches out of the user's repositories.
    """
    base = os.environ.get(CACHE_ENV)
    if base:
        return Path(base) / "fmlab" / "refine"
    try:
        return Path.home() / ".cache" / "fmlab" / "refine"
    except RuntimeError:  # no HOME and no password entry
        return LOCAL_DIRECTORY


@functools.cache
def checker_version() -> str:
    """A digest of the checker's source files and z3's version."""
    digest = hashlib.sha256(z3.get_version_string().encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def key(*parts: str) -> str:
    """The entry name for what a verdict depends on (the checker's version included)."""
    digest = hashlib.sha256(checker_version().encode())
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


class DiskCache:
    """JSON entries under ``directory``, two hex digits of fan-out."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, name: str) -> Path:
        return self.directory / name[:2] / f"{name}.json"

    def _read(self, name: str) -> Any:
        try:
            return json.loads(self._path(name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _write(self, name: str, payload: Any) -> None:
        path = self._path(name)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename: a reader never sees half an entry.
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False
            ) as handle:
                json.dump(payload, handle)
            os.replace(handle.name, path)
        except (OSError, TypeError, ValueError):
            return

    def has(self, name: str) -> bool:
        return self._path(name).exists()

    def get_report(self, name: str) -> FunctionReport | None:
        payload = self._read(name)
        try:
            return _report_from_json(payload) if payload is not None else None
        except (KeyError, TypeError, ValueError):
            return None

    def put_report(self, name: str, report: FunctionReport) -> None:
        if _depends_on_the_clock(report):
            return
        self._write(name, _report_to_json(report))

    def get_inferred(self, name: str) -> dict[str, str] | None:
        payload = self._read(name)
        if isinstance(payload, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in payload.items()
        ):
            return payload
        return None

    def put_inferred(self, name: str, inferred: dict[str, str]) -> None:
        self._write(name, inferred)


def _depends_on_the_clock(report: FunctionReport) -> bool:
    return any(
        error.kind == "paths"
        or (isinstance(error.result, Unknown) and error.result.reason is UnknownReason.TIMEOUT)
        for error in report.errors
    )


def _value_to_json(value: Any) -> Any:
    if isinstance(value, RecordValue):
        fields = {name: _value_to_json(item) for name, item in value.items()}
        return {"record": value.record, "fields": fields}
    if isinstance(value, tuple):
        return {"tuple": [_value_to_json(item) for item in value]}
    if isinstance(value, list):
        return [_value_to_json(item) for item in value]
    return value


def _value_from_json(value: Any) -> Any:
    if isinstance(value, dict) and "record" in value:
        fields = {str(name): _value_from_json(item) for name, item in value["fields"].items()}
        return RecordValue(str(value["record"]), fields)
    if isinstance(value, dict):
        return tuple(_value_from_json(item) for item in value["tuple"])
    if isinstance(value, list):
        return [_value_from_json(item) for item in value]
    return value


def _witness_to_json(witness: dict[str, Any] | None) -> Any:
    if witness is None:
        return None
    return {name: _value_to_json(value) for name, value in witness.items()}


def _witness_from_json(payload: Any) -> dict[str, Any] | None:
    if payload is None:
        return None
    return {str(name): _value_from_json(value) for name, value in dict(payload).items()}


def _result_to_json(result: Refuted[Any] | Unknown | None) -> Any:
    if isinstance(result, Refuted):
        return {
            "refuted": result.claim,
            "witness": _witness_to_json(dict(result.witness)),
            "replayed_by": result.replayed_by,
            "bound": result.bound,
        }
    if isinstance(result, Unknown):
        stats = {k: v for k, v in result.stats.items() if isinstance(v, bool | int | str)}
        return {
            "unknown": result.claim,
            "reason": result.reason.value,
            "detail": result.detail,
            "stats": stats,
        }
    return None


def _result_from_json(payload: Any) -> Refuted[Any] | Unknown | None:
    if payload is None:
        return None
    if "refuted" in payload:
        return Refuted(
            payload["refuted"],
            _witness_from_json(payload["witness"]),
            payload["replayed_by"],
            payload["bound"],
        )
    return Unknown(
        payload["unknown"],
        UnknownReason(payload["reason"]),
        payload["detail"],
        dict(payload["stats"]),
    )


def _report_to_json(report: FunctionReport) -> dict[str, Any]:
    return {
        "name": report.name,
        "line": report.line,
        "status": report.status.value,
        "errors": [
            {
                "line": error.line,
                "column": error.column,
                "message": error.message,
                "kind": error.kind,
                "counterexample": _witness_to_json(error.counterexample),
                "result": _result_to_json(error.result),
                "replayable": error.replayable,
                "assumes": [
                    {
                        "name": assumption.name,
                        "arguments": [_value_to_json(item) for item in assumption.arguments],
                        "result": _value_to_json(assumption.result),
                        "measure": assumption.measure,
                        "concrete": assumption.concrete,
                    }
                    for assumption in error.assumes
                ],
            }
            for error in report.errors
        ],
        "obligations": report.obligations,
        "seconds": report.seconds,
        "inferred": [[line, list(texts)] for line, texts in report.inferred.items()],
        "vcs": [list(vc) for vc in report.vcs],
        "inferred_result": report.inferred_result,
        "result_withheld": report.result_withheld,
    }


def _report_from_json(payload: Any) -> FunctionReport:
    errors = tuple(
        ObligationError(
            int(error["line"]),
            int(error["column"]),
            str(error["message"]),
            str(error["kind"]),
            _witness_from_json(error["counterexample"]),
            _result_from_json(error["result"]),
            bool(error["replayable"]),
            tuple(
                Assumption(
                    str(assumption["name"]),
                    tuple(_value_from_json(item) for item in assumption["arguments"]),
                    _value_from_json(assumption["result"]),
                    bool(assumption["measure"]),
                    bool(assumption["concrete"]),
                )
                for assumption in error["assumes"]
            ),
        )
        for error in payload["errors"]
    )
    return FunctionReport(
        str(payload["name"]),
        int(payload["line"]),
        Status(payload["status"]),
        errors,
        int(payload["obligations"]),
        float(payload["seconds"]),
        {int(line): tuple(texts) for line, texts in payload["inferred"]},
        tuple((str(header), str(smt2)) for header, smt2 in payload["vcs"]),
        str(payload["inferred_result"]),
        bool(payload["result_withheld"]),
    )


__all__ = ["DiskCache", "checker_version", "default_cache_directory", "key"]
