"""Finite domains: action classes and principal representatives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.iam._catalog import Catalog
from fmlab.iam._evaluator import PolicySet
from fmlab.iam._model import PolicyKind
from fmlab.iam._parser import parse_policy
from fmlab.iam._patterns import action_matches
from fmlab.iam._request import PrincipalKind
from fmlab.iam._universe import ActionDomain, PrincipalDomain

CATALOG = Catalog.from_mapping(
    {
        "s3": ["GetObject", "GetObjectAcl", "PutObject", "ListBucket"],
        "iam": ["CreateUser", "ListUsers"],
    }
)
PATTERNS = [
    "*",
    "s3:*",
    "s3:Get*",
    "s3:?utObject",
    "iam:List*",
    "ec2:*",
    "S3:getobject",
    "iam:*User*",
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=5))
def test_a_class_representative_matches_exactly_the_patterns_its_members_match(
    patterns: list[str],
) -> None:
    domain = ActionDomain.build(patterns, CATALOG, ())
    for action in [*CATALOG.actions(), "ec2:RunInstances", "kms:Decrypt"]:
        number = domain.class_of(action)
        if number is None:
            continue
        representative = domain.representatives[number]
        for pattern in patterns:
            assert action_matches(pattern, action) == action_matches(pattern, representative)
    # Every catalog action has a class, and classes prefer catalog representatives.
    assert all(domain.class_of(a) is not None for a in CATALOG.actions())


def test_principal_domain_has_sessions_of_named_roles_and_fresh_accounts() -> None:
    policy = parse_policy(
        {
            "Statement": {
                "Effect": "Allow",
                "Principal": {
                    "AWS": ["arn:aws:iam::111122223333:role/app/Deployer", "444455556666"]
                },
                "Action": "s3:GetObject",
                "Resource": "*",
            }
        },
        kind=PolicyKind.RESOURCE,
    )
    domain = PrincipalDomain.build([PolicySet(resource=(policy,))], ())
    arns = {p.arn for p in domain.principals}
    assert "arn:aws:sts::111122223333:assumed-role/Deployer/fmlab-session" in arns
    assert "arn:aws:iam::444455556666:user/fmlab-user" in arns
    assert {p.kind for p in domain.principals} >= {
        PrincipalKind.ROOT,
        PrincipalKind.OTHER,
        PrincipalKind.FEDERATED_USER,
    }
    assert "444455556666" not in arns  # an account id is not a caller
