"""A checker for the chapter's exercises: it answers a wrong policy with a counterexample.

An exercise states what a policy must do as two policies. Every request ``must_allow``
allows, the reader's policy must allow too; no request ``must_not_allow`` allows may the
reader's policy allow. Anything else is the reader's choice. Both halves are questions
:func:`compare` answers over every request the encoding covers, not over samples:

* *all of must_allow*: is there a request ``must_allow`` allows and the attempt does not?
* *none of must_not_allow*: turn each Allow of ``must_not_allow`` into a Deny and add it to
  the attempt. If that changes anything, the changed request is one the attempt allows and
  ``must_not_allow`` covers.

A counterexample is replayed against the plain meaning of the exercise (the concrete
evaluator's decisions for the attempt and for the specification's policy), not against
the construction above, before the reader sees it. It names one request and what went
wrong on it; it never shows a right answer.

>>> reports = {"Statement": {"Effect": "Allow", "Action": "s3:GetObject",
...                          "Resource": "arn:aws:s3:::example-reports/*"}}
>>> payroll = {"Statement": {"Effect": "Allow", "Action": "s3:*",
...                          "Resource": "arn:aws:s3:::example-payroll/*"}}
>>> too_wide = {"Statement": {"Effect": "Allow", "Action": "s3:GetObject",
...                           "Resource": "arn:aws:s3:::example-*"}}
>>> result = check_policy_exercise(too_wide, must_allow=reports, must_not_allow=payroll)
>>> result.verdict.value, result.witness.request.resource.startswith(
...     "arn:aws:s3:::example-payroll/")
('refuted', True)
>>> check_policy_exercise(reports, must_allow=reports, must_not_allow=payroll).proved
True
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from fmlab.core.errors import UsageError
from fmlab.core.result import Proved, Refuted, Unknown, refute
from fmlab.iam._catalog import Catalog, load_catalog
from fmlab.iam._compare import compare
from fmlab.iam._evaluator import Decision, PolicySet, evaluate
from fmlab.iam._model import Effect, Policy, PolicyKind
from fmlab.iam._parser import parse_policy
from fmlab.iam._request import Request
from fmlab.iam._text import WIDTH

CLAIM = "the policy allows all of must_allow, none of must_not_allow"
REPLAYED_BY = "the concrete evaluator"


@dataclass(frozen=True)
class PolicyMistake:
    """One request the attempt decides against the exercise, and which half it breaks."""

    request: Request
    must_be_allowed: bool
    """True: ``must_allow`` allows the request; False: ``must_not_allow`` does."""
    decision: Decision
    """What the attempt decides for the request."""

    def __str__(self) -> str:
        # One field a line: a witness on one line runs far past the page.
        wanted = (
            "allowed: must_allow allows it"
            if self.must_be_allowed
            else "denied: must_not_allow allows it"
        )
        fields = [
            ("action", self.request.action),
            ("resource", self.request.resource),
            ("principal", self.request.principal),
        ]
        if self.request.context:
            fields.append(("context", json.dumps(self.request.to_json()["context"])))
        fields += [("must be", wanted), ("yours", self.decision.value)]
        lines = [""]
        for label, value in fields:
            lines.append(
                textwrap.fill(
                    value,
                    WIDTH,
                    initial_indent=f"    {label:<10}",
                    subsequent_indent=" " * 14,
                    break_on_hyphens=False,
                )
            )
        return "\n".join(lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(f"PolicyMistake({str(self).strip()})")


def _policy(document: Mapping[str, Any] | Policy, name: str) -> Policy:
    if isinstance(document, Policy):
        return document
    return parse_policy(document, name=name, kind=PolicyKind.IDENTITY)


def _as_denies(forbidden: Policy) -> Policy:
    """``forbidden`` with every Allow turned into a Deny (same actions, resources, conditions)."""
    if any(statement.effect is not Effect.ALLOW for statement in forbidden.statements):
        raise UsageError(
            f"{forbidden.name}: must_not_allow lists what is forbidden as Allow statements;"
            " a Deny in it would mean nothing"
        )
    statements = tuple(replace(s, effect=Effect.DENY) for s in forbidden.statements)
    return replace(forbidden, statements=statements, name=f"{forbidden.name} (as Deny)")


def check_policy_exercise(
    attempt: Mapping[str, Any] | Policy,
    *,
    must_allow: Mapping[str, Any] | Policy,
    must_not_allow: Mapping[str, Any] | Policy,
    catalog: Catalog | None = None,
    timeout_ms: int | None = None,
) -> Proved | Refuted[PolicyMistake] | Unknown:
    """Check an identity policy against an exercise; refuted answers carry one request.

    ``attempt``, ``must_allow`` and ``must_not_allow`` are identity policies, as JSON
    documents or parsed. A bad document raises :class:`fmlab.core.InputError` naming its
    JSON pointer. The answer is proved within the bounds of :func:`compare` (printed with
    it), refuted with a replayed :class:`PolicyMistake`, or unknown with the solver's reason.
    """
    yours = PolicySet(identity=(_policy(attempt, "your policy"),))
    wanted = PolicySet(identity=(_policy(must_allow, "must_allow"),))
    forbidden_policy = _policy(must_not_allow, "must_not_allow")
    forbidden = PolicySet(identity=(forbidden_policy,))
    fenced = PolicySet(identity=(*yours.identity, _as_denies(forbidden_policy)))
    catalog = catalog if catalog is not None else load_catalog()

    def mistake(request: Request, must_be_allowed: bool) -> PolicyMistake:
        return PolicyMistake(request, must_be_allowed, evaluate(yours, request).decision)

    def breaks(found: PolicyMistake) -> bool:
        """Replay: the attempt and the specification's policy disagree on the request."""
        allowed = evaluate(yours, found.request).decision is Decision.ALLOW
        side = wanted if found.must_be_allowed else forbidden
        covered = evaluate(side, found.request).decision is Decision.ALLOW
        return covered and allowed != found.must_be_allowed

    bounds: tuple[str, ...] = ()
    # The forbidden half first: a policy that grants too much is the costlier mistake.
    for first, second, must_be_allowed in ((yours, fenced, False), (wanted, yours, True)):
        comparison = compare(first, second, catalog=catalog, timeout_ms=timeout_ms)
        answer = comparison.a_not_b
        if isinstance(answer, Unknown):
            return Unknown(CLAIM, answer.reason, answer.detail)
        if isinstance(answer, Refuted):
            found = mistake(answer.witness, must_be_allowed)
            return refute(CLAIM, found, replay=breaks, replayed_by=REPLAYED_BY)
        bounds = comparison.bounds
    # One bound a line, under the claim: joined on one line they run past the page.
    folded = [
        textwrap.fill(f"{bound};", WIDTH, initial_indent="    ", subsequent_indent="      ")
        for bound in bounds
    ]
    return Proved(CLAIM, bound="within\n" + "\n".join(folded).rstrip(";"))
