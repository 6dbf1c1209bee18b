"""Benchmarks for ``fmlab.iam._synthesis``: time to a minimal policy as the spec grows.

Specifications are labelled by a hidden policy, so a policy meeting each one exists: a
random sample of requests (a few services, a few buckets and tables) is marked must-allow
or must-deny by what the hidden policy decides. Sizes 5, 20 and 80 requests, both forms,
and the specification of issue 19 (reports, a table, payroll and IAM). The Allow form
is measured under both objectives, the smallest policy as the baseline of least
privilege (issue 19's target: at most 3x its time); the answers record, per objective,
the statements and patterns, the granted cells and those beyond the allow list.
On a small template space the same task is also done by brute-force enumeration
(``fmlab.iam._templates.smallest_by_enumeration``), the baseline.

Run ``python benchmarks/iam/bench_synthesis.py --out /tmp/somewhere`` for this suite alone,
or ``make bench`` for all of them.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from fmlab.iam._catalog import Catalog, load_catalog
from fmlab.iam._evaluator import Decision, PolicySet, evaluate
from fmlab.iam._excess import excess
from fmlab.iam._grants import grant_cells, granted_cells
from fmlab.iam._parser import parse_policy
from fmlab.iam._spec import AccessSpec
from fmlab.iam._synthesis import Synthesis, _shape_indices, synthesize
from fmlab.iam._templates import Form, TemplateSpace, smallest_by_enumeration

# Run alone or through benchmarks/run.py: either way the harness module is beside us.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import Case, Timed, markdown_table, measure

ALICE = "arn:aws:iam::111122223333:user/alice"
SIZES = (5, 20, 80)
SERVICES = ("s3", "dynamodb", "sqs")
RESOURCES = (
    "arn:aws:s3:::example-reports/2026/q1.csv",
    "arn:aws:s3:::example-reports/2026/q2.csv",
    "arn:aws:s3:::example-reports",
    "arn:aws:s3:::example-payroll/salaries.csv",
    "arn:aws:dynamodb:us-east-1:111122223333:table/Orders",
    "arn:aws:dynamodb:us-east-1:111122223333:table/Audit",
    "arn:aws:sqs:us-east-1:111122223333:jobs",
)
HIDDEN = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["s3:Get*", "s3:List*"],
            "Resource": ["arn:aws:s3:::example-reports", "arn:aws:s3:::example-reports/*"],
        },
        {
            "Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:Query"],
            "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/Orders",
        },
    ],
}


ISSUE_TABLE = "arn:aws:dynamodb:us-east-1:111122223333:table/Orders"


def issue_spec() -> AccessSpec:
    """The specification of issue 19, as the issue states it."""
    reports = "arn:aws:s3:::reports"
    return AccessSpec.build(
        [
            ("s3:GetObject", f"{reports}/q1.csv"),
            ("s3:GetObject", f"{reports}/q2.csv"),
            ("s3:ListBucket", reports),
            ("dynamodb:GetItem", ISSUE_TABLE),
            ("dynamodb:Query", ISSUE_TABLE),
        ],
        [
            ("s3:PutObject", f"{reports}/q1.csv"),
            ("s3:DeleteObject", f"{reports}/q1.csv"),
            ("s3:GetObject", "arn:aws:s3:::payroll/2026.csv"),
            ("dynamodb:DeleteItem", ISSUE_TABLE),
            ("iam:CreateUser", "arn:aws:iam::111122223333:user/eve"),
        ],
        principal=ALICE,
    )


def specifications(catalog: Catalog) -> dict[str, tuple[AccessSpec, int]]:
    """Label -> (specification, most statements): the issue's at the CLI's default 3."""
    found = {"issue 19": (issue_spec(), 3)}
    for size in SIZES:
        found[f"{size} requests"] = (labelled_spec(size, catalog), 4)
    return found


def labelled_spec(size: int, catalog: Catalog, seed: int = 7) -> AccessSpec:
    """``size`` distinct requests, must-allow exactly where the hidden policy allows."""
    rng = random.Random(seed)
    hidden = PolicySet(identity=(parse_policy(HIDDEN),))
    actions = sorted(a for s in SERVICES for a in catalog.expand(f"{s}:*"))
    # Half the requests are drawn near the hidden policy's actions, so both labels occur.
    near = [a for a in actions if a.split(":")[1].startswith(("Get", "List", "Query"))]
    allow: list[tuple[str, str]] = []
    deny: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    while len(seen) < size:
        action = rng.choice(near if rng.random() < 0.5 else actions)
        pair = (action, rng.choice(RESOURCES))
        if pair in seen:
            continue
        seen.add(pair)
        request = AccessSpec.build([pair], principal=ALICE).allow[0]
        allowed = evaluate(hidden, request).decision is Decision.ALLOW
        (allow if allowed else deny).append(pair)
    return AccessSpec.build(allow, deny, principal=ALICE)


def _summary(result: Synthesis) -> str:
    """What the harness records: the status and the size of the first policy."""
    if not result.solutions:
        return result.status.value
    best = result.solutions[0]
    return f"{result.status.value}: {len(best.statements)} statements, {best.patterns} patterns"


def _timed(spec: AccessSpec, form: Form, objective: str, most: int, catalog: Catalog) -> Timed:
    """One synthesis, timed alone; the answer recorded says how much the policy grants,
    worked out after the clock stops: granted cells, and request groups beyond the allow
    list (``excess``)."""
    started = time.perf_counter()
    found = synthesize(spec, form=form, max_statements=most, catalog=catalog, objective=objective)
    seconds = time.perf_counter() - started
    text = _summary(found)
    if found.solutions:
        answer = _answer(found, spec, catalog)
        beyond = answer["beyond_allow_list"]["request_groups"]
        # Short: the harness keeps 60 characters of an answer.
        text += f"; {answer['granted_cells']} cells, {beyond} beyond"
    return Timed(text, seconds)


def _answer(found: Synthesis, spec: AccessSpec, catalog: Catalog) -> dict[str, Any]:
    """What one answer is: its size, and how much it grants (cells of the granted set, as
    least privilege compares them, and the request groups beyond the allow list)."""
    best = found.solutions[0] if found.solutions else None
    answer: dict[str, Any] = {
        "must_allow": len(spec.allow),
        "must_deny": len(spec.deny),
        "status": found.status.value,
        "statements": len(best.statements) if best else None,
        "patterns": best.patterns if best else None,
        "queries": found.queries,
        "seconds": round(found.seconds, 3),
        "space": found.space.describe(),
    }
    if best is not None:
        resources = [r.resource for r, _ in spec.requests()]
        cells = found.cells or grant_cells(found.space, catalog, resources)
        indices = _shape_indices(found.space, best.statements)
        answer["granted_cells"] = len(granted_cells(cells, indices))
        answer["cells"] = cells.describe()
        beyond = excess(best.policy, spec, space=found.space, catalog=catalog)
        answer["beyond_allow_list"] = {
            "request_groups": len(beyond.cells),
            "catalog_actions": beyond.actions,
        }
    return answer


def _enumerated(spec: AccessSpec, space: TemplateSpace) -> str:
    found = smallest_by_enumeration(spec, space)
    if found is None:
        return "infeasible"
    return f"found: {found[0]} statements, {found[1]} patterns"


def _small_problems() -> dict[str, tuple[AccessSpec, TemplateSpace]]:
    """Template spaces small enough to enumerate. Reading one bucket and writing another
    needs two statements, so the enumeration has to walk every pair of statements."""
    a, b = "arn:aws:s3:::example-a/x", "arn:aws:s3:::example-b/x"
    spec = AccessSpec.build(
        [("s3:GetObject", a), ("s3:PutObject", b)],
        [("s3:GetObject", b), ("s3:PutObject", a), ("s3:DeleteObject", a)],
        principal=ALICE,
    )
    actions = ("s3:GetObject", "s3:PutObject", "s3:Get*", "s3:Put*", "s3:*")
    resources = ("arn:aws:s3:::example-a/*", "arn:aws:s3:::example-b/*", "*")
    return {
        "small": (spec, TemplateSpace(actions[:3], resources, 2, Form.ALLOW_ACTION)),
        "medium": (spec, TemplateSpace(actions, resources, 2, Form.ALLOW_ACTION)),
    }


def cases() -> list[Case]:
    catalog = load_catalog()
    result: list[Case] = []
    for label, (spec, most) in specifications(catalog).items():
        params = {"spec": label, "requests": len(spec.requests())}
        for form, objective, name in (
            (Form.ALLOW_ACTION, "smallest", "synthesize (allow-action)"),
            (Form.ALLOW_ACTION, "least-privilege", "synthesize (allow-action)"),
            (Form.DENY_NOT_ACTION, "smallest", "synthesize (deny-notaction)"),
        ):
            result.append(
                Case(
                    "iam",
                    name,
                    f"fmlab.iam synthesize, {objective}",
                    lambda spec=spec, form=form, objective=objective, most=most: _timed(
                        spec, form, objective, most, catalog
                    ),
                    params,
                    repeat=5,
                    # Least privilege is measured against the smallest policy's time.
                    baseline=form is Form.ALLOW_ACTION and objective == "smallest",
                    check=lambda answer: str(answer).startswith("found"),
                )
            )
    for label, (spec, space) in _small_problems().items():
        expected = _enumerated(spec, space)
        params = {"space": label, "instances": space.size()}
        result.append(
            Case(
                "iam",
                "synthesize in an enumerable space",
                "fmlab.iam synthesize",
                lambda spec=spec, space=space: _summary(
                    synthesize(spec, form=space.form, space=space, objective="smallest")
                ),
                params,
                repeat=5,
                check=lambda answer, expected=expected: answer == expected,
            )
        )
        result.append(
            Case(
                "iam",
                "synthesize in an enumerable space",
                "brute-force enumeration",
                lambda spec=spec, space=space: _enumerated(spec, space),
                params,
                repeat=3,
                baseline=True,
                check=lambda answer, expected=expected: answer == expected,
            )
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for synthesis.json")
    parser.add_argument("--quick", action="store_true", help="one run per case")
    args = parser.parse_args(argv)
    measurements = [measure(case, repeat=1 if args.quick else None) for case in cases()]
    catalog = load_catalog()
    shapes: dict[str, Any] = {}
    for label, (spec, most) in specifications(catalog).items():
        for form, objective in (
            (Form.ALLOW_ACTION, "smallest"),
            (Form.ALLOW_ACTION, "least-privilege"),
            (Form.DENY_NOT_ACTION, "smallest"),
        ):
            found = synthesize(
                spec, form=form, max_statements=most, catalog=catalog, objective=objective
            )
            shapes[f"{label}, {form.value}, {objective}"] = _answer(found, spec, catalog)
    args.out.mkdir(parents=True, exist_ok=True)
    report = {"measurements": [m.to_json() for m in measurements], "answers": shapes}
    (args.out / "synthesis.json").write_text(json.dumps(report, indent=1) + "\n")
    print(markdown_table(measurements))
    print(json.dumps(shapes, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
