"""The symbolic engine agrees with the concrete evaluator, request by request."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from fmlab.core.result import Unknown
from fmlab.iam._evaluator import Decision, PolicySet, evaluate
from fmlab.iam._request import Request
from fmlab.iam._symbolic import evaluate_symbolic
from tests.iam.strategies import policy_sets, requests


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policy_sets(), requests())
def test_symbolic_and_concrete_agree(policies: PolicySet, request: Request) -> None:
    concrete = evaluate(policies, request)
    symbolic = evaluate_symbolic(policies, request)
    assert not isinstance(symbolic, Unknown), symbolic.explain()
    assert symbolic.decision is concrete.decision, (concrete.reason, request)
    if concrete.decision is Decision.EXPLICIT_DENY:
        assert set(symbolic.statements) == set(concrete.statements)
