"""The floor of least privilege: the allow list's own cells, and the pairs inside them."""

from __future__ import annotations

import z3

from fmlab.iam._catalog import Catalog
from fmlab.iam._grants import grant_cells
from fmlab.iam._spec import AccessSpec
from fmlab.iam._synth_least import Floor, FloorEncoding
from fmlab.iam._templates import Form, TemplateSpace, request_classes

CATALOG = Catalog.from_mapping({"s3": ["GetObject", "PutObject", "ListBucket"], "sqs": ["Send"]})
ALICE = "arn:aws:iam::111122223333:user/alice"
A, B = "arn:aws:s3:::bucket/a", "arn:aws:s3:::bucket/b"
SPACE = TemplateSpace(
    ("s3:GetObject", "s3:PutObject", "s3:*", "*"),
    (A, B, "arn:aws:s3:::bucket/*", "*"),
    2,
    Form.ALLOW_ACTION,
)


def _floor(spec: AccessSpec, space: TemplateSpace = SPACE) -> Floor | None:
    cells = grant_cells(space, CATALOG, [r.resource for r, _ in spec.requests()])
    return Floor.of(cells, request_classes(spec, space))


def test_only_pairs_whose_rectangle_lies_in_the_floor() -> None:
    spec = AccessSpec.build([("s3:GetObject", A), ("s3:GetObject", B)], principal=ALICE)
    floor = _floor(spec)
    assert floor is not None
    assert len(floor.cells) == 2
    named = {(SPACE.actions[p], SPACE.resources[q]) for p, q in floor.pairs}
    # bucket/* also matches other objects, s3:* other actions: neither stays inside.
    assert named == {("s3:GetObject", A), ("s3:GetObject", B)}


def test_the_root_user_is_left_to_the_general_search() -> None:
    root = "arn:aws:iam::111122223333:root"
    spec = AccessSpec.build([("s3:GetObject", A)], principal=root)
    assert _floor(spec) is None


def _satisfiable(encoding: FloorEncoding) -> bool:
    solver = z3.Solver()
    solver.add(*encoding.constraints)
    return solver.check() == z3.sat


def test_two_rectangles_need_two_statements() -> None:
    spec = AccessSpec.build(
        [("s3:GetObject", A), ("s3:PutObject", B)],
        [("s3:PutObject", A), ("s3:GetObject", B)],
        principal=ALICE,
    )
    floor = _floor(spec)
    assert floor is not None
    assert not _satisfiable(FloorEncoding(SPACE, floor, 1))
    two = FloorEncoding(SPACE, floor, 2)
    solver = z3.Solver()
    solver.add(*two.constraints)
    assert solver.check() == z3.sat
    shapes = {(s.actions, s.resources) for s in two.decode(solver.model())}
    assert shapes == {(("s3:GetObject",), (A,)), (("s3:PutObject",), (B,))}
