"""The template space: candidate patterns, its size, and the abstraction the solver uses."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from fmlab.iam._catalog import Catalog
from fmlab.iam._evaluator import Decision, PolicySet, evaluate
from fmlab.iam._parser import parse_policy
from fmlab.iam._spec import AccessSpec
from fmlab.iam._templates import (
    ALLOW_EVERYTHING,
    Form,
    StatementShape,
    TemplateSpace,
    canonical,
    derive_space,
    policy_document,
    request_classes,
    smallest_by_enumeration,
    statement_shapes,
)

CATALOG = Catalog.from_mapping(
    {"s3": ["GetObject", "GetObjectAcl", "PutObject", "ListBucket"], "iam": ["ListUsers"]}
)
ALICE = "arn:aws:iam::111122223333:user/alice"


def test_derived_candidates_cover_exact_names_prefixes_and_services() -> None:
    spec = AccessSpec.build(
        [("s3:GetObjectAcl", "arn:aws:s3:::r/a/b.csv")], [("iam:ListUsers", "*")]
    )
    space = derive_space(spec, catalog=CATALOG)
    assert space.actions == (
        "*", "s3:*", "iam:*", "s3:GetObjectAcl", "s3:Get*", "s3:GetObject*", "iam:ListUsers",
        "iam:List*",
    )  # fmt: skip
    assert space.resources == (
        "*", "arn:aws:s3:::r/a/b.csv", "arn:aws:s3:::r/a/*", "arn:aws:s3:::r/*", "arn:aws:s3:::*"
    )  # fmt: skip


def test_prefixes_no_catalog_action_stands_behind_are_dropped() -> None:
    spec = AccessSpec.build([("s3:PutThing", "*")])
    space = derive_space(spec, catalog=CATALOG)
    assert "s3:Put*" in space.actions  # s3:PutObject is in the catalog
    assert "s3:PutThing" in space.actions
    empty = Catalog.from_mapping({"s3": []})
    assert "s3:Put*" not in derive_space(spec, catalog=empty).actions


def test_given_candidates_extend_or_replace_the_derived_ones() -> None:
    from fmlab.iam._spec import Candidates

    spec = AccessSpec.build(
        [("s3:GetObject", "arn:aws:s3:::r/k")],
        candidates=Candidates(("s3:Get*",), ("arn:aws:s3:::r*",), derive=False),
    )
    space = derive_space(spec, catalog=CATALOG)
    assert (space.actions, space.resources) == (("s3:Get*",), ("arn:aws:s3:::r*",))
    deny_space = derive_space(spec, catalog=CATALOG, form=Form.DENY_NOT_ACTION)
    assert deny_space.actions[0] == "*"
    assert deny_space.resources[0] == "*"


def test_size_counts_the_instances_the_enumeration_walks() -> None:
    for form in Form:
        space = TemplateSpace(("*", "s3:GetObject"), ("*", "arn:aws:s3:::r/*"), 2, form)
        shapes = statement_shapes(space)
        assert len(shapes) == space.statement_choices()
        assert len(set(shapes)) == len(shapes)
        assert all(shape.fits(form, 1) for shape in shapes)
        free = space.max_statements - (1 if form is Form.DENY_NOT_ACTION else 0)
        assert space.size() == sum(math.comb(len(shapes), n) for n in range(free + 1)) - (
            0 if form is Form.DENY_NOT_ACTION else 1
        )
    assert "instances" in space.describe()


def test_statement_documents_are_real_policy_json() -> None:
    shape = StatementShape(False, True, ("s3:GetObject", "s3:List*"), True, ("arn:aws:s3:::r",))
    document = policy_document([ALLOW_EVERYTHING, shape])
    assert document["Statement"][1] == {
        "Effect": "Deny",
        "NotAction": ["s3:GetObject", "s3:List*"],
        "NotResource": "arn:aws:s3:::r",
    }
    policy = parse_policy(document)
    assert policy.statements[1].not_action
    assert policy.statements[1].not_resource
    assert canonical([shape, ALLOW_EVERYTHING])[0] == ALLOW_EVERYTHING
    assert shape.generality == 3
    assert ALLOW_EVERYTHING.generality == 6
    assert ALLOW_EVERYTHING.fits(Form.DENY_NOT_ACTION, 0)
    assert not shape.fits(Form.DENY_NOT_ACTION, 0)
    assert shape.fits(Form.DENY_NOT_ACTION, 1)
    assert not shape.fits(Form.ALLOW_ACTION, 0)


def test_requests_alike_for_every_statement_form_one_class() -> None:
    spec = AccessSpec(
        allow=tuple(
            AccessSpec.build([("s3:GetObject", "arn:aws:s3:::r/k")], principal=p).allow[0]
            for p in (ALICE, "arn:aws:iam::111122223333:user/bob")
        ),
        deny=AccessSpec.build(
            [("s3:GetObject", "arn:aws:s3:::r/k")], principal="arn:aws:iam::111122223333:root"
        ).allow,
    )
    space = TemplateSpace(("*",), ("*",), 1)
    classes = request_classes(spec, space)
    assert [len(c.requests) for c in classes] == [2, 1]
    assert classes[1].granted_without_allow  # the root user needs no Allow


VOCABULARY_ACTIONS = ["*", "s3:*", "s3:Get*", "s3:GetObject", "s3:PutObject", "iam:ListUsers"]
VOCABULARY_RESOURCES = ["*", "arn:aws:s3:::a/*", "arn:aws:s3:::a/x", "arn:aws:s3:::b/*"]
REQUEST_ACTIONS = ["s3:GetObject", "s3:GetObjectAcl", "s3:PutObject", "iam:ListUsers"]
REQUEST_RESOURCES = ["arn:aws:s3:::a/x", "arn:aws:s3:::a/y", "arn:aws:s3:::b/x", "*"]
PRINCIPALS = [
    ALICE,
    "arn:aws:iam::111122223333:root",
    "arn:aws:sts::111122223333:assumed-role/Dev/s",
    "arn:aws:sts::111122223333:federated-user/f",
]

shapes_strategy = st.builds(
    StatementShape,
    st.booleans(),
    st.booleans(),
    st.lists(st.sampled_from(VOCABULARY_ACTIONS), min_size=1, max_size=2, unique=True).map(tuple),
    st.booleans(),
    st.lists(st.sampled_from(VOCABULARY_RESOURCES), min_size=1, max_size=2, unique=True).map(tuple),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(shapes_strategy, min_size=1, max_size=3),
    st.lists(
        st.tuples(
            st.sampled_from(REQUEST_ACTIONS),
            st.sampled_from(REQUEST_RESOURCES),
            st.sampled_from(PRINCIPALS),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_the_class_abstraction_decides_as_the_concrete_evaluator(
    shapes: list[StatementShape], asked: list[tuple[str, str, str]]
) -> None:
    """The solver and the brute force both decide through RequestClass.decided; it must
    agree with evaluate() for every template instance and request."""
    spec = AccessSpec(tuple(AccessSpec.build([(a, r)], principal=p).allow[0] for a, r, p in asked))
    space = TemplateSpace(tuple(VOCABULARY_ACTIONS), tuple(VOCABULARY_RESOURCES), 3)
    policy = parse_policy(policy_document(shapes))
    for cls in request_classes(spec, space):
        applies = []
        for shape in shapes:
            action = any(cls.actions[space.actions.index(p)] for p in shape.actions)
            resource = any(cls.resources[space.resources.index(p)] for p in shape.resources)
            applies.append(
                (shape.allow, action != shape.not_action and resource != shape.not_resource)
            )
        for request in cls.requests:
            concrete = evaluate(PolicySet(identity=(policy,)), request).decision
            assert cls.decided(applies) == (concrete is Decision.ALLOW), request


def test_enumeration_finds_the_talk_example() -> None:
    spec = AccessSpec.build(
        [("s3:GetObject", "arn:aws:s3:::a/x")], [("s3:PutObject", "arn:aws:s3:::a/x")]
    )
    space = TemplateSpace(("*", "s3:GetObject"), ("*",), 2, Form.DENY_NOT_ACTION)
    found = smallest_by_enumeration(spec, space)
    assert found is not None
    size, patterns, policies = found
    assert (size, patterns) == (2, 4)
    assert policies == [
        (ALLOW_EVERYTHING, StatementShape(False, True, ("s3:GetObject",), False, ("*",)))
    ]
    assert smallest_by_enumeration(spec, TemplateSpace(("*",), ("*",), 2)) is None
