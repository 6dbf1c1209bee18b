"""The benchmark harness: time contenders side by side, in one run, and report medians.

A suite is a file ``benchmarks/<chapter>/bench_*.py`` with a function ``cases()`` that
returns :class:`Case` objects. Cases with the same ``suite``, ``name`` and ``params`` are
the same task done by different contenders (fmlab and a baseline or a peer tool); the
report puts them side by side and gives the ratio of medians. Machines here are noisy, so
every case runs several times and only medians and ratios are reported.
"""

from __future__ import annotations

import gc
import json
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Case:
    suite: str
    name: str
    contender: str
    run: Callable[[], object]
    params: dict[str, Any] = field(default_factory=dict)
    repeat: int = 5
    baseline: bool = False
    """Whether this contender is the reference the others are divided by."""
    check: Callable[[object], bool] | None = None
    """Validates the run's answer, so a fast wrong answer is not reported as a win."""


@dataclass(frozen=True)
class Timed:
    """What a run returns when only part of it is the thing measured.

    A workload that must first fill a cluster times its own measured phase and returns
    that duration here; the harness then records ``seconds`` instead of the wall time.
    """

    answer: object
    seconds: float


@dataclass(frozen=True)
class Measurement:
    suite: str
    name: str
    contender: str
    params: dict[str, Any]
    baseline: bool
    samples_s: list[float]
    answer: str

    @property
    def median_s(self) -> float:
        return statistics.median(self.samples_s)

    def to_json(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "name": self.name,
            "contender": self.contender,
            "params": self.params,
            "baseline": self.baseline,
            "samples_s": self.samples_s,
            "median_s": self.median_s,
            "min_s": min(self.samples_s),
            "max_s": max(self.samples_s),
            "answer": self.answer,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Measurement:
        """Read back what :meth:`to_json` wrote (the derived statistics are recomputed)."""
        return cls(
            data["suite"],
            data["name"],
            data["contender"],
            data["params"],
            data["baseline"],
            list(data["samples_s"]),
            data["answer"],
        )


def measure(case: Case, *, repeat: int | None = None) -> Measurement:
    samples = []
    answer: object = None
    for _ in range(repeat or case.repeat):
        gc.collect()
        started = time.perf_counter()
        answer = case.run()
        elapsed = time.perf_counter() - started
        if isinstance(answer, Timed):
            answer, elapsed = answer.answer, answer.seconds
        samples.append(elapsed)
    if case.check is not None and not case.check(answer):
        raise AssertionError(
            f"{case.suite}/{case.name} [{case.contender}]: wrong answer {answer!r}"
        )
    return Measurement(
        case.suite,
        case.name,
        case.contender,
        dict(case.params),
        case.baseline,
        samples,
        _summarise(answer),
    )


def _summarise(answer: object) -> str:
    verdict = getattr(answer, "verdict", None)
    if verdict is not None:
        return str(getattr(verdict, "value", verdict))
    status = getattr(answer, "status", None)
    if isinstance(status, str):
        return status
    relation = getattr(answer, "relation", None)
    if relation is not None:
        return str(getattr(relation, "value", relation))
    if hasattr(answer, "nominated_node"):
        victims = len(getattr(answer, "victims", ()))
        return f"nominated {answer.nominated_node}, {victims} victims"
    text = repr(answer)
    return text if len(text) <= 60 else text[:57] + "..."


def comparisons(measurements: Sequence[Measurement]) -> list[dict[str, Any]]:
    """For each task, every contender's median divided by the baseline's median."""
    groups: dict[str, list[Measurement]] = {}
    for m in measurements:
        key = json.dumps([m.suite, m.name, m.params], sort_keys=True)
        groups.setdefault(key, []).append(m)
    rows = []
    for members in groups.values():
        base = next((m for m in members if m.baseline), None)
        if base is None:
            continue
        for m in members:
            if m is base:
                continue
            rows.append(
                {
                    "suite": m.suite,
                    "name": m.name,
                    "params": m.params,
                    "contender": m.contender,
                    "baseline": base.contender,
                    "median_s": m.median_s,
                    "baseline_median_s": base.median_s,
                    "speedup": base.median_s / m.median_s if m.median_s > 0 else None,
                }
            )
    return rows


def machine() -> dict[str, Any]:
    import os

    info: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    try:
        import z3

        info["z3"] = z3.get_version_string()
    except ImportError:  # pragma: no cover - z3 is a dependency
        pass
    return info


def markdown_table(measurements: Sequence[Measurement]) -> str:
    lines = [
        "| suite | task | params | contender | median | min | runs | answer |",
        "|---|---|---|---|---:|---:|---:|---|",
    ]
    for m in measurements:
        params = ", ".join(f"{k}={v}" for k, v in m.params.items())
        contender = m.contender + (" (baseline)" if m.baseline else "")
        lines.append(
            f"| {m.suite} | {m.name} | {params} | {contender}"
            f" | {_seconds(m.median_s)} | {_seconds(min(m.samples_s))} | {len(m.samples_s)}"
            f" | {m.answer} |"
        )
    return "\n".join(lines) + "\n"


def _seconds(value: float) -> str:
    if value < 1e-3:
        return f"{value * 1e6:.1f} µs"
    if value < 1:
        return f"{value * 1e3:.1f} ms"
    return f"{value:.2f} s"
