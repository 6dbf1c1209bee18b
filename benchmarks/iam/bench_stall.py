"""The inputs that used to stall ``fmlab iam evaluate`` (issue 14), end to end, beside the
independent evaluator.

Each input is a scenario file decided by a fresh ``fmlab iam evaluate`` process (start-up,
reading, parsing, the unknown-action pass, evaluation and output: what a user waits for)
and by the peer, ``@cloud-copilot/iam-simulate``, through the differential test's driver
(a fresh Node.js process per run as well). The target is 2 s each for fmlab. The peer
gets ``PEER_BUDGET_S`` per run; a run that exceeds it is stopped and reported as the
budget with the answer "stopped": its real time is longer.

The machine these run on is shared, so the answer column also carries the CPU time of
the fmlab process, which neighbours do not inflate.

Run ``python benchmarks/run.py --suite iam`` (``make bench``) or this file alone.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from harness import Case, Timed  # noqa: E402

PEER_BUDGET_S = 60.0
ALICE = "arn:aws:iam::111122223333:user/alice"
WILD = "*a" * 5000  # 10,000 characters of wildcard pattern
_REAL_ACTIONS = (
    "s3:GetObject",
    "s3:PutObject",
    "ec2:DescribeInstances",
    "sqs:SendMessage",
    "dynamodb:GetItem",
    "kms:Decrypt",
    "iam:GetRole",
    "lambda:InvokeFunction",
    "sns:Publish",
)


def _policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _listing(prefix: str) -> dict[str, Any]:
    return {
        "principal": ALICE,
        "action": "s3:ListBucket",
        "resource": "arn:aws:s3:::reports",
        "context": {"s3:prefix": prefix},
    }


def large_policy(statements: int = 50_000, seed: int = 7) -> dict[str, Any]:
    """About 10 MB: ``statements`` statements with wildcard and exact actions, ARNs and
    a tag condition each."""
    rng = random.Random(seed)
    services = ("s3", "ec2", "sqs", "dynamodb", "kms", "iam", "lambda", "sns")
    verbs = ("Get", "Put", "List", "Delete", "Create", "Update")
    body = []
    for index in range(statements):
        service = rng.choice(services)
        body.append(
            {
                "Sid": f"S{index}",
                "Effect": rng.choice(("Allow", "Allow", "Deny")),
                "Action": [f"{service}:{rng.choice(verbs)}*", rng.choice(_REAL_ACTIONS)],
                "Resource": [f"arn:aws:{service}:us-east-1:111122223333:thing/{index}/*"],
                "Condition": {"StringEquals": {"aws:PrincipalTag/team": f"team-{index % 13}"}},
            }
        )
    return _policy(*body)


def stall_inputs() -> dict[str, dict[str, Any]]:
    """Scenario documents by name; each is an implicit deny reached the slow way."""
    return {
        "StringLike *a*a*a*a*a*a*b, 100-character s3:prefix": {
            "policies": {
                "identity": [
                    _policy(
                        {
                            "Effect": "Allow",
                            "Action": "s3:ListBucket",
                            "Resource": "*",
                            "Condition": {"StringLike": {"s3:prefix": "*a*a*a*a*a*a*b"}},
                        }
                    )
                ]
            },
            "request": _listing("a" * 100),
        },
        "10,000-character wildcard in Action": {
            "policies": {
                "identity": [_policy({"Effect": "Allow", "Action": f"s3:{WILD}b", "Resource": "*"})]
            },
            "request": _listing("a"),
        },
        "10,000-character wildcard in Resource": {
            "policies": {
                "identity": [
                    _policy(
                        {"Effect": "Allow", "Action": "s3:*", "Resource": f"arn:aws:s3:::{WILD}b"}
                    )
                ]
            },
            "request": {**_listing("a"), "resource": "arn:aws:s3:::" + "a" * 10_000},
        },
        "10,000-character StringLike value": {
            "policies": {
                "identity": [
                    _policy(
                        {
                            "Effect": "Allow",
                            "Action": "s3:ListBucket",
                            "Resource": "*",
                            "Condition": {"StringLike": {"s3:prefix": f"{WILD}b"}},
                        }
                    )
                ]
            },
            "request": _listing("a" * 10_000),
        },
        "10 MB policy, 50,000 statements": {
            "policies": {"identity": [large_policy()]},
            "request": {
                "principal": ALICE,
                "action": "s3:GetObject",
                "resource": "arn:aws:s3:::reports/q1.csv",
                "context": {"aws:PrincipalTag/team": "team-3"},
            },
        },
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fmlab_run(path: Path) -> Callable[[], object]:
    command = [str(Path(sys.executable).with_name("fmlab")), "iam", "evaluate", "--json", str(path)]

    def run() -> object:
        before = _children_cpu()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        cpu = _children_cpu() - before
        if done.returncode != 0:
            return f"exit {done.returncode}: {done.stderr.strip()[:80]}"
        decision = json.loads(done.stdout)["decision"]
        return f"{decision} (cpu {cpu:.2f} s)"

    return run


def peer_run(document: dict[str, Any]) -> Callable[[], object] | None:
    """The peer on one scenario, in a fresh driver process; ``None`` without the peer."""
    try:
        from tests.iam.peer import DECISIONS, DRIVER, PeerMissingError, peer_directory, to_peer
    except ImportError:
        return None
    try:
        directory = peer_directory()
    except PeerMissingError:
        return None
    line = json.dumps(to_peer(document, 0)) + "\n"

    def run() -> object:
        started = time.perf_counter()
        try:
            done = subprocess.run(
                ["node", str(DRIVER), str(directory)],
                input=line,
                capture_output=True,
                text=True,
                timeout=PEER_BUDGET_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return Timed(f"stopped after {PEER_BUDGET_S:.0f} s", PEER_BUDGET_S)
        answer = json.loads(done.stdout.splitlines()[0]) if done.stdout else {}
        decision = DECISIONS.get(answer.get("result", ""), f"error: {answer.get('error')}")
        return Timed(decision, time.perf_counter() - started)

    return run


def cases() -> list[Case]:
    directory = Path(tempfile.mkdtemp(prefix="fmlab-stall-"))
    result = []
    for number, (name, document) in enumerate(stall_inputs().items()):
        path = directory / f"stall-{number}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        params = {"bytes": path.stat().st_size}
        result.append(
            Case(
                "iam",
                f"stall input: {name}",
                "fmlab iam evaluate (CLI)",
                fmlab_run(path),
                params,
                repeat=5,
                check=lambda answer: str(answer).startswith("ImplicitDeny"),
            )
        )
        peer = peer_run(document)
        if peer is not None:
            result.append(
                Case(
                    "iam",
                    f"stall input: {name}",
                    "iam-simulate (peer, Node.js)",
                    peer,
                    params,
                    repeat=1,
                    baseline=True,
                )
            )
    return result


def main() -> None:
    from harness import measure

    for case in cases():
        measured = measure(case)
        print(
            f"{case.name:60} {case.contender:30} median {measured.median_s:8.2f} s "
            f"{measured.answer}",
            flush=True,
        )


if __name__ == "__main__":
    main()
