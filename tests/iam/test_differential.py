"""The symbolic engine against the concrete evaluator, on many requests per policy set.

``test_symbolic.py`` builds one formula per request. Analyses build one formula per
policy set and ask about every request at once, so this test does the same: one
formula for a generated policy set, then each of a batch of generated requests
substituted into it and decided, and the decision compared with the evaluator's.

CI runs ``POLICY_SETS`` sets of ``REQUESTS_PER_SET`` requests (3,000 pairs). The long
run behind ``make bench-differential`` raises the number of sets through
``FMLAB_DIFFERENTIAL_POLICY_SETS``: 50,000 sets are a million requests.
"""

from __future__ import annotations

import os

import z3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fmlab.iam._evaluator import Decision, PolicySet, evaluate
from fmlab.iam._request import Request
from fmlab.iam._symbolic import Encoder, decision_of
from tests.iam.strategies import policy_sets, requests

POLICY_SETS = int(os.environ.get("FMLAB_DIFFERENTIAL_POLICY_SETS", "150"))
REQUESTS_PER_SET = 20


def _constant(formula: z3.BoolRef, pins: list[tuple[z3.ExprRef, z3.ExprRef]]) -> bool:
    reduced = z3.simplify(z3.substitute(formula, *pins))
    # A pinned request leaves no free variable, so anything but a constant is a bug.
    assert z3.is_true(reduced) or z3.is_false(reduced), reduced
    return z3.is_true(reduced)


@settings(
    max_examples=POLICY_SETS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    policy_sets(),
    st.lists(requests(), min_size=REQUESTS_PER_SET, max_size=REQUESTS_PER_SET),
)
def test_one_formula_decides_every_request_as_the_evaluator_does(
    policies: PolicySet, batch: list[Request]
) -> None:
    encoder = Encoder([policies], catalog=None, extra_requests=batch, enumerate_strings=False)
    deny, allowed = encoder.decision(0)
    for request in batch:
        pins = encoder.pin(request)
        symbolic = decision_of(_constant(deny, pins), _constant(allowed, pins))
        concrete = evaluate(policies, request)
        assert symbolic is concrete.decision, (concrete.reason, request)


def test_the_batches_are_not_all_one_decision() -> None:
    # Guard against a vacuous run: the generators must produce every decision. Drawn
    # derandomized, so the guard itself cannot flake.
    seen: set[Decision] = set()

    @settings(
        max_examples=200,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(policy_sets(), requests())
    def collect(policies: PolicySet, request: Request) -> None:
        seen.add(evaluate(policies, request).decision)

    collect()
    assert seen == set(Decision)
