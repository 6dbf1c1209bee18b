"""fmlab.iam beside iamprover (PyPI, a z3-based IAM invariant checker), on the questions
both tools can answer.

iamprover checks invariants of the form "no principal may perform these actions on these
resources" over an account's identity policies; it has no containment (compare) or
conflicts analysis. So the shared question is: *may a principal holding managed policy P
perform action X on resource R?* fmlab answers it with ``compare``: P under a permissions
boundary that allows exactly X on R, against no policy at all; a request the first allows
is a violation, and "B allows all A allows" proves the invariant.

Answers are validated, not just timed: the two verdicts must agree, and a counterexample
from either tool is replayed by fmlab's concrete evaluator (iamprover widens policy
variables and unsupported conditions, so its counterexamples may be spurious; those are
reported as such). iamprover is pinned in requirements-dev.txt; without it the cases are
skipped with the import error recorded.

Run ``python benchmarks/iam/bench_iamprover.py`` for one JSON report.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from fmlab.core.result import Proved, Refuted
from fmlab.iam._catalog import load_catalog
from fmlab.iam._compare import compare
from fmlab.iam._evaluator import Decision, PolicySet, evaluate
from fmlab.iam._model import Policy, PolicyKind
from fmlab.iam._parser import parse_policy
from fmlab.iam._patterns import action_matches, arn_matches
from fmlab.iam._request import Request

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_iam import generated, load_managed, managed_policies_file

from harness import Case

PRINCIPAL = "arn:aws:iam::111122223333:role/bench"
QUESTIONS = [
    # (policy, action, resource, what AWS documents: True = the invariant holds)
    ("ViewOnlyAccess", "s3:GetObject", "arn:aws:s3:::*/*", True),
    ("ReadOnlyAccess", "s3:GetObject", "arn:aws:s3:::*/*", False),
    ("ReadOnlyAccess", "iam:CreateUser", "*", True),
    ("SecurityAudit", "iam:CreateAccessKey", "*", True),
    ("PowerUserAccess", "iam:CreateUser", "*", True),
    ("AmazonS3ReadOnlyAccess", "s3:PutObject", "arn:aws:s3:::*/*", True),
]


def iamprover_status() -> str | None:
    """``None`` when iamprover imports, else why not."""
    try:
        import iamprover.engine.solver  # noqa: F401
    except ImportError as error:
        return f"iamprover not installed: {error}"
    return None


def fmlab_forbids(policy: Policy, action: str, resource: str) -> tuple[bool, Request | None]:
    """(the invariant holds, a replayed violating request)."""
    boundary = parse_policy(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}],
        },
        name="question",
        kind=PolicyKind.BOUNDARY,
    )
    asked = PolicySet(identity=(policy,), boundary=(boundary,))
    result = compare(asked, PolicySet(identity=()), catalog=load_catalog())
    if isinstance(result.a_not_b, Proved):
        return True, None
    if isinstance(result.a_not_b, Refuted):
        return False, result.a_not_b.witness
    raise RuntimeError(f"fmlab: {result.a_not_b.explain()}")


def iamprover_forbids(
    document: dict[str, Any], action: str, resource: str
) -> tuple[bool, dict[str, Any] | None]:
    from iamprover.engine.solver import check_invariant
    from iamprover.invariants import Invariant
    from iamprover.model import Account, Principal
    from iamprover.parsers.iam import parse_policy_document

    account = Account(
        principals=[Principal(PRINCIPAL, [parse_policy_document("policy", document)])]
    )
    found = check_invariant(account, Invariant("q", "", actions=[action], resources=[resource]))
    if found.passed:
        return True, None
    example = found.counterexamples[0]
    return False, {
        "principal": example.principal,
        "action": example.action,
        "resource": example.resource,
        "context": example.context,
    }


def replays(policy: Policy, action: str, resource: str, example: dict[str, Any]) -> bool:
    """Is iamprover's counterexample a real violation for the concrete evaluator?"""
    request = Request.build(
        example["principal"], example["action"], example["resource"], example["context"]
    )
    return (
        action_matches(action, request.action)
        and (resource == "*" or arn_matches(resource, request.resource))
        and evaluate(PolicySet(identity=(policy,)), request).decision is Decision.ALLOW
    )


def _documents() -> tuple[dict[str, Any], dict[str, Policy]] | None:
    path = managed_policies_file()
    if path is None:
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    documents = {
        name: entry["versions"][entry["latestVersionId"]]["document"] for name, entry in raw.items()
    }
    return documents, load_managed(path)


def _generated_document(size: int) -> tuple[dict[str, Any], Policy]:
    policy = generated(size, 1)
    # generated() parses its own document; rebuild the JSON iamprover reads from it.
    statements = []
    for statement in policy.statements:
        item: dict[str, Any] = {
            "Effect": statement.effect.value,
            "Action": list(statement.actions),
            "Resource": list(statement.resources or ("*",)),
        }
        if statement.conditions:
            item["Condition"] = {
                c.operator.text: {c.key: list(c.values)} for c in statement.conditions
            }
        statements.append(item)
    return {"Version": "2012-10-17", "Statement": statements}, policy


def questions() -> list[tuple[str, dict[str, Any], Policy, str, str, bool | None]]:
    out: list[tuple[str, dict[str, Any], Policy, str, str, bool | None]] = []
    loaded = _documents()
    if loaded is not None:
        documents, managed = loaded
        for name, action, resource, expected in QUESTIONS:
            out.append((name, documents[name], managed[name], action, resource, expected))
    for size in (10, 100, 1000):
        document, policy = _generated_document(size)
        out.append((f"generated {size}", document, policy, "s3:GetObject", "*", None))
    return out


def cases() -> list[Case]:
    result: list[Case] = []
    missing = iamprover_status()
    for label, document, policy, action, resource, expected in questions():
        params = {"policy": label, "action": action, "resource": resource}
        task = "may the principal do it? (fmlab vs iamprover)"

        def fmlab_run(
            policy: Policy = policy, action: str = action, resource: str = resource
        ) -> str:
            holds, _ = fmlab_forbids(policy, action, resource)
            return "holds" if holds else "violated (witness replayed)"

        result.append(
            Case(
                "iam",
                task,
                "fmlab.iam compare under a boundary",
                fmlab_run,
                params,
                repeat=3,
                baseline=True,
                check=lambda answer, expected=expected: (
                    expected is None or (answer == "holds") == expected
                ),
            )
        )
        if missing is not None:
            continue

        def prover_run(
            document: dict[str, Any] = document,
            policy: Policy = policy,
            action: str = action,
            resource: str = resource,
        ) -> str:
            holds, example = iamprover_forbids(document, action, resource)
            if holds:
                return "holds"
            assert example is not None
            real = replays(policy, action, resource, example)
            return "violated (replayed)" if real else "violated (spurious counterexample)"

        def agrees(
            answer: object, policy: Policy = policy, action: str = action, resource: str = resource
        ) -> bool:
            holds, _ = fmlab_forbids(policy, action, resource)
            return (answer == "holds") == holds

        result.append(
            Case("iam", task, "iamprover 0.7.1", prover_run, params, repeat=3, check=agrees)
        )
    return result


def main() -> dict[str, Any]:
    report: dict[str, Any] = {"iamprover": iamprover_status() or "0.7.1", "questions": []}
    for label, document, policy, action, resource, expected in questions():
        row: dict[str, Any] = {"policy": label, "action": action, "resource": resource}
        started = time.perf_counter()
        holds, witness = fmlab_forbids(policy, action, resource)
        row["fmlab"] = {
            "holds": holds,
            "seconds": round(time.perf_counter() - started, 3),
            "witness": witness.to_json() if witness else None,
        }
        if expected is not None:
            row["expected_holds"] = expected
        if iamprover_status() is None:
            started = time.perf_counter()
            prover_holds, example = iamprover_forbids(document, action, resource)
            row["iamprover"] = {
                "holds": prover_holds,
                "seconds": round(time.perf_counter() - started, 3),
                "counterexample": example,
                "counterexample_replays": (
                    replays(policy, action, resource, example) if example else None
                ),
            }
            row["agree"] = prover_holds == holds
        report["questions"].append(row)
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
